import Imaging
import Runtime
import Stylization

/// Stylizes the frames of one clip with one recipe: a feature cache (of the styles' features
/// only) and the clip's
/// `ClipStatistics` keep what the family derives from the style images (computed once per
/// clip) and smooth the content statistics its transforms use (reset at scene cuts, which the
/// stabilizer's motion finds), each frame gets its mask frames as regions, and the stabilizer
/// blends in the previous output.
///
/// A frame goes through three steps: `prepare` (in frame order: the motion from the previous
/// input frame and the frame's view of the statistics), `stylize` (the network; frames may run
/// at once on separate pools, the statistics keep them in step) and `stabilize` (in frame
/// order: the blend with the previous output). The output is the same whatever runs at once.
final class ClipFrameStylizer: @unchecked Sendable {
    private let model: any StyleModel
    private let recipe: RenderRecipe
    private let styles: [SourceImage]
    private let execution: RenderExecution
    private let stabilizer: TemporalStabilizer
    private let identity: String
    /// The styles' features (a frame's own are never kept: see `ExcludingFeatureCache`).
    private let cache: ExcludingFeatureCache
    private let statistics: ClipStatistics

    /// One frame between the steps.
    struct Frame: @unchecked Sendable {
        let index: Int
        let image: RGBImage
        let masks: [GrayImage]
        let motion: TemporalStabilizer.Motion?
        let statistics: ClipStatistics
    }

    init(model: any StyleModel, recipe: RenderRecipe, styles: [SourceImage], execution: RenderExecution,
         stability: Float, identity: String) {
        self.model = model
        self.recipe = recipe
        self.styles = styles
        self.execution = execution
        self.stabilizer = TemporalStabilizer(stability: stability)
        self.statistics = ClipStatistics(momentum: ClipStatistics.momentum(stability: stability))
        self.identity = identity
        self.cache = ExcludingFeatureCache(LRUFeatureCache(capacityBytes: 256 << 20), excluding: identity + "#")
    }

    /// Frames that may be stylized at once: two, each on half the cores, when the frame
    /// renders in one piece and is at most 1280x720 (the network's memory then stays small);
    /// larger frames one at a time on every core.
    func concurrentFrames(cores: Int, pixels: Int) -> Int {
        execution.tile == nil && cores >= 2 && pixels <= 1280 * 720 ? 2 : 1
    }

    /// Frame `index` (`image`, as decoded) ready to stylize; call for the frames in order.
    func prepare(index: Int, image: RGBImage, masks: [GrayImage]) -> Frame {
        let motion = stabilizer.motion(to: image)
        return Frame(index: index, image: image, masks: masks, motion: motion,
                     statistics: statistics.frame(index, sceneCut: motion?.isSceneCut ?? false))
    }

    /// `frame` stylized on `pool` (not yet stabilized).
    func stylize(_ frame: Frame, pool: WorkerPool, control: RenderControl) throws -> RGBImage {
        defer { frame.statistics.finished() }
        var settings = recipe.settings
        settings.clip = frame.statistics
        settings.regions = zip(recipe.regions, frame.masks).map { region, mask in
            Region(mask: mask, styles: region.blend.map { WeightedStyle(index: $0.style, weight: $0.weight) })
        }
        let content = SourceImage(image: frame.image, identity: "\(identity)#\(frame.index)")
        if let tile = execution.tile {
            return try TiledStylizer(model: model, options: TilingOptions(tile: tile, memory: execution.memory), pool: pool)
                .stylize(content: content, styles: styles, settings: settings, cache: cache, control: control)
        }
        return try Stylizer(model: model, pool: pool).stylize(content: content, styles: styles, settings: settings,
                                                              cache: cache, control: control)
    }

    /// The output of `frame`, whose render is `stylized`; call for the frames in order.
    func stabilize(_ frame: Frame, stylized: RGBImage) -> RGBImage {
        stabilizer.next(stylized: stylized, motion: frame.motion)
    }
}
