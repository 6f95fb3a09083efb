import Foundation

/// `--json` output: one JSON object a line on standard output, keys sorted, for scripts.
enum JSONLines {
    /// Prints `value` as one line of JSON.
    static func print<Value: Encodable>(_ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        Swift.print(String(decoding: data, as: UTF8.self))
        fflush(stdout)
    }
}

/// What `atelier render --json` prints for each photo: `status` is `rendered`, `skipped` (the
/// output exists and `--force` was not given) or `failed`; `input` and `output` are absolute
/// paths ("-" for a standard stream); `recipe`, `width`, `height` (pixels) and `seconds` (time
/// spent stylizing; for a video also `frames`) come with `rendered`, `error` (one line) with `skipped` and `failed`.
struct RenderResult: Encodable, Equatable {
    /// What happened to the photo.
    enum Status: String, Encodable { case rendered, skipped, failed }

    var status: Status
    var input: String
    var output: String
    var recipe: String?
    var width: Int?
    var height: Int?
    var seconds: Double?
    /// Frames written (videos only).
    var frames: Int?
    var error: String?
}
