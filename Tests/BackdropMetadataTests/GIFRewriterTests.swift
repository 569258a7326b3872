import Foundation
import Testing
@testable import BackdropImaging
@testable import BackdropMetadata
import BackdropTestSupport

@Suite("GIF container rewriter")
struct GIFRewriterTests {
    /// Inserts a comment and an XMP application extension before the first image, and bytes after the trailer.
    static func plantedGIF() throws -> [UInt8] {
        var gif = try TestImages.encoded(.gif)
        let comment: [UInt8] = [0x21, 0xFE, 12] + Array("GIFSECRET-01".utf8) + [0]
        let xmp: [UInt8] = [0x21, 0xFF, 11] + Array("XMP DataXMP".utf8) + [14] + Array("<x>XMPSECRET</".utf8) + [0]
        let firstImage = try #require(firstBlock(0x2C, in: gif))
        gif.insert(contentsOf: comment + xmp, at: firstImage)
        gif += Array("TRAILSECRET".utf8)
        return gif
    }

    /// Finds a block introducer by walking the structure (a raw byte search could hit a colour table).
    static func firstBlock(_ introducer: UInt8, in gif: [UInt8]) -> Int? {
        var offset = 13 + (gif[10] & 0x80 == 0 ? 0 : 3 << (Int(gif[10] & 7) + 1))
        while offset < gif.count {
            if gif[offset] == introducer { return offset }
            guard gif[offset] == 0x21 else { return nil }
            offset += 2
            while offset < gif.count, gif[offset] != 0 { offset += 1 + Int(gif[offset]) }
            offset += 1
        }
        return nil
    }

    @Test func removesCommentsApplicationDataAndTrailingBytesKeepingPixels() throws {
        let planted = try Self.plantedGIF()
        let found = MetadataReader.read(planted, format: .gif)
        #expect(Set(found.items.map(\.category)).isSuperset(of: [.comments, .trailingData]))

        let clean = try ContainerRewriter.rewrite(planted, format: .gif, preserving: PreservedMetadata())
        for secret in ["GIFSECRET", "XMPSECRET", "TRAILSECRET"] {
            #expect(!String(decoding: clean, as: UTF8.self).contains(secret))
        }
        #expect(MetadataReader.read(clean, format: .gif).items.isEmpty)
        let before = try ImageDecoder.decode(try InputGuard.check(planted, path: "a")).pixelBytes()
        let after = try ImageDecoder.decode(try InputGuard.check(clean, path: "b")).pixelBytes()
        #expect(before == after)
    }

    @Test func truncatedGIFIsTruncatedAndGarbageIsNotUnderstood() throws {
        let gif = try TestImages.encoded(.gif, width: 200, height: 100)
        #expect(throws: ContainerRewriteError.self) {
            try ContainerRewriter.rewrite(Array(gif.prefix(gif.count / 2)), format: .gif, preserving: PreservedMetadata())
        }
        do {
            _ = try ContainerRewriter.rewrite(Array(gif.prefix(gif.count / 2)), format: .gif, preserving: PreservedMetadata())
        } catch {
            guard case .truncated = error else {
                Issue.record("expected truncated, got \(error)")
                return
            }
        }
        var garbage = Array(gif.prefix(13 + 768))
        garbage += [0x99, 1, 2, 3]
        #expect(throws: ContainerRewriteError.self) { try ContainerRewriter.rewrite(garbage, format: .gif, preserving: PreservedMetadata()) }
    }
}
