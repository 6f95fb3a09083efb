import Engine
import Foundation
import Stylization

/// One row of the controls pane: which descriptor draws it and, for rows repeated per style,
/// which style (its index in the session's styles).
public struct ControlRow: Equatable, Hashable, Sendable {
    /// The descriptor's id ("alpha", "weight", ...).
    public let id: String
    /// The session style the row belongs to (weight rows), else 0.
    public let index: Int

    /// A row of descriptor `id`.
    public init(_ id: String, index: Int = 0) {
        self.id = id
        self.index = index
    }

    /// Content-style trade-off.
    public static let alpha = ControlRow("alpha")
    /// The weight of one active style (its index in the session's styles).
    public static func weight(_ index: Int) -> ControlRow { ControlRow("weight", index: index) }
    /// The model family.
    public static let model = ControlRow("model")
    /// AdaIN or WCT.
    public static let transform = ControlRow("transform")
    /// Fast or full.
    public static let quality = ControlRow("quality")
    /// Colour preservation.
    public static let color = ControlRow("color")
    /// No mask, a preset shape, or a mask image.
    public static let mask = ControlRow("mask")
    /// Where the preset's boundary sits.
    public static let split = ControlRow("split")
    /// How soft the preset's boundary is.
    public static let feather = ControlRow("feather")
    /// The style or blend inside the mask.
    public static let inside = ControlRow("inside")
    /// The style or blend outside the mask.
    public static let outside = ControlRow("outside")

    /// The rows for `session`, top to bottom: every descriptor's rows in table order.
    public static func rows(for session: Session) -> [ControlRow] {
        ControlDescriptor.table.flatMap { $0.rows(session) }
    }

    /// The descriptor that draws and moves this row.
    public var descriptor: ControlDescriptor {
        ControlDescriptor.table.first { $0.id == id } ?? ControlDescriptor.table[0]
    }

    /// The row's label.
    public func label(in session: Session) -> String { descriptor.label(self, session) }

    /// For sliders, the position in [0, 1] of the gauge; nil for choices.
    public func fraction(in session: Session) -> Double? { descriptor.fraction?(self, session) }

    /// The value as text ("0.80", "AdaIN", "left/right").
    public func value(in session: Session) -> String { descriptor.value(self, session) }

    /// The command that moves this row one step in `direction` (+1 or -1), large or small;
    /// `maskImage` is the last mask image used (offered by the mask choice). Nil when nothing changes.
    public func command(direction: Int, large: Bool, session: Session, maskImage: String?) -> SessionCommand? {
        descriptor.step(self, session, ControlStep(direction: direction < 0 ? -1 : 1, large: large, maskImage: maskImage))
    }

    /// The command that puts a slider at `fraction` (0...1) of its range (a mouse click on its
    /// gauge); nil for choices.
    public func command(settingFraction fraction: Float, session: Session) -> SessionCommand? {
        descriptor.setFraction?(self, session, min(max(ControlDescriptor.snapped(fraction), 0), 1))
    }

    /// Whether the row is a slider (h/l move it) rather than a choice.
    public var isSlider: Bool { descriptor.fraction != nil }

    static func number(_ value: Float) -> String { String(format: "%.2f", Double(value)) }
}

/// What a key asks of a control row: one step up or down, small or large.
public struct ControlStep: Sendable {
    /// +1 or -1.
    public var direction: Int
    /// H/L rather than h/l.
    public var large: Bool
    /// The mask image chosen last (the mask choice offers it).
    public var maskImage: String?
    /// `direction` as a float sign.
    public var sign: Float { direction < 0 ? -1 : 1 }
}

/// How a kind of control row looks and what its keys do. The Controls pane is `table`, top to
/// bottom: adding a control is adding one entry (and the `SessionCommand` it sends).
public struct ControlDescriptor: Sendable {
    /// Identifies the rows (`ControlRow.id`).
    public let id: String
    /// The rows of this kind for a session: usually one or none (hidden), one per active style for weights.
    public let rows: @Sendable (Session) -> [ControlRow]
    /// The label at the row's left.
    public let label: @Sendable (ControlRow, Session) -> String
    /// The value at the row's right.
    public let value: @Sendable (ControlRow, Session) -> String
    /// For sliders, the gauge position in [0, 1]; nil for choices.
    public let fraction: (@Sendable (ControlRow, Session) -> Double?)?
    /// The command for h/l/H/L (nil: nothing changes).
    public let step: @Sendable (ControlRow, Session, ControlStep) -> SessionCommand?
    /// For sliders, the command that puts the value at a fraction (a click on the gauge).
    public let setFraction: (@Sendable (ControlRow, Session, Float) -> SessionCommand?)?

