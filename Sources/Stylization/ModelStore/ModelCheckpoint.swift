import Foundation

/// Which half of a level's model a checkpoint holds.
public enum ModelPart: String, Codable, CaseIterable, Sendable {
    /// The compact VGG-19 encoder up to relu<level>_1 (files se1 ... se5).
    case encoder
    /// The decoder that inverts it (files sd1 ... sd5).
    case decoder
}

/// One upstream checkpoint of the UST-16x model: where it comes from and how to recognise it.
public struct ModelCheckpoint: Equatable, Sendable {
    /// The short name, e.g. `"se1"`; the original file is `<name>.pth`.
    public var name: String
    /// Encoder or decoder.
    public var part: ModelPart
    /// The VGG-19 level, 1 (relu1_1) ... 5 (relu5_1).
    public var level: Int
    /// The file's path in the upstream repository.
    public var upstreamPath: String
    /// The original file's SHA-256, lower-case hex.
    public var sha256: String
    /// The original file's size in bytes.
    public var byteCount: Int
    /// Where the original file is downloaded from.
    public var upstreamURL: URL

    /// Creates a checkpoint entry; `upstreamURL` defaults to the pinned upstream commit's raw file.
    public init(name: String, part: ModelPart, level: Int, upstreamPath: String, sha256: String,
                byteCount: Int, upstreamURL: URL? = nil) {
        self.name = name
        self.part = part
        self.level = level
        self.upstreamPath = upstreamPath
        self.sha256 = sha256
        self.byteCount = byteCount
        self.upstreamURL = upstreamURL ?? ModelCheckpoint.upstreamRoot.appendingPathComponent(upstreamPath)
    }

    /// The original file's name, e.g. `"se1.pth"`.
    public var sourceFileName: String { name + ".pth" }

    /// The converted file's name, e.g. `"se1.safetensors"`.
    public var convertedFileName: String { name + ".safetensors" }

    /// The upstream commit the files are pinned to.
    public static let upstreamCommit = "4a269dc90020721ef9b279b2926c62f5bcd6d209"

    /// Raw file URLs of the upstream repository at `upstreamCommit`.
    public static let upstreamRoot = URL(
        string: "https://github.com/MingSun-Tse/Collaborative-Distillation/raw/\(upstreamCommit)")!

    /// The ten UST-16x checkpoints (Wang et al., CVPR 2020; MIT licence), encoders then decoders.
    public static let ust16x: [ModelCheckpoint] = [
        .init(name: "se1", part: .encoder, level: 1, upstreamPath: "trained_models/wct_se_16x_new/20191110-133713_E20.pth",
              sha256: "f74755a65164a88e0db8cbb7d99d7078b9fa505df0953fac5123bfc7c84e0ea4", byteCount: 10271),
        .init(name: "se2", part: .encoder, level: 2, upstreamPath: "trained_models/wct_se_16x_new/20191110-132713_E20.pth",
              sha256: "cb654af6bae77176f8c7721c965483e865b987f2f1612dda1ba0d0b5c3819a61", byteCount: 52833),
        .init(name: "se3", part: .encoder, level: 3, upstreamPath: "trained_models/wct_se_16x_new/20191110-132705_E20.pth",
              sha256: "269cdd0e2634e3e1e5d3005b9e7eca0f4cc8077653fee1ac8c0cf1cbe9ab8758", byteCount: 231124),
        .init(name: "se4", part: .encoder, level: 4, upstreamPath: "trained_models/wct_se_16x_new/20191110-132643_E20.pth",
              sha256: "d2f059cbcd6669556a43aadef58d20c8b280462c18b60a9e7424a14dd271cd6b", byteCount: 1235183),
        .init(name: "se5", part: .encoder, level: 5, upstreamPath: "trained_models/wct_se_16x_new/20191109-211322_E20.pth",
              sha256: "9417c34d0d8d621bc6af78be745f1b8d30f5f210efa01e50655c60eb3770816b", byteCount: 3862288),
        .init(name: "sd1", part: .decoder, level: 1, upstreamPath: "trained_models/wct_se_16x_new_sd/20191111-091942_E20.pth",
              sha256: "05f26ad40044c019da0cf731372d5bd2ee4b477825c7f45508da70b1cd5a95fd", byteCount: 3220),
        .init(name: "sd2", part: .decoder, level: 2, upstreamPath: "trained_models/wct_se_16x_new_sd/20191111-091932_E20.pth",
              sha256: "94dd26f0e69857f79bf284a43a3708aa05c09c2593427c7f6e400ad12ce314e6", byteCount: 30672),
        .init(name: "sd3", part: .decoder, level: 3, upstreamPath: "trained_models/wct_se_16x_new_sd/20191111-091929_E20.pth",
              sha256: "005faba27859435762a8a9386116c00629cd8835a01617d0a71defa577c42174", byteCount: 142014),
        .init(name: "sd4", part: .decoder, level: 4, upstreamPath: "trained_models/wct_se_16x_new_sd/20191111-092553_E20.pth",
              sha256: "902f65e2c6033d803d02df552eb898e5985190a7ae67d155e384826eec6f04cb", byteCount: 881308),
        .init(name: "sd5", part: .decoder, level: 5, upstreamPath: "trained_models/wct_se_16x_new_sd/20191110-204615_E20.pth",
              sha256: "17fd0f81622f01366eb21cb4d40140ee38cf988ed6eaf266629709c397a8b485", byteCount: 3243622),
    ]
}
