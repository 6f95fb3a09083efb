import ArgumentParser

/// Parses `STYLE[:WEIGHT]` and `MASK=STYLE[:W][,STYLE[:W]]` command-line values.
enum StyleArgument {
    /// A style path and its weight.
    struct Weighted: Equatable {
        var path: String
        var weight: Float
    }

    /// `STYLE[:WEIGHT]`: the weight is whatever follows the last ':' when it is a number, so
    /// paths containing ':' still work.
    static func parse(_ text: String, option: String) throws -> Weighted {
        if let colon = text.lastIndex(of: ":") {
            let tail = String(text[text.index(after: colon)...])
            if let weight = Float(tail) {
                let path = String(text[..<colon])
                guard !path.isEmpty else { throw ValidationError("\(option) \(text): missing the style image before ':'") }
                guard weight.isFinite, weight >= 0 else {
                    throw ValidationError("\(option) \(text): style weights must be zero or positive")
                }
                return Weighted(path: path, weight: weight)
            }
        }
        guard !text.isEmpty else { throw ValidationError("\(option): empty style") }
        return Weighted(path: text, weight: 1)
    }

    /// A list of styles forming one blend; at least one weight must be positive.
    static func parseBlend(_ texts: [String], option: String) throws -> [Weighted] {
        let blend = try texts.map { try parse($0, option: option) }
        guard blend.contains(where: { $0.weight > 0 }) else {
            throw ValidationError("\(option): the style weights are all zero; at least one must be positive")
        }
        return blend
    }

    /// `MASK=ITEM[,ITEM]`: the mask and the unparsed items (styles or built-in numbers).
    static func parseRegion(_ text: String) throws -> (mask: String, texts: [String]) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ValidationError("--region \(text): expected MASK.png=STYLE[:W][,STYLE[:W]]")
        }
        let mask = String(text[..<equals])
        let list = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: true).map(String.init)
        guard !mask.isEmpty, !list.isEmpty else {
            throw ValidationError("--region \(text): expected MASK.png=STYLE[:W][,STYLE[:W]]")
        }
        return (mask, list)
    }

    /// `N[:WEIGHT]`: built-in style N (0 ..< count) with a weight (default 1).
    static func parseBuiltin(_ text: String, count: Int, option: String) throws -> (index: Int, weight: Float) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let index = Int(parts[0]) else {
            throw ValidationError("\(option) \(text): expected N[:WEIGHT] with N from 0 to \(count - 1)")
        }
        guard (0..<count).contains(index) else {
            throw ValidationError("\(option) \(text): built-in styles are numbered 0 to \(count - 1)")
        }
        var weight: Float = 1
        if parts.count == 2 {
            guard let w = Float(parts[1]) else { throw ValidationError("\(option) \(text): cannot read the weight") }
            weight = w
        }
        guard weight.isFinite, weight >= 0 else {
            throw ValidationError("\(option) \(text): style weights must be zero or positive")
        }
        return (index, weight)
    }

    /// Built-in styles forming one blend; at least one weight must be positive.
    static func parseBuiltinBlend(_ texts: [String], count: Int, option: String) throws -> [(index: Int, weight: Float)] {
        let blend = try texts.map { try parseBuiltin($0, count: count, option: option) }
        guard blend.contains(where: { $0.weight > 0 }) else {
            throw ValidationError("\(option): the style weights are all zero; at least one must be positive")
        }
        return blend
    }
}
