import Runtime

/// The style predictor (MobileNetV2 on a 256 x 256 image -> a 100-d style vector), as the
/// specification's `style_vector`: conv 3x3 s2 + ReLU6; 17 inverted-residual blocks (1x1 expand +
/// ReLU6 unless t = 1, depthwise 3x3 + ReLU6, 1x1 linear project, + input when stride 1 and the
/// channels agree); 1x1 320 -> 1280 + ReLU6; global average pool; 1x1 1280 -> 100. Zero padding,
/// TF "SAME": a stride-2 3x3 pads only the bottom and right.
public final class StylePredictor: @unchecked Sendable {
    /// (expansion, output channels, repeats, stride of the first repeat).
    static let blocks = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                         (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]

    private struct Block {
        var expand: GeneralConv?
        var depthwise: GeneralConv
        var project: GeneralConv
        var residual: Bool
    }

    private let stem: GeneralConv
    private let body: [Block]
    private let head: GeneralConv
    private let bottleneck: GeneralConv

    /// The predictor from the imported `arbitrary_predict` network.
    public init(_ network: ImportedNetwork) throws {
        stem = try network.conv("MobilenetV2/Conv").layer()
        var body: [Block] = []
        var channels = stem.outChannels
        var k = 0
        for (t, c, n, s) in Self.blocks {
            for r in 0..<n {
                let name = "MobilenetV2/expanded_conv" + (k == 0 ? "" : "_\(k)")
                let stride = r == 0 ? s : 1
                let depthwise = try network.conv(name + "/depthwise").layer()
                guard depthwise.stride == stride else { throw MagentaError.unexpectedLayer(name + "/depthwise", "stride \(depthwise.stride)") }
                body.append(Block(expand: t == 1 ? nil : try network.conv(name + "/expand").layer(),
                                  depthwise: depthwise, project: try network.conv(name + "/project").layer(),
                                  residual: stride == 1 && channels == c))
                channels = c
                k += 1
            }
        }
        self.body = body
        head = try network.conv("MobilenetV2/Conv_1").layer()
        bottleneck = try network.conv("mobilenet_conv/Conv").layer()
    }

    /// The 100-d style vector of a 3 x 256 x 256 input in [0, 1] (see `PredictorInput`).
    public func styleVector(_ image: Tensor, pool: WorkerPool = .shared) throws -> [Float] {
        func same(_ x: Tensor, stride: Int) -> Tensor {
            stride == 2 ? x.padded(top: 0, left: 0, bottom: 1, right: 1, mode: .zero, pool: pool)
                        : x.padded(top: 1, left: 1, bottom: 1, right: 1, mode: .zero, pool: pool)
        }
        var x = try stem.forward(same(image, stride: 2), activation: .relu6, pool: pool)
        for block in body {
            var h = x
            if let expand = block.expand { h = try expand.forward(h, activation: .relu6, pool: pool) }
            h = try block.depthwise.forward(same(h, stride: block.depthwise.stride), activation: .relu6, pool: pool)
            h = try block.project.forward(h, activation: .none, pool: pool)
            if block.residual { h.add(x, pool: pool) }
            x = h
        }
        x = try head.forward(x, activation: .relu6, pool: pool)
        return try bottleneck.forward(x.globalAveragePooled(pool: pool), activation: .none, pool: pool).data
    }
}
