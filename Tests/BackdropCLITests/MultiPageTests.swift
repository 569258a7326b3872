import Foundation
import Testing

/// A multi-page TIFF (scans, catalogues) must come out with every page: re-encoding only the first
/// would silently lose the rest.
@Suite("Multi-page TIFF")
struct MultiPageTests {
    @Test("scrub keeps every page of a TIFF and removes its metadata")
    func keepsEveryPage() throws {
        let directory = try TemporaryDirectory()
        // Two 160×120 pages stacked: the test card twice, written as a two-page TIFF.
        let card = RGBImage.testCard(width: 160, height: 120)
        let stacked = RGBImage(width: 160, height: 240, pixels: card.pixels + card.pixels.reversed())
        let input = directory.path("pages.tif")
        try Vips.write(stacked, as: .tiff, to: input, options: "[page-height=120]")
        #expect(try Vips.header(input.path, field: "n-pages") == "2")
        try ExifTool.write(input, ["-Artist=PLANTEDPAGEOWNER"])

        let out = directory.path("out")
        let run = try Backdrop.run(["scrub", input.path, "-o", out.path])
        #expect(run.exitCode == 0, "\(run.transcript)")
        let output = out.appendingPathComponent("pages.tif")
        #expect(try Vips.header(output.path, field: "n-pages") == "2")
        #expect(try !Data(contentsOf: output).contains(Data("PLANTEDPAGEOWNER".utf8)))
        #expect(try Vips.decode(output) == Vips.decode(input))
    }
}
