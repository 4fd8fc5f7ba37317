"""The lattice of stable matchings from Python (techmatch.Lattice,
Market.stable_matchings, Market.solve(objective=...)) against a brute force
written here from the definitions, on random tiny one-to-one and
many-to-one markets, plus the error paths."""
import itertools
import json
import os
import random

import numpy as np
import pandas as pd
import pytest

import techmatch as tm

N_INSTANCES = 3000


def random_market(rng, capside):
    """capside: None one-to-one, else the side (0, 1) whose capacities may exceed 1."""
    if capside is None:
        n = [rng.randint(2, 4), rng.randint(2, 4)]
        cap = [[1] * n[0], [1] * n[1]]
    else:
        n = [0, 0]
        n[capside] = rng.randint(1, 2)
        n[1 - capside] = rng.randint(1, 4)
        cap = [None, None]
        cap[capside] = [rng.randint(1, 3) for _ in range(n[capside])]
        cap[1 - capside] = [1] * n[1 - capside]
    keep = 1.0 if rng.random() < 0.5 else 0.7
    lists = [[], []]
    for side in (0, 1):
        for _ in range(n[side]):
            xs = [b for b in range(n[1 - side]) if rng.random() < keep]
            rng.shuffle(xs)
            lists[side].append(xs)
    if rng.random() < 0.6:  # opposed tastes: d likes best who likes d least
        for d in range(n[1]):
            xs = lists[1][d]
            pos = {s: (lists[0][s].index(d) if d in lists[0][s] else -1) for s in xs}
            xs.sort(key=lambda s: (-pos[s], rng.random()))
    return n, cap, lists


def build(n, cap, lists):
    so = np.cumsum([0] + [len(x) for x in lists[0]])
    do = np.cumsum([0] + [len(x) for x in lists[1]])
    flat = [np.array([b for x in lists[s] for b in x], dtype=np.int32) for s in (0, 1)]
    return tm.Market.from_arrays(so, flat[0], do, flat[1], cap[0], cap[1])


def brute(n, cap, lists):
    """Every stable matching as a sorted tuple of (s, d), with the ranks."""
    listed = [[set(x) for x in lists[s]] for s in (0, 1)]
    reduced = [[[b for b in lists[s][a] if a in listed[1 - s][b]] for a in range(n[s])]
               for s in (0, 1)]  # one-sided entries dropped, as the market does
    rank = [[{b: r for r, b in enumerate(x)} for x in reduced[s]] for s in (0, 1)]
    pairs = [(s, d) for s in range(n[0]) for d in lists[0][s] if s in rank[1][d]]

    def takes(side, a, partners, b):
        if len(partners) < cap[side][a]:
            return True
        return any(rank[side][a][b] < rank[side][a][p] for p in partners)

    out = []
    acceptable = [[d for d in lists[0][s] if s in rank[1][d]] for s in range(n[0])]

    def grow(s, m, load):  # every capacity-respecting set of pairs, agent by agent
        if s == n[0]:
            sp = [[d for (x, d) in m if x == a] for a in range(n[0])]
            dp = [[a for (a, y) in m if y == d] for d in range(n[1])]
            if not any((a, d) not in m and takes(0, a, sp[a], d) and takes(1, d, dp[d], a)
                       for (a, d) in pairs):
                out.append(tuple(sorted(m)))
            return
        for k in range(min(cap[0][s], len(acceptable[s])) + 1):
            for ds in itertools.combinations(acceptable[s], k):
                if all(load[d] < cap[1][d] for d in ds):
                    for d in ds:
                        load[d] += 1
                    grow(s + 1, m + [(s, d) for d in ds], load)
                    for d in ds:
                        load[d] -= 1

    grow(0, [], [0] * n[1])
    return rank, pairs, out


def as_set(matching):
    return tuple(sorted(map(tuple, matching.pairs.tolist())))


