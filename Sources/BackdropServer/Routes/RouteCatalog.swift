import Foundation

/// Every route the server registers, with what the OpenAPI document says about it. `buildRouter`
/// registers from this table, and a test checks the router's routes against the document.
enum RouteCatalog {
    struct Entry: Sendable {
        var method: String
        /// OpenAPI style: `/v1/jobs/{id}`.
        var path: String
        var summary: String
        var operation: OperationKind?
        var needsKey = true
        var responseType = "application/json"
        /// An older name kept working (OpenAPI `deprecated`).
        var isDeprecated = false
    }

    static let entries: [Entry] = [
        Entry(method: "GET", path: "/", summary: "The web page: drop photos, pick an operation, see before and after.", needsKey: false,
              responseType: "text/html"),
        Entry(method: "GET", path: "/healthz", summary: "Liveness: ok, and how busy the server is.", needsKey: false),
        Entry(method: "GET", path: "/openapi.json", summary: "This document."),
        Entry(method: "GET", path: "/v1/retention", summary: "What the server stores, where, and when it goes."),
        Entry(method: "POST", path: "/v1/jobs", summary: "Start an async job: a recipe (or steps) and files as multipart/form-data, or JSON {operation, options, files: [{name, data (base64)}], delete_on_download}."),
        Entry(method: "GET", path: "/v1/jobs/{id}", summary: "A job's status and results (only for the key that made it)."),
        Entry(method: "GET", path: "/v1/jobs/{id}/results/{name}", summary: "One result of a job, decrypted.", responseType: "application/octet-stream"),
    ] + OperationKind.allCases.flatMap { kind in
        [Entry(method: "POST", path: "/v1/\(kind.rawValue)", summary: kind.summary, operation: kind,
               responseType: kind.returnsImage ? "image/*" : "application/json")]
            + kind.deprecatedNames.map { name in
                Entry(method: "POST", path: "/v1/\(name)", summary: "Deprecated: the older name of /v1/\(kind.rawValue), which it runs.",
                      operation: kind, responseType: kind.returnsImage ? "image/*" : "application/json", isDeprecated: true)
            }
    }

