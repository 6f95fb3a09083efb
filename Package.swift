// swift-tools-version:6.0
// Atelier: a terminal workstation for neural style transfer.
//
// Layers, each depending only downward:
//   C system libraries (OpenBLAS, libpng, libjpeg-turbo, libwebp, libtiff, libheif, Little CMS,
//                  ncursesw, libcrypto) and C kernels
//   Runtime        float32 tensors, conv/pool/upsample, BLAS/LAPACK, worker pool
//   Imaging        image decoding (PNG, JPEG, WebP, TIFF, HEIC/AVIF) to sRGB, PNG encoding, resizing
//   Stylization    UST-16x checkpoints, encoders/decoders, AdaIN/WCT, the render pipeline
//   Engine         the interactive session: state, undo, caches, render workers, export
//   Terminal       ncurses front, graphics adapters (sixel, kitty, half-block, ascii), themes
//   Workstation    the TUI: panes, key map, help overlay (no tensor math)
//   AtelierCLI     the `atelier` executable
import PackageDescription

/// Numeric code is compiled optimised (`-O`, bounds and overflow checks kept) even in debug
/// builds, so `swift test` runs the model at full speed (a debug build of numeric Swift is
/// 10-100x slower). Release builds get `-O` from the configuration itself.
let optimisedSwift: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
let optimisedC: [CSetting] = [.unsafeFlags(["-O3", "-fno-math-errno", "-Wno-unused-parameter"])]

let package = Package(
    name: "Atelier",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "atelier", targets: ["AtelierCLI"]),
    ],
    dependencies: [
        // Pinned to the minor version built and tested (Package.resolved is not committed).
        .package(url: "https://github.com/apple/swift-argument-parser", .upToNextMinor(from: "1.8.0")),
        .package(url: "https://github.com/LebJe/TOMLKit", .upToNextMinor(from: "0.6.0")),
        .package(url: "https://github.com/apple/swift-protobuf", .upToNextMinor(from: "1.39.0")),
    ],
    targets: [
        // System libraries, found through pkg-config.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CLibJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CLittleCMS", pkgConfig: "lcms2",
                       providers: [.apt(["liblcms2-dev"])]),
        .systemLibrary(name: "CLibWebP", pkgConfig: "libwebpdemux",
                       providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CLibTIFF", pkgConfig: "libtiff-4",
                       providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CLibHeif", pkgConfig: "libheif",
                       providers: [.apt(["libheif-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CChafa", pkgConfig: "chafa",
                       providers: [.apt(["libchafa-dev", "libglib2.0-dev"])]),

        // C kernels: the inner loops of the runtime.
        .target(name: "CKernels", dependencies: ["COpenBLAS"], cSettings: optimisedC),
        // C shims over the image libraries, one file a format behind one decoder signature (libpng's
        // and libjpeg's error handling needs setjmp, which Swift cannot do), and Little CMS.
        .target(name: "CImageCodecs",
                dependencies: ["CLibPNG", "CLibJPEG", "CLibWebP", "CLibTIFF", "CLibHeif", "CLittleCMS"],
                cSettings: optimisedC),

        .target(name: "Runtime", dependencies: ["CKernels", "COpenBLAS"], swiftSettings: optimisedSwift),
        .target(name: "Imaging", dependencies: ["CImageCodecs", "CZlib"], swiftSettings: optimisedSwift),
        // Zip archives (Python wheels), read defensively into memory.
        .target(name: "Archive", dependencies: ["CZlib"]),
        .target(name: "Stylization", dependencies: ["Runtime", "Imaging", "CLibCrypto", "Archive",
                                                  .product(name: "SwiftProtobuf", package: "swift-protobuf")], swiftSettings: optimisedSwift),
        .target(name: "ProceduralStyles", dependencies: ["Imaging"], swiftSettings: optimisedSwift),
        .target(name: "Engine", dependencies: ["Stylization", "Imaging", "Runtime"]),
        // The sixel encoder's palette mapping (the in-order loop of every sixel picture).
        .target(name: "CSixel", cSettings: optimisedC),
        .target(name: "Terminal", dependencies: ["CNcursesw", "CChafa", "CSixel", "Imaging", "TOMLKit"]),
        .target(name: "Workstation", dependencies: ["Engine", "Terminal"]),
        .executableTarget(name: "AtelierCLI", dependencies: [
            "Workstation", "Engine", "Stylization", "Imaging", "ProceduralStyles", "Runtime",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "RuntimeTests", dependencies: ["Runtime"], swiftSettings: optimisedSwift),
        .testTarget(name: "ArchiveTests", dependencies: ["Archive", "CZlib", "Stylization"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "CLittleCMS"], exclude: ["Fixtures"]),
        .testTarget(name: "StylizationTests", dependencies: ["Stylization", "Runtime", "Imaging", "Archive",
                                                          .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                    swiftSettings: optimisedSwift),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Stylization", "Imaging"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Imaging"]),
        .testTarget(name: "CLITests", dependencies: ["Imaging", "Stylization", "Runtime"]),
        .testTarget(name: "WorkstationTests", dependencies: ["Workstation", "Engine", "Terminal"], exclude: ["Benchmark"]),
        .testTarget(name: "ProceduralStylesTests", dependencies: ["ProceduralStyles", "Imaging"]),
    ],
    swiftLanguageModes: [.v5]
)
