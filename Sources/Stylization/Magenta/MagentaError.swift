/// Why an ONNX network could not be imported or a Magenta/CIN-26 render could not run. Each
/// description is one line naming the file, layer or op.
public enum MagentaError: Error, Equatable, CustomStringConvertible {
    /// The ONNX file could not be parsed.
    case unreadable(file: String, reason: String)
    /// The graph uses an op the importer does not know.
    case unknownOp(file: String, op: String, node: String)
    /// A known op in a pattern the importer does not know (e.g. a Pad that is not reflect).
    case unknownPattern(file: String, detail: String)
    /// A layer the architecture needs is not in the file.
    case missingLayer(String)
    /// A layer has an unexpected shape or attribute.
    case unexpectedLayer(String, String)
    /// Settings that mean nothing for the family.
    case invalidSettings(String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): return "\(file) is not a readable ONNX model: \(reason)"
        case .unknownOp(let file, let op, let node): return "\(file): op \(op) (node \(node)) is not supported by the importer"
        case .unknownPattern(let file, let detail): return "\(file): unsupported graph pattern: \(detail)"
        case .missingLayer(let name): return "the model has no layer \(name): re-install with `atelier models install`"
        case .unexpectedLayer(let name, let detail): return "layer \(name) is not as expected (\(detail)): re-install with `atelier models install`"
        case .invalidSettings(let why): return why
        }
    }
}
