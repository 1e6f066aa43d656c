// swift-tools-version: 6.1
import PackageDescription

// Fills a history database with a year of synthetic nightly runs (Benchmarks/history-scale.sh).
let package = Package(
    name: "HistoryScale",
    dependencies: [.package(name: "tierbench", path: "../..")],
    targets: [
        .executableTarget(name: "HistoryScale", dependencies: [.product(name: "History", package: "tierbench")]),
    ],
    swiftLanguageModes: [.v6]
)
