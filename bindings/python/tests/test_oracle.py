"""A brute-force oracle in Python, independent of the library: on 1,500
random tiny markets, enumerate every matching that respects the capacities,
keep the stable ones (the definition of matching.h), and check that

- supply-proposing DA is stable and gives every supply agent its best
  partner over all stable matchings (supply-optimal);
- demand-proposing DA is stable and gives every supply agent its worst one
  (the demand-optimal matching is supply-pessimal); both leave the same
  agents unmatched (rural hospitals);
- the library's audit of random capacity-respecting matchings lists exactly
  the oracle's blocking pairs (many-to-many markets included).
"""
import itertools
import random

import numpy as np

import techmatch as tm

N_INSTANCES = 3000


def random_market(rng):
    n_s, n_d = rng.randint(1, 4), rng.randint(1, 3)
    many = rng.random() < 0.3  # many-to-many: supply capacities up to 2
    s_cap = [rng.randint(1, 2) if many else 1 for _ in range(n_s)]
    if rng.random() < 0.1:
        s_cap[0] = 0
    d_cap = [rng.randint(0 if rng.random() < 0.1 else 1, 2) for _ in range(n_d)]
    s_lists = [rng.sample(range(n_d), rng.randint(0, n_d)) for _ in range(n_s)]
    d_lists = [rng.sample(range(n_s), rng.randint(0, n_s)) for _ in range(n_d)]
    return n_s, n_d, s_cap, d_cap, s_lists, d_lists, many


def build(n_s, n_d, s_cap, d_cap, s_lists, d_lists):
    so = np.cumsum([0] + [len(x) for x in s_lists])
    do = np.cumsum([0] + [len(x) for x in d_lists])
    return tm.Market.from_arrays(so, [d for x in s_lists for d in x] or np.empty(0, np.int32),
                                 do, [s for x in d_lists for s in x] or np.empty(0, np.int32),
                                 s_cap, d_cap)


def oracle(n_s, n_d, s_cap, d_cap, s_lists, d_lists):
    """Every capacity-respecting matching of acceptable pairs, and the stable ones."""
    s_rank = [{d: r for r, d in enumerate(x)} for x in s_lists]
    d_rank = [{s: r for r, s in enumerate(x)} for x in d_lists]
    acceptable = [(s, d) for s in range(n_s) for d in s_lists[s] if s in d_rank[d]]

    def feasible(m):
        cs, cd = [0] * n_s, [0] * n_d
        for s, d in m:
            cs[s] += 1
            cd[d] += 1
        return all(cs[s] <= s_cap[s] for s in range(n_s)) and all(
            cd[d] <= d_cap[d] for d in range(n_d))

    def would_take(rank, cap, partners, b):
        if len(partners) < cap:
            return True
        return any(rank[b] < rank.get(p, 10**9) for p in partners)

    def blocking(m):
        ms = set(m)
        sp = [[d for (s2, d) in m if s2 == s] for s in range(n_s)]
        dp = [[s for (s, d2) in m if d2 == d] for d in range(n_d)]
        return sorted((s, d) for (s, d) in acceptable if (s, d) not in ms
                      and would_take(s_rank[s], s_cap[s], sp[s], d)
                      and would_take(d_rank[d], d_cap[d], dp[d], s))

    all_m = [m for k in range(len(acceptable) + 1)
             for m in itertools.combinations(acceptable, k) if feasible(m)]
    stable = [m for m in all_m if not blocking(m)]
    return s_rank, acceptable, all_m, stable, blocking


def test_oracle_random_markets():
    rng = random.Random(20110101)
    checked_optimal = audited = 0
    for _ in range(N_INSTANCES):
        inst = random_market(rng)
        n_s, n_d, s_cap, d_cap, s_lists, d_lists, many = inst
        market = build(*inst[:6])
        s_rank, acceptable, all_m, stable, blocking = oracle(*inst[:6])
        assert market.n_pairs == len(acceptable)
        assert stable, "a stable matching always exists"
        sup = market.solve("supply")
        dem = market.solve("demand")
        for mt in (sup, dem):
            got = tuple(sorted(map(tuple, mt.pairs.tolist())))
            assert got in {tuple(sorted(m)) for m in stable}
            assert mt.check().stable
        if not many:
            for s in range(n_s):
                options = [[d for (s2, d) in m if s2 == s] for m in stable]
                ranks = [s_rank[s][o[0]] if o else 10**9 for o in options]
                p_sup, p_dem = sup.partners(s), dem.partners(s)
                r_sup = s_rank[s][p_sup[0]] if p_sup else 10**9
                r_dem = s_rank[s][p_dem[0]] if p_dem else 10**9
                assert r_sup == min(ranks), (inst, s)
                assert r_dem == max(ranks), (inst, s)
                assert bool(p_sup) == bool(p_dem)  # rural hospitals
            checked_optimal += 1
        for m in rng.sample(all_m, min(3, len(all_m))):
            hand = tm.Matching.from_pairs(market, np.array(m, dtype=np.int64).reshape(-1, 2))
            v = hand.check()
            assert sorted(map(tuple, v.blocking_pairs.tolist())) == blocking(m)
            assert v.stable == (not blocking(m)) and not v.violations
            audited += 1
    assert checked_optimal > 1800 and audited > 3000
