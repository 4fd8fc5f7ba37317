"""Markets with ties from Python: Market.solve(stability=, max_cardinality=,
seed=), techmatch.NoSuchMatching and Matching.check(stability=), against a
reading of the definitions of matching.h (TmStability) written here and a
brute force over every matching of small random markets; and the same
documents as ``techmatch solve --stability`` / ``check --stability``.

The strong, super and max-cardinality solves assert the right answers; they
fail until those solvers are in the library (UnsupportedError "not
implemented yet" before)."""
import json
import random
import subprocess

import numpy as np
import pytest

import techmatch as tm
from conftest import CLI, CLI_DATA

TIES = CLI_DATA / "ties"
NOTIONS = ("weak", "strong", "super")
N_CHECK = 2000  # random markets for check(stability=...)
N_SOLVE = 1000  # random markets for the solvers, each brute-forced

# ---- random markets with ties -----------------------------------------------


def random_market(rng, shape):
    """A small market with ties.  shape: "1-1", "supply-cap" or "demand-cap"
    (which side may have capacities above 1).  Returns (n, cap, lists):
    lists[side][a] is a list of tie groups (lists of ids), best first."""
    n = [rng.randint(1, 5), rng.randint(1, 5)]
    cap = [[1] * n[0], [1] * n[1]]
    if shape != "1-1":
        side = 0 if shape == "supply-cap" else 1
        n[side] = rng.randint(1, 3)
        cap[side] = [rng.randint(0 if rng.random() < 0.1 else 1, 3) for _ in range(n[side])]
    keep = 1.0 if rng.random() < 0.5 else 0.7
    p_tie = rng.choice((0.2, 0.5, 0.9))
    lists = [[], []]
    for side in (0, 1):
        for _ in range(n[side]):
            xs = [b for b in range(n[1 - side]) if rng.random() < keep]
            rng.shuffle(xs)
            groups = []
            for b in xs:
                if groups and rng.random() < p_tie:
                    groups[-1].append(b)
                else:
                    groups.append([b])
            lists[side].append(groups)
    return n, cap, lists


class Reading:
    """The market as the definitions see it: who accepts whom and ranks."""

    def __init__(self, n, cap, lists):
        self.n, self.cap, self.lists = n, cap, lists
        # rank[side][a][b]: the tie group index a gives b (listed by a)
        self.rank = [[{b: r for r, g in enumerate(lists[s][a]) for b in g} for a in range(n[s])]
                     for s in (0, 1)]
        self.pairs = [(s, d) for s in range(n[0]) for d in range(n[1])
                      if d in self.rank[0][s] and s in self.rank[1][d]]
        self.acceptable = set(self.pairs)

    def market(self):
        offs, ids, ranks = [], [], []
        for s in (0, 1):
            o, i, r = [0], [], []
            for groups in self.lists[s]:
                for k, g in enumerate(groups):
                    i.extend(g)
                    r.extend([k] * len(g))
                o.append(len(i))
            offs.append(np.array(o, np.int64))
            ids.append(np.array(i, np.int64))
            ranks.append(np.array(r, np.int64))
        return tm.Market.from_arrays(offs[0], ids[0], offs[1], ids[1], self.cap[0], self.cap[1],
                                     supply_ranks=ranks[0], demand_ranks=ranks[1])

    def gain(self, side, a, b, held):
        """2: a gains strictly from b, 1: weakly only (b ties its worst
        partner), 0: not at all.  @held: a's partners."""
        if len(held) < self.cap[side][a]:
            return 2
        if not held:
            return 0
        pair = (lambda x: (a, x)) if side == 0 else (lambda x: (x, a))
        worst = max(self.rank[side][a][x] if pair(x) in self.acceptable else float("inf")
                    for x in held)
        r = self.rank[side][a][b]
        return 2 if r < worst else 1 if r == worst else 0

    def blocking(self, M, notion):
        """The blocking pairs of matching M (a set of (s, d)) under @notion."""
        held = [[[] for _ in range(self.n[s])] for s in (0, 1)]
        for s, d in M:
            held[0][s].append(d)
            held[1][d].append(s)
        out = []
        for s, d in self.pairs:
            if (s, d) in M:
                continue
            gs, gd = self.gain(0, s, d, held[0][s]), self.gain(1, d, s, held[1][d])
            if notion == "weak":
                blocks = gs == 2 and gd == 2
            elif notion == "strong":
                blocks = gs >= 1 and gd >= 1 and max(gs, gd) == 2
            else:
                blocks = gs >= 1 and gd >= 1
            if blocks:
                out.append((s, d))
        return out

    def all_matchings(self):
        """Every capacity-respecting matching over the acceptable pairs."""
        out = []
        load = [[0] * self.n[0], [0] * self.n[1]]

        def go(i, chosen):
            if i == len(self.pairs):
                out.append(frozenset(chosen))
                return
            go(i + 1, chosen)
            s, d = self.pairs[i]
            if load[0][s] < self.cap[0][s] and load[1][d] < self.cap[1][d]:
                load[0][s] += 1
                load[1][d] += 1
                chosen.append((s, d))
                go(i + 1, chosen)
                chosen.pop()
                load[0][s] -= 1
                load[1][d] -= 1

        go(0, [])
        return out

    def weakly_prefers(self, side, a, M1, M2):
        """Agent a's partners in M1 are pointwise at least as good as in M2
        and at least as many."""
        def ranks(M):
            return sorted(self.rank[side][a][p[1 - side]] for p in M if p[side] == a)
        r1, r2 = ranks(M1), ranks(M2)
        return len(r1) >= len(r2) and all(x <= y for x, y in zip(r1, r2))


