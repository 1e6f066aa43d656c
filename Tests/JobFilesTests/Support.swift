import Foundation

/// The corpus and examples, found from this file (no bundle resources needed).
let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let corpusDirectory = testsDirectory.appendingPathComponent("corpus").path
let examplesDirectory = testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples").path
