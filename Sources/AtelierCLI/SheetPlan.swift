import Engine
import Foundation
import Imaging
import Stylization

/// The cells of a contact sheet: the photo itself, then the photo in each style with each
/// image-style family, then (with `--builtins`) in each of CIN-26's built-in styles. Each cell is
/// a render recipe at the sheet's box size.
struct SheetPlan {
    /// One cell: its label, the recipe rendering it (nil for the photo itself), and the file
    /// name its full-size recipe gets in the sheet's cells folder.
    struct Cell {
        var label: String
        var recipe: RenderRecipe?
        var fileStem: String
    }

    var cells: [Cell]

    /// The plan for `photo` (absolute path) with `styles` (absolute paths) in each of
    /// `families`, plus the built-ins of `builtinFamily` when given, every render's longer side
    /// `box` pixels; renders are written into `scratch`.
    init(photo: String, styles: [String], families: [ModelFamily], builtinFamily: ModelFamily?,
         alpha: Float, box: Int, scratch: URL) {
        var cells = [Cell(label: "photo", recipe: nil, fileStem: "00-photo")]
        func add(_ label: String, _ slug: String, _ recipe: (String) -> RenderRecipe) {
            let stem = String(format: "%02d-", cells.count) + slug
            cells.append(Cell(label: label, recipe: recipe(scratch.appendingPathComponent(stem + ".png").path), fileStem: stem))
        }
        for family in families {
            for style in styles {
                let name = ((style as NSString).lastPathComponent as NSString).deletingPathExtension
                add("\(family.id): \(name)", "\(family.id)-\(Self.slug(name))") { output in
                    RenderRecipe(model: family.id, content: .init(path: photo), styles: [.init(path: style)],
                                 blend: [.init(style: 0, weight: 1)], alpha: alpha, size: box,
                                 styleSize: family.options.contains(.styleSize) ? RenderRecipe.defaultStyleSize : nil,
                                 output: output)
                }
            }
        }
        if let family = builtinFamily, case .builtin(let count) = family.styles {
            for n in 0..<count {
                add("\(family.id) #\(n)", "\(family.id)-\(n)") { output in
                    RenderRecipe(model: family.id, content: .init(path: photo), styles: [], blend: [.init(style: n, weight: 1)],
                                 alpha: alpha, size: box, styleSize: nil, output: output)
                }
            }
        }
        self.cells = cells
    }

    /// `name` with everything but ASCII letters, digits, `-` and `_` replaced by `_`.
    static func slug(_ name: String) -> String {
        String(name.unicodeScalars.map { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_".unicodeScalars.contains($0)) ? Character($0) : "_" })
    }
}

/// The sheet's description written beside it (`SHEET.png.json`): the photo, the box size, and
/// per cell its label, where its picture is on the sheet and its full-size recipe's file.
struct SheetDescription: Codable {
    struct Cell: Codable {
        var label: String
        var frame: ContactSheet.Frame
        /// The recipe file in the cells folder, relative to the sheet's folder (nil for the photo).
        var recipe: String?
    }

    var sheet = 1
    var program = AtelierVersion.programName
    var photo: RenderRecipe.InputFile
    var box: Int
    var cells: [Cell]
}
