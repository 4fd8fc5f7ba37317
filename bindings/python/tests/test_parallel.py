"""techmatch.parallel: jobs on a 2-worker Dask LocalCluster give the same rows
as the serial run, job by job; failing jobs are rows, not exceptions; sweeps
over a grid (file or dict) on the seed; compare(); market jobs from arrays and
JSON equal to solving directly; a scheduler address; serial without dask."""
import logging
import os
import shutil
import sys

import numpy as np
import pandas as pd
import pytest

import techmatch as tm
from techmatch import parallel as par

from conftest import BUILD_DIR, CLI, SEED, SOURCE_DIR
from markets import uniform

MARKET_JSON = SOURCE_DIR / "examples" / "market.json"

WEIGHTINGS = {"variants": {"balanced": {},
                           "merit": {"weights.site/merit": 6},
                           "fit": {"weights.site": {"sector": 6, "tags": 4}}}}
GRID = {"quota": {"setting": "quota/total", "values": range(20, 61, 2)},
        "weighting": WEIGHTINGS}


@pytest.fixture(scope="module")
def cluster():
    """One 2-worker LocalCluster (processes, one thread each) for the module;
    its workers inherit PYTHONPATH, so they import techmatch from this build."""
    dd = pytest.importorskip("dask.distributed")
    c = dd.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                        dashboard_address=":0", silence_logs=logging.ERROR)
    yield c
    c.close()


@pytest.fixture(scope="module")
def client(cluster):
    import dask.distributed as dd
    cl = dd.Client(cluster, set_as_default=False)
    yield cl
    cl.close()


def _drop_timing(df):
    return df.drop(columns=[c for c in par.TIMING_COLUMNS if c in df.columns])


