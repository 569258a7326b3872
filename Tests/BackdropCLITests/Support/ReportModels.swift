import Foundation

/// `backdrop inspect --json` for one file (DESIGN.md "Output contracts").
struct InspectionReport: Decodable {
    struct Item: Decodable {
        var name: String
        var source: String
        var bytes: Int?
        var value: String?
    }

    struct Thumbnail: Decodable {
        var source: String
        var width: Int?
        var height: Int?
        var byteCount: Int?
        var differsFromImage: Bool?

        enum CodingKeys: String, CodingKey {
            case source, width, height
            case byteCount = "byte_count"
            case differsFromImage = "differs_from_image"
        }
    }

    struct Risk: Decodable {
        var category: String
        var level: String
        var message: String
    }

    var file: String
    var format: String?
    var width: Int?
    var height: Int?
    var orientation: Int?
    var metadata: [String: [Item]]?
    var thumbnails: [Thumbnail]?
    var risks: [Risk]?
    var warnings: [String]?
    var error: String?

    /// The items of one category (empty when the category is missing).
    func items(_ category: String) -> [Item] { metadata?[category] ?? [] }

    /// The categories that hold at least one item.
    var nonEmptyCategories: Set<String> { Set((metadata ?? [:]).filter { !$0.value.isEmpty }.keys) }

    static let categories = ["location", "device", "people", "timestamps", "software", "description", "thumbnails",
                             "text_chunks", "comments", "icc", "trailing_data", "other"]

    static func decodeOne(_ json: String) throws -> InspectionReport {
        try decoder.decode(InspectionReport.self, from: Data(json.utf8))
    }

    static func decodeMany(_ json: String) throws -> [InspectionReport] {
        try decoder.decode([InspectionReport].self, from: Data(json.utf8))
    }

    // No key strategy: it would also rewrite the category names (dictionary keys like "text_chunks").
    private static var decoder: JSONDecoder { JSONDecoder() }
}

/// One line of `backdrop scrub --json`.
struct ScrubLine: Decodable {
    var file: String
    var output: String?
    var format: String?
    var method: String?
    var removed: [String: Int]?
    var kept: [String]?
    var error: String?

    /// Every JSON line of the output.
    static func decodeLines(_ output: String) throws -> [ScrubLine] {
        try output.split(separator: "\n").filter { $0.hasPrefix("{") }.map {
            try JSONDecoder().decode(ScrubLine.self, from: Data($0.utf8))
        }
    }
}
