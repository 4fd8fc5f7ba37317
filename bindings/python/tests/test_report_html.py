"""Selection.report_html(lang=...): the printable page (output.h
tm_selection_report_html) is a self-contained HTML5 document in the asked
language with three well-formed SVG charts whose bars match the selection's
own tables, and equals the report.html that Selection.write() puts in the set."""
import re
import xml.etree.ElementTree as ET

import pytest

import techmatch as tm
from conftest import SEED


@pytest.fixture(scope="module")
def selection():
    return tm.Programme.from_forms(SEED).select()


def svgs(page):
    """The inline <svg> elements, parsed as XML (well-formedness)."""
    return [ET.fromstring(m) for m in re.findall(r"<svg.*?</svg>", page, flags=re.S)]


def bars(svg):
    return [r for r in svg.iter("rect") if "bar" in r.get("class", "").split()]


@pytest.mark.parametrize("lang,tag", [("zh", "zh-CN"), ("en", "en"), ("中文", "zh-CN"),
                                      ("en_GB.UTF-8", "en")])
def test_self_contained_with_charts(selection, lang, tag):
    page = selection.report_html(lang=lang)
    assert page.startswith('<!DOCTYPE html>\n<html lang="%s">' % tag)
    assert '<meta charset="utf-8">' in page
    assert "@page { size: A4; margin: 15mm; }" in page
    assert '"Noto Sans CJK SC"' in page
    for outside in ("http://", "https://", "<script", "<link", "<img", "src=", "href=",
                    "url(", "@import"):
        assert outside not in page, outside
    charts = svgs(page)
    assert [s.get("id") for s in charts] == ["chart-coverage", "chart-ranks-supply",
                                             "chart-ranks-demand"]
    for s in charts:
        assert s.get("role") == "img"
        assert s.find("title") is not None and s.find("title").text
    cov = selection.sector_coverage()
    assert len(bars(charts[0])) == len(cov)
    labels = [t.text for t in charts[0].iter("text") if t.get("class") == "value"]
    assert labels == ["%.0f%% (%d/%d)" % (100.0 * r.served / r.registered, r.served,
                                          r.registered) for r in cov.itertuples()]
    # rank bars: 1 .. the worst rank in the assignments, then unmatched
    df = selection.assignments
    for svg, col in ((charts[1], "commissioner_rank"), (charts[2], "site_rank")):
        assert len(bars(svg)) == int(df[col].max()) + 1
        counts = [int(re.findall(r"\d+", b.find("title").text)[-1]) for b in bars(svg)]
        assert sum(counts[:-1]) == len(df)
        assert counts[:-1] == [int((df[col] == r).sum()) for r in range(1, len(counts))]
    assert "罗敏" in page and "71.0" in page
    assert page == selection.report_html(lang=lang)  # deterministic


def test_auto_is_the_programme_language(selection):
    lang = selection.programme.language
    assert lang in ("en", "zh")
    assert selection.report_html() == selection.report_html(lang)
    assert selection.report_html("auto") == selection.report_html(lang)


def test_written_with_the_set(selection, tmp_path):
    for lang in ("en", "zh"):
        selection.write(tmp_path, lang=lang)
        assert (tmp_path / "report.html").read_text(encoding="utf-8") == \
            selection.report_html(lang)


def test_bad_language(selection):
    with pytest.raises(tm.InvalidArgumentError, match="klingon"):
        selection.report_html("klingon")
    with pytest.raises(TypeError):
        selection.report_html(7)
