import Imaging

/// Checks settings before a render starts, with messages a user can act on.
enum StylizeSettingsValidation {
    /// Checks `settings` for a render by `family` with `styleImages` style images.
    static func validate(_ settings: StylizeSettings, family: ModelFamily, styleImages: Int, content: RGBImage) throws {
        try validate(settings, styleCount: family.styleSlots(images: styleImages), content: content)
    }

    static func validate(_ settings: StylizeSettings, styleCount: Int, content: RGBImage) throws {
        guard settings.alpha.isFinite, (0...1).contains(settings.alpha) else {
            throw StylizationError.invalidSettings("alpha must be between 0 and 1 (got \(settings.alpha))")
        }
        guard styleCount > 0 else { throw StylizationError.invalidSettings("at least one style image is needed") }
        try validateBlend(settings.styles, styleCount: styleCount, what: "the style blend")
        for (i, region) in settings.regions.enumerated() {
            try validateBlend(region.styles, styleCount: styleCount, what: "region \(i + 1)")
            guard region.mask.pixels.allSatisfy({ $0.isFinite }) else {
                throw StylizationError.invalidSettings("region \(i + 1): the mask has non-finite values")
            }
        }
        guard content.width >= 2, content.height >= 2 else {
            throw StylizationError.invalidSettings("the photo must be at least 2x2 pixels")
        }
    }

    private static func validateBlend(_ blend: [WeightedStyle], styleCount: Int, what: String) throws {
        guard !blend.isEmpty else { throw StylizationError.invalidSettings("\(what) has no styles") }
        for style in blend {
            guard (0..<styleCount).contains(style.index) else {
                throw StylizationError.invalidSettings("\(what) refers to style \(style.index + 1), but there are \(styleCount)")
            }
            guard style.weight.isFinite, style.weight >= 0 else {
                throw StylizationError.invalidSettings("\(what): style weights must be zero or positive (got \(style.weight))")
            }
        }
        guard blend.contains(where: { $0.weight > 0 }) else {
            throw StylizationError.invalidSettings("\(what): the style weights are all zero")
        }
    }
}
