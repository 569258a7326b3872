import Foundation
import Testing

/// The formats the scrub matrix covers, with how libvips writes a fixture in each.
enum TestFormat: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case jpeg, png, webp, tiff, heic, avif, gif

    var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .tiff: "tif"
        default: rawValue
        }
    }

    /// libvips save options for the fixture (lossy WebP, as cameras and phones write it).
    var saveOptions: String {
        switch self {
        case .jpeg: "[Q=92]"
        case .webp: "[Q=90]"
        case .heic: "[Q=90]"
        case .avif: "[Q=90]"
        default: ""
        }
    }

    /// Whether `backdrop scrub` keeps this format and rewrites the container without decoding.
    var isScrubbedLosslessly: Bool { self == .jpeg || self == .png || self == .webp }

    /// Whether the codec itself loses nothing, which sets the PSNR bar on the re-encode path.
    var isLosslessCodec: Bool { self == .png || self == .tiff || self == .gif }

    var testDescription: String { rawValue }
}

/// Thin wrappers over the `vips` command-line tool: an encoder and decoder independent of Backdrop.
enum Vips {
    /// Writes `image` as `format` to `url` through a PPM and `vips copy`.
    static func write(_ image: RGBImage, as format: TestFormat, to url: URL, options: String? = nil) throws {
        let source = url.deletingLastPathComponent().appendingPathComponent(".\(UUID().uuidString).ppm")
        try image.ppm.write(to: source)
        defer { try? FileManager.default.removeItem(at: source) }
        try CommandRunner.tool("vips", ["copy", source.path, url.path + (options ?? format.saveOptions)])
    }

    /// Decodes any image libvips reads to 8-bit RGB (alpha flattened on black, grey expanded), with
    /// the EXIF orientation applied when `autorotate` is set.
    static func decode(_ url: URL, autorotate: Bool = false) throws -> RGBImage {
        let scratch = url.deletingLastPathComponent().appendingPathComponent(".decode-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var current = url.path
        // Load the first page only; `[0]` would be rejected by loaders without pages, so copy to .v first.
        let loaded = scratch.appendingPathComponent("loaded.v").path
        try CommandRunner.tool("vips", ["copy", current, loaded])
        current = loaded
        if autorotate {
            let rotated = scratch.appendingPathComponent("rotated.v").path
            try CommandRunner.tool("vips", ["autorot", current, rotated])
            current = rotated
        }
        let bands = try header(current, field: "bands")
        if bands == "2" || bands == "4" {
            let flat = scratch.appendingPathComponent("flat.v").path
            try CommandRunner.tool("vips", ["flatten", current, flat])
            current = flat
        }
        if bands == "1" || bands == "2" {
            let colour = scratch.appendingPathComponent("srgb.v").path
            try CommandRunner.tool("vips", ["colourspace", current, colour, "srgb"])
            current = colour
        }
        if try header(current, field: "format") != "uchar" {
            let cast = scratch.appendingPathComponent("cast.v").path
            try CommandRunner.tool("vips", ["cast", current, cast, "uchar"])
            current = cast
        }
        let ppm = scratch.appendingPathComponent("out.ppm")
        try CommandRunner.tool("vips", ["copy", current, ppm.path])
        return try RGBImage(ppm: Data(contentsOf: ppm))
    }

    /// One header field as text, e.g. `width`, `bands`, `format`.
    static func header(_ path: String, field: String) throws -> String {
        try CommandRunner.tool("vipsheader", ["-f", field, path]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Width and height as stored (no orientation applied).
    static func size(of url: URL) throws -> (width: Int, height: Int) {
        let width = try header(url.path, field: "width"), height = try header(url.path, field: "height")
        guard let w = Int(width), let h = Int(height) else { throw CommandError(description: "vipsheader gave \(width)×\(height)") }
        return (w, h)
    }
}
