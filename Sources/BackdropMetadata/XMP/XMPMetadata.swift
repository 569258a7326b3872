/// Reports the properties of an XMP packet, wherever it was embedded.
///
/// Properties are the children and attributes of `rdf:Description`; a property's value is all the text
/// and attribute values beneath it (array items, struct fields), joined with `; `.
enum XMPMetadata {
    /// Caps keep a hostile packet from costing more than a normal one.
    static let maximumTokens = 200_000
    static let maximumDepth = 128

    static func parse(_ packet: ArraySlice<UInt8>, source: String = "xmp", into findings: inout MetadataFindings) {
        var tokenizer = XMLTokenizer(packet)
        var stack: [Frame] = []
        var open: OpenProperty?
        var found = 0
        var tokens = 0

        func finish(_ property: OpenProperty, into findings: inout MetadataFindings) {
            let value = MetadataText.clip(property.parts.joined(separator: "; "))
            let local = localName(property.name)
            let category = XMPCatalog.category(forLocalName: local)
            if local == "rights" || local == "Copyright" { findings.noteCopyright(value) }
            findings.record(category, property.name, source: source, value: value.isEmpty ? nil : value)
            found += 1
        }

        while let token = tokenizer.next() {
            tokens += 1
            guard tokens < maximumTokens, stack.count < maximumDepth else {
                findings.warn("\(source): packet too large or too deep, stopped early")
                break
            }
            switch token {
            case let .start(name, attributes, isSelfClosing):
                let isDescription = name.hasSuffix(":Description") || name == "Description"
                let frame = Frame(name: name, isDescription: isDescription && open == nil, opensProperty: false)
                if open != nil {
                    // Inside a property: struct fields and qualifiers add to its value.
                    open?.parts += propertyAttributes(attributes).map { "\(localName($0.name))=\($0.value)" }
                } else if isDescription {
                    for attribute in propertyAttributes(attributes) {
                        finish(OpenProperty(name: attribute.name, parts: [attribute.value]), into: &findings)
                    }
                } else if stack.last?.isDescription == true {
                    var property = OpenProperty(name: name, parts: [])
                    // rdf:resource holds a URI value; other attributes are fields of a struct.
                    for attribute in attributes where attribute.name == "rdf:resource" { property.parts.append(attribute.value) }
                    property.parts += propertyAttributes(attributes).map { "\(localName($0.name))=\($0.value)" }
                    if isSelfClosing {
                        finish(property, into: &findings)
                    } else {
                        open = property
                        stack.append(Frame(name: name, isDescription: false, opensProperty: true))
                    }
                    continue
                }
                if !isSelfClosing { stack.append(frame) }
            case .end:
                guard let frame = stack.popLast() else { continue }
                if frame.opensProperty, let property = open {
                    finish(property, into: &findings)
                    open = nil
                }
            case let .text(text):
                let trimmed = MetadataText.trim(text)
                if open != nil, !trimmed.isEmpty { open?.parts.append(trimmed) }
            }
        }
        if let open { finish(open, into: &findings) }
        if found == 0 {
            // A packet with no readable property is still metadata the user may want gone.
            findings.record(.other, "XMP", source: source, byteCount: packet.count)
        }
    }

    private struct Frame {
        let name: String
        let isDescription: Bool
        let opensProperty: Bool
    }

    private struct OpenProperty {
        let name: String
        var parts: [String]
    }

    private static func localName(_ qualified: String) -> String {
        guard let colon = qualified.lastIndex(of: ":") else { return qualified }
        return String(qualified[qualified.index(after: colon)...])
    }

    private static func prefix(_ qualified: String) -> String {
        guard let colon = qualified.firstIndex(of: ":") else { return "" }
        return String(qualified[..<colon])
    }

    /// Attributes that are properties, not RDF syntax or namespace declarations.
    private static func propertyAttributes(_ attributes: [(name: String, value: String)]) -> [(name: String, value: String)] {
        attributes.filter { $0.name != "xmlns" && !XMPCatalog.isStructural(prefix: prefix($0.name)) }
    }
}
