/// A number of bytes written the way people write them: `2G`, `512M`, `64K` or plain bytes.
///
/// Suffixes are binary (K = 1024 bytes, M = 1024 K, G = 1024 M), case-insensitive, with an
/// optional trailing `B` or `iB` (`2GB`, `2GiB`); fractions are allowed (`1.5G`).
public struct MemorySize: Equatable, Comparable, Sendable, CustomStringConvertible {
    /// The size in bytes.
    public let bytes: Int

    /// Wraps a byte count.
    public init(bytes: Int) {
        self.bytes = bytes
    }

    /// Parses `text`; throws `MemorySizeError` for anything that is not a positive size.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var body = Substring(trimmed.uppercased())
        if body.hasSuffix("IB") { body = body.dropLast(2) } else if body.hasSuffix("B") { body = body.dropLast() }
        var multiplier = 1.0
        if let last = body.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(last)] {
            multiplier = pow1024(power)
            body = body.dropLast()
        }
        if body.hasPrefix("-") { throw MemorySizeError.notPositive(text) }
        guard !body.isEmpty, body.allSatisfy({ $0.isNumber || $0 == "." }), let value = Double(body) else {
            throw MemorySizeError.unreadable(text)
        }
        let bytes = value * multiplier
        guard bytes >= 1 else { throw MemorySizeError.notPositive(text) }
        guard bytes < Double(Int.max / 2) else { throw MemorySizeError.tooLarge(text) }
        self.bytes = Int(bytes)
    }

    /// The size in the largest unit that keeps it at least 1, e.g. "2.0 GiB", "300 KiB".
    public var description: String {
        let units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) bytes" }
        return value >= 100 ? "\(Int(value.rounded())) \(units[unit])" : "\(formatted(value)) \(units[unit])"
    }

    /// Orders sizes by bytes.
    public static func < (a: MemorySize, b: MemorySize) -> Bool { a.bytes < b.bytes }

    /// One decimal place, without Foundation.
    private func formatted(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

private func pow1024(_ power: Int) -> Double {
    (0..<power).reduce(1.0) { value, _ in value * 1024 }
}

/// Why a memory size cannot be used.
public enum MemorySizeError: Error, Equatable, CustomStringConvertible {
    /// Not a number with an optional K/M/G suffix.
    case unreadable(String)
    /// Zero or negative.
    case notPositive(String)
    /// Larger than this machine can address.
    case tooLarge(String)

    /// One line for the user, quoting what they wrote.
    public var description: String {
        switch self {
        case .unreadable(let text): return "memory size '\(text)' is not a number with an optional K, M or G suffix (e.g. 2G, 512M)"
        case .notPositive(let text): return "memory size '\(text)' must be positive (e.g. 2G, 512M)"
        case .tooLarge(let text): return "memory size '\(text)' is too large"
        }
    }
}
