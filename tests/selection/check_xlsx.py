#!/usr/bin/python3
"""selection.xlsx_openpyxl: assignments.xlsx read back with openpyxl, an
independent reader, against the other documents of the same set.

Usage: check_xlsx.py TEST_XLSX  (the test_xlsx program; its ``--write DIR``
writes the sets seed-en/, seed-zh/, seed-plain/ (tm_selection_write) and
hostile/, each with a reasons.tsv of
tm_selection_reason() beside it).  Checks, per set:

- three sheets with the names of the language, each with a bold, frozen
  header row and an autofilter over every row;
- the assignments sheet equals assignments.csv (BOM'd, read with the csv
  module): the same header and cells, ranks as whole numbers, scores as
  numbers that print as the CSV's 4 decimals, text as strings;
- the outcomes sheet: every agent once (commissioners then sites), its
  reason equal to tm_selection_reason() in the language, places held equal
  to its rows in the CSV, capacity and merit as the forms say;
- the coverage sheet: per sector, the numbers counted from the seed's forms
  (sites.csv) and the assignments CSV, cap and floor from assignments.json;
- the columns are at least as wide as their text (CJK counting two), up to
  the cap;
- formula-looking names are strings (never formulas), a control character
  becomes U+FFFD;
- the bytes are the same on a second run.
Fails when openpyxl is missing (scripts/install-deps.sh installs
python3-openpyxl): the oracle is not optional.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unicodedata

try:
    import openpyxl
except ImportError:  # pragma: no cover
    print("openpyxl is not installed: run scripts/install-deps.sh (python3-openpyxl)")
    sys.exit(1)

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "..", "..", "seeds", "jinshui-2011")

SHEETS = {
    "en": ["Assignments", "Outcomes and reasons", "Sector coverage"],
    "zh": ["派驻名单", "选派结果及原因", "行业覆盖"],
}
SIDES = {"en": ("commissioner", "site"), "zh": ("科技特派员", "服务对象")}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def read_csv(path, bom=True):
    raw = open(path, "rb").read()
    check(raw.startswith(b"\xef\xbb\xbf") == bom, f"{path}: byte order mark {'missing' if bom else 'present'}")
    text = raw.decode("utf-8-sig")
    return list(csv.reader(text.splitlines()))


def width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def sheet_rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def check_layout(ws, name):
    rows = ws.max_row
    cols = ws.max_column
    check(ws.freeze_panes == "A2", f"{name}: header row not frozen ({ws.freeze_panes})")
    last = openpyxl.utils.get_column_letter(cols)
    check(ws.auto_filter.ref == f"A1:{last}{max(rows, 2)}",
          f"{name}: autofilter {ws.auto_filter.ref}, want A1:{last}{max(rows, 2)}")
    for c in range(1, cols + 1):
        check(ws.cell(1, c).font.b, f"{name}: header {c} not bold")
    # a column is as wide as its widest cell (up to the cap: 50, 80 wrapped)
    for c in range(1, cols + 1):
        letter = openpyxl.utils.get_column_letter(c)
        w = ws.column_dimensions[letter].width
        texts = [ws.cell(r, c).value for r in range(2, rows + 1)]
        need = max([width(t) for t in texts if isinstance(t, str)] + [0])
        check(w >= min(need, 50), f"{name}: column {letter} width {w} < text width {need}")


def cell_text(v):
    """A sheet cell as the CSV writes it."""
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def csv_text(field):
    """A CSV field as the text it stands for (the CSV's leading `'` on a
    formula-looking text is not part of the name)."""
    if len(field) > 1 and field[0] == "'" and field[1] in "=+-@\t\r":
        field = field[1:]
    return xml_text(field)


def xml_text(text):
    """@text as a workbook can hold it: C0 controls but tab and line breaks
    (and DEL) as U+FFFD."""
    return "".join("\ufffd" if (ord(ch) < 0x20 and ch not in "\t\n\r") or ch == "\x7f"
                   else ch for ch in text)


def check_set(d, lang, seed):
    name = os.path.basename(d)
    wb = openpyxl.load_workbook(os.path.join(d, "assignments.xlsx"))
    check(wb.sheetnames == SHEETS[lang], f"{name}: sheets {wb.sheetnames}")
    if wb.sheetnames != SHEETS[lang]:
        return
    ws_a, ws_o, ws_v = (wb[n] for n in SHEETS[lang])
    for ws in (ws_a, ws_o, ws_v):
        check_layout(ws, f"{name}/{ws.title}")

    # 1. the assignments sheet is the CSV
    rows = read_csv(os.path.join(d, "assignments.csv"))
    got = sheet_rows(ws_a)
    check(len(got) == len(rows), f"{name}: {len(got)} sheet rows, {len(rows)} CSV rows")
    check(got[0] == rows[0], f"{name}: headers {got[0]} != {rows[0]}")
    for i, (g, w) in enumerate(zip(got[1:], rows[1:]), start=2):
        check([cell_text(v) for v in g] == [csv_text(f) for f in w],
              f"{name}: row {i}: {g} != {w}")
        check(all(isinstance(v, str) for v in g[:4]), f"{name}: row {i}: text not strings")
        check(all(isinstance(v, int) for v in g[4:6]), f"{name}: row {i}: ranks not numbers")
        check(all(isinstance(v, float) for v in g[6:8]), f"{name}: row {i}: scores not numbers")
    for r in ws_a.iter_rows(min_row=2):
        for c in r[:4]:
            check(c.data_type == "s", f"{name}: {c.coordinate} is {c.data_type}, not a string")

    # 2. every agent's outcome and reason
    reasons = [line.split("\t") for line in
               open(os.path.join(d, "reasons.tsv"), encoding="utf-8").read().splitlines()]
    got = sheet_rows(ws_o)[1:]
    check(len(got) == len(reasons), f"{name}: {len(got)} outcome rows, {len(reasons)} agents")
    held = {"supply": {}, "demand": {}}
    for w in rows[1:]:
        held["supply"][csv_text(w[0])] = held["supply"].get(csv_text(w[0]), 0) + 1
        held["demand"][csv_text(w[1])] = held["demand"].get(csv_text(w[1]), 0) + 1
    side_word = dict(zip(("supply", "demand"), SIDES[lang]))
    for g, (side, who, why) in zip(got, reasons):
        who = xml_text(who)
        check(g[0] == side_word[side] and g[1] == who, f"{name}: agent {g[:2]} != {side} {who}")
        check(g[6] == xml_text(why), f"{name}: reason of {who}: {g[6]!r} != {why!r}")
        check(g[3] == held[side].get(who, 0), f"{name}: places held by {who}: {g[3]}")
        check(isinstance(g[4], int) and g[4] >= g[3], f"{name}: capacity of {who}: {g[4]}")
        check((g[5] is None) == (side == "demand"), f"{name}: merit of {who}: {g[5]}")
    if seed:
        forms = {"supply": read_csv(os.path.join(SEED, "commissioners.csv"), bom=False),
                 "demand": read_csv(os.path.join(SEED, "sites.csv"), bom=False)}
        cap_col = {"supply": forms["supply"][0].index("服务点数"),
                   "demand": forms["demand"][0].index("名额")}
        name_col = {"supply": forms["supply"][0].index("姓名"),
                    "demand": forms["demand"][0].index("名称")}
        merit_col = forms["supply"][0].index("评分")
        want = {(s, r[name_col[s]]): r for s in forms for r in forms[s][1:]}
        for g, (side, who, _) in zip(got, reasons):
            r = want[(side, who)]
            check(g[4] == int(r[cap_col[side]]), f"{name}: capacity of {who}: {g[4]}")
            if side == "supply":
                check(g[5] == float(r[merit_col]), f"{name}: merit of {who}: {g[5]}")
    return ws_v, rows


def check_coverage(ws_v, lang, rows, plain_rows, zh_rows, d):
    """Coverage per sector, counted from the seed's sites form and the
    assignments (the zh CSV names the sectors as the form does)."""
    name = os.path.basename(d)
    sites = read_csv(os.path.join(SEED, "sites.csv"), bom=False)
    col = sites[0].index("行业")
    code_of = {}  # sector name in this language -> code, from the CSV rows
    zh_of = {}
    for r, p, z in zip(rows[1:], plain_rows[1:], zh_rows[1:]):
        code_of[r[2]] = p[2]
        zh_of[r[2]] = z[2]
    limits = json.load(open(os.path.join(d, "assignments.json"), encoding="utf-8"))
    limits = limits["config"]["sector_limits"]
    outcomes = json.load(open(os.path.join(d, "assignments.json"), encoding="utf-8"))["outcomes"]
    got = sheet_rows(ws_v)[1:]
    check(sorted(g[0] for g in got) == sorted(code_of), f"{name}: sectors {[g[0] for g in got]}")
    for g in got:
        sector = g[0]
        zh = zh_of.get(sector)
        registered = [r for r in sites[1:] if r[col] == zh]
        site_names = {r[sites[0].index("名称")] for r in registered}
        eligible = [s for s in site_names if outcomes["demand"][s]["outcome"] != "ineligible"]
        mine = [r for r in rows[1:] if r[2] == sector]
        served = {r[1] for r in mine}
        people = {r[0] for r in mine}
        lim = limits.get(code_of.get(sector), {"cap": None, "floor": 0})
        want = [sector, len(registered), len(eligible), len(served),
                len(served) / len(registered) if registered else 0, len(mine), len(people),
                lim["cap"], lim["floor"] or None]
        check(g[:5] == want[:4] + [g[4]] and abs(g[4] - want[4]) < 1e-12 and g[5:] == want[5:],
              f"{name}: coverage {g} != {want}")
    check(ws_v.cell(2, 5).number_format == "0%", f"{name}: coverage not a percentage")


def main():
    prog = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        runs = []
        for k in range(2):
            out = os.path.join(tmp, f"run{k}")
            os.mkdir(out)
            subprocess.run([prog, "--write", out], check=True)
            runs.append(out)
        # the same bytes on two runs
        for s in ("seed-en", "seed-zh", "hostile"):
            a, b = (open(os.path.join(r, s, "assignments.xlsx"), "rb").read() for r in runs)
            check(a == b, f"{s}: assignments.xlsx differs between two runs")
        base = runs[0]
        en = os.path.join(base, "seed-en")
        zh = os.path.join(base, "seed-zh")
        ws_en, rows_en = check_set(en, "en", True)
        ws_zh, rows_zh = check_set(zh, "zh", True)
        check(rows_zh[0] == ["科技特派员", "服务对象", "行业", "服务对象类型", "特派员志愿序号",
                             "服务对象志愿序号", "特派员评分", "服务对象评分"],
              f"zh CSV headers {rows_zh[0]}")
        check(rows_en[0][:3] == ["Commissioner", "Site", "Sector"], f"en CSV headers {rows_en[0]}")
        # the old entry point's set (seed-plain): the plain CSV, codes row for
        # row, and the English workbook
        pl = os.path.join(base, "seed-plain")
        codes = read_csv(os.path.join(pl, "assignments.csv"), bom=False)
        check(codes[0][:4] == ["commissioner", "site", "sector", "site_kind"],
              f"plain CSV headers {codes[0]}")
        check(len(codes) == len(rows_en) == len(rows_zh), "the CSVs differ in rows")
        check(open(os.path.join(pl, "assignments.xlsx"), "rb").read() ==
              open(os.path.join(en, "assignments.xlsx"), "rb").read(),
              "tm_selection_write's workbook is not the English one")
        check_coverage(ws_en, "en", rows_en, codes, rows_zh, en)
        check_coverage(ws_zh, "zh", rows_zh, codes, rows_zh, zh)

        # formula-looking names stay strings; the control character is U+FFFD
        h = os.path.join(base, "hostile")
        check_set(h, "en", False)
        wb = openpyxl.load_workbook(os.path.join(h, "assignments.xlsx"))
        values = {}
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str):
                        values[c.value] = c.data_type
        for text in ('=HYPERLINK("http://x","y")', "@SUM(1+1)", "=1+2", "+1 site", "-2 site",
                     "bell\ufffdhere"):
            check(values.get(text) == "s", f"hostile: {text!r} is {values.get(text)}")
        check(not any(isinstance(v, str) and "\x07" in v for v in values),
              "hostile: a control character in a cell")
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
