/// What a pickle needs from its host: persistent ids and calls of globals (REDUCE).
///
/// The machine never imports anything; whatever the host does not recognise is an error.
protocol PickleHost {
    /// Resolves a persistent id (BINPERSID).
    func persistentLoad(_ pid: PickleValue) throws -> PickleValue
    /// Calls `module.name(*arguments)` (REDUCE).
    func call(module: String, name: String, arguments: [PickleValue]) throws -> PickleValue
}

/// A minimal pickle virtual machine: the binary opcodes of protocols 2 to 5 that plain data
/// (ints, floats, strings, bytes, tuples, lists, dicts) and torch checkpoints use.
///
/// Text-protocol opcodes (0/1 INT, STRING, ...), object instantiation (INST, OBJ, NEWOBJ) and
/// extension registries are rejected with a clear error.
struct PickleMachine {
    private var reader: ByteReader
    private let host: PickleHost
    private var stack: [PickleValue] = []
    /// The nesting depth of each stack entry (0 for scalars), kept beside `stack`.
    private var depths: [Int] = []
    private var marks: [Int] = []
    private var memo: [Int: (value: PickleValue, depth: Int)] = [:]

    /// The deepest nesting of tuples, lists and dicts accepted. Checkpoints nest a few levels;
    /// freeing a value nested tens of thousands deep would overflow the stack (Swift releases
    /// nested values recursively).
    static let maximumDepth = 100

    /// Starts reading pickles from `reader`'s position.
    init(reader: ByteReader, host: PickleHost) {
        self.reader = reader
        self.host = host
    }

    /// The byte offset after the last pickle loaded.
    var position: Int { reader.position }

    private var path: String { reader.path }

