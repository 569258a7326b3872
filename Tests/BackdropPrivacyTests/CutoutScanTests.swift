import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropPrivacy
import BackdropTestSupport
import CVips

/// The privacy gate scans what an export shows: a cut-out only inside its visible pixels, with findings
/// in the whole image's pixels, and nothing from what transparency hides.
@Suite("Scanning a cut-out")
struct CutoutScanTests {
    /// A 1600×1200 RGBA cut-out: the portrait opaque at (`x`, `y`), and a second copy of it far away in
    /// pixels whose alpha is 0 (what a cut-out's transparent background may still hold).
    static func cutout(x: Int, y: Int) throws -> BackdropImaging.VipsImage {
        let portrait = try FaceDetectorTests.astronaut()
        let (width, height) = (1600, 1200)
        var rgba = [UInt8](repeating: 0, count: width * height * 4)
        func paste(atX left: Int, y top: Int, alpha: UInt8) {
            for row in 0..<portrait.height {
                for column in 0..<portrait.width {
                    let from = (row * portrait.width + column) * 3, to = ((top + row) * width + left + column) * 4
                    rgba[to] = portrait.rgb[from]; rgba[to + 1] = portrait.rgb[from + 1]; rgba[to + 2] = portrait.rgb[from + 2]
                    rgba[to + 3] = alpha
                }
            }
        }
        paste(atX: 40, y: 40, alpha: 0)
        paste(atX: x, y: y, alpha: 255)
        return try BackdropImaging.VipsImage.fromPixels(rgba, width: width, height: height, bands: 4)
    }

    @Test("findings are in the whole image's pixels; a face under alpha 0 is not reported")
    func visiblePartOnly() throws {
        let (x, y) = (900, 600)
        let result = try PrivacyScanner(options: ScanOptions(kinds: [.face])).scan(image: try Self.cutout(x: x, y: y))
        #expect(result.width == 1600 && result.height == 1200)
        let faces = result.findings.filter { $0.kind == .face }
        try #require(faces.count == 1, "\(faces.map(\.box))")
        let box = faces[0].box
        let centre = (x: Double(box.x) + Double(box.width) / 2, y: Double(box.y) + Double(box.height) / 2)
        #expect(abs(centre.x - (Double(x) + FaceDetectorTests.faceCentre.x)) < 20, "\(box)")
        #expect(abs(centre.y - (Double(y) + FaceDetectorTests.faceCentre.y)) < 25, "\(box)")
    }

    @Test("the same findings as the flattened whole image")
    func sameAsFlattened() throws {
        let image = try Self.cutout(x: 700, y: 500)
        let flat = try image.derive { cvips_flatten_white($0, $1) }.derive { cvips_cast_uchar($0, $1) }
        let scanner = PrivacyScanner(options: ScanOptions(kinds: [.face]))
        let cropped = try scanner.scan(image: image).findings.map(\.box)
        let whole = try scanner.scan(rgb: try flat.pixelBytes(), width: flat.width, height: flat.height).findings.map(\.box)
        try #require(cropped.count == 1 && whole.count == 1, "\(cropped) vs \(whole)")
        #expect(abs(cropped[0].x - whole[0].x) <= 3 && abs(cropped[0].y - whole[0].y) <= 3, "\(cropped) vs \(whole)")
        #expect(abs(cropped[0].width - whole[0].width) <= 6 && abs(cropped[0].height - whole[0].height) <= 6, "\(cropped) vs \(whole)")
    }

    @Test("a wholly transparent image has nothing to report")
    func transparent() throws {
        let image = try BackdropImaging.VipsImage.fromPixels([UInt8](repeating: 0, count: 64 * 48 * 4), width: 64, height: 48, bands: 4)
        let result = try PrivacyScanner().scan(image: image)
        #expect(result.findings.isEmpty && result.width == 64 && result.height == 48)
    }

    @Test("the quick depth (the gate's) still finds an upright portrait in a cut-out")
    func quickFindsUprightFace() throws {
        let result = try PrivacyScanner(options: ScanOptions(kinds: [.face], depth: .quick)).scan(image: try Self.cutout(x: 300, y: 200))
        #expect(result.findings.filter { $0.kind == .face }.count == 1, "\(result.findings.map(\.box))")
    }
}
