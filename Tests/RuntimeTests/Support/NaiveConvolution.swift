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

/// A "same" convolution (odd `k`, output as large as the input) summed in double: the valid sum
/// over the input padded by `k / 2` on every side with zeros, or by reflection when `reflect`
/// (the edge pixel not repeated, as PyTorch's ReflectionPad2d).
func naiveSameConvolution(_ x: Tensor, weight: [Float], bias: [Float], outChannels cout: Int,
                          kernelSize k: Int, reflect: Bool) -> [Double] {
    let (h, w, p) = (x.height, x.width, k / 2)
    func mirrored(_ i: Int, _ n: Int) -> Int { i < 0 ? -i : (i >= n ? 2 * n - 2 - i : i) }
    return naiveValidConvolution(channels: x.channels, height: h + 2 * p, width: w + 2 * p, weight: weight,
                                 bias: bias, outChannels: cout, kernelSize: k) { c, y, xx in
        let (yy, xc) = (y - p, xx - p)
        if reflect { return Double(x[c, mirrored(yy, h), mirrored(xc, w)]) }
        return yy >= 0 && yy < h && xc >= 0 && xc < w ? Double(x[c, yy, xc]) : 0
    }
}

/// naiveSameConvolution's 3x3 sums (zero or reflection padding) after a layer's activation:
/// what a Conv2D with that padding and activation should give, rounded to Float once.
func naiveActivatedConvolution(_ x: Tensor, weight: [Float], bias: [Float], outChannels cout: Int,
                               padding: ConvPadding, activation: ConvActivation) -> [Float] {
    let sums = naiveSameConvolution(x, weight: weight, bias: bias, outChannels: cout, kernelSize: 3,
                                    reflect: padding != .zero)
    let plane = x.height * x.width
    return sums.indices.map { i in
        let s = sums[i]
        switch activation {
        case .none: return Float(s)
        case .relu: return Float(max(s, 0))
        case .leakyReLU(let a): return Float(s > 0 ? s : Double(a) * s)
        case .prelu(let a): return Float(s > 0 ? s : Double(a[i / plane]) * s)
        }
    }
}
