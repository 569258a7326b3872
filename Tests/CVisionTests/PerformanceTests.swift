import CVision
import BackdropTestSupport
import Foundation
import Testing

/// Timing and peak extra memory per function at 12 MP. Opt-in (CVISION_BENCH=1): it needs a release
/// build to mean anything.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CVISION_BENCH"] != nil))
struct PerformanceTests {
    /// Resident memory now and the peak since the last reset, in MB (Linux /proc; writing 5 to
    /// clear_refs resets the peak).
    static func resetPeak() -> Double {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return field("VmRSS")
    }
    static func field(_ name: String) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kb / 1024
        }
        return 0
    }

    /// User + system CPU time of the whole process (all threads), seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(0), &usage)  // RUSAGE_SELF
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// CPU milliseconds (all threads) that `body` takes.
    static func cpu(_ body: () throws -> Void) rethrows -> Double {
        let start = cpuSeconds()
        try body()
        return (cpuSeconds() - start) * 1000
    }

    static func measure(_ label: String, _ body: () throws -> Void) rethrows -> String {
        let base = resetPeak()
        let start = DispatchTime.now()
        let cpuStart = cpuSeconds()
        try body()
        let cpu = (cpuSeconds() - cpuStart) * 1000
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
        let peak = field("VmHWM") - base
        return String(format: "%@ %8.1f ms wall %8.1f ms CPU  peak +%6.1f MB", label.padding(toLength: 22, withPad: " ", startingAt: 0), milliseconds, cpu, peak)
    }

    @Test func twelveMegapixels() throws {
        let w = 4000, h = 3000
        // Build the photo cheaply: the product scene at 12 MP with a light backdrop.
        var rgb = [UInt8](repeating: 246, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                let a = CutoutScenes.bottleAlpha(Double(x) + 0.5, Double(y) + 0.5, w: Double(w), h: Double(h))
                if a > 0 {
                    let i = 3 * (y * w + x)
                    rgb[i] = UInt8(200 * a + 246 * (1 - a)); rgb[i + 1] = UInt8(40 * a + 246 * (1 - a)); rgb[i + 2] = UInt8(40 * a + 246 * (1 - a))
                }
            }
        }
        let network = SharedNetwork.shared
        try #require(network.net != nil, "\(network.loadError ?? "")")
        var lines: [String] = []
        var coarse: [Float] = []
        lines.append(try Self.measure("net_predict") { coarse = try network.predict(rgb, width: w, height: h) })
        var alpha = [UInt8](repeating: 0, count: w * h)
        lines.append(try Self.measure("upsample (rembg)") { try vision { cvision_upsample_mask(coarse, 320, 320, Int32(w), Int32(h), &alpha, $0) } })
        lines.append(try Self.measure("refine_alpha s=1") { try vision { cvision_refine_alpha(rgb, Int32(w), Int32(h), w * 3, coarse, 320, 320, 1, &alpha, $0) } })
        lines.append(try Self.measure("refine_alpha s=2") { try vision { cvision_refine_alpha(rgb, Int32(w), Int32(h), w * 3, coarse, 320, 320, 2, &alpha, $0) } })
        var backdrop = [UInt8](repeating: 0, count: w * h)
        var colour: [Float] = [0, 0, 0]
        lines.append(try Self.measure("backdrop_alpha") { try vision { cvision_backdrop_alpha(rgb, Int32(w), Int32(h), w * 3, &backdrop, &colour, $0) } })
        lines.append(try Self.measure("fuse_alpha") { try vision { cvision_fuse_alpha(rgb, Int32(w), Int32(h), w * 3, &alpha, backdrop, coarse, 320, 320, $0) } })
        lines.append(try Self.measure("clean_alpha") { try vision { cvision_clean_alpha(rgb, Int32(w), Int32(h), w * 3, &alpha, 0.002, $0) } })
        // The one-call backdrop + fusion on a freshly refined alpha (what the pipeline runs).
        var fused = [UInt8](repeating: 0, count: w * h)
        try vision { cvision_refine_alpha(rgb, Int32(w), Int32(h), w * 3, coarse, 320, 320, 1, &fused, $0) }
        lines.append(try Self.measure("backdrop_fuse_alpha") { try vision { cvision_backdrop_fuse_alpha(rgb, Int32(w), Int32(h), w * 3, &fused, coarse, 320, 320, &colour, $0) } })
        var foreground = [UInt8](repeating: 0, count: w * h * 3)
        lines.append(try Self.measure("estimate_foreground") { try vision { cvision_estimate_foreground(rgb, Int32(w), Int32(h), w * 3, alpha, &foreground, $0) } })
        print(lines.joined(separator: "\n"))
    }
}

