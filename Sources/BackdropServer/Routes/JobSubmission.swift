import BackdropRecipes
import Foundation
import BackdropImaging
import BackdropCutout
import BackdropForms

/// The body of `POST /v1/jobs`, read in either form: `multipart/form-data` with a `recipe` (or
/// `steps`) and file parts, or JSON `{operation, options, files: [{name, data (base64)}]}`.
struct JobSubmission: Sendable {
    var work: JobWork
    var uploads: [(name: String, bytes: [UInt8])]
    var deletesOnDownload: Bool
    /// The key scopes the job needs besides `jobs`.
    var scopes: [String]

    static let maxFiles = 100

    init(body: [UInt8], contentType: String?, configuration: ServerConfiguration, models: ModelCache) throws {
        if MultipartForm.isMultipart(contentType) {
            let form = try MultipartForm(body, contentType: contentType ?? "")
            let (recipe, recipeScopes) = try JobRecipe.make(form, limits: configuration.imageLimits, serverModel: configuration.model)
            let limits = configuration.imageLimits
            work = .recipe(RecipeRunner(recipe: recipe, limits: limits) {
                try models.remover(options: BackgroundRemovalOptions(limits: limits))
            })
            uploads = form.files.filter { !JobRecipe.fieldNames.contains($0.field) }.map { ($0.fileName, $0.bytes) }
            deletesOnDownload = try Self.flag(form.fields["delete_on_download"])
            scopes = recipeScopes
        } else {
            let json = try JSONForm(body)
            guard let kind = OperationKind(name: json.operation) else {
                throw OptionError(option: "operation", expected: OperationKind.allCases.map(\.rawValue).joined(separator: ", "), got: json.operation)
            }
            let options = try OperationOptions(json.options ?? [:], for: kind)
            // Every value checked now (400), not when the first upload runs.
            try OperationRunner(models: models, limits: configuration.imageLimits).validate(kind, options: options)
            work = .operation(kind, options)
            uploads = try json.files.map { file in
                guard let data = Data(base64Encoded: file.data) else { throw OptionError(option: "data", expected: "base64", got: "something else for \(file.name)") }
                return (file.name, Array(data))
            }
            deletesOnDownload = json.deleteOnDownload ?? false
            scopes = [kind.rawValue]
        }
        guard (1...Self.maxFiles).contains(uploads.count) else {
            throw OptionError(option: "files", expected: "1 to \(Self.maxFiles) files", got: "\(uploads.count)")
        }
    }

    private static func flag(_ text: String?) throws(OptionError) -> Bool {
        switch text?.lowercased() {
        case nil, "false", "0", "no": return false
        case "", "true", "1", "yes": return true
        case let other?: throw OptionError(option: "delete_on_download", expected: "true or false", got: other)
        }
    }

    /// The JSON form, which runs one operation over base64 uploads.
    struct JSONForm: Decodable {
        struct Upload: Decodable {
            var name: String
            /// The file, base64.
            var data: String
        }
        var operation: String
        var options: [String: String]?
        var files: [Upload]
        var deleteOnDownload: Bool?

        enum CodingKeys: String, CodingKey {
            case operation, options, files
            case deleteOnDownload = "delete_on_download"
        }

        /// Deepest nesting of `[` and `{` taken (the form needs 3): deeper is refused before decoding.
        static let maximumDepth = 16

        init(_ body: [UInt8]) throws {
            guard Self.depth(of: body) <= Self.maximumDepth else {
                throw ServerError(.badRequest, "the JSON body is nested deeper than \(Self.maximumDepth) levels")
            }
            do {
                self = try JSONDecoder().decode(Self.self, from: Data(body))
            } catch {
                throw ServerError(.badRequest, "expected multipart/form-data with a recipe (or steps) and files, or JSON {\"operation\", "
                                              + "\"options\", \"files\": [{\"name\", \"data\" (base64)}], \"delete_on_download\"}")
            }
        }

        /// The deepest nesting of arrays and objects in a JSON text, strings skipped; it stops counting
        /// once past the limit.
        static func depth(of body: [UInt8]) -> Int {
            var depth = 0, deepest = 0, inString = false, index = 0
            while index < body.count, deepest <= maximumDepth {
                let byte = body[index]
                if inString {
                    if byte == 0x5C { index += 1 } else if byte == 0x22 { inString = false }
                } else if byte == 0x22 {
                    inString = true
                } else if byte == 0x5B || byte == 0x7B {
                    depth += 1
                    deepest = max(deepest, depth)
                } else if byte == 0x5D || byte == 0x7D {
                    depth -= 1
                }
                index += 1
            }
            return deepest
        }
    }
}
