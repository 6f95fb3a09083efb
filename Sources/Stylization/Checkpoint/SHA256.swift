import CLibCrypto
import Foundation

/// A streaming SHA-256 digest (FIPS 180-4), computed by OpenSSL's libcrypto.
///
/// Feed bytes with `update`, then call `finalize` once; or use the static helpers for a whole
/// buffer or a file. Used to verify downloaded checkpoints and to identify model files and images.
/// A copy taken mid-stream continues independently (copy on write).
public struct SHA256: @unchecked Sendable {
    /// The OpenSSL context; copied before a write when shared with another value.
    private var context: Context

    /// Starts an empty digest.
    public init() {
        context = Context()
    }

    /// Adds the bytes in `buffer` to the message.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        EVP_DigestUpdate(context.pointer, base, buffer.count)
    }

    /// Adds `bytes` to the message.
    public mutating func update<Bytes: ContiguousBytes>(_ bytes: Bytes) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds the UTF-8 encoding of `string` to the message.
    public mutating func update(_ string: String) {
        var copy = string
        copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// Pads the message and returns the 32-byte digest. The digest must not be updated afterwards.
    public mutating func finalize() -> [UInt8] {
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context.pointer, &digest, &length)
        return Array(digest.prefix(Int(length)))
    }

    /// Pads the message and returns the digest as 64 lower-case hex digits.
    public mutating func finalizeHex() -> String {
        SHA256.hexString(finalize())
    }

    /// The hex digest of `bytes`.
    public static func hex<Bytes: ContiguousBytes>(of bytes: Bytes) -> String {
        var digest = SHA256()
        digest.update(bytes)
        return digest.finalizeHex()
    }

    /// The hex digest of the file at `url`, read in 1 MiB chunks.
    ///
    /// Throws `SHA256.FileError` when the file cannot be opened or read.
    public static func hex(ofFile url: URL) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw FileError(path: url.path, reason: "cannot open the file")
        }
        defer { try? handle.close() }
        var digest = SHA256()
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw FileError(path: url.path, reason: error.localizedDescription)
            }
            guard let chunk, !chunk.isEmpty else { break }
            digest.update(chunk)
        }
        return digest.finalizeHex()
    }

    /// Lower-case hex of `bytes`.
    public static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A file could not be hashed.
    public struct FileError: Error, CustomStringConvertible {
        /// The file's path.
        public var path: String
        /// What went wrong.
        public var reason: String

        public var description: String { "cannot hash \(path): \(reason)" }
    }

    /// Owns one `EVP_MD_CTX` set up for SHA-256.
    private final class Context {
        let pointer: OpaquePointer

        init() {
            // Allocation fails only when memory is exhausted, where Swift itself traps too.
            pointer = EVP_MD_CTX_new()!
            EVP_DigestInit_ex(pointer, EVP_sha256(), nil)
        }

        private init(copying other: Context) {
            pointer = EVP_MD_CTX_new()!
            EVP_MD_CTX_copy_ex(pointer, other.pointer)
        }

        /// An independent context in the same state.
        func copy() -> Context { Context(copying: self) }

        deinit { EVP_MD_CTX_free(pointer) }
    }
}
