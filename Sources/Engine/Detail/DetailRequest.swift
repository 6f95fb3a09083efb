import Foundation

/// What a 1:1 (detail) view shows: the session rendered exactly as an export of it would be
/// written, at the size that export would have. Two requests are the same picture when they
/// are equal, so a finished render is reused for as long as the request stays the same.
public struct DetailRequest: Equatable, Sendable {
    /// The look (photo, styles, blends, alpha, mask, colour mode, family).
    public var session: Session
    /// The photo's longer side in the export; nil keeps the photo's own size (full resolution).
    public var longerSide: Int?
    /// 2 or 4 when the export enlarges the photo with Real-ESRGAN first; nil for none.
    public var upscaleFactor: Int?

    /// A request for `session` exported at `longerSide` (nil: full resolution), enlarged by
    /// `upscaleFactor` first if given.
    public init(session: Session, longerSide: Int? = nil, upscaleFactor: Int? = nil) {
        self.session = session
        self.longerSide = longerSide
        self.upscaleFactor = upscaleFactor
    }

    /// How the export size reads in the interface: "full resolution", "1024 px", "2x (Real-ESRGAN)".
    public var sizeDescription: String {
        upscaleFactor.map { "\($0)x (Real-ESRGAN)" } ?? longerSide.map { "\($0) px" } ?? "full resolution"
    }
}