def pairs_of(matching):
    return frozenset((int(s), int(d)) for s, d in matching.pairs.tolist())


def markets(count, seed):
    rng = random.Random(seed)
    for i in range(count):
        shape = ("1-1", "supply-cap", "demand-cap")[i % 3]
        n, cap, lists = random_market(rng, shape)
        yield i, shape, Reading(n, cap, lists), rng


def describe(i, shape, rd):
    return f"market {i} ({shape}): n={rd.n} cap={rd.cap} lists={rd.lists}"


# ---- hand-worked instances (tests/cli/data/ties; see test_cli_ties.c) ------


def names(m, matching):
    return sorted([m.supply_names[s], m.demand_names[d]] for s, d in matching.pairs.tolist())


CROSS = [["m1", "w2"], ["m2", "w1"]]
STRAIGHT = [["m1", "w1"], ["m2", "w2"]]


def test_weak_default_and_explicit():
    m = tm.Market.from_json(TIES / "strong_only.json")
    for kw in ({}, {"stability": "weak"}):
        mt = m.solve(**kw)
        assert names(m, mt) == STRAIGHT
        assert mt.stability == "weak" and mt.stable
    assert names(m, m.solve("demand")) == STRAIGHT
    # existing signatures keep working
    assert names(m, m.solve("supply", None, None, None)) == STRAIGHT
    assert m.solve(objective="supply-optimal").objective_value == 1


def test_super_solve():
    m = tm.Market.from_json(TIES / "super.json")
    for optimal in ("supply", "demand"):
        mt = m.solve(optimal, stability="super")
        assert names(m, mt) == STRAIGHT
        assert mt.stability == "super"
        assert mt.check().stability == "super" and mt.stable
        assert mt.check(stability="super").n_blocking_pairs == 0
    hr = tm.Market.from_json(TIES / "super_hr.json")
    mt = hr.solve(stability="super")
    assert names(hr, mt) == [["r1", "h1"], ["r2", "h1"], ["r3", "h2"]]
    assert "super stability" in repr(mt)


def test_strong_solve():
    m = tm.Market.from_json(TIES / "strong_only.json")
    for optimal in ("supply", "demand"):
        mt = m.solve(optimal, stability="strong")
        assert names(m, mt) == CROSS
        assert mt.check().stable and not mt.check(stability="super").stable
    mt = m.solve(objective="supply-optimal", stability="strong")
    assert mt.objective_value == 0
    assert names(tm.Market.from_json(TIES / "super.json"),
                 tm.Market.from_json(TIES / "super.json").solve(stability="strong")) == STRAIGHT


@pytest.mark.parametrize("name,stability", [("no_strong.json", "strong"),
                                            ("no_strong.json", "super"),
                                            ("strong_only.json", "super")])
def test_no_such_matching(name, stability):
    m = tm.Market.from_json(TIES / name)
    with pytest.raises(tm.NoSuchMatching) as e:
        m.solve(stability=stability)
    assert e.value.code_name == "NO_SUCH_MATCHING"
    assert isinstance(e.value, tm.Error) and not isinstance(e.value, tm.InputError)
    with pytest.raises(tm.NoSuchMatchingError):
        m.solve("demand", stability=stability)
    assert m.solve().check().stable  # a weakly stable one always exists


