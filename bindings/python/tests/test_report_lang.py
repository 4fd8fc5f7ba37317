"""The report in the reader's language from Python (issue 11): Selection.report(lang)
through TmOutputOptions and tm_selection_report_markdown_with, against the C
library's golden Chinese report of the bundled example; "auto" follows the
forms' headers; the review's and the lenient rows' sections take a language."""
import re

import pytest

import techmatch as tm
from conftest import SEED, SOURCE_DIR

GOLDEN = SOURCE_DIR / "tests" / "selection" / "data"


@pytest.fixture(scope="module")
def sel():
    return tm.Programme.from_forms(SEED).select()


def test_report_languages(sel):
    zh = sel.report("zh")
    assert zh == (GOLDEN / "jinshui-2011-report.zh.md").read_text(encoding="utf-8")
    en = sel.report("en")
    assert en == (GOLDEN / "jinshui-2011-report.md").read_text(encoding="utf-8")
    assert en == sel.report_markdown()
    # aliases of tm_lang_parse
    assert sel.report("zh-CN") == zh and sel.report("中文") == zh
    assert sel.report("English") == en
    # the seed's forms have Chinese headers: auto is Chinese
    assert sel.report() == zh
    assert zh.startswith("# 科技特派员选派结果报告\n")
    for heading in re.findall(r"^#+ .*$", zh, flags=re.M):
        assert re.search(r"[\u4e00-\u9fff]", heading), heading
    # site kinds in words in both languages
    assert "| 高新技术企业 |" in zh and "| high-tech enterprise |" in en
    assert "| high_tech |" not in en


def test_report_bad_language(sel):
    with pytest.raises(tm.InvalidArgumentError, match="fr"):
        sel.report("fr")
    with pytest.raises(TypeError):
        sel.report(2)


def test_lenient_section_in_chinese(tmp_path):
    s, c = tmp_path / "s.csv", tmp_path / "c.csv"
    s.write_text("name,kind,sector,capacity\nS1,high_tech,eit,two\nS2,high_tech,eit,1\n",
                 encoding="utf-8")
    c.write_text("name,title,unit_kind,unit_support,expertise,merit\n"
                 "C1,senior,university,yes,eit:3,80\n", encoding="utf-8")
    p = tm.Programme.from_forms(s, c, lenient=True)
    zh = p.diagnostics_markdown("zh")
    assert zh.startswith("\n## 跳过的行（宽松模式）\n\n读取登记表时跳过 1 行")
    assert "| 跳过该行 |" in zh
    assert p.diagnostics_markdown().startswith("\n## Rows skipped (lenient mode)\n")
    # the report carries the section, in its language
    r = p.select().report("zh")
    assert "\n## 跳过的行（宽松模式）\n" in r
    assert "\n## Rows skipped (lenient mode)\n" in p.select().report("en")
