// swift-tools-version: 6.1
import PackageDescription

// The hot path's benchmarks (ordo-one/benchmark), with allocation thresholds checked by `make test`:
//   swift package benchmark                     # run them, print wall clock, throughput, mallocs
//   swift package benchmark thresholds check    # compare mallocs with Thresholds/ (exit 2 above them)
// A package of its own, so `swift test` of tierbench never builds them. The fio comparison
// scripts next to it (compare-fio.sh, alloc-growth.sh, ...) are separate.
let package = Package(
    name: "tierbench-benchmarks",
    dependencies: [
        .package(name: "tierbench", path: ".."),
        // MallocInterposer only: the malloc counts (Swift 6.3 needs no jemalloc); not the Linux
        // runtime interposer (ARC counts), which these thresholds do not use.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HotPath",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Engine", package: "tierbench"),
                .product(name: "Harness", package: "tierbench"),
                .product(name: "Stats", package: "tierbench"),
                .product(name: "Workload", package: "tierbench"),
            ],
            path: "Benchmarks/HotPath",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
