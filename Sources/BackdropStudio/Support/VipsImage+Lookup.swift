import BackdropImaging

/// CVips declares a C struct `VipsImage` too; this module's alias makes the name mean the Swift image.
typealias VipsImage = BackdropImaging.VipsImage
