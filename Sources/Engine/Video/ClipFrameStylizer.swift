import Imaging
import Stylization

/// Stylizes the frames of one clip in order with one recipe: a feature cache and the clip's
/// `ClipStatistics` keep what the family derives from the style images (computed once per
/// clip) and smooth the content statistics its transforms use (reset at scene cuts, which the
/// stabilizer's motion finds), each frame gets its mask frames as regions, and the stabilizer
/// blends in the previous output.
final class ClipFrameStylizer: @unchecked Sendable {
    private let model: any StyleModel
    private let recipe: RenderRecipe
    private let styles: [SourceImage]
    private let execution: RenderExecution
    private let stabilizer: TemporalStabilizer
    private let identity: String
    private let cache = LRUFeatureCache(capacityBytes: 256 << 20)
    private let statistics: ClipStatistics

    init(model: any StyleModel, recipe: RenderRecipe, styles: [SourceImage], execution: RenderExecution,
         stability: Float, identity: String) {
        self.model = model
        self.recipe = recipe
        self.styles = styles
        self.execution = execution
        self.stabilizer = TemporalStabilizer(stability: stability)
        self.statistics = ClipStatistics(momentum: ClipStatistics.momentum(stability: stability))
        self.identity = identity
    }

    /// Frame `index` (`frame`, as decoded) stylized and stabilized.
    func render(frame index: Int, _ frame: RGBImage, masks: [GrayImage], control: RenderControl) throws -> RGBImage {
        if stabilizer.observe(input: frame) { statistics.sceneCut() }
        var settings = recipe.settings
        settings.clip = statistics
        settings.regions = zip(recipe.regions, masks).map { region, mask in
            Region(mask: mask, styles: region.blend.map { WeightedStyle(index: $0.style, weight: $0.weight) })
        }
        let content = SourceImage(image: frame, identity: "\(identity)#\(index)")
        let stylized: RGBImage
        if let tile = execution.tile {
            stylized = try TiledStylizer(model: model, options: TilingOptions(tile: tile, memory: execution.memory))
                .stylize(content: content, styles: styles, settings: settings, cache: cache, control: control)
        } else {
            stylized = try Stylizer(model: model).stylize(content: content, styles: styles, settings: settings,
                                                          cache: cache, control: control)
        }
        return stabilizer.next(stylized: stylized)
    }
}
