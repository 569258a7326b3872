import Foundation

/// ICC profiles for the tests, made on the spot from libvips' own built-in profiles (`vips icc_transform
/// … srgb|p3|cmyk`, read back with exiftool): no test reads a profile from a system folder that
/// `scripts/setup --tests` does not install. sRGB is a v2 profile described "sRGB", Display P3 a small
/// v4 RGB profile that is not sRGB ("sP3C"), and the CMYK profile (~940 KB) spans many JPEG APP2 segments.
package enum TestICCProfiles {
    package enum Name: String, CaseIterable {
        case sRGB = "srgb", displayP3 = "p3", cmyk
    }

    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    /// Made once per test process, in a folder of its own.
    private static let folder: Result<String, any Error> = Result { try make() }

    /// The profile's file, to hand to `vips … [profile=PATH]` or `exiftool -ICC_Profile<=PATH`.
    package static func path(_ name: Name) throws -> String {
        try folder.get() + "/\(name.rawValue).icc"
    }

    package static func bytes(_ name: Name) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(name))))
    }

    private static func make() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backdrop-test-icc-\(getpid())").path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try TestTools.run("vips", ["black", folder + "/base.v", "8", "8", "--bands", "3"])
            for name in Name.allCases {
                let tagged = folder + "/\(name.rawValue).tif"
                try TestTools.run("vips", ["icc_transform", folder + "/base.v", tagged, name.rawValue, "--input-profile", "srgb"])
                let profile = try TestTools.run("exiftool", ["-b", "-ICC_Profile", tagged])
                guard profile.count > 128 else { throw Failure(description: "exiftool found no ICC profile in vips' \(name.rawValue) TIFF") }
                try profile.write(to: URL(fileURLWithPath: folder + "/\(name.rawValue).icc"))
            }
        } catch let failure as Failure {
            throw failure
        } catch let failure as TestTools.Failure {
            throw failure
        } catch {
            throw Failure(description: "making the test ICC profiles failed: \(error)")
        }
        return folder
    }
}