    /// A choice row (h/l cycle through values), shown when `shown` holds.
    public static func choice(_ id: String, _ label: String, shown: @escaping @Sendable (Session) -> Bool = { _ in true },
                              value: @escaping @Sendable (Session) -> String,
                              step: @escaping @Sendable (Session, ControlStep) -> SessionCommand?) -> ControlDescriptor {
        ControlDescriptor(id: id, rows: { shown($0) ? [ControlRow(id)] : [] }, label: { _, _ in label },
                          value: { _, s in value(s) }, fraction: nil, step: { _, s, k in step(s, k) }, setFraction: nil)
    }

    /// A slider over `range` moved in `steps` (small, large), shown when `shown` holds; `get`
    /// reads the value (nil when it does not apply) and `set` makes the command.
    public static func slider(_ id: String, _ label: String, shown: @escaping @Sendable (Session) -> Bool = { _ in true },
                              range: ClosedRange<Float>, steps: (small: Float, large: Float),
                              get: @escaping @Sendable (Session) -> Float?,
                              set: @escaping @Sendable (Float) -> SessionCommand) -> ControlDescriptor {
        ControlDescriptor(
            id: id, rows: { shown($0) ? [ControlRow(id)] : [] }, label: { _, _ in label },
            value: { _, s in get(s).map(ControlRow.number) ?? "-" },
            fraction: { _, s in get(s).map { Double(($0 - range.lowerBound) / (range.upperBound - range.lowerBound)) } },
            step: { _, s, k in
                guard let now = get(s) else { return nil }
                return set(min(max(snapped(now + k.sign * (k.large ? steps.large : steps.small)), range.lowerBound), range.upperBound))
            },
            setFraction: { _, s, f in
                get(s) == nil ? nil : set(snapped(range.lowerBound + f * (range.upperBound - range.lowerBound)))
            })
    }

    /// The Controls pane, top to bottom.
    public static let table: [ControlDescriptor] = [
        .slider("alpha", "Alpha", range: 0...1, steps: (0.05, 0.25), get: { $0.alpha }, set: { .setAlpha($0) }),
        weight,
        .choice("model", "Model", value: { ModelCatalog.entry($0.family)?.family.title ?? $0.family },
                step: { s, k in .setModel(cycle(ModelCatalog.ids, from: s.family, by: k.direction)) }),
        .choice("transform", "Transform", shown: { familyOffers(.transform, $0) }, value: { $0.transform == .adain ? "AdaIN" : "WCT" },
                step: { s, k in .setTransform(cycle(FeatureTransform.allCases, from: s.transform, by: k.direction)) }),
        .choice("quality", "Quality", shown: { familyOffers(.quality, $0) }, value: { $0.quality.rawValue },
                step: { s, k in .setQuality(cycle(Quality.allCases, from: s.quality, by: k.direction)) }),
        .choice("color", "Colour", value: { $0.color.rawValue },
                step: { s, k in .setColor(cycle(ColorPreservation.allCases, from: s.color, by: k.direction)) }),
        .choice("mask", "Mask", value: { maskName($0) }, step: { maskStep($0, $1) }),
        .slider("split", "Split", shown: { $0.mask.preset != nil }, range: 0...1, steps: (0.02, 0.1),
                get: { $0.mask.preset?.split }, set: { .setSplit($0) }),
        .slider("feather", "Feather", shown: { $0.mask.preset != nil }, range: 0...PresetMask.maximumFeather,
                steps: (0.01, 0.05), get: { $0.mask.preset?.feather }, set: { .setFeather($0) }),
        region(.inside),
        region(.outside),
    ]

    /// Whether the session's model family has `option` (AdaIN/WCT, fast/full).
    static func familyOffers(_ option: FamilyOption, _ session: Session) -> Bool {
        (ModelCatalog.entry(session.family)?.family.options ?? []).contains(option)
    }

    /// The largest weight a slider reaches (1 is a style's default).
    static let maximumWeight: Float = 1

    /// One row per active style: the gauge is the weight, the value its share of the blend
    /// (weights are normalised, so one style alone always has 100%). The only style on has
    /// nothing to share: its slider stays full and does not move (`soleStyleNote` says why),
    /// except from weight 0, where a step brings it back to 1.
    static let weight = ControlDescriptor(
        id: "weight",
        rows: { s in s.styles.indices.filter { s.styles[$0].active && s.styleFits($0) }.map(ControlRow.weight) },
        label: { row, s in s.styles.indices.contains(row.index) ? "· " + StyleName.of(s.styles[row.index].path) : "· weight" },
        value: { row, s in share(of: row.index, in: s) },
        fraction: { row, s in
            guard s.styles.indices.contains(row.index) else { return 0 }
            if isSoleStyle(row.index, in: s) && s.styles[row.index].weight > 0 { return 1 }
            return Double(min(s.styles[row.index].weight / maximumWeight, 1))
        },
        step: { row, s, k in
            guard s.styles.indices.contains(row.index) else { return nil }
            if isSoleStyle(row.index, in: s) { return s.styles[row.index].weight > 0 ? nil : .setWeight(index: row.index, weight: 1) }
            let step = k.large ? 0.25 : 0.05 as Float
            return .setWeight(index: row.index, weight: min(max(snapped(s.styles[row.index].weight + k.sign * step), 0), maximumWeight))
        },
        setFraction: { row, s, f in
            guard s.styles.indices.contains(row.index) else { return nil }
            if isSoleStyle(row.index, in: s) { return s.styles[row.index].weight > 0 ? nil : .setWeight(index: row.index, weight: 1) }
            return .setWeight(index: row.index, weight: f * maximumWeight)
        })

