/// What the reader knows about EXIF/TIFF tags: which reveal something about a person, and how to show them.
///
/// Structural and camera-setting tags (image size, compression, exposure, ISO, colour space) are listed
/// only so they can be left out: they say nothing about who, where or when.
enum ExifTagCatalog {
    /// How a tag's value is rendered beyond its TIFF type.
    enum Rendering: Sendable {
        case standard
        /// Windows `XP*` tags: UTF-16LE text stored as BYTE.
        case utf16LittleEndian
        /// `UserComment` and GPS text tags: an 8-byte character-code prefix, then text.
        case characterCoded
        /// Opaque blocks (maker notes): size only.
        case binary
    }

    struct Tag: Sendable {
        let name: String
        let category: MetadataCategory
        var rendering: Rendering = .standard
    }

    /// The directory a tag sits in; GPS and interoperability tags reuse small numbers.
    enum Directory: Sendable {
        case image, exif, gps, interoperability
    }

    /// The catalog entry to report for `tag` in `directory`, or nil when the tag is technical.
    static func lookup(_ tag: UInt16, in directory: Directory) -> Tag? {
        switch directory {
        case .gps:
            // Every GPS tag places the picture, even GPSVersionID on its own.
            let name = gpsNames[tag] ?? "GPSTag\(MetadataText.hex(tag))"
            let rendering: Rendering = tag == 0x1B || tag == 0x1C ? .characterCoded : .standard
            return Tag(name: name, category: .location, rendering: rendering)
        case .interoperability:
            return nil
        case .image, .exif:
            if let known = tags[tag] { return known }
            if isTechnical(tag) || tag < 0x8000 { return nil }
            return Tag(name: "Tag\(MetadataText.hex(tag))", category: .other)
        }
    }

    static let orientation: UInt16 = 0x0112
    static let exifPointer: UInt16 = 0x8769
    static let gpsPointer: UInt16 = 0x8825
    static let interoperabilityPointer: UInt16 = 0xA005
    static let subIFDs: UInt16 = 0x014A
    static let thumbnailOffset: UInt16 = 0x0201
    static let thumbnailLength: UInt16 = 0x0202
    static let imageWidth: UInt16 = 0x0100
    static let imageHeight: UInt16 = 0x0101
    static let newSubfileType: UInt16 = 0x00FE
    static let xmp: UInt16 = 700
    static let iptc: UInt16 = 33723
    static let photoshop: UInt16 = 34377
    static let iccProfile: UInt16 = 34675
    static let copyright: UInt16 = 0x8298

    private static let tags: [UInt16: Tag] = [
        0x000B: Tag(name: "ProcessingSoftware", category: .software),
        0x010D: Tag(name: "DocumentName", category: .description),
        0x010E: Tag(name: "ImageDescription", category: .description),
        0x010F: Tag(name: "Make", category: .device),
        0x0110: Tag(name: "Model", category: .device),
        0x0112: Tag(name: "Orientation", category: .other),
        0x011D: Tag(name: "PageName", category: .description),
        0x0131: Tag(name: "Software", category: .software),
        0x0132: Tag(name: "DateTime", category: .timestamps),
        0x013B: Tag(name: "Artist", category: .people),
        0x013C: Tag(name: "HostComputer", category: .software),
        0x4746: Tag(name: "Rating", category: .other),
        0x4749: Tag(name: "RatingPercent", category: .other),
        0x8298: Tag(name: "Copyright", category: .people),
        0x882A: Tag(name: "TimeZoneOffset", category: .timestamps),
        0x9003: Tag(name: "DateTimeOriginal", category: .timestamps),
        0x9004: Tag(name: "DateTimeDigitized", category: .timestamps),
        0x9010: Tag(name: "OffsetTime", category: .timestamps),
        0x9011: Tag(name: "OffsetTimeOriginal", category: .timestamps),
        0x9012: Tag(name: "OffsetTimeDigitized", category: .timestamps),
        0x9211: Tag(name: "ImageNumber", category: .device),
        0x927C: Tag(name: "MakerNote", category: .device, rendering: .binary),
        0x9286: Tag(name: "UserComment", category: .description, rendering: .characterCoded),
        0x9290: Tag(name: "SubSecTime", category: .timestamps),
        0x9291: Tag(name: "SubSecTimeOriginal", category: .timestamps),
        0x9292: Tag(name: "SubSecTimeDigitized", category: .timestamps),
        0x9C9B: Tag(name: "XPTitle", category: .description, rendering: .utf16LittleEndian),
        0x9C9C: Tag(name: "XPComment", category: .description, rendering: .utf16LittleEndian),
        0x9C9D: Tag(name: "XPAuthor", category: .people, rendering: .utf16LittleEndian),
        0x9C9E: Tag(name: "XPKeywords", category: .description, rendering: .utf16LittleEndian),
        0x9C9F: Tag(name: "XPSubject", category: .description, rendering: .utf16LittleEndian),
        0xA004: Tag(name: "RelatedSoundFile", category: .description),
        0xA420: Tag(name: "ImageUniqueID", category: .device),
        0xA430: Tag(name: "CameraOwnerName", category: .people),
        0xA431: Tag(name: "BodySerialNumber", category: .device),
        0xA432: Tag(name: "LensSpecification", category: .device),
        0xA433: Tag(name: "LensMake", category: .device),
        0xA434: Tag(name: "LensModel", category: .device),
        0xA435: Tag(name: "LensSerialNumber", category: .device),
        0xA436: Tag(name: "ImageTitle", category: .description),
        0xA437: Tag(name: "Photographer", category: .people),
        0xA438: Tag(name: "ImageEditor", category: .people),
        0xA439: Tag(name: "CameraFirmware", category: .device),
        0xA43A: Tag(name: "RAWDevelopingSoftware", category: .software),
        0xA43B: Tag(name: "ImageEditingSoftware", category: .software),
        0xA43C: Tag(name: "MetadataEditingSoftware", category: .software),
        0xC614: Tag(name: "UniqueCameraModel", category: .device),
        0xC615: Tag(name: "LocalizedCameraModel", category: .device),
        0xC62F: Tag(name: "CameraSerialNumber", category: .device),
        0xC634: Tag(name: "DNGPrivateData", category: .device, rendering: .binary),
        0xC68B: Tag(name: "OriginalRawFileName", category: .description),
        0xC716: Tag(name: "PreviewApplicationName", category: .software),
        0xC717: Tag(name: "PreviewApplicationVersion", category: .software),
        0xC71B: Tag(name: "PreviewDateTime", category: .timestamps),
    ]

