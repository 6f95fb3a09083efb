import Foundation

/// Paths to ../shared (the golden cases, the weights mirror, the test images).
enum SharedMaterial {
    /// `$ATELIER_SHARED`, else `<repo>/../shared`.
    static var root: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_SHARED"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared")
    }

    /// `$ATELIER_WEIGHTS_MIRROR`, else `<shared>/models/ust16x`.
    static var weightsMirror: URL {
        if let path = ProcessInfo.processInfo.environment["ATELIER_WEIGHTS_MIRROR"] { return ust16xFolder(path) }
        return root.appendingPathComponent("models/ust16x")
    }

    static var cases: URL { root.appendingPathComponent("reference/cases") }
    static var images: URL { root.appendingPathComponent("images") }
}


/// A weights mirror is either the shared models root (with `ust16x/`, `magenta/`, ...) or the
/// UST-16x folder itself: the folder that holds the .pth files.
private func ust16xFolder(_ path: String) -> URL {
    let nested = URL(fileURLWithPath: path).appendingPathComponent("ust16x")
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: nested.path, isDirectory: &isDirectory) && isDirectory.boolValue
        ? nested : URL(fileURLWithPath: path)
}
