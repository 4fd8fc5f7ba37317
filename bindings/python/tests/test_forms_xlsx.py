"""Forms kept in Excel (docs/forms.md, "Excel workbooks"): the bundled .xlsx
copy of the seed (examples/jinshui-2011-xlsx) gives the same programme and
the same selection as the CSV forms, and workbooks written here with
openpyxl (an independent writer) read with the CSV rules and positions
``FILE:SHEET:ROW:COLUMN``."""
import openpyxl
import pandas as pd
import pytest

import techmatch as tm
from conftest import SEED, SOURCE_DIR

XLSX = SOURCE_DIR / "examples" / "jinshui-2011-xlsx"


def test_the_xlsx_copy_selects_as_the_csv():
    a = tm.Programme.from_forms(SEED)
    b = tm.Programme.from_forms(XLSX)
    assert b.diagnostics == []
    pd.testing.assert_frame_equal(a.sites, b.sites)
    pd.testing.assert_frame_equal(a.commissioners, b.commissioners)
    sa, sb = a.select(), b.select()
    assert sa.n_selected == sb.n_selected == 30
    assert sa.assignments_csv() == sb.assignments_csv()
    assert sa.assignments_json() == sb.assignments_json()
    assert sa.report_markdown() == sb.report_markdown()


def test_two_workbooks_named_with_their_sheets():
    p = tm.Programme.from_forms(f"{XLSX / 'sites.xlsx'}:需求登记表",
                                XLSX / "commissioners.xlsx", config=tm.Config.for_dir(XLSX))
    q = tm.Programme.from_forms(SEED)
    assert (p.n_sites, p.n_commissioners) == (q.n_sites, q.n_commissioners)
    with pytest.raises(tm.FileError, match="no sheet named 'Nope'"):
        tm.Programme.from_forms(f"{XLSX / 'sites.xlsx'}:Nope", XLSX / "commissioners.xlsx")


def write_sites(path, rows, title="登记"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    wb.save(path)


def write_comms(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "职称", "单位类型", "单位支持", "评分", "意向派驻点"])
    ws.append(["C1", "教授", "高校", True, 90.0, "S1"])
    wb.save(path)


def test_openpyxl_workbooks(tmp_path):
    sites, comms = tmp_path / "s.xlsx", tmp_path / "c.xlsx"
    # floats that are whole numbers are fine where a whole number is needed
    write_sites(sites, [["名称", "类型", "行业", "名额", "横坐标", "纵坐标"],
                        ["S1", "park", "eit", 2.0, 1.5, 3],
                        [],
                        ["S2", "village", "agri", None, None, None]])
    write_comms(comms)
    p = tm.Programme.from_forms(sites, comms)
    s = p.sites
    assert list(s["name"]) == ["S1", "S2"]
    assert list(s["capacity"]) == [2, 1]
    c = p.commissioners
    assert c["merit"].tolist() == [90.0] and bool(c["unit_support"].iloc[0])

    # a bad cell: its sheet row and column, strict and lenient
    write_sites(sites, [["名称", "类型", "行业"], ["S1", "park", "eit"], [],
                        ["S2", "park", "steel"]])
    with pytest.raises(tm.ParseError) as e:
        tm.Programme.from_forms(sites, comms)
    assert e.value.file == f"{sites}:登记"
    assert (e.value.line, e.value.column) == (4, 3)
    assert str(e.value).startswith(f"{sites}:登记:4:3: 行业: unknown sector 'steel'")
    p = tm.Programme.from_forms(sites, comms, lenient=True)
    assert p.n_sites == 1
    [d] = p.diagnostics
    assert (d.file, d.line, d.column, d.field, d.severity) == (f"{sites}:登记", 4, 3, "行业",
                                                              "error")


def test_damaged_workbook(tmp_path):
    bad = tmp_path / "s.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    write_comms(tmp_path / "c.xlsx")
    with pytest.raises(tm.ParseError, match=r"s\.xlsx: not a valid \.xlsx workbook \(zip: "):
        tm.Programme.from_forms(bad, tmp_path / "c.xlsx")
