/// The kinds of metadata an image can carry, grouped by what they reveal.
public enum MetadataCategory: String, Sendable, Codable, CaseIterable, Comparable {
    /// GPS coordinates, altitude, place names (city, country, sublocation).
    case location
    /// Camera and lens make, model and serial numbers, maker notes, unique image IDs.
    case device
    /// Owner, artist, author, creator, by-line, contact details, copyright holder.
    case people
    /// Capture, digitisation and modification times.
    case timestamps
    /// Software, host computer, editing history, document IDs.
    case software
    /// Titles, descriptions, captions, keywords, user comments.
    case description
    /// Embedded thumbnails and previews (JPEG in EXIF IFD1, JFIF, Photoshop, MPF, TIFF sub-images).
    case thumbnails
    /// PNG tEXt, zTXt and iTXt chunks.
    case textChunks = "text_chunks"
    /// JPEG COM segments and GIF comment extensions.
    case comments
    /// ICC colour profiles.
    case icc
    /// Bytes after the end of the image (after JPEG EOI, PNG IEND, the RIFF size, the GIF trailer).
    case trailingData = "trailing_data"
    /// Bytes inside the image's own structure that no decoder uses: past a segment's or chunk's fields,
    /// after the compressed data's end, in tables or palette entries nothing refers to.
    case hiddenData = "hidden_data"
    /// Anything else not needed to decode the pixels: unknown segments, chunks, boxes, extensions.
    case other

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One piece of metadata found in a file. The value is private: it is shown only when the caller asks.
public struct MetadataItem: Sendable, Codable, Equatable {
    public var category: MetadataCategory
    /// The tag or field name, e.g. `GPSLatitude`, `BodySerialNumber`, `XPAuthor`, `dc:creator`, `tEXt:Comment`.
    public var name: String
    /// Where it sits: `exif`, `gps`, `xmp`, `iptc`, `jfif`, `photoshop`, `png`, `jpeg`, `webp`, `gif`, `tiff`, `heif`, `icc`.
    public var source: String
    /// The value rendered as text (may be long); nil for binary data.
    public var value: String?
    /// The size in bytes of the field or block, where that is meaningful.
    public var byteCount: Int?

    public init(category: MetadataCategory, name: String, source: String, value: String? = nil, byteCount: Int? = nil) {
        self.category = category
        self.name = name
        self.source = source
        self.value = value
        self.byteCount = byteCount
    }
}

/// An embedded thumbnail or preview image found inside the file.
public struct EmbeddedThumbnail: Sendable, Equatable {
    /// Where it was found, e.g. `exif IFD1`, `jfif`, `photoshop`, `mpf`, `tiff IFD1`.
    public var source: String
    /// The encoded image bytes (normally a JPEG), if they could be extracted.
    public var data: [UInt8]?
    public var width: Int?
    public var height: Int?

    public init(source: String, data: [UInt8]?, width: Int? = nil, height: Int? = nil) {
        self.source = source
        self.data = data
        self.width = width
        self.height = height
    }
}

/// Everything the metadata reader found in one file's bytes.
public struct MetadataFindings: Sendable, Equatable {
    public var items: [MetadataItem] = []
    public var thumbnails: [EmbeddedThumbnail] = []
    /// EXIF orientation 1...8 (1 when absent or invalid).
    public var orientation: Int = 1
    /// The EXIF (or IPTC/XMP) copyright notice, kept only with `--keep copyright`.
    public var copyright: String?
    /// The embedded ICC profile, whole.
    public var iccProfile: [UInt8]?
    /// Problems met while parsing (a damaged EXIF block, say); parsing goes on past them.
    public var warnings: [String] = []
    /// Raw bytes of tag values the reader may still render as text. A crafted file can point
    /// thousands of tags at one long string; past this budget tags are reported without values, so
    /// the work per file stays bounded.
    var valueBytesBudget = 1 << 20

    public init() {}
}
