#!/usr/bin/python3
"""html.chromium: report.html of the bundled example (Chinese and English) in
headless Chromium.

For each language the test binary writes the output set of the seed, then:
  - the page has no http(s) URL and no reference to anything outside it;
  - --screenshot (A4-like 1240x1754 window): a PNG of that size, decoded here
    (zlib + the PNG filters), not blank, showing the charts' two bar colours;
  - --print-to-pdf: a PDF (%PDF header) of A4 pages, more than one, with the
    Noto CJK font embedded when fontconfig resolves "Noto Sans CJK SC" to it;
  - --dump-dom: the rendered document has the report's headings (report.md's
    `## ` lines), the summary (罗敏, the cutoff 71.0), the assignments (every
    pair of assignments.json), and three <svg role="img"> charts with a
    <title> whose bars match independent counts: the coverage per sector
    from sites.csv and assignments.json, each side's rank distribution and
    unmatched agents from assignments.json;
  - no console message (CONSOLE lines, "Uncaught") and no network request
    made by the page (Chromium's net log: requests of the file:// page).
The console and network detectors are first shown to catch a page that has
both (so the test can fail).  Chromium runs with a private HOME and
--user-data-dir, --no-sandbox (root in CI) and a timeout.
"""
import argparse
import csv
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from collections import Counter

TIMEOUT = 90


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


