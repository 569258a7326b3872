/// Binary masks over a width×height raster (one byte per pixel, 0 or 1) and the two operations the
/// check needs on them: connected regions and a square dilation. Both are linear in the pixel count.
struct PixelMask {
    let width: Int
    let height: Int
    var bits: [UInt8]

    init(width: Int, height: Int, bits: [UInt8]) {
        self.width = width
        self.height = height
        self.bits = bits
    }

    init(width: Int, height: Int) {
        self.init(width: width, height: height, bits: [UInt8](repeating: 0, count: width * height))
    }

    /// A mask of the pixels within `radius` (Chebyshev distance) of a set pixel, as two 1-D running
    /// counts: rows, then columns (the column pass walks rows, so memory is read in order).
    func dilated(by radius: Int) -> PixelMask {
        let w = width, h = height
        var horizontal = [UInt8](repeating: 0, count: w * h)
        var out = [UInt8](repeating: 0, count: w * h)
        bits.withUnsafeBufferPointer { src in
            horizontal.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    let row = y * w
                    var count = 0
                    for x in 0..<min(radius, w) { count += Int(src[row + x]) }
                    for x in 0..<w {
                        if x + radius < w { count += Int(src[row + x + radius]) }
                        if x - radius - 1 >= 0 { count -= Int(src[row + x - radius - 1]) }
                        dst[row + x] = count > 0 ? 1 : 0
                    }
                }
            }
        }
        horizontal.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var counts = [Int32](repeating: 0, count: w)
                counts.withUnsafeMutableBufferPointer { counts in
                    for y in 0..<min(radius, h) {
                        for x in 0..<w { counts[x] += Int32(src[y * w + x]) }
                    }
                    for y in 0..<h {
                        if y + radius < h {
                            let add = (y + radius) * w
                            for x in 0..<w { counts[x] += Int32(src[add + x]) }
                        }
                        if y - radius - 1 >= 0 {
                            let remove = (y - radius - 1) * w
                            for x in 0..<w { counts[x] -= Int32(src[remove + x]) }
                        }
                        let row = y * w
                        for x in 0..<w { dst[row + x] = counts[x] > 0 ? 1 : 0 }
                    }
                }
            }
        }
        return PixelMask(width: w, height: h, bits: out)
    }

    /// The 8-connected regions of the set pixels, found breadth-first with one preallocated queue.
    func regions() -> PixelRegions {
        let w = width, h = height
        var labels = [Int32](repeating: -1, count: w * h)
        var regions: [PixelRegions.Region] = []
        var queue = [Int32](repeating: 0, count: w * h)
        bits.withUnsafeBufferPointer { bits in
            labels.withUnsafeMutableBufferPointer { labels in
                queue.withUnsafeMutableBufferPointer { queue in
                    for start in 0..<(w * h) where bits[start] != 0 && labels[start] < 0 {
                        let label = Int32(regions.count)
                        var region = PixelRegions.Region(start: start % w, start / w)
                        var head = 0, tail = 0
                        labels[start] = label
                        queue[tail] = Int32(start); tail += 1
                        while head < tail {
                            let p = Int(queue[head]); head += 1
                            let x = p % w, y = p / w
                            region.add(x, y)
                            if x == 0 || y == 0 || x == w - 1 || y == h - 1 { region.touchesEdge = true }
                            for dy in -1...1 {
                                let ny = y + dy
                                if ny < 0 || ny >= h { continue }
                                for dx in -1...1 {
                                    let nx = x + dx
                                    if nx < 0 || nx >= w || (dx == 0 && dy == 0) { continue }
                                    let q = ny * w + nx
                                    if bits[q] != 0 && labels[q] < 0 {
                                        labels[q] = label
                                        queue[tail] = Int32(q); tail += 1
                                    }
                                }
                            }
                        }
                        regions.append(region)
                    }
                }
            }
        }
        return PixelRegions(labels: labels, regions: regions)
    }
}

/// Connected regions of a mask: a label per pixel (-1 outside the mask) and each region's extent.
struct PixelRegions {
    struct Region {
        var count = 0
        var minX: Int
        var minY: Int
        var maxX: Int
        var maxY: Int
        var touchesEdge = false

        init(start x: Int, _ y: Int) {
            minX = x; maxX = x; minY = y; maxY = y
        }

        mutating func add(_ x: Int, _ y: Int) {
            count += 1
            if x < minX { minX = x }
            if x > maxX { maxX = x }
            if y < minY { minY = y }
            if y > maxY { maxY = y }
        }

        var width: Int { maxX - minX + 1 }
        var height: Int { maxY - minY + 1 }
        var centreY: Double { Double(minY + maxY) / 2 }
    }

    var labels: [Int32]
    var regions: [Region]
}
