import Foundation
import Imaging

/// A streaming SHA-256 digest (FIPS 180-4), in pure Swift.
///
/// Feed bytes with `update`, then call `finalize` once; or use the static helpers for a whole
/// buffer or a file. Used to verify downloaded checkpoints and to identify model files and images.
public struct SHA256: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    /// Bytes of a partial block waiting for more input (fewer than 64).
    private var pending: [UInt8] = []
    /// Total message length in bytes so far.
    private var length: UInt64 = 0

    /// Starts an empty digest.
    public init() {
        pending.reserveCapacity(64)
    }

    /// Adds the bytes in `buffer` to the message.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        guard var base = buffer.baseAddress, buffer.count > 0 else { return }
        var count = buffer.count
        length &+= UInt64(count)
        if !pending.isEmpty {
            let take = min(64 - pending.count, count)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            base += take
            count -= take
            if pending.count == 64 {
                pending.withUnsafeBytes { compress($0.baseAddress!, blocks: 1) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        let whole = count / 64
        if whole > 0 {
            compress(base, blocks: whole)
            base += whole * 64
            count -= whole * 64
        }
        if count > 0 {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: count))
        }
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
        let bitLength = length &* 8
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBytes { compress($0.baseAddress!, blocks: $0.count / 64) }
        pending.removeAll()
        let words = [state.0, state.1, state.2, state.3, state.4, state.5, state.6, state.7]
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in words {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
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
        let fd: Int32
        do { fd = try RegularFile.descriptor(url.path) } catch {
            throw FileError(path: url.path, reason: "\(error)")
        }
        defer { close(fd) }
        var digest = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError(path: url.path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
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

    /// Runs the compression function over `blocks` consecutive 64-byte blocks at `data`.
    private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
        withUnsafeMutableBytes(of: &state) { raw in
            let h = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
            SHA256.roundConstants.withUnsafeBufferPointer { k in
                SHA256.compress(h, data, blocks, k.baseAddress!)
            }
        }
    }

    /// The compression function on raw pointers: `h` the eight state words, `k` the round constants.
    /// The message schedule is kept as a rolling window of 16 words.
    @inline(__always)
    private static func compress(_ h: UnsafeMutablePointer<UInt32>, _ data: UnsafeRawPointer, _ blocks: Int,
                                 _ k: UnsafePointer<UInt32>) {
        var w0: UInt32 = 0, w1: UInt32 = 0, w2: UInt32 = 0, w3: UInt32 = 0, w4: UInt32 = 0, w5: UInt32 = 0
        var w6: UInt32 = 0, w7: UInt32 = 0, w8: UInt32 = 0, w9: UInt32 = 0, w10: UInt32 = 0, w11: UInt32 = 0
        var w12: UInt32 = 0, w13: UInt32 = 0, w14: UInt32 = 0, w15: UInt32 = 0
        var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
        for block in 0..<blocks {
            let p = data + block * 64
            @inline(__always) func word(_ i: Int) -> UInt32 {
                UInt32(bigEndian: p.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
            }
            @inline(__always) func round(_ kt: UInt32, _ wt: UInt32) {
                let t1 = hh &+ (e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)) &+ ((e & f) ^ (~e & g)) &+ kt &+ wt
                let t2 = (a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                hh = g; g = f; f = e; e = d &+ t1
                d = c; c = b; b = a; a = t1 &+ t2
            }
            @inline(__always) func next(_ w16: UInt32, _ w15: UInt32, _ w7: UInt32, _ w2: UInt32) -> UInt32 {
                w16 &+ (w15.rotr(7) ^ w15.rotr(18) ^ (w15 &>> 3)) &+ w7 &+ (w2.rotr(17) ^ w2.rotr(19) ^ (w2 &>> 10))
            }
            w0 = word(0); round(k[0], w0); w1 = word(1); round(k[1], w1)
            w2 = word(2); round(k[2], w2); w3 = word(3); round(k[3], w3)
            w4 = word(4); round(k[4], w4); w5 = word(5); round(k[5], w5)
            w6 = word(6); round(k[6], w6); w7 = word(7); round(k[7], w7)
            w8 = word(8); round(k[8], w8); w9 = word(9); round(k[9], w9)
            w10 = word(10); round(k[10], w10); w11 = word(11); round(k[11], w11)
            w12 = word(12); round(k[12], w12); w13 = word(13); round(k[13], w13)
            w14 = word(14); round(k[14], w14); w15 = word(15); round(k[15], w15)
            var t = 16
            while t < 64 {
                w0 = next(w0, w1, w9, w14); round(k[t], w0)
                w1 = next(w1, w2, w10, w15); round(k[t + 1], w1)
                w2 = next(w2, w3, w11, w0); round(k[t + 2], w2)
                w3 = next(w3, w4, w12, w1); round(k[t + 3], w3)
                w4 = next(w4, w5, w13, w2); round(k[t + 4], w4)
                w5 = next(w5, w6, w14, w3); round(k[t + 5], w5)
                w6 = next(w6, w7, w15, w4); round(k[t + 6], w6)
                w7 = next(w7, w8, w0, w5); round(k[t + 7], w7)
                w8 = next(w8, w9, w1, w6); round(k[t + 8], w8)
                w9 = next(w9, w10, w2, w7); round(k[t + 9], w9)
                w10 = next(w10, w11, w3, w8); round(k[t + 10], w10)
                w11 = next(w11, w12, w4, w9); round(k[t + 11], w11)
                w12 = next(w12, w13, w5, w10); round(k[t + 12], w12)
                w13 = next(w13, w14, w6, w11); round(k[t + 13], w13)
                w14 = next(w14, w15, w7, w12); round(k[t + 14], w14)
                w15 = next(w15, w0, w8, w13); round(k[t + 15], w15)
                t += 16
            }
            a = a &+ h[0]; b = b &+ h[1]; c = c &+ h[2]; d = d &+ h[3]
            e = e &+ h[4]; f = f &+ h[5]; g = g &+ h[6]; hh = hh &+ h[7]
            h[0] = a; h[1] = b; h[2] = c; h[3] = d; h[4] = e; h[5] = f; h[6] = g; h[7] = hh
        }
    }

    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}

private extension UInt32 {
    /// Rotates right by `n` bits.
    @inline(__always)
    func rotr(_ n: UInt32) -> UInt32 { (self &>> n) | (self &<< (32 &- n)) }
}
