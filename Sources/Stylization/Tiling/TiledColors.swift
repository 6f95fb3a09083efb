import Imaging
import Runtime

/// Colour preservation for tiled renders: the photo's RGB statistics gathered strip by strip,
/// and the style recolouring of `ColorPreservation.matchColors` built from them.
extension UST16xTiledStylizer {
    /// Mean and covariance (N - 1) of the photo's RGB values, accumulated over strips of rows.
    static func colourStatistics(of photo: PaddedPhoto, pool: WorkerPool) -> FeatureStatistics {
        var moments = FeatureMoments(channels: 3, transform: .wct)
        let (height, width) = (photo.image.height, photo.image.width)
        let rows = max(1, (1 << 22) / width)
        for y0 in stride(from: 0, to: height, by: rows) {
            moments.add(photo.read(CellRect(y0: y0, y1: min(height, y0 + rows), x0: 0, x1: width)), mask: nil, pool: pool)
        }
        return moments.statistics!
    }

    /// Gives `style` the RGB mean and covariance in `contentColours`:
    /// s' = Cc^1/2 Cs^-1/2 (s - mean_s) + mean_c, clipped, exactly as `matchColors` does.
    static func matchColors(style: RGBImage, contentColours: FeatureStatistics) throws -> RGBImage {
        guard case .meanAndCovariance(let cm, let cc) = contentColours else {
            preconditionFailure("colour statistics need the covariance")
        }
        return try ColorPreservation.matchColors(style: style, contentMean: cm, contentCovariance: cc)
    }
}
