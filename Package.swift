// swift-tools-version: 6.1
import PackageDescription

/// One set of Swift settings for every target: Swift 6 language mode, strict concurrency.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "MobileSync",
    platforms: [.macOS(.v14), .iOS(.v17)],
    products: [
        .library(name: "SyncProtocol", targets: ["SyncProtocol"]),
        .library(name: "SyncSpec", targets: ["SyncSpec"]),
        .executable(name: "sync-spec", targets: ["sync-spec"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // Wire types generated from Spec/ plus their small hand-written support. Foundation only.
        .target(name: "SyncProtocol", swiftSettings: swiftSettings),
        // Spec model, loader, linter, renderers (Swift, OpenAPI, AsyncAPI, JSON Schema, Markdown), differ.
        .target(
            name: "SyncSpec",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sync-spec",
            dependencies: [
                "SyncSpec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncSpecTests",
            dependencies: ["SyncSpec", "sync-spec"],
            // Spec fixtures and the Python validation scripts are read from disk by path.
            exclude: ["Fixtures", "Scripts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncProtocolTests",
            dependencies: ["SyncProtocol", "SyncSpec"],
            swiftSettings: swiftSettings
        ),
    ]
)
