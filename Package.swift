// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "bayan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bayan", targets: ["bayan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // libpq, found through pkg-config; the shim re-exports what Swift cannot import.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // zlib, for gzip-compressed dumps.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The libpq wrapper: connections, parameterized queries, typed rows, transactions, COPY, locks.
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                "CopyText",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // initdb / pg_ctl around a local cluster: the embedded default database and the test harness.
        .target(
            name: "PostgresCluster",
            dependencies: [
                "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // PostgreSQL's COPY text format, pure: the one escaping routine shared by the run directory and the loader.
        .target(name: "CopyText"),
        // Pure Arabic text algorithms: normalization, tokens, stems, sentence segmentation.
        .target(name: "ArabicText"),
        // The contract between stages: row types of the run directory and their COPY-text encoding.
        .target(name: "RunArtifacts", dependencies: ["CopyText"]),
        .target(
            name: "Extract",
            dependencies: [
                "ArabicText",
                "CZlib",
                "RunArtifacts",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Transform",
            dependencies: [
                "ArabicText",
                "RunArtifacts",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Load",
            dependencies: [
                "CopyText",
                "Postgres",
                "RunArtifacts",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Wires the stages into runs: run directories, the warehouse connection, summaries.
        .target(
            name: "Pipeline",
            dependencies: [
                "Extract", "Transform", "Load", "Operations", "Postgres", "PostgresCluster", "RunArtifacts",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What operators see: log handlers (text, JSON), the progress display, settings, the ledger views, run-directory retention.
        .target(
            name: "Operations",
            dependencies: [
                "CopyText", "Extract", "Postgres", "RunArtifacts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Reports, charts, the data dictionary and data checks over the loaded warehouse.
        .target(
            name: "Reporting",
            dependencies: [
                "CopyText", "Postgres",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "bayan",
            dependencies: [
                "Operations", "Pipeline", "Reporting", "Postgres", "PostgresCluster", "RunArtifacts", "Extract", "Transform", "Load", "ArabicText", "CopyText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Test support: one throwaway PostgreSQL cluster for the test process, a database per test.
        .target(
            name: "TestSupport",
            dependencies: [
                "Postgres", "PostgresCluster", "Load",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "CopyTextTests", dependencies: ["CopyText", "TestSupport"]),
        .testTarget(name: "ArabicTextTests", dependencies: ["ArabicText", "TestSupport"]),
        .testTarget(name: "ExtractTests", dependencies: ["Extract", "RunArtifacts", "TestSupport"]),
        .testTarget(name: "TransformTests", dependencies: ["Transform", "RunArtifacts", "ArabicText", "TestSupport"]),
        .testTarget(
            name: "PostgresTests",
            dependencies: ["Postgres", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "LoadTests",
            dependencies: ["Load", "Pipeline", "Postgres", "RunArtifacts", "Extract", "Transform", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "OperationsTests",
            dependencies: ["CopyText", "Operations", "RunArtifacts", "Extract", "Transform", "Postgres", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "BayanCLITests", dependencies: ["TestSupport", "Postgres", "PostgresCluster", .product(name: "Logging", package: "swift-log")]),
        // Hostile and huge inputs, seeded fuzzing and security checks, against a real PostgreSQL and the built binary.
        .testTarget(
            name: "TortureTests",
            dependencies: [
                "ArabicText", "CopyText", "Extract", "Postgres", "PostgresCluster", "RunArtifacts", "TestSupport", "Transform",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "ArabicText", "Postgres", "PostgresCluster", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
