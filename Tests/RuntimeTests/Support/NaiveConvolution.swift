import Runtime

/// The kernel tests' reference: a valid (unpadded) convolution summed in double, out[o][y][x] =
/// bias[o] + sum over c, i, j of weight[o][c][i][j] * input[c][y * stride + i][x * stride + j].
func naiveValidConvolution(_ x: Tensor, weight: [Float], bias: [Float], outChannels cout: Int,
                           kernelSize k: Int, stride: Int = 1) -> [Double] {
    naiveValidConvolution(channels: x.channels, height: x.height, width: x.width, weight: weight, bias: bias,
                          outChannels: cout, kernelSize: k, stride: stride) { c, y, xx in Double(x[c, y, xx]) }
}

/// The same sum over an input given value by value (`input(c, y, x)`, a `channels x height x
/// width` map), for references that build their input in double.
func naiveValidConvolution(channels cin: Int, height: Int, width: Int, weight: [Float], bias: [Float],
                           outChannels cout: Int, kernelSize k: Int, stride: Int = 1,
                           input: (_ c: Int, _ y: Int, _ x: Int) -> Double) -> [Double] {
    let (ho, wo) = ((height - k) / stride + 1, (width - k) / stride + 1)
    var want = [Double](repeating: 0, count: cout * ho * wo)
    for o in 0..<cout {
        for y in 0..<ho {
            for xx in 0..<wo {
                var s = Double(bias[o])
                for c in 0..<cin {
                    for i in 0..<k {
                        for j in 0..<k {
                            s += Double(weight[((o * cin + c) * k + i) * k + j]) * input(c, y * stride + i, xx * stride + j)
                        }
                    }
                }
                want[(o * ho + y) * wo + xx] = s
            }
        }
    }
    return want
}
