import CKernels

/// Row ranges of the layers a UST-style network chains, computed on the calling thread into
/// maps allocated beforehand, so a pass can run every layer a few rows at a time while those
/// rows are still in cache (see `Network.forwardInRows` in Stylization). Each computes exactly
/// what the whole-map op computes for those rows: the same kernels, which never depend on how
/// the rows are split into bands (Winograd bands must start on a multiple of 4 rows).
extension Conv2D {
    /// Rows a Winograd band starts on a multiple of; direct kernels take any rows.
    public static let rowGranularity = 4

    /// Scratch floats `forwardRows` needs for bands of at most `rows` rows of an h x w input.
    public func scratchFloats(height: Int, width: Int, rows: Int) -> Int {
        max(1, Int(ak_conv_scratch_floats(layer, Int32(height), Int32(width), Int32(rows))))
    }

    /// Output rows `rows` (all output channels) of the convolution of `input` (inChannels x
    /// height x width floats, whose rows `rows.lowerBound - 1 ... rows.upperBound` are ready)
    /// into `output` (outChannels x height x width), with `scratch` of
    /// `scratchFloats(height:width:rows:)` floats for `rows.count` rows.
    public func forwardRows(_ input: UnsafePointer<Float>, height: Int, width: Int, rows: Range<Int>, relu: Bool,
                            into output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        ak_conv_forward_rows(layer, input, Int32(height), Int32(width), output,
                             Int32(rows.lowerBound), Int32(rows.upperBound), relu ? 1 : 0, scratch)
    }
}

/// Row ranges of the 2x2 max pool and the nearest 2x upsample (see `Tensor.maxPooled` and
/// `Tensor.upsampled`), on the calling thread.
public enum RowRangeOps {
    /// Output rows `rows` of the 2x2 max pool of `input` (channels x height x width) into
    /// `output` (channels x height/2 x width/2).
    public static func maxPool(_ input: UnsafePointer<Float>, channels: Int, height: Int, width: Int, rows: Range<Int>,
                               into output: UnsafeMutablePointer<Float>) {
        let (outHeight, outWidth) = (height / 2, width / 2)
        guard !rows.isEmpty, outWidth > 0 else { return }
        for c in 0..<channels {
            ak_maxpool2(input + c * height * width + 2 * rows.lowerBound * width, Int32(2 * rows.count), Int32(width),
                        output + c * outHeight * outWidth + rows.lowerBound * outWidth, 0, 1)
        }
    }

    /// Output rows `rows` (even bounds, or the end) of the 2x upsample of `input` (channels x
    /// height x width) into `output` (channels x 2height x 2width): input rows `rows / 2`.
    public static func upsample(_ input: UnsafePointer<Float>, channels: Int, height: Int, width: Int, rows: Range<Int>,
                                into output: UnsafeMutablePointer<Float>) {
        precondition(rows.lowerBound % 2 == 0 && rows.upperBound % 2 == 0, "upsampled rows come in pairs")
        let first = rows.lowerBound / 2, count = rows.count / 2
        guard count > 0 else { return }
        for c in 0..<channels {
            ak_upsample2(input + c * height * width + first * width, Int32(count), Int32(width),
                         output + c * 4 * height * width + 2 * first * 2 * width, 0, 1)
        }
    }
}