    /// Whether style `index` is the only one in the active blend.
    static func isSoleStyle(_ index: Int, in session: Session) -> Bool {
        let blend = session.activeBlend
        return blend.count == 1 && blend[0].index == index
    }

    /// Why the only style's weight does not move ("Name is the only style on: ..."), nil otherwise.
    static func soleStyleNote(_ index: Int, in session: Session) -> String? {
        guard isSoleStyle(index, in: session) else { return nil }
        return "\(StyleName.of(session.styles[index].path)) is the only style on: it takes 100% of the blend "
            + "(weights are shares; turn on another style with 1-9 to mix)"
    }

    /// Style `index`'s share of the active blend, "40%" ("-" when it is off or nothing weighs).
    static func share(of index: Int, in session: Session) -> String {
        guard session.styles.indices.contains(index), session.styles[index].active else { return "-" }
        let total = session.activeBlend.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return "0%" }
        return "\(Int((100 * session.styles[index].weight / total).rounded()))%"
    }

    static func maskName(_ session: Session) -> String {
        switch session.mask {
        case .none: return "none"
        case .preset(let preset): return name(of: preset.shape)
        case .image(let path): return "image " + (path as NSString).lastPathComponent
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

    static func maskStep(_ session: Session, _ key: ControlStep) -> SessionCommand? {
        var choices: [MaskChoice] = [.none] + PresetShape.allCases.map(MaskChoice.preset)
        if let image = key.maskImage { choices.append(.image(image)) }
        if case .image(let path) = session.mask, key.maskImage != path { choices.append(.image(path)) }
        switch cycle(choices, from: MaskChoice(session.mask), by: key.direction) {
        case .none: return .setMask(.none)
        case .preset(let shape): return .setMaskShape(shape)
        case .image(let path): return .setMask(.image(path: path))
        }
    }

    /// The Inside or Outside row: cycles through "all active styles" and each active style. The
    /// value names what the render uses: a blend whose styles are all off falls back to all active.
    static func region(_ side: RegionSide) -> ControlDescriptor {
        .choice(side.rawValue, side == .inside ? "Inside" : "Outside", shown: { $0.mask.hasRegions },
                value: { s in
                    let used = s.blend(for: side).filter { s.styles.indices.contains($0.index) && s.styles[$0.index].active && $0.weight > 0 }
                    guard let only = used.first, used.count == 1 else {
                        return used.isEmpty ? "all active styles" : "\(used.count) styles"
                    }
                    return StyleName.of(s.styles[only.index].path)
                },
                step: { s, k in
                    let choices: [[WeightedStyle]] = [[]] + s.styles.indices.filter { s.styles[$0].active && s.styleFits($0) }
                        .map { [WeightedStyle(index: $0, weight: 1)] }
                    let at = choices.firstIndex(of: s.blend(for: side)) ?? 0
                    return .setRegionBlend(side, choices[((at + k.direction) % choices.count + choices.count) % choices.count])
                })
    }

    static func name(of shape: PresetShape) -> String {
        switch shape {
        case .leftRight: return "left/right"
        case .topBottom: return "top/bottom"
        case .centreEllipse: return "centre ellipse"
        }
    }

    /// The value `step` places after `current` in `all`, wrapping around.
    static func cycle<T: Equatable>(_ all: [T], from current: T, by step: Int) -> T {
        guard let at = all.firstIndex(of: current) else { return all[0] }
        return all[((at + step) % all.count + all.count) % all.count]
    }

    /// Rounds to the nearest 0.01 so repeated steps do not drift (0.1 + 0.05 stays 0.15).
    static func snapped(_ value: Float) -> Float { (value * 100).rounded() / 100 }
}

/// How a style is named on screen: its file name without the extension, or "style N" for a
/// family's built-in style N.
enum StyleName {
    static func of(_ path: String) -> String {
        if let index = StyleChoice(path: path).builtinIndex { return "style \(index)" }
        return ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
