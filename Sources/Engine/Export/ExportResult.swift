import Foundation

/// What an export wrote.
public struct ExportResult: Equatable, Sendable {
    /// The PNG file.
    public var imageURL: URL
    /// The render recipe written beside it.
    public var recipeURL: URL
    /// The picture's width in pixels.
    public var width: Int
    /// The picture's height in pixels.
    public var height: Int
    /// Wall-clock seconds from start to the files being in place.
    public var seconds: Double

    /// Creates a result.
    public init(imageURL: URL, recipeURL: URL, width: Int, height: Int, seconds: Double) {
        self.imageURL = imageURL
        self.recipeURL = recipeURL
        self.width = width
        self.height = height
        self.seconds = seconds
    }
}
