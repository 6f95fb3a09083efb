import Foundation
import XCTest
@testable import Stylization

final class CheckpointLegacyTorchTests: XCTestCase {
    /// Prints, per file, every tensor of torch_legacy.py's view: name, shape, sum, sum of
    /// squares, sum of absolute values and the first four values (all in float64).
    static let summaryScript = """
    import json, sys
    import numpy as np
    import torch_legacy
    out = {}
    for path in sys.argv[1:]:
        rows = []
        for name, value in torch_legacy.load_state_dict(path).items():
            v = np.asarray(value, dtype=np.float64).reshape(-1)
            rows.append([name, list(np.shape(value)), float(v.sum()), float((v * v).sum()),
                         float(np.abs(v).sum()), [float(x) for x in v[:4]]])
        out[path] = rows
    print(json.dumps(out))
    """

    /// Compares the Swift reader with torch_legacy.py on `files`.
    private func assertMatchesReference(_ files: [URL], file: StaticString = #filePath, line: UInt = #line) throws {
        let json = try CheckpointMaterial.python(Self.summaryScript, files.map(\.path))
        let reference = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: [[Any]]])
        for url in files {
            let rows = try XCTUnwrap(reference[url.path], file: file, line: line)
            let tensors = try LegacyTorchCheckpoint.read(url)
            XCTAssertEqual(tensors.map(\.name), rows.map { $0[0] as? String ?? "" }, url.lastPathComponent, file: file, line: line)
            for (tensor, row) in zip(tensors, rows) {
                let what = "\(url.lastPathComponent) \(tensor.name)"
                XCTAssertEqual(tensor.shape, (row[1] as? [NSNumber])?.map(\.intValue), what, file: file, line: line)
                XCTAssertEqual(tensor.values.count, tensor.elementCount, what, file: file, line: line)
                let values = tensor.values.map(Double.init)
                let sum = values.reduce(0, +), squares = values.reduce(0) { $0 + $1 * $1 }
                let scale = max((row[4] as? NSNumber)?.doubleValue ?? 0, 1e-30)
                XCTAssertEqual(sum, (row[2] as? NSNumber)?.doubleValue ?? .nan, accuracy: 1e-6 * scale, what, file: file, line: line)
                let expectedSquares = (row[3] as? NSNumber)?.doubleValue ?? .nan
                XCTAssertEqual(squares, expectedSquares, accuracy: 1e-6 * max(expectedSquares, 1e-30), what, file: file, line: line)
                let firstFour = (row[5] as? [NSNumber])?.map { Float($0.doubleValue) }
                XCTAssertEqual(Array(tensor.values.prefix(4)), firstFour, what, file: file, line: line)
            }
        }
    }

    func testAllTenCheckpointsMatchTheReference() throws {
        let files = ["se1", "se2", "se3", "se4", "se5", "sd1", "sd2", "sd3", "sd4", "sd5"]
            .map { CheckpointMaterial.mirror.appendingPathComponent("\($0).pth") }
        try assertMatchesReference(files)
    }

    func testEncoderLayout() throws {
        let tensors = try LegacyTorchCheckpoint.read(CheckpointMaterial.mirror.appendingPathComponent("se1.pth"))
        XCTAssertEqual(tensors.map(\.name), ["conv0.weight", "conv0.bias", "conv11.weight", "conv11.bias",
                                             "conv11_aux.weight", "conv11_aux.bias"])
        XCTAssertEqual(tensors.map(\.shape), [[3, 3, 1, 1], [3], [24, 3, 3, 3], [24], [64, 24, 1, 1], [64]])
    }

    /// Writes legacy checkpoints with views (offsets, transposes, shared storages, a scalar)
    /// through Python's own pickler, faking the torch globals, at pickle protocols 2 and 4.
    static let fixtureScript = """
    import collections, pickle, struct, sys, types
    import numpy as np
    torch = types.ModuleType('torch'); utils = types.ModuleType('torch._utils')
    sys.modules['torch'] = torch; sys.modules['torch._utils'] = utils; torch._utils = utils
    def storage_class(name):
        cls = type(name, (), {}); cls.__module__ = 'torch'; setattr(torch, name, cls); return cls
    FloatStorage, DoubleStorage = storage_class('FloatStorage'), storage_class('DoubleStorage')
    def _rebuild_tensor_v2(*args): pass
    _rebuild_tensor_v2.__module__ = 'torch._utils'; utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    class Storage:
        def __init__(self, key, cls, data): self.key, self.cls, self.data = key, cls, data
    class View:
        def __init__(self, storage, offset, size, stride): self.args = (storage, offset, size, stride)
        def __reduce__(self): return (_rebuild_tensor_v2, self.args + (False, collections.OrderedDict()))
    class Pickler(pickle.Pickler):
        def persistent_id(self, obj):
            if isinstance(obj, Storage):
                return ('storage', obj.cls, obj.key, 'cpu', len(obj.data), None)
            return None
    path, protocol, double = sys.argv[1], int(sys.argv[2]), sys.argv[3] == 'double'
    a = Storage('140001', FloatStorage, (np.arange(24, dtype=np.float32) * 0.37 - 3.1).astype(np.float32))
    b = Storage('140002', DoubleStorage if double else FloatStorage, np.linspace(-1, 1, 7).astype(np.float64 if double else np.float32))
    model = collections.OrderedDict([
        ('transposed', View(a, 0, (3, 4), (1, 3))),
        ('offset', View(a, 5, (6,), (1,))),
        ('scalar', View(a, 7, (), ())),
        ('strided', View(a, 1, (2, 2, 3), (12, 1, 4))),
        ('other.weight', View(b, 2, (2, 2), (2, 1))),
        ('contiguous', View(a, 0, (2, 3, 4), (12, 4, 1))),
    ])
    with open(path, 'wb') as f:
        pickle.dump(0x1950a86a20f9469cfc6c, f, protocol=protocol)
        pickle.dump(1001, f, protocol=protocol)
        pickle.dump({'little_endian': True, 'protocol_version': 1001,
                     'type_sizes': {'int': 4, 'long': 4, 'short': 2}}, f, protocol=protocol)
        Pickler(f, protocol=protocol).dump({'epoch': 3, 'model': model, 'note': 1.5, 'big': 2 ** 70})
        pickle.dump([b.key, a.key], f, protocol=protocol)
        for s in (b, a):
            f.write(struct.pack('<q', len(s.data)))
            f.write(s.data.astype('<f8' if double else '<f4').tobytes())
    """

    private func makeFixture(pickleProtocol: Int, double: Bool = false) throws -> URL {
        let url = try CheckpointMaterial.temporaryDirectory(self).appendingPathComponent("views-p\(pickleProtocol).pth")
        _ = try CheckpointMaterial.python(Self.fixtureScript, [url.path, "\(pickleProtocol)", double ? "double" : "float"])
        return url
    }

    func testViewsOffsetsAndStridesMatchTheReference() throws {
        for proto in [2, 4] {
            let url = try makeFixture(pickleProtocol: proto)
            try assertMatchesReference([url])
            let tensors = try LegacyTorchCheckpoint.read(url)
            let a = (0..<24).map { Float($0) * 0.37 - 3.1 }
            let transposed = tensors[0]
            XCTAssertEqual(transposed.shape, [3, 4])
            XCTAssertEqual(transposed.values, [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11].map { a[$0] })
            XCTAssertEqual(tensors[2].shape, [])
            XCTAssertEqual(tensors[2].values, [a[7]])
            XCTAssertEqual(tensors[3].values, [1, 5, 9, 2, 6, 10, 13, 17, 21, 14, 18, 22].map { a[$0] })
        }
    }

    func testDoubleStorageIsRejectedNamingTheTensor() throws {
        let url = try makeFixture(pickleProtocol: 2, double: true)
        XCTAssertThrowsError(try LegacyTorchCheckpoint.read(url)) { error in
            XCTAssertTrue("\(error)".contains("other.weight") && "\(error)".contains("DoubleStorage"), "\(error)")
        }
    }

    func testZipFormatIsRejected() throws {
        let url = try CheckpointMaterial.temporaryDirectory(self).appendingPathComponent("se1.pth")
        _ = try CheckpointMaterial.python(
            "import sys, zipfile; zipfile.ZipFile(sys.argv[1], 'w').writestr('archive/data.pkl', b'x')", [url.path])
        XCTAssertThrowsError(try LegacyTorchCheckpoint.read(url)) { error in
            XCTAssertEqual(error as? CheckpointError, .zipFormat(path: url.path))
            XCTAssertTrue("\(error)".contains("zip-format"))
        }
    }

    func testTruncatedCheckpointsAreRejected() throws {
        let bytes = [UInt8](try Data(contentsOf: CheckpointMaterial.mirror.appendingPathComponent("se1.pth")))
        // Inside the data section, inside the object pickle, and inside the storage key list.
        for length in [bytes.count - 1, 9_000, 500, 1_050] {
            XCTAssertThrowsError(try LegacyTorchCheckpoint.read(bytes: Array(bytes.prefix(length)), path: "cut.pth")) { error in
                guard case .truncated(let path, _)? = error as? CheckpointError else {
                    return XCTFail("\(length): \(error)")
                }
                XCTAssertEqual(path, "cut.pth")
            }
        }
    }

    func testNonCheckpointsAreRejected() throws {
        XCTAssertThrowsError(try LegacyTorchCheckpoint.read(bytes: Array("hello".utf8), path: "x.pth")) { error in
            XCTAssertEqual(error as? CheckpointError, .notLegacyCheckpoint(path: "x.pth", reason: "it does not start with a pickle"))
        }
        // A plain pickle of an int: no torch magic number.
        XCTAssertThrowsError(try LegacyTorchCheckpoint.read(bytes: [0x80, 0x02, 0x4b, 0x05, 0x2e], path: "x.pth")) { error in
            XCTAssertEqual(error as? CheckpointError, .notLegacyCheckpoint(path: "x.pth", reason: "no torch magic number"))
        }
        // An unknown opcode (protocol-0 INT) after the magic.
        var bytes = [UInt8](try Data(contentsOf: CheckpointMaterial.mirror.appendingPathComponent("se1.pth")))
        bytes[17] = 0x49
        XCTAssertThrowsError(try LegacyTorchCheckpoint.read(bytes: bytes, path: "x.pth")) { error in
            XCTAssertTrue("\(error)".contains("opcode 0x49"), "\(error)")
        }
        XCTAssertThrowsError(try LegacyTorchCheckpoint.read(URL(fileURLWithPath: "/nonexistent/se1.pth"))) { error in
            guard case .unreadable? = error as? CheckpointError else { return XCTFail("\(error)") }
        }
    }

    func testUnknownGlobalsAreNeverCalled() throws {
        // {'x': os.system('true')} written by hand: GLOBAL os system, REDUCE.
        var pickle: [UInt8] = [0x80, 0x02, 0x7d, 0x58, 1, 0, 0, 0, 0x78, 0x63]
        pickle += Array("os\nsystem\n".utf8) + [0x58, 4, 0, 0, 0] + Array("true".utf8) + [0x85, 0x52, 0x73, 0x2e]
        let header: [UInt8] = [0x80, 0x02, 0x8a, 0x0a] + LegacyTorchCheckpoint.magicNumber + [0x2e,
                               0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e, 0x80, 0x02, 0x7d, 0x2e]
        XCTAssertThrowsError(try LegacyTorchCheckpoint.read(bytes: header + pickle, path: "evil.pth")) { error in
            XCTAssertEqual(error as? CheckpointError, .unsupported(path: "evil.pth", detail: "the pickle calls os.system"))
        }
    }
}
