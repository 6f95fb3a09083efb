#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// File names as the bytes the system uses. A Linux file name is any bytes, but a Swift
/// `String` holds only Unicode, and decoding other bytes would turn them into U+FFFD (an input
/// "does not exist", an output is written under another name). So paths that reach Atelier as
/// bytes (the command line, the current folder) are decoded losslessly: valid UTF-8 as usual,
/// and each byte of anything else as one *escape* scalar, U+F0000 + the byte (Supplementary
/// Private Use Area-A). `systemPath` turns such a string back into the exact bytes for open(2),
/// rename(2), stat(2)...; `shown` prints escapes as `\xNN` for people. A name that really
/// contains one of the 128 escape scalars is escaped byte by byte too, so every byte string
/// round-trips. Recipes store the decoded string (replaying one finds the same file).
public enum PathBytes {
    /// The escape scalar of byte 0x80 (bytes 0x80...0xFF map to U+F0080...U+F00FF).
    static let escapeBase: UInt32 = 0xF0000
    static let escapes: ClosedRange<UInt32> = 0xF0080...0xF00FF

    /// The lossless string of a file name's bytes.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let bytes = Array(bytes)
        if let text = String(validating: bytes, as: UTF8.self), !text.unicodeScalars.contains(where: { escapes.contains($0.value) }) {
            return text
        }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            if length > 0, let scalar = String(validating: bytes[index..<(index + length)], as: UTF8.self)?.unicodeScalars.first,
               !escapes.contains(scalar.value) {
                scalars.append(scalar)
                index += length
            } else {
                // Not UTF-8 (or an escape scalar spelled out): each byte on its own.
                let end = index + max(length, 1)
                for byte in bytes[index..<end] {
                    scalars.append(byte < 0x80 ? Unicode.Scalar(byte) : Unicode.Scalar(escapeBase + UInt32(byte))!)
                }
                index = end
            }
        }
        return String(scalars)
    }

    /// The bytes of `path` for the system: escape scalars become their byte, the rest UTF-8.
    public static func encode(_ path: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if escapes.contains(scalar.value) {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// `encode(path)` with a terminating NUL, for C calls (`open(PathBytes.cString(p), ...)`).
    public static func cString(_ path: String) -> [CChar] {
        encode(path).map { CChar(bitPattern: $0) } + [0]
    }

    /// `text` for people: each escape scalar written `\xNN` (the byte it stands for).
    public static func shown(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { escapes.contains($0.value) }) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            if escapes.contains(scalar.value) {
                result += String(format: "\\x%02x", scalar.value - escapeBase)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The command line, each argument decoded losslessly (`CommandLine.arguments` would put
    /// U+FFFD in place of bytes that are not UTF-8).
    public static func arguments() -> [String] {
        (0..<Int(CommandLine.argc)).map { index in
            guard let pointer = CommandLine.unsafeArgv[index] else { return "" }
            return decode(UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self),
                                              count: strlen(pointer)))
        }
    }

    /// The current folder, decoded losslessly.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return FileManager.default.currentDirectoryPath }
        return decode(buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) })
    }

    /// The names in `folder` (not "." and ".."), decoded losslessly; nil when it cannot be read.
    public static func names(in folder: String) -> [String]? {
        guard let directory = opendir(cString(folder)) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in decode(raw.prefix { $0 != 0 }) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The length of the valid UTF-8 sequence starting at `index`, or 0 when there is none.
    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count,
              String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil else { return 0 }
        return length
    }
}

extension URL {
    /// The path's bytes for C calls, NUL-terminated (see `PathBytes`): `open(url.systemPath, ...)`.
    public var systemPath: [CChar] { PathBytes.cString(path) }
}
