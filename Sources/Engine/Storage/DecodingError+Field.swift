import Foundation

extension DecodingError {
    /// One line naming the JSON field at fault, e.g. `session.styles[1].weight has the wrong type`,
    /// instead of Foundation's "The data couldn't be read because it is missing."
    var fieldDescription: String {
        func field(_ path: [CodingKey]) -> String {
            let names = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return names.isEmpty ? "the top level" : String(names.dropFirst(names.hasPrefix(".") ? 1 : 0))
        }
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(field(context.codingPath)) has the wrong type"
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])) is missing"
        case .dataCorrupted(let context):
            return "\(field(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "unreadable JSON"
        }
    }
}
