"""Generators of large markets in numpy (vectorised; no per-entry Python objects)."""
import numpy as np


def uniform(n_s, n_d, k, cap=10, seed=1):
    """Each supply agent lists k distinct demand agents in random order; each
    demand agent ranks those who listed it by an independent random score
    (the `uniform` model of bench/bench_da.c, with numpy's generator)."""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, n_d - k + 1, size=(n_s, k), dtype=np.int32)
    x.sort(axis=1)
    x += np.arange(k, dtype=np.int32)  # k distinct ids per row
    perm = np.argsort(rng.random((n_s, k), dtype=np.float32), axis=1)
    supply_ids = np.take_along_axis(x, perm, axis=1).ravel()
    del x, perm
    supply_off = np.arange(0, n_s * k + 1, k, dtype=np.int32)
    owner = np.repeat(np.arange(n_s, dtype=np.int32), k)
    order = np.lexsort((rng.random(n_s * k, dtype=np.float32), supply_ids))
    demand_ids = owner[order]
    del owner, order
    demand_off = np.zeros(n_d + 1, dtype=np.int32)
    np.cumsum(np.bincount(supply_ids, minlength=n_d), out=demand_off[1:])
    demand_cap = np.full(n_d, cap, dtype=np.int32)
    return supply_off, supply_ids, demand_off, demand_ids, demand_cap


def queue(n_s, k):
    """Everyone wants the same k sites (capacity 1) in the same order and every
    site ranks the supply agents the same way: about n_s * k proposals."""
    supply_ids = np.tile(np.arange(k, dtype=np.int32), n_s)
    supply_off = np.arange(0, n_s * k + 1, k, dtype=np.int32)
    demand_ids = np.tile(np.arange(n_s, dtype=np.int32), k)
    demand_off = np.arange(0, n_s * k + 1, n_s, dtype=np.int32)
    return supply_off, supply_ids, demand_off, demand_ids, None
