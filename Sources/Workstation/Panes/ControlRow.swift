import Engine
import Foundation
import Stylization

/// One row of the controls pane: a slider or a choice, derived from the session.
public enum ControlRow: Equatable, Hashable, Sendable {
    /// Content-style trade-off.
    case alpha
    /// The weight of one active style (its index in the session's styles).
    case weight(Int)
    /// The model family.
    case model
    /// AdaIN or WCT.
    case transform
    /// Fast or full.
    case quality
    /// Colour preservation.
    case color
    /// No mask, a preset shape, or a mask image.
    case mask
    /// Where the preset's boundary sits.
    case split
    /// How soft the preset's boundary is.
    case feather
    /// The style or blend inside the mask.
    case inside
    /// The style or blend outside the mask.
    case outside

    /// Small and large slider steps: alpha, weights, split, feather.
    static let alphaSteps: (small: Float, large: Float) = (0.05, 0.25)
    static let weightSteps: (small: Float, large: Float) = (0.05, 0.25)
    static let splitSteps: (small: Float, large: Float) = (0.02, 0.1)
    static let featherSteps: (small: Float, large: Float) = (0.01, 0.05)
    /// The largest weight a slider reaches (weights are relative; 1 is a style's default).
    static let maximumWeight: Float = 1

    /// The rows for `session`, top to bottom.
    public static func rows(for session: Session) -> [ControlRow] {
        var rows: [ControlRow] = [.alpha]
        rows += session.styles.indices.filter { session.styles[$0].active && session.styleFits($0) }.map { .weight($0) }
        rows.append(.model)
        let options = ModelCatalog.entry(session.family)?.family.options ?? []
        if options.contains(.transform) { rows.append(.transform) }
        if options.contains(.quality) { rows.append(.quality) }
        rows += [.color, .mask]
        if session.mask.preset != nil { rows += [.split, .feather] }
        if session.mask.hasRegions { rows += [.inside, .outside] }
        return rows
    }

    /// The row's label.
    public func label(in session: Session) -> String {
        switch self {
        case .alpha: return "Alpha"
        case .weight(let i):
            return session.styles.indices.contains(i) ? "· " + StyleName.of(session.styles[i].path) : "· weight"
        case .model: return "Model"
        case .transform: return "Transform"
        case .quality: return "Quality"
        case .color: return "Colour"
        case .mask: return "Mask"
        case .split: return "Split"
        case .feather: return "Feather"
        case .inside: return "Inside"
        case .outside: return "Outside"
        }
    }

    /// For sliders, the position in [0, 1] of the value; nil for choices.
    public func fraction(in session: Session) -> Double? {
        switch self {
        case .alpha: return Double(session.alpha)
        case .weight(let i):
            return session.styles.indices.contains(i) ? Double(min(session.styles[i].weight / Self.maximumWeight, 1)) : 0
        case .split: return session.mask.preset.map { Double($0.split) }
        case .feather: return session.mask.preset.map { Double($0.feather / PresetMask.maximumFeather) }
        default: return nil
        }
    }

    /// The value as text ("0.80", "AdaIN", "left/right").
    public func value(in session: Session) -> String {
        switch self {
        case .alpha: return Self.number(session.alpha)
        case .weight(let i): return session.styles.indices.contains(i) ? Self.number(session.styles[i].weight) : "-"
        case .model: return ModelCatalog.entry(session.family)?.family.title ?? session.family
        case .transform: return session.transform == .adain ? "AdaIN" : "WCT"
        case .quality: return session.quality.rawValue
        case .color: return session.color.rawValue
        case .mask:
            switch session.mask {
            case .none: return "none"
            case .preset(let preset): return Self.name(of: preset.shape)
            case .image(let path): return "image " + (path as NSString).lastPathComponent
            }
        case .split: return session.mask.preset.map { Self.number($0.split) } ?? "-"
        case .feather: return session.mask.preset.map { Self.number($0.feather) } ?? "-"
        case .inside, .outside:
            let blend = session.blend(for: self == .inside ? .inside : .outside)
            guard let only = blend.first, blend.count == 1, session.styles.indices.contains(only.index) else {
                return blend.isEmpty ? "all active styles" : "\(blend.count) styles"
            }
            return StyleName.of(session.styles[only.index].path)
        }
    }

