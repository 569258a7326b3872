import COnnxRuntime
import Foundation

/// The ONNX Runtime shared library, found and loaded once per process. Backdrop does not link it:
/// `scripts/setup` fetches a pinned build into `$BACKDROP_RUNTIME` or `~/.cache/backdrop/runtime`,
/// and it is opened with dlopen when a session needs it.
public final class ONNXRuntimeLibrary: @unchecked Sendable {
    /// Where the library was loaded from.
    public let path: String
    /// ONNX Runtime's own version string, e.g. "1.25.1".
    public let version: String
    package let handle: OpaquePointer

    private init(path: String, handle: OpaquePointer) {
        self.path = path
        self.handle = handle
        version = String(cString: connxruntime_version(handle))
    }

    /// The folder searched: `$BACKDROP_RUNTIME` (a folder, or the library file itself), else
    /// `~/.cache/backdrop/runtime`.
    public static var searchLocation: String {
        let environment = ProcessInfo.processInfo.environment
        if let custom = environment["BACKDROP_RUNTIME"], !custom.isEmpty { return custom }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/backdrop/runtime"
    }

    /// The library file in `location`: `libonnxruntime.so` if present, else the newest
    /// `libonnxruntime.so.<version>`; a file path is taken as it is. Nil when there is none.
    public static func find(in location: String = searchLocation) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: location, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else { return location }
        let plain = location + "/libonnxruntime.so"
        if FileManager.default.fileExists(atPath: plain) { return plain }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: location)) ?? []
        let versioned = names.filter { $0.hasPrefix("libonnxruntime.so.") }
        let newest = versioned.max { versionNumbers($0) .lexicographicallyPrecedes(versionNumbers($1)) }
        return newest.map { location + "/" + $0 }
    }

    private static func versionNumbers(_ name: String) -> [Int] {
        name.dropFirst("libonnxruntime.so.".count).split(separator: ".").map { Int($0) ?? 0 }
    }

    /// Loads the library found in `location` (once per path per process).
    /// - Throws: `RuntimeLibraryError` naming the path and the reason, and the setup command.
    public static func load(from location: String = searchLocation) throws(RuntimeLibraryError) -> ONNXRuntimeLibrary {
        guard let path = find(in: location) else { throw .notFound(location: location) }
        return try load(path: path)
    }

    /// Loads the library file at `path` (once per path per process).
    public static func load(path: String) throws(RuntimeLibraryError) -> ONNXRuntimeLibrary {
        let result: Result<ONNXRuntimeLibrary, RuntimeLibraryError> = cache.withLock { loaded in
            if let known = loaded[path] { return known }
            var status = connxruntime_status()
            let outcome: Result<ONNXRuntimeLibrary, RuntimeLibraryError>
            if let handle = connxruntime_load(path, &status) {
                outcome = .success(ONNXRuntimeLibrary(path: path, handle: handle))
            } else {
                outcome = .failure(.unusable(path: path, reason: status.text))
            }
            loaded[path] = outcome
            return outcome
        }
        return try result.get()
    }

    private static let cache = LockedValue<[String: Result<ONNXRuntimeLibrary, RuntimeLibraryError>]>([:])
}

/// Why ONNX Runtime cannot be used. Messages name the place looked at and the command that fixes it.
public enum RuntimeLibraryError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(location: String)
    case unusable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let location):
            "onnxruntime not found at \(location); run scripts/setup to fetch it"
        case .unusable(_, let reason):
            "onnxruntime could not be loaded: \(reason); run scripts/setup to fetch it again"
        }
    }
}

/// A value behind a lock, for the few process-wide caches.
package final class LockedValue<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    package init(_ value: Value) { self.value = value }

    package func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

extension connxruntime_status {
    /// The C message as a Swift string.
    package var text: String {
        withUnsafeBytes(of: message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
