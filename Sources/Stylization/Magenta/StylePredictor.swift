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

    private let stem: GeneralConv
    private let body: [InvertedResidualBlock]
    private let head: GeneralConv
    private let bottleneck: GeneralConv

    /// The predictor from the imported `arbitrary_predict` network.
    public init(_ network: ImportedNetwork) throws {
        stem = try network.conv("MobilenetV2/Conv").layer()
        var body: [InvertedResidualBlock] = []
        var channels = stem.outChannels
        var k = 0
        for (t, c, n, s) in Self.blocks {
            for r in 0..<n {
                let name = "MobilenetV2/expanded_conv" + (k == 0 ? "" : "_\(k)")
                let stride = r == 0 ? s : 1
                let depthwise = try network.conv(name + "/depthwise").layer()
                guard depthwise.stride == stride else { throw MagentaError.unexpectedLayer(name + "/depthwise", "stride \(depthwise.stride)") }
                body.append(try InvertedResidualBlock(expand: t == 1 ? nil : try network.conv(name + "/expand").layer(),
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
    /// `timing`, when given, hears each stage's wall and CPU time (`atelier bench --layers`).
    public func styleVector(_ image: Tensor, pool: WorkerPool = .shared,
                            timing: ((StageTime) -> Void)? = nil) throws -> [Float] {
        var clock = StageClock(report: timing)
        func lap(_ stage: String, _ layer: GeneralConv, _ y: Tensor) {
            clock.lap(stage, flops: layer.flops(height: y.height, width: y.width))
        }
        // The stem's stride-2 SAME padding: only the bottom and right (256 is even), applied
        // as the kernel gathers its rows.
        var x = try stem.forwardStem(image, activation: .relu6, pool: pool)
        lap("predictor stem", stem, x)
        for (k, block) in body.enumerated() {
            let expandFlops = timing == nil ? 0 : block.expand?.flops(height: x.height, width: x.width) ?? 0
            x = try block.forward(x, pool: pool)
            clock.lap("block \(k) \(block.inChannels)->\(block.depthwise.inChannels)->\(block.project.outChannels) s\(block.depthwise.stride) \(x.width)",
                      flops: expandFlops + block.depthwise.flops(height: x.height, width: x.width) + block.project.flops(height: x.height, width: x.width))
        }
        x = try head.forwardSplittingChannels(x, activation: .relu6, pool: pool)
        lap("predictor head", head, x)
        let pooled = x.globalAveragePooled(pool: pool)
        clock.lap("predictor mean pool")
        let vector = try bottleneck.forwardSplittingChannels(pooled, activation: .none, pool: pool).data
        lap("predictor bottleneck", bottleneck, Tensor(channels: 1, height: 1, width: 1, data: [0]))
        return vector
    }
}

extension GeneralConv {
    /// 2 x multiply-adds for an h x w output.
    func flops(height: Int, width: Int) -> Double {
        2 * Double(outChannels * (depthwise ? 1 : inChannels) * kernelSize * kernelSize) * Double(height * width)
    }
}
