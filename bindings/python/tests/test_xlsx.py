"""assignments.xlsx and the CSV for people from Python (output.h):
Selection.assignments_xlsx(lang=) read back with openpyxl (an independent
reader) against assignments_csv(lang=), the reasons of tm_selection_reason
and sector_coverage(); Selection.assignments_csv(lang=, plain=); the
workbook in the set written by Selection.write()."""
import csv
import io
import pathlib

import pytest

import techmatch as tm
from techmatch import _core

openpyxl = pytest.importorskip("openpyxl")

SEED = pathlib.Path(__file__).resolve().parents[3] / "seeds" / "jinshui-2011"
BOM = "\ufeff"
SHEETS = {"en": ["Assignments", "Outcomes and reasons", "Sector coverage"],
          "zh": ["派驻名单", "选派结果及原因", "行业覆盖"]}
LANG = {"en": _core.TM_LANG_EN, "zh": _core.TM_LANG_ZH}


@pytest.fixture(scope="module")
def selection():
    cfg = tm.Config.for_dir(SEED)
    return tm.Programme.from_forms(SEED, config=cfg).select(cfg)


def book(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_csv_flavours(selection):
    plain = selection.assignments_csv()
    assert not plain.startswith(BOM)
    assert selection.assignments_csv(plain=True) == plain
    assert selection.assignments_csv(lang="zh", plain=True) == plain
    zh = selection.assignments_csv(lang="zh")
    en = selection.assignments_csv(lang="en")
    assert zh.startswith(BOM) and en.startswith(BOM)
    assert selection.assignments_csv(lang="auto") == zh  # the seed's forms are Chinese
    z = list(csv.reader(io.StringIO(zh[1:])))
    e = list(csv.reader(io.StringIO(en[1:])))
    p = list(csv.reader(io.StringIO(plain)))
    assert z[0] == ["科技特派员", "服务对象", "行业", "服务对象类型", "特派员志愿序号",
                    "服务对象志愿序号", "特派员评分", "服务对象评分"]
    assert e[0] == ["Commissioner", "Site", "Sector", "Site kind", "Commissioner's rank",
                    "Site's rank", "Commissioner's score", "Site's score"]
    assert len(z) == len(e) == len(p) == selection.matching.n_pairs + 1
    cov = selection.sector_coverage()
    zh_name = dict(zip(cov["sector"], cov["name_zh"]))
    en_name = dict(zip(cov["sector"], cov["name_en"]))
    for a, b, c in zip(p[1:], z[1:], e[1:]):
        assert b[2] == zh_name[a[2]] and c[2] == en_name[a[2]]
        assert a[:2] + a[4:] == b[:2] + b[4:] == c[:2] + c[4:]
    with pytest.raises(tm.InvalidArgumentError):
        selection.assignments_csv(lang="klingon")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_xlsx_sheets(selection, lang):
    data = selection.assignments_xlsx(lang=lang)
    assert isinstance(data, bytes) and data[:4] == b"PK\x03\x04"
    assert selection.assignments_xlsx(lang=lang) == data  # deterministic
    wb = book(data)
    assert wb.sheetnames == SHEETS[lang]
    ws_a, ws_o, ws_v = (wb[n] for n in SHEETS[lang])

    # the assignments: the CSV's cells, numbers as numbers
    want = list(csv.reader(io.StringIO(selection.assignments_csv(lang=lang)[1:])))
    got = rows(ws_a)
    assert got[0] == want[0]
    assert len(got) == len(want)
    for g, w in zip(got[1:], want[1:]):
        assert g[:4] == w[:4]
        assert g[4:6] == [int(w[4]), int(w[5])]
        assert [f"{v:.4f}" for v in g[6:8]] == w[6:8]

    # every agent's reason, as tm_selection_reason says in that language
    got = rows(ws_o)[1:]
    n_c = selection.programme.n_commissioners
    n_s = selection.programme.n_sites
    assert len(got) == n_c + n_s
    ptr = selection._ptr
    for k, g in enumerate(got):
        side, i = (0, k) if k < n_c else (1, k - n_c)
        assert g[6] == _core.tm_selection_reason(ptr, side, i, LANG[lang])
        code, _ = _core.tm_selection_outcome(ptr, side, i)
        assert g[2] == _core.tm_outcome_label(code, LANG[lang])
    names = selection.market.names(0)
    assert [g[1] for g in got[:n_c]] == list(names)

    # the coverage: sector_coverage()'s numbers
    cov = selection.sector_coverage()
    got = rows(ws_v)[1:]
    assert [g[0] for g in got] == list(cov["name_en" if lang == "en" else "name_zh"])
    for g, (_, r) in zip(got, cov.iterrows()):
        assert g[1:4] == [r["registered"], r["eligible"], r["served"]]
        assert g[4] == pytest.approx(r["served"] / r["registered"] if r["registered"] else 0)
        assert g[5:7] == [r["assignments"], r["used"]]
        assert g[7] == (None if r["cap"] is None or r["cap"] != r["cap"] else int(r["cap"]))
        assert g[8] == (int(r["floor"]) or None)


def test_xlsx_in_the_set(selection, tmp_path):
    selection.write(tmp_path / "zh", lang="zh")
    assert (tmp_path / "zh" / "assignments.xlsx").read_bytes() == \
        selection.assignments_xlsx(lang="zh")
    assert (tmp_path / "zh" / "assignments.csv").read_text(encoding="utf-8") == \
        selection.assignments_csv(lang="zh")
    selection.write(tmp_path / "plain", lang="en", plain_csv=True)
    assert (tmp_path / "plain" / "assignments.csv").read_text(encoding="utf-8") == \
        selection.assignments_csv()
    # the workbook is in the language whatever the CSV's flavour
    assert (tmp_path / "plain" / "assignments.xlsx").read_bytes() == \
        selection.assignments_xlsx(lang="en")
    with pytest.raises(ValueError):
        selection.assignments_xlsx(lang="fr")


def test_formula_names_stay_text(tmp_path):
    """A name a spreadsheet would run is written as text, never a formula (a
    form cannot hold `=` in a name: the hostile set of selection.xlsx_openpyxl
    has those)."""
    swap = {"王建华": "+1-王建华", "河南智行交通科技有限公司": "@SUM(1+1)"}
    for name in ("sites.csv", "commissioners.csv", "programme.ini"):
        text = (SEED / name).read_text(encoding="utf-8")
        for a, b in swap.items():
            text = text.replace(a, b)
        (tmp_path / name).write_text(text, encoding="utf-8")
    cfg = tm.Config.for_dir(tmp_path)
    sel = tm.Programme.from_forms(tmp_path, config=cfg).select(cfg)
    wb = book(sel.assignments_xlsx(lang="en"))
    seen = {}
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if c.value in swap.values():
                    seen.setdefault(c.value, set()).add(c.data_type)
    assert seen == {"+1-王建华": {"s"}, "@SUM(1+1)": {"s"}}
