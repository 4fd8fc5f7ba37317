"""The core API: constructors, accessors, solving, matchings, verdicts,
groups, statistics, repr and JSON round trips."""
import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import techmatch as tm
from conftest import CLI, CLI_DATA


@pytest.fixture
def small():
    # the README's C example: 3 commissioners x 2 sites
    return tm.Market.from_arrays([0, 2, 4, 5], [0, 1, 1, 0, 0], [0, 3, 5], [2, 0, 1, 0, 1],
                                 demand_capacity=[1, 2])


def test_from_arrays_and_accessors(small):
    m = small
    assert (m.n_supply, m.n_demand, m.n_pairs) == (3, 2, 5)
    assert m.capacities("supply").tolist() == [1, 1, 1]
    assert m.capacities(tm.Side.DEMAND).tolist() == [1, 2]
    lists = m.lists("supply")
    assert lists.offsets.tolist() == [0, 2, 4, 5] and lists.ids.tolist() == [0, 1, 1, 0, 0]
    assert lists.ranks.tolist() == [0, 1, 0, 1, 0]
    assert lists.reverse_ranks.tolist() == [1, 0, 1, 2, 0]
    assert lists[1].tolist() == [1, 0] and len(lists) == 3
    assert m.rank("demand", 0, 2) == 0 and m.rank("supply", 0, 1) == 1
    assert not m.has_ties and m.n_dropped("supply") == 0
    # strict market: 16 bytes per pair, 8 per agent, plus the header
    header = m.nbytes - 16 * m.n_pairs - 8 * (m.n_supply + m.n_demand) - 8
    assert 0 < header < 256
    assert repr(m) == "<Market 3 supply x 2 demand, 5 acceptable pairs>"


def test_int64_inputs_are_converted_once(small):
    m = tm.Market.from_arrays(*(np.array(x, dtype=np.int64) for x in
                                ([0, 2, 4, 5], [0, 1, 1, 0, 0], [0, 3, 5], [2, 0, 1, 0, 1])),
                              demand_capacity=np.array([1, 2], dtype=np.uint8))
    assert m.lists("demand").ids.tolist() == small.lists("demand").ids.tolist()
    assert m.solve().pairs.tolist() == small.solve().pairs.tolist()


def test_solve_both_sides(small):
    mt = small.solve()
    assert mt.pairs.tolist() == [[0, 0], [1, 1], [2, 0]] or mt.stable
    assert mt.optimal is tm.Side.SUPPLY and mt.stable and mt.n_proposals > 0
    assert mt.pairs.dtype == np.int32 and mt.pairs.shape == (mt.n_pairs, 2)
    assert not mt.pairs.flags.writeable
    dm = small.solve(optimal="demand")
    assert dm.optimal is tm.Side.DEMAND and dm.check().stable
    assert repr(mt) == f"<Matching {mt.n_pairs} pairs, stable, supply-optimal>"
    assert repr(dm).endswith("stable, demand-optimal>")
    st = mt.stats
    assert isinstance(st, tm.MatchingStats) and st.pairs == mt.n_pairs
    assert st.supply.agents == 3 and st.demand.seats == 3
    assert st.proposals == mt.n_proposals


def test_partner_and_partners(small):
    mt = small.solve()
    for s, d in mt.pairs.tolist():
        assert mt.partner(s) == d
        assert s in mt.partners(d, side="demand")
    named = tm.Market.from_lists({"c1": ["s2", "s1"], "c2": ["s1"]},
                                 {"s1": ["c1", "c2"], "s2": ["c1"]})
    mn = named.solve()
    assert mn.partner("c1") == "s2" and mn.partner("c2") == "s1"
    assert mn.partners("s1", side="demand") == ["c2"]
    g = tm.Market.from_lists({"a": ["x"], "b": ["x"]}, {"x": ["a", "b"]}, capacities={"x": 2})
    with pytest.raises(tm.InvalidArgumentError, match="partners"):
        g.solve().partner("x", side="demand")
    assert g.solve().partners("x", side="demand") == ["a", "b"]


