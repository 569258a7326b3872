import Foundation
import Testing

/// Issue 20, item 1: `-o` means one thing everywhere. One output: `-o` may name the file and its extension
/// chooses the format (checked here by exiftool's FileType, which reads the bytes, and by Backdrop reading
/// its own file back). Several outputs: `-o` is a folder. A name that cannot be honoured is a usage error
/// that writes nothing. Nothing is ever written under an extension that does not match its content.
@Suite("-o names the file or the folder")
struct OutputNamingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        /// `IN` is a JPEG photo of a product, `DESIGN` a PNG design, `OUT` the output's name (in a fresh folder).
        var arguments: [String]
        var out: String
        /// exiftool's FileType of the output.
        var fileType: String
        var testDescription: String { label }
    }

    static let singles: [Case] = [
        Case(label: "remove-bg -o cut.webp", arguments: ["remove-bg", "IN", "-o", "OUT"], out: "cut.webp", fileType: "WEBP"),
        Case(label: "remove-bg -o cut.avif", arguments: ["remove-bg", "IN", "-o", "OUT"], out: "cut.avif", fileType: "AVIF"),
        Case(label: "remove-bg --output color -o white.jpg", arguments: ["remove-bg", "IN", "--output", "color:#FFFFFF", "-o", "OUT"],
             out: "white.jpg", fileType: "JPEG"),
        Case(label: "remove-bg --output mask -o mask.jpeg", arguments: ["remove-bg", "IN", "--output", "mask", "-o", "OUT"],
             out: "mask.jpeg", fileType: "JPEG"),
        Case(label: "studio --preset etsy -o shot.png", arguments: ["studio", "IN", "--preset", "etsy", "-o", "OUT"], out: "shot.png", fileType: "PNG"),
        Case(label: "studio --preset shopify -o shot.webp", arguments: ["studio", "IN", "--preset", "shopify", "-o", "OUT"], out: "shot.webp", fileType: "WEBP"),
        Case(label: "scrub a JPEG -o clean.png", arguments: ["scrub", "IN", "-o", "OUT"], out: "clean.png", fileType: "PNG"),
        Case(label: "scrub a JPEG -o clean.JPG (lossless)", arguments: ["scrub", "IN", "-o", "OUT"], out: "clean.JPG", fileType: "JPEG"),
        Case(label: "redact a JPEG -o covered.png", arguments: ["redact", "IN", "-o", "OUT"], out: "covered.png", fileType: "PNG"),
        Case(label: "redact a JPEG -o covered.webp", arguments: ["redact", "IN", "-o", "OUT"], out: "covered.webp", fileType: "WEBP"),
        Case(label: "mockup one design on one template -o mug.png",
             arguments: ["mockup", "DESIGN", "--template", "mug", "--size", "600", "-o", "OUT"], out: "mug.png", fileType: "PNG"),
        Case(label: "mockup --design (old spelling) -o poster.webp",
             arguments: ["mockup", "--design", "DESIGN", "--template", "mug", "--size", "600", "-o", "OUT"], out: "poster.webp", fileType: "WEBP"),
    ]

    @Test("one output: -o names the file, and its extension is the format written", arguments: singles)
    func fileNameChoosesFormat(single: Case) throws {
        let directory = try TemporaryDirectory()
        let (photo, design) = try inputs(in: directory)
        let out = directory.path("made").appendingPathComponent(single.out)
        let run = try Backdrop.run(single.arguments.map { $0 == "IN" ? photo.path : $0 == "DESIGN" ? design.path : $0 == "OUT" ? out.path : $0 }
                                   + ["--privacy-gate", "off"].filter { _ in ["remove-bg", "studio", "mockup"].contains(single.arguments[0]) })
        #expect(run.exitCode == 0, "\(single.label): \(run.transcript)")
        #expect(FileManager.default.relativeTree(of: directory.url.appendingPathComponent("made")) == [single.out],
                "\(single.label): made/ holds \(FileManager.default.relativeTree(of: directory.url.appendingPathComponent("made")))")
        let type = try CommandRunner.tool("exiftool", ["-s3", "-FileType", out.path]).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        // exiftool says "Extended WEBP" for a WebP with a VP8X header (alpha).
        #expect(type == single.fileType || type == "Extended " + single.fileType, "\(single.label): \(single.out) holds \(type)")
        // Backdrop reads its own file back (it refuses a file whose extension does not match its content).
        let back = try Backdrop.run(["inspect", out.path])
        #expect(back.exitCode == 0, "\(single.label): \(back.transcript)")
    }

    static let refusals: [Misuse] = [
        Misuse(label: "a transparent cut-out named .jpg", arguments: ["remove-bg", "IN", "-o", "OUT/cut.jpg"], mentions: "transparent"),
        Misuse(label: "-o's extension against --format", arguments: ["remove-bg", "IN", "-o", "OUT/cut.png", "--format", "webp"], mentions: "--format webp"),
        Misuse(label: "a format remove-bg does not write", arguments: ["remove-bg", "IN", "-o", "OUT/cut.gif"], mentions: "cut.gif"),
        Misuse(label: "studio: -o shot.png with --format jpeg", arguments: ["studio", "IN", "--preset", "amazon", "-o", "OUT/shot.png", "--format", "jpeg"], mentions: "shot.png"),
        Misuse(label: "scrub: -o clean.png with --format webp", arguments: ["scrub", "IN", "-o", "OUT/clean.png", "--format", "webp"], mentions: "clean.png"),
        Misuse(label: "redact: -o one file for two inputs", arguments: ["redact", "IN", "IN2", "-o", "OUT/covered.jpg"], mentions: "folder"),
        Misuse(label: "remove-bg: -o one file for a folder", arguments: ["remove-bg", "FOLDER", "-o", "OUT/cut.png"], mentions: "is a folder"),
        Misuse(label: "scrub: -o one file for two inputs", arguments: ["scrub", "IN", "IN2", "-o", "OUT/clean.jpg"], mentions: "2 files"),
        Misuse(label: "mockup: -o one file for two designs", arguments: ["mockup", "IN", "IN2", "--template", "mug", "-o", "OUT/mug.jpg"], mentions: "2 files"),
        Misuse(label: "mockup: -o one file for two templates", arguments: ["mockup", "IN", "--template", "mug,t-shirt", "-o", "OUT/mug.jpg"], mentions: "2 files"),
        Misuse(label: "batch writes a folder", arguments: ["batch", "--steps", "scrub", "FOLDER", "-o", "OUT/shots.jpg"], mentions: "batch writes a folder"),
        Misuse(label: "template create writes a folder",
               arguments: ["template", "create", "--base", "IN", "--quad", "10,10,100,10,100,100,10,100", "-o", "OUT/mug.png"], mentions: "writes a folder"),
    ]

    @Test("an -o that cannot be honoured is a usage error naming why, and nothing is written", arguments: refusals)
    func refused(misuse: Misuse) throws {
        let directory = try TemporaryDirectory()
        let (photo, _) = try inputs(in: directory)
        let second = directory.path("second.jpg")
        try Vips.write(.testCard(width: 64, height: 48), as: .jpeg, to: second)
        let folder = directory.path("folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Vips.write(.testCard(width: 64, height: 48), as: .jpeg, to: folder.appendingPathComponent("a.jpg"))
        let before = FileManager.default.relativeTree(of: directory.url)
        let out = directory.path("made").path
        let arguments = misuse.arguments.map {
            $0 == "IN" ? photo.path : $0 == "IN2" ? second.path : $0 == "FOLDER" ? folder.path : $0.replacingOccurrences(of: "OUT", with: out)
        }
        let run = try Backdrop.run(arguments)
        #expect(run.exitCode == 1, "\(misuse.label): \(run.transcript)")
        #expect(run.standardError.contains(misuse.mentions), "\(misuse.label): the message should mention '\(misuse.mentions)': \(run.standardError)")
        #expect(FileManager.default.relativeTree(of: directory.url) == before, "\(misuse.label) wrote something")
    }

    @Test("several outputs, a trailing slash, or a name without an image extension: -o is a folder, created if absent")
    func folders() throws {
        let directory = try TemporaryDirectory()
        let (photo, design) = try inputs(in: directory)
        let second = directory.path("second.jpg")
        try Vips.write(.testCard(width: 64, height: 48), as: .jpeg, to: second)

        let two = try Backdrop.run(["scrub", photo.path, second.path, "-o", directory.path("clean").path])
        #expect(two.exitCode == 0, "\(two.transcript)")
        #expect(FileManager.default.relativeTree(of: directory.url.appendingPathComponent("clean")) == ["photo.jpg", "second.jpg"])

        let slash = try Backdrop.run(["redact", photo.path, "-o", directory.path("covered.jpg").path + "/"])
        #expect(slash.exitCode == 0, "\(slash.transcript)")
        #expect(FileManager.default.relativeTree(of: directory.url.appendingPathComponent("covered.jpg")) == ["photo.jpg"])

        let mockups = try Backdrop.run(["mockup", design.path, "--template", "mug,t-shirt", "--size", "600", "--privacy-gate", "off",
                                        "-o", directory.path("mockups").path])
        #expect(mockups.exitCode == 0, "\(mockups.transcript)")
        #expect(FileManager.default.relativeTree(of: directory.url.appendingPathComponent("mockups")) == ["design-mug.jpg", "design-t-shirt.jpg"])
    }

    /// A product photo (JPEG) and a design (PNG with transparency).
    private func inputs(in directory: TemporaryDirectory) throws -> (photo: URL, design: URL) {
        let photo = directory.path("photo.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: photo)
        let design = directory.path("design.png")
        try FileManager.default.copyItem(at: Backdrop.packageRoot.appendingPathComponent("samples/designs/logo.png"), to: design)
        return (photo, design)
    }
}
