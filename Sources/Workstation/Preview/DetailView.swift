import Engine
import Imaging

/// The 1:1 view's state: the export-resolution render (running or finished, reused while the
/// settings stay the same), the point the window is centred on, and how many picture pixels a
/// cell shows. The workstation draws it (`Workstation+Detail.swift`); the engine renders it.
public final class DetailView {
    /// The newest render: running, or finished for the request it names.
    public internal(set) var render: DetailRender?
    /// The point the window is centred on, as fractions of the picture's width and height (so it
    /// stays put when a new render has another size); nil for the centre.
    var centre: (x: Double, y: Double)?
    /// Picture pixels per cell: the preview adapter's samples (sixel and kitty: the cell's screen
    /// pixels; half blocks and symbols: 1x2). The terminal loop sets it.
    public var samplesPerCell: (x: Int, y: Int) = (1, 2)
    /// The size the last export was asked at (longer side, upscale factor); both nil: full resolution.
    var exportSize: (longerSide: Int?, upscale: Int?) = (nil, nil)
    /// What was on screen at the last poll (state and percent), to tell when to redraw.
    var shownState = ""
    /// The window last cut out, by its key (render, centre, size), so frames reuse it.
    var window: (key: String, image: RGBImage)?

    /// A view with nothing rendered.
    public init() {}

    /// The finished picture for `request`, if that is what `render` holds.
    func image(for request: DetailRequest) -> DetailImage? {
        guard let render, render.request == request, case .ready(let image) = render.state else { return nil }
        return image
    }
}
