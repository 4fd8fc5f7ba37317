"""Real two-way consent from Python: the forms' consent and tasks columns,
the [consent] defaults of a Config, Selection.dropped_wishes() and
Selection.mutual_first_choices()."""
import pytest

import techmatch as tm

from conftest import SEED

SITES = """名称,类型,行业,年限,意向特派员,只接受所列意向,任务类型
S1,high_tech,eit,1,C2,是,关键技术研发
S2,high_tech,eit,2,,,技术引进与推广；人才培养
S3,other,eit,1,,否,示范
"""
COMMS = """姓名,职称,单位类型,单位支持,专长,年限,意向派驻点,只接受所列意向,任务类型
C1,教授,高校,是,eit:3,2,S1；S3,否,key_rd
C2,教授,高校,是,eit:3,1,S2,,health
C3,教授,高校,是,eit:3,2,S2,是,training
"""


@pytest.fixture
def forms(tmp_path):
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    (tmp_path / "commissioners.csv").write_text(COMMS, encoding="utf-8")
    return tmp_path


def test_columns_reach_the_profiles(forms):
    p = tm.Programme.from_forms(forms)
    s = p.sites.set_index("name")
    assert s.loc["S1", "consent"] == "named" and s.loc["S2", "consent"] == "default"
    assert s.loc["S3", "consent"] == "open"
    assert s.loc["S2", "tasks"] == ["tech_transfer", "training"]
    assert s.loc["S3", "tasks"] == ["demonstration"]
    c = p.commissioners.set_index("name")
    assert list(c["consent"]) == ["open", "default", "named"]
    assert list(c["tasks"]) == [["key_rd"], ["health"], ["training"]]


def test_dropped_wishes_and_their_reasons(forms):
    p = tm.Programme.from_forms(forms)
    sel = p.select(k=0)
    d = sel.dropped_wishes()
    got = {(r.side, r.agent, r.partner): (r.fate, r.rule) for r in d.itertuples()}
    assert got == {
        # S1 accepts only C2
        ("commissioner", "C1", "S1"): ("not_named", None),
        # S3 is of kind 'other'
        ("commissioner", "C1", "S3"): ("partner_ineligible", "S_KIND"),
        # C2 offers 1 year, S2 wants 2
        ("commissioner", "C2", "S2"): ("pair_rule", "P_YEARS"),
    }
    why = d.set_index("agent").loc["C1"].set_index("partner")["reason"]
    assert why["S1"] == "S1 accepts only the commissioners it named (只接受所列意向), not C1"
    assert why["S3"].startswith("S3 is ineligible — S_KIND: ")
    # the kept wishes are in the market, the dropped ones are not
    m = sel.market
    for r in d.itertuples():
        c, s = (r.agent_id, r.partner_id) if r.side == "commissioner" else \
               (r.partner_id, r.agent_id)
        assert m.rank("supply", c, s) is None
    assert m.rank("supply", "C2", "S1") is not None  # S1 named C2
    assert m.rank("supply", "C3", "S1") is None      # C3 accepts only S2, S1 only C2
    assert "## Explicit wishes not in the lists" in sel.report_markdown()


def test_consent_default_from_config(forms):
    text = "[consent]\nsites = named\n"
    cfg = tm.Config.from_string(text)
    assert cfg.consent("site") == "named" and cfg.consent("commissioner") == "open"
    p = tm.Programme.from_forms(forms, config=cfg)
    m = p.select(cfg, k=0).market
    # S2 leaves the consent empty and named nobody: it accepts nobody now
    assert all(m.rank("supply", c, "S2") is None for c in ("C1", "C2", "C3"))
    cfg.set_consent("site", "open")
    assert cfg.consent("site") == "open"
    m = p.select(cfg, k=0).market
    assert m.rank("supply", "C3", "S2") is not None
    cfg.rules.set_consent("commissioners", "named")
    assert "[consent]\ncommissioners=named\nsites=open" in cfg.rules_text()
    with pytest.raises(tm.InvalidArgumentError):
        cfg.set_consent("site", "maybe")
    with pytest.raises(tm.InvalidArgumentError):
        cfg.set_consent("nobody", "open")
    with pytest.raises(tm.ParseError) as e:
        tm.Config.from_string("[consent]\nsites=perhaps\n", "x.ini")
    assert e.value.line == 2 and "[consent] sites: expected open or named" in str(e.value)


def test_bad_cells_name_their_position(tmp_path):
    (tmp_path / "sites.csv").write_text(SITES.replace("示范", "炼钢"), encoding="utf-8")
    (tmp_path / "commissioners.csv").write_text(COMMS, encoding="utf-8")
    with pytest.raises(tm.ParseError) as e:
        tm.Programme.from_forms(tmp_path)
    assert (e.value.line, e.value.column) == (4, 7)
    assert "任务类型: unknown task type '炼钢'" in str(e.value)
    (tmp_path / "sites.csv").write_text(SITES.replace(",否,", ",也许,"), encoding="utf-8")
    with pytest.raises(tm.ParseError) as e:
        tm.Programme.from_forms(tmp_path)
    assert (e.value.line, e.value.column) == (4, 6)
    assert "只接受所列意向: consent '也许' is neither named nor open" in str(e.value)


def test_mutual_first_choices(forms):
    p = tm.Programme.from_forms(forms)
    sel = p.select(k=0)
    mf = sel.mutual_first_choices()
    m = sel.market
    want = {(c, s) for c in range(p.n_commissioners) for s in range(p.n_sites)
            if m.rank("supply", c, s) == 0 and m.rank("demand", s, c) == 0}
    assert {(r.commissioner_id, r.site_id) for r in mf.itertuples()} == want
    assert ("C2", "S1") in {(r.commissioner, r.site) for r in mf.itertuples()}
    # no quota: every mutual first choice is assigned
    assert mf["assigned"].all() and mf["outcome"].isna().all()


def test_seed():
    cfg = tm.Config.for_dir(SEED)
    p = tm.Programme.from_forms(SEED)
    assert (p.sites["consent"] == "named").sum() == 2
    assert (p.commissioners["consent"] == "named").sum() == 2
    assert all(len(t) > 0 for t in p.commissioners["tasks"])
    sel = p.select(cfg)
    d = sel.dropped_wishes()
    # 3: with C_YEARS off (issue 10) 金水都市农业示范园's wish for 郑卫国 is kept
    assert len(d) == 3 and set(d["fate"]) <= {"ineligible", "partner_ineligible", "pair_rule",
                                              "not_named"}
    mf = sel.mutual_first_choices()
    assert len(mf) > 0
    # a mutual first choice that is not assigned says why (the quota, a cap, the review)
    for r in mf[~mf["assigned"]].itertuples():
        assert r.outcome in ("quota", "sector_cap", "review")
    assert "## Mutual first choices" in sel.report_markdown()
