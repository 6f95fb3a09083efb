import CKernels
import COpenBLAS

/// A symmetric n x n matrix of doubles, row-major (equal to column-major, being symmetric).
public struct SymmetricMatrix: Equatable, Sendable {
    /// Order of the matrix.
    public let order: Int
    /// `order * order` values.
    public var values: [Double]

    /// Wraps `values` (`order * order` of them).
    public init(order: Int, values: [Double]) {
        precondition(values.count == order * order, "a symmetric matrix needs order^2 values")
        self.order = order
        self.values = values
    }

    /// `scale * I`.
    public static func identity(order: Int, scale: Double = 1) -> SymmetricMatrix {
        var m = SymmetricMatrix(order: order, values: [Double](repeating: 0, count: order * order))
        for i in 0..<order { m.values[i * order + i] = scale }
        return m
    }

    /// Element-wise sum.
    public static func + (a: SymmetricMatrix, b: SymmetricMatrix) -> SymmetricMatrix {
        precondition(a.order == b.order, "orders differ")
        return SymmetricMatrix(order: a.order, values: zip(a.values, b.values).map { $0 + $1 })
    }

    /// Eigenvalues (ascending) and orthonormal eigenvectors (column j of `vectors`, stored
    /// row-major: element (i, j) at `i * order + j`) through LAPACK's dsyevd.
    public func eigendecomposition() throws -> (values: [Double], vectors: [Double]) {
        var a = values
        var w = [Double](repeating: 0, count: order)
        let n = Int32(order)
        // LAPACK is column-major; A is symmetric, and the eigenvectors come back as columns of
        // the column-major result, which read row-major are the rows: transpose them back.
        let info = Self.dsyevd(order: n, matrix: &a, eigenvalues: &w)
        guard info == 0 else { throw LinearAlgebraError.eigendecompositionFailed(code: Int(info)) }
        var vectors = [Double](repeating: 0, count: order * order)
        for i in 0..<order {
            for j in 0..<order { vectors[i * order + j] = a[j * order + i] }
        }
        return (w, vectors)
    }

    /// Calls LAPACK's dsyevd twice: a workspace query, then the decomposition. Returns `info`.
    private static func dsyevd(order n: Int32, matrix a: inout [Double], eigenvalues w: inout [Double]) -> Int32 {
        let jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "U"))
        var info: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workSize = 0.0
        var iworkSize: Int32 = 0
        withUnsafePointer(to: jobz) { jz in
            withUnsafePointer(to: uplo) { ul in
                dsyevd_(jz, ul, [n], &a, [n], &w, &workSize, &lwork, &iworkSize, &liwork, &info, 1, 1)
            }
        }
        guard info == 0 else { return info }
        lwork = Int32(workSize.rounded(.up))
        liwork = max(iworkSize, 1)
        var work = [Double](repeating: 0, count: Int(max(lwork, 1)))
        var iwork = [Int32](repeating: 0, count: Int(liwork))
        withUnsafePointer(to: jobz) { jz in
            withUnsafePointer(to: uplo) { ul in
                dsyevd_(jz, ul, [n], &a, [n], &w, &work, &lwork, &iwork, &liwork, &info, 1, 1)
            }
        }
        return info
    }

    /// `V f(E) V^T` for the eigendecomposition V E V^T, with `f` applied to every eigenvalue.
    public func spectralFunction(_ f: (Double) -> Double) throws -> SymmetricMatrix {
        let (e, v) = try eigendecomposition()
        let n = order
        let fe = e.map(f)
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                var s = 0.0
                for k in 0..<n { s += v[i * n + k] * fe[k] * v[j * n + k] }
                out[i * n + j] = s
                out[j * n + i] = s
            }
        }
        return SymmetricMatrix(order: n, values: out)
    }
}

/// Failures of the linear-algebra routines.
public enum LinearAlgebraError: Error, CustomStringConvertible {
    /// LAPACK's dsyevd reported a non-zero info code.
    case eigendecompositionFailed(code: Int)

    public var description: String {
        switch self {
        case .eigendecompositionFailed(let code): return "eigendecomposition failed (LAPACK info \(code))"
        }
    }
}

