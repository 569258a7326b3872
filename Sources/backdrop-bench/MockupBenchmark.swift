import Foundation
import BackdropImaging
import BackdropMockup

/// Issue 5: one 2000 px mockup per built-in template, `backdrop mockup` against the common
/// open-source approach — ImageMagick's `+distort Perspective`, `-compose displace` and a hard-light
/// lighting map (plus the template's mask, shading, blend and overlays) — same template, same design,
/// both as a fresh process that reads the files and writes a JPEG, alternated run by run. Target:
/// Backdrop at least 3× faster (median per template).
struct MockupBenchmark {
    var options: BenchOptions

    static let target = 3.0

    func run() throws {
        let backdrop = try Tools.sibling("backdrop")
        let convert = try Tools.require("convert-im6.q16", install: "apt-get install imagemagick (scripts/bench mockup does)")
        let design = try Self.design()
        let library = TemplateLibrary(userDirectories: [])
        let entries = library.entries().filter(\.isBuiltIn)
        guard !entries.isEmpty else { throw BenchError("no built-in templates found") }
        let runs = options.count ?? 5
        let work = URL(fileURLWithPath: options.work).appendingPathComponent("mockup").standardizedFileURL
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        print("mockup: \((design as NSString).lastPathComponent) on each built-in template at 2000 px, JPEG Q90, \(runs) runs each, "
              + "each a fresh process (read, render, encode); ImageMagick \(Self.version(convert))")
        let designs = Self.allDesigns(default: design)
        print("per mockup: one `backdrop mockup` process vs one `convert` (render+encode: Backdrop's own stages); "
              + "batch: \(designs.count) designs in one `backdrop mockup` call vs one `convert` per design")
        print("template          geometry      backdrop ms (render+encode)   imagemagick ms   speed-up   batch per mockup ms   speed-up")
        var ratios: [Double] = [], batchRatios: [Double] = []
        for entry in entries {
            let loaded = try LoadedTemplate.load(entry.path)
            let template = loaded.template
            let magick = try Self.magickArguments(template, folder: entry.path, design: design,
                                                  output: work.appendingPathComponent("\(template.name)-magick.jpg").path)
            let ours = ["mockup", "--design", design, "--template", entry.path, "-o", work.path, "--size", "2000",
                        "--quality", "90", "--privacy-gate", "off", "--json"]
            var backdropTimes: [Double] = [], magickTimes: [Double] = [], stageTimes: [Double] = []
            var batchTimes: [Double] = [], magickBatchTimes: [Double] = []
            let batch = ["mockup", "--design"] + designs + ["--template", entry.path, "-o", work.appendingPathComponent("batch").path,
                                                             "--size", "2000", "--quality", "90", "--privacy-gate", "off"]
            for _ in 0..<runs {
                let a = try ChildProcess.run(backdrop, ours)
                guard a.status == 0 else { throw BenchError("backdrop mockup failed on \(template.name):\n\(a.output.suffix(1500))") }
                backdropTimes.append(a.seconds)
                stageTimes.append(Self.stageMilliseconds(a.output))
                let b = try ChildProcess.run(convert, magick)
                guard b.status == 0 else { throw BenchError("ImageMagick failed on \(template.name):\n\(b.output.suffix(1500))") }
                magickTimes.append(b.seconds)
                let c = try ChildProcess.run(backdrop, batch)
                guard c.status == 0 else { throw BenchError("backdrop mockup failed on \(template.name):\n\(c.output.suffix(1500))") }
                batchTimes.append(c.seconds / Double(designs.count))
                var sum = 0.0
                for (i, other) in designs.enumerated() {
                    let arguments = try Self.magickArguments(template, folder: entry.path, design: other,
                                                             output: work.appendingPathComponent("\(template.name)-magick-\(i).jpg").path)
                    let d = try ChildProcess.run(convert, arguments)
                    guard d.status == 0 else { throw BenchError("ImageMagick failed on \(template.name):\n\(d.output.suffix(1500))") }
                    sum += d.seconds
                }
                magickBatchTimes.append(sum / Double(designs.count))
            }
            // In process: what reading the template and the design cost, next to the render itself.
            var loadTimes: [Double] = [], designTimes: [Double] = []
            for _ in 0..<runs {
                var clock = Date()
                let prepared = try PreparedTemplate(try LoadedTemplate.load(entry.path), options: MockupOptions(size: 2000))
                loadTimes.append(Date().timeIntervalSince(clock))
                clock = Date()
                _ = try MockupDesign(try InputGuard.open(path: design))
                designTimes.append(Date().timeIntervalSince(clock))
                _ = prepared
            }
            let ratio = median(magickTimes) / median(backdropTimes)
            ratios.append(ratio)
            let batchRatio = median(magickBatchTimes) / median(batchTimes)
            batchRatios.append(batchRatio)
            let kind = template.placements.map { placement -> String in
                switch placement.geometry {
                case .perspective: "quad"
                case .cylinder: "cylinder"
                case .mesh: "mesh"
                }
            }.joined(separator: "+")
            print(template.name.padding(toLength: 18, withPad: " ", startingAt: 0) + kind.padding(toLength: 14, withPad: " ", startingAt: 0)
                  + String(format: "%8.0f (%5.0f)           %14.0f   %7.1f×", median(backdropTimes) * 1000, median(stageTimes),
                           median(magickTimes) * 1000, ratio)
                  + String(format: "   %19.0f   %7.1f×", median(batchTimes) * 1000, batchRatio)
                  + String(format: "   [in process: template %.0f ms, design %.0f ms]", median(loadTimes) * 1000, median(designTimes) * 1000))
        }
        let overall = median(ratios)
        print(String(format: "median speed-up %.1f× (lowest %.1f×); target ≥ %.0f×: %@", overall, ratios.min() ?? 0, Self.target,
                     (ratios.min() ?? 0) >= Self.target ? "met for every template" : overall >= Self.target ? "met on the median" : "MISSED"))
        print(String(format: "batch: median speed-up %.1f× (lowest %.1f×)", median(batchRatios), batchRatios.min() ?? 0))
        print("ImageMagick has no cylinder or mesh warp: it gets the perspective of the print's outer corners there (less work); "
              + "outputs are in \(work.path)")
    }

