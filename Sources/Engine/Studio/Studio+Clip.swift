import Foundation
import Stylization

extension Studio {
    /// Starts rendering the whole clip at `clip` with the current look to `url` (see
    /// `ExportJob.startClip`); `frame` is the clip's frame the session shows. Returns at once;
    /// the outcome also arrives as an event, and `shutdown()` cancels it like a photo export.
    @discardableResult
    public func exportClip(_ clip: String, frame: String, to url: URL, longerSide: Int? = nil, overwrite: Bool = false) -> ExportJob {
        let session = self.session
        let loader = self.model
        let job = ExportJob.startClip(session: session, clip: clip, frame: frame, to: url, longerSide: longerSide,
                                      overwrite: overwrite, model: {
            guard let loader else { throw StylizationError.modelUnavailable("no model is configured for exports") }
            return try loader(session.family)
        }, events: events)
        track(job)
        return job
    }
}
