import Engine
import Foundation

/// `atelier --demo`: renders the bundled demo photo with the first bundled style.
struct DemoRender {
    func run() throws {
        let root = BundledFiles.root
        let photo = root.appendingPathComponent("Resources/demo-coffee.png")
        let styles = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Styles").path)) ?? []
        guard let style = styles.filter({ $0.hasSuffix(".png") }).sorted().first else {
            throw CLIFailure.runtime("no style images in \(root.appendingPathComponent("Styles").path); run `atelier styles generate`")
        }
        let folder = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let output = folder.appendingPathComponent("demo.png")
        let recipe = RenderRecipe(content: .init(path: photo.path),
                                  styles: [.init(path: root.appendingPathComponent("Styles/\(style)").path)],
                                  blend: [.init(style: 0, weight: 1)], output: output.path)
        let (model, digests) = try InstalledModel.load(home: nil)
        let outcome = try RenderJob(recipe: recipe).run(model: model, modelFiles: digests, overwrite: true)
        print("demo: \(photo.lastPathComponent) in the style of \(style) -> \(outcome.output.path)")
    }
}
