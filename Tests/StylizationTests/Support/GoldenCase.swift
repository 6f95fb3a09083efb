import Foundation
import Imaging
import Runtime
@testable import Stylization

/// One folder of ../shared/reference/cases: parameters, inputs, expected output, tolerances.
struct GoldenCase {
    struct Entry: Decodable {
        var name: String
        var mean_abs_tol: Double
        var max_abs_tol: Double
    }

    struct Parameters: Decodable {
        var kind: String
        var level: Int?
        var transform: String?
        var levels: [Int]?
        var alpha: Float?
        var color: String?
        var style_weights: [Float]?
        var regions: [[[Double]]]?
    }

    let name: String
    let folder: URL
    let parameters: Parameters
    let meanTolerance: Double
    let maxTolerance: Double

    static func index() throws -> [Entry] {
        struct Index: Decodable { var cases: [Entry] }
        let data = try Data(contentsOf: SharedMaterial.cases.appendingPathComponent("cases.json"))
        return try JSONDecoder().decode(Index.self, from: data).cases
    }

    init(name: String) throws {
        guard let entry = try Self.index().first(where: { $0.name == name }) else {
            throw NumpyArray.ReadError.malformed(name, "case not listed in cases.json")
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
