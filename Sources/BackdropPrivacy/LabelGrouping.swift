import BackdropImaging
/// Shipping labels and documents are recognised as a whole: a region where an address block, a
/// carrier's barcode or tracking number and shipping keywords sit together is one `shipping_label`;
/// where invoice or packing-slip keywords sit with an address, a name, an email or a phone, one
/// `document`. Its box covers the whole group, so redacting it also covers what no recogniser read.
enum LabelGrouping {
    typealias Role = ShippingLabelLayout.Role

    struct Evidence {
        var box: PixelBox
        var kind: FindingKind?
        var role: Role?
    }

    /// - Parameters:
    ///   - findings: what the recognisers found (addresses, tracking numbers, barcodes, names, …).
    ///   - keywords: shipping and document keywords the OCR read, with their roles.
    static func group(_ findings: [Finding], keywords: [(box: PixelBox, role: Role)], width: Int, height: Int) -> [Finding] {
        var evidence = findings.filter { [.address, .trackingNumber, .barcode, .qrCode, .name, .phone, .email].contains($0.kind) }
            .map { Evidence(box: $0.box, kind: $0.kind, role: nil) }
        evidence += keywords.map { Evidence(box: $0.box, kind: nil, role: $0.role) }
        guard !evidence.isEmpty else { return [] }

        // Items belong together when their boxes, grown by a few text heights, touch: a label's
        // fields are a few lines apart, two labels on one photo are further.
        let typicalHeight = max(8, evidence.map { min($0.box.height, $0.box.width) }.sorted()[evidence.count / 2])
        let reach = 4 * typicalHeight
        var parent = Array(evidence.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        for i in evidence.indices {
            for j in evidence.indices where j > i && near(evidence[i].box, evidence[j].box, reach: reach) {
                parent[root(i)] = root(j)
            }
        }
        var clusters: [Int: [Evidence]] = [:]
        for i in evidence.indices { clusters[root(i), default: []].append(evidence[i]) }

        var grouped: [Finding] = []
        for members in clusters.values {
            let kinds = Set(members.compactMap(\.kind)), roles = Set(members.compactMap(\.role).map(\.rawValue))
            let hasAddress = kinds.contains(.address)
            let hasCarrierCode = kinds.contains(.trackingNumber) || kinds.contains(.barcode)
            let hasShippingWords = roles.contains("carrier") || roles.contains("label")
            let shipping = [hasAddress, hasCarrierCode, hasShippingWords].filter { $0 }.count
            let box = pad(members.map(\.box).dropFirst().reduce(members[0].box) { $0.union($1) }, by: typicalHeight,
                          width: width, height: height)
            if shipping >= 2 && (hasAddress || hasCarrierCode) {
                let confidence = shipping == 3 ? 0.95 : 0.8
                grouped.append(Finding(kind: .shippingLabel, box: box, confidence: confidence, source: .layout,
                                       detail: describe(kinds: kinds, roles: roles)))
            } else if roles.contains("document"),
                      !kinds.isDisjoint(with: [.address, .name, .email, .phone]) {
                grouped.append(Finding(kind: .document, box: box, confidence: 0.85, source: .layout,
                                       detail: describe(kinds: kinds, roles: roles)))
            }
        }
        return grouped.sorted { ($0.box.y, $0.box.x) < ($1.box.y, $1.box.x) }
    }

    private static func near(_ a: PixelBox, _ b: PixelBox, reach: Int) -> Bool {
        a.x - reach < b.x + b.width && b.x - reach < a.x + a.width && a.y - reach < b.y + b.height && b.y - reach < a.y + a.height
    }

    private static func pad(_ box: PixelBox, by margin: Int, width: Int, height: Int) -> PixelBox {
        let left = max(0, box.x - margin), top = max(0, box.y - margin)
        let right = min(width, box.x + box.width + margin), bottom = min(height, box.y + box.height + margin)
        return PixelBox(x: left, y: top, width: right - left, height: bottom - top)
    }

    private static func describe(kinds: Set<FindingKind>, roles: Set<String>) -> String {
        (kinds.map(\.rawValue) + roles.map { "\($0) keyword" }).sorted().joined(separator: " + ")
    }
}