    /// Runs one pickle up to its STOP and returns its value; the memo starts empty.
    ///
    /// Values nest at most `maximumDepth` deep, and a list or dict cannot change once it is
    /// inside another container: plain data never needs it, and it is the only way to build a
    /// cycle (a dict holding itself through the memo), which would leak.
    mutating func load() throws -> PickleValue {
        stack.removeAll(keepingCapacity: true)
        depths.removeAll(keepingCapacity: true)
        marks.removeAll(keepingCapacity: true)
        memo.removeAll(keepingCapacity: true)
        while true {
            let at = reader.position
            let opcode = try reader.byte()
            switch opcode {
            case 0x80: _ = try reader.byte()                                          // PROTO
            case 0x95: _ = try reader.unsigned(width: 8)                              // FRAME
            case 0x2e:                                                                // STOP '.'
                guard stack.count == 1, marks.isEmpty else {
                    throw malformed("pickle ends with \(stack.count) values on the stack", at)
                }
                return stack[0]
            case 0x28: marks.append(stack.count)                                      // MARK '('
            case 0x30: _ = try pop(at)                                                // POP '0'
            case 0x31: try discardToMark(at)                                          // POP_MARK '1'
            case 0x32: push(try top(at), depth: depths[depths.count - 1])             // DUP '2'
            case 0x4e: push(.none)                                                    // NONE 'N'
            case 0x88: push(.bool(true))                                              // NEWTRUE
            case 0x89: push(.bool(false))                                             // NEWFALSE
            case 0x4b: push(.int(Int(try reader.byte())))                             // BININT1 'K'
            case 0x4d: push(.int(Int(try reader.unsigned(width: 2))))                 // BININT2 'M'
            case 0x4a: push(.int(try reader.int32()))                                 // BININT 'J'
            case 0x8a: push(try long(byteCount: Int(try reader.byte()), at))          // LONG1
            case 0x8b: push(try long(byteCount: try reader.int32(), at))              // LONG4
            case 0x47: push(.float(try reader.bigEndianDouble()))                     // BINFLOAT 'G'
            case 0x58: push(.string(try reader.utf8(try length32(at))))               // BINUNICODE 'X'
            case 0x8c: push(.string(try reader.utf8(Int(try reader.byte()))))         // SHORT_BINUNICODE
            case 0x8d: push(.string(try reader.utf8(try length64(at))))               // BINUNICODE8
            case 0x54: push(.string(try latin1(try length32(at))))                    // BINSTRING 'T'
            case 0x55: push(.string(try latin1(Int(try reader.byte()))))              // SHORT_BINSTRING 'U'
            case 0x42: push(.bytes(Array(try reader.take(try length32(at), for: "bytes"))))   // BINBYTES 'B'
            case 0x43: push(.bytes(Array(try reader.take(Int(try reader.byte()), for: "bytes")))) // SHORT_BINBYTES 'C'
            case 0x8e: push(.bytes(Array(try reader.take(try length64(at), for: "bytes"))))  // BINBYTES8
            case 0x7d: push(.dict(PickleDict()), depth: 1)                            // EMPTY_DICT '}'
            case 0x5d: push(.list(PickleList()), depth: 1)                            // EMPTY_LIST ']'
            case 0x29: push(.tuple([]), depth: 1)                                     // EMPTY_TUPLE ')'
            case 0x74:                                                                // TUPLE 't'
                let (items, depth) = try popMark(at)
                push(.tuple(items), depth: try nested(depth, at))
            case 0x85, 0x86, 0x87:                                                    // TUPLE1..3
                let count = Int(opcode - 0x84)
                guard stack.count - (marks.last ?? 0) >= count else { throw malformed("stack underflow", at) }
                let items = Array(stack.suffix(count))
                let depth = items.indices.map { depthOf(items[$0], stored: depths[depths.count - count + $0]) }.max() ?? 0
                stack.removeLast(count)
                depths.removeLast(count)
                items.forEach(Self.seal)
                push(.tuple(items), depth: try nested(depth, at))
            case 0x6c:                                                                // LIST 'l'
                let (items, depth) = try popMark(at)
                let list = PickleList(items)
                list.depth = try nested(depth, at)
                push(.list(list))
            case 0x64:                                                                // DICT 'd'
                let dict = PickleDict()
                let (items, depth) = try popMark(at)
                try setItems(dict, items, depth: depth, at)
                push(.dict(dict))
            case 0x71: try memoize(Int(try reader.byte()), at)                        // BINPUT 'q'
            case 0x72: try memoize(try length32(at), at)                              // LONG_BINPUT 'r'
            case 0x94: try memoize(memo.count, at)                                    // MEMOIZE
            case 0x68: try pushMemo(Int(try reader.byte()), at)                       // BINGET 'h'
            case 0x6a: try pushMemo(try length32(at), at)                             // LONG_BINGET 'j'
            case 0x63:                                                                // GLOBAL 'c'
                let module = try reader.line()
                let name = try reader.line()
                push(.global(module: module, name: name))
            case 0x93:                                                                // STACK_GLOBAL
                let name = try pop(at), module = try pop(at)
                guard let n = name.string, let m = module.string else {
                    throw malformed("STACK_GLOBAL needs two strings", at)
                }
                push(.global(module: m, name: n))
            case 0x52:                                                                // REDUCE 'R'
                let argumentsDepth = depths.last ?? 0
                let arguments = try pop(at), callable = try pop(at)
                guard case .global(let module, let name) = callable else {
                    throw malformed("REDUCE of a \(callable.kind), not a global", at)
                }
                guard case .tuple(let args) = arguments else {
                    throw malformed("REDUCE arguments are a \(arguments.kind), not a tuple", at)
                }
                let result = try host.call(module: module, name: name, arguments: args)
                if case .dict(let dict) = result { dict.depth = max(dict.depth, argumentsDepth) }
                push(result, depth: argumentsDepth)
            case 0x62:                                                                // BUILD 'b'
                let stateDepth = depths.last ?? 0
                let state = try pop(at)
                switch try top(at) {
                case .dict(let dict):
                    guard case .dict(let attributes) = state else { break }
                    try checkChangeable(dict, adding: state, at)
                    attributes.entries.forEach { Self.seal($0.key); Self.seal($0.value) }
                    dict.attributes += attributes.entries
                    dict.depth = max(dict.depth, stateDepth)
                case .tensor: break  // tensor state (requires_grad, hooks) does not affect the values
                case let other:
                    throw unsupported("BUILD of a \(other.kind)", at)
                }
            case 0x51: push(try host.persistentLoad(try pop(at)))                     // BINPERSID 'Q'
            case 0x73:                                                                // SETITEM 's'
                let valueDepth = depths.last ?? 0
                let value = try pop(at)
                let keyDepth = depths.last ?? 0
                let key = try pop(at)
                guard case .dict(let dict) = try top(at) else { throw malformed("SETITEM on a non-dict", at) }
                try setItems(dict, [key, value], depth: max(depthOf(key, stored: keyDepth), depthOf(value, stored: valueDepth)), at)
            case 0x75:                                                                // SETITEMS 'u'
                let (items, depth) = try popMark(at)
                guard case .dict(let dict) = try top(at) else { throw malformed("SETITEMS on a non-dict", at) }
                try setItems(dict, items, depth: depth, at)
            case 0x61:                                                                // APPEND 'a'
                let valueDepth = depths.last ?? 0
                let value = try pop(at)
                guard case .list(let list) = try top(at) else { throw malformed("APPEND to a non-list", at) }
                try append(to: list, [value], depth: depthOf(value, stored: valueDepth), at)
            case 0x65:                                                                // APPENDS 'e'
                let (items, depth) = try popMark(at)
                guard case .list(let list) = try top(at) else { throw malformed("APPENDS to a non-list", at) }
                try append(to: list, items, depth: depth, at)
            default:
                throw unsupported("pickle opcode 0x" + String(opcode, radix: 16), at)
            }
        }
    }

