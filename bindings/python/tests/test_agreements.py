"""Draft cooperation agreements (agreement.h) from Python: the built-in
template for every assignment, a template of one's own, its errors, and
Selection.write() putting them in agreements/."""
import pathlib

import pytest

import techmatch as tm

SEED = pathlib.Path(__file__).resolve().parents[3] / "seeds" / "jinshui-2011"


@pytest.fixture(scope="module")
def selection():
    return tm.Programme.from_forms(SEED).select()


def test_one_per_assignment(selection):
    drafts = selection.agreements()
    pairs = selection.assignments
    assert len(drafts) == len(pairs) == selection.matching.n_pairs
    for (name, text), row in zip(drafts.items(), pairs.itertuples()):
        assert row.commissioner in name and row.site in name and name.endswith(".md")
        assert row.commissioner in text and row.site in text and "{{" not in text
    assert list(drafts)[0].startswith("001-")


def test_own_template_and_errors(selection):
    drafts = selection.agreements("{{number}} {{commissioner}} {{sector}} {{{{}}")
    first = next(iter(drafts.values()))
    row = selection.assignments.iloc[0]
    assert first == f"001 {row.commissioner} 电子信息 {{{{"
    with pytest.raises(tm.ParseError, match=r"<template>:2:3: unknown placeholder \{\{sit\}\}"):
        selection.agreements("ok\n  {{sit}}")
    with pytest.raises(tm.ParseError, match="without a closing"):
        selection.agreements("{{site")


def test_write(selection, tmp_path):
    out = tmp_path / "out"
    selection.write(out)
    files = sorted(p.name for p in (out / "agreements").iterdir())
    assert files == sorted(selection.agreements())
    selection.write(out, agreement_template="{{site}}\n")
    first = sorted((out / "agreements").iterdir())[0]
    assert first.read_text(encoding="utf-8") == selection.assignments.iloc[0].site + "\n"


def test_write_progress(selection, tmp_path):
    """progress= gets the fraction of the set written: non-decreasing, ending
    at 1.0 once flushed; a raising callable's exception comes back once the
    set is written; a non-callable is refused before anything is written."""
    seen = []
    selection.write(tmp_path / "out", progress=seen.append)
    assert len(seen) > 2 and seen[-1] == 1.0 and seen[-2] < 1.0
    assert all(0.0 <= a <= b <= 1.0 for a, b in zip(seen, seen[1:]))
    assert (tmp_path / "out" / "report.md").is_file()

    def boom(fraction):
        raise RuntimeError(f"at {fraction}")

    with pytest.raises(RuntimeError, match="at "):
        selection.write(tmp_path / "again", progress=boom)
    with pytest.raises(tm.InvalidArgumentError, match="progress"):
        selection.write(tmp_path / "never", progress=3)
    assert not (tmp_path / "never").exists()


def test_languages(selection):
    zh = selection.agreements()  # auto: the seed's forms are Chinese
    assert zh == selection.agreements(lang="zh")
    en = selection.agreements(lang="en")
    assert list(en) == list(zh)  # the same files
    first = next(iter(en.values()))
    assert first.startswith("# Cooperation agreement of a science-and-technology commissioner")
    assert "合作协议" not in first and "甲方" not in first
    row = selection.assignments.iloc[0]
    assert row.commissioner in first and row.site in first
    assert "electronic information" in first  # {{sector}} in English
    # an own template: the placeholders' words follow lang
    assert next(iter(selection.agreements("{{sector}}|{{sector_en}}", lang="zh").values())) \
        == "电子信息|electronic information"
    assert next(iter(selection.agreements("{{sector}}|{{sector_en}}", lang="en").values())) \
        == "electronic information|electronic information"
    with pytest.raises(ValueError):
        selection.agreements(lang="fr")
