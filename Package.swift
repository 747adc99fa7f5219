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
        .library(name: "SyncServer", targets: ["SyncServer"]),
        .executable(name: "sync-server", targets: ["sync-server"]),
        .library(name: "SyncConformance", targets: ["SyncConformance"]),
        .executable(name: "sync-conformance", targets: ["sync-conformance"]),
        .library(name: "SyncClient", targets: ["SyncClient"]),
        .library(name: "SyncClientWebSocket", targets: ["SyncClientWebSocket"]),
        .executable(name: "sync-client", targets: ["sync-client"]),
        .executable(name: "sync-bench", targets: ["sync-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Microbenchmarks (Benchmarks/). Only the malloc-counting trait: the default traits add
        // the ARC runtime interposer (swift-runtime-interposer, on Linux with Swift 6.3), which
        // the benchmarks do not use (no retain/release metrics) and this machine cannot fetch.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
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
        // The reference server: sync engine, storage, HTTP and WebSocket transport.
        .target(
            name: "SyncServer",
            dependencies: [
                "SyncProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sync-server",
            dependencies: [
                "SyncServer",
                "SyncProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The reference server with one deliberate bug, for the fault-injection tests of the
        // conformance suite. Test-only: never a product.
        .executableTarget(
            name: "fault-injection-server",
            dependencies: [
                "SyncServer",
                "SyncProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/FaultInjectionServer",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        // The conformance runner: replays Vectors/ against any implementation over the wire.
        // Never links server code.
        .target(
            name: "SyncConformance",
            dependencies: [
                "SyncProtocol",
                "SyncSpec",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sync-conformance",
            dependencies: [
                "SyncConformance",
                "SyncProtocol",
                "SyncSpec",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // The reference client SDK: local store (outbox, server layer), uploader state machine,
        // backoff. Builds for an iOS app: never links server code, Hummingbird or NIO.
        .target(
            name: "SyncClient",
            dependencies: [
                "SyncProtocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The client's WebSocket transport on swift-websocket's WSClient (SwiftNIO), apart so an
        // app with its own WebSocket stack links no NIO.
        .target(
            name: "SyncClientWebSocket",
            dependencies: [
                "SyncClient",
                "SyncProtocol",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The conformance harness protocol (Conformance/harness.md) over the SDK, for
        // `sync-client harness` and the fault-injection client.
        .target(
            name: "SyncClientHarness",
            dependencies: ["SyncClient", "SyncClientWebSocket", "SyncProtocol"],
            swiftSettings: swiftSettings
        ),
        // The reference client built with one deliberate bug, to prove the client vectors catch
        // faults. Test-only: never a product.
        .executableTarget(
            name: "fault-injection-client",
            dependencies: [
                "SyncClient",
                "SyncClientHarness",
                "SyncProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/FaultInjectionClient",
            exclude: ["README.md"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sync-client",
            dependencies: [
                "SyncClient",
                "SyncClientHarness",
                "SyncClientWebSocket",
                "SyncProtocol",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Measurements of the server (against baselines it starts: raw SQLite, a bare Hummingbird
        // echo server) and of the client against a running server.
        .executableTarget(
            name: "sync-bench",
            dependencies: [
                "SyncClient",
                "SyncClientWebSocket",
                "SyncProtocol",
                "SyncTestSupport",
                "sync-server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
        // Microbenchmarks of the server's hot pure paths, each with a baseline from the same run
        // (`swift package benchmark`; thresholds in Thresholds/). Never a product.
        .executableTarget(
            name: "ServerHotPaths",
            dependencies: [
                "SyncProtocol",
                "SyncServer",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/ServerHotPaths",
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // What several test targets (and the flood load of sync-bench) share: server processes on loopback, the tests' Python.
        .target(
            name: "SyncTestSupport",
            path: "Tests/SyncTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncClientTests",
            dependencies: [
                "SyncClient",
                "SyncClientWebSocket",
                "SyncProtocol",
                "SyncTestSupport",
                "SyncServer",
                "sync-server",
                "sync-client",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncConformanceTests",
            dependencies: [
                "SyncConformance",
                "SyncTestSupport",
                "sync-conformance",
                "sync-server",
                "fault-injection-server",
                "fault-injection-client",
                "sync-client",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            // The Python cross-check of the vector schema is run by path.
            exclude: ["Scripts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncSpecTests",
            dependencies: ["SyncSpec", "SyncTestSupport", "sync-spec"],
            // Spec fixtures and the Python validation scripts are read from disk by path.
            exclude: ["Fixtures", "Scripts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncProtocolTests",
            dependencies: ["SyncProtocol", "SyncSpec", "SyncTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SyncServerTests",
            dependencies: [
                "SyncServer",
                "SyncSpec",
                "SyncTestSupport",
                "sync-server",
                "fault-injection-server",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
