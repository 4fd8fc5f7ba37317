"""Edge-list files from Python: Market.read_edges / Market.write_edges."""
import json

import numpy as np
import pytest

import techmatch as tm


def random_market(rng, ns, nd, k, ties=False):
    so, si, sr = [0], [], []
    listed = {}
    for s in range(ns):
        ds = rng.choice(nd, size=min(k, nd), replace=False)
        ranks = np.sort(rng.integers(0, 3, size=len(ds))) if ties else np.arange(len(ds))
        si.extend(int(d) for d in ds)
        sr.extend(int(r) for r in ranks)
        so.append(len(si))
        for d in ds:
            listed.setdefault(int(d), []).append(s)
    do, di, dr = [0], [], []
    for d in range(nd):
        ss = list(listed.get(d, []))
        rng.shuffle(ss)
        di.extend(ss)
        dr.extend(sorted(int(x) for x in rng.integers(0, 3, size=len(ss))) if ties
                  else range(len(ss)))
        do.append(len(di))
    caps = rng.integers(0, 4, size=ns)
    return tm.Market.from_arrays(so, si, do, di, caps, None,
                                 supply_ranks=sr if ties else None,
                                 demand_ranks=dr if ties else None)


def lists(m):
    """Per side and agent: the capacity and the sorted (rank, partner,
    reverse rank) triples (the order inside a tie is free)."""
    out = []
    for side in ("supply", "demand"):
        ls = m.lists(side)
        off, ids, ranks, rev = ls.offsets, ls.ids, ls.ranks, ls.reverse_ranks
        caps = m.capacities(side)
        for a in range(len(off) - 1):
            out.append((int(caps[a]), sorted(zip(ranks[off[a]:off[a + 1]].tolist(),
                                                 ids[off[a]:off[a + 1]].tolist(),
                                                 rev[off[a]:off[a + 1]].tolist()))))
    return out


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("ext", [".tsv", ".csv"])
def test_round_trip(tmp_path, ties, ext):
    m = random_market(np.random.default_rng(5), 300, 40, 6, ties=ties)
    path = tmp_path / ("m" + ext)
    m.write_edges(path)
    text = path.read_text()
    assert text.startswith("#! techmatch-edges 1\n#! supply 300\n#! demand 40\n")
    assert ("supply,demand,supply_rank,demand_rank" in text) == (ext == ".csv")
    a = tm.Market.read_edges(path, threads=1)
    b = tm.Market.read_edges(path, threads=2)
    assert lists(a) == lists(m) == lists(b)
    assert a.n_pairs == m.n_pairs
    if not ties:
        assert np.array_equal(a.solve().pairs, m.solve().pairs)


def test_same_matching_as_json(tmp_path):
    src = tmp_path / "m.json"
    doc = {"supply": [{"name": "a", "prefs": ["x", "y"]}, {"name": "b", "prefs": ["x"]}],
           "demand": [{"name": "x", "prefs": ["b", "a"]}, {"name": "y", "prefs": ["a"]}]}
    src.write_text(json.dumps(doc))
    j = tm.Market.from_json(src)
    j.write_edges(tmp_path / "m.txt")
    e = tm.Market.read_edges(tmp_path / "m.txt")
    mj, me = j.solve(), e.solve()
    assert np.array_equal(mj.pairs, me.pairs)
    assert list(me.partners(0)) == [1]


def test_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("supply,demand,supply_rank,demand_rank\n0,0,0,0\n0,1,x,0\n")
    with pytest.raises(tm.ParseError, match=r"bad.csv:3: field supply_rank"):
        tm.Market.read_edges(bad)
    dup = tmp_path / "dup.tsv"
    dup.write_text("supply\tdemand\tsupply_rank\tdemand_rank\n0\t0\t0\t0\n0\t0\t1\t1\n")
    with pytest.raises(tm.DuplicateError, match="also on line 2"):
        tm.Market.read_edges(dup)
    big = tmp_path / "big.tsv"
    big.write_text("#! supply 100\nsupply\tdemand\tsupply_rank\tdemand_rank\n")
    with pytest.raises(tm.OutOfRangeError, match="limit"):
        tm.Market.read_edges(big, max_agents=10)
    with pytest.raises(tm.InvalidArgumentError):
        tm.Market.read_edges(tmp_path / "x.json")
    with pytest.raises(tm.FileError):
        tm.Market.read_edges(tmp_path / "missing.tsv")
    odd = tmp_path / "odd.dat"
    odd.write_text("supply,demand,supply_rank,demand_rank\n0,0,0,-\n")
    m = tm.Market.read_edges(odd, separator=",", demand_capacity=3)
    assert m.n_pairs == 0 and m.n_dropped("supply") == 1 and m.capacities("demand")[0] == 3
