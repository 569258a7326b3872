import Testing
@testable import BackdropImaging

/// The colour difference `--enhance` is held to (issue 20, item 6), against Sharma, Wu and Dalal's
/// published CIEDE2000 test data (2005, Table 1), and sRGB → L*a*b* against known values.
@Suite("CIE L*a*b* and CIEDE2000")
struct CIELabTests {
    @Test("CIEDE2000 matches Sharma's test pairs to 4 decimals", arguments: [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 3.1571, -77.2803), (50.0, 0.0, -82.7485), 2.8615),
        ((50.0, 2.8361, -74.0200), (50.0, 0.0, -82.7485), 3.4412),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
        ((50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0000),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
        ((90.9257, -0.5406, -0.9208), (88.6381, -0.8985, -0.7239), 1.5381),
    ])
    func sharmaPairs(first: (Double, Double, Double), second: (Double, Double, Double), expected: Double) {
        let a = CIELab(l: first.0, a: first.1, b: first.2), b = CIELab(l: second.0, a: second.1, b: second.2)
        #expect(abs(a.difference(to: b) - expected) < 0.00005, "ΔE00 \(a.difference(to: b)), expected \(expected)")
        #expect(abs(b.difference(to: a) - expected) < 0.00005, "not symmetric")
    }

    @Test("sRGB white, black and primaries land where the standard puts them")
    func fromSRGB() {
        let white = CIELab(linearRed: 1, green: 1, blue: 1)
        #expect(abs(white.l - 100) < 0.01 && abs(white.a) < 0.01 && abs(white.b) < 0.01, "\(white)")
        let black = CIELab(linearRed: 0, green: 0, blue: 0)
        #expect(abs(black.l) < 1e-9 && abs(black.a) < 1e-9 && abs(black.b) < 1e-9, "\(black)")
        let red = CIELab(linearRed: 1, green: 0, blue: 0)
        #expect(abs(red.l - 53.24) < 0.05 && abs(red.a - 80.09) < 0.05 && abs(red.b - 67.20) < 0.05, "\(red)")
        let green = CIELab(linearRed: 0, green: 1, blue: 0)
        #expect(abs(green.l - 87.73) < 0.05 && abs(green.a + 86.18) < 0.05 && abs(green.b - 83.18) < 0.05, "\(green)")
    }
}
