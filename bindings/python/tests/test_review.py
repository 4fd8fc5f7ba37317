"""The leading group's review from Python: Review (review.h, docs/review.md),
Programme.select(review=...) and ReviewEffects (review_effects.h), on the
hand-worked programme of tests/review/review_fixture.h (the forms are
written here again; the expected matchings are worked out in that file)."""
import pathlib

import pytest

import techmatch as tm

SITES = """name,kind,sector,needs,min_title,years,capacity,x,y,ranked
s1,high_tech,eit,rd,intermediate,1,1,15,0,c1;c2;c3
s2,high_tech,eit,rd,intermediate,1,1,0,0,c1;c2;c3
s3,high_tech,eit,rd,intermediate,1,1,0,0,c1;c2;c3
s4,agri_base,agri,rd,junior,1,1,0,0,c4
"""
COMMS = """name,title,unit_kind,unit_support,expertise,skills,years,capacity,x,y,merit,wishes
c1,senior,university,yes,eit:2,rd,1,1,-10,0,90,s1;s2;s3
c2,senior,university,yes,eit:2,rd,1,1,0,0,80,s1;s2;s3
c3,senior,university,yes,eit:2,rd,1,1,0,0,70,s2;s1;s3
c4,junior,university,yes,agri:2,rd,1,1,0,0,95,s4
c5,senior,university,yes,eit:2,rd,1,1,0,0,60,s2
"""


@pytest.fixture
def programme(tmp_path):
    d = tmp_path / "prog"
    d.mkdir()
    (d / "sites.csv").write_text(SITES, encoding="utf-8")
    (d / "commissioners.csv").write_text(COMMS, encoding="utf-8")
    p = tm.Programme.from_forms(d)
    p.config.quota = None
    return p


def pairs(sel):
    return sorted((a["commissioner"], a["site"]) for _, a in sel.assignments.iterrows())


# ---- the reader ------------------------------------------------------------

def test_read_english_and_chinese(tmp_path):
    r = tm.Review.from_string("decision,commissioner,site,note\n"
                              "pin,c1,s1,kept\nveto,c2,s2,\nexclude,c3,,left\nadmit,,s4,\n",
                              "r.csv")
    assert len(r) == 4
    assert r[0] == tm.Decision("pin", "c1", "s1", "kept", "r.csv:2")
    assert r[1] == tm.Decision("veto", "c2", "s2", None, "r.csv:3")
    assert r[-1] == tm.Decision("admit", None, "s4", None, "r.csv:5")
    assert [d.kind for d in r] == ["pin", "veto", "exclude", "admit"]
    assert r[0].kind_zh == "确认"
    path = tmp_path / "审核.csv"
    path.write_bytes("\ufeff决定,特派员（姓名）,派驻点,备注\r\n否决,甲,乙,\"理由，带逗号\"\r\n"
                     .encode("utf-8"))
    z = tm.Review.from_file(path)
    assert z.decisions == [tm.Decision("veto", "甲", "乙", "理由，带逗号", f"{path}:2")]
    assert repr(z) == "<Review 1 decisions: 1 veto>"
    with pytest.raises(IndexError):
        z[1]


def test_read_errors(tmp_path):
    with pytest.raises(tm.ParseError) as e:
        tm.Review.from_string("decision,commissioner,site\npin,a,b\npin,,b\n", "r.csv")
    assert (e.value.file, e.value.line, e.value.column) == ("r.csv", 3, 2)
    assert str(e.value) == ("r.csv:3:2: commissioner: a pin (确认) names a commissioner and a "
                            "site; the commissioner is missing")
    with pytest.raises(tm.ParseError) as e:
        tm.Review.from_string("decision,commissioner,site\nveto,a,b\n\npin,a,b\n", "r.csv")
    assert e.value.line == 4
    assert "already at r.csv:2 (veto 否决)" in str(e.value)
    with pytest.raises(tm.ParseError, match=r"^r\.csv:1:0: empty file"):
        tm.Review.from_string("", "r.csv")
    with pytest.raises(tm.FileError):
        tm.Review.from_file(tmp_path / "missing.csv")
    r = tm.Review()
    r.pin("a", "b")
    with pytest.raises(tm.ParseError):
        r.load_string("decision,commissioner,site\nexclude,x,\nfrob,y,\n")
    assert len(r) == 1  # all or nothing
    with pytest.raises(tm.InvalidArgumentError):
        r.load_string("decision,site\0\n")


