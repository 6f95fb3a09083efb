import Foundation
import Imaging

/// Reads the float32 tensors of a *legacy* (pre-1.6, non-zip) `torch.save` file without PyTorch.
///
/// The layout (see shared/reference/torch_legacy.py): five pickles (magic number, protocol
/// version 1001, system info, the object, the list of storage keys), then for each key an int64
/// element count and the storage's raw little-endian elements. Tensors are calls of
/// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)` whose storages are
/// persistent ids `('storage', torch.FloatStorage, key, location, numel, view)`.
public enum LegacyTorchCheckpoint {
    /// Reads the checkpoint at `url` and returns its state dict's tensors in file order.
    ///
    /// The state dict is the object's `"model"` (or `"state_dict"`) entry when it has one, else
    /// the object itself. Views (offset, stride) are copied into contiguous arrays. Only float32
    /// tensors (FloatStorage) are supported; anything else throws a `CheckpointError`.
    public static func read(_ url: URL) throws -> [NamedTensor] {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.bytes(url.path, limit: 1 << 34)
        } catch {
            throw CheckpointError.unreadable(path: url.path, reason: "\(error)")
        }
        return try read(bytes: bytes, path: url.path)
    }

    /// Reads a checkpoint already in memory; `path` names it in errors.
    public static func read(bytes: [UInt8], path: String) throws -> [NamedTensor] {
        if bytes.starts(with: [0x50, 0x4b]) { throw CheckpointError.zipFormat(path: path) }
        guard bytes.first == 0x80 else {
            throw CheckpointError.notLegacyCheckpoint(path: path, reason: "it does not start with a pickle")
        }
        let host = TorchPickleHost(path: path)
        var machine = PickleMachine(reader: ByteReader(bytes: bytes, path: path), host: host)
        func load() throws -> PickleValue { try machine.load() }

        guard case .bigInt(let magic) = try load(), magic == magicNumber else {
            throw CheckpointError.notLegacyCheckpoint(path: path, reason: "no torch magic number")
        }
        let version = try load()
        guard version.int == 1001 else {
            throw CheckpointError.unsupported(path: path, detail: "torch protocol version \(version.int ?? -1)")
        }
        if case .dict(let info) = try load(), case .bool(false)? = info["little_endian"] {
            throw CheckpointError.unsupported(path: path, detail: "big-endian checkpoints are not supported")
        }
        let object = try load()
        guard case .list(let keyList) = try load() else {
            throw CheckpointError.malformed(path: path, detail: "the storage key list is missing")
        }

        var reader = ByteReader(bytes: bytes, path: path)
        reader.position = machine.position
        var located: [String: LocatedStorage] = [:]
        for item in keyList.items {
            guard let key = item.string, let storage = host.storages[key] else {
                throw CheckpointError.malformed(path: path, detail: "storage key \(item.kind) was never referenced")
            }
            guard let elementSize = storageElementSizes[storage.typeName] else {
                throw CheckpointError.unsupported(path: path, detail: "storage type torch.\(storage.typeName)")
            }
            let count = try reader.int64()
            let (byteCount, overflow) = Int(clamping: count).multipliedReportingOverflow(by: elementSize)
            guard count >= 0, !overflow else {
                throw CheckpointError.malformed(path: path, detail: "storage \(key) has \(count) elements")
            }
            let start = reader.position
            _ = try reader.take(byteCount, for: "storage \(key) (\(count) elements)")
            located[key] = LocatedStorage(type: storage.typeName, start: start, count: Int(count))
        }

        var tensors: [NamedTensor] = []
        for (key, value) in try stateDict(in: object, path: path).entries {
            guard let name = key.string else {
                throw CheckpointError.malformed(path: path, detail: "a state dict key is a \(key.kind), not a string")
            }
            guard case .tensor(let view) = value else {
                throw CheckpointError.unsupported(path: path, detail: "entry '\(name)' is a \(value.kind), not a tensor")
            }
            guard let storage = located[view.storage.key] else {
                throw CheckpointError.malformed(path: path, detail: "tensor '\(name)' has no storage data")
            }
            guard storage.type == "FloatStorage" else {
                throw CheckpointError.unsupported(
                    path: path, detail: "tensor '\(name)' is torch.\(storage.type); only float32 (FloatStorage) is supported")
            }
            let values = try gather(view, from: storage, in: bytes, name: name, path: path)
            tensors.append(NamedTensor(name: name, shape: view.shape, values: values))
        }
        return tensors
    }

    /// 0x1950a86a20f9469cfc6c, little-endian, as LONG1 stores it.
    static let magicNumber: [UInt8] = [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]

    /// Bytes per element of each storage type the data section may hold.
    static let storageElementSizes: [String: Int] = [
        "FloatStorage": 4, "DoubleStorage": 8, "HalfStorage": 2, "BFloat16Storage": 2,
        "LongStorage": 8, "IntStorage": 4, "ShortStorage": 2, "CharStorage": 1,
        "ByteStorage": 1, "BoolStorage": 1,
    ]

    /// Where one storage's elements sit in the file.
    private struct LocatedStorage {
        var type: String
        var start: Int
        var count: Int
    }

    /// The dict of tensors: `object["model"]`, `object["state_dict"]` or `object`.
    private static func stateDict(in object: PickleValue, path: String) throws -> PickleDict {
        guard case .dict(let dict) = object else {
            throw CheckpointError.malformed(path: path, detail: "the saved object is a \(object.kind), not a dict")
        }
        for key in ["model", "state_dict"] {
            if case .dict(let inner)? = dict[key] { return inner }
        }
        return dict
    }

    /// Copies the elements `view` selects into a contiguous row-major array.
    private static func gather(_ view: TorchTensorView, from storage: LocatedStorage, in bytes: [UInt8],
                               name: String, path: String) throws -> [Float] {
        let shape = view.shape, stride = view.stride
        guard shape.count == stride.count, view.offset >= 0, shape.allSatisfy({ $0 >= 0 }),
              stride.allSatisfy({ $0 >= 0 }) else {
            throw CheckpointError.malformed(path: path, detail: "tensor '\(name)' has an invalid shape or stride")
        }
        var count = 1
        var last = view.offset
        for (size, step) in zip(shape, stride) {
            let (c, o1) = count.multipliedReportingOverflow(by: size)
            let (reach, o2) = max(size - 1, 0).multipliedReportingOverflow(by: step)
            let (l, o3) = last.addingReportingOverflow(reach)
            guard !o1, !o2, !o3 else {
                throw CheckpointError.malformed(path: path, detail: "tensor '\(name)' is too large")
            }
            count = c
            last = l
        }
        if count == 0 { return [] }
        guard count <= storage.count else {
            // Only a view with zero or overlapping strides selects more elements than its
            // storage has; materialising one could ask for any amount of memory.
            throw CheckpointError.unsupported(
                path: path, detail: "tensor '\(name)' is a broadcast view (\(count) elements of a storage of \(storage.count))")
        }
        guard last < storage.count else {
            throw CheckpointError.malformed(
                path: path, detail: "tensor '\(name)' reaches element \(last) of a storage of \(storage.count)")
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + storage.start
            @inline(__always) func element(_ index: Int) -> Float {
                Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
            values.withUnsafeMutableBufferPointer { out in
                if isContiguous(shape: shape, stride: stride) {
                    for i in 0..<count { out[i] = element(view.offset + i) }
                    return
                }
                // Odometer over the indices, innermost dimension fastest.
                var index = [Int](repeating: 0, count: shape.count)
                var source = view.offset
                for i in 0..<count {
                    out[i] = element(source)
                    var d = shape.count - 1
                    while d >= 0 {
                        index[d] += 1
                        source += stride[d]
                        if index[d] < shape[d] { break }
                        source -= stride[d] * shape[d]
                        index[d] = 0
                        d -= 1
                    }
                }
            }
        }
        return values
    }

    /// Whether `stride` is the row-major stride of `shape` (dimensions of size 1 may have any stride).
    private static func isContiguous(shape: [Int], stride: [Int]) -> Bool {
        var expected = 1
        for d in stride.indices.reversed() {
            if shape[d] != 1 && stride[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }
}

/// A storage as a persistent id names it.
struct TorchStorage {
    /// The key its data is listed under after the pickles.
    var key: String
    /// The storage class, e.g. `"FloatStorage"`.
    var typeName: String
}

/// A tensor: a strided view of a storage.
struct TorchTensorView {
    var storage: TorchStorage
    var offset: Int
    var shape: [Int]
    var stride: [Int]
}

/// Resolves the torch-specific parts of a legacy checkpoint's pickle: storages (persistent ids)
/// and the few callables that rebuild tensors and ordered dicts. Everything else is rejected.
private final class TorchPickleHost: PickleHost {
    let path: String
    private(set) var storages: [String: TorchStorage] = [:]

    init(path: String) { self.path = path }

    func persistentLoad(_ pid: PickleValue) throws -> PickleValue {
        guard case .tuple(let items) = pid, items.count >= 5, items[0].string == "storage",
              case .global(let module, let typeName) = items[1], module == "torch",
              let key = items[2].string else {
            throw CheckpointError.malformed(path: path, detail: "unrecognised persistent id (\(pid.kind))")
        }
        if items.count > 5, case .none = items[5] {} else if items.count > 5 {
            throw CheckpointError.unsupported(path: path, detail: "storage views (storage \(key))")
        }
        let storage = TorchStorage(key: key, typeName: typeName)
        storages[key] = storage
        return .storage(storage)
    }

    func call(module: String, name: String, arguments: [PickleValue]) throws -> PickleValue {
        switch (module, name) {
        case ("collections", "OrderedDict"):
            let dict = PickleDict()
            if case .list(let pairs)? = arguments.first {
                for pair in try keyValuePairs(pairs) { dict.set(pair.0, pair.1) }
            }
            return .dict(dict)
        case ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"):
            guard arguments.count >= 4, case .storage(let storage) = arguments[0],
                  let offset = arguments[1].int, let shape = arguments[2].ints, let stride = arguments[3].ints else {
                throw CheckpointError.malformed(path: path, detail: "unexpected arguments to \(name)")
            }
            return .tensor(TorchTensorView(storage: storage, offset: offset, shape: shape, stride: stride))
        case ("torch._utils", "_rebuild_parameter"):
            guard case .tensor? = arguments.first else {
                throw CheckpointError.malformed(path: path, detail: "unexpected arguments to \(name)")
            }
            return arguments[0]
        default:
            throw CheckpointError.unsupported(path: path, detail: "the pickle calls \(module).\(name)")
        }
    }

    /// The (key, value) pairs of a list of 2-tuples.
    private func keyValuePairs(_ list: PickleList) throws -> [(PickleValue, PickleValue)] {
        try list.items.map { item in
            guard case .tuple(let kv) = item, kv.count == 2 else {
                throw CheckpointError.malformed(path: path, detail: "OrderedDict item is a \(item.kind), not a pair")
            }
            return (kv[0], kv[1])
        }
    }
}