def test_from_pairs_check_violations(small):
    # (1, 1) and (0, 1) fill d1; (2, 1) is unacceptable; d1 over capacity then
    mt = tm.Matching.from_pairs(small, [[0, 1], [1, 1], [2, 1]])
    v = mt.check()
    assert not v.stable and mt.optimal is None
    kinds = sorted(x.kind for x in v.violations)
    assert kinds == ["over_capacity", "unacceptable"]
    over = [x for x in v.violations if x.kind == "over_capacity"][0]
    assert (over.side, over.agent, over.count, over.capacity) == (1, 1, 3, 2)
    un = [x for x in v.violations if x.kind == "unacceptable"][0]
    assert (un.supply, un.demand) == (2, 1)
    assert v.blocking_pairs.dtype == np.int32 and v.blocking_pairs.shape[1] == 2
    assert "hand-built" in repr(mt) and "unstable" in repr(mt)
    # a blocking pair: c2 (id 2) alone likes d0 best and d0 prefers c2 most
    empty = tm.Matching.from_pairs(small, np.empty((0, 2), dtype=np.int64))
    v2 = empty.check()
    assert v2.n_blocking_pairs == 5 and v2.blocking_pairs.tolist()[0] == [0, 0]
    assert not bool(v2) and repr(v2).startswith("<Verdict unstable: 5 blocking pairs")
    by_name = tm.Matching.from_pairs(
        tm.Market.from_lists({"a": ["x"]}, {"x": ["a"]}), [("a", "x")])
    assert by_name.stable


def test_pair_ranks_histogram_partners_csr(small):
    mt = small.solve()
    sr, dr = mt.pair_ranks()
    for (s, d), r1, r2 in zip(mt.pairs.tolist(), sr, dr):
        assert small.rank("supply", s, d) == r1 and small.rank("demand", d, s) == r2
    h = mt.rank_histogram("supply")
    assert h.dtype == np.int64 and h.sum() == mt.n_pairs
    assert h.tolist() == np.bincount(sr, minlength=len(h)).tolist()
    off, part, ranks = mt.partners_csr("demand")
    assert off.tolist()[-1] == mt.n_pairs and len(off) == 3
    assert mt.rank_histogram("demand", 1).tolist() == [int((dr == 0).sum())]


def test_ties_from_lists_solved_by_tie_breaking():
    m = tm.Market.from_lists({"c1": [["s1", "s2"]], "c2": ["s1"]},
                             {"s1": ["c2", "c1"], "s2": ["c1"]})
    assert m.has_ties
    assert m.rank("supply", "c1", "s1") == m.rank("supply", "c1", "s2") == 0
    mt = m.solve()  # ties broken by position: s1 prefers c2, so c1 takes s2
    assert mt.pairs.tolist() == [[0, 1], [1, 0]] and mt.check().stable
    assert tm.Matching.from_pairs(m, [("c1", "s2"), ("c2", "s1")]).check().stable


def test_ranked_arrays_ties():
    m = tm.Market.from_arrays([0, 2], [0, 1], [0, 1, 2], [0, 0], supply_ranks=[5, 5])
    assert m.has_ties and m.lists("supply").ranks.tolist() == [0, 0]


def test_from_dataframe():
    df = pd.DataFrame({"c": ["a", "a", "b", "b"], "s": ["x", "y", "x", "y"],
                       "cr": [1.0, 2.0, 2.0, 1.0], "sr": [2, 1, 1, 2]})
    m = tm.Market.from_dataframe(df, supply="c", demand="s", supply_rank="cr", demand_rank="sr")
    assert m.supply_names == ["a", "b"] and m.demand_names == ["x", "y"]
    mt = m.solve()
    out = mt.to_dataframe()
    assert list(out.columns) == ["supply", "demand", "supply_name", "demand_name",
                                 "supply_rank", "demand_rank"]
    assert out[["supply_name", "demand_name"]].values.tolist() == [["a", "x"], ["b", "y"]]
    assert m.solve("demand").to_dataframe()["demand_name"].tolist() == ["y", "x"]
    with pytest.raises(tm.InvalidArgumentError, match="no column 'nope'"):
        tm.Market.from_dataframe(df, supply="nope")
    bad = df.assign(cr=[1.0, np.nan, 1.0, 2.0])
    with pytest.raises(tm.InvalidArgumentError, match="cr: row 1 has a NaN rank"):
        tm.Market.from_dataframe(bad, supply="c", demand="s", supply_rank="cr", demand_rank="sr")
    capped = tm.Market.from_dataframe(df, supply="c", demand="s", supply_rank="cr",
                                      demand_rank="sr", demand_capacity={"x": 2})
    assert capped.capacities("demand").tolist() == [2, 1]
    dup = pd.concat([df, df.iloc[:1]])
    with pytest.raises(tm.DuplicateError):
        tm.Market.from_dataframe(dup, supply="c", demand="s", supply_rank="cr", demand_rank="sr")


