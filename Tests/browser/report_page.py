"""Opens a tierbench HTML report in headless Chromium (Debian's, through Selenium and its
chromedriver) and prints what a test asserts on, as one JSON object:
  console:   the browser's console messages (level and text)
  requests:  every URL the page asked for after the navigation (the report itself included)
  rendered:  whether the script finished (data-rendered on <html>)
  charts:    the script's summary of the charts it drew (window.tierbenchReport.charts)
  dom:       counts read from the DOM: figures, series, bars, paths, markers, events per chart and kind
  screenshot: the PNG's size and how much of it is not background
  load_ms:   navigation start to the script's end, from the page's own clock
  zoomed:    with --zoom=CHART,X0,X1, the chart's summary after zooming it to [X0, X1]
Usage: report_page.py REPORT.html SCREENSHOT.png [--zoom=CHART,X0,X1]
"""
import json
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def main():
    report, shot = sys.argv[1], sys.argv[2]
    zoom = next((a[len("--zoom="):].split(",") for a in sys.argv[3:] if a.startswith("--zoom=")), None)
    width, height = 1280, 2000
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
              "--window-size=%d,%d" % (width, height), "--user-data-dir=" + tempfile.mkdtemp(prefix="tierbench-chromium-")]:
        options.add_argument(a)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.set_page_load_timeout(60)
        driver.get("about:blank")
        driver.get_log("performance")  # what the start page asked for is not the report's
        driver.get("file://" + report)
        rendered = driver.execute_script("return document.documentElement.getAttribute('data-rendered') === 'true'")
        charts = driver.execute_script("return window.tierbenchReport ? window.tierbenchReport.charts : null")
        dom = driver.execute_script("""
            var q = function (s) { return document.querySelectorAll(s).length; };
            return { figures: q('figure.chart'), sections: q('section.doc'), series: q('figure.chart g.series'),
                     bars: q('figure.chart rect.bar'), paths: q('figure.chart g.series path'), markers: q('figure.chart circle.marker'),
                     tables: q('table'), kinds: Array.prototype.map.call(document.querySelectorAll('section.doc'), function (s) { return s.dataset.kind; }),
                     toneBars: Array.prototype.map.call(document.querySelectorAll('rect.bar[data-tone]'), function (r) { return r.dataset.tone; }),
                     titles: Array.prototype.map.call(document.querySelectorAll('figure.chart figcaption'), function (f) { return f.textContent; }),
                     axisLabels: q('figure.chart text.label'), legends: q('figure.chart .legend .entry'),
                     events: Array.prototype.reduce.call(document.querySelectorAll('figure.chart'), function (all, f) {
                       var kinds = {};
                       f.querySelectorAll('svg line.event, svg path.event-point').forEach(function (e) { kinds[e.dataset.kind] = (kinds[e.dataset.kind] || 0) + 1; });
                       all[f.dataset.chart] = kinds; return all; }, {}),
                     eventLegends: q('figure.chart .legend .entry[data-event]') };""")
        timing = driver.execute_script("var t = performance.getEntriesByType('navigation')[0]; return t ? t.loadEventEnd : null")
        console = [{"level": e["level"], "message": e["message"]} for e in driver.get_log("browser")]
        requests = []
        for e in driver.get_log("performance"):
            m = json.loads(e["message"])["message"]
            if m["method"] == "Network.requestWillBeSent":
                url = m["params"]["request"]["url"]
                # Chromium's own pages (a late start page) are not the report's; a file:// page
                # cannot load them anyway.
                if not url.startswith(("chrome:", "chrome-search:", "chrome-untrusted:", "devtools:")):
                    requests.append(url)
        driver.save_screenshot(shot)
        zoomed = None
        if zoom:
            zoomed = driver.execute_script("return window.tierbenchReport.zoom(arguments[0], arguments[1], arguments[2])",
                                           zoom[0], float(zoom[1]), float(zoom[2]))
            console += [{"level": e["level"], "message": e["message"]} for e in driver.get_log("browser")]
    finally:
        driver.quit()
    from PIL import Image
    img = Image.open(shot).convert("RGB")
    w, h = img.size
    small = img.resize((max(1, w // 4), max(1, h // 4)))
    pixels = list(small.get_flattened_data() if hasattr(small, "get_flattened_data") else small.getdata())
    background = max(set(pixels), key=pixels.count)
    ink = sum(1 for p in pixels if sum(abs(a - b) for a, b in zip(p, background)) > 60)
    colours = len(set(pixels))
    print(json.dumps({"console": console, "requests": requests, "rendered": rendered, "charts": charts, "dom": dom,
                      "screenshot": {"width": w, "height": h, "ink_share": ink / len(pixels), "colours": colours},
                      "load_ms": timing, "zoomed": zoomed}))


if __name__ == "__main__":
    main()
