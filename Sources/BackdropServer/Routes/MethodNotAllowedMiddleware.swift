import HTTPTypes
import Hummingbird

/// A known path asked with a method it does not take answers 405 with `Allow` (RFC 9110), not 404:
/// the paths and methods are `RouteCatalog`'s, the same table the router and the OpenAPI document use.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    /// Each catalogued path as segments (`{id}` matches any one segment), with the methods it takes.
    private static let paths: [(segments: [Substring], methods: [String])] = Dictionary(grouping: RouteCatalog.entries, by: \.path)
        .map { path, entries in (path.split(separator: "/"), Set(entries.map(\.method)).sorted()) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let segments = request.uri.path.split(separator: "/")
        let method = request.method.rawValue
        if method != "HEAD", method != "OPTIONS",
           let known = Self.paths.first(where: { Self.matches(segments, $0.segments) }), !known.methods.contains(method) {
            let allow = known.methods.joined(separator: ", ")
            throw ServerError(.methodNotAllowed, "this path takes \(allow)", allow: allow)
        }
        return try await next(request, context)
    }

    private static func matches(_ segments: [Substring], _ pattern: [Substring]) -> Bool {
        segments.count == pattern.count && zip(segments, pattern).allSatisfy { $1.hasPrefix("{") || $0 == $1 }
    }
}
