import Foundation
import Imaging
import Stylization

extension RenderRecipe {
    /// The recipe that renders `session` to `output`, the photo scaled to `longerSide` (nil: its
    /// own size). With a mask, `maskFile` is the inside mask written at the output's size (see
    /// `ExportJob`); the outside blend is the recipe's default blend, which the stylizer gives
    /// exactly the weight the mask leaves (1 - mask), as the preview does.
    public init(session: Session, output: URL, longerSide: Int?, maskFile: URL?) throws {
        guard let contentPath = session.contentPath else { throw RenderSetupError.noContent }
        let blends = try Blends(session)
        func entries(_ blend: [WeightedStyle]) -> [BlendEntry] {
            blend.map { BlendEntry(style: $0.index, weight: $0.weight) }
        }
        var regions: [RegionEntry] = []
        if session.mask.hasRegions, let maskFile {
            regions = [RegionEntry(mask: InputFile(path: maskFile.path), blend: entries(blends.inside))]
        }
        let scalesStyles = ModelCatalog.entry(session.family)?.family.options.contains(.styleSize) ?? true
        self.init(model: session.family, content: InputFile(path: Self.absolute(contentPath)),
                  styles: blends.used.map { InputFile(path: Self.absolute(session.styles[$0].path)) },
                  blend: entries(blends.outside), regions: regions, alpha: session.alpha,
                  transform: session.transform, quality: session.quality, preserveColor: session.color,
                  size: longerSide, styleSize: scalesStyles ? RenderRecipe.defaultStyleSize : nil, output: output.path)
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: (path as NSString).expandingTildeInPath).standardizedFileURL.path
    }
}
