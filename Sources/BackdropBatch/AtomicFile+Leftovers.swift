import Foundation
import BackdropImaging

extension AtomicFile {
    /// Removes the temporary files that writes cut short left in `directory` and below it (a run killed
    /// mid-write leaves `.NAME.backdrop-XXXXXX`); the targets themselves were never touched.
    /// - Returns: how many were removed.
    @discardableResult
    public static func removeLeftovers(in directory: String) -> Int {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return 0 }
        var removed = 0
        for case let relative as String in enumerator {
            let name = (relative as NSString).lastPathComponent
            guard isTemporaryName(name) else { continue }
            if (try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(relative))) != nil {
                removed += 1
            }
        }
        return removed
    }

    /// `.NAME.backdrop-XXXXXX`, as `write` names its temporary file (mkstemp's six characters).
    static func isTemporaryName(_ name: String) -> Bool {
        guard name.hasPrefix("."), let marker = name.range(of: ".backdrop-", options: .backwards) else { return false }
        return name[marker.upperBound...].count == 6 && marker.lowerBound > name.index(after: name.startIndex)
    }
}
