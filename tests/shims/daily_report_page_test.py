#!/usr/bin/env python3
"""report.daily as a page, rendered by headless Chromium (issue 13 point 5).

Three days, each written by ordercare-host as scripts/run writes it:
  sample  the bundled sample day with its staff (scripts/run's replay);
  empty   a store that has seen nothing;
  big     10,000 customer messages in one day (generated here).
For each page: static checks (one document, no script, nothing loaded from
elsewhere, every chart an <svg> with a viewBox, bounded size), then Chromium
at a phone's width (390 px) and a desktop's (1280 px). The measurements come
from a copy of the page with a measuring script added at its end (the
product page itself has none), dumped with --dump-dom: every chart has
drawn elements (and, on the sample day, data marks) and no text cut off
at its edges, and nothing but a table's own scroll box is wider than the
viewport. Screenshots at both
widths are kept in OUT_DIR and must not be blank (distinct colours counted
from the PNG's own pixels); the sample day is also printed to PDF there.

  daily_report_page_test.py ORDERCARE_HOST LIBRARY SOURCE_DIR OUT_DIR

Exit 77 (skipped) only when no Chromium is installed.
"""
import html
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

host, lib, src, out_dir = sys.argv[1:5]
data = os.path.join(src, "host_shims", "c", "data")
DAY = "2026-11-20"
CHARTS = ["chart-sla", "chart-hourly", "chart-types", "chart-backlog", "chart-trend", "chart-csat", "chart-refunds"]
CHROMIUM_TIMEOUT = 120


def fail(message):
    print(f"daily_report_page_test: FAIL: {message}", flush=True)
    sys.exit(1)


chromium = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None)
if not chromium:
    print("daily_report_page_test: skipped: no chromium found (scripts/setup installs Debian's chromium)")
    sys.exit(77)

os.makedirs(out_dir, exist_ok=True)
work = tempfile.mkdtemp(prefix="oc-daily-page-")


