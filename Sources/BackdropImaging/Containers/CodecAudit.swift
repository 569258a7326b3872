import CCodecs

/// The codecs themselves (libjpeg, zlib, libpng), asked where compressed image data ends and what a
/// decoder actually uses. A container walk sees segment and chunk boundaries; only the codec knows that a
/// scan's entropy-coded data stopped early, that a zlib stream ended before its IDAT did, or which palette
/// entries no pixel uses. Those are the places bytes can ride along in a "lossless" rewrite.
package enum CodecAudit {
    /// What a codec reported beyond success.
    package struct Report: Sendable, Equatable {
        /// Bytes a decoder reads past without using.
        package var hiddenBytes: Int
        /// Other warnings (damaged data), with the first one's text.
        package var warnings: Int
        package var message: String
    }

    package enum Failure: Error, Equatable {
        /// The codec refused the data; the text is the library's (never pixel or metadata values).
        case refused(String)
    }

    /// The JPEG written again from its DCT coefficients (as jpegtran does): the same coefficients,
    /// quantisation tables and sampling, so the same pixels in every decoder, with fresh entropy-coded
    /// data and tables. APP1 and APP2 segments are copied in order; all other APPn and COM are dropped.
    package static func canonicalJPEG(_ bytes: [UInt8]) -> Result<(bytes: [UInt8], report: Report), Failure> {
        var report = cc_report()
        var output: UnsafeMutablePointer<UInt8>?
        var outputLength = 0
        let status = bytes.withUnsafeBufferPointer { buffer in
            cc_jpeg_canonical(buffer.baseAddress, buffer.count, &output, &outputLength, &report)
        }
        defer { cc_free(output) }
        let summary = summary(of: &report)
        guard status == 0, let output else { return .failure(.refused(summary.message)) }
        return .success((Array(UnsafeBufferPointer(start: output, count: outputLength)), summary))
    }

    /// Inflates a PNG's concatenated IDAT payloads: the bytes after the zlib stream's end and the bytes
    /// inflated beyond `expectedSize` (what the rows need) are hidden.
    package static func pngImageData(_ data: [UInt8], expectedSize: Int) -> Result<Report, Failure> {
        var report = cc_report()
        let status = data.withUnsafeBufferPointer { buffer in
            cc_png_image_data(buffer.baseAddress, buffer.count, expectedSize, &report)
        }
        let summary = summary(of: &report)
        return status == 0 ? .success(summary) : .failure(.refused(summary.message))
    }

    /// For a palette PNG, whether each of the 256 possible indices is used by some pixel.
    package static func paletteUsage(_ bytes: [UInt8]) -> Result<[Bool], Failure> {
        var report = cc_report()
        var used = [UInt8](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { buffer in
            used.withUnsafeMutableBufferPointer { usedBuffer in
                cc_png_palette_usage(buffer.baseAddress, buffer.count, usedBuffer.baseAddress, &report)
            }
        }
        guard status == 0 else { return .failure(.refused(summary(of: &report).message)) }
        return .success(used.map { $0 != 0 })
    }

    private static func summary(of report: inout cc_report) -> Report {
        let message = withUnsafeBytes(of: &report.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return Report(hiddenBytes: report.hidden_bytes, warnings: Int(report.warnings), message: message)
    }
}