def test_max_cardinality_hand():
    m = tm.Market.from_json(TIES / "maxcard.json")
    assert names(m, m.solve()) == [["m1", "w1"]]
    for optimal in ("supply", "demand"):
        mt = m.solve(optimal, max_cardinality=True)
        assert names(m, mt) == CROSS
        assert mt.max_cardinality and mt.stability == "weak" and mt.stable
    hr = tm.Market.from_json(TIES / "maxcard_hr.json")
    assert names(hr, hr.solve(max_cardinality=True)) == [["r1", "h1"], ["r2", "h2"]]


def test_arguments():
    m = tm.Market.from_json(TIES / "strong_only.json")
    bad = [dict(stability="bogus"), dict(stability="STRONG"), dict(stability=1),
           dict(stability=None), dict(seed=-1), dict(seed=2 ** 64), dict(seed=1.5),
           dict(seed="3"), dict(seed=True), dict(max_cardinality=1),
           dict(max_cardinality="yes"), dict(max_cardinality=True, stability="strong"),
           dict(max_cardinality=True, stability="super"), dict(seed=1, stability="strong"),
           dict(seed=1, stability="super"), dict(seed=1, max_cardinality=True)]
    for kw in bad:
        with pytest.raises(tm.InvalidArgumentError):
            m.solve(**kw)
    good = tm.Market.from_json(CLI_DATA / "good.json")
    for objective in ("egalitarian", "min-regret", "balanced"):
        for kw in (dict(stability="strong"), dict(seed=1), dict(max_cardinality=True)):
            with pytest.raises(tm.InvalidArgumentError):
                good.solve(objective=objective, **kw)
        assert good.solve(objective=objective, stability="weak").stable
    mt = m.solve()
    for notion in ("bogus", 0, "Weak"):
        with pytest.raises(tm.InvalidArgumentError):
            mt.check(stability=notion)
        with pytest.raises(tm.InvalidArgumentError):
            mt.to_json(stability=notion)
    # the extremes of the seed range are fine
    assert m.solve(seed=0).stable and m.solve(seed=2 ** 64 - 1).stable
    assert m.solve(seed=np.uint64(2 ** 64 - 1)).stable
    # strict market: the notions coincide, the options change nothing
    base = good.solve().pairs.tolist()
    for kw in (dict(stability="strong"), dict(stability="super"), dict(max_cardinality=True),
               dict(seed=9)):
        assert good.solve(**kw).pairs.tolist() == base


def test_groups_with_ties():
    m = tm.Market.from_json(TIES / "groups_tie.json")
    assert m.groups is not None and m.has_ties
    mt = m.solve()  # tie breaking under the groups works
    with pytest.raises(tm.UnsupportedError):
        mt.check()  # the groups' audit needs strict lists
    with pytest.raises(tm.UnsupportedError):
        mt.to_json()
    for kw in (dict(stability="strong"), dict(stability="super"), dict(max_cardinality=True)):
        with pytest.raises(tm.UnsupportedError):
            m.solve(**kw)
    cli = subprocess.run([str(CLI), "solve", str(TIES / "groups_tie.json")], capture_output=True,
                         text=True)
    assert cli.returncode == 2 and cli.stdout == "" and "strict" in cli.stderr
    # strict lists under groups: the groups' audit whatever the notion
    g = tm.Market.from_json(CLI_DATA / "groups_cap.json")
    mt = g.solve(stability="strong")
    assert mt.check().stable and mt.check(stability="super").stable


# ---- seeds ------------------------------------------------------------------


def test_seed_reproducible():
    m = tm.Market.from_json(TIES / "many_ties.json")
    again = tm.Market.from_json(TIES / "many_ties.json")
    seen = set()
    for seed in range(10):
        a = m.solve(seed=seed)
        assert a.seed == seed and a.stable and a.n_pairs == 4
        assert a.pairs.tolist() == m.solve(seed=seed).pairs.tolist()
        assert a.pairs.tolist() == again.solve(seed=seed).pairs.tolist()
        assert a.to_json() == again.solve(seed=seed).to_json()
        seen.add(tuple(map(tuple, a.pairs.tolist())))
    assert len(seen) >= 2, seen
    # without a seed: list order
    assert m.solve().pairs.tolist() == [[0, 0], [1, 1], [2, 2], [3, 3]]
    # the same seed as the CLI's gives the same document
    for seed in (3, 2 ** 63 + 5):
        cli = subprocess.run([str(CLI), "solve", str(TIES / "many_ties.json"), "--seed",
                              str(seed)], capture_output=True, text=True)
        assert cli.returncode == 0, cli.stderr
        assert m.solve(seed=seed).to_json().rstrip("\n") == cli.stdout.rstrip("\n")


