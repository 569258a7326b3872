import BackdropImaging
/// What `backdrop check` found for one image against one marketplace preset: a verdict per rule and
/// the measurements behind them.
public struct ComplianceReport: Sendable {
    /// The rules a preset can define, by their stable identifiers.
    public enum RuleID: String, Sendable, CaseIterable, Codable {
        case format
        case longestSideMin = "longest_side_min"
        case longestSideMax = "longest_side_max"
        case shortestSideMin = "shortest_side_min"
        case aspectRatio = "aspect_ratio"
        case megapixelsMax = "megapixels_max"
        case fileSizeMax = "file_size_max"
        case colorSpace = "color_space"
        case backgroundWhite = "background_white"
        case fillMin = "fill_min"
        case borders
        case overlays
    }

    /// A failed advised rule is a warning, never a failure.
    public enum Status: String, Sendable, Codable { case pass, fail, warn }

    /// One rule's verdict.
    public struct Rule: Sendable {
        public var id: RuleID
        public var level: MarketplacePreset.Level
        public var status: Status
        /// What was measured, for people ("97.1% pure white; the rest is about RGB 254,254,254").
        public var measured: String
        /// The measurement as a number, where one makes sense.
        public var value: Double?
        public var expected: String
        public var note: String?

        /// - Parameter passes: whether the measurement meets the rule; the level turns a miss into `fail` or `warn`.
        init(_ id: RuleID, _ level: MarketplacePreset.Level, passes: Bool, measured: String, value: Double? = nil,
             expected: String, note: String? = nil) {
            self.id = id
            self.level = level
            self.status = passes ? .pass : (level == .required ? .fail : .warn)
            self.measured = measured
            self.value = value
            self.expected = expected
            self.note = note
        }
    }

    public var path: String
    public var preset: MarketplacePreset
    /// Size after EXIF orientation.
    public var width: Int
    public var height: Int
    public var format: ImageFormat
    public var fileBytes: Int
    /// The subject's bounding box against the picture (inside any frame): the larger of its relative width and height.
    public var fill: Double
    /// Share of the background (shadows and the edges next to the product left out) that is exactly RGB 255,255,255.
    public var backgroundPurity: Double
    /// Share of the background taken by shadows and the product's edge band, which purity leaves out.
    public var shadowShare: Double
    /// The subject's bounding box, dust left out.
    public var subjectBox: PixelBox
    public var rules: [Rule]

    /// Whether every required rule passed.
    public var passes: Bool { !rules.contains { $0.status == .fail } }

    public func rule(_ id: RuleID) -> Rule? { rules.first { $0.id == id } }

    /// The identifiers of the rules that failed (warnings not included).
    public var failedRules: Set<RuleID> { Set(rules.filter { $0.status == .fail }.map(\.id)) }
}
