import Foundation
import SwiftProtobuf

/// Turns an ONNX model (bytes of a `.onnx` file) into an `ImportedNetwork`: our own list of
/// dequantised convolutions and float constants, read once at install time.
///
/// - Weights: a Conv's weight and bias are float initializers, or DequantizeLinear of an int8
///   (weights) / int32 (bias) initializer with one scale (and zero point) per output channel:
///   dequantised here once, w = (q - zero point) * scale.
/// - Activation QuantizeLinear/DequantizeLinear pairs, Identity and the NHWC<->NCHW Transposes
///   around the graph only pass values through: they are dropped (folded), the network runs in
///   float32 CHW.
/// - Convs keep their stride and groups (depthwise when groups = channels); dilation must be 1.
///   Bias and the ReLU/ReLU6/sigmoid after a conv are fused by the runtime (`Activation`), the
///   instance-norm subgraph (mean, Sub, Mul, variance, Add eps, Sqrt, Reciprocal, Mul, Add) is
///   one op of the runtime (`instanceNormalized`); the order of layers is the family's layer
///   list (`MagentaArchitectures`), checked against the convs found here.
/// - Any op outside `knownOps` is an error naming it (and its node): never a silent wrong picture.
///
/// Layers are named by the weight initializer without its last component
/// (`transformer/contract/conv1/weights` -> `transformer/contract/conv1`), or without `.w`
/// (`contract.0.w` -> `contract.0`), as the specification's `read_onnx_weights`.
public enum ONNXImporter {
    /// Every op the importer accepts in these networks.
    public static let knownOps: Set<String> = [
        "Conv", "Relu", "Clip", "Sigmoid", "Pad", "Add", "Sub", "Mul", "Div", "Sqrt", "Reciprocal", "Pow",
        "ReduceMean", "ReduceSum", "GlobalAveragePool", "InstanceNormalization", "Resize", "Upsample", "Transpose",
        "QuantizeLinear", "DequantizeLinear", "Identity", "Reshape", "Squeeze", "Unsqueeze", "Flatten",
        "Shape", "Gather", "Concat", "Cast", "Slice", "Constant", "MatMul", "Gemm", "ConstantOfShape",
    ]

    /// Imports the model in `bytes`; `file` names it in errors.
    public static func importNetwork(_ bytes: [UInt8], file: String) throws -> ImportedNetwork {
        let model: Onnx_ModelProto
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            model = try Onnx_ModelProto(serializedBytes: bytes, options: options)
        } catch {
            throw MagentaError.unreadable(file: file, reason: "\(error)")
        }
        guard model.hasGraph, !model.graph.node.isEmpty else {
            throw MagentaError.unreadable(file: file, reason: "the file holds no graph (truncated or not an ONNX model)")
        }
        let graph = model.graph
        for node in graph.node where !knownOps.contains(node.opType) {
            throw MagentaError.unknownOp(file: file, op: node.opType, node: node.name)
        }
        for node in graph.node where node.opType == "Pad" {
            let mode = node.attribute.first { $0.name == "mode" }.map { String(decoding: $0.s, as: UTF8.self) } ?? "constant"
            guard mode == "reflect" || mode == "constant" else {
                throw MagentaError.unknownPattern(file: file, detail: "Pad \(node.name) with mode \(mode)")
            }
        }
        var values: [String: ConstantTensor] = [:]
        for tensor in graph.initializer { values[tensor.name] = try ConstantTensor(tensor, file: file) }
        for node in graph.node where node.opType == "Constant" {
            if let t = node.attribute.first(where: { $0.name == "value" && $0.hasT })?.t, let out = node.output.first {
                values[out] = try ConstantTensor(t, file: file)
            }
        }
        var source: [String: String] = [:]
        for node in graph.node where node.opType == "DequantizeLinear" {
            guard node.input.count >= 2, let q = values[node.input[0]], let scale = values[node.input[1]] else { continue }
            guard let output = node.output.first else {
                throw MagentaError.unknownPattern(file: file, detail: "DequantizeLinear \(node.name) has no output")
            }
            let zero = node.input.count > 2 && !node.input[2].isEmpty ? values[node.input[2]] : nil
            let axis = Int(node.attribute.first { $0.name == "axis" }?.i ?? 1)
            values[output] = try q.dequantised(scale: scale, zeroPoint: zero, axis: axis, file: file, node: node.name)
            source[output] = node.input[0]
        }
        var convs: [String: ImportedConv] = [:]
        for node in graph.node where node.opType == "Conv" {
            guard node.input.count >= 2, let w = values[node.input[1]], w.isFloat, w.shape.count == 4 else {
                throw MagentaError.unknownPattern(file: file, detail: "Conv \(node.name) has no constant 4-d weight")
            }
            let wname = source[node.input[1]] ?? node.input[1]
            let key = wname.hasSuffix(".w") ? String(wname.dropLast(2))
                : (wname.range(of: "/", options: .backwards).map { String(wname[..<$0.lowerBound]) } ?? wname)
            var bias: [Float]?
            if node.input.count > 2, !node.input[2].isEmpty {
                guard let b = values[node.input[2]], b.isFloat, b.values.count == w.shape[0] else {
                    throw MagentaError.unknownPattern(file: file, detail: "Conv \(node.name) has no constant bias of \(w.shape[0]) values")
                }
                bias = b.values
            }
            func ints(_ name: String) -> [Int]? {
                node.attribute.first { $0.name == name }.map { $0.ints.map(Int.init) }
            }
            let group = Int(node.attribute.first { $0.name == "group" }?.i ?? 1)
            let strides = ints("strides") ?? [1, 1]
            guard w.shape[2] == w.shape[3], strides.count == 2, strides[0] == strides[1],
                  (ints("dilations") ?? [1, 1]).allSatisfy({ $0 == 1 }),
                  group == 1 || (group == w.shape[0] && w.shape[1] == 1) else {
                throw MagentaError.unknownPattern(file: file, detail: "Conv \(node.name): kernel \(w.shape), strides \(strides), group \(group)")
            }
            convs[key] = ImportedConv(name: key, weight: w.values, bias: bias, outChannels: w.shape[0],
                                      inChannels: w.shape[1] * group, kernelSize: w.shape[2], stride: strides[0], groups: group)
        }
        var constants: [String: (shape: [Int], values: [Float])] = [:]
        for (name, value) in values where value.isFloat && isKeptConstant(name) {
            constants[name] = (value.shape, value.values)
        }
        return ImportedNetwork(convs: convs, constants: constants)
    }

    /// The constants the families read: CIN-26's 26-row gamma/beta tables and the transformer's
    /// instance-norm epsilon.
    static func isKeptConstant(_ name: String) -> Bool {
        name.hasSuffix(".norm.gamma") || name.hasSuffix(".norm.beta") || name.contains("batchnorm/add/y")
    }
}