class Chromium:
    def __init__(self, exe, tmp):
        self.exe, self.tmp, self.n = exe, tmp, 0
        self.env = dict(os.environ, HOME=os.path.join(tmp, "home"))
        os.makedirs(self.env["HOME"], exist_ok=True)

    def run(self, url, *flags, netlog=None):
        """Runs chromium on @url; returns (stdout, stderr) as text."""
        self.n += 1
        profile = os.path.join(self.tmp, "profile-%d" % self.n)
        cmd = [self.exe, "--headless=new", "--no-sandbox", "--disable-gpu",
               "--user-data-dir=" + profile, "--no-first-run", "--disable-extensions",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]
        if netlog:
            cmd.append("--log-net-log=" + netlog)
        cmd += list(flags) + [url]
        try:
            r = subprocess.run(cmd, env=self.env, capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            fail("chromium did not finish within %d s: %s" % (TIMEOUT, " ".join(cmd)))
        if r.returncode != 0:
            fail("chromium exited with %d: %s\n%s" % (r.returncode, " ".join(cmd),
                                                       r.stderr.decode(errors="replace")))
        return r.stdout.decode("utf-8", errors="replace"), r.stderr.decode(errors="replace")


def console_problems(stderr):
    return [l for l in stderr.splitlines() if ":CONSOLE" in l or "Uncaught" in l]


def page_requests(netlog):
    """URLs the page itself asked for (not Chromium's own background
    requests): the requests started for a file:// top frame."""
    with open(netlog, encoding="utf-8") as f:
        d = json.load(f)
    types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
    urls = []
    for e in d["events"]:
        p = e.get("params", {})
        if types.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" in p and \
                p["url"].startswith("file:"):
            continue
        if "url" in p and ("file:" in p.get("network_isolation_key", "") or
                           p.get("initiator", "not an origin") != "not an origin"):
            urls.append(p["url"])
    return urls


# ---- PNG ------------------------------------------------------------------

def png_pixels(path):
    """(width, height, rows of (r, g, b) tuples) of an 8-bit RGB/RGBA PNG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s: not a PNG" % path)
    pos, idat, ihdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    w, h, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail("%s: PNG depth %d colour type %d interlace %d not decoded here" %
             (path, depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        ft = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def check_png(path):
    if not os.path.exists(path) or os.path.getsize(path) < 10000:
        fail("%s: no screenshot, or a trivially small one" % path)
    w, h, bpp, rows = png_pixels(path)
    if (w, h) != (1240, 1754):
        fail("%s: %dx%d, expected 1240x1754" % (path, w, h))
    colours = Counter()
    for y in range(0, h, 2):
        line = rows[y]
        for x in range(0, w * bpp, 2 * bpp):
            colours[(line[x], line[x + 1], line[x + 2])] += 1
    total = sum(colours.values())
    white = colours[(255, 255, 255)]
    if len(colours) < 20 or white > 0.985 * total:
        fail("%s: blank or nearly (%d colours, %.1f%% white)" %
             (path, len(colours), 100.0 * white / total))
    # the charts' bars: #2f6db5 (coverage, commissioners) and #2e8b57 (sites)
    for rgb in ((0x2f, 0x6d, 0xb5), (0x2e, 0x8b, 0x57)):
        if colours[rgb] < 200:
            fail("%s: the bar colour #%02x%02x%02x is (almost) absent: %d samples" %
                 ((path,) + rgb + (colours[rgb],)))


# ---- PDF ------------------------------------------------------------------

def check_pdf(path, cjk_font):
    if not os.path.exists(path):
        fail("%s: no PDF written" % path)
    with open(path, "rb") as f:
        pdf = f.read()
    if not pdf.startswith(b"%PDF-"):
        fail("%s: no %%PDF header" % path)
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    if pages < 2:
        fail("%s: %d page(s); the report takes several A4 pages" % (path, pages))
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    if not boxes or any(abs(float(w) - 595.3) > 2 or abs(float(h) - 841.9) > 2
                        for w, h in boxes):
        fail("%s: pages are not A4 (595 x 842 pt): %r" % (path, boxes[:3]))
    if cjk_font and b"NotoSansCJK" not in pdf:
        fail("%s: the Noto Sans CJK font is not embedded" % path)
    return pages


# ---- DOM ------------------------------------------------------------------

class Dom(html.parser.HTMLParser):
    """Headings, all text, and the charts (svg id -> role, title, bar titles,
    value labels)."""

    def __init__(self):
        super().__init__()
        self.stack, self.h = [], []
        self.html_lang = None
        self.text = []
        self.svgs = {}
        self.svg = None
        self.bar_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append((tag, a))
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag in ("h1", "h2"):
            self.h.append([tag, ""])
        if tag == "svg":
            self.svg = self.svgs.setdefault(a.get("id"), {"role": a.get("role"), "title": "",
                                                          "bars": [], "values": []})
        if tag == "rect" and self.svg is not None and "bar" in a.get("class", "").split():
            self.svg["bars"].append("")

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        if tag == "svg":
            self.svg = None

    def handle_data(self, data):
        self.text.append(data)
        tags = [t for t, _ in self.stack]
        if self.h and ("h1" in tags or "h2" in tags):
            self.h[-1][1] += data
        if self.svg is not None and tags:
            if tags[-1] == "title" and len(tags) > 1 and tags[-2] == "svg":
                self.svg["title"] += data
            elif tags[-1] == "title" and len(tags) > 1 and tags[-2] == "rect":
                self.svg["bars"][-1] += data
            elif tags[-1] == "text" and "value" in self.stack[-1][1].get("class", ""):
                self.svg["values"].append(data)


def check_dom(dom_text, out, seed, lang):
    zh = lang == "zh"
    d = Dom()
    d.feed(dom_text)
    text = "".join(d.text)
    if d.html_lang != ("zh-CN" if zh else "en"):
        fail("<html lang> is %r" % d.html_lang)
    headings = [t.strip() for k, t in d.h if k == "h2"]
    with open(os.path.join(out, "report.md"), encoding="utf-8") as f:
        md = f.read()
    want = [l[3:].strip() for l in md.splitlines() if l.startswith("## ")]
    if len(want) < 8:
        fail("report.md has only %d sections" % len(want))
    if headings != [("图表" if zh else "Charts")] + want:
        fail("the page's sections differ from report.md's:\n%r\n%r" % (headings, want))
    if not any(k == "h1" for k, _ in d.h):
        fail("no <h1>")
    for needle in ("罗敏", "71.0"):
        if needle not in text:
            fail("%r is not in the rendered page" % needle)
    with open(os.path.join(out, "assignments.json"), encoding="utf-8") as f:
        a = json.load(f)
    for c, s in a["pairs"]:
        if c not in text or s not in text:
            fail("the assignment %s - %s is not in the page" % (c, s))

    # the charts against independent counts
    if set(d.svgs) != {"chart-coverage", "chart-ranks-supply", "chart-ranks-demand"}:
        fail("charts: %r" % sorted(d.svgs, key=str))
    for sid, s in d.svgs.items():
        if s["role"] != "img" or len(s["title"].strip()) < 4:
            fail("%s: role %r, title %r" % (sid, s["role"], s["title"]))
    with open(os.path.join(seed, "sites.csv"), encoding="utf-8-sig") as f:
        sites = list(csv.DictReader(f))
    sector_of = {r["名称"]: r["行业"] for r in sites}
    registered = Counter(r["行业"] for r in sites)
    served = Counter(sector_of[s] for s in {s for _, s in a["pairs"]})
    cov = d.svgs["chart-coverage"]
    if len(cov["bars"]) != len(registered):
        fail("coverage: %d bars for %d sectors" % (len(cov["bars"]), len(registered)))
    want_values = sorted("%.0f%% (%d/%d)" % (100.0 * served[k] / n, served[k], n)
                         for k, n in registered.items())
    if sorted(cov["values"]) != want_values:
        fail("coverage labels %r, expected %r" % (sorted(cov["values"]), want_values))
    if zh:
        for k, n in registered.items():
            tip = "%s：覆盖率 %.0f%%，%d 个服务对象中 %d 个已获服务" % (k, 100.0 * served[k] / n, n,
                                                               served[k])
            if tip not in cov["bars"]:
                fail("coverage: no bar %r in %r" % (tip, cov["bars"]))
    n_agents = {"supply": len(a["outcomes"]["supply"]), "demand": len(a["outcomes"]["demand"])}
    for side, key, who in (("supply", "commissioner_rank", 0), ("demand", "site_rank", 1)):
        s = d.svgs["chart-ranks-" + side]
        hist = Counter(x[key] for x in a["assignments"])
        worst = max(hist)
        if len(s["bars"]) != worst + 1:
            fail("%s ranks: %d bars, expected ranks 1..%d and unmatched" %
                 (side, len(s["bars"]), worst))
        got = [int(re.findall(r"\d+", t)[-1]) for t in s["bars"]]
        matched = len({p[who] for p in a["pairs"]})
        expected = [hist.get(r, 0) for r in range(1, worst + 1)] + [n_agents[side] - matched]
        if got != expected:
            fail("%s ranks: bars %r, expected %r (from assignments.json)" % (side, got, expected))


def self_check(chrome, tmp):
    """The detectors catch a page with a script error and outside requests."""
    bad = os.path.join(tmp, "bad.html")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html><body><p>x</p>'
                '<img src="http://127.0.0.1:9/x.png">'
                '<script>nosuchfunction()</script></body></html>')
    netlog = os.path.join(tmp, "bad-netlog.json")
    _, err = chrome.run("file://" + bad, "--dump-dom", netlog=netlog)
    if not any("Uncaught" in l for l in console_problems(err)):
        fail("self-check: the console detector missed an uncaught error:\n" + err)
    if "http://127.0.0.1:9/x.png" not in page_requests(netlog):
        fail("self-check: the network detector missed the page's request")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--writer", required=True)
    ap.add_argument("--seed", required=True)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--keep", help="keep the outputs in this folder")
    args = ap.parse_args()
    exe = args.chromium
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        fail("chromium not found (%s): install Debian's chromium (scripts/install-deps.sh); "
             "html.chromium checks report.html in it" % args.chromium)
    fc = subprocess.run(["fc-match", "-f", "%{family}", "Noto Sans CJK SC"],
                        capture_output=True, text=True) if shutil.which("fc-match") else None
    cjk_font = fc is not None and fc.returncode == 0 and "Noto Sans CJK" in fc.stdout
    print("chromium: %s; Noto Sans CJK SC %s" % (exe, "installed" if cjk_font else
                                                  "not found (font check skipped)"))
    tmp = args.keep or tempfile.mkdtemp(prefix="tm-html-chromium-")
    os.makedirs(tmp, exist_ok=True)
    try:
        chrome = Chromium(exe, tmp)
        self_check(chrome, tmp)
        for lang in ("zh", "en"):
            out = os.path.join(tmp, "out-" + lang)
            r = subprocess.run([args.writer, "write", args.seed, out, lang],
                               capture_output=True, text=True, timeout=TIMEOUT)
            if r.returncode != 0:
                fail("writing the set failed: " + r.stderr)
            page = os.path.join(out, "report.html")
            with open(page, encoding="utf-8") as f:
                src = f.read()
            for bad in ("http://", "https://", "<script", "<link", "<img", "src=", "href=",
                        "url(", "@import"):
                if bad in src:
                    fail("%s: has %r: the page must be self-contained" % (page, bad))
            url = "file://" + os.path.abspath(page)
            png = os.path.join(tmp, "page-%s.png" % lang)
            chrome.run(url, "--screenshot=" + png, "--window-size=1240,1754")
            check_png(png)
            pdf = os.path.join(tmp, "page-%s.pdf" % lang)
            chrome.run(url, "--print-to-pdf=" + pdf, "--no-pdf-header-footer")
            pages = check_pdf(pdf, cjk_font)
            netlog = os.path.join(tmp, "netlog-%s.json" % lang)
            dom, err = chrome.run(url, "--dump-dom", netlog=netlog)
            problems = console_problems(err)
            if problems:
                fail("%s: console messages:\n%s" % (page, "\n".join(problems)))
            reqs = page_requests(netlog)
            if reqs:
                fail("%s: the page made requests: %r" % (page, reqs))
            check_dom(dom, out, args.seed, lang)
            print("%s: ok (screenshot, %d-page A4 PDF, DOM, no console message, no request)" %
                  (lang, pages))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