def run(args, timeout, what):
    started = time.monotonic()
    try:
        p = subprocess.run(args, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        fail(f"{what}: still running after {timeout} s")
    if p.returncode != 0:
        fail(f"{what}: exit {p.returncode}\n{p.stderr.decode(errors='replace')[-3000:]}")
    print(f"  {what}: {time.monotonic() - started:.1f} s", flush=True)
    return p.stdout


def config_for(name):
    c = json.load(open(os.path.join(data, "sample_shop.json")))
    # "normal": the test needs no power-loss durability, and the big day's
    # ten thousand commits are several times faster without an fsync each.
    c["store"] = {"path": os.path.join(work, name + ".db"), "durability": "normal"}
    path = os.path.join(work, name + ".json")
    with open(path, "w") as f:
        json.dump(c, f)
    return path


def page_of(name, replay=None, agents=None, clock_start="2026-11-06T00:00:00Z"):
    config = config_for(name)
    if replay:
        args = [host, "--lib", lib, "--config", config, "--quiet", "--clock", "fixed:" + clock_start]
        if agents:
            args += ["--agents", agents]
        run(args + ["replay", replay], 600, f"{name}: replay")
    page = run([host, "--lib", lib, "--config", config, "--quiet", "--clock", f"fixed:{DAY}T23:59:00Z",
                "report", "report.daily", json.dumps({"date": DAY, "format": "html"})], 120,
               f"{name}: report.daily html").decode("utf-8")
    with open(os.path.join(out_dir, f"{name}.html"), "w", encoding="utf-8") as f:
        f.write(page)
    return page


def big_day(path, cases=10000):
    """cases customer messages through the day: several issue types, some red
    flags, and names and texts that are markup if not escaped."""
    rng = random.Random(13)
    texts = ["Where is my order? It has been a week.", "The vase arrived broken <b>again</b>",
             "You sent me the wrong item & the wrong colour", "Please cancel my order",
             "The item I ordered is missing from the box", "My lawyer will hear of this",
             "Where is my refund?", "I was charged twice for the same order"]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(cases):
            second = i * 86000 // cases + rng.randrange(0, 8)
            at = f"{DAY}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
            text = texts[0 if rng.random() < 0.3 else rng.randrange(len(texts))]
            if "lawyer" in text and rng.random() < 0.8:
                text = texts[0]
            event = {"id": f"evt_big_{i}", "type": "customer.message", "occurred_at": at, "source": "host",
                     "data": {"message_id": f"m-{i}",
                              "customer": {"id": f"cus_{i}", "name": f"Cus <i>{i}</i> \"O'Neil\"",
                                           "email": f"c{i}@example.com"},
                              "channel": rng.choice(["email", "chat", "phone"]), "text": text}}
            f.write(json.dumps(event) + "\n")


def static_checks(name, page, max_bytes):
    if not page.startswith("<!DOCTYPE html>\n") or not page.rstrip().endswith("</html>"):
        fail(f"{name}: not one HTML document")
    for forbidden in ("<script", "src=", "href=", "@import", "url("):
        if forbidden in page.lower():
            fail(f"{name}: the page has {forbidden!r}: it must load nothing and run nothing")
    if len(page.encode()) > max_bytes:
        fail(f"{name}: {len(page.encode())} bytes, more than {max_bytes}")
    for chart in CHARTS:
        m = re.search(r'<figure class="chart" id="' + chart + r'">.*?</figure>', page, re.S)
        if not m:
            fail(f"{name}: no {chart}")
        if not re.search(r'<svg viewBox="0 0 \d+ \d+" width="100%"', m.group(0)):
            fail(f"{name}: {chart} has no scalable SVG")
    if "@media print" not in page or 'name="viewport"' not in page:
        fail(f"{name}: no print styles or no viewport")
    if page.index('id="red-flags"') > page.index('id="headlines"') or page.index('id="charts"') > page.index(
            'id="escalations"'):
        fail(f"{name}: red flags come first and the escalations after the charts")


MEASURE = """<script>
(function () {
  var d = document.documentElement, out = {client_width: d.clientWidth, inner_width: innerWidth,
      scroll_width: d.scrollWidth, charts: {}, overflowing: []};
  document.querySelectorAll('figure.chart').forEach(function (f) {
    var svg = f.querySelector('svg'), box = svg.getBoundingClientRect(), drawn = 0, marks = 0;
    svg.querySelectorAll('rect,line,polyline,circle,text,path').forEach(function (e) {
      var b = e.getBBox();
      if (b.width > 0 || b.height > 0) drawn++;
      if (e.classList.contains('mark') && b.width > 0 && b.height > 0) marks++;
    });
    var view = svg.viewBox.baseVal, clipped = [];
    svg.querySelectorAll('text').forEach(function (t) {
      var b = t.getBBox();
      if (b.x < -0.5 || b.x + b.width > view.width + 0.5) clipped.push(t.textContent);
    });
    out.charts[f.id] = {drawn: drawn, marks: marks, width: box.width, height: box.height, right: box.right,
                        clipped: clipped};
  });
  document.querySelectorAll('main *').forEach(function (e) {
    if (e.parentElement && e.parentElement.closest('.scroll')) return;
    var r = e.getBoundingClientRect();
    if (r.right > d.clientWidth + 1 || r.left < -1) out.overflowing.push(e.tagName + '#' + e.id + '.' + e.className.baseVal + e.className);
  });
  var pre = parent.document.createElement('pre');
  pre.id = 'oc-measure';
  pre.textContent = JSON.stringify(out);
  parent.document.body.appendChild(pre);
})();
</script>
"""


def chromium_args(width, height, profile):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-extensions", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
            f"--window-size={width},{height}"]


def framed(page, width, height):
    """A page showing `page` in a frame `width` px wide: headless Chromium's
    window is at least 500 px wide, a phone's viewport is narrower."""
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body style="margin:0">'
            f'<iframe style="border:0;display:block;width:{width}px;height:{height}px" srcdoc="'
            + html.escape(page, quote=True) + '"></iframe></body></html>\n')


