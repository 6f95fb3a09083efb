import Terminal

/// Where every pane goes on a screen of a given size.
///
/// Narrow screens (up to 80x24 and a bit more) stack the photo picker, the style gallery and the
/// controls in a left column beside the preview; when the column is too short for all three, the
/// focused pane gets its full height and the others shrink to a one-line summary (as lazygit's
/// side panels do). Wide screens put the controls in a column of their own. The status bar takes
/// the bottom two rows.
public struct ScreenLayout: Equatable, Sendable {
    /// The smallest screen the workstation draws on; below it an "enlarge me" notice is shown.
    public static let minimum = CellSize(columns: 60, rows: 16)
    /// Rows a collapsed pane keeps: its border and one summary line.
    public static let collapsedRows = 3
    /// Rows of the status bar.
    public static let statusRows = 2

    /// The screen size this layout is for.
    public var size: CellSize
    /// True when the controls have a column of their own.
    public var isWide: Bool
    /// The photo picker's box.
    public var picker: CellRect
    /// The style gallery's box.
    public var gallery: CellRect
    /// The controls' box.
    public var controls: CellRect
    /// The preview's box (the picture goes in its interior).
    public var preview: CellRect
    /// The status bar.
    public var status: CellRect

    /// The box of `pane`.
    public func rect(of pane: PaneID) -> CellRect {
        switch pane {
        case .picker: return picker
        case .gallery: return gallery
        case .controls: return controls
        }
    }

    /// The pane whose box contains the cell, if any.
    public func pane(at row: Int, column: Int) -> PaneID? {
        PaneID.allCases.first { pane in
            let r = rect(of: pane)
            return row >= r.row && row < r.row + r.rows && column >= r.column && column < r.column + r.columns
        }
    }

    /// The layout for `size`, with `natural` rows wanted by each pane (border included) and the
    /// focused pane; nil when the screen is smaller than `minimum`.
    public static func compute(size: CellSize, natural: [PaneID: Int] = [:], focus: PaneID = .picker) -> ScreenLayout? {
        guard size.contains(minimum) else { return nil }
        let body = size.rows - statusRows
        let status = CellRect(row: body, column: 0, columns: size.columns, rows: statusRows)
        if size.columns >= 150 && size.rows >= 30 {
            let first = min(max(size.columns / 6, 30), 40)
            let second = min(max(size.columns / 5, 34), 44)
            let top = body / 2
            return ScreenLayout(size: size, isWide: true,
                                picker: CellRect(row: 0, column: 0, columns: first, rows: top),
                                gallery: CellRect(row: top, column: 0, columns: first, rows: body - top),
                                controls: CellRect(row: 0, column: first, columns: second, rows: body),
                                preview: CellRect(row: 0, column: first + second, columns: size.columns - first - second, rows: body),
                                status: status)
        }
        let left = min(max(size.columns * 3 / 8, 28), 44)
        let order: [PaneID] = [.picker, .gallery, .controls]
        let heights = stack(total: body, natural: order.map { natural[$0] ?? collapsedRows },
                            focused: order.firstIndex(of: focus))
        var row = 0
        var rects: [CellRect] = []
        for height in heights {
            rects.append(CellRect(row: row, column: 0, columns: left, rows: height))
            row += height
        }
        return ScreenLayout(size: size, isWide: false, picker: rects[0], gallery: rects[1], controls: rects[2],
                            preview: CellRect(row: 0, column: left, columns: size.columns - left, rows: body),
                            status: status)
    }

    /// Heights for panes stacked in `total` rows: each gets at least `collapsedRows`; the focused
    /// one grows to its natural height first, then the others in order; rows left over go to the
    /// first two panes (the lists), half each. The heights always add up to `total`.
    static func stack(total: Int, natural: [Int], focused: Int?) -> [Int] {
        var heights = [Int](repeating: collapsedRows, count: natural.count)
        var left = total - heights.reduce(0, +)
        let wanted = natural.map { max($0, collapsedRows) }
        var order = Array(natural.indices)
        if let focused, natural.indices.contains(focused) {
            order.removeAll { $0 == focused }
            order.insert(focused, at: 0)
        }
        for i in order where left > 0 {
            let grow = min(wanted[i] - heights[i], left)
            heights[i] += grow
            left -= grow
        }
        if left > 0 && !heights.isEmpty {
            let lists = min(2, heights.count)
            for i in 0..<lists {
                let share = i == lists - 1 ? left : left / lists
                heights[i] += share
                left -= share
            }
        }
        return heights
    }
}
