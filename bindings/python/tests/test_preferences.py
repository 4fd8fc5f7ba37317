"""The preferences layer and the rules from Python: Programme.build_market
(lists equal to the ones `techmatch run` matches on seeds/jinshui-2011),
Scorer / score / explain, screening per rule, and the Config setters for
weights, rule switches and parameters, candidates, quota and sector limits,
each bad value raising its techmatch exception."""
import math
import subprocess

import numpy as np
import pandas as pd
import pytest

import techmatch as tm
from conftest import CLI, SEED


@pytest.fixture(scope="module")
def programme():
    return tm.Programme.from_forms(SEED)


@pytest.fixture(scope="module")
def cli_csv(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    r = subprocess.run([str(CLI), "run", str(SEED), "--plain-csv", "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return pd.read_csv(out / "assignments.csv")


def lists_equal(a, b):
    for side in ("supply", "demand"):
        la, lb = a.lists(side), b.lists(side)
        for f in ("offsets", "ids", "ranks", "reverse_ranks"):
            if not np.array_equal(getattr(la, f), getattr(lb, f)):
                return False
        if not np.array_equal(a.capacities(side), b.capacities(side)):
            return False
    return True


# ---- build_market -------------------------------------------------------------------

def test_build_market_equals_the_lists_techmatch_run_matches(programme, cli_csv):
    m = programme.build_market()
    sel = programme.select()  # tm_programme_select builds its market in C, as `run` does
    assert lists_equal(m, sel.market)
    assert m.supply_names == sel.market.supply_names and m.demand_names[0] == "郑州华信物联网科技有限公司"
    # the ranks and scores `techmatch run` wrote come from these very lists and scores
    sc = programme.scorer()
    for row in cli_csv.itertuples():
        assert m.rank("supply", row.commissioner, row.site) + 1 == row.commissioner_rank
        assert m.rank("demand", row.site, row.commissioner) + 1 == row.site_rank
        assert round(sc.score(row.commissioner, row.site), 4) == row.commissioner_score
        assert round(sc.score(row.commissioner, row.site, "site"), 4) == row.site_score
    # and matching them reproduces the run's assignments (its quota and floors aside,
    # the pairs of the run are acceptable in the market)
    assert all(m.rank("supply", r.commissioner, r.site) is not None
               for r in cli_csv.itertuples())
    assert "acceptable pairs" in repr(m)


def test_build_market_stats_and_options(programme):
    m = programme.build_market(k=0, threads=1)
    st = m.stats
    assert isinstance(st, tm.PrefsStats)
    assert st.k == 0 and st.threads == 1
    # 388 before issue 10; the seed's consent column (two named-only agents on
    # each side) -18; C_YEARS off (+12 pairs of 郑卫国, his wish kept) and
    # S_SECTOR on (-6 pairs of the medical-device firm 郑州康宁医疗器械有限公司)
    assert st.supply_entries == st.demand_entries == m.n_pairs == 376
    assert st.wishes_kept == 26 and st.wishes_dropped == 3 and st.extra == {}
    d = st.as_dict()
    names = []
    key = 0
    while tm.core.tm_prefs_stat_name(key) is not None:
        names.append(tm.core.tm_prefs_stat_name(key))
        key += 1
    assert list(d) == names  # every C key, in order
    # the result does not depend on the threads; top-k gives shorter lists
    assert lists_equal(programme.build_market(k=0, threads=3), m)
    top = programme.build_market(k=2)
    assert top.stats.k == 2 and top.n_pairs < m.n_pairs
    assert top.stats.exact_agents + top.stats.budget_agents > 0
    # ineligible agents: capacity 0 and empty lists
    scr = programme.screen()
    out = scr.commissioners
    bad = out.index[~out.eligible].tolist()
    assert bad and all(m.capacities("supply")[i] == 0 and len(m.lists("supply")[i]) == 0
                       for i in bad)
    # a screening passed in gives the same market
    assert lists_equal(programme.build_market(screening=scr), m)
    seen = []
    programme.build_market(progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_build_market_bad_arguments(programme):
    with pytest.raises(tm.InvalidArgumentError, match="k"):
        programme.build_market(k=-2)
    with pytest.raises(tm.InvalidArgumentError, match="threads"):
        programme.build_market(threads=-1)
    with pytest.raises(tm.InvalidArgumentError, match="k"):
        programme.build_market(k=1.5)
    with pytest.raises(tm.InvalidArgumentError, match="screening"):
        programme.build_market(screening=tm.Programme.from_forms(SEED).screen())
    with pytest.raises(tm.InvalidArgumentError, match="config"):
        programme.build_market("programme.ini")
    with pytest.raises(tm.InvalidArgumentError, match="cancel"):
        programme.build_market(cancel=True)
    c = tm.Cancel()
    c.trigger()
    with pytest.raises(tm.CancelledError):
        programme.build_market(cancel=c)
    assert c.triggered


def test_build_market_follows_the_config(programme):
    cfg = tm.Config.for_dir(SEED)
    base = programme.build_market(cfg)
    cfg.rules["P_DISTANCE"] = True
    cfg.rules.max_km = 3
    near = programme.build_market(cfg)
    assert near.n_pairs < base.n_pairs
    cfg.rules["P_DISTANCE"] = False
    assert lists_equal(programme.build_market(cfg), base)
    # weights reorder the lists (the same pairs)
    cfg.set_weight("commissioner", "distance", 0)
    cfg.set_weight("commissioner", "merit", 0)
    reordered = programme.build_market(cfg)
    assert reordered.n_pairs == base.n_pairs and not lists_equal(reordered, base)
    # the selection follows the same configuration
    assert lists_equal(programme.select(cfg).market, reordered)


# ---- scores ---------------------------------------------------------------------------

def test_scorer_score_explain(programme):
    sc = programme.scorer()
    assert "Scorer" in repr(sc)
    d = sc.explain(0, 0)
    assert isinstance(d, tm.ScoreDetail)
    assert list(d.components) == list(tm.SCORE_COMPONENTS) == [
        "sector", "tags", "title", "years", "distance", "merit", "term", "tasks"]
    assert all(0 <= v <= 1 for v in d.components.values())
    assert d.commissioner_name == "王建华" and d.site == 0
    assert d.pair_reason is None and d.pair_failures == []
    assert d.distance_km == pytest.approx(math.hypot(6.2 - 1.0, 12.5 - 5.0))
    # the weighted means of preferences.h, with the default weights
    w = programme.config.weights
    for side, score in (("commissioner", d.commissioner_score), ("site", d.site_score)):
        ws = w[side]
        want = sum(ws[k] * d.components[k] for k in tm.SCORE_COMPONENTS) / sum(ws.values())
        assert score == pytest.approx(want, abs=1e-12)
        assert d.score(side) == score
    # scorer, tm_preferences_* and explain agree bit for bit, by id or by name
    for c in range(programme.n_commissioners):
        for s in range(0, programme.n_sites, 7):
            e = sc.explain(c, s)
            assert sc.score(c, s) == programme.score(c, s) == e.commissioner_score
            assert sc.score(c, s, side="site") == programme.score(c, s, "site") == e.site_score
            assert programme.explain(c, s) == e
            assert programme.pair_failures(c, s) == e.pair_failures
    name_c = programme.commissioners.name[3]
    name_s = programme.sites.name[5]
    assert sc.score(name_c, name_s) == sc.score(3, 5)
    arr = sc.scores(np.arange(5), np.array([5, 4, 3, 2, 1], dtype=np.int64), side="site")
    assert arr.dtype == np.float64 and arr.tolist() == [sc.score(i, 5 - i, "site")
                                                        for i in range(5)]
    assert "ScoreDetail" in repr(d) and "passes the pair rules" in repr(d)
    flat = d.as_dict()
    assert list(flat) == ["commissioner", "site", *tm.SCORE_COMPONENTS, "commissioner_score",
                          "site_score", "distance_km", "pair_failures"]
    assert flat["commissioner"] == "王建华" and flat["sector"] == d.components["sector"]


def test_explain_failing_pair_and_missing_location(programme):
    sc = programme.scorer()
    fails = [(c, s) for c in range(programme.n_commissioners) for s in range(programme.n_sites)
             if programme.pair_failures(c, s)]
    assert fails
    c, s = fails[0]
    d = sc.explain(c, s)
    assert d.pair_reason == d.pair_failures[0] and d.pair_reason.startswith("P_")
    assert "fails" in repr(d)


def test_explain_missing_location(tmp_path):
    """The seed with the first site's coordinates blanked: no distance, 0.5."""
    import csv
    import shutil

    for name in ("commissioners.csv", "programme.ini"):
        shutil.copy(SEED / name, tmp_path / name)
    with open(SEED / "sites.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    x, y = rows[0].index("横坐标"), rows[0].index("纵坐标")
    rows[1][x] = rows[1][y] = ""
    with open(tmp_path / "sites.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    p = tm.Programme.from_forms(tmp_path)
    assert p.sites.x.isna().tolist()[:2] == [True, False]
    e = p.scorer().explain(0, 0)
    assert e.distance_km is None and e.components["distance"] == 0.5
    assert p.explain(0, 1).distance_km > 0


def test_scorer_copies_the_rules(programme):
    cfg = tm.Config.for_dir(SEED)
    sc = programme.scorer(cfg)
    before = sc.score(0, 0)
    cfg.set_weight("commissioner", "sector", 0)
    assert sc.score(0, 0) == before
    assert programme.scorer(cfg).score(0, 0) != before
    assert programme.score(0, 0, config=cfg) != before


def test_score_bad_agents(programme):
    sc = programme.scorer()
    with pytest.raises(tm.OutOfRangeError, match="commissioner"):
        sc.score(programme.n_commissioners, 0)
    with pytest.raises(tm.OutOfRangeError, match="site"):
        sc.explain(0, -1)
    with pytest.raises(tm.UnknownNameError, match="nobody"):
        sc.score("nobody", 0)
    with pytest.raises(tm.UnknownNameError, match="nowhere"):
        programme.explain(0, "nowhere")
    with pytest.raises(tm.InvalidArgumentError, match="side"):
        sc.score(0, 0, side="both")
    with pytest.raises(tm.InvalidArgumentError, match="commissioner"):
        sc.score(1.0, 0)
    with pytest.raises(tm.OutOfRangeError, match="sites"):
        sc.scores([0], [programme.n_sites])
    with pytest.raises(tm.InvalidArgumentError, match="sites"):
        sc.scores([0, 1], [0])


# ---- screening per rule -----------------------------------------------------------------

def test_screening_by_rule(programme):
    scr = programme.screen()
    t = scr.by_rule()
    assert t.code.tolist() == tm.Rules.codes() and len(t) == 12
    ineligible = scr.ineligible()
    assert t.first_failing.sum() == len(ineligible)
    assert (t.failing >= t.first_failing).all()
    for row in t.itertuples():
        assert row.failing == scr.n_failing(row.code)
        assert row.first_failing == (ineligible.reason == row.code).sum()
    assert t.set_index("code").scope["P_SECTOR"] == "pair"
    with pytest.raises(tm.InvalidArgumentError, match="NOPE"):
        scr.n_failing("NOPE")


# ---- Config setters ------------------------------------------------------------------

def test_rules_switches_and_parameters():
    cfg = tm.Config.defaults()
    r = cfg.rules
    assert list(r) == tm.Rules.codes() and len(r) == 12 and "P_DISTANCE" in r
    assert not r["P_DISTANCE"] and r["c_title"]  # codes are case-insensitive
    r["P_DISTANCE"] = True
    assert cfg.rule_enabled("P_DISTANCE") and "P_DISTANCE" in r.enabled()
    assert "P_DISTANCE=true" in cfg.rules_text()
    cat = r.catalogue()
    # 12 rules, C_YEARS off by default (issue 10), P_DISTANCE just turned on
    assert cat.code.tolist() == tm.Rules.codes() and cat.enabled.sum() == 11
    assert set(cat.scope) == {"commissioner", "site", "pair"} and all(cat.summary_zh)

    r.min_title = "高级"
    assert r.min_title == "senior" == r["C_TITLE.min_title"]
    r["C_TITLE.min_title"] = "junior"
    assert r.min_title == "junior"
    r.unit_allowed = ["university", "enterprise"]
    assert r.unit_allowed == {"university", "enterprise"}
    r["C_UNIT.allowed"] = "institute;public"
    assert r["C_UNIT.allowed"] == "institute;public"
    r.set("C_UNIT.allowed", ["university"])
    assert r.unit_allowed == {"university"}
    r.site_kinds = "park;village"
    assert r.site_kinds == {"park", "village"} and r["S_KIND.eligible"] == "park;village"
    r.years_range = (0, 3)
    assert r.years_range == (0, 3) and r["C_YEARS.max"] == 3
    r["C_YEARS.min"] = 2
    assert r.years_range == (2, 3)
    r.min_level = 2
    assert r.min_level == r["P_SECTOR.min_level"] == 2
    r.max_km = 12.5
    assert r.max_km == r["P_DISTANCE.max_km"] == 12.5
    r.distance_scale = 40
    assert r.distance_scale == 40.0 and "distance_scale_km=40" in r.to_text()
    # the text reads back to the same rules
    again = tm.Config.from_string(r.to_text())
    assert again.rules.to_text() == r.to_text()
    assert "Rules 11/12 on" in repr(r)  # C_YEARS off by default (issue 10)


def test_rules_bad_values_raise_and_change_nothing():
    cfg = tm.Config.defaults()
    r = cfg.rules
    text = r.to_text()
    bad = [
        (tm.InvalidArgumentError, lambda: r.__setitem__("NOPE", True)),
        (tm.InvalidArgumentError, lambda: r.__setitem__("P_DISTANCE", "yes")),
        (tm.InvalidArgumentError, lambda: r["C_TITLE.nope"]),
        (tm.ParseError, lambda: r.__setitem__("C_YEARS.max", "x")),
        (tm.ParseError, lambda: r.set("C_TITLE.nope", 1)),
        (tm.InvalidArgumentError, lambda: setattr(r, "min_title", "emperor")),
        (tm.InvalidArgumentError, lambda: setattr(r, "unit_allowed", ["university", "guild"])),
        (tm.InvalidArgumentError, lambda: setattr(r, "site_kinds", ["castle"])),
        (tm.InvalidArgumentError, lambda: setattr(r, "years_range", (3, 1))),
        (tm.InvalidArgumentError, lambda: setattr(r, "years_range", (0, 11))),
        (tm.InvalidArgumentError, lambda: setattr(r, "years_range", 2)),
        (tm.InvalidArgumentError, lambda: setattr(r, "min_level", 4)),
        (tm.InvalidArgumentError, lambda: setattr(r, "min_level", "2")),
        (tm.InvalidArgumentError, lambda: setattr(r, "max_km", -1)),
        (tm.InvalidArgumentError, lambda: setattr(r, "max_km", float("inf"))),
        (tm.InvalidArgumentError, lambda: setattr(r, "distance_scale", 0)),
        (tm.InvalidArgumentError, lambda: setattr(r, "distance_scale", float("nan"))),
    ]
    for exc, f in bad:
        with pytest.raises(exc):
            f()
    assert r.to_text() == text  # all or nothing


def test_weights():
    cfg = tm.Config.defaults()
    assert cfg.weights == {
        "commissioner": {"sector": 3, "tags": 2, "title": 0, "years": 1, "distance": 2,
                         "merit": 0, "term": 0, "tasks": 1},
        "site": {"sector": 3, "tags": 2, "title": 1, "years": 1, "distance": 1, "merit": 2,
                 "term": 1, "tasks": 1}}
    cfg.set_weight("site", "merit", 4.5)
    cfg.set_weight(tm.Side.SUPPLY, 5, 1)
    cfg.rules.set_weight("demand", "tags", 0)
    assert cfg.weight("site", "merit") == 4.5 and cfg.weight("commissioner", "merit") == 1
    assert cfg.weights["site"]["tags"] == 0
    for value in (-1, float("nan"), float("inf"), 1e308 * 10):
        with pytest.raises(tm.InvalidArgumentError, match="weight"):
            cfg.set_weight("site", "merit", value)
    cfg.set_weight("site", "sector", 1.5e308)
    with pytest.raises(tm.InvalidArgumentError):  # the side's sum would overflow
        cfg.set_weight("site", "tags", 1.5e308)
    for side, comp, value, match in (("both", "merit", 1, "side"), ("site", "luck", 1, "component"),
                                     ("site", 8, 1, "component"), ("site", "merit", "2", "weight"),
                                     ("site", "merit", True, "weight")):
        with pytest.raises(tm.InvalidArgumentError, match=match):
            cfg.set_weight(side, comp, value)
    assert cfg.weight("site", "merit") == 4.5
    assert "[weights.site]" in cfg.rules_text()


def test_candidates():
    cfg = tm.Config.defaults()
    assert cfg.rules.candidates == tm.CandidateParams()
    cfg.rules.set_candidates(k=20, site_k=0, seed=7)
    c = cfg.rules.candidates
    assert (c.k, c.site_k, c.seed, c.auto_k) == (20, 0, 7, 50)
    cfg.rules.candidates = tm.CandidateParams(k=0, exact_limit=5)
    assert cfg.rules.candidates.exact_limit == 5 and "k=0" in cfg.rules_text()
    for changes in ({"k": -2}, {"auto_k": 0}, {"budget": -1}, {"exact_limit": -1},
                    {"seed": -1}, {"k": 1.5}, {"nope": 1}):
        with pytest.raises(tm.InvalidArgumentError):
            cfg.rules.set_candidates(**changes)
    with pytest.raises(tm.InvalidArgumentError, match="CandidateParams"):
        cfg.rules.candidates = {"k": 1}
    assert cfg.rules.candidates == tm.CandidateParams(k=0, exact_limit=5)


def test_quota_and_sector_limits(programme):
    cfg = tm.Config.defaults()
    assert cfg.quota == 30 and cfg.sector_limits() == {}
    cfg.quota = 10
    cfg.set_sector_limits("food", cap=3, floor=1)
    cfg.set_sector_limits("电子信息", floor=2)  # by name: stored under the code
    assert cfg.sector_limits() == {"food": {"cap": 3, "floor": 1},
                                   "eit": {"cap": None, "floor": 2}}
    sel = programme.select(cfg)
    assert sel.quota == 10 and sel.quota_used <= 10 and sel.n_selected <= 10
    cov = sel.sector_coverage().set_index("sector")
    assert cov.cap["food"] == 3 and cov.floor["eit"] == 2 and cov.used["food"] <= 3
    assert cov.used.sum() >= sel.quota_used
    cfg.set_sector_limits("food")  # lifted
    assert cfg.sector_limits()["food"] == {"cap": None, "floor": 0}
    for args, exc in ((("helth", 1), tm.UnknownNameError), (("food", 1, 2), tm.InvalidArgumentError),
                      (("food", -1), tm.InvalidArgumentError), (("food", None, -1), tm.InvalidArgumentError),
                      (("food", 1.5), tm.InvalidArgumentError), ((3, 1), tm.InvalidArgumentError)):
        with pytest.raises(exc):
            cfg.set_sector_limits(*args)
    for q in (-1, 1.5, "3"):
        with pytest.raises(tm.InvalidArgumentError, match="quota"):
            cfg.quota = q
    cfg.quota = None
    assert cfg.quota is None
    # floors above the quota: infeasible at select
    cfg.quota = 2
    cfg.set_sector_limits("food", floor=2)
    cfg.set_sector_limits("eit", floor=2)
    with pytest.raises(tm.InfeasibleError):
        programme.select(cfg)


def test_config_repr_shows_no_absolute_path(tmp_path, monkeypatch):
    cfg = tm.Config.for_dir(SEED)
    assert cfg.source == str(SEED / "programme.ini")  # the data keeps the path given
    monkeypatch.chdir(SEED.parent.parent)
    assert repr(cfg) == "<Config seeds/jinshui-2011/programme.ini: quota 30, 6 sectors>"
    monkeypatch.chdir(SEED)
    assert repr(cfg) == "<Config programme.ini: quota 30, 6 sectors>"
    far = tmp_path / "a" / "b" / "c"
    far.mkdir(parents=True)
    monkeypatch.chdir(far)  # far from the seed: its folder and file name
    assert repr(cfg) == "<Config jinshui-2011/programme.ini: quota 30, 6 sectors>"
    assert repr(tm.Config.defaults()) == "<Config defaults: quota 30, 6 sectors>"
    assert repr(tm.Config.from_string("[quota]\ntotal=3\n")).startswith("<Config <string>: quota 3")