def test_build_by_hand():
    r = tm.Review()
    assert r.pin("c1", "s1", note="keep") == 0
    assert r.veto("c2", "s2") == 1
    assert r.exclude(site="s3") == 2
    assert r.admit("c4") == 3
    assert r.add("确认", "c5", "s2", source="minutes p. 3") == 4
    assert r[4] == tm.Decision("pin", "c5", "s2", None, "minutes p. 3")
    for bad in (lambda: r.add("frobnicate", "a", "b"), lambda: r.pin("a", None),
                lambda: r.exclude("a", "b"), lambda: r.admit(), lambda: r.add(7, "a"),
                lambda: r.add("pin", 3, "b")):
        with pytest.raises(tm.InvalidArgumentError):
            bad()
    assert len(r) == 5
    c = r.copy()
    c.veto("x", "y")
    assert (len(r), len(c)) == (5, 6)
    assert tm.Review(r.decisions).decisions == r.decisions


# ---- the comparison on its own: selections that differ by their rules ------

def test_effects_of_a_rule_change(programme):
    base = programme.select()
    cfg = tm.Config.from_string("[rules]\nP_DISTANCE=true\nP_DISTANCE.max_km=20\n[quota]\n"
                                "total=none\n")
    dist = programme.select(cfg)
    assert pairs(base) == [("c1", "s1"), ("c2", "s2"), ("c3", "s3")]
    assert pairs(dist) == [("c1", "s2"), ("c2", "s1"), ("c3", "s3")]
    r = tm.Review()
    r.veto("c1", "s1")
    r.pin("c3", "s3")
    r.pin("c1", "s3")
    e = r.effects(base, dist)
    d = e.decisions
    assert [x.effect for x in d] == ["removed", "kept", "not_applied"]
    assert d[0].moved == [tm.Moved("commissioner", "c1", ["s1"], ["s2"]),
                          tm.Moved("site", "s1", ["c1"], ["c2"]),
                          tm.Moved("commissioner", "c2", ["s2"], ["s1"]),
                          tm.Moved("site", "s2", ["c2"], ["c1"])]
    assert d[1].moved == [tm.Moved("commissioner", "c3", ["s3"], ["s3"]),
                          tm.Moved("site", "s3", ["c3"], ["c3"])]
    assert d[2].overrides == []
    assert e.pairs_added == [("c1", "s2"), ("c2", "s1")]
    assert e.pairs_removed == [("c1", "s1"), ("c2", "s2")]
    assert e.newly_selected == [] and e.no_longer_selected == []
    md = e.markdown()
    assert md.startswith("\n## Leading group's review (领导小组审核)\n")
    assert "c1: s1 → s2; s1: c1 → c2" in md
    # the section in Chinese (issue 11): the catalogue's words, the data as it is
    zh = e.markdown("zh")
    assert zh.startswith("\n## 领导小组审核\n\n审核决定 3 项（确认 2 项、否决 1 项")
    assert "c1：s1 → s2；s1：c1 → c2" in zh and "Effect" not in zh
    assert e.markdown("en") == md
    assert e.report_markdown() == dist.report_markdown() + md
    assert "+2 / -2 pairs" in repr(e)
    assert e.baseline == "the same forms and configuration without the review"
    e2 = tm.ReviewEffects(base, dist, r, baseline="the run with P_DISTANCE off")
    assert "compared with the previous run: the run with P_DISTANCE off.\n" in e2.markdown()
    e2.baseline = None
    assert e2.baseline == e.baseline
    # a pin no rule allows names the rules it overrides
    r2 = tm.Review()
    r2.pin("c4", "s1")
    assert tm.ReviewEffects(base, dist, r2).decisions[0].overrides == [
        "C_TITLE", "P_SECTOR", "P_TITLE"]


