import Foundation

/// One self-contained HTML file: the page model as JSON in a `<script type="application/json">`,
/// the style sheet and the drawing script inline. It opens offline and asks for nothing: no
/// font, image or script from anywhere (the favicon is an empty data: URL, so the browser does
/// not look for one).
public enum HTMLPage {
    public static func render(_ page: Page) throws -> String {
        let encoder = JSONEncoder()
        // Escaped slashes keep "</script>" in a name from closing the data block.
        encoder.outputFormatting = [.sortedKeys]
        // A value that is not a number (a ratio over zero) reaches the script as a string it skips.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var json = String(decoding: try encoder.encode(page), as: UTF8.self)
        // "<!--" in a script block changes how HTML parses it; \u003c is the same character to JSON.
        json = json.replacingOccurrences(of: "<", with: "\\u003c")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="\(escape(page.generator))">
            <title>\(escape(page.title))</title>
            <link rel="icon" href="data:,">
            <style>
            \(PageScript.style)</style>
            </head>
            <body>
            <main id="report"></main>
            <noscript><p>This report draws its tables and charts with JavaScript; allow scripts for this file to see them.</p></noscript>
            <script type="application/json" id="tierbench-data">\(json)</script>
            <script>
            \(PageScript.script)</script>
            </body>
            </html>

            """
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