def test_groups_caps_floors_priority():
    m = tm.Market.from_lists({"a": ["x", "y"], "b": ["x", "y"], "c": ["y"]},
                             {"x": ["a", "b"], "y": ["c", "a", "b"]},
                             demand_capacity={"x": 2, "y": 2})
    g = tm.Groups(m)
    assert g.add(["x", "y"], cap=2, name="all") == 0
    assert g.add([0], cap=2, floor=1, name="food") == 1
    g.validate()
    g.set_priority([2, 1, 0])
    assert (len(g), g.cap(0), g.floor(1), g.name(1)) == (2, 2, 1, "food")
    assert g.members(0).tolist() == [0, 1]
    mt = m.solve(groups=g)
    assert mt.n_pairs == 2 and mt.check().stable
    assert g.count(0, mt) == 2 and "under groups" in repr(mt)
    with pytest.raises(tm.UnsupportedError):
        m.solve("demand", groups=g)
    bad = tm.Groups(m)
    bad.add(["x"], cap=1)
    bad.add(["x", "y"], cap=1)
    bad.add(["y"], cap=0, floor=0)
    bad.add([0], cap=3, floor=2)
    with pytest.raises(tm.InfeasibleError):
        bad.validate()
    cross = tm.Groups(tm.Market.from_lists({"a": []}, {"x": [], "y": [], "z": []}))
    cross.add(["x", "y"], cap=1)
    cross.add(["y", "z"], cap=1)
    with pytest.raises(tm.InvalidArgumentError, match="laminar"):
        cross.validate()
    with pytest.raises(tm.InvalidArgumentError, match="floor"):
        tm.Groups(m).add(["x"], cap=1, floor=2)
    other = tm.Market.from_lists({"a": ["x"]}, {"x": ["a"]})
    with pytest.raises(tm.InvalidArgumentError, match="sized for"):
        other.solve(groups=g)


@pytest.mark.parametrize("name", ["good.json", "chinese.json", "groups_cap.json",
                                  "groups_floor.json", "empty_sides.json", "tie.json"])
def test_json_round_trip(name, tmp_path):
    m = tm.Market.from_json(CLI_DATA / name)
    path = tmp_path / "m.json"
    text = m.to_json(path)
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(text)
    back = tm.Market.from_json(path)
    for side in ("supply", "demand"):
        a, b = m.lists(side), back.lists(side)
        assert a.offsets.tolist() == b.offsets.tolist() and a.ids.tolist() == b.ids.tolist()
        assert a.ranks.tolist() == b.ranks.tolist()
        assert m.capacities(side).tolist() == back.capacities(side).tolist()
        assert m.names(side) == back.names(side)
    if m.groups is not None:
        assert back.groups is not None and len(back.groups) == len(m.groups)
        for i in range(len(m.groups)):
            assert back.groups.name(i) == m.groups.name(i)
            assert back.groups.members(i).tolist() == m.groups.members(i).tolist()
    if not m.has_ties:
        assert back.solve().pairs.tolist() == m.solve().pairs.tolist()
    s = tm.Market.from_json_string(text, "again")
    assert s.n_pairs == m.n_pairs


def test_bulk_accessors_match_per_agent(small):
    for side in ("supply", "demand"):
        lists = small.lists(side)
        for a in range(len(lists)):
            for j in range(lists.offsets[a], lists.offsets[a + 1]):
                assert small.rank(side, a, int(lists.ids[j])) == lists.ranks[j]
