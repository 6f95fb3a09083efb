import Stylization

/// One user action on the session. Commands are small values so they can be logged, replayed and undone.
///
/// Numeric values are clamped to their ranges (alpha, split and feather to theirs, weights to >= 0);
/// references that cannot be honoured (a style index that does not exist, an empty path, NaN) are
/// rejected with a `SessionCommandError`.
public enum SessionCommand: Equatable, Sendable {
    /// Chooses the content photo; `frame` names the clip and frame it was grabbed from when it
    /// is a video frame (nil for a photo).
    case setContent(path: String, frame: ClipFrame? = nil)
    /// Appends a style painting (active, with the given weight).
    case addStyle(path: String, weight: Float = 1)
    /// Removes style `index`; blends referring to it drop it, later indices shift down.
    case removeStyle(index: Int)
    /// Replaces the file of style `index`, keeping its weight and activity.
    case replaceStyle(index: Int, path: String)
    /// Moves style `from` to position `to`; blends follow the move.
    case moveStyle(from: Int, to: Int)
    /// Sets the weight of style `index` (clamped to >= 0).
    case setWeight(index: Int, weight: Float)
    /// Adds `delta` to the weight of style `index` (result clamped to >= 0).
    case adjustWeight(index: Int, by: Float)
    /// Turns style `index` on or off.
    case setActive(index: Int, active: Bool)
    /// Flips whether style `index` is used.
    case toggleActive(index: Int)
    /// Sets alpha (clamped to [0, 1]).
    case setAlpha(Float)
    /// Adds `delta` to alpha (result clamped to [0, 1]).
    case adjustAlpha(by: Float)
    /// Chooses AdaIN or WCT.
    case setTransform(FeatureTransform)
    /// Chooses fast or full quality.
    case setQuality(Quality)
    /// Chooses the colour preservation mode.
    case setColor(ColorPreservation)
    /// Replaces the whole mask set-up (values clamped).
    case setMask(MaskSetup)
    /// Switches to a preset shape, keeping split and feather if a preset is already in use.
    case setMaskShape(PresetShape)
    /// Moves the preset's boundary (clamped to [0, 1]); requires a preset mask.
    case setSplit(Float)
    /// Moves the preset's boundary by `delta`; requires a preset mask.
    case adjustSplit(by: Float)
    /// Sets the preset's feather width (clamped to [0, 0.5]); requires a preset mask.
    case setFeather(Float)
    /// Changes the preset's feather width by `delta`; requires a preset mask.
    case adjustFeather(by: Float)
    /// Sets the blend of one region; an empty list means "the active styles".
    case setRegionBlend(RegionSide, [WeightedStyle])
    /// Swaps the inside and outside blends.
    case swapRegionBlends
    /// Chooses the model family by id (see `ModelCatalog`); styles, alpha, colour and mask stay
    /// (a family with built-in styles gets built-in 0 when it has none yet).
    case setModel(String)
}

/// Why a command could not be applied; the description is one line for the status bar.
public enum SessionCommandError: Error, Equatable, CustomStringConvertible {
    /// A style index outside the session's style list.
    case noSuchStyle(index: Int, count: Int)
    /// An empty file path.
    case emptyPath
    /// A value that is not a number.
    case notANumber(String)
    /// A split or feather change while no preset mask is chosen.
    case noPresetMask
    /// A model family the catalog does not have.
    case noSuchModel(String)

    public var description: String {
        switch self {
        case .noSuchStyle(let index, let count):
            return count == 0 ? "there is no style \(index + 1): add a style first"
                : "there is no style \(index + 1): choose one of 1...\(count)"
        case .emptyPath: return "the file path is empty: give the path of an image file"
        case .notANumber(let what): return "\(what) is not a number"
        case .noPresetMask: return "no preset mask is chosen: pick left/right, top/bottom or ellipse first"
        case .noSuchModel(let id):
            return "there is no model \(id): choose one of \(ModelCatalog.ids.joined(separator: ", "))"
        }
    }
}
