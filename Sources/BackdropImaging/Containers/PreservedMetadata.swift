/// What survives a scrub besides the pixels.
///
/// Everything not named here is dropped; there is no way to ask for "everything but GPS".
public struct PreservedMetadata: Sendable, Equatable {
    /// The EXIF orientation, 1...8; any other value than 1 is written as the only positional tag.
    ///
    /// Kept because dropping it would turn a portrait photo on its side in every viewer.
    public var orientation: Int
    /// A copyright notice to write as EXIF Copyright (0x8298); nil or empty writes none.
    public var copyright: String?
    /// Whether the input's ICC profile is copied unchanged, so colours keep their meaning.
    public var keepsICCProfile: Bool

    /// Creates a set of metadata to keep; the defaults keep nothing.
    /// - Parameters:
    ///   - orientation: The EXIF orientation to write; 1 (or a value outside 1...8) writes none.
    ///   - copyright: The copyright notice to write, if any.
    ///   - keepsICCProfile: Whether to copy the input's ICC profile.
    public init(orientation: Int = 1, copyright: String? = nil, keepsICCProfile: Bool = false) {
        self.orientation = orientation
        self.copyright = copyright
        self.keepsICCProfile = keepsICCProfile
    }
}
