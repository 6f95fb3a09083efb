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
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    /// Starts reading pickles from `reader`'s position.
    init(reader: ByteReader, host: PickleHost) {
        self.reader = reader
        self.host = host
    }

    /// The byte offset after the last pickle loaded.
    var position: Int { reader.position }

    private var path: String { reader.path }

    /// Runs one pickle up to its STOP and returns its value; the memo starts empty.
    mutating func load() throws -> PickleValue {
        stack.removeAll(keepingCapacity: true)
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
            case 0x31: _ = try popMark(at)                                            // POP_MARK '1'
            case 0x32: stack.append(try top(at))                                      // DUP '2'
            case 0x4e: stack.append(.none)                                            // NONE 'N'
            case 0x88: stack.append(.bool(true))                                      // NEWTRUE
            case 0x89: stack.append(.bool(false))                                     // NEWFALSE
            case 0x4b: stack.append(.int(Int(try reader.byte())))                     // BININT1 'K'
            case 0x4d: stack.append(.int(Int(try reader.unsigned(width: 2))))         // BININT2 'M'
            case 0x4a: stack.append(.int(try reader.int32()))                         // BININT 'J'
            case 0x8a: stack.append(try long(byteCount: Int(try reader.byte()), at))  // LONG1
            case 0x8b: stack.append(try long(byteCount: try reader.int32(), at))      // LONG4
            case 0x47: stack.append(.float(try reader.bigEndianDouble()))             // BINFLOAT 'G'
            case 0x58: stack.append(.string(try reader.utf8(try length32(at))))       // BINUNICODE 'X'
            case 0x8c: stack.append(.string(try reader.utf8(Int(try reader.byte())))) // SHORT_BINUNICODE
            case 0x8d: stack.append(.string(try reader.utf8(try length64(at))))       // BINUNICODE8
            case 0x54: stack.append(.string(try latin1(try length32(at))))            // BINSTRING 'T'
            case 0x55: stack.append(.string(try latin1(Int(try reader.byte()))))      // SHORT_BINSTRING 'U'
            case 0x42: stack.append(.bytes(Array(try reader.take(try length32(at), for: "bytes"))))   // BINBYTES 'B'
            case 0x43: stack.append(.bytes(Array(try reader.take(Int(try reader.byte()), for: "bytes")))) // SHORT_BINBYTES 'C'
            case 0x8e: stack.append(.bytes(Array(try reader.take(try length64(at), for: "bytes"))))  // BINBYTES8
            case 0x7d: stack.append(.dict(PickleDict()))                              // EMPTY_DICT '}'
            case 0x5d: stack.append(.list(PickleList()))                              // EMPTY_LIST ']'
            case 0x29: stack.append(.tuple([]))                                       // EMPTY_TUPLE ')'
            case 0x74: stack.append(.tuple(try popMark(at)))                          // TUPLE 't'
            case 0x85, 0x86, 0x87:                                                    // TUPLE1..3
                let count = Int(opcode - 0x84)
                guard stack.count - (marks.last ?? 0) >= count else { throw malformed("stack underflow", at) }
                let items = Array(stack.suffix(count))
                stack.removeLast(count)
                stack.append(.tuple(items))
            case 0x6c: stack.append(.list(PickleList(try popMark(at))))               // LIST 'l'
            case 0x64:                                                                // DICT 'd'
                let dict = PickleDict()
                try setItems(dict, try popMark(at), at)
                stack.append(.dict(dict))
            case 0x71: memo[Int(try reader.byte())] = try top(at)                     // BINPUT 'q'
            case 0x72: memo[try length32(at)] = try top(at)                           // LONG_BINPUT 'r'
            case 0x94: memo[memo.count] = try top(at)                                 // MEMOIZE
            case 0x68: stack.append(try memoValue(Int(try reader.byte()), at))        // BINGET 'h'
            case 0x6a: stack.append(try memoValue(try length32(at), at))              // LONG_BINGET 'j'
            case 0x63:                                                                // GLOBAL 'c'
                let module = try reader.line()
                let name = try reader.line()
                stack.append(.global(module: module, name: name))
            case 0x93:                                                                // STACK_GLOBAL
                let name = try pop(at), module = try pop(at)
                guard let n = name.string, let m = module.string else {
                    throw malformed("STACK_GLOBAL needs two strings", at)
                }
                stack.append(.global(module: m, name: n))
            case 0x52:                                                                // REDUCE 'R'
                let arguments = try pop(at), callable = try pop(at)
                guard case .global(let module, let name) = callable else {
                    throw malformed("REDUCE of a \(callable.kind), not a global", at)
                }
                guard case .tuple(let args) = arguments else {
                    throw malformed("REDUCE arguments are a \(arguments.kind), not a tuple", at)
                }
                stack.append(try host.call(module: module, name: name, arguments: args))
            case 0x62:                                                                // BUILD 'b'
                let state = try pop(at)
                switch try top(at) {
                case .dict(let dict):
                    if case .dict(let attributes) = state { dict.attributes += attributes.entries }
                case .tensor: break  // tensor state (requires_grad, hooks) does not affect the values
                case let other:
                    throw unsupported("BUILD of a \(other.kind)", at)
                }
            case 0x51: stack.append(try host.persistentLoad(try pop(at)))             // BINPERSID 'Q'
            case 0x73:                                                                // SETITEM 's'
                let value = try pop(at), key = try pop(at)
                guard case .dict(let dict) = try top(at) else { throw malformed("SETITEM on a non-dict", at) }
                dict.set(key, value)
            case 0x75:                                                                // SETITEMS 'u'
                let items = try popMark(at)
                guard case .dict(let dict) = try top(at) else { throw malformed("SETITEMS on a non-dict", at) }
                try setItems(dict, items, at)
            case 0x61:                                                                // APPEND 'a'
                let value = try pop(at)
                guard case .list(let list) = try top(at) else { throw malformed("APPEND to a non-list", at) }
                list.items.append(value)
            case 0x65:                                                                // APPENDS 'e'
                let items = try popMark(at)
                guard case .list(let list) = try top(at) else { throw malformed("APPENDS to a non-list", at) }
                list.items += items
            default:
                throw unsupported("pickle opcode 0x" + String(opcode, radix: 16), at)
            }
        }
    }

    private mutating func pop(_ at: Int) throws -> PickleValue {
        guard let value = stack.popLast(), stack.count >= (marks.last ?? 0) else {
            throw malformed("stack underflow", at)
        }
        return value
    }

    private func top(_ at: Int) throws -> PickleValue {
        guard let value = stack.last, stack.count > (marks.last ?? 0) else { throw malformed("stack underflow", at) }
        return value
    }

    private mutating func popMark(_ at: Int) throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw malformed("no MARK on the stack", at) }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private func memoValue(_ index: Int, _ at: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw malformed("memo entry \(index) was never stored", at) }
        return value
    }

    private func setItems(_ dict: PickleDict, _ items: [PickleValue], _ at: Int) throws {
        guard items.count % 2 == 0 else { throw malformed("odd number of dict items", at) }
        for i in stride(from: 0, to: items.count, by: 2) { dict.set(items[i], items[i + 1]) }
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
