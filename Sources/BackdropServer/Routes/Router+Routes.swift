import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Builds the router: the key check in front of everything, then every route of `RouteCatalog`.
public func buildRouter(services: ServerServices) -> Router<ServerContext> {
    let router = Router(context: ServerContext.self)
    router.add(middleware: KeyAuthMiddleware(keys: services.keys))
    router.add(middleware: MethodNotAllowedMiddleware())

    router.get("/") { _, _ in
        Response(status: .ok,
                 headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: WebPage.contentSecurityPolicy,
                           .cacheControl: "no-store", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: WebPage.html)))
    }
    router.get("/healthz") { _, _ in
        let load = await services.admission.load
        return try JobRoutes.json(["status": "ok", "running": load.running, "waiting": load.waiting,
                                   "model_loaded": services.models.isLoaded], status: .ok)
    }
    router.get("/openapi.json") { _, _ in
        try JobRoutes.json(RouteCatalog.openAPIDocument(), status: .ok)
    }
    router.get("/v1/retention") { _, context in
        // Server-wide counts: only a key with the retention scope (or all scopes) sees them.
        guard let key = context.key else { throw ServerError.unauthorized }
        guard key.allows("retention") else { throw ServerError(.forbidden, "this key's scopes do not include retention") }
        return try JobRoutes.json(try await services.retentionReport(), status: .ok)
    }
    for kind in OperationKind.allCases {
        let route = OperationRoute(services: services, kind: kind)
        for name in [kind.rawValue] + kind.deprecatedNames {
            router.post("/v1/\(name)") { request, context in try await route.respond(request, context: context) }
        }
    }
    let jobs = JobRoutes(services: services)
    router.post("/v1/jobs") { request, context in try await jobs.create(request, context: context) }
    router.get("/v1/jobs/{id}") { request, context in try await jobs.status(request, context: context) }
    router.get("/v1/jobs/{id}/results/{name}") { request, context in try await jobs.result(request, context: context) }
    return router
}
