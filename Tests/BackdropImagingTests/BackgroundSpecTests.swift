import Testing
@testable import BackdropImaging

/// Issue 20, item 2: one spelling of a background everywhere (remove-bg, studio, recipes, the server).
@Suite("--background: colours as CSS writes them, gradients, photos, transparency")
struct BackgroundSpecTests {
    @Test("colours: #RGB, #RRGGBB with or without #, CSS names in any case, grey and gray")
    func colours() {
        #expect(RGBColor(css: "#FFF") == RGBColor(255, 255, 255))
        #expect(RGBColor(css: "#f80") == RGBColor(255, 136, 0))
        #expect(RGBColor(css: "FF8000") == RGBColor(255, 128, 0))
        #expect(RGBColor(css: "#ff8000") == RGBColor(255, 128, 0))
        #expect(RGBColor(css: "white") == RGBColor(255, 255, 255))
        #expect(RGBColor(css: "Grey") == RGBColor(128, 128, 128))
        #expect(RGBColor(css: "gray") == RGBColor(128, 128, 128))
        #expect(RGBColor(css: "lightgrey") == RGBColor(211, 211, 211))
        #expect(RGBColor(css: "navy") == RGBColor(0, 0, 128))
        #expect(RGBColor(css: "rebeccapurple") == RGBColor(102, 51, 153))
        #expect(RGBColor(css: " beige ") == RGBColor(245, 245, 220))
        #expect(RGBColor.cssNames.count == 148)
        for bad in ["", "#", "#FFFF", "#GGG", "#12345", "#1234567", "blurple", "white2", "rgb(1,2,3)"] {
            #expect(RGBColor(css: bad) == nil, "'\(bad)'")
        }
    }

    @Test("backgrounds: transparent, a colour, gradient:A,B, image:PATH; anything else names what is expected")
    func backgrounds() throws {
        #expect(try BackgroundSpec.parse("transparent") == .transparent)
        #expect(try BackgroundSpec.parse("white") == .color(.white))
        #expect(try BackgroundSpec.parse("#000") == .color(RGBColor(0, 0, 0)))
        #expect(try BackgroundSpec.parse("gradient:white,navy") == .gradient(top: .white, bottom: RGBColor(0, 0, 128)))
        #expect(try BackgroundSpec.parse("gradient:#FFF,#F0F0F0") == .gradient(top: .white, bottom: RGBColor(240, 240, 240)))
        #expect(try BackgroundSpec.parse("image:/tmp/wood.jpg") == .image(path: "/tmp/wood.jpg"))
        for bad in ["", "blurple", "gradient:white", "gradient:white,navy,red", "gradient:white,blurple", "image:"] {
            let error = #expect(throws: OptionError.self, "'\(bad)'") { try BackgroundSpec.parse(bad) }
            #expect(error?.description.contains("background") == true, "\(String(describing: error))")
        }
    }
}
