/// A stacked bar chart of a report, as self-contained SVG (or an HTML page around it): no script, no network.
///
/// The report's first column is the x axis (e.g. the week), its second the series (e.g. the theme's Arabic
/// name), its last a number (e.g. sentences). Series are stacked largest first and named in a legend written
/// right to left (`direction="rtl"`, `lang="ar"`): the browser shapes and orders the Arabic.
public enum StackedChart {
    struct Series {
        var name: String
        var values: [String: Double]
        var total: Double
    }

    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
                          "#1f77b4", "#8c564b"]

    /// The chart as an SVG document.
    ///
    /// - Throws: ``ReportError/chartShape(report:reason:)`` when the report has fewer than three columns or its
    ///   last column is not a number.
    public static func svg(_ table: ReportTable, report: String, title: String) throws(ReportError) -> String {
        guard table.columns.count >= 3 else { throw .chartShape(report: report, reason: "it needs three columns: x, series, value") }
        guard table.columns.last!.kind == .number else { throw .chartShape(report: report, reason: "its last column is not a number") }
        var categories: [String] = []
        var seen: Set<String> = []
        var seriesByName: [String: Series] = [:]
        var order: [String] = []
        for row in table.rows {
            let x = row[0] ?? "", name = row[1] ?? "", value = Double(row.last! ?? "") ?? 0
            if seen.insert(x).inserted { categories.append(x) }
            if seriesByName[name] == nil { seriesByName[name] = Series(name: name, values: [:], total: 0); order.append(name) }
            seriesByName[name]!.values[x, default: 0] += value
            seriesByName[name]!.total += value
        }
        let series = order.map { seriesByName[$0]! }.sorted { $0.total > $1.total }
        let width = 1100.0, height = 560.0
        let left = 64.0, right = 250.0, top = 64.0, bottom = 86.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maxStack = categories.map { x in series.reduce(0) { $0 + ($1.values[x] ?? 0) } }.max() ?? 0
        let step = niceStep(maxStack / 5)
        let yMax = max(step, (maxStack / step).rounded(.up) * step)
        func y(_ value: Double) -> Double { top + plotHeight - value / yMax * plotHeight }
        let slot = categories.isEmpty ? plotWidth : plotWidth / Double(categories.count)
        let barWidth = max(1, slot * 0.8)

        var svg: [String] = []
        svg.append(##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(f(width))" height="\##(f(height))" viewBox="0 0 \##(f(width)) \##(f(height))" font-family="'Noto Sans Arabic', 'DejaVu Sans', Arial, sans-serif" font-size="13">"##)
        svg.append(##"<title>\##(escape(title))</title>"##)
        svg.append(##"<rect width="100%" height="100%" fill="#ffffff"/>"##)
        svg.append(##"<text x="\##(f(left))" y="28" font-size="18" font-weight="bold" fill="#222">\##(escape(title))</text>"##)
        svg.append(##"<text x="\##(f(left))" y="48" fill="#555">\##(escape(table.columns.last!.name)) per \##(escape(table.columns[0].name)), stacked by \##(escape(table.columns[1].name)) (report \##(escape(report)))</text>"##)
        // Grid and y axis.
        var tick = 0.0
        while tick <= yMax + step / 2 {
            svg.append(##"<line x1="\##(f(left))" x2="\##(f(left + plotWidth))" y1="\##(f(y(tick)))" y2="\##(f(y(tick)))" stroke="#e3e3e3"/>"##)
            svg.append(##"<text x="\##(f(left - 8))" y="\##(f(y(tick) + 4))" text-anchor="end" fill="#444">\##(number(tick))</text>"##)
            tick += step
        }
        // Bars.
        for (index, x) in categories.enumerated() {
            var base = 0.0
            let barX = left + Double(index) * slot + (slot - barWidth) / 2
            for (seriesIndex, s) in series.enumerated() {
                guard let value = s.values[x], value > 0 else { continue }
                let top = y(base + value), bottom = y(base)
                svg.append(##"<rect x="\##(f(barX))" y="\##(f(top))" width="\##(f(barWidth))" height="\##(f(bottom - top))" fill="\##(palette[seriesIndex % palette.count])"><title>\##(escape(x)) · \##(escape(s.name)): \##(number(value))</title></rect>"##)
                base += value
            }
        }
        // X axis labels: at most about 24, rotated.
        let every = max(1, Int((Double(categories.count) / 24).rounded(.up)))
        for (index, x) in categories.enumerated() where index % every == 0 {
            let cx = left + (Double(index) + 0.5) * slot
            svg.append(##"<text transform="translate(\##(f(cx)),\##(f(top + plotHeight + 12))) rotate(-45)" text-anchor="end" fill="#444" font-size="11">\##(escape(x))</text>"##)
        }
        svg.append(##"<line x1="\##(f(left))" x2="\##(f(left + plotWidth))" y1="\##(f(top + plotHeight))" y2="\##(f(top + plotHeight))" stroke="#888"/>"##)
        // Legend, right to left: the swatch at the right, the Arabic name running leftwards from it.
        let legendRight = width - 24
        svg.append(##"<g lang="ar" xml:lang="ar" direction="rtl" unicode-bidi="embed">"##)
        for (index, s) in series.enumerated() {
            let rowY = top + 8 + Double(index) * 24
            svg.append(##"<rect x="\##(f(legendRight - 14))" y="\##(f(rowY - 11))" width="14" height="14" fill="\##(palette[index % palette.count])"/>"##)
            svg.append(##"<text x="\##(f(legendRight - 22))" y="\##(f(rowY))" text-anchor="start" direction="rtl" unicode-bidi="embed" fill="#222">\##(escape(s.name))</text>"##)
        }
        svg.append("</g>")
        if categories.isEmpty {
            svg.append(##"<text x="\##(f(left + plotWidth / 2))" y="\##(f(top + plotHeight / 2))" text-anchor="middle" fill="#888">no rows</text>"##)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// The chart inside a minimal HTML page (UTF-8, no external resources).
    public static func html(_ table: ReportTable, report: String, title: String) throws(ReportError) -> String {
        let chart = try svg(table, report: report, title: title)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(escape(title))</title>
            <style>body { margin: 24px; font-family: 'Noto Sans Arabic', 'DejaVu Sans', Arial, sans-serif; } svg { max-width: 100%; height: auto; }</style>
            </head>
            <body>
            \(chart)</body>
            </html>

            """
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0 else { return 1 }
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        for factor in [1.0, 2.0, 5.0, 10.0] where power * factor >= raw { return power * factor }
        return power * 10
    }

    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// `text` escaped for XML character data and attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