    /// The OpenAPI 3.1 document for `entries`.
    static func openAPIDocument() -> [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for entry in entries {
            var operation: [String: Any] = [
                "summary": entry.summary,
                "operationId": operationID(entry),
                "responses": responses(entry),
            ]
            if !entry.needsKey { operation["security"] = [[String: Any]]() }
            if entry.isDeprecated { operation["deprecated"] = true }
            var parameters: [[String: Any]] = pathParameters(entry.path)
            if let kind = entry.operation {
                parameters += kind.options.map { option in
                    ["name": option.name, "in": "query", "required": option.isRequired, "description": option.help,
                     "schema": ["type": option.kind.rawValue]]
                }
                parameters.append(["name": "name", "in": "query", "required": false, "description": "The upload's file name, for reports.",
                                   "schema": ["type": "string"]])
                let formFields = Dictionary(uniqueKeysWithValues: kind.options.map { ($0.name, ["type": $0.kind.rawValue]) })
                operation["requestBody"] = [
                    "required": true,
                    "description": "The image file itself (JPEG, PNG, WebP, TIFF, HEIC/HEIF, AVIF, GIF), or a form with a file part and the options as fields.",
                    "content": [
                        "application/octet-stream": ["schema": ["type": "string", "format": "binary"]],
                        "multipart/form-data": ["schema": ["type": "object", "required": ["file"],
                                                           "properties": formFields.merging(["file": ["type": "string", "format": "binary"]]) { a, _ in a }]],
                    ],
                ]
            }
            if entry.path == "/v1/jobs" && entry.method == "POST" {
                operation["requestBody"] = ["required": true, "content": ["multipart/form-data": ["schema": recipeJobSchema],
                                                                          "application/json": ["schema": jobSchema]]]
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            paths[entry.path, default: [:]][entry.method.lowercased()] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Backdrop local studio server", "version": "0.1.0",
                     "description": "Product images made and cleaned on the seller's own machine. Every route but /healthz and / needs Authorization: Bearer KEY (backdrop keys create)."],
            "servers": [["url": "/"]],
            "security": [["bearerAuth": [String]()]],
            "components": ["securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer"]]],
            "paths": paths,
        ]
    }

    /// The multipart form: one of recipe and steps, and every other file part an upload.
    private static var recipeJobSchema: [String: Any] { [
        "type": "object", "required": ["file"],
        "description": "Give recipe or steps (not both). Every file part other than recipe is an upload; each runs through the recipe's steps and every output becomes a result named by the recipe's name: pattern.",
        "properties": [
            "recipe": ["type": "string", "description": "A recipe in YAML as for backdrop batch (docs/batch.md), as a field or a file part. Errors answer 400 naming the line: recipe.yml:LINE: …"],
            "steps": ["type": "string", "description": "Steps without a recipe, as backdrop batch --steps takes them: scrub,scan:redact,remove-bg,studio:amazon,mockup:tshirt"],
            "delete_on_download": ["type": "boolean"],
            "file": ["type": "array", "items": ["type": "string", "format": "binary"], "description": "The images (any part name but recipe, steps, delete_on_download)."],
        ],
    ] }

    private static var jobSchema: [String: Any] { [
        "type": "object", "required": ["operation", "files"],
        "properties": [
            "operation": ["type": "string", "enum": OperationKind.allCases.map(\.rawValue) + OperationKind.allCases.flatMap(\.deprecatedNames)],
            "options": ["type": "object", "additionalProperties": ["type": "string"]],
            "files": ["type": "array", "items": ["type": "object", "required": ["name", "data"],
                                                  "properties": ["name": ["type": "string"], "data": ["type": "string", "contentEncoding": "base64"]]]],
            "delete_on_download": ["type": "boolean"],
        ],
    ] }

    private static func operationID(_ entry: Entry) -> String {
        let words = entry.path.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        return entry.method.lowercased() + words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    private static func pathParameters(_ path: String) -> [[String: Any]] {
        path.split(separator: "/").filter { $0.hasPrefix("{") && $0.hasSuffix("}") }.map { part in
            ["name": String(part.dropFirst().dropLast()), "in": "path", "required": true, "schema": ["type": "string"]]
        }
    }

    private static func responses(_ entry: Entry) -> [String: Any] {
        var responses: [String: Any] = ["200": ["description": "OK", "content": [entry.responseType: [String: Any]()]]]
        if entry.path == "/v1/jobs" { responses = ["202": ["description": "Accepted; poll the Location"]] }
        if entry.needsKey {
            responses["401"] = ["description": "No key, or an unknown or revoked key"]
            if entry.path != "/openapi.json" { responses["403"] = ["description": "The key's scopes do not include this operation"] }
        }
        if entry.path.contains("{id}") { responses["404"] = ["description": "No such job for this key (or it expired)"] }
        responses["405"] = ["description": "The path exists, but not with this method (see Allow)"]
        if entry.operation != nil || entry.path == "/v1/jobs" {
            responses["400"] = ["description": "A bad option, form or recipe"]
            responses["408"] = ["description": "The upload arrived too slowly, or not within the server's upload time limit"]
            responses["413"] = ["description": "Body over the size limit, or image over the pixel limit"]
            responses["415"] = ["description": "Not an image format the server takes, or a polyglot (an image that is also a PDF, ZIP or web page)"]
            responses["429"] = ["description": "This key has too many operations, uploads or jobs running; see Retry-After"]
            responses["503"] = ["description": "The server is busy or the operation timed out; see Retry-After"]
        }
        if entry.operation != nil {
            responses["422"] = ["description": "The image is damaged or cannot be processed, or the privacy gate blocked it"]
        }
        return responses
    }
}
