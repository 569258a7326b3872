import Hummingbird

/// The request context: Hummingbird's core storage plus the API key that authenticated the request.
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `KeyAuthMiddleware` on every route but the public ones.
    public var key: APIKey?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// Bodies are read by the routes themselves, against the server's own limit.
    public var maxUploadSize: Int { 256 * 1024 * 1024 }
}