    /// fit + place + layers + encode from a `--json` line: the work after the template and design are read.
    static func stageMilliseconds(_ output: String) -> Double {
        for line in output.split(separator: "\n") where line.hasPrefix("{") {
            if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let timings = object["timings_ms"] as? [String: Double] {
                return timings.values.reduce(0, +)
            }
        }
        return 0
    }

    /// Every sample design (for the batch column), or the one design given.
    static func allDesigns(default design: String) -> [String] {
        guard ProcessInfo.processInfo.environment["BACKDROP_BENCH_DESIGN"] == nil,
              let names = try? FileManager.default.contentsOfDirectory(atPath: "samples/designs") else { return [design] }
        let files = names.filter { !$0.hasPrefix(".") }.sorted().map { "samples/designs/\($0)" }
        return files.isEmpty ? [design] : files
    }

    /// The design to render: $BACKDROP_BENCH_DESIGN, else samples/designs/poster.jpg (or the first there).
    static func design() throws -> String {
        if let path = ProcessInfo.processInfo.environment["BACKDROP_BENCH_DESIGN"] { return path }
        let folder = "samples/designs"
        if FileManager.default.fileExists(atPath: "\(folder)/poster.jpg") { return "\(folder)/poster.jpg" }
        guard let first = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.sorted().first else {
            throw BenchError("no design: run from the repository (samples/designs) or set BACKDROP_BENCH_DESIGN")
        }
        return "\(folder)/\(first)"
    }

    static func version(_ convert: String) -> String {
        guard let run = try? ChildProcess.run(convert, ["-version"]) else { return "?" }
        return run.output.split(separator: "\n").first.map { String($0.split(separator: " ").dropFirst(2).prefix(1).joined()) } ?? "?"
    }

    /// The same template done the ImageMagick way in one `convert` command.
    static func magickArguments(_ t: MockupTemplate, folder: String, design: String, output: String) throws -> [String] {
        func file(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        let (w, h) = (t.canvas.width, t.canvas.height)
        var args = [file(t.base)]
        for p in t.placements {
            let corners: [MockupTemplate.Point]
            switch p.geometry {
            case .perspective(let quad): corners = quad
            case .cylinder(let c):
                corners = [.init(c.left, c.top - c.arc), .init(c.right, c.top - c.arc), .init(c.right, c.bottom), .init(c.left, c.bottom)]
            case .mesh(let m):
                corners = [m.points[0], m.points[m.columns - 1], m.points[m.columns * m.rows - 1], m.points[m.columns * (m.rows - 1)]]
            }
            let (pw, ph) = (p.printArea.width, p.printArea.height)
            let source = [(0, 0), (pw, 0), (pw, ph), (0, ph)]
            let points = zip(source, corners).map { "\($0.0),\($0.1) \(String(format: "%.2f,%.2f", $1.x, $1.y))" }.joined(separator: "  ")
            args += ["(", design, "-resize", "\(pw)x\(ph)^", "-gravity", "center", "-extent", "\(pw)x\(ph)", "+gravity",
                     "-alpha", "set", "-virtual-pixel", "transparent", "-define", "distort:viewport=\(w)x\(h)+0+0",
                     "+distort", "Perspective", points]
            if let d = p.displacement {
                args += [file(d.image), "-compose", "displace", "-define", "compose:args=\(d.scale)x\(d.scale)", "-composite"]
            }
            if let l = p.lighting { args += [file(l.image), "-compose", "hardlight", "-composite"] }
            if let s = p.shading { args += [file(s.image), "-compose", "multiply", "-composite"] }
            if let m = p.mask {
                args += ["(", file(m.image), "-alpha", "copy", ")", "-compose", "dstin", "-composite"]
            }
            args += [")", "-compose", p.blend == .normal ? "over" : p.blend.rawValue, "-composite"]
        }
        for layer in t.overlays + t.occluders {
            args += [file(layer.image), "-compose", layer.blend == .normal ? "over" : layer.blend.rawValue, "-composite"]
        }
        args += ["-strip", "-quality", "90", output]
        return args
    }
}
