import ArgumentParser
import Foundation
import BackdropImaging

/// What `-o OUT` means, the same in every command: when a command makes one output, `-o` may name the
/// file and its extension chooses the format; otherwise, or when OUT is an existing folder or ends in
/// "/", OUT is a folder (created if absent). Nothing is ever written under an extension that does not
/// match its content, and no folder is made with an image's name.
enum OutputTarget {
    /// The format an image file name asks for ("cut.jpg" → JPEG), or nil when OUT is a folder: an
    /// existing folder, a name ending in "/", or a name without an image extension.
    static func fileFormat(_ out: String) -> ImageFormat? {
        guard !out.hasSuffix("/") else { return nil }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue { return nil }
        return format(forExtension: (out as NSString).pathExtension)
    }

    /// The format written under an extension (".heif" is HEIC, the common case).
    static func format(forExtension ext: String) -> ImageFormat? {
        switch ext.lowercased() {
        case "jpg", "jpeg", "jpe", "jfif", "jif": .jpeg
        case "png": .png
        case "webp": .webp
        case "tif", "tiff": .tiff
        case "heic", "heif", "hif": .heic
        case "avif": .avif
        case "gif": .gif
        default: nil
        }
    }

    /// `--format`'s value as a format ("jpg" is JPEG), or nil when it names none.
    static func parse(_ name: String) -> ImageFormat? {
        format(forExtension: name)
    }

    /// The format to write: the one `-o`'s extension asks for, else `--format`'s; both given and
    /// different is a usage error naming both. nil when neither asks (the command's default applies).
    /// - Parameters:
    ///   - allowed: the formats this command writes, in the order its help lists them.
    static func format(out: String?, formatOption: String?, allowed: [ImageFormat]) throws -> ImageFormat? {
        let expected = Self.list(allowed)
        var requested: ImageFormat?
        if let formatOption {
            guard let format = parse(formatOption), allowed.contains(format) else {
                throw ValidationError(OptionError(option: "format", expected: expected, got: formatOption).description)
            }
            requested = format
        }
        guard let out, let named = fileFormat(out) else { return requested }
        guard allowed.contains(named) else {
            throw ValidationError("-o \(out) asks for \(named.displayName) by its extension, but this command writes \(expected); name a .\(allowed[0].fileExtension) file or a folder")
        }
        if let requested, requested != named {
            throw ValidationError("-o \(out) asks for \(named.displayName) by its extension but --format \(formatOption ?? "") asks for \(requested.displayName); give one, or make them agree")
        }
        return named
    }

    /// Refuses `-o` naming one file when the command will make several outputs: several inputs, or a
    /// folder among them (a usage error, before anything is read or written).
    static func requireOneOutput(out: String?, inputs: [String], outputs: Int? = nil) throws {
        guard let out, let named = fileFormat(out) else { return }
        var isDirectory: ObjCBool = false
        let folder = inputs.first { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue }
        let count = outputs ?? inputs.count
        if count > 1 || folder != nil {
            let what = folder.map { "\($0) is a folder" } ?? "this makes \(count) files"
            throw ValidationError("-o \(out) names one \(named.displayName) file, but \(what); give a folder for -o (it is created if missing)")
        }
    }

    /// Refuses an image file name for a command whose output is always a folder (batch, template create).
    static func requireFolder(out: String, what: String) throws {
        if let named = fileFormat(out) {
            throw ValidationError("-o \(out) looks like a \(named.displayName) file, but \(what) writes a folder; give a folder name (it is created if missing)")
        }
    }

    static func list(_ formats: [ImageFormat]) -> String {
        let names = formats.map(\.rawValue)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

extension ImageFormat {
    /// The name a person knows the format by.
    var displayName: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        case .tiff: "TIFF"
        case .heic: "HEIC"
        case .avif: "AVIF"
        case .gif: "GIF"
        }
    }
}