/// An initializer or Constant value, decoded to float (floats) or kept as integers (int8/int32
/// quantised weights) until dequantised.
struct ConstantTensor {
    var shape: [Int]
    var values: [Float]
    var isFloat: Bool

    /// The most values a tensor may hold (2^28: 1 GiB of float32).
    static let maximumCount = 1 << 28

    init(shape: [Int], values: [Float], isFloat: Bool) {
        self.shape = shape
        self.values = values
        self.isFloat = isFloat
    }

    init(_ t: Onnx_TensorProto, file: String) throws {
        shape = t.dims.map(Int.init)
        // Each dimension and their product bounded (no overflow; at most 2^28 values).
        let count = shape.reduce(1) { product, side in
            product <= Self.maximumCount && side >= 0 && side <= Self.maximumCount ? product * side : Self.maximumCount + 1
        }
        guard count <= Self.maximumCount else {
            throw MagentaError.unknownPattern(file: file, detail: "tensor \(t.name) has dims \(t.dims)")
        }
        let raw = [UInt8](t.rawData)
        func fromRaw<T>(_ type: T.Type, _ convert: (T) -> Float) throws -> [Float] {
            let size = MemoryLayout<T>.size
            guard raw.count == count * size else {
                throw MagentaError.unreadable(file: file, reason: "tensor \(t.name) holds \(raw.count) bytes, its shape needs \(count * size)")
            }
            return raw.withUnsafeBytes { p in (0..<count).map { convert(p.loadUnaligned(fromByteOffset: $0 * size, as: T.self)) } }
        }
        switch t.dataType {
        case 1:   // FLOAT
            isFloat = true
            values = raw.isEmpty ? t.floatData : try fromRaw(Float.self) { $0 }
        case 3:   // INT8
            isFloat = false
            values = raw.isEmpty ? t.int32Data.map { Float($0) } : try fromRaw(Int8.self) { Float($0) }
        case 2:   // UINT8
            isFloat = false
            values = raw.isEmpty ? t.int32Data.map { Float($0) } : try fromRaw(UInt8.self) { Float($0) }
        case 6:   // INT32
            isFloat = false
            values = raw.isEmpty ? t.int32Data.map { Float($0) } : try fromRaw(Int32.self) { Float($0) }
        case 7:   // INT64 (shapes, axes): kept as floats for completeness
            isFloat = false
            values = raw.isEmpty ? t.int64Data.map { Float($0) } : try fromRaw(Int64.self) { Float($0) }
        default:
            isFloat = false
            values = []
            return
        }
        guard values.count == count else {
            throw MagentaError.unreadable(file: file, reason: "tensor \(t.name) holds \(values.count) values, its shape needs \(count)")
        }
    }

    /// (q - zero point) * scale, with one scale per index of `axis` (or one for all).
    func dequantised(scale: ConstantTensor, zeroPoint: ConstantTensor?, axis: Int, file: String, node: String) throws -> ConstantTensor {
        let n = values.count
        if scale.values.count == 1 {
            let z = Double(zeroPoint?.values.first ?? 0), s = Double(scale.values[0])
            return ConstantTensor(shape: shape, values: values.map { Float((Double($0) - z) * s) }, isFloat: true)
        }
        let axis = axis < 0 ? axis + shape.count : axis
        guard axis >= 0, axis < shape.count, shape[axis] == scale.values.count,
              zeroPoint.map({ [1, scale.values.count].contains($0.values.count) }) ?? true else {
            throw MagentaError.unknownPattern(file: file, detail: "DequantizeLinear \(node): \(scale.values.count) scales and \(zeroPoint?.values.count ?? 0) zero points for shape \(shape)")
        }
        let inner = shape[(axis + 1)...].reduce(1, *)
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let k = (i / inner) % shape[axis]
            let z = Double(zeroPoint.map { $0.values.count == 1 ? $0.values[0] : $0.values[k] } ?? 0)
            out[i] = Float((Double(values[i]) - z) * Double(scale.values[k]))
        }
        return ConstantTensor(shape: shape, values: out, isFloat: true)
    }
}
