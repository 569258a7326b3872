import Hummingbird
import Logging

/// Lets a request through only with `Authorization: Bearer KEY` for an active key; 401 otherwise.
/// `/healthz` and the web page's own HTML at `/` need no key (the page holds no data and asks for
/// the key itself). Refusals are logged without the key and are not written to the audit log, so an
/// unauthenticated client cannot make the server write to disk.
struct KeyAuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let keys: KeyStore

    static let publicPaths: Set<String> = ["/healthz", "/"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.publicPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.count < 512,
              header.lowercased().hasPrefix("bearer ") else {
            context.logger.notice("refused: no API key", metadata: ["path": "\(request.uri.path)"])
            throw ServerError.unauthorized
        }
        let secret = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let key = try await keys.authenticate(secret) else {
            context.logger.notice("refused: unknown or revoked API key", metadata: ["path": "\(request.uri.path)"])
            throw ServerError.unauthorized
        }
        var context = context
        context.key = key
        return try await next(request, context)
    }
}
