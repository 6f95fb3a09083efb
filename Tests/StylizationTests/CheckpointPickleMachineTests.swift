import Foundation
import XCTest
@testable import Stylization

/// Runs the pickle machine on pickles written by Python's own pickler, at protocols 2 to 5, and
/// compares every value with Python's JSON rendering of the same object.
final class CheckpointPickleMachineTests: XCTestCase {
    /// A host that allows nothing, as for plain data.
    private struct PlainData: PickleHost {
        func persistentLoad(_ pid: PickleValue) throws -> PickleValue {
            throw CheckpointError.unsupported(path: "test", detail: "persistent id")
        }
        func call(module: String, name: String, arguments: [PickleValue]) throws -> PickleValue {
            throw CheckpointError.unsupported(path: "test", detail: "\(module).\(name)")
        }
    }

    /// Prints `[pickle hex, rendering]` for the object at protocol argv[1]. Integers outside
    /// int64 render as "big:" + LONG1's bytes; bytes as "bytes:" + hex; tuples as lists.
    static let script = """
    import json, pickle, sys
    protocol = int(sys.argv[1])
    shared = ['shared', 7]
    obj = {
        'ints': [0, 1, -1, 127, 128, 255, 256, 65535, 65536, -129, -2**31, 2**31 - 1, 2**31, -2**31 - 1,
                 2**62, -2**63, 2**63 - 1, 2**63, 2**70, -2**70],
        'floats': [0.0, -1.5, 3.141592653589793, 1e300, -2.5e-310],
        'text': ['', 'a', 'h\\u00e9llo', '\\u2603 snow', 'x' * 300],
        'nested': (1, (2, (3, (4, 5, 6), ())), [None, True, False]),
        'shared': [shared, shared],
        5: 'int key',
    }
    if protocol >= 3:
        obj['bytes'] = [b'', b'\\x00\\xff', b'y' * 300]
    def render(v):
        if isinstance(v, bool) or v is None or isinstance(v, (float, str)): return v
        if isinstance(v, int): return v if -2**63 <= v < 2**63 else 'big:' + pickle.encode_long(v).hex()
        if isinstance(v, bytes): return 'bytes:' + v.hex()
        if isinstance(v, (list, tuple)): return [render(x) for x in v]
        if isinstance(v, dict): return {str(k): render(x) for k, x in v.items()}
    print(json.dumps([pickle.dumps(obj, protocol=protocol).hex(), render(obj)]))
    """

    private func render(_ value: PickleValue) -> Any {
        switch value {
        case .none: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .bigInt(let bytes): return "big:" + SHA256.hexString(bytes)
        case .float(let d): return d
        case .string(let s): return s
        case .bytes(let b): return "bytes:" + SHA256.hexString(b)
        case .tuple(let items): return items.map(render)
        case .list(let list): return list.items.map(render)
        case .dict(let dict):
            var out: [String: Any] = [:]
            for (key, item) in dict.entries {
                switch key {
                case .string(let s): out[s] = render(item)
                case .int(let i): out[String(i)] = render(item)
                default: out["?"] = render(item)
                }
            }
            return out
        default: return "unexpected \(value.kind)"
        }
    }

    private func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    func testPlainDataAtEveryBinaryProtocol() throws {
        for proto in 2...5 {
            let output = try CheckpointMaterial.python(Self.script, ["\(proto)"])
            let pair = try XCTUnwrap(try JSONSerialization.jsonObject(with: output) as? [Any])
            let hex = try XCTUnwrap(pair[0] as? String)
            let bytes = stride(from: 0, to: hex.count, by: 2).map { i -> UInt8 in
                let start = hex.index(hex.startIndex, offsetBy: i)
                return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
            }
            var machine = PickleMachine(reader: ByteReader(bytes: bytes, path: "p\(proto).pkl"), host: PlainData())
            let value = try machine.load()
            XCTAssertEqual(machine.position, bytes.count, "protocol \(proto)")
            XCTAssertEqual(try canonical(render(value)), try canonical(pair[1]), "protocol \(proto)")
            // Shared references come out as the same list object.
            if case .dict(let dict) = value, case .list(let pair)? = dict["shared"],
               case .list(let first) = pair.items[0], case .list(let second) = pair.items[1] {
                XCTAssertTrue(first === second, "protocol \(proto)")
            } else {
                XCTFail("no shared list at protocol \(proto)")
            }
        }
    }

    func testMalformedPicklesThrow() {
        let cases: [[UInt8]] = [
            [0x80, 0x02, 0x30, 0x2e],                   // POP on an empty stack
            [0x80, 0x02, 0x68, 0x03, 0x2e],             // BINGET of a memo entry never stored
            [0x80, 0x02, 0x4b, 0x01, 0x4b, 0x02, 0x2e], // two values left at STOP
            [0x80, 0x02, 0x4b, 0x01, 0x73, 0x2e],       // SETITEM without a dict
            [0x80, 0x02, 0x58, 0xff, 0xff, 0x00, 0x00], // string longer than the data
            [0x80, 0x02, 0x4b],                         // ends inside an opcode
        ]
        for bytes in cases {
            var machine = PickleMachine(reader: ByteReader(bytes: bytes, path: "bad.pkl"), host: PlainData())
            XCTAssertThrowsError(try machine.load(), "\(bytes)") { error in
                XCTAssertTrue("\(error)".contains("bad.pkl"), "\(error)")
            }
        }
    }
}
