#!/usr/bin/python3
"""Throughput of techmatch.parallel: serial against a LocalCluster.

    PYTHONPATH=build/bindings/python /usr/bin/python3 bench/parallel_bench.py \\
        [--programmes 1000] [--commissioners 40] [--sites 60] \\
        [--markets 100] [--entries 1000000] [--distinct-markets 100] [--workers 2] \\
        [--repeat 3]

Two workloads, each run serially (``client="serial"``) and on one
LocalCluster of ``--workers`` processes (one thread each; started once, its
start-up timed apart), with one job per Dask task and with the default
batches:

- programmes: ``--programmes`` district-sized programme folders written by
  scripts/gen-forms.py (``--commissioners`` x ``--sites``, seeds 1, 2, ...;
  no programme.ini, so the built-in rules and a quota of 30), one
  ProgrammeJob each (tm_job_run: read the forms, select, no outputs);
- markets: ``--markets`` MarketJobs of numpy CSR arrays, each about
  ``--entries`` list entries per side (20 entries per supply agent,
  demand capacity 4; ``--distinct-markets`` different ones, fixed seeds,
  reused in turn: by default every job has its own), shipped to the
  workers as arrays (each distinct market once), and once more as the
  file names of the same arrays saved as .npz (MarketArrays.save; the
  workers read them).

Per mode, the best of ``--repeat`` runs: wall time, jobs/s, the mean worker time of one job (``runtime``)
and the overhead per job, ``(W x wall - sum of runtime) / jobs`` with W the
worker processes (1 serially): the worker-seconds a job costs beyond its
own run (scheduling, transfer, the DataFrame).  Every cluster run's rows are
checked equal to the serial rows (timings aside).  Not a test: times depend
on the machine; bench/RESULTS.md records them.
"""
import argparse
import importlib.util
import os
import pathlib
import platform
import sys
import tempfile
import time

import numpy as np
import pandas as pd

import techmatch as tm
from techmatch import parallel as par

HERE = pathlib.Path(__file__).resolve().parent
TOP = HERE.parent


