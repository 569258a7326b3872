import Foundation
import Testing

/// Issue 20, item 2: one spelling for one idea. `--background` takes the same values in remove-bg and
/// studio (white, #RGB, #RRGGBB, CSS names, gradient:A,B, image:PATH; transparent in remove-bg);
/// remove-bg's `--output` names the output as everywhere else, its older `--output KIND` still works.
@Suite("One vocabulary: --background, --mask, --output")
struct VocabularyTests {
    @Test("remove-bg --background: a CSS name, #RGB and a gradient are what the file shows around the product")
    func removeBackgroundBackgrounds() throws {
        let directory = try TemporaryDirectory()
        let photo = directory.path("photo.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: photo)
        // (background, output name, expected top-right corner, expected bottom-right corner); the product
        // sits left of centre, so the right edge is background from top to bottom.
        let cases: [(String, String, (Int, Int, Int), (Int, Int, Int))] = [
            ("grey", "grey.png", (128, 128, 128), (128, 128, 128)),
            ("#F80", "orange.png", (255, 136, 0), (255, 136, 0)),
            ("gradient:white,navy", "gradient.png", (255, 255, 255), (0, 0, 128)),
        ]
        for (background, name, top, bottom) in cases {
            let out = directory.path(name)
            let run = try Backdrop.run(["remove-bg", photo.path, "--background", background, "-o", out.path, "--privacy-gate", "off"])
            #expect(run.exitCode == 0, "\(background): \(run.transcript)")
            let image = try Vips.decode(out)
            func near(_ pixel: (UInt8, UInt8, UInt8), _ expected: (Int, Int, Int)) -> Bool {
                abs(Int(pixel.0) - expected.0) <= 2 && abs(Int(pixel.1) - expected.1) <= 2 && abs(Int(pixel.2) - expected.2) <= 2
            }
            let topRight = image[image.width - 2, 1], bottomRight = image[image.width - 2, image.height - 2]
            #expect(near(topRight, top), "\(background): top right shows \(topRight), expected \(top)")
            #expect(near(bottomRight, bottom), "\(background): bottom right shows \(bottomRight), expected \(bottom)")
        }
    }

    @Test("remove-bg --mask writes the mask; --output names the file when -o is not given")
    func maskAndOutput() throws {
        let directory = try TemporaryDirectory()
        let photo = directory.path("photo.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: photo)
        let mask = directory.path("mask.png")
        let run = try Backdrop.run(["remove-bg", photo.path, "--mask", "--output", mask.path, "--privacy-gate", "off"])
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(try Vips.header(mask.path, field: "bands") == "1", "the mask should be one band")
        #expect(!run.standardError.contains("older spelling"), "\(run.standardError)")
    }

    @Test("the older --output KIND still works and says what to write instead")
    func olderSpelling() throws {
        let directory = try TemporaryDirectory()
        let photo = directory.path("photo.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: photo)
        let out = directory.path("white.jpg")
        let run = try Backdrop.run(["remove-bg", photo.path, "--output", "color:#FFFFFF", "-o", out.path, "--privacy-gate", "off"])
        #expect(run.exitCode == 0, "\(run.transcript)")
        #expect(run.standardError.contains("--background #FFFFFF"), "\(run.standardError)")
        let image = try Vips.decode(out)
        #expect(image[image.width - 2, 1] == (255, 255, 255))
    }

    @Test("studio --background takes the same colours: a CSS name and #RGB")
    func studioBackgrounds() throws {
        let directory = try TemporaryDirectory()
        let photo = directory.path("photo.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: photo)
        for (background, expected) in [("lightgrey", 211), ("#EEE", 238)] {
            let out = directory.path("shot-\(expected).png")
            let run = try Backdrop.run(["studio", photo.path, "--preset", "shopify", "--background", background, "--shadow", "none",
                                        "-o", out.path, "--privacy-gate", "off"])
            #expect(run.exitCode == 0, "\(background): \(run.transcript)")
            let corner = try Vips.decode(out)[2, 2]
            #expect(corner == (UInt8(expected), UInt8(expected), UInt8(expected)), "\(background): the corner shows \(corner)")
        }
    }

    static let misuses: [Misuse] = [
        Misuse(label: "--mask with --background", arguments: ["remove-bg", "IN", "--mask", "--background", "white", "-o", "OUT"], mentions: "--background"),
        Misuse(label: "--output KIND with --background", arguments: ["remove-bg", "IN", "--output", "mask", "--background", "white", "-o", "OUT"], mentions: "older spelling"),
        Misuse(label: "an unknown colour", arguments: ["remove-bg", "IN", "--background", "blurple", "-o", "OUT"], mentions: "blurple"),
        Misuse(label: "-o and --output naming two places", arguments: ["remove-bg", "IN", "-o", "OUT", "--output", "elsewhere"], mentions: "elsewhere"),
        Misuse(label: "no -o at all", arguments: ["remove-bg", "IN"], mentions: "-o"),
        Misuse(label: "studio on transparency", arguments: ["studio", "IN", "--preset", "amazon", "--background", "transparent", "-o", "OUT"], mentions: "remove-bg"),
        Misuse(label: "studio: an unknown colour", arguments: ["studio", "IN", "--preset", "amazon", "--background", "blurple", "-o", "OUT"], mentions: "blurple"),
    ]

    @Test("mixed or unknown spellings are usage errors that write nothing", arguments: misuses)
    func refused(misuse: Misuse) throws {
        let directory = try TemporaryDirectory()
        let photo = directory.path("in.jpg")
        try Vips.write(ProductPhoto.offCentre.image, as: .jpeg, to: photo)
        let out = directory.path("out")
        let run = try Backdrop.run(misuse.arguments.map { $0 == "IN" ? photo.path : $0 == "OUT" ? out.path : $0 })
        #expect(run.exitCode == 1, "\(misuse.label): \(run.transcript)")
        #expect(run.standardError.contains(misuse.mentions), "\(misuse.label): \(run.standardError)")
        #expect(FileManager.default.relativeTree(of: directory.url) == ["in.jpg"], "\(misuse.label) wrote something")
    }
}
