// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "tierbench",
    products: [
        .executable(name: "tierbench", targets: ["tierbench"]),
        // For Benchmarks/HistoryScale (a package of its own, so benchmarks never slow `swift test`).
        .library(name: "History", targets: ["History"]),
        // For Benchmarks/ZonesScale.
        .library(name: "Zones", targets: ["Zones"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C declarations only: the umbrella header for liburing and the constants Swift cannot import.
        .target(
            name: "CURing",
            linkerSettings: [.linkedLibrary("uring")]
        ),
        // The only Swift module that sees liburing's types.
        .target(name: "URing", dependencies: ["CURing"]),
        // IO engines (io_uring, psync), targets, aligned buffers, syscall wrappers.
        .target(name: "Engine", dependencies: ["URing", "CURing"]),
        // Job specification, offset generators, read/write mix, units: pure Swift.
        .target(name: "Workload"),
        // Latency histograms and counters: value types.
        .target(name: "Stats", dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")]),
        // Runs jobs on worker threads: layout, ramp, runtime, signals, results.
        .target(name: "Harness", dependencies: ["Engine", "CURing", "Workload", "Stats"]),
        // Formats results: human tables, tierbench JSON and JSON Lines, fio json+, CSV, progress line.
        .target(name: "Report", dependencies: ["Harness", "Engine", "Stats", "Workload"]),
        // Tier profiles as data (profiles/*.yaml): the formula language, the model, the loader.
        .target(name: "Profiles", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Tier verdicts: the suite a tier needs, judging measured jobs against its promise, reports.
        .target(name: "Check", dependencies: ["Profiles", "Harness", "Engine", "Report", "Workload", "Stats"]),
        // Per-zone runs on Kubernetes: plan, manifests, the kubectl driver, collection, cleanup, cross-zone report.
        .target(name: "Zones", dependencies: ["Check", "Profiles", "Harness", "Report", "Stats", "Workload"]),
        // Job files: fio's INI format and tierbench's YAML/JSON, to RawJobOptions (and explain).
        .target(name: "JobFiles", dependencies: ["Workload", .product(name: "Yams", package: "Yams")]),
        // History of runs (SQLite through GRDB): store, schema and migrations, series, statistics, the regression gate.
        .target(name: "History", dependencies: ["Harness", "Check", "Report", "Stats", "Workload", "Engine", .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(
            name: "tierbench",
            dependencies: [
                "Harness", "Report", "Workload", "Engine", "Stats", "Profiles", "Check", "JobFiles", "Zones", "History",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "WorkloadTests", dependencies: ["Workload", "Stats"]),
        .testTarget(name: "StatsTests", dependencies: ["Stats", "Workload"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "Harness", "Report", "Workload"]),
        .testTarget(name: "CLITests", dependencies: ["Workload", "History"], exclude: ["kube-emulator"]),
        .testTarget(name: "ProfilesTests", dependencies: ["Profiles"]),
        .testTarget(name: "CheckTests", dependencies: ["Check", "Profiles", "Harness", "Stats", "Workload"]),
        .testTarget(name: "ZonesTests", dependencies: ["Zones", "Check", "Profiles", "Harness", "Stats", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "HistoryTests", dependencies: ["History", "Harness", "Stats", "Workload", "Engine", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "JobFilesTests", dependencies: ["JobFiles", "Workload"], exclude: ["corpus"]),
    ],
    swiftLanguageModes: [.v6]
)
