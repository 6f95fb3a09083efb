import Foundation
import Imaging
import Runtime
@testable import Stylization
import XCTest

/// The parameters a golden case's case.json holds, and the index file (under
/// ../shared/reference/cases) that lists such cases with their tolerances.
protocol GoldenCaseParameters: Decodable {
    /// "cases.json" or "cases_models.json".
    static var indexFile: String { get }
}

/// One case as its index lists it.
struct GoldenCaseEntry: Decodable {
    var name: String
    var mean_abs_tol: Double
    var max_abs_tol: Double
}

/// An index file: its cases.
private struct GoldenCaseIndex: Decodable {
    var cases: [GoldenCaseEntry]
}

/// One folder of ../shared/reference/cases: parameters, inputs, expected output, tolerances.
/// `GoldenCase<UST16xCaseParameters>` (cases.json) and `GoldenCase<ModelCaseParameters>`
/// (cases_models.json) differ only in the index and the parameters.
struct GoldenCase<Parameters: GoldenCaseParameters> {
    let name: String
    let folder: URL
    let parameters: Parameters
    let meanTolerance: Double
    let maxTolerance: Double

    /// Every case the index lists.
    static func index() throws -> [GoldenCaseEntry] {
        let data = try Data(contentsOf: SharedMaterial.cases.appendingPathComponent(Parameters.indexFile))
        return try JSONDecoder().decode(GoldenCaseIndex.self, from: data).cases
    }

    init(name: String) throws {
        guard let entry = try Self.index().first(where: { $0.name == name }) else {
            throw NumpyArray.ReadError.malformed(name, "case not listed in \(Parameters.indexFile)")
        }
        self.name = name
        folder = SharedMaterial.cases.appendingPathComponent(name)
        parameters = try JSONDecoder().decode(Parameters.self, from: Data(contentsOf: folder.appendingPathComponent("case.json")))
        meanTolerance = entry.mean_abs_tol
        maxTolerance = entry.max_abs_tol
    }

    func array(_ file: String) throws -> NumpyArray {
        try NumpyArray(contentsOf: folder.appendingPathComponent(file + ".npy"))
    }

    func tensor(_ file: String) throws -> Tensor {
        let a = try array(file)
        return Tensor(channels: a.shape[0], height: a.shape[1], width: a.shape[2], data: a.values)
    }

    func image(_ file: String) throws -> RGBImage {
        let t = try tensor(file)
        return RGBImage(width: t.width, height: t.height, pixels: t.data)
    }

    func expected() throws -> NumpyArray { try array("expected") }

    /// Fails the calling test unless `output` (CHW order) has the expected size and its mean and
    /// largest absolute differences from expected.npy are within the index's tolerances.
    /// `label` follows the case's name in messages (e.g. the instruction set it ran on).
    func assertMatchesExpected(_ output: [Float], label: String = "", file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try expected()
        let name = label.isEmpty ? self.name : "\(self.name) \(label)"
        XCTAssertEqual(output.count, expected.values.count, "\(name): output size", file: file, line: line)
        guard output.count == expected.values.count else { return }
        var sum = 0.0, worst: Float = 0
        for (a, b) in zip(output, expected.values) {
            let d = abs(a - b)
            sum += Double(d)
            worst = max(worst, d)
        }
        let mean = sum / Double(output.count)
        print("golden \(name): mean abs \(String(format: "%.2e", mean)) (tol \(meanTolerance)), max abs \(String(format: "%.2e", worst)) (tol \(maxTolerance))")
        XCTAssertLessThanOrEqual(mean, meanTolerance, "\(name): mean abs difference", file: file, line: line)
        XCTAssertLessThanOrEqual(Double(worst), maxTolerance, "\(name): max abs difference", file: file, line: line)
    }
}

/// One UST-16x case folder and its tolerances in cases.json.
typealias UST16xCase = GoldenCase<UST16xCaseParameters>

/// The parameters of a UST-16x case (cases.json).
struct UST16xCaseParameters: GoldenCaseParameters {
    static let indexFile = "cases.json"
    var kind: String
    var level: Int?
    var transform: String?
    var levels: [Int]?
    var alpha: Float?
    var color: String?
    var style_weights: [Float]?
    var regions: [[[Double]]]?
}

extension GoldenCase where Parameters == UST16xCaseParameters {
    /// Runs the case through the Swift implementation; returns the output's values (CHW order).
    func run(model: UST16xModel) throws -> [Float] {
        switch parameters.kind {
        case "encode":
            return try model.encode(tensor("content"), level: parameters.level!).data
        case "decode":
            return try model.decode(tensor("features"), level: parameters.level!).data
        default:
            return try stylize(model: model).pixels
        }
    }

    private func stylize(model: UST16xModel) throws -> RGBImage {
        let p = parameters
        let weights = p.style_weights ?? [1]
        let styles = try weights.indices.map { SourceImage(image: try image("style\($0)"), identity: "style\($0)") }
        var settings = StylizeSettings(
            transform: FeatureTransform(rawValue: p.transform ?? "adain")!,
            quality: p.levels == [4] ? .fast : .full,
            alpha: p.alpha ?? 1,
            color: p.color.flatMap(ColorPreservation.init(rawValue:)) ?? .off,
            styles: weights.enumerated().map { WeightedStyle(index: $0.offset, weight: $0.element) })
        if let regions = p.regions {
            settings.regions = try regions.enumerated().map { i, blend in
                let m = try tensor("mask\(i)")
                return Region(mask: GrayImage(width: m.width, height: m.height, pixels: m.data),
                              styles: blend.map { WeightedStyle(index: Int($0[0]), weight: Float($0[1])) })
            }
        }
        let content = SourceImage(image: try image("content"), identity: "content")
        return try Stylizer(model: model).stylize(content: content, styles: styles, settings: settings)
    }
}
