import BackdropImaging
import Foundation

/// Deterministic "random" bytes (SplitMix64), so a corrupt fixture is the same on every run.
struct SeededBytes {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            let z = generator.next()
            withUnsafeBytes(of: z) { out.append(contentsOf: $0.prefix(count - out.count)) }
        }
        return out
    }
}

/// Files that must be refused, each made from scratch.
enum BadFiles {
    static func jpegBytes(in folder: URL, width: Int = 320, height: Int = 240) throws -> [UInt8] {
        let url = folder.appendingPathComponent(".source-\(UUID().uuidString).jpg")
        defer { try? FileManager.default.removeItem(at: url) }
        try Vips.write(.testCard(width: width, height: height), as: .jpeg, to: url)
        return try url.bytes()
    }

    static func pngBytes(in folder: URL, width: Int = 320, height: Int = 240) throws -> [UInt8] {
        let url = folder.appendingPathComponent(".source-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: url) }
        try Vips.write(.testCard(width: width, height: height), as: .png, to: url)
        return try url.bytes()
    }

    /// A PNG whose structure is sound (signature, IHDR, CRCs, IEND) but whose IDAT is noise: corrupt,
    /// not truncated.
    static func corruptPNG() -> [UInt8] {
        var random = SeededBytes(seed: 42)
        let ihdr: [UInt8] = [0, 0, 0, 64, 0, 0, 0, 48, 8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + Containers.pngChunk(type: "IHDR", data: ihdr)
            + Containers.pngChunk(type: "IDAT", data: random.next(3000))
            + Containers.pngChunk(type: "IEND", data: [])
    }

    /// The JPEG signature, then noise.
    static func corruptJPEG() -> [UInt8] {
        var random = SeededBytes(seed: 7)
        return [0xFF, 0xD8, 0xFF, 0xE0] + random.next(4000)
    }

    /// A 4×4 24-bit Windows bitmap.
    static func bmp() -> [UInt8] {
        let width = 4, height = 4, rowSize = 12, pixelBytes = rowSize * height
        func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 24) & 0xFF)] }
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        var bytes: [UInt8] = Array("BM".utf8) + le32(54 + pixelBytes) + le32(0) + le32(54)
        bytes += le32(40) + le32(width) + le32(height) + le16(1) + le16(24) + le32(0) + le32(pixelBytes)
        bytes += le32(2835) + le32(2835) + le32(0) + le32(0)
        bytes += [UInt8](repeating: 0x80, count: pixelBytes)
        return bytes
    }

    static let svg = Array("""
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/></svg>
        """.utf8)

    static let pdf = Array("""
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """.utf8)

    /// A Photoshop header ("8BPS", version 1, 3 channels, 64×64, 8-bit RGB) and some data.
    static func psd() -> [UInt8] {
        Array("8BPS".utf8) + [0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 64, 0, 0, 0, 64, 0, 8, 0, 3]
            + [UInt8](repeating: 0, count: 200)
    }

    /// A JPEG with a COM segment right after SOI holding a PDF header: a PDF reader finds "%PDF" in
    /// the first 1 KB and opens the file as a PDF.
    static func pdfPolyglot(in folder: URL) throws -> [UInt8] {
        try Containers.insertingJPEGSegment(marker: 0xFE, payload: Array("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n".utf8),
                                            into: jpegBytes(in: folder))
    }

    /// A JPEG whose COM segment holds HTML with script: a browser sniffing the bytes may run it.
    static func htmlPolyglot(in folder: URL) throws -> [UInt8] {
        try Containers.insertingJPEGSegment(marker: 0xFE, payload: Array("<html><body><script>alert(1)</script></body></html>".utf8),
                                            into: jpegBytes(in: folder))
    }

    /// A JPEG with a ZIP archive appended (made by Python's zipfile, as `unzip` would read it).
    static func zipPolyglot(in folder: URL) throws -> [UInt8] {
        let scratch = folder.appendingPathComponent(".zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let text = scratch.appendingPathComponent("payload.txt")
        try Data("hidden payload\n".utf8).write(to: text)
        let zip = scratch.appendingPathComponent("payload.zip")
        try CommandRunner.tool("python3", ["-m", "zipfile", "-c", zip.path, text.path], workingDirectory: scratch)
        return try jpegBytes(in: folder) + zip.bytes()
    }

    /// A 30000×30000 8-bit grey PNG of zeros: under 1 MB on disk, 900 MB decoded.
    static func decompressionBomb(at url: URL) throws {
        let script = """
            import zlib, struct, sys
            w = h = 30000
            def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
            c = zlib.compressobj(9); row = b'\\0' * (1 + w)
            parts = [c.compress(row) for _ in range(h)]; parts.append(c.flush())
            ihdr = struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)
            open(sys.argv[1], 'wb').write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', b''.join(parts)) + chunk(b'IEND', b''))
            """
        try CommandRunner.tool("python3", ["-c", script, url.path])
    }
}
