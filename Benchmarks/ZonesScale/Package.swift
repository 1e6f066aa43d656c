// swift-tools-version: 6.1
import PackageDescription

// 50 zones x 4 volumes: rendering the manifests and merging the volumes' results, timed
// (Benchmarks/zones-scale.sh).
let package = Package(
    name: "ZonesScale",
    dependencies: [.package(name: "tierbench", path: "../..")],
    targets: [
        .executableTarget(name: "ZonesScale", dependencies: [.product(name: "Zones", package: "tierbench")]),
    ],
    swiftLanguageModes: [.v6]
)
