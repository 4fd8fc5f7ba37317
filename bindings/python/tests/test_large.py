"""A 10^7-entry market from numpy: built in place from int32 arrays (and
once-converted int64 ones), solved, audited, with peak memory bounded by
the C benchmark's figures.

The bound (bench/RESULTS.md, "Python bindings"): tm_bench on 1,000,000 x
100,000, k = 50 (L = 5e7) peaks at 1,356 MiB, of which 381 MiB are its own
two input arrays, so building and solving costs 20.4 bytes per list entry
above the inputs.  In a fresh interpreter holding the same inputs, the
growth of the peak RSS over the RSS just before Market.from_arrays must stay
within 1.15 x 20.4 bytes x L + 16 MiB (195 MiB + 15 % + slack at L = 1e7).
The same for int64 inputs, plus the one converted copy (4 bytes x 2L).
"""
import json
import subprocess
import sys

import numpy as np
import pytest

import markets

L = 10_000_000
N_S, N_D, K = 200_000, 20_000, 50
C_BYTES_PER_ENTRY = (1356 - 381) * 2**20 / 5e7  # 20.4 B, bench/RESULTS.md

CHILD = r"""
import json, resource, sys, time
import numpy as np
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
import techmatch as tm
d = sys.argv[1]
arrays = [np.load(f"{d}/{n}.npy") for n in ("so", "si", "do", "di", "dc")]
if sys.argv[2] == "int64":
    arrays = [a.astype(np.int64) for a in arrays]
before_rss, before_peak = rss(), peak()
t0 = time.perf_counter()
m = tm.Market.from_arrays(*arrays[:4], demand_capacity=arrays[4])
t1 = time.perf_counter()
mt = m.solve()
t2 = time.perf_counter()
out = {"before_rss": before_rss, "before_peak": before_peak, "peak": peak(),
       "build": t1 - t0, "solve": t2 - t1, "pairs": mt.n_pairs, "n_pairs": m.n_pairs,
       "proposals": mt.n_proposals, "first": mt.pairs[:5].tolist()}
v = mt.check()
out["stable"] = v.stable
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    d = tmp_path_factory.mktemp("large")
    arrays = markets.uniform(N_S, N_D, K, cap=10, seed=20110101)
    for name, a in zip(("so", "si", "do", "di", "dc"), arrays):
        np.save(d / f"{name}.npy", a)
    assert arrays[1].shape[0] == L and arrays[1].dtype == np.int32
    return d


def run(d, dtype):
    r = subprocess.run([sys.executable, "-c", CHILD, str(d), dtype], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_ten_million_entries_int32(saved):
    r = run(saved, "int32")
    assert r["n_pairs"] == L and r["pairs"] == N_S and r["stable"]
    growth = r["peak"] - r["before_rss"]
    bound = 1.15 * C_BYTES_PER_ENTRY * L + 16 * 2**20
    print(f"int32: build {r['build']:.3f} s, solve {r['solve']:.3f} s, peak growth "
          f"{growth / 2**20:.0f} MiB (bound {bound / 2**20:.0f} MiB)")
    assert growth <= bound, (growth / 2**20, bound / 2**20)


def test_ten_million_entries_int64_converted_once(saved):
    r32 = run(saved, "int32")
    r = run(saved, "int64")
    assert r["first"] == r32["first"] and r["proposals"] == r32["proposals"]
    growth = r["peak"] - r["before_rss"]
    bound = 1.15 * C_BYTES_PER_ENTRY * L + 8 * L + 16 * 2**20
    print(f"int64: peak growth {growth / 2**20:.0f} MiB (bound {bound / 2**20:.0f} MiB)")
    assert growth <= bound, (growth / 2**20, bound / 2**20)
