import Stylization

extension RenderJob {
    /// `recipe` as a render with `model` writes it: the family and its files' SHA-256
    /// (`modelFiles`), the style images' and masks' SHA-256, this program's name. On a replay
    /// (`verify`) a model other than the recipe's, or an input whose bytes changed or were never
    /// recorded, is refused. The content's digest is left to the caller (a photo may come from
    /// standard input, a clip is hashed like any file).
    static func recordingModelAndStyles(_ recipe: RenderRecipe, model: any StyleModel, modelFiles: [String: String],
                                        verify: Bool) throws -> RenderRecipe {
        guard recipe.family == model.family.id else {
            throw RenderJobError.modelChanged(family: recipe.family, reason: "the render was given \(model.family.id)")
        }
        if verify, recipe.modelFiles.isEmpty {
            throw RenderJobError.modelChanged(family: recipe.family, reason: "the recipe records no model files to check")
        }
        if verify, recipe.modelFiles != modelFiles {
            throw RenderJobError.modelChanged(family: recipe.family,
                                              reason: "the installed model files' SHA-256 differ from the recipe's")
        }
        var written = recipe
        written.model = model.family.id
        for i in written.styles.indices { written.styles[i].sha256 = try hash(recipe.styles[i], verify: verify) }
        for i in written.regions.indices {
            written.regions[i].mask.sha256 = try hash(recipe.regions[i].mask, verify: verify)
        }
        written.modelFiles = modelFiles
        written.program = AtelierVersion.programName
        return written
    }
}
