/// Errors raised while loading the model or rendering, each with a user-facing description.
public enum StylizationError: Error, Equatable, CustomStringConvertible {
    /// The render was cancelled through its `RenderControl`.
    case cancelled
    /// The settings are inconsistent (bad weights, alpha out of range, bad region, ...).
    case invalidSettings(String)
    /// The model files are missing or unusable.
    case modelUnavailable(String)

    public var description: String {
        switch self {
        case .cancelled: return "render cancelled"
        case .invalidSettings(let why): return why
        case .modelUnavailable(let why): return why
        }
    }
}