def gen_forms(out_root, n, commissioners, sites):
    """n programme folders from scripts/gen-forms.py (loaded as a module)."""
    spec = importlib.util.spec_from_file_location("gen_forms", TOP / "scripts" / "gen-forms.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    dirs = []
    argv = sys.argv
    try:
        for i in range(n):
            d = os.path.join(out_root, f"district-{i:04d}")
            sys.argv = ["gen-forms.py", d, "--commissioners", str(commissioners),
                        "--sites", str(sites), "--seed", str(i + 1)]
            gen.main()
            dirs.append(d)
    finally:
        sys.argv = argv
    return dirs


def market_arrays(entries, seed):
    """About *entries* list entries per side: supply agents list 20 distinct
    demand agents in random order; each demand agent ranks those who listed it
    at random (the `uniform` model of bindings/python/tests/markets.py)."""
    k = 20
    n_s = max(1, entries // k)
    n_d = max(k, n_s // 5)
    rng = np.random.default_rng(seed)
    x = rng.integers(0, n_d - k + 1, size=(n_s, k), dtype=np.int32)
    x.sort(axis=1)
    x += np.arange(k, dtype=np.int32)
    perm = np.argsort(rng.random((n_s, k), dtype=np.float32), axis=1)
    supply_ids = np.take_along_axis(x, perm, axis=1).ravel()
    supply_off = np.arange(0, n_s * k + 1, k, dtype=np.int32)
    owner = np.repeat(np.arange(n_s, dtype=np.int32), k)
    order = np.lexsort((rng.random(n_s * k, dtype=np.float32), supply_ids))
    demand_ids = owner[order]
    demand_off = np.zeros(n_d + 1, dtype=np.int32)
    np.cumsum(np.bincount(supply_ids, minlength=n_d), out=demand_off[1:])
    return par.MarketArrays(supply_off, supply_ids, demand_off, demand_ids,
                            demand_capacity=np.full(n_d, 4, dtype=np.int32))


def measure(label, jobs, workers, repeat, **kw):
    best = None
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        df = par.run(jobs, progress=False, **kw)
        wall = time.perf_counter() - t0
        if best is None or wall < best[0]:
            best = (wall, df)
    wall, df = best
    bad = df[df.status != "ok"]
    if len(bad):
        raise SystemExit(f"{label}: {len(bad)} jobs failed: {bad.error.iloc[0]}")
    n = len(jobs)
    busy = float(df.runtime.sum())
    return df, {"mode": label, "jobs": n, "wall s": wall, "jobs/s": n / wall,
                "job ms": 1e3 * busy / n, "overhead ms/job": 1e3 * (workers * wall - busy) / n}


def drop_timing(df):
    return df.drop(columns=[c for c in par.TIMING_COLUMNS if c in df.columns])


def workload(name, jobs, client, workers, repeat, rows, file_jobs=None):
    serial, r = measure("serial", jobs, 1, repeat, client="serial")
    rows.append({"workload": name, **r})
    modes = [("cluster, 1 job/task", jobs, 1), ("cluster, batched", jobs, None)]
    if file_jobs is not None:
        modes.append(("cluster, batched, .npz files", file_jobs, None))
    for label, js, bs in modes:
        df, r = measure(label, js, workers, repeat, client=client, batch_size=bs)
        pd.testing.assert_frame_equal(drop_timing(serial).drop(columns="dir"),
                                      drop_timing(df).drop(columns="dir"))
        rows.append({"workload": name, **r})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--programmes", type=int, default=1000)
    ap.add_argument("--commissioners", type=int, default=40)
    ap.add_argument("--sites", type=int, default=60)
    ap.add_argument("--markets", type=int, default=100)
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--distinct-markets", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import dask.distributed as dd

    print("command:", " ".join([os.path.relpath(sys.argv[0])] + sys.argv[1:]))
    print(f"techmatch {tm.__version__}, dask.distributed {dd.__version__}, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs")
    rows = []
    with tempfile.TemporaryDirectory(prefix="tm-parallel-bench-") as tmp:
        t0 = time.perf_counter()
        dirs = gen_forms(tmp, args.programmes, args.commissioners, args.sites)
        print(f"forms: {len(dirs)} folders of {args.commissioners} x {args.sites} "
              f"in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        distinct = [market_arrays(args.entries, 1000 + i)
                    for i in range(max(1, args.distinct_markets))]
        mjobs = [par.MarketJob(arrays=distinct[i % len(distinct)]) for i in range(args.markets)]
        a = distinct[0]
        t1 = time.perf_counter()
        npz = []
        for i, m in enumerate(distinct):
            npz.append(os.path.join(tmp, f"market-{i:04d}.npz"))
            m.save(npz[-1])
        fjobs = [par.MarketJob(npz=npz[i % len(npz)]) for i in range(args.markets)]
        t_npz = time.perf_counter() - t1
        print(f"markets: {len(distinct)} distinct of {len(a.supply_offsets) - 1:,} x "
              f"{len(a.demand_offsets) - 1:,}, {len(a.supply_ids):,} entries per side, "
              f"{a.nbytes / 2**20:.1f} MiB of arrays per job, made in "
              f"{time.perf_counter() - t0 - t_npz:.1f} s (and saved as .npz in {t_npz:.1f} s)")

        t0 = time.perf_counter()
        cluster = par.local_cluster(args.workers)  # what run() starts by default
        client = dd.Client(cluster, set_as_default=False)
        client.run(lambda: __import__("techmatch.parallel"))  # import once, untimed
        print(f"LocalCluster of {args.workers} processes up in {time.perf_counter() - t0:.2f} s")
        try:
            workload(f"programmes {args.commissioners}x{args.sites}",
                     [par.ProgrammeJob(d) for d in dirs], client, args.workers, args.repeat,
                     rows)
            workload(f"markets {len(a.supply_ids):,} entries", mjobs, client, args.workers,
                     args.repeat, rows, file_jobs=fjobs)
        finally:
            client.close()
            cluster.close()
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 120, "display.float_format", "{:.3g}".format):
        print(table.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
