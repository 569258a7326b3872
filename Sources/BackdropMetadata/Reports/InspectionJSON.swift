import Foundation

/// The JSON shape of DESIGN.md: `{"file", "format", "width", "height", "metadata": {category: [...]}, "risks": [...]}`.
public struct InspectionJSON: Encodable {
    public struct Item: Encodable {
        public var name: String
        public var source: String
        public var bytes: Int?
        public var value: String?
    }

    public var file: String
    public var format: String?
    public var width: Int?
    public var height: Int?
    public var orientation: Int?
    public var metadata: [String: [Item]]?
    public var thumbnails: [ThumbnailReport]?
    public var risks: [Risk]?
    public var warnings: [String]?
    public var error: String?

    public init(_ report: InspectionReport, showValues: Bool) {
        file = report.path
        format = report.format.rawValue
        width = report.width
        height = report.height
        orientation = report.orientation
        var grouped: [String: [Item]] = [:]
        for category in MetadataCategory.allCases { grouped[category.rawValue] = [] }
        for item in report.items {
            grouped[item.category.rawValue, default: []].append(
                Item(name: item.name, source: item.source, bytes: item.byteCount, value: showValues ? item.value : nil))
        }
        metadata = grouped
        thumbnails = report.thumbnails
        risks = report.risks
        warnings = report.warnings
    }

    public init(failedPath: String, reason: String) {
        file = failedPath
        error = reason
    }

    public static func encode(_ reports: [InspectionJSON], single: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = single && reports.count == 1 ? try encoder.encode(reports[0]) : try encoder.encode(reports)
        return String(decoding: data, as: UTF8.self)
    }
}
