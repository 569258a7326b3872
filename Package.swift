// swift-tools-version:6.0
import PackageDescription

/// The capability modules that recipes, the server and the CLI stand on (docs/architecture.md).
let capabilities: [Target.Dependency] = [
    "BackdropImaging", "BackdropMetadata", "BackdropCutout", "BackdropStudio", "BackdropMockup", "BackdropPrivacy",
    "BackdropRuntime",
]

let package = Package(
    name: "Backdrop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "backdrop", targets: ["backdrop"]),
        .library(name: "BackdropImaging", targets: ["BackdropImaging"]),
        .library(name: "BackdropMetadata", targets: ["BackdropMetadata"]),
        .library(name: "BackdropCutout", targets: ["BackdropCutout"]),
        .library(name: "BackdropStudio", targets: ["BackdropStudio"]),
        .library(name: "BackdropMockup", targets: ["BackdropMockup"]),
        .library(name: "BackdropPrivacy", targets: ["BackdropPrivacy"]),
        .library(name: "BackdropBatch", targets: ["BackdropBatch"]),
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
        // The capabilities, one module each; docs/architecture.md draws them. Imaging is the base: the input
        // guard, decode/encode, the container allowlist every written file passes, files and errors.
        // libjpeg, libpng and zlib (already there under libvips): the scrub's lossless JPEG transcode and
        // the PNG image-data audit ask the codecs themselves where compressed data ends.
        .target(
            name: "CCodecs",
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16"), .linkedLibrary("z")]
        ),
        .target(
            name: "BackdropImaging",
            dependencies: ["CVips", "CCodecs"]
        ),
        // Metadata: read, inspect, scrub. No OpenCV, Tesseract or ONNX Runtime below it.
        .target(
            name: "BackdropMetadata",
            dependencies: ["BackdropImaging", "CVips"]
        ),
        // Cut-out: segmentation runtimes (OpenCV DNN, ONNX Runtime), the model registry, background removal.
        // ONNX Runtime for every network (segmentation, scene text): the library, sessions, the model file's
        // protobuf.
        .target(
            name: "BackdropRuntime",
            dependencies: ["COnnxRuntime"]
        ),
        .target(
            name: "BackdropCutout",
            dependencies: ["BackdropImaging", "BackdropRuntime", "CVips", "CVision", "COnnxRuntime"]
        ),
        // Studio shots: placement, shadows, enhancement, presets and the compliance check.
        .target(
            name: "BackdropStudio",
            dependencies: ["BackdropImaging", "BackdropMetadata", "BackdropCutout", "CVips"]
        ),
        // Mockups: templates (folders or archives), the renderer, and the built-in templates.
        .target(
            name: "BackdropMockup",
            dependencies: ["BackdropImaging", "CVips", "CVision", "CArchive"],
            // The built-in mockup templates (rendered with POV-Ray from templates-src/).
            resources: [.copy("Resources/Templates")]
        ),
        // Privacy: OCR, barcodes, faces, the recognisers, redaction and the gate.
        .target(
            name: "BackdropPrivacy",
            dependencies: ["BackdropImaging", "BackdropRuntime", "CVips", "CVision", "CTesseract", "COnnxRuntime"]
        ),
        // Batches: the manifest that makes a run resumable, and the review sheet.
        .target(
            name: "BackdropBatch",
            dependencies: ["BackdropImaging", "CVips"]
        ),
        // Recipes (docs/batch.md): YAML or `--steps`, checked with the CLI's own option parsers, and run on
        // one image in memory. Shared by `backdrop batch` and the server's jobs.
        .target(
            name: "BackdropRecipes",
            dependencies: capabilities + [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The local studio server: HTTP on top of the modules (keys, limits, audit log, job store, web page).
        // The server's multipart/form-data parser, alone so that it can be fuzzed without the server.
        .target(
            name: "BackdropForms",
            dependencies: ["BackdropImaging"]
        ),
        // Coverage-guided fuzz targets (scripts/fuzz builds this with -sanitize=fuzzer,address and
        // -DBACKDROP_FUZZ); built plainly it replays corpus files through the same targets.
        .executableTarget(
            name: "backdrop-fuzz",
            dependencies: ["BackdropImaging", "BackdropMetadata", "BackdropRecipes", "BackdropMockup", "BackdropForms"]
        ),
        .target(
            name: "BackdropServer",
            dependencies: capabilities + [
                "BackdropRecipes",
                "BackdropForms",
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
            dependencies: capabilities + [
                "BackdropBatch",
                "BackdropRecipes",
                "BackdropServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "backdrop-bench",
            dependencies: ["BackdropImaging", "BackdropMetadata", "BackdropMockup"]
        ),
        // What the tests share (as HummingbirdTesting/NIOTestUtils): scenes made in code with their exact
        // truth, alpha scores, image fixtures, ICC profiles and the tool runner. It needs Imaging only, so a
        // test target that uses it pulls in no vision stack.
        .target(
            name: "BackdropTestSupport",
            dependencies: ["BackdropImaging"]
        ),
        // The cut-out side of the test support: one shared segmentation runtime and the scene → file → cut-out harness.
        .target(
            name: "BackdropCutoutTestSupport",
            dependencies: ["BackdropCutout", "BackdropImaging", "BackdropTestSupport"]
        ),
        .testTarget(
            name: "BackdropImagingTests",
            dependencies: ["BackdropImaging", "BackdropTestSupport"]
        ),
        .testTarget(
            name: "BackdropMetadataTests",
            dependencies: ["BackdropMetadata", "BackdropImaging", "BackdropTestSupport"]
        ),
        .testTarget(
            name: "BackdropCutoutTests",
            dependencies: ["BackdropCutout", "BackdropRuntime", "BackdropImaging", "BackdropTestSupport", "BackdropCutoutTestSupport"],
            // Six photos of scripts/bg-corpus (independent of the scene code) with their exact alpha.
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "BackdropStudioTests",
            dependencies: ["BackdropStudio", "BackdropCutout", "BackdropImaging", "BackdropTestSupport", "BackdropCutoutTestSupport"]
        ),
        .testTarget(
            name: "BackdropMockupTests",
            dependencies: ["BackdropMockup", "BackdropImaging", "BackdropTestSupport"]
        ),
        .testTarget(
            name: "BackdropPrivacyTests",
            dependencies: ["BackdropPrivacy", "BackdropImaging", "BackdropTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "BackdropBatchTests",
            // BackdropCutout only to hold the review sheet's line to the cut-out confidence's calibrated one.
            dependencies: ["BackdropBatch", "BackdropImaging", "BackdropTestSupport", "BackdropCutout"]
        ),
        .testTarget(
            name: "CVisionTests",
            dependencies: ["CVision", "BackdropTestSupport"]
        ),
        .testTarget(
            name: "BackdropServerTests",
            dependencies: [
                "BackdropServer",
                "BackdropImaging",
                "BackdropCutout",
                "BackdropMockup",
                "BackdropRecipes",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BackdropCLITests",
            dependencies: ["BackdropImaging", "backdrop"],
            // Photographed scenes the privacy tests scan and redact, read from the package folder.
            exclude: ["Fixtures"]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
