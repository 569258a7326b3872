import BackdropImaging
/// A marketplace's image rules and the studio shot that meets them. Each value cites where it comes
/// from; a rule the marketplace states as a requirement is `.required` (it fails a check), one it only
/// recommends is `.advised` (it warns).
public struct MarketplacePreset: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable { case required, advised }

    /// A bound and whether the marketplace requires or only recommends it.
    public struct Bound<Value: Sendable & Equatable & Codable>: Sendable, Equatable, Codable {
        public var value: Value
        public var level: Level
        public init(_ value: Value, _ level: Level = .required) {
            self.value = value
            self.level = level
        }
    }

    public struct Size: Sendable, Equatable, Codable, CustomStringConvertible {
        public var width: Int
        public var height: Int
        public init(_ width: Int, _ height: Int) {
            self.width = width
            self.height = height
        }
        public var description: String { "\(width)×\(height)" }
    }

    public var name: String
    public var title: String
    /// Where the rules come from.
    public var sources: [String]

    // The studio shot.
    /// Canvas the studio renders.
    public var canvas: Size
    /// Share of the canvas the product's longer relative side fills (its bounding box against the canvas).
    public var fill: Double
    /// The smallest canvas the studio may fall back to rather than upscale a small photo past the
    /// sharpness limit (the marketplace's minimum for zoom).
    public var minimumCanvas: Size?
    public var format: ImageFormat
    public var quality: Int

    // The rules `backdrop check` measures.
    /// Border-connected background pixels must be exactly RGB 255,255,255.
    public var pureWhiteBackground: Level?
    /// Smallest product fill.
    public var minimumFill: Bound<Double>?
    public var minimumLongestSide: Bound<Int>?
    public var maximumLongestSide: Bound<Int>?
    public var minimumShortestSide: Bound<Int>?
    /// Width:height the image must have (within 1%).
    public var aspectRatio: Bound<Size>?
    public var maximumMegapixels: Bound<Double>?
    public var maximumFileBytes: Bound<Int>?
    public var formats: [ImageFormat]
    public var requiresSRGB: Level?
    /// No frame added around the picture.
    public var noBorders: Level?
    /// No text, logos or watermarks laid over the picture.
    public var noOverlays: Level?

    public init(name: String, title: String, sources: [String], canvas: Size, fill: Double, minimumCanvas: Size? = nil,
                format: ImageFormat = .jpeg, quality: Int = 92, pureWhiteBackground: Level? = nil,
                minimumFill: Bound<Double>? = nil, minimumLongestSide: Bound<Int>? = nil,
                maximumLongestSide: Bound<Int>? = nil, minimumShortestSide: Bound<Int>? = nil,
                aspectRatio: Bound<Size>? = nil, maximumMegapixels: Bound<Double>? = nil,
                maximumFileBytes: Bound<Int>? = nil, formats: [ImageFormat], requiresSRGB: Level? = nil,
                noBorders: Level? = nil, noOverlays: Level? = nil) {
        self.name = name
        self.title = title
        self.sources = sources
        self.canvas = canvas
        self.fill = fill
        self.minimumCanvas = minimumCanvas
        self.format = format
        self.quality = quality
        self.pureWhiteBackground = pureWhiteBackground
        self.minimumFill = minimumFill
        self.minimumLongestSide = minimumLongestSide
        self.maximumLongestSide = maximumLongestSide
        self.minimumShortestSide = minimumShortestSide
        self.aspectRatio = aspectRatio
        self.maximumMegapixels = maximumMegapixels
        self.maximumFileBytes = maximumFileBytes
        self.formats = formats
        self.requiresSRGB = requiresSRGB
        self.noBorders = noBorders
        self.noOverlays = noOverlays
    }
}

extension MarketplacePreset {
    private static let megabyte = 1024 * 1024

    /// Amazon main image. Source: Amazon Seller Central help G9FUUH87RBNXGKB7, "Product image
    /// requirements": pure white background (RGB 255,255,255); the product fills 85% or more of the
    /// frame; 1,000 px or larger on the longest side enables zoom, 10,000 px at most; JPEG preferred
    /// (TIFF, PNG, GIF accepted); sRGB; no text, logos, borders or watermarks; 10 MB at most.
    /// The studio aims at 86% so rounding never lands a shot under 85%.
    public static let amazon = MarketplacePreset(
        name: "amazon", title: "Amazon main image",
        sources: ["Amazon Seller Central help G9FUUH87RBNXGKB7 (Product image requirements)"],
        canvas: Size(2000, 2000), fill: 0.86, minimumCanvas: Size(1000, 1000), format: .jpeg,
        pureWhiteBackground: .required, minimumFill: Bound(0.85), minimumLongestSide: Bound(1000),
        maximumLongestSide: Bound(10000), maximumFileBytes: Bound(10 * megabyte),
        formats: [.jpeg, .png, .tiff, .gif], requiresSRGB: .required, noBorders: .required, noOverlays: .required)

