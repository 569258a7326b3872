// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Backdrop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "backdrop", targets: ["backdrop"]),
        .library(name: "BackdropCore", targets: ["BackdropCore"]),
        .library(name: "BackdropRecipes", targets: ["BackdropRecipes"]),
        .library(name: "BackdropServer", targets: ["BackdropServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Already in the graph through Hummingbird; named for the server's purge service.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
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
        // Recipes (docs/batch.md): YAML or `--steps`, checked with the CLI's own option parsers, and run on
        // one image in memory. Shared by `backdrop batch` and the server's jobs.
        .target(
            name: "BackdropRecipes",
            dependencies: [
                "BackdropCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The local studio server: HTTP on top of Core (keys, limits, audit log, job store, web page).
        .target(
            name: "BackdropServer",
            dependencies: [
                "BackdropCore",
                "BackdropRecipes",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "backdrop",
            dependencies: [
                "BackdropCore",
                "BackdropRecipes",
                "BackdropServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            name: "BackdropServerTests",
            dependencies: [
                "BackdropServer",
                "BackdropCore",
                "BackdropRecipes",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BackdropCLITests",
            dependencies: ["BackdropCore", "backdrop"]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
