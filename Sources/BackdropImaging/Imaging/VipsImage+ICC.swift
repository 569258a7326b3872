import CVips

extension VipsImage {
    /// Attaches an ICC profile to this image (as a file would carry it), replacing any other: how the
    /// tests make images tagged Adobe RGB or Display P3.
    func attachICCProfile(_ profile: [UInt8]) {
        profile.withUnsafeBytes { raw in cvips_set_blob_copy(pointer, "icc-profile-data", raw.baseAddress, raw.count) }
    }
}
