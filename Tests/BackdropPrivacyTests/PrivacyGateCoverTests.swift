import BackdropImaging
@testable import BackdropPrivacy
import Testing

@Suite("Privacy gate: covering an export")
struct PrivacyGateCoverTests {
    @Test("grey, grey+alpha, RGB and RGBA exports are covered in sRGB, alpha kept", arguments: [1, 2, 3, 4])
    func coversEveryLayout(bands: Int) throws {
        let (w, h) = (120, 80)
        var pixels = [UInt8](repeating: 200, count: w * h * bands)
        if bands == 2 || bands == 4 {
            for i in stride(from: bands - 1, to: pixels.count, by: bands) { pixels[i] = 255 }
        }
        let png = try ImageEncoder.encode(try VipsImage.fromPixels(pixels, width: w, height: h, bands: bands), options: EncodeOptions(format: .png))
        let input = try InputGuard.check(png, path: "export.png")
        let covered = try PrivacyGate.cover(input, boxes: [PixelBox(x: 40, y: 30, width: 30, height: 20)], style: .fill,
                                            format: .png, quality: nil)
        let image = try ImageDecoder.decode(try InputGuard.check(covered, path: "covered.png"))
        #expect(image.bands == (bands == 2 || bands == 4 ? 4 : 3))
        let out = try image.pixelBytes()
        let inside = (40 * w + 55) * image.bands, outside = (5 * w + 5) * image.bands
        #expect(out[inside] == Redactor.fillColour.0 && out[inside + 2] == Redactor.fillColour.2)
        #expect(out[outside] == 200)
        if image.bands == 4 { #expect(out[inside + 3] == 255) }
    }
}