    private mutating func push(_ value: PickleValue, depth: Int = 0) {
        stack.append(value)
        depths.append(depth)
    }

    private mutating func pop(_ at: Int) throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.popLast() else {
            throw malformed("stack underflow", at)
        }
        depths.removeLast()
        return value
    }

    private func top(_ at: Int) throws -> PickleValue {
        guard let value = stack.last, stack.count > (marks.last ?? 0) else { throw malformed("stack underflow", at) }
        return value
    }

    /// The values above the last mark, now inside a container (sealed), and their deepest nesting.
    private mutating func popMark(_ at: Int) throws -> (items: [PickleValue], depth: Int) {
        guard let mark = marks.popLast() else { throw malformed("no MARK on the stack", at) }
        let items = Array(stack[mark...])
        let depth = items.indices.map { depthOf(items[$0], stored: depths[mark + $0]) }.max() ?? 0
        stack.removeSubrange(mark...)
        depths.removeSubrange(mark...)
        items.forEach(Self.seal)
        return (items, depth)
    }

    /// POP_MARK: drops everything above the last mark without building an array of it (an
    /// unused popped array once miscompiled under ASan; see Fuzz/Reproducers/legacy-torch).
    private mutating func discardToMark(_ at: Int) throws {
        guard let mark = marks.popLast() else { throw malformed("no MARK on the stack", at) }
        stack.removeSubrange(mark...)
        depths.removeSubrange(mark...)
    }

    /// The nesting depth of a value: lists and dicts know theirs (it grows as items are added
    /// before they are sealed); other values carry the depth recorded when they were pushed.
    private func depthOf(_ value: PickleValue, stored: Int) -> Int {
        switch value {
        case .list(let list): return list.depth
        case .dict(let dict): return dict.depth
        default: return stored
        }
    }

    /// The depth of a container whose deepest item has depth `inner`, refused past the limit.
    private func nested(_ inner: Int, _ at: Int) throws -> Int {
        guard inner < Self.maximumDepth else {
            throw unsupported("nesting containers more than \(Self.maximumDepth) deep", at)
        }
        return inner + 1
    }

    /// Marks a list or dict as placed inside another container: from now on it cannot change.
    private static func seal(_ value: PickleValue) {
        switch value {
        case .list(let list): list.sealed = true
        case .dict(let dict): dict.sealed = true
        default: break
        }
    }

    /// Refuses to change a container that is already inside another one, or to put it in itself.
    private func checkChangeable(_ container: AnyObject, adding value: PickleValue, _ at: Int) throws {
        let sealed = (container as? PickleList)?.sealed ?? (container as? PickleDict)?.sealed ?? false
        if sealed { throw unsupported("changing a list or dict after it was put inside another container", at) }
        if case .list(let list) = value, list === container { throw unsupported("a list that contains itself", at) }
        if case .dict(let dict) = value, dict === container { throw unsupported("a dict that contains itself", at) }
    }

    private mutating func memoize(_ key: Int, _ at: Int) throws {
        memo[key] = (try top(at), depths[depths.count - 1])
    }

    private mutating func pushMemo(_ index: Int, _ at: Int) throws {
        guard let entry = memo[index] else { throw malformed("memo entry \(index) was never stored", at) }
        push(entry.value, depth: entry.depth)
    }

    private func setItems(_ dict: PickleDict, _ items: [PickleValue], depth: Int, _ at: Int) throws {
        guard items.count % 2 == 0 else { throw malformed("odd number of dict items", at) }
        for item in items { try checkChangeable(dict, adding: item, at) }
        items.forEach(Self.seal)
        dict.depth = max(dict.depth, try nested(depth, at))
        for i in stride(from: 0, to: items.count, by: 2) { dict.set(items[i], items[i + 1]) }
    }

    private func append(to list: PickleList, _ items: [PickleValue], depth: Int, _ at: Int) throws {
        for item in items { try checkChangeable(list, adding: item, at) }
        items.forEach(Self.seal)
        list.depth = max(list.depth, try nested(depth, at))
        list.items += items
    }

    private mutating func length32(_ at: Int) throws -> Int {
        let value = try reader.unsigned(width: 4)
        return Int(value)
    }

    private mutating func length64(_ at: Int) throws -> Int {
        let value = try reader.unsigned(width: 8)
        guard value <= UInt64(Int.max) else { throw malformed("length \(value) is too large", at) }
        return Int(value)
    }

    private mutating func latin1(_ count: Int) throws -> String {
        let slice = try reader.take(count, for: "a string")
        return String(slice.map { Character(Unicode.Scalar($0)) })
    }

    /// LONG1 / LONG4: little-endian two's complement of `byteCount` bytes.
    private mutating func long(byteCount: Int, _ at: Int) throws -> PickleValue {
        guard byteCount >= 0 else { throw malformed("negative integer length", at) }
        let bytes = Array(try reader.take(byteCount, for: "an integer"))
        if bytes.isEmpty { return .int(0) }
        if bytes.count <= 8 {
            var value: UInt64 = 0
            for (i, byte) in bytes.enumerated() { value |= UInt64(byte) << UInt64(8 * i) }
            if bytes.count < 8, bytes[bytes.count - 1] & 0x80 != 0 {
                value |= ~0 << UInt64(8 * bytes.count)  // sign-extend
            }
            return .int(Int(Int64(bitPattern: value)))
        }
        return .bigInt(bytes)
    }

    private func malformed(_ detail: String, _ at: Int) -> CheckpointError {
        .malformed(path: path, detail: "\(detail) (pickle byte \(at))")
    }

    private func unsupported(_ detail: String, _ at: Int) -> CheckpointError {
        .unsupported(path: path, detail: "\(detail) at byte \(at) is not supported")
    }
}
