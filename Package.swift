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
    ],
    targets: [
        // libvips through a fixed-arity shim: Swift cannot call its variadic API.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        .target(
            name: "BackdropCore",
            dependencies: ["CVips"]
        ),
        .executableTarget(
            name: "backdrop",
            dependencies: [
                "BackdropCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "backdrop-bench",
            dependencies: ["BackdropCore"]
        ),
        .testTarget(
            name: "BackdropCoreTests",
            dependencies: ["BackdropCore"]
        ),
        .testTarget(
            name: "BackdropCLITests",
            dependencies: ["BackdropCore", "backdrop"]
        ),
    ]
)