    /// The command that moves this row one step in `direction` (+1 or -1), large or small;
    /// `maskImage` is the last mask image used (offered by the mask choice). Nil when nothing changes.
    public func command(direction: Int, large: Bool, session: Session, maskImage: String?) -> SessionCommand? {
        let sign: Float = direction < 0 ? -1 : 1
        switch self {
        case .alpha:
            let step = large ? Self.alphaSteps.large : Self.alphaSteps.small
            return .setAlpha(min(max(Self.snapped(session.alpha + sign * step), 0), 1))
        case .weight(let i):
            guard session.styles.indices.contains(i) else { return nil }
            let step = large ? Self.weightSteps.large : Self.weightSteps.small
            let next = min(max(Self.snapped(session.styles[i].weight + sign * step), 0), Self.maximumWeight)
            return .setWeight(index: i, weight: next)
        case .model:
            return .setModel(Self.cycle(ModelCatalog.ids, from: session.family, by: direction))
        case .transform:
            return .setTransform(Self.cycle(FeatureTransform.allCases, from: session.transform, by: direction))
        case .quality:
            return .setQuality(Self.cycle(Quality.allCases, from: session.quality, by: direction))
        case .color:
            return .setColor(Self.cycle(ColorPreservation.allCases, from: session.color, by: direction))
        case .mask:
            var choices: [MaskChoice] = [.none] + PresetShape.allCases.map(MaskChoice.preset)
            if let maskImage { choices.append(.image(maskImage)) }
            if case .image(let path) = session.mask, maskImage != path { choices.append(.image(path)) }
            let current = MaskChoice(session.mask)
            let next = Self.cycle(choices, from: current, by: direction)
            switch next {
            case .none: return .setMask(.none)
            case .preset(let shape): return .setMaskShape(shape)
            case .image(let path): return .setMask(.image(path: path))
            }
        case .split:
            guard let preset = session.mask.preset else { return nil }
            let step = large ? Self.splitSteps.large : Self.splitSteps.small
            return .setSplit(min(max(Self.snapped(preset.split + sign * step), 0), 1))
        case .feather:
            guard let preset = session.mask.preset else { return nil }
            let step = large ? Self.featherSteps.large : Self.featherSteps.small
            return .setFeather(min(max(Self.snapped(preset.feather + sign * step), 0), PresetMask.maximumFeather))
        case .inside, .outside:
            let side: RegionSide = self == .inside ? .inside : .outside
            let choices: [[WeightedStyle]] = [[]] + session.styles.indices.filter { session.styles[$0].active && session.styleFits($0) }
                .map { [WeightedStyle(index: $0, weight: 1)] }
            let current = session.blend(for: side)
            let at = choices.firstIndex(of: current) ?? 0
            let next = choices[((at + direction) % choices.count + choices.count) % choices.count]
            return .setRegionBlend(side, next)
        }
    }

    /// The command that puts a slider at `fraction` (0...1) of its range (a mouse click on its
    /// gauge); nil for choices.
    public func command(settingFraction fraction: Float, session: Session) -> SessionCommand? {
        let f = min(max(Self.snapped(fraction), 0), 1)
        switch self {
        case .alpha: return .setAlpha(f)
        case .weight(let i): return session.styles.indices.contains(i) ? .setWeight(index: i, weight: f * Self.maximumWeight) : nil
        case .split: return session.mask.preset == nil ? nil : .setSplit(f)
        case .feather: return session.mask.preset == nil ? nil : .setFeather(Self.snapped(f * PresetMask.maximumFeather))
        default: return nil
        }
    }

    /// Whether the row is a slider (h/l move it) rather than a choice.
    public var isSlider: Bool {
        switch self {
        case .alpha, .weight, .split, .feather: return true
        default: return false
        }
    }

    private enum MaskChoice: Equatable {
        case none, preset(PresetShape), image(String)
        init(_ mask: MaskSetup) {
            switch mask {
            case .none: self = .none
            case .preset(let p): self = .preset(p.shape)
            case .image(let path): self = .image(path)
            }
        }
    }

    static func name(of shape: PresetShape) -> String {
        switch shape {
        case .leftRight: return "left/right"
        case .topBottom: return "top/bottom"
        case .centreEllipse: return "centre ellipse"
        }
    }

    private static func cycle<T: Equatable>(_ all: [T], from current: T, by step: Int) -> T {
        guard let at = all.firstIndex(of: current) else { return all[0] }
        return all[((at + step) % all.count + all.count) % all.count]
    }

    /// Rounds to the nearest 0.01 so repeated steps do not drift (0.1 + 0.05 stays 0.15).
    private static func snapped(_ value: Float) -> Float { (value * 100).rounded() / 100 }

    static func number(_ value: Float) -> String { String(format: "%.2f", Double(value)) }
}

/// How a style is named on screen: its file name without the extension, or "style N" for a
/// family's built-in style N.
enum StyleName {
    static func of(_ path: String) -> String {
        if let index = StyleChoice(path: path).builtinIndex { return "style \(index)" }
        return ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
