import Runtime

/// The kernel tests' reference: a valid (unpadded) convolution summed in double, out[o][y][x] =
/// bias[o] + sum over c, i, j of weight[o][c][i][j] * input[c][y * stride + i][x * stride + j].
func naiveValidConvolution(_ x: Tensor, weight: [Float], bias: [Float], outChannels cout: Int,
                           kernelSize k: Int, stride: Int = 1) -> [Double] {
    let (cin, ho, wo) = (x.channels, (x.height - k) / stride + 1, (x.width - k) / stride + 1)
    var want = [Double](repeating: 0, count: cout * ho * wo)
    for o in 0..<cout {
        for y in 0..<ho {
            for xx in 0..<wo {
                var s = Double(bias[o])
                for c in 0..<cin {
                    for i in 0..<k {
                        for j in 0..<k {
                            s += Double(weight[((o * cin + c) * k + i) * k + j]) * Double(x[c, y * stride + i, xx * stride + j])
                        }
                    }
                }
                want[(o * ho + y) * wo + xx] = s
            }
        }
    }
    return want
}
