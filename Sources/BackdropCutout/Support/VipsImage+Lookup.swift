import BackdropImaging

/// CVips declares a C struct `VipsImage` too; this module's alias makes the name mean the Swift image.
/// `package`, because the signatures Studio calls (`BackgroundRemover.photo(from:)`, `CutoutComposer`) name it.
package typealias VipsImage = BackdropImaging.VipsImage
