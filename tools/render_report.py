"""Render reports as a notebook shows them, to PNG, with headless Chromium.

    python tools/render_report.py OUT_DIR REPORT_FILE... [--list]

For each report file it writes OUT_DIR/<name>.html (``Report._repr_html_``
in a page) and OUT_DIR/<name>.png (a screenshot by Debian's ``chromium``,
``apt-get install chromium fonts-noto-cjk``).  With --list it also renders
``govdisclose.show(reports)``, the sortable one-row-per-report table, as
OUT_DIR/list.png.  Look at the PNGs: this is how a user sees the HTML.  The
PNGs are not committed; tests/test_display.py checks the HTML's structure.
"""
import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import govdisclose

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body style="margin:12px;background:#fff">{body}</body></html>"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("render_report: no chromium found: apt-get install chromium fonts-noto-cjk")


def screenshot(html_path: Path, png_path: Path, width: int, height: int) -> None:
    cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--window-size={width},{height}", f"--screenshot={png_path}",
           html_path.resolve().as_uri()]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir")
    ap.add_argument("reports", nargs="+")
    ap.add_argument("--list", action="store_true", help="also render show(reports)")
    ap.add_argument("--width", type=int, default=1200)
    ap.add_argument("--height", type=int, default=2400)
    args = ap.parse_args()
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    reports = list(govdisclose.parse_many(args.reports, workers=1))
    for path, report in zip(args.reports, reports):
        name = Path(path).stem
        page = out / f"{name}.html"
        page.write_text(PAGE.format(title=name, body=report._repr_html_()), encoding="utf-8")
        screenshot(page, out / f"{name}.png", args.width, args.height)
        print(out / f"{name}.png")
    if args.list:
        page = out / "list.html"
        body = govdisclose.show(list(zip(args.reports, reports)))._repr_html_()
        page.write_text(PAGE.format(title="reports", body=body), encoding="utf-8")
        screenshot(page, out / "list.png", args.width, 600)
        print(out / "list.png")
        print("sorter:", check_sorter(page, out))


def check_sorter(page: Path, out: Path) -> str:
    """Click the 'year' header twice in Chromium (descending) and read the
    rows back from the DOM: the sorter really runs in a browser."""
    clicked = out / "list-sorted.html"
    clicked.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", "<script>var h=[].filter.call(document.querySelectorAll('th'),"
        "function(t){return t.textContent==='year'})[0];h.click();h.click();</script></body>"),
        encoding="utf-8")
    dom = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                          "--dump-dom", clicked.resolve().as_uri()],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    from lxml import html as lhtml

    rows = lhtml.fromstring(dom).xpath("//table[@class='gd-sortable']/tbody/tr")
    years = [r.xpath("td")[2].text_content() for r in rows]
    return "years after clicking 'year' twice: " + ", ".join(years)


if __name__ == "__main__":
    os.environ.setdefault("LANG", "C.UTF-8")
    main()
