"""Issue 11: the programme's texts in English and Chinese from Python —
Selection.reason(side, agent, lang=...), Programme.fault(..., lang=...), the
vocabulary labels (title_label, unit_kind_label, site_kind_label) and
Selection.explain(..., lang=...)."""
import re

import pytest

import techmatch as tm
from conftest import SEED

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def seed():
    p = tm.Programme.from_forms(SEED)
    return p, p.select()


def test_reason_in_both_languages(seed):
    p, sel = seed
    assert sel.reason("commissioner", "罗敏", lang="zh") == (
        "因选派名额已满未选派：选派名额（30 名特派员或团队）在按评分择优录取至罗敏"
        "（评分 71.0，分数线）时已满")
    assert sel.reason("commissioner", "罗敏", lang="en") == (
        "cut by the quota: the quota of 30 commissioners or teams was full when the "
        "admission in merit order reached 罗敏 (merit 71.0, the cutoff)")
    assert sel.reason("commissioner", "孙浩", lang="zh") == \
        "不符合条件（规则 C_TITLE）：职称：初级，须为中级及以上"
    # by id, and the other spellings of a language
    i = p.commissioner_id("孙浩")
    assert sel.reason(0, i, lang="zh-CN") == sel.reason("commissioner", "孙浩", lang="中文")
    # auto: the forms' language (the example's headers are Chinese)
    assert sel.reason("commissioner", "孙浩") == sel.reason("commissioner", "孙浩", lang="zh")


def test_every_reason_keeps_its_numbers_and_names(seed):
    p, sel = seed
    names = sorted({*p.commissioners["name"], *p.commissioners["unit"].dropna(),
                    *p.sites["name"]}, key=len, reverse=True)
    for side, n in (("commissioner", p.n_commissioners), ("site", p.n_sites)):
        for i in range(n):
            en, zh = sel.reason(side, i, lang="en"), sel.reason(side, i, lang="zh")
            assert re.findall(r"\d+(?:\.\d+)?", en) == re.findall(r"\d+(?:\.\d+)?", zh) \
                or sorted(re.findall(r"\d+(?:\.\d+)?", en)) == \
                sorted(re.findall(r"\d+(?:\.\d+)?", zh)), (en, zh)
            for name in names:
                assert (name in en) == (name in zh), (name, en, zh)
            # no English words in the Chinese beyond codes (C_TITLE, sector codes)
            rest = zh
            for name in names:
                rest = rest.replace(name, " ")
            assert not re.search(r"[a-z]{4,}", re.sub(r"\b[A-Z]_[A-Z_.a-z]+\b", "", rest)), zh


def test_fault_lang(seed):
    p, _ = seed
    assert p.fault("C_SUPPORT", commissioner="周晓燕", lang="zh") == \
        "单位支持：否（河南工业大学），派出单位须同意选派"
    assert p.fault("C_SUPPORT", commissioner="周晓燕") == \
        p.fault("C_SUPPORT", commissioner="周晓燕", lang="en")
    assert p.fault("S_CLINIC", site="杜岭街道金水路社区", lang="auto") == \
        "卫生服务站：无，社区派驻点须设有社区卫生服务站"
    with pytest.raises(tm.InvalidArgumentError):
        p.fault("C_SUPPORT", commissioner="周晓燕", lang="klingon")


def test_vocabulary_labels():
    assert tm.site_kind_label("high_tech") == "high-tech enterprise"
    assert tm.site_kind_label("high_tech", lang="zh") == "高新技术企业"
    assert tm.unit_kind_label("institute") == "research institute"
    assert tm.unit_kind_label("科研院所", lang="zh") == "科研院所"
    assert "associate professor" in tm.title_label("senior")
    assert tm.title_label("副教授", lang="zh") == "高级"
    assert tm.title_label(2, lang="zh") == "中级"
    for k in range(tm.core.TM_N_SITE_KINDS):
        assert not CJK.search(tm.site_kind_label(k, "en"))
    with pytest.raises(tm.InvalidArgumentError):
        tm.site_kind_label("castle")
    with pytest.raises(tm.InvalidArgumentError):
        tm.title_label(9)


def test_explain_lang(seed):
    p, sel = seed
    en = sel.explain("罗敏")
    zh = sel.explain("罗敏", lang="zh")
    assert en.lang == "en" and zh.lang == "zh"
    assert sel.explain("罗敏", lang="auto").lang == "zh"  # the example's forms are Chinese
    assert zh.text.startswith("罗敏因选派名额已满未选派：评分 71")
    assert en.text.startswith("罗敏 is cut by the quota: merit 71")
    assert en.outcome == zh.outcome == "quota"        # codes stay English
    assert zh.detail == ("选派名额（30 名特派员或团队）在按评分择优录取至罗敏（评分 71.0，分数线）时已满")
    text = zh.to_text()
    assert text.startswith("罗敏 — 科技特派员")
    assert "意向名单" in text and "未配对原因" in text
    assert en.to_text() == sel.explain("罗敏", lang="en").to_text()
    assert "List (" in en.to_text() and "why not:" in en.to_text()
    # the rows' texts in the language, the same rows
    assert list(en.candidates["candidate"]) == list(zh.candidates["candidate"]) \
        if "candidate" in en.candidates else len(en.candidates) == len(zh.candidates)
    with pytest.raises(tm.InvalidArgumentError):
        sel.explain("罗敏", lang="fr")


def test_dropped_wishes_lang(seed):
    _, sel = seed
    en = sel.dropped_wishes()
    zh = sel.dropped_wishes(lang="zh")
    assert len(en) == len(zh) > 0
    assert list(en["rule"]) == list(zh["rule"])
    for e, z in zip(en["reason"], zh["reason"]):
        assert re.findall(r"\d+", e) == re.findall(r"\d+", z) or \
            sorted(re.findall(r"\d+", e)) == sorted(re.findall(r"\d+", z)), (e, z)
    assert any("不符合条件" in z for z in zh["reason"])
