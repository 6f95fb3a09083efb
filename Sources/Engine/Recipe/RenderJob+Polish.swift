import Foundation
import Imaging
import Stylization

extension RenderJob {
    /// The polisher for `recipe.polish` on a width x height photo, or nil when the recipe asks
    /// for none. Refuses (before any work) a photo whose polish would not fit the memory budget:
    /// the encoder's stored activations grow with the pixel count (docs/polish.md).
    /// `model` is the UST-16x model (its se5 encoder measures the styles, whatever family made
    /// the feed-forward render); the polish needs style images (built-in styles have none).
    static func polisher(for recipe: RenderRecipe, model: UST16xModel?, styles: [SourceImage],
                         width: Int, height: Int) throws -> Polisher? {
        guard let polish = recipe.polish, polish.steps > 0 else { return nil }
        guard !styles.isEmpty else {
            throw StylizationError.invalidSettings("--polish needs style images (-s); the built-in styles of \(recipe.family) have none")
        }
        guard let model else {
            throw StylizationError.modelUnavailable("--polish needs the UST-16x model (its se5 encoder); install it with `atelier models install`")
        }
        let polisher = try Polisher(model: model)
        let budget = recipe.memory ?? TilingOptions.defaultMemory
        let needed = polisher.bytesNeeded(width: width, height: height)
        guard needed <= budget else {
            throw RenderJobError.polishTooLarge(width: width, height: height, needed: needed, budget: budget,
                                                maximumPixels: polisher.maximumPixels(budget: budget))
        }
        return polisher
    }

    /// Polishes `image` (the feed-forward render) as `recipe.polish` asks, reporting each step.
    static func polish(_ image: RGBImage, with polisher: Polisher, recipe: RenderRecipe, content: SourceImage,
                       styles: [SourceImage], settings: StylizeSettings, control: RenderControl?,
                       onStep: ((PolishProgress) -> Void)?) throws -> RGBImage {
        guard let polish = recipe.polish else { return image }
        let outcome = try polisher.polish(start: image, content: content, styles: styles, settings: settings,
                                          steps: polish.steps, weights: polish.weights, control: control) { progress, _ in
            onStep?(progress)
        }
        try control?.checkCancelled()
        return outcome.image
    }
}

extension RenderRecipe {
    /// This recipe with `polish` set (nil: no polish).
    public func withPolish(_ polish: PolishSettings?) -> RenderRecipe {
        var recipe = self
        recipe.polish = polish
        return recipe
    }
}