def measure(name, page, width):
    path = os.path.join(work, f"{name}-{width}-measured.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(framed(page.replace("</body>", MEASURE + "</body>"), width, 900))
    dom = run(chromium_args(max(width, 500) + 20, 940, os.path.join(work, "profile")) + ["--dump-dom", "file://" + path],
              CHROMIUM_TIMEOUT, f"{name}: chromium --dump-dom at {width} px").decode("utf-8", "replace")
    m = re.search(r'<pre id="oc-measure">(.*?)</pre>', dom, re.S)
    if not m:
        fail(f"{name}: the measuring script did not run at {width} px")
    return json.loads(html.unescape(m.group(1)))


def png_pixels(path, max_rows):
    """(width, rows of RGB tuples) of an 8-bit RGB or RGBA PNG, at most max_rows rows."""
    blob = open(path, "rb").read()
    if blob[:8] != b"\x89PNG\r\n\x1a\n":
        fail(f"{path}: not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(blob):
        length, kind = struct.unpack(">I4s", blob[pos:pos + 8])
        chunk = blob[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            if depth != 8 or colour not in (2, 6):
                fail(f"{path}: unexpected PNG format {depth}/{colour}")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(min(height, max_rows)):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                c = prev[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(0, width, 2)])
        prev = line
    return width, rows


def screenshot(name, page, width, height):
    path = os.path.join(out_dir, f"{name}-{width}.png")
    if os.path.exists(path):
        os.remove(path)
    wrapper = os.path.join(work, f"{name}-{width}-framed.html")
    with open(wrapper, "w", encoding="utf-8") as f:
        f.write(framed(page, width, height))
    run(chromium_args(max(width, 500), height, os.path.join(work, "profile")) +
        [f"--screenshot={path}", "file://" + wrapper],
        CHROMIUM_TIMEOUT, f"{name}: chromium --screenshot at {width} px")
    if not os.path.exists(path):
        fail(f"{name}: no screenshot at {width} px")
    _, rows = png_pixels(path, 1400)
    colours = {}
    for row in rows:
        for px in row:
            colours[px] = colours.get(px, 0) + 1
    background = max(colours.values())
    total = sum(colours.values())
    if len(colours) < 16 or background > 0.97 * total:
        fail(f"{name}: the {width} px screenshot looks blank ({len(colours)} colours)")
    print(f"  {name}: {path}: {len(colours)} colours, {100 * (total - background) / total:.0f}% not background")
    return colours


def check_page(name, page, max_bytes, expect_marks):
    static_checks(name, page, max_bytes)
    for width in (390, 1280):
        m = measure(name, page, width)
        if m["inner_width"] != width:
            fail(f"{name}: the frame is {m['inner_width']} px wide, not {width}")
        if m["scroll_width"] > m["client_width"]:
            fail(f"{name}: at {width} px the page is {m['scroll_width']} px wide")
        if m["overflowing"]:
            fail(f"{name}: at {width} px these stick out: {m['overflowing'][:10]}")
        for chart in CHARTS:
            c = m["charts"].get(chart)
            if not c:
                fail(f"{name}: {chart} not rendered at {width} px")
            if c["drawn"] < 4 or c["width"] < 100 or c["height"] < 50 or c["right"] > m["client_width"] + 1:
                fail(f"{name}: {chart} at {width} px: {c}")
            if c["clipped"]:
                fail(f"{name}: {chart}: text cut off at the chart's edge: {c['clipped']}")
            if chart in expect_marks and c["marks"] == 0:
                fail(f"{name}: {chart} at {width} px drew no data: {c}")
        print(f"  {name} at {width} px: width {m['scroll_width']}/{m['client_width']}, charts "
              + ", ".join(f"{k[6:]} {v['drawn']}/{v['marks']}" for k, v in m["charts"].items()), flush=True)
    screenshot(name, page, 390, 1600)
    screenshot(name, page, 1280, 1400)


try:
    # The sample day: every chart has data.
    sample = page_of("sample", os.path.join(data, "sample_day.jsonl"), os.path.join(data, "sample_day_agents.jsonl"))
    check_page("sample", sample, 400_000, CHARTS)
    # On paper: the print styles give a handful of pages, not one per chart
    # nor a clipped strip.
    pdf = os.path.join(out_dir, "sample.pdf")
    if os.path.exists(pdf):
        os.remove(pdf)
    run(chromium_args(1280, 900, os.path.join(work, "profile")) +
        ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", "file://" + os.path.join(out_dir, "sample.html")],
        CHROMIUM_TIMEOUT, "sample: chromium --print-to-pdf")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", open(pdf, "rb").read())) if os.path.exists(pdf) else 0
    if not 2 <= pages <= 20:
        fail(f"sample: printed on {pages} pages")
    print(f"  sample: {pdf}: {pages} pages")
    # A day with nothing: every chart still draws its axes and says so.
    empty = page_of("empty")
    if empty.count("No data for this day") < len(CHARTS):
        fail("empty: each chart says it has no data")
    if "No red flags today." not in empty:
        fail("empty: no red flags, said so")
    check_page("empty", empty, 100_000, [])
    # 10,000 cases: bounded page, bounded render.
    events = os.path.join(work, "big_day.jsonl")
    big_day(events)
    big = page_of("big", events, None, f"{DAY}T00:00:00Z")
    if "<i>" in big or "Cus &lt;i&gt;" not in big:
        fail("big: customer names are escaped")
    if "more (escalations.log has them all)" not in big or "more in the escalations below" not in big:
        fail("big: the escalations table and the red flags list say how many more there are")
    received = re.search(r'data-metric="received"><div class="label">[^<]*</div><div class="value">(\d+)<', big)
    if not received or int(received.group(1)) != 10000:
        fail(f"big: 10,000 tickets received, page says {received and received.group(1)}")
    check_page("big", big, 600_000, ["chart-hourly", "chart-types", "chart-backlog", "chart-trend"])
    print("daily_report_page_test: ok")
finally:
    if not os.environ.get("KEEP"):
        shutil.rmtree(work, ignore_errors=True)
