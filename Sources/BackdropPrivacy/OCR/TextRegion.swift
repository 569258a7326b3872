import CVision
import Foundation
import BackdropImaging

/// A block of text the region finder located: a rotated rectangle in image pixels whose `width` runs
/// along the text, and the typical height of its marks.
struct TextRegion: Sendable {
    var raw: cvision_text_region

    var angle: Double { Double(raw.angle) }
    var textHeight: Double { Double(raw.text_height) }
    var area: Double { Double(raw.width) * Double(raw.height) }
    /// Lines cut from one block share this number.
    var block: Int { Int(raw.block) }
    /// A rectangle about one mark high holds one line: Tesseract reads it best as a single line. One line
    /// with its margins is at most ~1.75 marks high; two lines whose ascenders and descenders merged
    /// into one blob measure ~2.1 (and read as garbage when taken for one line).
    var isSingleLine: Bool { Double(raw.height) < 2 * textHeight }

    /// The axis-aligned box around the rotated rectangle.
    var boundingBox: PixelBox {
        let radians = angle * .pi / 180
        let halfW = Double(raw.width) / 2, halfH = Double(raw.height) / 2
        let extentX = abs(cos(radians)) * halfW + abs(sin(radians)) * halfH
        let extentY = abs(sin(radians)) * halfW + abs(cos(radians)) * halfH
        let cx = Double(raw.center_x), cy = Double(raw.center_y)
        return PixelBox(x: Int((cx - extentX).rounded(.down)), y: Int((cy - extentY).rounded(.down)),
                        width: Int((2 * extentX).rounded(.up)), height: Int((2 * extentY).rounded(.up)))
    }

    /// Text-like blocks in the image, largest first, searched at most `searchSide` pixels on the long side.
    static func find(rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int, searchSide: Int,
                     limit: Int) throws(TextReaderError) -> [TextRegion] {
        var regions = [cvision_text_region](repeating: cvision_text_region(), count: limit)
        var status = cvision_status()
        let count = cvision_find_text_regions(rgb.baseAddress, Int32(width), Int32(height), width * 3,
                                              Int32(searchSide), &regions, Int32(limit), &status)
        guard count >= 0 else { throw .engineFailed(CVisionStatus.message(status)) }
        return regions.prefix(Int(count)).map(TextRegion.init(raw:))
    }
}

/// A straightened, scaled, black-on-white grey crop of a region and the way back to the image.
struct TextCrop {
    var pixels: [UInt8]
    var width: Int
    var height: Int
    /// Crop pixel → image pixel (2×3 affine, row-major).
    var toImage: [Double]

    init(rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int, region: TextRegion, scale: Double,
         quarterTurns: Int, padding: Int) throws(TextReaderError) {
        var raw = region.raw
        var crop = cvision_text_crop()
        var status = cvision_status()
        guard cvision_make_text_crop(rgb.baseAddress, Int32(width), Int32(height), width * 3, &raw, scale,
                                     Int32(quarterTurns), Int32(padding), &crop, &status) == 0,
              let pixels = crop.pixels
        else { throw .engineFailed(CVisionStatus.message(status)) }
        defer { cvision_text_crop_free(&crop) }
        self.width = Int(crop.width)
        self.height = Int(crop.height)
        self.pixels = Array(UnsafeBufferPointer(start: pixels, count: self.width * self.height))
        self.toImage = withUnsafeBytes(of: crop.to_image) { Array($0.bindMemory(to: Double.self)) }
    }

    /// Maps a crop point into the image.
    func imagePoint(x: Double, y: Double) -> PixelPoint {
        PixelPoint(x: toImage[0] * x + toImage[1] * y + toImage[2], y: toImage[3] * x + toImage[4] * y + toImage[5])
    }
}

enum CVisionStatus {
    static func message(_ status: cvision_status) -> String {
        withUnsafeBytes(of: status.message) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