/// Row-major matrix product of doubles: (m x k) * (k x n).
public func matrixProduct(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int) -> [Double] {
    precondition(a.count == m * k && b.count == k * n, "matrix sizes do not match")
    var c = [Double](repeating: 0, count: m * n)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                a, Int32(k), b, Int32(n), 0, &c, Int32(n))
    return c
}

extension Tensor {
    /// Weighted per-channel mean and covariance of the pixels, in double precision:
    /// mean = sum(m x) / sum(m), cov = sum(m (x - mean)(x - mean)^T) / max(sum(m) - 1, 1).
    /// `mask` holds one non-negative weight per pixel; nil means all ones.
    public func covariance(mask: [Float]? = nil, pool: WorkerPool = .shared) -> (mean: [Double], covariance: SymmetricMatrix) {
        let c = channels, n = planeSize
        let weightSum = mask.map { $0.reduce(0.0) { $0 + Double($1) } } ?? Double(n)
        let mean = channelStatistics(mask: mask, pool: pool).mean
        let chunk = 4096
        let chunks = (n + chunk - 1) / chunk
        let parts = min(chunks, pool.threadCount)
        var partials = [[Double]](repeating: [Double](repeating: 0, count: c * c), count: parts)
        data.withUnsafeBufferPointer { x in
            mean.withUnsafeBufferPointer { meanPointer in
                withOptionalPointer(mask) { maskPointer in
                    partials.withUnsafeMutableBufferPointer { partialsPointer in
                        let xp = x.baseAddress!, mp = meanPointer.baseAddress!
                        pool.parallelFor(parts) { part in
                            var scratch = [Double](repeating: 0, count: c * chunk)
                            var acc = [Double](repeating: 0, count: c * c)
                            var index = part
                            while index < chunks {
                                let j0 = index * chunk, j1 = min(n, j0 + chunk)
                                ak_center_columns(xp, mp, maskPointer, n, Int32(c), j0, j1, &scratch)
                                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, Int32(c), Int32(j1 - j0),
                                            1, scratch, Int32(j1 - j0), 1, &acc, Int32(c))
                                index += parts
                            }
                            partialsPointer[part] = acc
                        }
                    }
                }
            }
        }
        var cov = [Double](repeating: 0, count: c * c)
        let divisor = max(weightSum - 1, 1)
        for i in 0..<c {
            for j in i..<c {
                let s = partials.reduce(0.0) { $0 + $1[i * c + j] } / divisor
                cov[i * c + j] = s
                cov[j * c + i] = s
            }
        }
        return (mean, SymmetricMatrix(order: c, values: cov))
    }

    /// `matrix * self + bias` treating the tensor as a (channels x pixels) matrix; `matrix` is
    /// row-major (outChannels x channels), `bias` one value per output channel.
    public func channelMix(_ matrix: [Float], outChannels: Int, bias: [Float], pool: WorkerPool = .shared) -> Tensor {
        precondition(matrix.count == outChannels * channels && bias.count == outChannels, "matrix sizes do not match")
        let c = channels, n = planeSize
        var out = Tensor(channels: outChannels, height: height, width: width)
        let block = 8192
        let blocks = (n + block - 1) / block
        data.withUnsafeBufferPointer { x in
            out.data.withUnsafeMutableBufferPointer { o in
                let xp = x.baseAddress!, op = o.baseAddress!
                pool.parallelFor(blocks) { b in
                    let j0 = b * block, cols = min(n, j0 + block) - j0
                    for r in 0..<outChannels {
                        let row = op + r * n + j0
                        for j in 0..<cols { row[j] = bias[r] }
                    }
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(outChannels), Int32(cols), Int32(c),
                                1, matrix, Int32(c), xp + j0, Int32(n), 1, op + j0, Int32(n))
                }
            }
        }
        return out
    }
}

/// Float vector reductions summed in double with several running sums (a fixed order, so the
/// same inputs give the same bytes): an optimiser's dot products over image-sized vectors.
public enum VectorSums {
    /// aᵀb over `count` floats.
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Double {
        ak_dot_f64(a, b, count)
    }

    /// out = clamp(x + t·d, 0, 1) over `count` floats; returns gᵀ(out − x).
    public static func projectIntoBox(_ x: UnsafePointer<Float>, _ d: UnsafePointer<Float>, _ t: Float,
                                      slopeWith g: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>,
                                      count: Int) -> Double {
        ak_project_box(x, d, t, g, out, count)
    }
}