    /// Walmart main image. Source: Walmart Marketplace Learn, "Product detail page: image guidelines &
    /// requirements": 2200×2200 px recommended, at least 1500×1500 for zoom, square 1:1, seamless white
    /// background RGB 255,255,255, 5 MB at most, JPEG/JPG, PNG or BMP; no borders, watermarks or text.
    public static let walmart = MarketplacePreset(
        name: "walmart", title: "Walmart main image",
        sources: ["Walmart Marketplace Learn: Product detail page: image guidelines & requirements"],
        canvas: Size(2200, 2200), fill: 0.85, minimumCanvas: Size(1500, 1500), format: .jpeg,
        pureWhiteBackground: .required, minimumLongestSide: Bound(2200, .advised),
        minimumShortestSide: Bound(1500), aspectRatio: Bound(Size(1, 1)), maximumFileBytes: Bound(5 * megabyte),
        formats: [.jpeg, .png], requiresSRGB: .advised, noBorders: .required, noOverlays: .required)

    /// eBay. Source: eBay picture policy (help id 4370) and its photo tips: at least 500 px on the
    /// longest side, 1600 px recommended; no added borders, text or artwork; a plain white or
    /// light-grey background recommended.
    public static let ebay = MarketplacePreset(
        name: "ebay", title: "eBay listing photo",
        sources: ["eBay picture policy, help id 4370", "eBay help: Adding pictures to your listings (tips)"],
        canvas: Size(1600, 1600), fill: 0.85, minimumCanvas: Size(500, 500), format: .jpeg,
        pureWhiteBackground: .advised, minimumLongestSide: Bound(500),
        formats: [.jpeg, .png, .tiff, .gif, .webp, .heic, .avif], requiresSRGB: .advised,
        noBorders: .required, noOverlays: .required)

    /// Shopify. Source: shopify.dev product media docs and Shopify Help "Product media types": images
    /// up to 4472×4472 px or 20 megapixels and 20 MB; 2048×2048 px square recommended for product
    /// photos; JPEG, PNG, WebP, HEIC, GIF.
    public static let shopify = MarketplacePreset(
        name: "shopify", title: "Shopify product image",
        sources: ["shopify.dev: Product media (image requirements)", "Shopify Help Center: Product media types"],
        canvas: Size(2048, 2048), fill: 0.85, minimumCanvas: Size(800, 800), format: .jpeg,
        pureWhiteBackground: .advised, minimumLongestSide: Bound(2048, .advised),
        maximumLongestSide: Bound(4472), aspectRatio: Bound(Size(1, 1), .advised),
        maximumMegapixels: Bound(20), maximumFileBytes: Bound(20 * megabyte),
        formats: [.jpeg, .png, .webp, .heic, .gif], requiresSRGB: .advised)

    /// Etsy. Source: Etsy Seller Handbook / Etsy Help "How to add photos to your listing": 2000 px or
    /// more on the shortest side recommended, 4:3 ratio recommended (3000×2250 px), JPG, PNG or GIF.
    public static let etsy = MarketplacePreset(
        name: "etsy", title: "Etsy listing photo",
        sources: ["Etsy Help: How to add photos to your listing", "Etsy Seller Handbook: listing photo size guide"],
        canvas: Size(3000, 2250), fill: 0.85, minimumCanvas: Size(2000, 1500), format: .jpeg,
        minimumShortestSide: Bound(2000, .advised), aspectRatio: Bound(Size(4, 3), .advised),
        formats: [.jpeg, .png, .gif], requiresSRGB: .advised)

    /// Google Merchant Center. Source: Google Merchant Center help answer 6324350 (image_link): at
    /// least 500×500 px here (Google's floor is 100×100, 250×250 for apparel), 1500×1500 advised, at most
    /// 64 megapixels and 16 MB; JPEG, WebP, PNG, GIF, BMP, TIFF; no borders, watermarks, text or
    /// promotional overlays.
    public static let google = MarketplacePreset(
        name: "google", title: "Google Merchant Center image",
        sources: ["Google Merchant Center help, answer 6324350 (image_link)"],
        canvas: Size(1500, 1500), fill: 0.85, minimumCanvas: Size(500, 500), format: .jpeg,
        pureWhiteBackground: .advised, minimumLongestSide: Bound(1500, .advised), minimumShortestSide: Bound(500),
        maximumMegapixels: Bound(64), maximumFileBytes: Bound(16 * megabyte),
        formats: [.jpeg, .webp, .png, .gif, .tiff], requiresSRGB: .advised, noBorders: .required, noOverlays: .required)

    /// Instagram Shopping (Meta Commerce Manager product images). Source: Meta Business Help "Product
    /// image specifications for commerce": square images of at least 1024×1024 px recommended (500×500
    /// the floor), on a white or plain background; JPEG or PNG.
    public static let instagram = MarketplacePreset(
        name: "instagram", title: "Instagram Shopping product image",
        sources: ["Meta Business Help Center: Image specifications for Commerce Manager"],
        canvas: Size(1080, 1080), fill: 0.85, minimumCanvas: Size(1024, 1024), format: .jpeg,
        pureWhiteBackground: .advised, minimumShortestSide: Bound(1024), aspectRatio: Bound(Size(1, 1)),
        maximumFileBytes: Bound(8 * megabyte), formats: [.jpeg, .png], requiresSRGB: .advised)

    public static let builtIn: [MarketplacePreset] = [amazon, walmart, ebay, shopify, etsy, google, instagram]
}