def _bad_seed(tmp_path):
    """The seed with a commissioner's merit (line 3, column 15) not a number."""
    bad = tmp_path / "bad-form"
    shutil.copytree(SEED, bad)
    path = bad / "commissioners.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert ",95," in lines[2]
    lines[2] = lines[2].replace(",95,", ",abc,", 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return bad


def _arrays_job(seed, **kw):
    so, si, do, di, dc = uniform(300, 120, 8, cap=3, seed=seed)
    return par.MarketJob.from_arrays(so, si, do, di, None, dc, **kw)


def _mixed_jobs(tmp_path):
    return [
        par.ProgrammeJob(SEED, label="seed"),
        par.ProgrammeJob(SEED, overrides={"quota/total": 20}, params={"q": 20}),
        par.ProgrammeJob(SEED, overrides={"weights.site": {"merit": 6}}, label="merit"),
        par.ProgrammeJob(_bad_seed(tmp_path), label="bad form"),
        par.ProgrammeJob(tmp_path / "no-such-folder", label="missing"),
        par.ProgrammeJob(SEED, overrides={"quota/total": "many"}, label="bad value"),
        par.MarketJob(json=MARKET_JSON, check=True),
        par.MarketJob(json=MARKET_JSON, optimal="demand"),
        _arrays_job(1, check=True, params={"model": "uniform"}),
        _arrays_job(2, optimal="demand"),
        par.MarketJob(json=tmp_path / "none.json"),
    ]


def test_cluster_rows_equal_serial_rows_job_by_job(tmp_path, client):
    jobs = _mixed_jobs(tmp_path)
    serial = par.run(jobs, client="serial", progress=False)
    for batch_size in (1, 3):
        on_cluster = par.run(jobs, client=client, progress=False, batch_size=batch_size)
        pd.testing.assert_frame_equal(_drop_timing(serial), _drop_timing(on_cluster))
    assert list(serial.job) == list(range(len(jobs)))
    assert (serial.runtime >= 0).all()
    ok = serial.status == "ok"
    assert list(serial.status[~ok].index) == [3, 4, 5, 10]
    assert (serial.loc[ok & (serial.kind == "programme"), "seconds"] >= 0).all()


def test_a_failing_job_is_a_row_and_the_others_finish(tmp_path, client):
    bad = _bad_seed(tmp_path)
    jobs = [par.ProgrammeJob(SEED), par.ProgrammeJob(bad), par.ProgrammeJob(SEED),
            par.ProgrammeJob(tmp_path / "missing")]
    df = par.run(jobs, client=client, progress=False)
    assert list(df.status) == ["ok", "error", "ok", "error"]
    msg = df.error[1]
    assert df.error_type[1] == "ParseError"
    assert f"{bad}/commissioners.csv:3:15:" in msg and "abc" in msg, msg
    assert str(tmp_path / "missing") in df.error[3]
    assert df.error[0] is None and df.error_type[0] is None
    # the good rows are the seed's selection (techmatch run: 30 selected, 41 pairs)
    direct = tm.Programme.from_forms(SEED).select()
    for i in (0, 2):
        assert df.selected[i] == direct.n_selected == 30
        assert df.assignments[i] == len(direct.assignments) == 41
    assert pd.isna(df.selected[1]) and pd.isna(df.selected[3])


def test_programme_row_fields_match_the_selection():
    df = par.run([par.ProgrammeJob(SEED, overrides={"quota/total": 24})], client="serial",
                 progress=False)
    row = df.iloc[0]
    cfg = tm.Config.for_dir(SEED)
    cfg.quota = 24
    sel = tm.Programme.from_forms(SEED, config=cfg).select(cfg)
    assert row.status == "ok"
    assert row.commissioners == 42 and row.sites == 60
    assert row.quota == 24 and row.quota_counts == "people"
    assert row.selected == sel.n_selected and row.quota_used == sel.quota_used
    assert row.assignments == len(sel.assignments)
    cut = sel.merit_cutoff
    assert cut is not None
    assert row.merit_cutoff == cut["merit"] and row.cutoff_commissioner == cut["commissioner"]
    assert bool(row.stable) == sel.stable
    cov = sel.sector_coverage().set_index("sector")
    for code in cov.index:
        assert row[f"served.{code}"] == cov.served[code]
        assert row[f"assignments.{code}"] == cov.assignments[code]


def test_a_config_made_in_python_travels_as_its_text(client):
    cfg = tm.Config.for_dir(SEED)
    cfg.quota = 22
    cfg.set_weight("site", "merit", 5)
    cfg.set_sector_limits("agri", cap=4)
    cfg.rules["P_DISTANCE"] = True
    text = cfg.to_text()
    assert tm.Config.from_string(text).to_text() == text     # a fixed point
    assert "[sector.agri]" in text and "cap=4" in text and "total=22" in text
    job = par.ProgrammeJob(SEED, config_text=cfg)
    assert job.config_text == text                            # plain text in the job
    sel = tm.Programme.from_forms(SEED, config=cfg).select(cfg)
    for where in ("serial", client):
        row = par.run([job], client=where, progress=False).iloc[0]
        assert row.status == "ok", row.error
        assert row.quota == 22 and row.selected == sel.n_selected
        assert row.assignments == len(sel.assignments)
        cov = sel.sector_coverage().set_index("sector")
        assert cov.used["agri"] <= 4 and cov.cap["agri"] == 4   # the cap counts people
        assert row["assignments.agri"] == cov.assignments["agri"]
        assert row.mean_rank_site == pytest.approx(sel.assignments.site_rank.mean())


def test_sweep_of_63_jobs_on_the_seed(client):
    df = par.sweep(SEED, GRID, client=client, progress=False)
    assert len(df) == 63 and list(df.job) == list(range(63))
    assert (df.status == "ok").all(), df.error[df.status != "ok"].tolist()
    # the columns of techmatch sweep's CSV: job, axis.NAME..., status, error, fields
    qcol = "axis.quota"
    assert list(df.columns[:5]) == ["job", qcol, "axis.weighting", "status", "error"]
    # the last axis varies fastest
    assert list(df[qcol][:4]) == [20, 20, 20, 22]
    assert list(df["axis.weighting"][:4]) == ["balanced", "merit", "fit", "balanced"]
    assert (df.quota == df[qcol]).all()  # the summary's quota is the axis value
    assert (df.quota_used <= df.quota).all()
    # the balanced rows are programme.ini with another quota: check three against
    # Programme.select, and a weighting row against a Config changed in Python
    for q in (20, 30, 60):
        row = df[(df[qcol] == q) & (df["axis.weighting"] == "balanced")].iloc[0]
        cfg = tm.Config.for_dir(SEED)
        cfg.quota = q
        sel = tm.Programme.from_forms(SEED, config=cfg).select(cfg)
        assert (row.selected, row.assignments) == (sel.n_selected, len(sel.assignments))
    row = df[(df[qcol] == 26) & (df["axis.weighting"] == "merit")].iloc[0]
    cfg = tm.Config.for_dir(SEED)
    cfg.quota = 26
    cfg.set_weight("site", "merit", 6)
    sel = tm.Programme.from_forms(SEED, config=cfg).select(cfg)
    asg = sel.assignments
    assert (row.selected, row.assignments) == (sel.n_selected, len(asg))
    assert row.mean_rank_site == pytest.approx(asg.site_rank.mean())
    assert row.mean_rank_commissioner == pytest.approx(asg.commissioner_rank.mean())
    # the same sweep serially, from the grid written as a file: the same rows
    serial = par.sweep(SEED, par.Grid.from_dict(GRID), client="serial", progress=False)
    pd.testing.assert_frame_equal(_drop_timing(df), _drop_timing(serial))


def test_sweep_checks_every_job_before_running():
    grid = {"quota": {"setting": "quota/total", "values": [20, "lots", 30]}}
    with pytest.raises(tm.ParseError) as e:
        par.sweep(SEED, grid, client="serial", progress=False)
    assert "lots" in str(e.value) and "quota" in str(e.value)


def test_sweep_with_objective_axis(tmp_path):
    """select/objective is an axis like any other; the forms alone (no
    programme.ini: the defaults, no sector limits) with no quota allow both."""
    forms = tmp_path / "forms"
    forms.mkdir()
    for f in ("sites.csv", "commissioners.csv"):
        shutil.copy(SEED / f, forms / f)
    grid = {"quota": {"setting": "quota/total", "values": ["none"]},
            "select/objective": ["supply-optimal", "demand-optimal"]}
    assert "[axis.select-objective]\nsetting=select/objective\n" in par.grid_text(grid)
    df = par.sweep(forms, grid, client="serial", progress=False)
    assert (df.status == "ok").all(), df.error.tolist()
    assert list(df["axis.select-objective"]) == list(df.objective) == grid["select/objective"]
    assert df.quota.isna().all()
    cfg = tm.Config.for_dir(forms)
    cfg.quota = None
    p = tm.Programme.from_forms(forms, config=cfg)
    for _, row in df.iterrows():
        sel = p.select(cfg, objective=row.objective)
        assert row.objective_value == sel.objective_value
        assert row.assignments == len(sel.assignments)


def test_grid_dict_to_file_and_back(tmp_path):
    path = tmp_path / "grid.ini"
    par.write_grid(GRID, path)
    text = path.read_text(encoding="utf-8")
    assert "[axis.quota]\nsetting=quota/total\nvalues=20;22;24;" in text
    assert "[axis.weighting]\nvariants=balanced;merit;fit\n" in text
    assert "[axis.weighting.merit]\nweights.site/merit=6\n" in text
    assert "[axis.weighting.fit]\nweights.site/sector=6\nweights.site/tags=4\n" in text
    assert "[axis.weighting.balanced]" not in text
    g = par.Grid.from_file(path)
    assert g.n_jobs == len(g) == 63 and g.axes == ["quota", "weighting"]
    assert g.setting("quota") == "quota/total" and g.setting("weighting") is None
    assert g.values("quota") == [str(q) for q in range(20, 61, 2)]
    assert g.labels("quota") == list(range(20, 61, 2))
    assert g.values(1) == ["balanced", "merit", "fit"]
    assert g.job_values(4) == {"quota": 22, "weighting": "merit"}
    assert g.points()[62] == {"quota": 60, "weighting": "fit"}
    assert g.text == text and par.Grid.from_dict(GRID).text == text
    base = (SEED / "programme.ini").read_text(encoding="utf-8")
    cfg = tm.Config.from_string(g.config_text(4, base))
    assert cfg.quota == 22 and cfg.weight("site", "merit") == 6
    assert cfg.sector_limits() == tm.Config.for_dir(SEED).sector_limits()
    # escapes: a ';' inside a value, a list value, a bool
    g2 = par.Grid.from_dict({"a": {"setting": "rules/C_UNIT.allowed",
                                   "values": [("university", "institute"), "public"]},
                             "b": {"setting": "rules/C_YEARS", "values": [True, False]}})
    assert g2.values("a") == ["university;institute", "public"]
    assert g2.values("b") == ["true", "false"]
    g2.check(SEED)


@pytest.mark.parametrize("grid, words", [
    ({}, "non-empty"),
    ({"Quota": {"setting": "quota/total", "values": [1]}}, "axis name"),
    ({"q": {"setting": "quota", "values": [1]}}, "GROUP/KEY"),
    ({"q": {"setting": "quota/total"}}, "'setting' and 'values'"),
    ({"q": {"setting": "quota/total", "values": []}}, "no values"),
    ({"w": {"variants": {"A": {}}}}, "variant name"),
    ({"w": {"variants": {"a": {"merit": 3}}}}, "GROUP/KEY"),
    ({"w": {"variants": {"a": {"weights site/merit": 3}}}}, "GROUP/KEY"),
    ({"q": 3}, "GROUP/KEY with a list"),
])
def test_bad_grid_dicts_are_refused_with_their_axis(grid, words):
    with pytest.raises(tm.InvalidArgumentError) as e:
        par.grid_text(grid)
    assert words in str(e.value)


def test_bad_grid_file_names_its_line(tmp_path):
    path = tmp_path / "grid.ini"
    path.write_text("[axis.q]\nsetting=quota/total\nvalues=20\nvalue=3\n", encoding="utf-8")
    with pytest.raises(tm.ParseError) as e:
        par.Grid.from_file(path)
    assert str(e.value).startswith(f"{path}:")
    with pytest.raises(tm.FileError):
        par.Grid.from_file(tmp_path / "missing.ini")


def test_compare_quota_20_and_30_names_the_changes_and_reasons():
    df = par.compare(SEED, {"quota/total": 20}, {"quota/total": 30})
    assert len(df) > 0
    com = df[df.side == "commissioner"]
    # every commissioner with other sites at 30 than at 20 is listed, and no other
    cfg_a, cfg_b = tm.Config.for_dir(SEED), tm.Config.for_dir(SEED)
    cfg_a.quota, cfg_b.quota = 20, 30
    sa = tm.Programme.from_forms(SEED, config=cfg_a).select(cfg_a)
    sb = tm.Programme.from_forms(SEED, config=cfg_b).select(cfg_b)
    aa, ab = sa.assignments, sb.assignments
    sites_a = aa.groupby("commissioner").site.apply(frozenset).to_dict()
    sites_b = ab.groupby("commissioner").site.apply(frozenset).to_dict()
    changed = {c for c in set(sites_a) | set(sites_b)
               if sites_a.get(c, frozenset()) != sites_b.get(c, frozenset())}
    assert set(com.name) == changed
    # raising the quota admits more: some gained a site, and the quota explains why not at 20
    gained = com[com.change == "gained"]
    assert len(gained) >= sb.n_selected - sa.n_selected > 0
    for _, r in gained.iterrows():
        assert r.partners_a == "" and r.partners_b
        assert r.reason_a == sa.reason("commissioner", r["name"], "en")
        assert "quota" in r.reason_a, r.reason_a
        assert r.outcome_b in ("matched", "partly")
    assert (df.reason_a.str.len() > 0).all() and (df.reason_b.str.len() > 0).all()
    assert set(df.change) <= {"gained", "lost", "moved"}
    # the same with Config objects, commissioners only
    df2 = par.compare(SEED, cfg_a, cfg_b, side="commissioner")
    pd.testing.assert_frame_equal(df2.reset_index(drop=True), com.reset_index(drop=True))


def test_compare_same_configuration_is_empty():
    assert len(par.compare(SEED)) == 0
    assert len(par.compare(SEED, None, {"quota/total": 30})) == 0  # programme.ini's own quota


def test_market_jobs_equal_solving_directly(client):
    so, si, do, di, dc = uniform(400, 150, 6, cap=3, seed=7)
    m = tm.Market.from_arrays(so, si, do, di, None, dc)
    jm = tm.Market.from_json(MARKET_JSON)
    jobs = [par.MarketJob.from_arrays(so, si, do, di, None, dc, check=True),
            par.MarketJob.from_arrays(so, si, do, di, None, dc, optimal="demand"),
            par.MarketJob(json=MARKET_JSON, check=True),
            par.MarketJob.from_arrays(so, si, do, di, None, dc, objective="egalitarian")]
    df = par.run(jobs, client=client, progress=False)
    assert (df.status == "ok").all(), df.error.tolist()
    for row, market, kw in [(df.iloc[0], m, {}), (df.iloc[1], m, {"optimal": "demand"}),
                            (df.iloc[2], jm, {}), (df.iloc[3], m, {"objective": "egalitarian"})]:
        mt = market.solve(**kw)
        st = mt.stats
        sr, dr = mt.pair_ranks()
        assert row.n_supply == market.n_supply and row.n_demand == market.n_demand
        assert row.acceptable_pairs == market.n_pairs
        assert row.matched == mt.n_pairs and row.proposals == mt.n_proposals
        assert row.supply_matched == st.supply.matched_agents
        assert row.demand_filled_seats == st.demand.filled_seats
        assert row.supply_rank_mean == pytest.approx(st.supply.rank_mean)
        assert row.supply_rank_total == int(sr.sum()) and row.demand_rank_total == int(dr.sum())
    assert df.entries[0] == len(si) and df.objective[1] == "demand-optimal"
    assert df.objective_value[1] == df.demand_rank_total[1]
    assert df.objective[3] == "egalitarian"
    egal = m.solve(objective="egalitarian")
    assert df.objective_value[3] == egal.objective_value
    assert df.objective_value[3] <= df.supply_rank_total[0] + df.demand_rank_total[0]
    assert bool(df.stable[0]) and df.blocking_pairs[0] == 0 and bool(df.stable[2])


def test_out_dir_holds_each_jobs_outputs(tmp_path):
    so, si, do, di, dc = uniform(50, 20, 4, cap=3, seed=3)
    jobs = [par.ProgrammeJob(SEED), par.MarketJob(json=MARKET_JSON),
            par.MarketJob.from_arrays(so, si, do, di, None, dc), par.ProgrammeJob(tmp_path / "x")]
    out = tmp_path / "out"
    df = par.run(jobs, client="serial", progress=False, out_dir=out)
    assert list(df.status) == ["ok", "ok", "ok", "error"]
    assert (out / "job-0000" / "assignments.csv").is_file()
    assert (out / "job-0000" / "report.md").is_file()
    direct = tm.Market.from_json(MARKET_JSON).solve()
    assert (out / "job-0001" / "matching.json").read_text(encoding="utf-8") == direct.to_json()
    csv = pd.read_csv(out / "job-0002" / "matching.csv")
    mt = tm.Market.from_arrays(so, si, do, di, None, dc).solve()
    assert csv[["supply", "demand"]].to_numpy().tolist() == mt.pairs.tolist()
    assert not (out / "job-0003").exists() or not any((out / "job-0003").iterdir())


def test_scheduler_address(cluster):
    address = cluster.scheduler_address
    assert isinstance(address, str) and address.startswith("tcp://")
    jobs = [par.ProgrammeJob(SEED, overrides={"quota/total": q}) for q in (20, 25, 30)]
    a = par.run(jobs, scheduler=address, progress=False)
    b = par.run(jobs, client=address, progress=False)  # an address as client= too
    d = par.run(jobs, client=cluster, progress=False)  # a Cluster: a client for the call
    pd.testing.assert_frame_equal(_drop_timing(d), _drop_timing(a))
    c = par.run(jobs, client="serial", progress=False)
    pd.testing.assert_frame_equal(_drop_timing(a), _drop_timing(c))
    pd.testing.assert_frame_equal(_drop_timing(b), _drop_timing(c))
    assert list(a.selected) == [20, 25, 30]
    # the cluster is left running for its owner
    assert cluster.status.name == "running"


def test_default_local_cluster_is_started_and_closed():
    pytest.importorskip("dask.distributed")
    jobs = [par.MarketJob(json=MARKET_JSON), par.ProgrammeJob(SEED)]
    df = par.run(jobs, n_workers=1, progress=False)
    pd.testing.assert_frame_equal(_drop_timing(df),
                                  _drop_timing(par.run(jobs, client="serial", progress=False)))


def test_serial_without_dask(monkeypatch):
    for name in ("dask", "dask.distributed", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    with pytest.raises(ImportError):
        import dask.distributed  # noqa: F401
    jobs = [par.MarketJob(json=MARKET_JSON), par.ProgrammeJob(SEED, overrides={"quota/total": 20})]
    df = par.run(jobs, progress=False)  # no dask: serial
    assert list(df.status) == ["ok", "ok"] and df.selected[1] == 20
    with pytest.raises(ImportError):
        par.run(jobs, scheduler="tcp://127.0.0.1:1", progress=False)


def test_progress_bar_serial(capsys):
    pytest.importorskip("tqdm")
    par.run([par.MarketJob(json=MARKET_JSON)] * 3, client="serial", progress=True)
    assert "3/3" in capsys.readouterr().err


def test_bad_arguments():
    with pytest.raises(tm.InvalidArgumentError):
        par.run([42], client="serial")
    with pytest.raises(tm.InvalidArgumentError):
        par.MarketJob()
    with pytest.raises(tm.InvalidArgumentError):
        par.MarketJob(json=MARKET_JSON, edges="x.tsv")
    with pytest.raises(tm.InvalidArgumentError):
        par.run([], client="serial", batch_size=0)
    with pytest.raises(tm.InvalidArgumentError):
        par.run([], client=object())
    assert len(par.run([], client="serial")) == 0
    # a path is a programme folder, or a JSON instance
    df = par.run([SEED, MARKET_JSON], client="serial", progress=False)
    assert list(df.kind) == ["programme", "market"] and (df.status == "ok").all()
    assert os.path.isabs(par.ProgrammeJob("rel/dir").dir)


def test_unaligned_int32_arrays_are_copied_not_refused():
    """Arrays unpickled from a byte stream (dask's) can be unaligned: from_arrays
    copies them instead of letting the wrapper refuse them."""
    so, si, do, di, dc = uniform(60, 20, 4, cap=3, seed=5)

    def unaligned(a):
        buf = np.zeros(a.nbytes + 1, dtype=np.uint8)
        u = buf[1:].view(a.dtype)
        u[:] = a
        assert not u.flags.aligned
        return u

    m = tm.Market.from_arrays(*(unaligned(a) for a in (so, si, do, di)), None, unaligned(dc))
    assert m.solve().pairs.tolist() == tm.Market.from_arrays(so, si, do, di, None, dc).solve(
        ).pairs.tolist()


def test_docs_python_blocks_run(tmp_path):
    """docs/parallel.md: its python blocks run from the top of a source tree (all
    but those that need a remote cluster or arrays of the reader's), and its
    grid dict is the grid file it shows."""
    import re
    import subprocess
    text = (SOURCE_DIR / "docs" / "parallel.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    ini = re.findall(r"^```ini\n(.*?)^```", text, flags=re.S | re.M)
    assert len(blocks) >= 5 and len(ini) == 1
    os.symlink(SOURCE_DIR / "seeds", tmp_path / "seeds")
    env = dict(os.environ, PYTHONPATH=str(BUILD_DIR / "bindings" / "python"))
    ran = 0
    for i, code in enumerate(blocks):
        if "tcp://" in code or "supply_offsets" in code:
            continue
        prelude = "from techmatch import parallel\n"
        check = ""
        if code.lstrip().startswith("grid = {"):
            check = f"\nassert {ini[0]!r} in parallel.grid_text(grid), parallel.grid_text(grid)\n"
        r = subprocess.run([sys.executable, "-c", prelude + code + check], cwd=tmp_path,
                           env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, f"docs/parallel.md python block {i}:\n{code}\n{r.stderr}"
        ran += 1
    assert ran >= 4


def test_progress_on_the_cluster(client, capsys, monkeypatch):
    """tqdm's bar counts jobs (not tasks); without tqdm, dask's text bar."""
    pytest.importorskip("tqdm")
    jobs = [par.MarketJob(json=MARKET_JSON)] * 5
    par.run(jobs, client=client, progress=True, batch_size=2)
    assert "5/5" in capsys.readouterr().err
    monkeypatch.setattr(par, "_tqdm", lambda: None)
    df = par.run(jobs, client=client, progress=True, batch_size=2)
    assert (df.status == "ok").all()
    out = capsys.readouterr()
    assert "100%" in out.out + out.err


def _same_as_cli(df, csv_path):
    """The CLI's summary CSV and the DataFrame: the same columns (the CSV's are a
    prefix-ordered subset: no error_type, runtime) and the same cells."""
    import math
    cli = pd.read_csv(csv_path, keep_default_na=False, dtype=str)
    cols = [c for c in cli.columns if c != "seconds"]
    assert [c for c in df.columns if c in cols] == cols
    for c in cols:
        for j, (a, b) in enumerate(zip(cli[c], df[c])):
            if b is None or (not isinstance(b, str) and pd.isna(b)):
                assert a == "", (c, j, a, b)
            elif isinstance(b, str):
                assert a == b, (c, j, a, b)
            elif isinstance(b, (bool, np.bool_)):
                assert int(a) == int(b), (c, j, a, b)
            else:
                assert math.isclose(float(a), float(b), rel_tol=1e-12), (c, j, a, b)


def test_sweep_and_run_many_rows_equal_the_cli_csv(tmp_path):
    import subprocess
    grid = {"quota": {"setting": "quota/total", "values": [20, 30]}, "weighting": WEIGHTINGS}
    par.write_grid(grid, tmp_path / "grid.ini")
    out = tmp_path / "sweep.csv"
    subprocess.run([str(CLI), "sweep", str(SEED), "--grid", str(tmp_path / "grid.ini"),
                    "--out", str(out), "--plain-csv", "--quiet"], check=True)
    df = par.sweep(SEED, grid, client="serial", progress=False)
    _same_as_cli(df, out)
    # run-many: folders, one of them bad (exit status 2, its row says why)
    bad = _bad_seed(tmp_path)
    dirs = [str(SEED), str(bad), str(SEED)]
    out = tmp_path / "many.csv"
    r = subprocess.run([str(CLI), "run-many", *dirs, "--out", str(out), "--plain-csv",
                        "--quiet"], capture_output=True, text=True)
    assert r.returncode == 2, r.stderr
    df = par.run(dirs, client="serial", progress=False)
    _same_as_cli(df, out)


def test_market_arrays_as_npz_files(tmp_path, client):
    """MarketArrays.save / load round trip; MarketJob(npz=) rows equal the
    arrays job's (but for dir, the file)."""
    so, si, do, di, dc = uniform(200, 80, 5, cap=3, seed=11)
    a = par.MarketArrays(so, si, do, di, demand_capacity=dc)
    a.save(tmp_path / "m.npz")
    b = par.MarketArrays.load(tmp_path / "m.npz")
    for name in par.MarketArrays._FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None and y is None) or np.array_equal(x, y), name
    jobs = [par.MarketJob(arrays=a), par.MarketJob(npz=tmp_path / "m.npz"),
            par.MarketJob(npz=tmp_path / "missing.npz")]
    df = par.run(jobs, client=client, progress=False)
    assert list(df.status) == ["ok", "ok", "error"]
    assert df.dir[1] == str(tmp_path / "m.npz") and df.dir[0] is None
    pd.testing.assert_frame_equal(_drop_timing(df).drop(columns="dir").iloc[[0]],
                                  _drop_timing(df).drop(columns="dir").iloc[[1]]
                                  .set_axis([0]).assign(job=0))
    np.savez(tmp_path / "other.npz", x=np.arange(3))
    with pytest.raises(tm.InvalidArgumentError):
        par.MarketArrays.load(tmp_path / "other.npz")