def test_seed_random_markets():
    """Seeded tie breaking: weakly stable, reproducible, on random markets."""
    for i, shape, rd, rng in markets(200, 11):
        m = rd.market()
        seed = rng.randrange(2 ** 64)
        for optimal in ("supply", "demand"):
            a = m.solve(optimal, seed=seed)
            assert rd.blocking(pairs_of(a), "weak") == [], describe(i, shape, rd)
            assert a.pairs.tolist() == m.solve(optimal, seed=seed).pairs.tolist()


# ---- check(stability=...) against the definitions ---------------------------


def test_check_against_definitions():
    count = 0
    for i, shape, rd, rng in markets(N_CHECK, 7):
        m = rd.market()
        everyone = [(s, d) for s in range(rd.n[0]) for d in range(rd.n[1])]
        trials = [pairs_of(m.solve()), pairs_of(m.solve("demand"))]
        for _ in range(4):
            # any pairs: unacceptable ones and over capacity included
            k = rng.randint(0, len(everyone))
            trials.append(frozenset(rng.sample(everyone, k)))
        for _ in range(2):
            if rd.pairs:
                k = rng.randint(0, len(rd.pairs))
                trials.append(frozenset(rng.sample(rd.pairs, k)))
        for M in trials:
            mt = tm.Matching.from_pairs(m, sorted(M) if M else np.empty((0, 2), np.int64))
            for notion in NOTIONS:
                v = mt.check(stability=notion)
                got = [tuple(p) for p in v.blocking_pairs.tolist()]
                want = rd.blocking(M, notion)
                assert sorted(got) == sorted(want), (describe(i, shape, rd), sorted(M), notion)
                # ordered by supply id, then the supply agent's rank
                keys = [(s, rd.rank[0][s][d]) for s, d in got]
                assert keys == sorted(keys)
                assert v.stability == notion
                assert v.stable == (not want and not v.violations)
            count += 1
            # super-blocking contains strong-blocking contains weak-blocking
            w, s_, p = (set(rd.blocking(M, x)) for x in NOTIONS)
            assert w <= s_ <= p
    assert count >= N_CHECK * 6


def test_check_equals_cli():
    cases = [("strong_only.json", "strong_only_weak.json"),
             ("strong_only.json", "strong_only_strong.json"),
             ("no_strong.json", "no_strong_matching.json")]
    for inst, mfile in cases:
        m = tm.Market.from_json(TIES / inst)
        mt = tm.Matching.from_json(m, TIES / mfile)
        for notion in NOTIONS:
            cli = subprocess.run([str(CLI), "check", str(TIES / inst), str(TIES / mfile),
                                  "--stability", notion], capture_output=True, text=True)
            v = mt.check(stability=notion)
            assert cli.returncode == (0 if v.stable else 1), cli.stderr
            doc = json.loads(cli.stdout)
            assert doc["stability"] == notion
            assert doc["blocking_pairs"] == [[m.supply_names[s], m.demand_names[d]]
                                             for s, d in v.blocking_pairs.tolist()]


# ---- the solvers against a brute force --------------------------------------


def brute_force(rd):
    """{notion: the matchings stable in that sense}, from every matching."""
    stable = {x: [] for x in NOTIONS}
    for M in rd.all_matchings():
        for x in NOTIONS:
            if not rd.blocking(M, x):
                stable[x].append(M)
    return stable


@pytest.fixture(scope="module")
def solved_markets():
    out = []
    for i, shape, rd, _ in markets(N_SOLVE, 23):
        out.append((i, shape, rd, rd.market(), brute_force(rd)))
    return out


def test_weak_against_brute_force(solved_markets):
    for i, shape, rd, m, stable in solved_markets:
        assert stable["weak"], describe(i, shape, rd)  # always exists
        for optimal in ("supply", "demand"):
            M = pairs_of(m.solve(optimal))
            assert M in stable["weak"], describe(i, shape, rd)


