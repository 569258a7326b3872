import CVips

/// An owned libvips image. libvips images are immutable once built and reference counted; this class
/// holds one reference and keeps alive whatever memory the image still reads from (an input buffer).
public final class VipsImage: @unchecked Sendable {
    package let pointer: UnsafeMutablePointer<CVips.VipsImage>
    private let keepAlive: [AnyObject]

    package init(taking pointer: UnsafeMutablePointer<CVips.VipsImage>, keepAlive: [AnyObject] = []) {
        self.pointer = pointer
        self.keepAlive = keepAlive
    }

    deinit { cvips_unref(pointer) }

    public var width: Int { Int(cvips_width(pointer)) }
    public var height: Int { Int(cvips_height(pointer)) }
    public var bands: Int { Int(cvips_bands(pointer)) }
    public var hasAlpha: Bool { cvips_has_alpha(pointer) != 0 }
    /// Number of pages (frames) the loader made available.
    public var pageCount: Int { Int(cvips_n_pages(pointer)) }
    var pageHeight: Int { Int(cvips_page_height(pointer)) }
    package var bandFormat: VipsBandFormat { VipsBandFormat(rawValue: Int32(cvips_band_format(pointer))) }

    /// Runs one libvips operation that produces a new image from this one.
    package func derive(_ operation: (UnsafeMutablePointer<CVips.VipsImage>, UnsafeMutablePointer<UnsafeMutablePointer<CVips.VipsImage>?>) -> Int32) throws(ImageError) -> VipsImage {
        var out: UnsafeMutablePointer<CVips.VipsImage>?
        guard operation(pointer, &out) == 0, let out else { throw .decodeFailed(Vips.takeError()) }
        return VipsImage(taking: out, keepAlive: [self])
    }

    func hasField(_ name: String) -> Bool { cvips_has_field(pointer, name) != 0 }

    func int(_ name: String) -> Int? {
        var value: Int32 = 0
        guard hasField(name), cvips_get_int(pointer, name, &value) == 0 else { return nil }
        return Int(value)
    }

    package func blob(_ name: String) -> [UInt8]? {
        guard hasField(name) else { return nil }
        var data: UnsafeRawPointer?
        var length = 0
        guard cvips_get_blob(pointer, name, &data, &length) == 0, let data else { return nil }
        return Array(UnsafeRawBufferPointer(start: data, count: length))
    }

    /// Every metadata field name libvips holds for this image (basic properties included).
    var fieldNames: [String] {
        guard let list = cvips_get_fields(pointer) else { return [] }
        defer { cvips_strfreev(list) }
        var names: [String] = []
        var index = 0
        while let name = list[index] {
            names.append(String(cString: name))
            index += 1
        }
        return names
    }

    /// A copy of this image with every metadata field removed except `keeping`.
    /// libvips 8.14's `webpsave` ignores `strip`, so removal happens on the image, for every format.
    func removingMetadata(keeping: Set<String> = []) throws(ImageError) -> VipsImage {
        let copy = try derive { cvips_copy($0, $1) }
        for name in copy.fieldNames where !keeping.contains(name) {
            _ = cvips_remove_field(copy.pointer, name)
        }
        return copy
    }

    /// The decoded pixels, row-major, interleaved bands.
    /// libvips computes them straight into the array (no intermediate buffer).
    public func pixelBytes() throws(ImageError) -> [UInt8] {
        let size = cvips_image_size(pointer)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            failed = cvips_write_into(pointer, buffer.baseAddress, size) != 0
            initialized = failed ? 0 : size
        }
        if failed { throw .decodeFailed(Vips.takeError()) }
        return bytes
    }

    /// Makes an 8-bit image from interleaved pixels (1–4 bands).
    public static func fromPixels(_ pixels: [UInt8], width: Int, height: Int, bands: Int) throws(ImageError) -> VipsImage {
        try Vips.ensureStarted()
        guard pixels.count == width * height * bands else {
            throw .encodeFailed("expected \(width * height * bands) bytes for \(width)×\(height)×\(bands) but got \(pixels.count)")
        }
        let made = pixels.withUnsafeBytes { raw in
            cvips_new_from_memory_copy(raw.baseAddress, raw.count, Int32(width), Int32(height), Int32(bands))
        }
        guard let made else { throw .encodeFailed(Vips.takeError()) }
        if bands >= 3 { cvips_set_interpretation_srgb(made) }
        return VipsImage(taking: made)
    }
}

extension VipsImage {
    /// An 8-bit image over `pixels` without a copy (it keeps them alive); they must be filled already.
    package static func wrapping(_ pixels: PinnedBytes, width: Int, height: Int, bands: Int) throws(ImageError) -> VipsImage {
        try Vips.ensureStarted()
        guard pixels.count == width * height * bands else {
            throw .encodeFailed("expected \(width * height * bands) bytes for \(width)×\(height)×\(bands) but got \(pixels.count)")
        }
        guard let made = cvips_new_from_memory(pixels.base, pixels.count, Int32(width), Int32(height), Int32(bands)) else {
            throw .encodeFailed(Vips.takeError())
        }
        if bands >= 3 { cvips_set_interpretation_srgb(made) }
        return VipsImage(taking: made, keepAlive: [pixels])
    }
}

/// Bytes handed to libvips without a copy: libvips reads from them lazily, so they must outlive
/// every image derived from them.
package final class PinnedBytes: @unchecked Sendable {
    package let base: UnsafeMutableRawPointer
    package let count: Int

    /// Uninitialised bytes for the caller to fill before any image reads them.
    package init(count: Int) {
        self.count = count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
    }

    package init(_ bytes: [UInt8]) {
        count = bytes.count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        bytes.withUnsafeBytes { source in
            if let from = source.baseAddress { base.copyMemory(from: from, byteCount: count) }
        }
    }

    deinit { base.deallocate() }
}
