import ArgumentParser
import Foundation
import BackdropImaging
import BackdropStudio
import BackdropMockup

extension Backdrop {
    /// `backdrop template create|list|show|validate`.
    struct Template: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make, list, show and validate mockup templates (format: docs/templates.md).",
            subcommands: [Create.self, List.self, Show.self, Validate.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Make a template from your own photo of a blank product.",
                discussion: """
                    Give the print area as a perspective quad (the print's top-left, top-right, \
                    bottom-right, bottom-left corners in the photo's pixels) or as a cylinder \
                    (left,right,top,bottom,arc[,startAngle,endAngle]; see docs/templates.md). The \
                    photo is re-encoded without metadata; a print-area mask and displacement and \
                    lighting maps are derived from the photo inside the print area.
                    """)

            @Option(help: ArgumentHelp("Photo of the blank product.", valueName: "photo"))
            var base: String

            @Option(help: ArgumentHelp("x1,y1,x2,y2,x3,y3,x4,y4", valueName: "quad"))
            var quad: String?

            @Option(help: ArgumentHelp("left,right,top,bottom,arc[,startAngle,endAngle]", valueName: "cylinder"))
            var cylinder: String?

            @Option(help: "Template name (default: the output folder's name).")
            var name: String?

            @Option(help: ArgumentHelp("The flat print's size, e.g. 3600x4800 (default: its size on the photo).", valueName: "WxH"))
            var printSize: String?

            @Option(help: "How the print meets the product: multiply (ink on fabric, paper, ceramic), normal (screens) or screen.")
            var blend: String = MockupTemplate.Blend.multiply.rawValue

            @Option(name: .customShort("o"), help: ArgumentHelp("Folder to write the template to.", valueName: "dir"))
            var output: String

            @OptionGroup var guardOptions: GuardOptions

            func validate() throws {
                guard (quad == nil) != (cylinder == nil) else { throw ValidationError("give exactly one of --quad and --cylinder") }
                try OutputTarget.requireFolder(out: output, what: "template create")
            }

            func geometry() throws -> MockupTemplate.Geometry {
                func numbers(_ text: String, option: String, counts: Set<Int>) throws -> [Double] {
                    let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
                    guard counts.contains(values.count), values.allSatisfy({ $0?.isFinite == true }) else {
                        throw ValidationError(OptionError(option: option, expected: counts.count == 1 ? "8 numbers" : "5 or 7 numbers", got: text).description)
                    }
                    return values.compactMap { $0 }
                }
                if let quad {
                    let v = try numbers(quad, option: "quad", counts: [8])
                    return .perspective(stride(from: 0, to: 8, by: 2).map { MockupTemplate.Point(v[$0], v[$0 + 1]) })
                }
                let v = try numbers(cylinder ?? "", option: "cylinder", counts: [5, 7])
                return .cylinder(MockupTemplate.Cylinder(left: v[0], right: v[1], top: v[2], bottom: v[3], arc: v[4],
                                                         startAngle: v.count == 7 ? v[5] : -60, endAngle: v.count == 7 ? v[6] : 60))
            }

