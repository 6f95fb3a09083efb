import Foundation
import Stylization

extension Session {
    /// The session after `command`: a pure function of the two, validated and clamped.
    public func applying(_ command: SessionCommand) throws -> Session {
        var next = self
        try next.apply(command)
        return next
    }

    /// Applies `command` in place; on error the session is left unchanged.
    public mutating func apply(_ command: SessionCommand) throws {
        var next = self
        switch command {
        case .setContent(let path, let frame):
            next.contentPath = try Self.checked(path)
            next.frame = try frame.map { ClipFrame(clip: try Self.checked($0.clip), index: max(0, $0.index)) }
        case .addStyle(let path, let weight):
            next.styles.append(StyleChoice(path: try Self.checked(path), weight: try Self.weight(weight)))
        case .removeStyle(let index):
            try checkStyle(index)
            next.styles.remove(at: index)
            next.remapBlends { $0 == index ? nil : ($0 > index ? $0 - 1 : $0) }
        case .replaceStyle(let index, let path):
            try checkStyle(index)
            next.styles[index].path = try Self.checked(path)
        case .moveStyle(let from, let to):
            try checkStyle(from)
            try checkStyle(to)
            let moved = next.styles.remove(at: from)
            next.styles.insert(moved, at: to)
            next.remapBlends { i in
                if i == from { return to }
                if from < to, i > from, i <= to { return i - 1 }
                if to < from, i >= to, i < from { return i + 1 }
                return i
            }
        case .setWeight(let index, let weight):
            try checkStyle(index)
            next.styles[index].weight = try Self.weight(weight)
        case .adjustWeight(let index, let delta):
            try checkStyle(index)
            next.styles[index].weight = try Self.weight(styles[index].weight + Self.number(delta, "the weight step"))
        case .setActive(let index, let active):
            try checkStyle(index)
            next.styles[index].active = active
        case .toggleActive(let index):
            try checkStyle(index)
            next.styles[index].active.toggle()
        case .setAlpha(let value):
            next.alpha = Self.unit(try Self.number(value, "alpha"))
        case .adjustAlpha(let delta):
            next.alpha = Self.unit(alpha + (try Self.number(delta, "the alpha step")))
        case .setTransform(let transform):
            next.transform = transform
        case .setQuality(let quality):
            next.quality = quality
        case .setColor(let color):
            next.color = color
        case .setMask(let mask):
            next.mask = try Self.checked(mask)
        case .setMaskShape(let shape):
            var preset = mask.preset ?? PresetMask(shape: shape)
            preset.shape = shape
            next.mask = .preset(preset)
        case .setSplit(let value):
            try next.updatePreset { $0.split = PresetMask.clampSplit(try Self.number(value, "the split position")) }
        case .adjustSplit(let delta):
            try next.updatePreset { $0.split = PresetMask.clampSplit($0.split + (try Self.number(delta, "the split step"))) }
        case .setFeather(let value):
            try next.updatePreset { $0.feather = PresetMask.clampFeather(try Self.number(value, "the feather width")) }
        case .adjustFeather(let delta):
            try next.updatePreset { $0.feather = PresetMask.clampFeather($0.feather + (try Self.number(delta, "the feather step"))) }
        case .setRegionBlend(let side, let blend):
            var cleaned: [WeightedStyle] = []
            for entry in blend {
                try checkStyle(entry.index)
                cleaned.append(WeightedStyle(index: entry.index, weight: try Self.weight(entry.weight)))
            }
            if side == .inside { next.insideBlend = cleaned } else { next.outsideBlend = cleaned }
        case .swapRegionBlends:
            swap(&next.insideBlend, &next.outsideBlend)
        case .setModel(let id):
            guard let entry = ModelCatalog.entry(id) else { throw SessionCommandError.noSuchModel(id) }
            next.model = id == ModelCatalog.defaultFamilyID && model == nil ? nil : id
            // A family with built-in styles starts with its first one when none is on yet.
            if entry.family.usesBuiltinStyles, next.activeBlend.isEmpty,
               !next.styles.contains(where: { $0.builtinIndex != nil }) {
                next.styles.append(.builtin(0))
            }
        }
        self = next
    }

    private func checkStyle(_ index: Int) throws {
        guard styles.indices.contains(index) else {
            throw SessionCommandError.noSuchStyle(index: index, count: styles.count)
        }
    }

    private mutating func updatePreset(_ change: (inout PresetMask) throws -> Void) throws {
        guard var preset = mask.preset else { throw SessionCommandError.noPresetMask }
        try change(&preset)
        mask = .preset(preset)
    }

    /// Rewrites style indices in both blends; entries mapped to nil are dropped.
    private mutating func remapBlends(_ map: (Int) -> Int?) {
        func remap(_ blend: [WeightedStyle]) -> [WeightedStyle] {
            blend.compactMap { entry in map(entry.index).map { WeightedStyle(index: $0, weight: entry.weight) } }
        }
        insideBlend = remap(insideBlend)
        outsideBlend = remap(outsideBlend)
    }

    private static func checked(_ path: String) throws -> String {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else { throw SessionCommandError.emptyPath }
        return path
    }

    private static func checked(_ mask: MaskSetup) throws -> MaskSetup {
        switch mask {
        case .none: return .none
        case .preset(let preset):
            guard !preset.split.isNaN, !preset.feather.isNaN else {
                throw SessionCommandError.notANumber("the mask split or feather")
            }
            return .preset(PresetMask(shape: preset.shape, split: preset.split, feather: preset.feather))
        case .image(let path): return .image(path: try checked(path))
        }
    }

    private static func number(_ value: Float, _ what: String) throws -> Float {
        guard value.isFinite else { throw SessionCommandError.notANumber(what) }
        return value
    }

    private static func weight(_ value: Float) throws -> Float {
        max(0, try number(value, "the weight"))
    }

    private static func unit(_ value: Float) -> Float { min(max(value, 0), 1) }
}
