/// Converts an ncnn graph (`.param` layers plus `.bin` bytes) into Atelier's layer list,
/// checking every layer's options, every blob's channel count and every weight count, and
/// fusing each PReLU into the convolution it follows.
enum NCNNConverter {
    static let maxChannels = 4096
    static let maxFactor = 16

    /// `paramFile` and `binFile` name the files in errors.
    static func convert(_ layers: [NCNNLayer], weights: [UInt8], paramFile: String, binFile: String) throws -> UpscalerGraph {
        func bad(_ why: String) -> UpscalerModelError { .badGraph(file: paramFile, reason: why) }
        func unsupported(_ layer: NCNNLayer, _ what: String) -> UpscalerModelError {
            .unsupported(file: paramFile, what: "\(what) in layer \(layer.type) \(layer.name)")
        }
        var reader = NCNNWeightReader(weights, file: binFile)
        var ids: [String: Int] = [:]
        var channels: [Int] = []   // per blob id
        var scales: [Int] = []     // spatial scale per blob id, vertical * 1000 + horizontal
        var out: [UpscalerLayer] = []
        var tensors: [String: [Float]] = [:]
        var consumers: [String: Int] = [:]
        for layer in layers { for name in layer.inputs { consumers[name, default: 0] += 1 } }

        func define(_ name: String, channels c: Int, scale: Int) throws -> Int {
            guard ids[name] == nil else { throw bad("blob \(name) is produced twice") }
            ids[name] = channels.count
            channels.append(c)
            scales.append(scale)
            return channels.count - 1
        }
        func input(_ layer: NCNNLayer, count: Int? = nil) throws -> [Int] {
            if let count, layer.inputs.count != count { throw bad("layer \(layer.name) needs \(count) inputs, has \(layer.inputs.count)") }
            if layer.inputs.isEmpty { throw bad("layer \(layer.name) has no input") }
            return try layer.inputs.map { name in
                guard let id = ids[name] else { throw bad("layer \(layer.name) reads blob \(name) before it exists") }
                return id
            }
        }
        func single(_ layer: NCNNLayer) throws -> String {
            guard layer.outputs.count == 1 else { throw bad("layer \(layer.name) needs one output, has \(layer.outputs.count)") }
            return layer.outputs[0]
        }

        for layer in layers {
            switch layer.type {
            case "Input":
                guard ids.isEmpty, layer.inputs.isEmpty, layer.outputs == ["data"] else {
                    throw bad("the graph must start with one Input layer giving blob 'data'")
                }
                _ = try define("data", channels: 3, scale: 1001)
            case "Split":
                let from = try input(layer, count: 1)[0]
                for name in layer.outputs {
                    guard ids[name] == nil else { throw bad("blob \(name) is produced twice") }
                    ids[name] = from
                }
            case "Convolution":
                let from = try input(layer, count: 1)[0]
                let name = try single(layer)
                guard let o = layer.int(0, 0), (1...maxChannels).contains(o),
                      let k = layer.int(1, 1), k == 1 || k == 3 else { throw unsupported(layer, "output channels or kernel size (1x1 and 3x3 only)") }
                guard layer.int(11, k) == k, layer.int(2, 1) == 1, layer.int(12, 1) == 1, layer.int(3, 1) == 1,
                      layer.int(13, 1) == 1, layer.int(4, 0) == k / 2, layer.int(14, k / 2) == k / 2,
                      layer.int(15, k / 2) == k / 2, layer.int(16, k / 2) == k / 2, layer.int(18, 0) == 0,
                      layer.int(8, 0) == 0, layer.int(19, 0) == 0 else {
                    throw unsupported(layer, "a non-square kernel, stride, dilation, padding or int8 option")
                }
                let c = channels[from]
                guard let biasTerm = layer.int(5, 0), biasTerm == 0 || biasTerm == 1,
                      let size = layer.int(6, 0), size == o * c * k * k else {
                    throw bad("layer \(layer.name): weight_data_size \(layer.params[6].map { "\($0)" } ?? "missing") does not match \(o) x \(c) x \(k) x \(k)")
                }
                var conv = UpscalerLayer(kind: .convolution, inputs: [from], output: 0)
                conv.outChannels = o
                conv.inChannels = c
                conv.kernel = k
                switch layer.int(9, 0) {
                case 0: conv.activation = .none
                case 1: conv.activation = .relu
                case 2:
                    guard let slopes = layer.array(10), slopes.count == 1 else { throw unsupported(layer, "LeakyReLU without one slope") }
                    conv.activation = .leakyReLU
                    conv.slope = slopes[0]
                default: throw unsupported(layer, "activation type \(layer.params[9].map { "\($0)" } ?? "")")
                }
                let key = "\(out.count).\(layer.name)"
                tensors[key + ".weight"] = try reader.flaggedFloats(size, "the weights of \(layer.name)")
                tensors[key + ".bias"] = biasTerm == 1 ? try reader.rawFloats(o, "the bias of \(layer.name)")
                                                       : [Float](repeating: 0, count: o)
                conv.weight = key + ".weight"
                conv.bias = key + ".bias"
                conv.output = try define(name, channels: o, scale: scales[from])
                out.append(conv)
            case "PReLU":
                let from = try input(layer, count: 1)[0]
                let name = try single(layer)
                guard let n = layer.int(0, 1), n == 1 || n == channels[from] else {
                    throw bad("layer \(layer.name): PReLU slope count does not match \(channels[from]) channels")
                }
                let slopes = try reader.rawFloats(n, "the slopes of \(layer.name)")
                guard var last = out.last, last.kind == .convolution, last.output == from, last.activation == .none,
                      consumers[layer.inputs[0]] == 1 else {
                    throw unsupported(layer, "a PReLU that does not directly follow a convolution")
                }
                let key = (last.weight ?? "").replacingOccurrences(of: ".weight", with: ".slopes")
                tensors[key] = n == 1 ? [Float](repeating: slopes[0], count: channels[from]) : slopes
                last.activation = .prelu
                last.slopes = key
                out[out.count - 1] = last
                ids[name] = from
            case "Concat":
                let from = try input(layer)
                guard layer.int(0, 0) == 0 else { throw unsupported(layer, "concatenation along an axis other than channels") }
                guard Set(from.map { scales[$0] }).count == 1 else { throw bad("layer \(layer.name) concatenates maps of different sizes") }
                let total = from.reduce(0) { $0 + channels[$1] }
                guard total <= maxChannels else { throw bad("layer \(layer.name) makes \(total) channels") }
                var concat = UpscalerLayer(kind: .concat, inputs: from, output: 0)
                concat.output = try define(try single(layer), channels: total, scale: scales[from[0]])
                out.append(concat)
            case "Eltwise", "BinaryOp":
                let from = try input(layer, count: layer.type == "BinaryOp" ? 2 : nil)
                let coefficients: [Float]
                if layer.type == "Eltwise" {
                    guard layer.int(0, 0) == 1 else { throw unsupported(layer, "an Eltwise other than sum") }
                    coefficients = layer.array(1) ?? [Float](repeating: 1, count: from.count)
                } else {
                    guard layer.int(0, 0) == 0, layer.int(1, 0) == 0 else { throw unsupported(layer, "a BinaryOp other than adding two blobs") }
                    coefficients = [1, 1]
                }
                guard from.count >= 2 else { throw bad("layer \(layer.name) adds fewer than two blobs") }
                guard coefficients.count == from.count else { throw bad("layer \(layer.name) has \(coefficients.count) coefficients for \(from.count) inputs") }
                guard Set(from.map { channels[$0] }).count == 1, Set(from.map { scales[$0] }).count == 1 else {
                    throw bad("layer \(layer.name) adds blobs of different shapes")
                }
                var sum = UpscalerLayer(kind: .weightedSum, inputs: from, output: 0)
                sum.coefficients = coefficients
                sum.output = try define(try single(layer), channels: channels[from[0]], scale: scales[from[0]])
                out.append(sum)
            case "Interp":
                let from = try input(layer, count: 1)[0]
                guard layer.int(0, 0) == 1, layer.int(3, 0) == 0, layer.int(4, 0) == 0,
                      let sy = layer.number(1), let sx = layer.number(2),
                      sy.rounded() == sy, sx.rounded() == sx, (1...Float(maxFactor)).contains(sy), (1...Float(maxFactor)).contains(sx) else {
                    throw unsupported(layer, "an Interp other than nearest by whole factors up to \(maxFactor)")
                }
                var up = UpscalerLayer(kind: .nearest, inputs: [from], output: 0)
                up.factor = Int(sy)
                up.factor2 = Int(sx)
                let scale = scales[from]
                up.output = try define(try single(layer), channels: channels[from],
                                       scale: try grown(scale, up.factor, up.factor2, bad))
                out.append(up)
            case "PixelShuffle":
                let from = try input(layer, count: 1)[0]
                guard let r = layer.int(0, 1), (1...8).contains(r), layer.int(1, 0) == 0, channels[from] % (r * r) == 0 else {
                    throw unsupported(layer, "a PixelShuffle factor or mode")
                }
                var shuffle = UpscalerLayer(kind: .pixelShuffle, inputs: [from], output: 0)
                shuffle.factor = r
                shuffle.output = try define(try single(layer), channels: channels[from] / (r * r),
                                            scale: try grown(scales[from], r, r, bad))
                out.append(shuffle)
            default:
                throw UpscalerModelError.unsupported(file: paramFile, what: "layer type \(layer.type) (\(layer.name))")
            }
        }
        guard reader.remaining == 0 else { throw UpscalerModelError.trailingWeights(file: binFile, bytes: reader.remaining) }
        guard let output = ids["output"] else { throw bad("no blob named 'output'") }
        let scale = scales[output]
        guard channels[output] == 3, scale / 1000 == scale % 1000, scale / 1000 > 1 else {
            throw bad("blob 'output' must be RGB, enlarged equally in both directions")
        }
        return UpscalerGraph(layers: out, output: output, tensors: tensors, scale: scale / 1000)
    }

    /// A blob's spatial scale (vertical * 1000 + horizontal) times (fy, fx), bounded.
    private static func grown(_ scale: Int, _ fy: Int, _ fx: Int, _ bad: (String) -> UpscalerModelError) throws -> Int {
        let (y, x) = (scale / 1000 * fy, scale % 1000 * fx)
        guard y <= maxFactor, x <= maxFactor else { throw bad("the graph enlarges by more than \(maxFactor)x") }
        return y * 1000 + x
    }
}

extension UpscalerGraph {
    /// Reads an ncnn model, its `.param` text and `.bin` weights, as Atelier's layer list
    /// (bounded and checked throughout: `NCNNParamParser`, then `NCNNConverter`); `name` names
    /// the files in errors (`<name>.param`, `<name>.bin`).
    public init(ncnnParam param: [UInt8], bin: [UInt8], name: String) throws {
        let layers = try NCNNParamParser.parse(param, file: name + ".param")
        self = try NCNNConverter.convert(layers, weights: bin, paramFile: name + ".param", binFile: name + ".bin")
    }
}
