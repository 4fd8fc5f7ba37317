"""The programme API equals `techmatch run` on seeds/jinshui-2011: the same
assignments.csv, assignments.json and report.md, byte for byte."""
import subprocess

import pandas as pd
import pytest

import techmatch as tm
from conftest import CLI, SEED, SOURCE_DIR


@pytest.fixture(scope="module")
def cli_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli")
    # English and the plain CSV: what the old entry points write (output.h)
    r = subprocess.run([str(CLI), "run", str(SEED), "--out", str(out), "--lang", "en",
                        "--plain-csv"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out, r.stdout


@pytest.fixture(scope="module")
def selection():
    return tm.Programme.from_forms(SEED).select()


def test_equals_techmatch_run(cli_out, selection, tmp_path):
    out, stdout = cli_out
    assert selection.report_markdown() == stdout
    selection.write(tmp_path, lang="en", plain_csv=True)
    for name in ("assignments.csv", "assignments.json", "report.md"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name
    assert selection.assignments_csv() == (out / "assignments.csv").read_text(encoding="utf-8")


def test_assignments_frame_equals_the_csv(cli_out, selection):
    out, _ = cli_out
    csv = pd.read_csv(out / "assignments.csv")
    df = selection.assignments
    assert list(df.columns[:8]) == list(csv.columns)
    for col in ("commissioner", "site", "sector", "site_kind", "commissioner_rank", "site_rank"):
        assert df[col].tolist() == csv[col].tolist(), col
    for col in ("commissioner_score", "site_score"):
        assert (df[col].round(4) - csv[col]).abs().max() < 1e-9
    assert len(df) == selection.matching.n_pairs >= 30  # 30 people; teams serve several sites
    v = selection.verdict
    assert v.stable and v.n_blocking_pairs == 0 and v.violations == []
    assert selection.n_selected == 30 and selection.quota == 30 and selection.stable
    # 41: C_YEARS off and S_SECTOR on (issue 10) change who is sent
    assert repr(selection) == ("<Selection 30 commissioners selected, 41 assignments, "
                               "quota 30 people, stable>")
    cut = selection.merit_cutoff
    assert cut["commissioner"] == "罗敏" and cut["merit"] == 71.0  # 郑卫国 (87) now eligible
    assert selection.quota_counts == "people" and selection.quota_used == 30
    # merit decides who: nobody the quota cut has more merit than anyone sent
    oc = selection.outcomes.query("side == 'commissioner'")
    cm = selection.programme.commissioners
    merit = dict(zip(cm["name"], cm["merit"]))
    sent = set(df["commissioner"])
    cut_names = oc[oc.outcome == "quota"].name
    assert len(cut_names) > 0 and max(merit[n] for n in cut_names) <= min(merit[n] for n in sent)
    assert all(selection.merit_position(n) is not None for n in sent)
    assert selection.outranked_at(next(iter(sent))) is None


def test_outcomes_screening_profiles(selection):
    oc = selection.outcomes
    p = selection.programme
    assert len(oc) == p.n_commissioners + p.n_sites
    assert set(oc["outcome"]) <= {"matched", "partly", "ineligible", "no_capacity",
                                  "no_partner", "outranked", "quota", "sector_cap"}
    not_selected = oc[(oc.side == "commissioner") & ~oc.outcome.isin(["matched", "partly"])]
    assert len(not_selected) == p.n_commissioners - selection.n_selected
    assert all(isinstance(t, str) and t for t in oc["text"])
    sc = p.screen()
    inel = sc.ineligible()
    # issue 10: C_YEARS off (郑卫国 eligible), S_SECTOR on (郑州康宁医疗器械有限公司 not)
    assert sc.n_eligible("supply") == 36 and sc.n_eligible("demand") == 55
    assert set(inel[inel.side == "commissioner"]["name"]) == set(
        oc[(oc.side == "commissioner") & (oc.outcome == "ineligible")]["name"])
    assert inel["reason"].notna().all()
    assert list(p.sites.columns)[:3] == ["name", "kind", "sector"] and len(p.sites) == 60
    c = p.commissioners
    assert len(c) == 42 and c["title"].isin(["none", "junior", "intermediate", "senior"]).all()
    cov = selection.sector_coverage()
    assert cov["assignments"].sum() == selection.matching.n_pairs and cov["registered"].sum() == 60


def test_from_forms_files_config_and_errors(tmp_path):
    cfg = tm.Config.for_dir(SEED)
    p = tm.Programme.from_forms(SEED / "sites.csv", SEED / "commissioners.csv", config=cfg)
    cfg.quota = 10
    with pytest.raises(tm.InfeasibleError, match="floors"):
        p.select(cfg)  # the seed's sector floors need 17 places
    cfg.quota = 20
    sel = p.select(cfg)
    assert sel.n_selected == 20 and sel.quota == 20
    cfg.quota = None
    assert p.select(cfg).quota is None
    d = tm.Config.defaults()
    assert d.quota == 30 and d.source is None and len(d.sectors) == 6
    assert d.rule_enabled("C_TITLE") and "[rules]" in d.rules_text()
    bad = tmp_path / "sites.csv"
    bad.write_text((SEED / "sites.csv").read_text(encoding="utf-8") + "only-a-name\n",
                   encoding="utf-8")
    (tmp_path / "commissioners.csv").write_bytes((SEED / "commissioners.csv").read_bytes())
    with pytest.raises(tm.ParseError) as e:
        tm.Programme.from_forms(tmp_path)
    assert e.value.file == str(bad) and e.value.line is not None and e.value.column is not None
    lenient = tm.Programme.from_forms(tmp_path, lenient=True)
    assert lenient.n_sites == 60 and any(x.severity == "error" for x in lenient.diagnostics)
    with pytest.raises(tm.FileError):
        tm.Programme.from_forms(tmp_path / "missing", tmp_path / "missing2")
    with pytest.raises(tm.ParseError) as e:
        tm.Config.from_string("[nope]\n", "x.ini")
    assert e.value.line == 1


def test_select_interrupt_and_cancel():
    p = tm.Programme.from_forms(SEED)
    c = tm.Cancel()
    c.trigger()
    with pytest.raises(tm.CancelledError):
        p.select(cancel=c)
    seen = []
    sel = p.select(k=0, progress=seen.append)
    assert seen and sel.n_selected == 30


def test_assignments_json_states_ranks_and_config(selection):
    """assignments.json says its ranks are 1-based (the CSV's ranks) and
    carries the configuration the selection ran under (docs/schema)."""
    import json
    doc = json.loads(selection.assignments_json())
    assert doc["format"] == "techmatch.assignments"
    assert doc["techmatch_version"] == tm.__version__
    assert doc["rank_base"] == 1 and doc["ranks"] == "1 = first choice"
    df = selection.assignments
    assert [a["commissioner_rank"] for a in doc["assignments"]] == df["commissioner_rank"].tolist()
    assert [a["site_rank"] for a in doc["assignments"]] == df["site_rank"].tolist()
    assert min(a["commissioner_rank"] for a in doc["assignments"]) == 1
    assert doc["stats"]["supply"]["rank_max"] == df["commissioner_rank"].max()
    cfg = tm.Config.for_dir(SEED)
    got = doc["config"]
    assert got["weights"] == {"supply": cfg.weights["commissioner"], "demand": cfg.weights["site"]}
    assert got["consent"] == {"supply": cfg.consent("commissioner"), "demand": cfg.consent("site")}
    assert got["rules_ini"] == cfg.rules_text()
    assert got["quota"] == {"total": cfg.quota, "unit": cfg.quota_counts}
    assert got["sector_limits"] == cfg.sector_limits()
    codes = [tm.core.tm_rule_code(i) for i in range(tm.core.tm_rules_n_rules())]
    assert got["rules_enabled"] == [c for c in codes if cfg.rule_enabled(c)]
