import BackdropRecipes
import Foundation
import BackdropImaging
import BackdropCutout

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
            guard let kind = OperationKind(rawValue: json.operation) else {
                throw OptionError(option: "operation", expected: OperationKind.allCases.map(\.rawValue).joined(separator: ", "), got: json.operation)
            }
            work = .operation(kind, try OperationOptions(json.options ?? [:], for: kind))
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

        init(_ body: [UInt8]) throws {
            do {
                self = try JSONDecoder().decode(Self.self, from: Data(body))
            } catch {
                throw ServerError(.badRequest, "expected multipart/form-data with a recipe (or steps) and files, or JSON {\"operation\", "
                                              + "\"options\", \"files\": [{\"name\", \"data\" (base64)}], \"delete_on_download\"}")
            }
        }
    }
}