def test_effects_refusals(programme, tmp_path):
    base = programme.select()
    r = tm.Review()
    r.exclude("nobody")
    with pytest.raises(tm.UnknownNameError, match="nobody"):
        r.effects(base, base)
    other = tm.Programme(programme.config)
    with pytest.raises(tm.InvalidArgumentError):
        tm.ReviewEffects(base, other.select(), None)
    with pytest.raises(tm.InvalidArgumentError):
        tm.ReviewEffects(base, "not a selection")
    with pytest.raises(tm.InvalidArgumentError):
        programme.select(review=42)


def test_write(programme, tmp_path):
    base = programme.select()
    e = tm.ReviewEffects(base, base, None)
    out = tmp_path / "out"
    e.write(out)
    assert sorted(p.name for p in out.iterdir()) == ["agreements", "assignments.csv",
                                                     "assignments.json", "assignments.xlsx",
                                                     "report.html",
                                                     "report.md"]
    assert len(list((out / "agreements").iterdir())) == base.matching.n_pairs
    assert (out / "report.md").read_text(encoding="utf-8") == e.report_markdown()
    assert "0 decisions" in e.markdown()
    # in Chinese: the report and its review section
    e.write(out, lang="zh", plain_csv=True)
    assert (out / "report.md").read_text(encoding="utf-8") == \
        base.report(lang="zh") + e.markdown(lang="zh")
    assert (out / "assignments.csv").read_text(encoding="utf-8") == base.assignments_csv()


# ---- the review applied by the selection -----------------------------------

def test_select_with_review(programme, tmp_path):
    base = programme.select()
    r = tm.Review()
    r.veto("c1", "s1", note="too far")
    sel = programme.select(review=r)
    assert pairs(sel) == [("c1", "s2"), ("c2", "s1"), ("c3", "s3")]
    e = r.effects(base, sel)
    assert e.decisions[0].effect == "removed"
    assert sel.pair_review("c1", "s1") == "veto" and sel.pair_review("c1", "s2") is None
    r.pin("c3", "s1")
    sel2 = programme.select(review=r)
    assert sel2.pair_review("c3", "s1") == "pin" and ("c3", "s1") in pairs(sel2)
    # a path works as well
    path = tmp_path / "review.csv"
    path.write_text("决定,特派员,派驻点\n排除,c1,\n", encoding="utf-8")
    sel = programme.select(review=str(path))
    assert pairs(sel) == [("c2", "s1"), ("c3", "s2"), ("c5", "s3")]
    out = sel.outcomes.set_index("name")
    assert out.loc["c1", "outcome"] == "review"


def test_withdrawal_recipe(programme):
    base = programme.select()
    r = tm.Review()
    for c, s in pairs(base):
        if c != "c2":
            r.pin(c, s)
    r.exclude("c2", note="withdrew in month 7")
    sel = programme.select(review=r)
    assert pairs(sel) == [("c1", "s1"), ("c3", "s3"), ("c5", "s2")]
    e = r.effects(base, sel)
    assert [d.effect for d in e.decisions] == ["kept", "kept", "removed"]
    assert e.newly_selected == ["c5"] and e.no_longer_selected == ["c2"]


def test_unknown_name_at_selection(programme):
    r = tm.Review.from_string("decision,commissioner,site\nveto,c1,nowhere\n", "review.csv")
    with pytest.raises(tm.UnknownNameError, match="review.csv:2"):
        programme.select(review=r)
