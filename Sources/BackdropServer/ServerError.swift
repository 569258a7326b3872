import BackdropRecipes
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import NIOCore
import BackdropImaging
import BackdropCutout
import BackdropMockup
import BackdropPrivacy

/// Every error a route answers with, mapped to its HTTP status in this one place. The body is
/// `{"error": "..."}`; messages never hold metadata values, OCR text or pixels (the modules' errors don't).
struct ServerError: HTTPResponseError {
    var status: HTTPResponse.Status
    var message: String
    var retryAfter: Int?
    /// The methods a path takes, for a 405's `Allow` header.
    var allow: String?

    init(_ status: HTTPResponse.Status, _ message: String, retryAfter: Int? = nil, allow: String? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
        self.allow = allow
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        if let allow { headers[.allow] = allow }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        let body = JSONLine.encode(["error": message])
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static let unauthorized = ServerError(.unauthorized, "a valid API key is required: Authorization: Bearer KEY")
    static let notFound = ServerError(.notFound, "not found")

    /// The status and message for an error thrown while serving `operation`.
    static func from(_ error: any Error, retryAfter: Int) -> ServerError {
        switch error {
        case let error as ServerError:
            return error
        case let error as ImageError:
            switch error {
            case .tooManyBytes, .tooManyPixels: return ServerError(.contentTooLarge, error.description)
            case .unsupportedFormat, .polyglot: return ServerError(.unsupportedMediaType, error.description)
            case .encodeFailed, .writeFailed: return ServerError(.internalServerError, error.description)
            default: return ServerError(.unprocessableContent, error.description)
            }
        case let error as OptionError:
            return ServerError(.badRequest, error.description)
        case let error as RecipeError:
            return ServerError(.badRequest, error.description)
        case let error as TemplateError:
            return ServerError(.badRequest, error.description)
        case let error as PrivacyBlocked:
            return ServerError(.unprocessableContent, error.description)
        case let refusal as AdmissionControl.Refusal:
            return refusal == .keyAtLimit
                ? ServerError(.tooManyRequests, "this key already has the most operations running or queued; retry later", retryAfter: retryAfter)
                : ServerError(.serviceUnavailable, "the server is busy; retry later", retryAfter: retryAfter)
        case let slow as UploadTooSlow:
            return ServerError(.requestTimeout, slow.message)
        case is WorkTimedOut:
            return ServerError(.serviceUnavailable, "the operation took longer than the server's time limit", retryAfter: retryAfter)
        case is NIOTooManyBytesError:
            return ServerError(.contentTooLarge, "the request body is over the server's limit")
        case let error as ModelError:
            return ServerError(.serviceUnavailable, "the segmentation model is not available: \(error)")
        case is DatabaseError:
            return ServerError(.internalServerError, "the server's database failed")
        default:
            return ServerError(.internalServerError, "internal error")
        }
    }
}
