import Foundation
import Testing
@testable import BackdropCutout

/// The confidence's reasons are shown to sellers: every share they state is a real share.
@Suite("Confidence reasons")
struct ConfidenceReasonTests {
    /// The percentages in a sentence.
    static func percentages(_ text: String) -> [Double] {
        text.split(separator: " ").compactMap { word in
            word.hasSuffix("%") ? Double(word.dropLast()) : nil
        }
    }

    /// Nothing opaque, everything partly transparent, the network unsure everywhere
    /// (seen on a 9999 × 9999 grey PNG, which said "200% of the cut-out is partly transparent").
    @Test func noReasonStatesMoreThanAHundredPercent() {
        var s = CutoutConfidence.Signals()
        s.softShare = 2
        s.hesitation = 1
        s.certainty = 0
        s.coverage = 0.3
        s.networkArea = 0.3
        let (_, reasons) = CutoutConfidence.score(s)
        #expect(reasons.contains { $0.contains("partly transparent") }, "\(reasons)")
        for reason in reasons {
            for share in Self.percentages(reason) { #expect(share >= 0 && share <= 100, "\(reason)") }
        }
    }
}
