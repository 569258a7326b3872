import CVision

/// The full-resolution steps after the network, each one CVision call: refine the coarse map into an
/// alpha guided by the photo, fuse a studio backdrop's colour model, clean specks and holes, and
/// estimate the foreground colour under soft edges.
package enum Matting {
    struct Failure: Error {
        var reason: String
    }

    /// A photo as the matting steps take it: 8-bit RGB, tightly packed.
    package struct Photo {
        package var rgb: [UInt8]
        package var width: Int
        package var height: Int
    }

    static func upsample(_ coarse: ProbabilityMap, to photo: Photo) throws(Failure) -> [UInt8] {
        var alpha = [UInt8](repeating: 0, count: photo.width * photo.height)
        var status = cvision_status()
        let result = coarse.values.withUnsafeBufferPointer { map in
            alpha.withUnsafeMutableBufferPointer { out in
                cvision_upsample_mask(map.baseAddress, Int32(coarse.width), Int32(coarse.height),
                                      Int32(photo.width), Int32(photo.height), out.baseAddress, &status)
            }
        }
        try check(result, status)
        return alpha
    }

    /// - Parameter strength: 1 normal, 2 strong (a wider unknown band for hair and fur).
    static func refine(_ coarse: ProbabilityMap, guidedBy photo: Photo, strength: Int) throws(Failure) -> [UInt8] {
        var alpha = [UInt8](repeating: 0, count: photo.width * photo.height)
        var status = cvision_status()
        let result = photo.rgb.withUnsafeBufferPointer { rgb in
            coarse.values.withUnsafeBufferPointer { map in
                alpha.withUnsafeMutableBufferPointer { out in
                    cvision_refine_alpha(rgb.baseAddress, Int32(photo.width), Int32(photo.height), photo.width * 3,
                                         map.baseAddress, Int32(coarse.width), Int32(coarse.height), Int32(strength),
                                         out.baseAddress, &status)
                }
            }
        }
        try check(result, status)
        return alpha
    }

    /// Fits a plain or gradient backdrop from the border; where one fits, the network's alpha is fused
    /// with the backdrop-difference alpha (a white product on white survives, soft edges take their
    /// physical alpha, glass lets the backdrop through, shadows stay out). Returns whether a backdrop
    /// was found; without one `alpha` is left as it was.
    static func fuseBackdrop(into alpha: inout [UInt8], photo: Photo, coarse: ProbabilityMap) throws(Failure) -> Bool {
        var status = cvision_status()
        let found = photo.rgb.withUnsafeBufferPointer { rgb in
            alpha.withUnsafeMutableBufferPointer { a in
                coarse.values.withUnsafeBufferPointer { map in
                    cvision_backdrop_fuse_alpha(rgb.baseAddress, Int32(photo.width), Int32(photo.height), photo.width * 3,
                                                a.baseAddress, map.baseAddress, Int32(coarse.width), Int32(coarse.height),
                                                nil, &status)
                }
            }
        }
        guard found >= 0 else { throw Failure(reason: status.text) }
        return found == 1
    }

    /// Removes specks; fills enclosed holes that look like the product, keeps real ones.
    static func clean(_ alpha: inout [UInt8], photo: Photo) throws(Failure) {
        var status = cvision_status()
        let result = photo.rgb.withUnsafeBufferPointer { rgb in
            alpha.withUnsafeMutableBufferPointer { a in
                cvision_clean_alpha(rgb.baseAddress, Int32(photo.width), Int32(photo.height), photo.width * 3,
                                    a.baseAddress, 0.002, &status)
            }
        }
        try check(result, status)
    }

    /// Foreground colours with the old background's contribution taken out of soft edges; RGB 0 under alpha 0.
    static func foreground(of photo: Photo, alpha: [UInt8]) throws(Failure) -> [UInt8] {
        var colours = [UInt8](repeating: 0, count: photo.width * photo.height * 3)
        var status = cvision_status()
        let result = photo.rgb.withUnsafeBufferPointer { rgb in
            alpha.withUnsafeBufferPointer { a in
                colours.withUnsafeMutableBufferPointer { out in
                    cvision_estimate_foreground(rgb.baseAddress, Int32(photo.width), Int32(photo.height), photo.width * 3,
                                                a.baseAddress, out.baseAddress, &status)
                }
            }
        }
        try check(result, status)
        return colours
    }

    private static func check(_ result: Int32, _ status: cvision_status) throws(Failure) {
        guard result == 0 else { throw Failure(reason: status.text) }
    }
}
