/// ISOBMFF box framing for HEIF and AVIF.
struct HEIFBox {
    let type: String
    /// The box's payload (after the size, type and any 64-bit size), as a slice of the file.
    let payload: ArraySlice<UInt8>
    /// The whole box including its header, for reporting sizes.
    let size: Int

    /// The boxes laid end to end in `data`; stops (with a warning) at the first malformed header.
    static func boxes(in data: ArraySlice<UInt8>, limit: Int = 10_000, into findings: inout MetadataFindings) -> [HEIFBox] {
        let cursor = ByteCursor(data)
        var position = 0
        var boxes: [HEIFBox] = []
        while position + 8 <= cursor.count, boxes.count < limit {
            guard let size32 = cursor.u32(at: position), let type = cursor.fourCC(at: position + 4) else { break }
            var header = 8
            var size = Int(size32)
            if size32 == 1 {
                guard let size64 = cursor.u64(at: position + 8) else { break }
                size = Int(untrusted: size64)
                header = 16
            } else if size32 == 0 {
                // Size 0: the box runs to the end of its container.
                size = cursor.count - position
            }
            if type == "uuid" { header += 16 }
            guard size >= header, let payload = cursor.slice(at: position + header, length: size - header) else {
                findings.warn("heif: box '\(type)' at offset \(position) has a bad size")
                break
            }
            boxes.append(HEIFBox(type: type, payload: payload, size: size))
            position += size
        }
        return boxes
    }
}
