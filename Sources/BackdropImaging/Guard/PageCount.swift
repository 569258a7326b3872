/// How many pages or frames an image holds and their pixels together, read from the container's
/// structure without decoding (TIFF's IFD chain, GIF's blocks, WebP's ANMF chunks), so the Guard can
/// refuse page and frame bombs before any decoder allocates. Stops counting once past the limits.
enum PageCount {
    /// nil for formats with one image (or none that this counts).
    static func read(_ bytes: [UInt8], format: ImageFormat, firstPage: Int) -> (count: Int, pixels: Int)? {
        switch format {
        case .tiff: return tiff(bytes)
        case .gif: return gif(bytes, screen: firstPage)
        case .webp: return webp(bytes, canvas: firstPage)
        default: return nil
        }
    }

    /// Counting stops here: past it the image is refused whatever the rest holds.
    private static let stop = ImageLimits.maximumPages + 1

    /// Classic TIFF: every IFD in the chain, each its ImageWidth × ImageLength (BigTIFF: nil, checked by
    /// libvips' first-page header only).
    private static func tiff(_ b: [UInt8]) -> (count: Int, pixels: Int)? {
        guard b.count >= 8 else { return nil }
        let little = b[0] == 0x49
        func u16(_ i: Int) -> Int? { i + 2 <= b.count ? (little ? Int(b[i]) | Int(b[i + 1]) << 8 : Int(b[i]) << 8 | Int(b[i + 1])) : nil }
        func u32(_ i: Int) -> Int? {
            guard let a = u16(i), let c = u16(i + 2) else { return nil }
            return little ? a | c << 16 : a << 16 | c
        }
        guard u16(2) == 42, var offset = u32(4) else { return nil }
        var count = 0, pixels = 0
        var seen = Set<Int>()
        while offset != 0, count < stop, seen.insert(offset).inserted, let entries = u16(offset) {
            var width = 0, height = 0
            for index in 0..<min(entries, 4096) {
                let entry = offset + 2 + index * 12
                guard let tag = u16(entry), let type = u16(entry + 2) else { break }
                guard tag == 256 || tag == 257 else { continue }
                let value = (type == 3 ? u16(entry + 8) : u32(entry + 8)) ?? 0
                if tag == 256 { width = value } else { height = value }
            }
            count += 1
            let (area, overflow) = width.multipliedReportingOverflow(by: height)
            pixels = overflow ? Int.max : pixels.addingReportingOverflow(area).overflow ? Int.max : pixels + area
            guard let next = u32(offset + 2 + entries * 12) else { break }
            offset = next
        }
        return (count, pixels)
    }

    /// GIF: image descriptors counted by walking the blocks; each frame may repaint the whole logical
    /// screen, so every frame counts as the screen's area.
    private static func gif(_ b: [UInt8], screen: Int) -> (count: Int, pixels: Int)? {
        guard b.count >= 13 else { return nil }
        var i = 13
        if b[10] & 0x80 != 0 { i += 3 << (Int(b[10] & 0x07) + 1) }
        var frames = 0
        func skipSubBlocks(_ start: Int) -> Int? {
            var j = start
            while j < b.count {
                let size = Int(b[j])
                j += 1 + size
                if size == 0 { return j }
            }
            return nil
        }
        while i < b.count, frames < stop {
            switch b[i] {
            case 0x21:
                guard i + 2 <= b.count, let next = skipSubBlocks(i + 2) else { return (frames, frames * screen) }
                i = next
            case 0x2C:
                guard i + 10 <= b.count else { return (frames + 1, (frames + 1) * screen) }
                frames += 1
                var j = i + 10
                if b[i + 9] & 0x80 != 0 { j += 3 << (Int(b[i + 9] & 0x07) + 1) }
                guard let next = skipSubBlocks(j + 1) else { return (frames, frames * screen) }
                i = next
            default:
                return (frames, frames * screen)
            }
        }
        return (frames, frames * screen)
    }

    /// Animated WebP: its ANMF chunks, each counted as the canvas's area.
    private static func webp(_ b: [UInt8], canvas: Int) -> (count: Int, pixels: Int)? {
        var i = 12, frames = 0
        while i + 8 <= b.count, frames < stop {
            let fourCC = String(decoding: b[i..<i + 4], as: UTF8.self)
            let size = Int(b[i + 4]) | Int(b[i + 5]) << 8 | Int(b[i + 6]) << 16 | Int(b[i + 7]) << 24
            if fourCC == "ANMF" { frames += 1 }
            i += 8 + size + (size & 1)
        }
        return frames > 1 ? (frames, frames * canvas) : nil
    }
}
