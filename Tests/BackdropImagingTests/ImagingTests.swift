import Foundation
import Testing
@testable import BackdropImaging
import BackdropTestSupport

@Suite("Imaging: decode with orientation, encode without metadata")
struct ImagingTests {
    @Test func decodeAppliesOrientationToThePixels() throws {
        let jpeg = try TestImages.encoded(.png, width: 40, height: 20)
        let rotated = try ContainerRewriter.rewrite(jpeg, format: .png, preserving: PreservedMetadata(orientation: 6))
        let input = try InputGuard.check(rotated, path: "x")
        let upright = try ImageDecoder.decode(input)
        #expect(upright.width == 20 && upright.height == 40)
        // Orientation 6 = rotate 90° clockwise: the bright top-left corner lands top-right.
        let pixels = try upright.pixelBytes()
        let topRight = (0 * 20 + 19) * upright.bands
        let topLeft = 0
        #expect(pixels[topRight] == 250)
        #expect(pixels[topLeft] != 250)
    }

    @Test(arguments: ImageFormat.allCases)
    func encodeRoundTripsEveryFormat(format: ImageFormat) throws {
        let bytes = try TestImages.encoded(format)
        let decoded = try ImageDecoder.decode(try InputGuard.check(bytes, path: "x"))
        #expect(decoded.width == 64 && decoded.height == 48)
    }

    @Test func truncatedFilesAreReportedAsTruncatedOrCorrupt() throws {
        let bytes = try TestImages.encoded(.png, width: 200, height: 200)
        let cut = Array(bytes.prefix(bytes.count * 6 / 10))
        let input = try InputGuard.check(cut, path: "x")
        #expect(throws: ImageError.self) { try ImageDecoder.decode(input) }
    }
}
