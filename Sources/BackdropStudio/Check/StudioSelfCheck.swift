import BackdropImaging

/// `studio` measures its own finished shot exactly as `backdrop check` measures any file: the same
/// decode, background analysis and rules, on the bytes written. A shot is never called fine, and no fill
/// is printed, that `check` on the same file would contradict.
public enum StudioSelfCheck {
    /// The check of the finished shot against its preset.
    public static func check(_ bytes: [UInt8], preset: MarketplacePreset, path: String,
                             limits: ImageLimits = .default) throws(ImageError) -> ComplianceReport {
        try ComplianceCheck(preset: preset).check(try InputGuard.check(bytes, path: path, limits: limits))
    }

    /// The required rules the shot fails, for a person: `fill_min 0.684 (needs ≥ 0.850)`.
    public static func failures(_ report: ComplianceReport) -> [String] {
        report.rules.filter { $0.status == .fail }.map { "\($0.id.rawValue) \($0.measured) (needs \($0.expected))" }
    }
}