def test_random_markets():
    rng = random.Random(20261201)
    multi = 0
    for i in range(N_INSTANCES):
        n, cap, lists = random_market(rng, [None, 0, 1][i % 3])
        market = build(n, cap, lists)
        rank, pairs, stable = brute(n, cap, lists)
        multi += len(stable) > 1
        got = [as_set(m) for m in market.stable_matchings()]
        assert sorted(got) == sorted(stable) and len(set(got)) == len(got)
        assert market.count_stable_matchings() == (len(stable), True)
        limited = list(market.stable_matchings(limit=1))
        assert len(limited) == 1 and as_set(limited[0]) == got[0]
        assert market.count_stable_matchings(limit=1) == (1, len(stable) == 1)

        def cost(m):
            return sum(rank[0][s][d] + rank[1][d][s] for s, d in m)

        def regret(m):
            return max([max(rank[0][s][d], rank[1][d][s]) for s, d in m], default=-1)

        e = market.solve(objective="egalitarian")
        assert e.objective_value == min(map(cost, stable)) == cost(as_set(e))
        r = market.solve(objective="min-regret")
        assert r.objective_value == min(map(regret, stable)) == regret(as_set(r))
        b = market.solve(objective="balanced")
        gap = abs(sum(rank[0][s][d] for s, d in as_set(b)) - sum(rank[1][d][s] for s, d in as_set(b)))
        assert as_set(b) in stable and b.objective_value == gap
        w = np.array([rng.randint(-5, 5) for _ in pairs], dtype=float)
        index = {p: k for k, p in enumerate(pairs)}  # pairs are in supply-list order
        mw = market.solve(objective="max-weight", weights=w)
        best = max(sum(w[index[p]] for p in m) for m in stable)
        assert mw.objective_value == best == sum(w[index[p]] for p in as_set(mw))
        for m in (e, r, b, mw):
            assert m.check().stable
    assert multi >= 150


def test_side_optimal_objectives_and_repr():
    # the 3x3 cyclic market: three stable matchings in a chain
    m = tm.Market.from_lists({"a": ["x", "y", "z"], "b": ["y", "z", "x"], "c": ["z", "x", "y"]},
                             {"x": ["b", "c", "a"], "y": ["c", "a", "b"], "z": ["a", "b", "c"]})
    top = m.solve(objective="supply-optimal")
    assert top.objective_value == 0 and as_set(top) == as_set(m.solve())
    bottom = m.solve(objective="demand-optimal")
    assert bottom.objective_value == 0 and as_set(bottom) == as_set(m.solve(optimal="demand"))
    mid = m.solve(objective="min-regret")
    assert mid.objective_value == 1 and "min-regret 1" in repr(mid)
    lat = tm.Lattice(m)
    assert lat.n_rotations == 2 and lat.n_pairs == 3
    assert lat.rotation(0).tolist() == [[0, 0], [1, 1], [2, 2]]
    assert lat.predecessors(1).tolist() == [0] and lat.predecessors(0).tolist() == []
    assert repr(lat) == "<Lattice 2 rotations>"
    # weights as a DataFrame by names: 5 on (a, y) picks the middle matching
    best = m.solve(objective="max-weight",
                   weights=pd.DataFrame({"supply": ["a"], "demand": ["y"], "weight": [5.0]}))
    assert best.objective_value == 5.0 and best.partner("a") == "y"


