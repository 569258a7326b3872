/// Why a container could not be rewritten losslessly.
///
/// The associated text names the reason and a byte offset, never a metadata value.
public enum ContainerRewriteError: Error, Sendable, Equatable {
    /// The container holds something outside the rewriter's allowlist of structure it understands.
    ///
    /// The caller falls back to a full re-encode, never to a copy: an unknown block may hold metadata.
    case notUnderstood(String)
    /// The file ends before the image does; the caller reports the file as truncated.
    case truncated(String)
}

extension ContainerRewriteError: CustomStringConvertible {
    /// A human description naming the reason.
    public var description: String {
        switch self {
        case .notUnderstood(let reason): "container not understood: \(reason)"
        case .truncated(let reason): "file is truncated: \(reason)"
        }
    }
}
