import ArgumentParser
import Foundation
import BackdropImaging
import BackdropMockup

extension Backdrop {
    /// `backdrop mockup`: every design on every template.
    struct Mockup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render designs onto product templates: every design × every template.",
            discussion: """
                A template is a built-in name (see `backdrop template list`), a folder holding \
                template.json, or a .zip/.tar(.gz) of one (format: docs/templates.md). Each design is \
                fitted to each print area, warped (perspective, cylinder or mesh), displaced along the \
                fabric's folds, lit and shaded by the photo's own light, masked and composited; overlays \
                and occluders are drawn on top. Outputs are named DESIGN-TEMPLATE[-VARIANT].EXT in OUT \
                and carry no metadata. With one design and one template, -o may name the file \
                (mug.jpg); its extension chooses the format.
                """)

        @Argument(help: ArgumentHelp("Artwork files (PNG with transparency, JPEG, WebP…).", valueName: "design"), completion: .file())
        var designInputs: [String] = []

        @Option(name: .customLong("design"), parsing: .upToNextOption, help: ArgumentHelp("Artwork files, as the positional arguments (kept for older scripts).", valueName: "art"))
        var designOptions: [String] = []

        /// Every design, positional ones first. `--template` takes several values, so a design written after
        /// it (`--template mug logo.png`) lands there: an image file is never a template, so it counts here.
        var designs: [String] { designInputs + designOptions + templateOptions.filter(Self.isImageFile) }

        static func isImageFile(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && OutputTarget.format(forExtension: (path as NSString).pathExtension) != nil
        }

        @Option(name: .customLong("template"), parsing: .upToNextOption, help: ArgumentHelp("Template names, folders or archives; several may be given comma-separated (mug,t-shirt).", valueName: "name|path"))
        var templateOptions: [String] = []

        /// Every template named: "mug,t-shirt" is two, unless a file or folder has that very name.
        var templates: [String] {
            templateOptions.filter { !Self.isImageFile($0) }.flatMap { value in
                FileManager.default.fileExists(atPath: value) ? [value]
                    : value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }

        @Option(name: .customShort("o"), help: ArgumentHelp("Output folder (created if missing), or the output file for one design on one template.", valueName: "out"))
        var output: String

        @Option(help: "Colour variant of the template (default: its first).")
        var variant: String?

        @Option(help: "How the design fills the print area: fit, fill or stretch (default: the template's).")
        var fit: String?

        @Option(help: "Output format: jpeg, png or webp (default: -o's extension, else jpeg).")
        var format: String?

        @Option(name: .shortAndLong, help: "JPEG/WebP quality, 1-100.")
        var quality: Int = 90

        @Option(help: "Long side of the output in px (default: the template's canvas).")
        var size: Int?

        // Optional, so the help shows the default in words only (a number would be this machine's).
        @Option(name: [.short, .customLong("jobs")], help: "Mockups rendered at once (default 2, or 1 on one core).")
        var jobsOption: Int?
        var jobs: Int { jobsOption ?? RemoveBackground.defaultJobs }

        @Flag(help: "Print one JSON object per line for each mockup.")
        var json = false

        @OptionGroup var guardOptions: GuardOptions

        @OptionGroup var privacy: PrivacyGateOptions

        func validate() throws {
            if designs.isEmpty { throw ValidationError("give at least one design (an image file)") }
            if templates.isEmpty { throw ValidationError("give at least one --template (see `backdrop template list`)") }
            _ = try options()
            try OutputTarget.requireOneOutput(out: output, inputs: designs, outputs: designs.count * templates.count)
        }

        func options() throws -> MockupOptions {
            var options = MockupOptions(limits: guardOptions.limits)
            options.format = try OutputTarget.format(out: output, formatOption: format, allowed: [.jpeg, .png, .webp]) ?? .jpeg
            guard (1...100).contains(quality) else { throw ValidationError(OptionError(option: "quality", expected: "1-100", got: "\(quality)").description) }
            options.quality = quality
            if let fit {
                guard let value = MockupTemplate.Fit(rawValue: fit) else {
                    throw ValidationError(OptionError(option: "fit", expected: "fit, fill or stretch", got: fit).description)
                }
                options.fit = value
            }
            if let size {
                guard (64...12000).contains(size) else { throw ValidationError(OptionError(option: "size", expected: "64-12000", got: "\(size)").description) }
                options.size = size
            }
            guard jobs >= 1 else { throw ValidationError("expected a positive number for --jobs but got \(jobs)") }
            options.variant = variant
            return options
        }

        func run() async throws {
            let options = try options()
            let library = TemplateLibrary()
            let gatekeeper = privacy.gate(limits: guardOptions.limits)
            defer { gatekeeper.settle() }
            var failed = false
            // One design on one template with -o mug.jpg: that file; otherwise a folder.
            let singleFile = OutputTarget.fileFormat(output) != nil ? output : nil
            let folder = singleFile.map { ($0 as NSString).deletingLastPathComponent } ?? output
            do {
                try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
            } catch {
                Console.failure(folder, "cannot create the output folder")
                throw ExitCode(2)
            }

            // Designs are guarded and decoded once, while the first template is read (each file read once,
            // its images checked as they are decoded); a bad design or template is named and skipped.
            let limits = options.limits
            async let decodedDesigns = Self.decode(designs, limits: limits)
            func prepare(_ nameOrPath: String) -> Result<PreparedTemplate, any Error> {
                Result { try PreparedTemplate(try LoadedTemplate.load(try library.resolve(nameOrPath), limits: limits, checksImages: false),
                                              options: options) }
            }
            var firstTemplate = templates.first.map(prepare)
            var loaded: [MockupDesign] = []
            for (path, outcome) in await decodedDesigns {
                switch outcome {
                case .success(let design): loaded.append(design)
                case .failure(let error):
                    Console.failure(path, "\(error)")
                    if json { Console.out(JSONLine.encode(["file": path, "error": "\(error)"])) }
                    failed = true
                }
            }
            var usedNames = Set<String>()
            for nameOrPath in templates {
                let template: PreparedTemplate
                do {
                    let prepared = firstTemplate ?? prepare(nameOrPath)
                    firstTemplate = nil
                    template = try prepared.get()
                } catch {
                    Console.error("backdrop: \(error)")
                    if json { Console.out(JSONLine.encode(["template": nameOrPath, "error": "\(error)"])) }
                    failed = true
                    continue
                }
                let jobs = loaded.map { design in
                    (design, uniqueName(for: design.path, template: template, format: options.format, used: &usedNames))
                }
                let output = self.output
                _ = await Parallel.map(jobs, width: jobs.count > 1 ? self.jobs : 1, { (design, name) in
                    let path = singleFile ?? (output as NSString).appendingPathComponent(name)
                    return (design.path, path, Result { () throws -> MockupResult in
                        try refuseOverwritingAnInput(path)
                        var result = try MockupRenderer.render(design, on: template, options: options)
                        let bytes = try gatekeeper.pass(result.bytes, format: result.format, quality: options.quality, path: path)
                        try AtomicFile.write(bytes, to: path)
                        result.bytes = []
                        return result
                    })
                }, onEach: { (designPath, path, outcome) in
                    switch outcome {
                    case .success(let result):
                        if json {
                            Console.out(JSONLine.encode([
                                "design": designPath, "template": template.name, "variant": template.variant ?? NSNull(),
                                "output": path, "width": result.width, "height": result.height, "notes": result.notes,
                                "timings_ms": result.timings.mapValues { ($0 * 1000).rounded() },
                            ]))
                        } else {
                            Console.out("\(designPath) + \(template.name)\(template.variant.map { " (\($0))" } ?? "") → \(path)")
                            for note in result.notes { Console.out("  note: \(note)") }
                        }
                    case .failure(let error):
                        failed = true
                        Console.failure(designPath, "\(template.name): \(error)")
                        if json { Console.out(JSONLine.encode(["design": designPath, "template": template.name, "error": "\(error)"])) }
                    }
                })
            }
            if gatekeeper.blocked > 0 { throw ExitCode(3) }
            if failed { throw ExitCode(2) }
        }

        /// Every design guarded and decoded, in the order given.
        private static func decode(_ paths: [String], limits: ImageLimits) -> [(String, Result<MockupDesign, any Error>)] {
            paths.map { path in (path, Result { try MockupDesign(try InputGuard.open(path: path, limits: limits)) }) }
        }

        /// DESIGN-TEMPLATE[-VARIANT].EXT, numbered when two designs share a name.
        private func uniqueName(for design: String, template: PreparedTemplate, format: ImageFormat, used: inout Set<String>) -> String {
            let stem = ((design as NSString).lastPathComponent as NSString).deletingPathExtension
            var base = "\(stem)-\(template.name)"
            if let variant = template.variant, self.variant != nil { base += "-\(variant)" }
            var name = "\(base).\(format.fileExtension)"
            var counter = 2
            while !used.insert(name).inserted {
                name = "\(base)-\(counter).\(format.fileExtension)"
                counter += 1
            }
            return name
        }

        private func refuseOverwritingAnInput(_ path: String) throws {
            for design in designs where OutputPlanner.isSameFile(design, path) {
                throw ImageError.writeFailed("\(path) is one of the designs; refusing to overwrite it")
            }
        }
    }
}