    /// Known private-range tags that only describe pixels or exposure; everything else ≥ 0x8000 is reported.
    private static func isTechnical(_ tag: UInt16) -> Bool {
        switch tag {
        case 0x828D, 0x828E, 0x829A, 0x829D, 0x83BB, 0x8649, 0x8769, 0x8773, 0x87AF, 0x87B0, 0x87B1,
             0x8822, 0x8824, 0x8825, 0x8827, 0x8828, 0x8829, 0x882B, 0x8830...0x8835,
             0x9000, 0x9101, 0x9102, 0x9201...0x920A, 0x9214, 0x9400...0x9405,
             0xA000...0xA003, 0xA005, 0xA20B, 0xA20C, 0xA20E...0xA210, 0xA214, 0xA215, 0xA217,
             0xA300...0xA302, 0xA401...0xA40C, 0xA460...0xA462, 0xA500, 0xEA1C, 0xEA1D:
            true
        case 0xC612...0xCEFF:
            // DNG colour, calibration and layout tags; the personal ones are in `tags` above.
            true
        default:
            false
        }
    }

    private static let gpsNames: [UInt16: String] = [
        0x00: "GPSVersionID", 0x01: "GPSLatitudeRef", 0x02: "GPSLatitude", 0x03: "GPSLongitudeRef",
        0x04: "GPSLongitude", 0x05: "GPSAltitudeRef", 0x06: "GPSAltitude", 0x07: "GPSTimeStamp",
        0x08: "GPSSatellites", 0x09: "GPSStatus", 0x0A: "GPSMeasureMode", 0x0B: "GPSDOP",
        0x0C: "GPSSpeedRef", 0x0D: "GPSSpeed", 0x0E: "GPSTrackRef", 0x0F: "GPSTrack",
        0x10: "GPSImgDirectionRef", 0x11: "GPSImgDirection", 0x12: "GPSMapDatum", 0x13: "GPSDestLatitudeRef",
        0x14: "GPSDestLatitude", 0x15: "GPSDestLongitudeRef", 0x16: "GPSDestLongitude", 0x17: "GPSDestBearingRef",
        0x18: "GPSDestBearing", 0x19: "GPSDestDistanceRef", 0x1A: "GPSDestDistance", 0x1B: "GPSProcessingMethod",
        0x1C: "GPSAreaInformation", 0x1D: "GPSDateStamp", 0x1E: "GPSDifferential", 0x1F: "GPSHPositioningError",
    ]

    /// GPS tags holding degrees/minutes/seconds (or hours/minutes/seconds) triples.
    static func isSexagesimal(_ tag: UInt16, in directory: Directory) -> Bool {
        directory == .gps && [0x02, 0x04, 0x07, 0x14, 0x16].contains(tag)
    }
}
