#!/usr/bin/python3
"""Python overhead of the bindings against the C benchmark on the same market.

    bench/bench_python.py [--tm-bench build/bench/tm_bench] [tm_bench options...]

Runs `tm_bench OPTIONS --dump DIR` (the C figures: build with
tm_market_new_from_arrays(), best-of-R solve), then, in this interpreter,
loads the very same arrays with numpy and times techmatch.Market.from_arrays()
(checks included) and Market.solve() (best of R, building the Matching and
its pairs array) and prints both with the overhead.  Run it with the build's
package on PYTHONPATH (e.g. PYTHONPATH=build/bindings/python).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

import techmatch as tm


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tm-bench", default="build/bench/tm_bench")
    ap.add_argument("--repeat", type=int, default=3)
    args, rest = ap.parse_known_args()
    with tempfile.TemporaryDirectory() as d:
        cmd = [args.tm_bench, *rest, "--repeat", str(args.repeat), "--dump", d]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        c = dict(re.findall(r"(\w+)=(\S+)", out.splitlines()[-1]))
        load = lambda n: (np.fromfile(os.path.join(d, f"{n}.i32"), dtype=np.int32)  # noqa: E731
                          if os.path.exists(os.path.join(d, f"{n}.i32")) else None)
        so, sp, do, dp = (load(n) for n in ("supply_off", "supply_prefs", "demand_off",
                                            "demand_prefs"))
        sc, dc = load("supply_cap"), load("demand_cap")
        builds, solves = [], []
        m = None
        for _ in range(args.repeat):
            del m  # the previous market is freed outside the timing
            t0 = time.perf_counter()
            m = tm.Market.from_arrays(so, sp, do, dp, sc, dc)
            builds.append(time.perf_counter() - t0)
        side = c.get("side", "supply")
        mt = None
        for _ in range(args.repeat):
            del mt  # likewise the previous matching
            t0 = time.perf_counter()
            mt = m.solve(side)
            _ = mt.pairs
            solves.append(time.perf_counter() - t0)
        assert mt.n_pairs == int(c["pairs"]) and mt.n_proposals == int(c["proposals"])
        # the GIL released: two threads solving at once against two solves in a row
        seq, par = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            m.solve(side)
            m.solve(side)
            seq.append(time.perf_counter() - t0)
            ts = [threading.Thread(target=m.solve, args=(side,)) for _ in range(2)]
            t0 = time.perf_counter()
            for t in ts:
                t.start()
            for t in ts:
                t.join()
            par.append(time.perf_counter() - t0)
    cb, cs = float(c["build_s"]), float(c["solve_s"])
    pb, ps = min(builds), min(solves)
    print(" ".join(cmd[:-2]))
    print(f"C       build {cb:.4f} s (one run)   solve {cs:.4f} s (best of {args.repeat})   "
          f"build+solve {cb + cs:.4f} s")
    print(f"Python  build {pb:.4f} s (best of {args.repeat})  solve {ps:.4f} s (best of "
          f"{args.repeat})   build+solve {pb + ps:.4f} s")
    print(f"overhead: build {100 * (pb / cb - 1):+.1f} %, solve {100 * (ps / cs - 1):+.1f} %, "
          f"build+solve {100 * ((pb + ps) / (cb + cs) - 1):+.1f} %")
    print(f"threads: two solves in a row {min(seq):.4f} s, in two threads at once "
          f"{min(par):.4f} s (best of {args.repeat}; ratio {min(par) / min(seq):.2f}, "
          f"1.0 = no overlap, 0.5 = perfect)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