def test_errors(tmp_path):
    m = tm.Market.from_lists({"a": ["x"]}, {"x": ["a"]})
    with pytest.raises(tm.InvalidArgumentError):
        m.solve(objective="nonsense")
    with pytest.raises(tm.InvalidArgumentError):
        m.solve(objective="max-weight")
    with pytest.raises(tm.InvalidArgumentError):
        m.solve(objective="max-weight", weights=[1.0, 2.0])
    with pytest.raises(tm.InvalidArgumentError):
        m.solve(objective="max-weight", weights=[float("nan")])
    with pytest.raises(tm.InvalidArgumentError):
        m.solve(objective="egalitarian", weights=[1.0])
    with pytest.raises(tm.InvalidArgumentError):
        m.solve(objective="demand-optimal", optimal="demand")
    with pytest.raises(tm.InvalidArgumentError):
        list(m.stable_matchings(limit=0))
    with pytest.raises(tm.InvalidArgumentError):
        m.count_stable_matchings(limit=True)
    with pytest.raises(tm.UnknownNameError):
        m.solve(objective="max-weight",
                weights=pd.DataFrame({"supply": ["a"], "demand": ["zz"], "weight": [1.0]}))
    two = tm.Market.from_lists({"a": ["x"], "b": ["y"]}, {"x": ["a"], "y": ["b"]})
    with pytest.raises(tm.InvalidArgumentError, match="not an acceptable pair"):
        two.solve(objective="max-weight",
                  weights=pd.DataFrame({"supply": ["a"], "demand": ["y"], "weight": [1.0]}))
    # many-to-many
    mm = tm.Market.from_arrays([0, 2, 4], [0, 1, 1, 0], [0, 2, 4], [0, 1, 1, 0], [2, 2], [2, 2])
    with pytest.raises(tm.UnsupportedError, match="many-to-many"):
        tm.Lattice(mm)
    # ties
    ties = tm.Market.from_lists({"a": [["x", "y"]], "b": ["x", "y"]}, {"x": ["a", "b"], "y": ["a", "b"]})
    with pytest.raises(tm.UnsupportedError, match="ties"):
        list(ties.stable_matchings())
    # groups (from JSON)
    path = tmp_path / "g.json"
    path.write_text(json.dumps({
        "supply": [{"name": "a", "prefs": ["x"]}],
        "demand": [{"name": "x", "prefs": ["a"]}],
        "groups": [{"name": "all", "members": ["x"], "cap": 1}]}))
    g = tm.Market.from_json(path)
    with pytest.raises(tm.UnsupportedError, match="groups"):
        g.solve(objective="egalitarian")
    with pytest.raises(tm.UnsupportedError, match="groups"):
        g.count_stable_matchings()


def test_cli_agrees():
    """solve --all and --objective give what Python gives (same C underneath)."""
    import subprocess
    build = os.environ.get("TM_BUILD_DIR")
    src = os.environ.get("TM_SOURCE_DIR")
    if not build or not src:
        pytest.skip("needs TM_BUILD_DIR and TM_SOURCE_DIR (set by ctest)")
    good = os.path.join(src, "tests", "cli", "data", "good.json")
    exe = os.path.join(build, "src", "techmatch")
    out = json.loads(subprocess.run([exe, "solve", good, "--all"], check=True,
                                    capture_output=True).stdout)
    m = tm.Market.from_json(good)
    py = [[[m.names("supply")[s], m.names("demand")[d]] for s, d in x.pairs.tolist()]
          for x in m.stable_matchings()]
    assert [x["pairs"] for x in out["matchings"]] == py and out["count"] == len(py)
    out = json.loads(subprocess.run([exe, "solve", good, "--objective", "min-regret"], check=True,
                                    capture_output=True).stdout)
    assert out["objective"] == {"name": "min-regret",
                                "value": m.solve(objective="min-regret").objective_value}


def test_instance_weights(tmp_path):
    """Market.from_json keeps the document's "weights" for objective "max-weight"."""
    doc = {"supply": [{"name": "a", "prefs": ["x", "y", "z"]}, {"name": "b", "prefs": ["y", "z", "x"]},
                      {"name": "c", "prefs": ["z", "x", "y"]}],
           "demand": [{"name": "x", "prefs": ["b", "c", "a"]}, {"name": "y", "prefs": ["c", "a", "b"]},
                      {"name": "z", "prefs": ["a", "b", "c"]}],
           "weights": [["a", "y", 2.5], ["b", "x", -1]]}
    path = tmp_path / "w.json"
    path.write_text(json.dumps(doc))
    m = tm.Market.from_json(path)
    best = m.solve(objective="max-weight")
    assert best.objective_value == 2.5 and best.partner("a") == "y"
    # written back with the market, and read again
    again = tm.Market.from_json_string(m.to_json())
    assert again.to_dict()["weights"] == [["a", "y", 2.5], ["b", "x", -1.0]]
    assert again.solve(objective="max-weight").objective_value == 2.5
    # explicit weights win over the document's
    w = np.zeros(m.n_pairs)
    assert m.solve(objective="max-weight", weights=w).objective_value == 0.0
    doc["weights"] = [["a", "nobody", 1]]
    path.write_text(json.dumps(doc))
    with pytest.raises(tm.UnknownNameError, match="weights"):
        tm.Market.from_json(path)