            func run() async throws {
                let name = self.name ?? (output as NSString).lastPathComponent.lowercased()
                guard let blendMode = MockupTemplate.Blend(rawValue: blend) else {
                    throw ValidationError(OptionError(option: "blend", expected: "multiply, normal or screen", got: blend).description)
                }
                var area: MockupTemplate.PrintArea?
                if let printSize {
                    let size = try MarketplacePreset.Size.parse(printSize, option: "print-size")
                    area = MockupTemplate.PrintArea(width: size.width, height: size.height)
                }
                let request = TemplateMaker.Request(name: name, geometry: try geometry(), printArea: area, blend: blendMode,
                                                    limits: guardOptions.limits)
                do {
                    let input = try InputGuard.open(path: base, limits: guardOptions.limits)
                    let (template, files) = try TemplateMaker.make(base: input, request: request)
                    let source = output
                    try TemplateMaker.write(template, files: files, to: source)
                    let loaded = try LoadedTemplate.load(source, limits: guardOptions.limits)
                    Console.out("\(source): template \(loaded.template.name) (\(template.canvas.width)×\(template.canvas.height)); try it: backdrop mockup --design ART --template \(source) -o OUT")
                } catch let error as ImageError {
                    Console.failure(base, "\(error)")
                    throw ExitCode(2)
                } catch {
                    Console.error("backdrop: \(error)")
                    throw ExitCode(2)
                }
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the templates Backdrop finds (yours first, then the built-in ones).")

            @Flag(help: "One JSON object per line.")
            var json = false

            func run() throws {
                let library = TemplateLibrary()
                let entries = library.entries()
                for entry in entries {
                    let loaded = try? LoadedTemplate.load(entry.path)
                    let title = loaded?.template.title ?? ""
                    let origin = entry.isBuiltIn ? "built-in" : entry.path
                    if json {
                        Console.out(JSONLine.encode(["name": entry.name, "title": title, "path": entry.path, "built_in": entry.isBuiltIn,
                                                     "valid": loaded != nil]))
                    } else {
                        Console.out("\(entry.name.padding(toLength: max(16, entry.name.count + 1), withPad: " ", startingAt: 0))\(loaded == nil ? "INVALID (run template validate) " : "")\(title)  [\(origin)]")
                    }
                }
                if entries.isEmpty { Console.error("backdrop: no templates found") }
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Describe a template: canvas, variants, placements and their maps.")

            @Argument(help: "A template name, folder or archive.")
            var template: String

            func run() throws {
                do {
                    let loaded = try LoadedTemplate.load(try TemplateLibrary().resolve(template))
                    let t = loaded.template
                    Console.out("\(t.name): \(t.title ?? "")")
                    Console.out("  from: \(loaded.source.origin)")
                    Console.out("  canvas: \(t.canvas.width)×\(t.canvas.height), base \(t.base)")
                    if !t.variants.isEmpty {
                        Console.out("  variants: " + t.variants.map { $0.name + ($0.color.map { " \($0)" } ?? "") }.joined(separator: ", "))
                    }
                    for p in t.placements {
                        let kind: String
                        switch p.geometry {
                        case .perspective: kind = "perspective quad"
                        case .cylinder(let c): kind = "cylinder \(Int(c.startAngle))°…\(Int(c.endAngle))°"
                        case .mesh(let m): kind = "mesh \(m.columns)×\(m.rows)"
                        }
                        var maps: [String] = []
                        if p.mask != nil { maps.append("mask") }
                        if let d = p.displacement { maps.append("displacement \(d.scale) px") }
                        if let l = p.lighting { maps.append("lighting \(l.mode.rawValue)") }
                        if p.shading != nil { maps.append("shading") }
                        Console.out("  placement \(p.name): print \(p.printArea.width)×\(p.printArea.height) (\(p.printArea.fit.rawValue)), \(kind), blend \(p.blend.rawValue); \(maps.isEmpty ? "no maps" : maps.joined(separator: ", "))")
                    }
                    if !t.overlays.isEmpty { Console.out("  overlays: " + t.overlays.map { "\($0.image) (\($0.blend.rawValue))" }.joined(separator: ", ")) }
                    if !t.occluders.isEmpty { Console.out("  occluders: " + t.occluders.map(\.image).joined(separator: ", ")) }
                } catch {
                    Console.error("backdrop: \(error)")
                    throw ExitCode(2)
                }
            }
        }

        struct Validate: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Check templates: every field, file, map size and geometry; every image decoded whole. Exit 2 if any is bad.")

            @Argument(help: "Template names, folders or archives (default: every template found).")
            var templates: [String] = []

            func run() throws {
                let library = TemplateLibrary()
                let targets = templates.isEmpty ? library.entries().map { ($0.name, $0.path) } : templates.map { ($0, $0) }
                var bad = 0
                for (target, path) in targets {
                    do {
                        let source = try TemplateSource.open(try library.resolve(path))
                        let template = try TemplateValidator.decode(source)
                        let problems = TemplateValidator.problems(template, source: source, decodesImages: true)
                        if problems.isEmpty {
                            Console.out("\(target): ok")
                        } else {
                            bad += 1
                            for problem in problems { Console.error("backdrop: \(problem)") }
                        }
                    } catch {
                        bad += 1
                        Console.error("backdrop: \(error)")
                    }
                }
                if bad > 0 { throw ExitCode(2) }
            }
        }
    }
}
