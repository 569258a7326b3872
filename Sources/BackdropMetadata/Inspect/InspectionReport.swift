import BackdropImaging
/// How serious a kind of metadata is for a seller's privacy.
public enum RiskLevel: String, Sendable, Codable, Comparable {
    case low, medium, high

    public static func < (lhs: Self, rhs: Self) -> Bool {
        [Self.low, .medium, .high].firstIndex(of: lhs)! < [Self.low, .medium, .high].firstIndex(of: rhs)!
    }
}

/// One privacy risk found in a file, phrased for a person.
public struct Risk: Sendable, Codable, Equatable {
    public var category: MetadataCategory
    public var level: RiskLevel
    public var message: String
}

/// An embedded thumbnail as reported: its size and whether it shows something else than the image.
public struct ThumbnailReport: Sendable, Codable, Equatable {
    public var source: String
    public var width: Int?
    public var height: Int?
    public var byteCount: Int?
    /// True when the thumbnail's content differs from the main image (a crop or edit left it behind);
    /// nil when it could not be compared.
    public var differsFromImage: Bool?
}

/// What `backdrop inspect` says about one file.
public struct InspectionReport: Sendable {
    public var path: String
    public var format: ImageFormat
    public var width: Int
    public var height: Int
    public var orientation: Int
    public var items: [MetadataItem]
    public var thumbnails: [ThumbnailReport]
    public var risks: [Risk]
    public var warnings: [String]

    /// Items grouped by category, in the category order.
    public var itemsByCategory: [(category: MetadataCategory, items: [MetadataItem])] {
        MetadataCategory.allCases.compactMap { category in
            let matching = items.filter { $0.category == category }
            return matching.isEmpty ? nil : (category, matching)
        }
    }

    public var isClean: Bool { items.isEmpty && thumbnails.isEmpty }
}

/// Builds inspection reports.
public enum Inspector {
    /// - Throws: `ImageError` when the image itself is truncated or corrupt: a report on a file that
    ///   cannot be shown would mislead.
    public static func inspect(_ input: ImageInput) throws(ImageError) -> InspectionReport {
        let hidden = try verifyImageData(input)
        var found = MetadataReader.read(input.bytes, format: input.format)
        found.items += hidden.map {
            MetadataItem(category: .hiddenData, name: $0.place, source: input.format.rawValue, byteCount: $0.byteCount)
        }
        let thumbnails = found.thumbnails.map { ThumbnailComparison.report(for: $0, mainImage: input) }
        return InspectionReport(
            path: input.path, format: input.format, width: input.width, height: input.height,
            orientation: found.orientation, items: found.items, thumbnails: thumbnails,
            risks: assessRisks(found.items, thumbnails: thumbnails), warnings: found.warnings)
    }

    /// The same checks as the scrub: the container walk where there is one (it tells truncation
    /// apart, and finds bytes hidden where decoders skip them), then a streaming decode for all but JPEG
    /// (whose coded data libjpeg has just read). Returns the hidden data found.
    private static func verifyImageData(_ input: ImageInput) throws(ImageError) -> [HiddenData] {
        var hidden: [HiddenData] = []
        if ContainerRewriter.supports(input.format) {
            do {
                hidden = try ContainerRewriter.hiddenData(input.bytes, format: input.format)
                if input.format == .jpeg { return hidden }
            } catch {
                if case .truncated = error { throw ImageError.truncated }
                // Outside the rewriter's allowlist the image may still be fine: the decoder judges.
            }
        }
        try DecodeCheck.verify(input)
        return hidden
    }

    static func assessRisks(_ items: [MetadataItem], thumbnails: [ThumbnailReport]) -> [Risk] {
        var risks: [Risk] = []
        let present = Set(items.map(\.category))
        func add(_ category: MetadataCategory, _ level: RiskLevel, _ message: String) {
            risks.append(Risk(category: category, level: level, message: message))
        }
        if present.contains(.location) { add(.location, .high, "location: GPS coordinates or place names say where the photo was taken") }
        if present.contains(.people) { add(.people, .high, "people: names, owner or contact details of a person") }
        let serials = items.contains { $0.category == .device && $0.name.lowercased().contains("serial") }
        if serials { add(.device, .high, "device: camera or lens serial numbers link every photo to one device") }
        else if present.contains(.device) { add(.device, .medium, "device: camera and lens make, model or maker notes") }
        if thumbnails.contains(where: { $0.differsFromImage == true }) {
            add(.thumbnails, .high, "thumbnail: an embedded preview shows different content from the image (an old crop or edit)")
        } else if !thumbnails.isEmpty || present.contains(.thumbnails) {
            add(.thumbnails, .medium, "thumbnail: an embedded preview image")
        }
        if present.contains(.trailingData) { add(.trailingData, .high, "trailing data: bytes after the end of the image can hide anything") }
        if present.contains(.hiddenData) {
            add(.hiddenData, .high, "hidden data: bytes inside the image that no viewer shows can hide anything (scrub removes them)")
        }
        if present.contains(.textChunks) { add(.textChunks, .medium, "text chunks: free text stored in the PNG") }
        if present.contains(.comments) { add(.comments, .medium, "comments: free text stored in the file") }
        if present.contains(.description) { add(.description, .medium, "description: titles, captions or comments") }
        if present.contains(.timestamps) { add(.timestamps, .low, "timestamps: when the photo was taken or edited") }
        if present.contains(.software) { add(.software, .low, "software: the programs and computer that made or edited the file") }
        if present.contains(.other) { add(.other, .low, "other: blocks not needed to show the image") }
        if present.contains(.icc) { add(.icc, .low, "ICC profile: colour data, rarely personal") }
        return risks.sorted { $0.level > $1.level }
    }
}
