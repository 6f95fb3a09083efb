import Foundation
import Imaging
import Stylization

/// Why a session cannot be rendered yet; one line for the status bar.
public enum RenderSetupError: Error, Equatable, CustomStringConvertible {
    /// No content photo is chosen.
    case noContent
    /// No style is active (or every active style has weight 0).
    case noActiveStyle

    public var description: String {
        switch self {
        case .noContent: return "no photo chosen: open a content image first"
        case .noActiveStyle: return "no style to apply: add a style or give an active style a weight above 0"
        }
    }
}

extension RenderRequest {
    /// The request that renders `session` with the photo scaled by `fit` and every style scaled
    /// to `styleSide` on its longer side (as `atelier render` and exports do, so the preview shows
    /// the same brush work). Images come from `sources` (decoded once, cached by content).
    ///
    /// Without a mask the whole photo gets the active styles. With one, the inside mask is one
    /// region with the inside blend, and the outside blend is the default blend, which the
    /// stylizer gives exactly the remaining weight (1 - mask): the two always sum to 1.
    public static func make(for session: Session, fit: SourceFit, sources: SourceLibrary,
                            styleSide: Int = RenderRecipe.defaultStyleSize) throws -> RenderRequest {
        guard let contentPath = session.contentPath else { throw RenderSetupError.noContent }
        let blends = try Blends(session)
        let content = try sources.image(atPath: contentPath, fit: fit)
        let scalesStyles = ModelCatalog.entry(session.family)?.family.options.contains(.styleSize) ?? true
        let styles = try blends.used.map {
            try sources.image(atPath: session.styles[$0].path, fit: scalesStyles ? .longerSide(styleSide) : .original)
        }
        var settings = StylizeSettings(transform: session.transform, quality: session.quality, alpha: session.alpha,
                                       color: session.color, styles: blends.outside, regions: [])
        if let inside = try insideMask(session.mask, width: content.image.width, height: content.image.height,
                                       sources: sources) {
            settings.regions = [Region(mask: inside, styles: blends.inside)]
        }
        return RenderRequest(content: content, styles: styles, settings: settings, family: session.family)
    }

    /// The inside mask of `mask` at `width` x `height`, or nil for no regions.
    static func insideMask(_ mask: MaskSetup, width: Int, height: Int, sources: SourceLibrary) throws -> GrayImage? {
        switch mask {
        case .none:
            return nil
        case .preset(let preset):
            return sources.presetMask(preset, width: width, height: height)
        case .image(let path):
            let mask = try sources.mask(atPath: path)
            return mask.width == width && mask.height == height ? mask : mask.resized(width: width, height: height)
        }
    }
}

/// The session's blends restricted to active, positively weighted styles of the family's kind,
/// re-indexed into the compact list of style images a render loads (for a family with built-in
/// styles: to the built-ins' numbers, and no images are loaded).
struct Blends {
    /// Session style images the render uses, ascending; render index i is session index used[i].
    var used: [Int]
    /// The inside region's blend (without a mask: the active styles).
    var inside: [WeightedStyle]
    /// The outside region's blend, which is the default blend (without a mask: the active styles).
    var outside: [WeightedStyle]

    init(_ session: Session) throws {
        /// Active, positive entries only; repeated styles merged into one entry.
        func usable(_ blend: [WeightedStyle]) -> [WeightedStyle] {
            var merged: [WeightedStyle] = []
            for entry in blend where session.styleFits(entry.index)
                && session.styles[entry.index].active && entry.weight > 0 {
                if let at = merged.firstIndex(where: { $0.index == entry.index }) {
                    merged[at].weight += entry.weight
                } else {
                    merged.append(entry)
                }
            }
            return merged
        }
        let active = usable(session.activeBlend)
        var inside = active, outside = active
        if session.mask.hasRegions {
            let ownInside = usable(session.insideBlend), ownOutside = usable(session.outsideBlend)
            if !ownInside.isEmpty { inside = ownInside }
            if !ownOutside.isEmpty { outside = ownOutside }
        }
        guard !inside.isEmpty, !outside.isEmpty else { throw RenderSetupError.noActiveStyle }
        var used = Array(Set((inside + outside).map(\.index))).sorted()
        var position: [Int: Int] = [:]
        for (i, index) in used.enumerated() { position[index] = session.styles[index].builtinIndex ?? i }
        if used.contains(where: { session.styles[$0].builtinIndex != nil }) { used = [] }
        func compact(_ blend: [WeightedStyle]) -> [WeightedStyle] {
            blend.map { WeightedStyle(index: position[$0.index] ?? 0, weight: $0.weight) }
        }
        self.used = used
        self.inside = compact(inside)
        self.outside = compact(outside)
    }
}
