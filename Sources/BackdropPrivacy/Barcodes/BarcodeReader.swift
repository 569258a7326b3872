import CVision
import BackdropImaging

/// Reads every barcode in a photo with zxing-cpp: carrier barcodes (Code 128, GS1-128, PDF417,
/// MaxiCode), 2-D codes (QR, DataMatrix, Aztec) and retail codes (EAN/UPC), small or at an angle.
enum BarcodeReader {
    /// Decodes every barcode in an 8-bit RGB image (tightly packed, `width * 3` bytes a row).
    ///
    /// A downscaled copy of the whole photo is read for large 2-D symbols, then full-resolution crops
    /// around regions of dense gradients, each turned level, upscaled when small and framed in white.
    /// Linear symbols' boxes cover the bars' full height, not only the lines that were read.
    /// - Returns: The barcodes in the image's pixels, in the order they were found, each once.
    /// - Throws: `BarcodeReadError` for a buffer that does not match the size, or a decoder failure.
    public static func read(rgb: [UInt8], width: Int, height: Int) throws(BarcodeReadError) -> [DecodedBarcode] {
        guard width > 0, height > 0, rgb.count == width * height * 3 else {
            throw .badInput("expected \(max(width, 0) * max(height, 0) * 3) bytes of RGB for a \(width)×\(height) image but got \(rgb.count)")
        }
        var status = cvision_status()
        var barcodes: UnsafeMutablePointer<cvision_barcode>?
        let count = rgb.withUnsafeBufferPointer { pixels in
            cvision_read_barcodes(pixels.baseAddress, Int32(width), Int32(height), width * 3, 3, &barcodes, &status)
        }
        guard count >= 0 else { throw .failed(CVisionStatus.message(status)) }
        defer { cvision_barcodes_free(barcodes, count) }
        guard let barcodes else { return [] }
        return UnsafeBufferPointer(start: barcodes, count: Int(count)).compactMap { decoded($0, width: width, height: height) }
    }

    private static func decoded(_ barcode: cvision_barcode, width: Int, height: Int) -> DecodedBarcode? {
        guard let symbology = Symbology(barcode.symbology) else { return nil }
        // Byte-exact: payloads may carry NUL, GS and RS (MaxiCode and GS1 structure), so use the length.
        let text = barcode.text.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(barcode.text_length)), as: UTF8.self) } ?? ""
        let c = barcode.corners
        let corners = [PixelPoint(x: Double(c.0), y: Double(c.1)), PixelPoint(x: Double(c.2), y: Double(c.3)),
                       PixelPoint(x: Double(c.4), y: Double(c.5)), PixelPoint(x: Double(c.6), y: Double(c.7))]
        return DecodedBarcode(symbology: symbology, text: text, box: PixelBox(enclosing: corners, width: width, height: height),
                              corners: corners)
    }
}

/// Why barcodes could not be read. Never carries pixel data or payloads.
enum BarcodeReadError: Error, Sendable, Equatable, CustomStringConvertible {
    case badInput(String)
    case failed(String)

    public var description: String {
        switch self {
        case .badInput(let why): "cannot read barcodes: \(why)"
        case .failed(let why): "barcode reader failed: \(why)"
        }
    }
}
