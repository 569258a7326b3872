// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Backdrop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "backdrop", targets: ["backdrop"]),
        .library(name: "BackdropCore", targets: ["BackdropCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // libvips through a fixed-arity shim: Swift cannot call its variadic API.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        // OpenCV (DNN, imgproc, objdetect) and zxing-cpp behind a plain C API; no C++ exception crosses
        // it. Debian's OpenCV subset ships no opencv4.pc, so the include path and libraries are named
        // here; zxing-cpp's headers are included as <ZXing/...>.
        .target(
            name: "CVision",
            // -O2 in debug builds too: the per-pixel loops (mockup maps, refinement) would otherwise make the
            // debug test suite crawl; the code is the same either way.
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4", "-O2"])],
            linkerSettings: [
                .linkedLibrary("ZXing"),
                .linkedLibrary("opencv_objdetect"),
                .linkedLibrary("opencv_dnn"),
                .linkedLibrary("opencv_imgproc"),
                .linkedLibrary("opencv_core"),
            ]
        ),
        // Tesseract's C API for OCR (pkg-config tesseract). It only ever gets pixel buffers.
        .systemLibrary(
            name: "CTesseract",
            pkgConfig: "tesseract",
            providers: [.apt(["libtesseract-dev", "tesseract-ocr-eng"])]
        ),
        // libarchive: a mockup template may come as one .zip or .tar(.gz); it is read in memory.
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        // ONNX Runtime's C API, declared by hand and loaded with dlopen: Backdrop builds and runs
        // without the library (scripts/fetch-runtime puts it in ~/.cache/backdrop/runtime).
        .target(
            name: "COnnxRuntime",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .target(
            name: "BackdropCore",
            dependencies: ["CVips", "CVision", "CTesseract", "CArchive", "COnnxRuntime"],
            // The built-in mockup templates (rendered with POV-Ray from templates-src/).
            resources: [.copy("Resources/Templates")]
        ),
        .executableTarget(
            name: "backdrop",
            dependencies: [
                "BackdropCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "backdrop-bench",
            dependencies: ["BackdropCore"]
        ),
        .testTarget(
            name: "BackdropCoreTests",
            dependencies: ["BackdropCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CVisionTests",
            dependencies: ["CVision"]
        ),
        .testTarget(
            name: "BackdropCLITests",
            dependencies: ["BackdropCore", "backdrop"]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
