import Foundation

/// A mockup template as `template.json` describes it (format version 1, docs/templates.md). Decoding
/// checks shapes and types; `TemplateValidator` checks what the values mean against the files.
public struct MockupTemplate: Sendable, Equatable, Codable {
    public static let formatVersion = 1

    public var version: Int
    public var name: String
    public var title: String?
    public var canvas: Size
    public var base: String
    public var variants: [Variant]
    public var placements: [Placement]
    public var overlays: [Layer]
    public var occluders: [Layer]

    public init(name: String, title: String? = nil, canvas: Size, base: String, variants: [Variant] = [],
                placements: [Placement], overlays: [Layer] = [], occluders: [Layer] = []) {
        self.version = Self.formatVersion
        self.name = name
        self.title = title
        self.canvas = canvas
        self.base = base
        self.variants = variants
        self.placements = placements
        self.overlays = overlays
        self.occluders = occluders
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        guard version == Self.formatVersion else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c,
                                                   debugDescription: "unknown version \(version) (this Backdrop reads \(Self.formatVersion))")
        }
        name = try c.decode(String.self, forKey: .name)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        canvas = try c.decode(Size.self, forKey: .canvas)
        base = try c.decode(String.self, forKey: .base)
        variants = try c.decodeIfPresent([Variant].self, forKey: .variants) ?? []
        placements = try c.decode([Placement].self, forKey: .placements)
        overlays = try c.decodeIfPresent([Layer].self, forKey: .overlays) ?? []
        occluders = try c.decodeIfPresent([Layer].self, forKey: .occluders) ?? []
    }

    public struct Size: Sendable, Equatable, Codable {
        public var width: Int
        public var height: Int
        public init(width: Int, height: Int) {
            self.width = width
            self.height = height
        }
    }

    public struct Point: Sendable, Equatable, Codable {
        public var x: Double
        public var y: Double
        public init(_ x: Double, _ y: Double) {
            self.x = x
            self.y = y
        }

        /// Written and read as `[x, y]`.
        public init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            x = try c.decode(Double.self)
            y = try c.decode(Double.self)
            guard c.isAtEnd else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected [x, y]") }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(x)
            try c.encode(y)
        }
    }

    /// A colour variant: the base tinted by multiply, through a mask when given.
    public struct Variant: Sendable, Equatable, Codable {
        public var name: String
        public var color: String?
        public var mask: String?
        public init(name: String, color: String? = nil, mask: String? = nil) {
            self.name = name
            self.color = color
            self.mask = mask
        }
    }

    public enum Fit: String, Sendable, Codable, CaseIterable {
        case fit, fill, stretch
    }

    public enum Blend: String, Sendable, Codable, CaseIterable {
        case normal, multiply, screen
    }

    public enum LightingMode: String, Sendable, Codable, CaseIterable {
        case hardLight = "hard-light"
        case softLight = "soft-light"
    }

    /// Where a design that does not fill the print area sits in it (`fit`), or which part a cropped one
    /// keeps (`fill`): a chest print sits at the top of a shirt's print area.
    public enum Align: String, Sendable, Codable, CaseIterable {
        case center, top
    }

    public struct PrintArea: Sendable, Equatable, Codable {
        public var width: Int
        public var height: Int
        public var fit: Fit
        public var align: Align
        public init(width: Int, height: Int, fit: Fit = .fill, align: Align = .center) {
            self.width = width
            self.height = height
            self.fit = fit
            self.align = align
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            width = try c.decode(Int.self, forKey: .width)
            height = try c.decode(Int.self, forKey: .height)
            fit = try c.decodeIfPresent(Fit.self, forKey: .fit) ?? .fill
            align = try c.decodeIfPresent(Align.self, forKey: .align) ?? .center
        }
    }

    public struct Cylinder: Sendable, Equatable, Codable {
        public var left: Double
        public var right: Double
        public var top: Double
        public var bottom: Double
        public var arc: Double
        public var arcBottom: Double?
        public var startAngle: Double
        public var endAngle: Double

        public init(left: Double, right: Double, top: Double, bottom: Double, arc: Double = 0, arcBottom: Double? = nil,
                    startAngle: Double = -60, endAngle: Double = 60) {
            self.left = left
            self.right = right
            self.top = top
            self.bottom = bottom
            self.arc = arc
            self.arcBottom = arcBottom
            self.startAngle = startAngle
            self.endAngle = endAngle
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            left = try c.decode(Double.self, forKey: .left)
            right = try c.decode(Double.self, forKey: .right)
            top = try c.decode(Double.self, forKey: .top)
            bottom = try c.decode(Double.self, forKey: .bottom)
            arc = try c.decodeIfPresent(Double.self, forKey: .arc) ?? 0
            arcBottom = try c.decodeIfPresent(Double.self, forKey: .arcBottom)
            startAngle = try c.decodeIfPresent(Double.self, forKey: .startAngle) ?? -60
            endAngle = try c.decodeIfPresent(Double.self, forKey: .endAngle) ?? 60
        }

        var centre: Double { (left + right) / 2 }
        var radius: Double { (right - left) / 2 }
    }

    public struct Mesh: Sendable, Equatable, Codable {
        public var columns: Int
        public var rows: Int
        public var points: [Point]
        public init(columns: Int, rows: Int, points: [Point]) {
            self.columns = columns
            self.rows = rows
            self.points = points
        }

        func point(_ column: Int, _ row: Int) -> Point { points[row * columns + column] }
    }

    public enum Geometry: Sendable, Equatable, Codable {
        case perspective([Point])
        case cylinder(Cylinder)
        case mesh(Mesh)

        enum CodingKeys: String, CodingKey {
            case type, quad
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            switch try c.decode(String.self, forKey: .type) {
            case "perspective":
                let quad = try c.decode([Point].self, forKey: .quad)
                guard quad.count == 4 else {
                    throw DecodingError.dataCorruptedError(forKey: .quad, in: c, debugDescription: "expected 4 points but got \(quad.count)")
                }
                self = .perspective(quad)
            case "cylinder": self = .cylinder(try Cylinder(from: decoder))
            case "mesh": self = .mesh(try Mesh(from: decoder))
            case let other:
                throw DecodingError.dataCorruptedError(forKey: .type, in: c,
                                                       debugDescription: "expected perspective, cylinder or mesh but got \(other)")
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .perspective(let quad):
                try c.encode("perspective", forKey: .type)
                try c.encode(quad, forKey: .quad)
            case .cylinder(let cylinder):
                try c.encode("cylinder", forKey: .type)
                try cylinder.encode(to: encoder)
            case .mesh(let mesh):
                try c.encode("mesh", forKey: .type)
                try mesh.encode(to: encoder)
            }
        }

        /// Every canvas point the flat print can land on lies in this box (x0, y0, x1, y1).
        var bounds: (Double, Double, Double, Double) {
            switch self {
            case .perspective(let quad):
                return (quad.map(\.x).min() ?? 0, quad.map(\.y).min() ?? 0, quad.map(\.x).max() ?? 0, quad.map(\.y).max() ?? 0)
            case .mesh(let mesh):
                let quad = mesh.points
                return (quad.map(\.x).min() ?? 0, quad.map(\.y).min() ?? 0, quad.map(\.x).max() ?? 0, quad.map(\.y).max() ?? 0)
            case .cylinder(let c):
                let radians = [c.startAngle, c.endAngle].map { $0 * .pi / 180 }
                let lift = max(0, c.arc, c.arcBottom ?? c.arc)
                let drop = max(0, -c.arc, -(c.arcBottom ?? c.arc))
                return (c.centre + c.radius * sin(radians[0]), c.top - lift, c.centre + c.radius * sin(radians[1]), c.bottom + drop)
            }
        }

        /// The print's width and height as they appear on the canvas (longest edge lengths), to size the
        /// design before the warp so it is neither blurred up nor aliased down.
        var footprint: (width: Double, height: Double) {
            func length(_ a: Point, _ b: Point) -> Double { ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() }
            switch self {
            case .perspective(let q):
                return (max(length(q[0], q[1]), length(q[3], q[2])), max(length(q[0], q[3]), length(q[1], q[2])))
            case .cylinder(let c):
                return (c.radius * (c.endAngle - c.startAngle) * .pi / 180, c.bottom - c.top)
            case .mesh(let m):
                var width = 0.0, height = 0.0
                for row in 0..<m.rows {
                    width = max(width, (1..<m.columns).reduce(0) { $0 + length(m.point($1 - 1, row), m.point($1, row)) })
                }
                for column in 0..<m.columns {
                    height = max(height, (1..<m.rows).reduce(0) { $0 + length(m.point(column, $1 - 1), m.point(column, $1)) })
                }
                return (width, height)
            }
        }

        /// The same geometry on a canvas scaled by `factor`.
        func scaled(by factor: Double) -> Geometry {
            func scale(_ p: Point) -> Point { Point(p.x * factor, p.y * factor) }
            switch self {
            case .perspective(let quad): return .perspective(quad.map(scale))
            case .cylinder(var c):
                c.left *= factor
                c.right *= factor
                c.top *= factor
                c.bottom *= factor
                c.arc *= factor
                c.arcBottom = c.arcBottom.map { $0 * factor }
                return .cylinder(c)
            case .mesh(var m):
                m.points = m.points.map(scale)
                return .mesh(m)
            }
        }
    }

    public struct MaskMap: Sendable, Equatable, Codable {
        public var image: String
        public var feather: Double
        public init(image: String, feather: Double = 1) {
            self.image = image
            self.feather = feather
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            image = try c.decode(String.self, forKey: .image)
            feather = try c.decodeIfPresent(Double.self, forKey: .feather) ?? 0
        }
    }

    public struct DisplacementMap: Sendable, Equatable, Codable {
        public var image: String
        public var scale: Double
        public init(image: String, scale: Double) {
            self.image = image
            self.scale = scale
        }
    }

    public struct LightingMap: Sendable, Equatable, Codable {
        public var image: String
        public var mode: LightingMode
        public var strength: Double
        public init(image: String, mode: LightingMode = .softLight, strength: Double = 1) {
            self.image = image
            self.mode = mode
            self.strength = strength
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            image = try c.decode(String.self, forKey: .image)
            mode = try c.decodeIfPresent(LightingMode.self, forKey: .mode) ?? .softLight
            strength = try c.decodeIfPresent(Double.self, forKey: .strength) ?? 1
        }
    }

    public struct ImageMap: Sendable, Equatable, Codable {
        public var image: String
        public init(image: String) { self.image = image }
    }

    public struct Placement: Sendable, Equatable, Codable {
        public var name: String
        public var printArea: PrintArea
        public var geometry: Geometry
        public var mask: MaskMap?
        public var displacement: DisplacementMap?
        public var lighting: LightingMap?
        public var shading: ImageMap?
        public var blend: Blend
        public var opacity: Double

        public init(name: String, printArea: PrintArea, geometry: Geometry, mask: MaskMap? = nil,
                    displacement: DisplacementMap? = nil, lighting: LightingMap? = nil, shading: ImageMap? = nil,
                    blend: Blend = .normal, opacity: Double = 1) {
            self.name = name
            self.printArea = printArea
            self.geometry = geometry
            self.mask = mask
            self.displacement = displacement
            self.lighting = lighting
            self.shading = shading
            self.blend = blend
            self.opacity = opacity
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            printArea = try c.decode(PrintArea.self, forKey: .printArea)
            geometry = try c.decode(Geometry.self, forKey: .geometry)
            mask = try c.decodeIfPresent(MaskMap.self, forKey: .mask)
            displacement = try c.decodeIfPresent(DisplacementMap.self, forKey: .displacement)
            lighting = try c.decodeIfPresent(LightingMap.self, forKey: .lighting)
            shading = try c.decodeIfPresent(ImageMap.self, forKey: .shading)
            blend = try c.decodeIfPresent(Blend.self, forKey: .blend) ?? .normal
            opacity = try c.decodeIfPresent(Double.self, forKey: .opacity) ?? 1
        }
    }

    /// An overlay (any blend) or an occluder (normal blend), canvas-sized RGBA.
    public struct Layer: Sendable, Equatable, Codable {
        public var image: String
        public var blend: Blend
        public var opacity: Double
        public init(image: String, blend: Blend = .normal, opacity: Double = 1) {
            self.image = image
            self.blend = blend
            self.opacity = opacity
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            image = try c.decode(String.self, forKey: .image)
            blend = try c.decodeIfPresent(Blend.self, forKey: .blend) ?? .normal
            opacity = try c.decodeIfPresent(Double.self, forKey: .opacity) ?? 1
        }
    }
}
