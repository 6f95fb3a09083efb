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

    /// `MASK=STYLE[:W][,STYLE[:W]]`.
    static func parseRegion(_ text: String) throws -> (mask: String, styles: [Weighted]) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ValidationError("--region \(text): expected MASK.png=STYLE[:W][,STYLE[:W]]")
        }
        let mask = String(text[..<equals])
        let list = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: true).map(String.init)
        guard !mask.isEmpty, !list.isEmpty else {
            throw ValidationError("--region \(text): expected MASK.png=STYLE[:W][,STYLE[:W]]")
        }
        return (mask, try parseBlend(list, option: "--region \(mask)"))
    }
}
