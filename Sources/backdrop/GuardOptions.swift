import ArgumentParser
import BackdropImaging

/// Limits every command applies to untrusted inputs before decoding.
struct GuardOptions: ParsableArguments {
    @Option(help: "Refuse files larger than this many bytes.")
    var maxBytes: Int = ImageLimits.default.maxBytes

    @Option(help: "Refuse images with more pixels than this (read from the header, before decoding).")
    var maxPixels: Int = ImageLimits.default.maxPixels

    var limits: ImageLimits { ImageLimits(maxBytes: maxBytes, maxPixels: maxPixels) }

    func validate() throws {
        guard maxBytes > 0 else { throw ValidationError("expected a positive number for --max-bytes but got \(maxBytes)") }
        guard maxPixels > 0 else { throw ValidationError("expected a positive number for --max-pixels but got \(maxPixels)") }
    }
}
