"""Lenient mode never fails on what it skipped (issue 11, item 8), from
Python: Programme.from_forms(sites, commissioners, lenient=True) on two files
(tm_forms_read_pair) drops a wish naming a skipped row with a warning at the
naming row's own position, a blank merit is a ParseError in strict mode and a
warning (row kept, merit 0) in lenient mode, and diagnostics_markdown() gives
the report section listing them."""
import pytest

import techmatch as tm
from conftest import SEED

SITES = ("name,kind,sector,capacity,ranked\n"
         "S1,high_tech,eit,two,C1\n"
         "S2,high_tech,eit,1,C1;C2\n")
COMMS = ("name,title,unit_kind,unit_support,expertise,merit,wishes\n"
         "C1,senior,university,yes,eit:3,80,S1;S2\n"
         "C2,senior,university,yes,eit:3,,S2\n")


@pytest.fixture
def forms(tmp_path):
    s, c = tmp_path / "s.csv", tmp_path / "c.csv"
    s.write_text(SITES, encoding="utf-8")
    c.write_text(COMMS, encoding="utf-8")
    return s, c


def test_lenient_pair(forms):
    s, c = forms
    p = tm.Programme.from_forms(s, c, lenient=True)
    assert p.n_sites == 1 and p.n_commissioners == 2
    got = [(d.file, d.line, d.column, d.field, d.severity, d.message) for d in p.diagnostics]
    assert got == [
        (str(s), 2, 4, "capacity", "error", "capacity 'two' is not a whole number"),
        (str(c), 3, 6, "merit", "warning", "the merit is empty; the row is kept with merit 0"),
        (str(c), 2, 7, "wishes", "warning",
         f"the wish list names 'S1', which is not a site of the programme (not in {s}); "
         "wish dropped"),
    ]
    comms = p.commissioners
    assert list(comms["ranked_sites"][0]) == ["S2"]
    assert list(comms["merit"]) == [80.0, 0.0]
    # the wish is gone before the programme sees it: the selection runs
    sel = p.select()
    assert sel is not None
    md = p.diagnostics_markdown()
    assert md.startswith("\n## Rows skipped (lenient mode)\n")
    assert f"| {s}:2 | 4 | capacity | row skipped | capacity 'two' is not a whole number |" in md
    assert f"| {c}:2 | 7 | wishes | warning | the wish list names 'S1'" in md


def test_strict_pair_fails_at_the_bad_row(forms):
    s, c = forms
    with pytest.raises(tm.ParseError) as e:
        tm.Programme.from_forms(s, c)
    assert (e.value.file, e.value.line, e.value.column) == (str(s), 2, 4)
    s.write_text("name,kind,sector,capacity\nS1,high_tech,eit,1\nS2,high_tech,eit,1\n",
                 encoding="utf-8")
    with pytest.raises(tm.ParseError) as e:
        tm.Programme.from_forms(s, c)
    assert (e.value.file, e.value.line, e.value.column) == (str(c), 3, 6)
    assert str(e.value).endswith("merit: the merit is empty (give a number 0..100)")


def test_no_diagnostics_no_section():
    p = tm.Programme.from_forms(SEED)
    assert p.diagnostics == []
    assert p.diagnostics_markdown() == ""
    assert tm.Programme().diagnostics_markdown() == ""
