/// A value on the pickle machine's stack or in its memo.
///
/// Lists and dicts are reference types because pickles share them through the memo and mutate
/// them after creation (APPENDS, SETITEMS, BUILD).
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too large for `Int`, as little-endian two's-complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// A class or function reference (GLOBAL / STACK_GLOBAL), never imported.
    case global(module: String, name: String)
    /// A torch storage, produced by the persistent-id hook.
    case storage(TorchStorage)
    /// A torch tensor view of a storage, produced by `_rebuild_tensor_v2`.
    case tensor(TorchTensorView)

    /// The value as an `Int`, if it is one.
    var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The value as a `String`, if it is one.
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as a tuple's or list's items of `Int`, if it is one.
    var ints: [Int]? {
        let items: [PickleValue]
        switch self {
        case .tuple(let values): items = values
        case .list(let list): items = list.items
        default: return nil
        }
        var out: [Int] = []
        for item in items {
            guard let value = item.int else { return nil }
            out.append(value)
        }
        return out
    }

    /// A short name of the value's kind, for error messages.
    var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .global(let module, let name): return "\(module).\(name)"
        case .storage: return "storage"
        case .tensor: return "tensor"
        }
    }
}

/// A mutable pickled list.
final class PickleList {
    var items: [PickleValue]
    /// How deep containers nest inside it, itself included (see `PickleMachine.maximumDepth`).
    var depth = 1
    /// Whether it is inside another container (and so may no longer change).
    var sealed = false

    init(_ items: [PickleValue] = []) { self.items = items }
}

/// A mutable pickled dict that keeps insertion order (like Python's dict and OrderedDict).
final class PickleDict {
    private enum Key: Hashable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case none
    }

    private(set) var entries: [(key: PickleValue, value: PickleValue)] = []
    private var index: [Key: Int] = [:]
    /// Instance attributes set through BUILD (e.g. an OrderedDict's `_metadata`).
    var attributes: [(key: PickleValue, value: PickleValue)] = []
    /// How deep containers nest inside it, itself included (see `PickleMachine.maximumDepth`).
    var depth = 1
    /// Whether it is inside another container (and so may no longer change).
    var sealed = false

    /// Sets `key` to `value`, replacing an existing entry with an equal key in place.
    func set(_ key: PickleValue, _ value: PickleValue) {
        guard let hashable = PickleDict.hashableKey(key) else {
            entries.append((key, value))
            return
        }
        if let at = index[hashable] {
            entries[at].value = value
        } else {
            index[hashable] = entries.count
            entries.append((key, value))
        }
    }

    /// The value stored under the string `key`.
    subscript(key: String) -> PickleValue? {
        index[.string(key)].map { entries[$0].value }
    }

    private static func hashableKey(_ value: PickleValue) -> Key? {
        switch value {
        case .string(let s): return .string(s)
        case .int(let i): return .int(i)
        case .bool(let b): return .bool(b)
        case .none: return Key.none
        default: return nil
        }
    }
}
