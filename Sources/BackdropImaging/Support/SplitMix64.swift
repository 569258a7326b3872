/// SplitMix64 (Steele, Lea & Flood): a small, fast, seedable generator. The redactor seeds it at random
/// for each redaction (an attacker who knew the noise could subtract it); tests, fuzzers and the
/// benchmark's scenes seed it fixed, so a run can be replayed.
package struct SplitMix64: RandomNumberGenerator {
    package var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<1, from the top 53 bits.
    package mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// 0..<n (by remainder: a bias too small to matter for scenes and noise).
    package mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