def hospital_side_proposes(rd, m, side):
    """Strong stability from the side with capacities above 1 of a
    many-to-one market with ties is not implemented (solve.h):
    UnsupportedError.  (Without ties deferred acceptance answers.)"""
    return m.has_ties and max(rd.cap[side], default=0) > 1


@pytest.mark.parametrize("notion", ["strong", "super"])
def test_strong_super_against_brute_force(solved_markets, notion):
    found = none = refused = 0
    for i, shape, rd, m, stable in solved_markets:
        for optimal, side in (("supply", 0), ("demand", 1)):
            if notion == "strong" and hospital_side_proposes(rd, m, side):
                with pytest.raises(tm.UnsupportedError) as e:
                    m.solve(optimal, stability=notion)
                assert optimal in e.value.message
                refused += 1
                continue
            if not stable[notion]:
                with pytest.raises(tm.NoSuchMatching):
                    m.solve(optimal, stability=notion)
                none += 1
                continue
            mt = m.solve(optimal, stability=notion)
            M = pairs_of(mt)
            assert M in stable[notion], (describe(i, shape, rd), optimal, sorted(M))
            assert mt.check().stable and mt.stability == notion
            found += 1
            # optimal for the proposing side among the matchings of that notion
            for other in stable[notion]:
                for a in range(rd.n[side]):
                    assert rd.weakly_prefers(side, a, M, other), (
                        describe(i, shape, rd), optimal, sorted(M), sorted(other))
    # the random markets cover both answers
    assert found > 50 and none > 20, (found, none, refused)


def test_max_cardinality_against_brute_force(solved_markets):
    ratios = []
    for i, shape, rd, m, stable in solved_markets:
        largest = max(len(M) for M in stable["weak"])
        for optimal in ("supply", "demand"):
            mt = m.solve(optimal, max_cardinality=True)
            M = pairs_of(mt)
            assert rd.blocking(M, "weak") == [], (describe(i, shape, rd), optimal, sorted(M))
            assert M in stable["weak"]
            assert 3 * len(M) >= 2 * largest, (describe(i, shape, rd), optimal, sorted(M),
                                                largest)
            ratios.append(len(M) / largest if largest else 1.0)
    assert min(ratios) >= 2 / 3


# ---- the same documents as the CLI ------------------------------------------

INSTANCES = sorted(p for p in TIES.glob("*.json")
                   if "matching" not in p.name and p.name != "groups_tie.json"
                   and not p.name.startswith(("strong_only_",)))


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.name)
@pytest.mark.parametrize("notion", NOTIONS)
def test_solve_equals_cli(path, notion):
    m = tm.Market.from_json(path)
    for optimal in ("supply", "demand"):
        cli = subprocess.run([str(CLI), "solve", str(path), "--stability", notion, "--optimal",
                              optimal], capture_output=True, text=True)
        try:
            mt = m.solve(optimal, stability=notion)
        except tm.NoSuchMatching:
            assert cli.returncode == 3 and cli.stdout == "", cli.stderr
            assert len(cli.stderr.splitlines()) == 1
            continue
        except tm.UnsupportedError as e:
            # capacities above 1 on both sides, or strong stability from
            # the side with capacities above 1 (not implemented, solve.h)
            caps = m.capacities(optimal)
            assert notion != "weak"
            assert path.name == "many_to_many.json" or (notion == "strong" and caps.max() > 1)
            assert cli.returncode == 2 and cli.stdout == "" and e.message in cli.stderr
            continue
        assert cli.returncode == 0, cli.stderr
        assert mt.to_json().rstrip("\n") == cli.stdout.rstrip("\n")
        assert json.loads(cli.stdout)["stability"] == notion


@pytest.mark.parametrize("path", INSTANCES, ids=lambda p: p.name)
def test_max_cardinality_equals_cli(path):
    m = tm.Market.from_json(path)
    for optimal in ("supply", "demand"):
        cli = subprocess.run([str(CLI), "solve", str(path), "--max-cardinality", "--optimal",
                              optimal], capture_output=True, text=True)
        if path.name == "many_to_many.json":
            with pytest.raises(tm.UnsupportedError) as e:
                m.solve(optimal, max_cardinality=True)
            assert cli.returncode == 2 and cli.stdout == "" and e.value.message in cli.stderr
            continue
        assert cli.returncode == 0, cli.stderr
        mt = m.solve(optimal, max_cardinality=True)
        assert mt.to_json().rstrip("\n") == cli.stdout.rstrip("\n")
