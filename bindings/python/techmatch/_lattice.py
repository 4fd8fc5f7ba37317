"""The lattice of stable matchings: rotations, enumeration and optimal stable
matchings (``techmatch/lattice.h``)."""
from __future__ import annotations

from typing import Any, Iterator, List, Optional, Tuple

import numpy as np

from . import core as _core
from ._errors import InvalidArgumentError, UnsupportedError
from ._market import Market, Matching, _Handle

__all__ = ["Lattice", "OBJECTIVES"]

#: the values of ``Market.solve(objective=...)``
OBJECTIVES = ("supply-optimal", "demand-optimal", "egalitarian", "min-regret", "max-weight",
              "balanced")


def _limit(limit: Optional[int]) -> int:
    if limit is None:
        return 0
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1:
        raise InvalidArgumentError(f"limit: expected None or an integer >= 1, got {limit!r}")
    return int(limit)


class Lattice:
    """The rotations of a market and everything computed from them.

    Strict lists only; one-to-one, or many-to-one with capacities above 1 on
    one side (either one); no groups.  ``Lattice(market)`` raises
    UnsupportedError otherwise (ties, many-to-many).

    Attributes
    ----------
    market : Market
    """

    def __init__(self, market: Market) -> None:
        if not isinstance(market, Market):
            raise InvalidArgumentError(f"market: expected techmatch.Market, got {market!r}")
        self.market = market
        self._h = _Handle(_core.tm_lattice_new(market._ptr), _core.tm_lattice_free)

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    @property
    def n_rotations(self) -> int:
        """Number of rotations (0 when there is one stable matching)."""
        return int(_core.tm_lattice_n_rotations(self._ptr))

    @property
    def n_pairs(self) -> int:
        """Pairs in every stable matching (the same number in all)."""
        return int(_core.tm_lattice_n_pairs(self._ptr))

    def rotation(self, r: int) -> np.ndarray:
        """Rotation *r* as an (k, 2) int32 array of (supply, demand): supply[i]
        leaves demand[i] for demand[(i + 1) % k].  Rotations are numbered in
        a topological order of their precedence."""
        _, n = _core.tm_lattice_rotation(self._ptr, int(r), None, None, 0)
        s = np.empty(n, dtype=np.int32)
        d = np.empty(n, dtype=np.int32)
        _core.tm_lattice_rotation(self._ptr, int(r), s, d, n)
        return np.column_stack((s, d))

    def predecessors(self, r: int) -> np.ndarray:
        """The rotations with an edge into *r* (their transitive closure is all
        of *r*'s predecessors), ascending."""
        _, n = _core.tm_lattice_rotation_predecessors(self._ptr, int(r), None, 0)
        out = np.empty(n, dtype=np.int32)
        _core.tm_lattice_rotation_predecessors(self._ptr, int(r), out, n)
        return out

    def count(self, limit: Optional[int] = None) -> Tuple[int, bool]:
        """(number of stable matchings, complete): counting stops at *limit*;
        *complete* says whether the number is the whole count."""
        n, complete = _core.tm_lattice_count(self._ptr, _limit(limit))
        if n < 0:
            raise MemoryError("tm_lattice_count: out of memory")
        return int(n), bool(complete)

    def stable_matchings(self, limit: Optional[int] = None) -> Iterator[Matching]:
        """Yields every stable matching (at most *limit*), the supply-optimal one
        first; each is computed when asked for, so the set is never held."""
        lim = _limit(limit)
        it = _Handle(_core.tm_lattice_enumerate(self._ptr, lim), _core.tm_stable_iter_free)
        n = self.n_pairs
        while True:
            s = np.empty(n, dtype=np.int32)
            d = np.empty(n, dtype=np.int32)
            if not _core.tm_stable_iter_next(it.ptr, s, d, n):
                return
            yield Matching(_core.tm_matching_new_from_pairs(self.market._ptr, s, d, n),
                           self.market)

    def _wrap(self, ptr: Any, objective: str, value: Any) -> Matching:
        m = Matching(ptr, self.market)
        m.objective = objective
        m.objective_value = value
        return m

    def egalitarian(self) -> Matching:
        """The stable matching of least total rank over both sides
        (``.objective_value``: that total)."""
        ptr, v = _core.tm_lattice_egalitarian(self._ptr)
        return self._wrap(ptr, "egalitarian", int(v))

    def min_regret(self) -> Matching:
        """A stable matching whose worst rank (over both sides) is least
        (``.objective_value``: that rank, -1 when nobody is matched)."""
        ptr, v = _core.tm_lattice_min_regret(self._ptr)
        return self._wrap(ptr, "min-regret", int(v))

    def balanced(self) -> Matching:
        """The balanced heuristic: a stable matching with a small gap between
        the supply side's and the demand side's total ranks
        (``.objective_value``: the gap; not always the least)."""
        ptr, v = _core.tm_lattice_balanced(self._ptr)
        return self._wrap(ptr, "balanced", int(v))

    def max_weight(self, weights: Any) -> Matching:
        """The stable matching of greatest total weight.

        *weights*: a float array aligned with the supply side's reduced lists
        (``market.lists("supply").ids``; one weight per acceptable pair), or a
        pandas DataFrame with columns ``supply``, ``demand``, ``weight`` (ids
        or names; pairs not given weigh 0).  ``.objective_value``: the total.
        """
        w = self._weights(weights)
        ptr, v = _core.tm_lattice_max_weight(self._ptr, w, w.shape[0])
        return self._wrap(ptr, "max-weight", float(v))

    def _weights(self, weights: Any) -> np.ndarray:
        L = self.market.n_pairs
        if hasattr(weights, "columns"):  # a DataFrame
            missing = [c for c in ("supply", "demand", "weight") if c not in weights.columns]
            if missing:
                raise InvalidArgumentError(f"weights: missing column(s) {missing}")
            lists = self.market.lists("supply")
            index = {}
            for s in range(self.market.n_supply):
                start = int(lists.offsets[s])
                for k, d in enumerate(lists[s]):
                    index[(s, int(d))] = start + k
            w = np.zeros(L, dtype=np.float64)
            for s, d, x in zip(weights["supply"], weights["demand"], weights["weight"]):
                key = (self.market.agent(0, s), self.market.agent(1, d))
                if key not in index:
                    raise InvalidArgumentError(f"weights: ({s!r}, {d!r}) is not an acceptable pair")
                w[index[key]] = float(x)
            return w
        w = np.ascontiguousarray(np.asarray(weights, dtype=np.float64))
        if w.ndim != 1 or w.shape[0] != L:
            raise InvalidArgumentError(
                f"weights: expected {L} values (one per supply list entry), got shape {w.shape}")
        return w

    def __repr__(self) -> str:
        return f"<Lattice {self.n_rotations:,} rotations>"


def solve_objective(market: Market, objective: str, weights: Any = None) -> Matching:
    """Market.solve(objective=...) for the lattice objectives (private)."""
    if market.groups is not None:
        raise UnsupportedError(
            f"objective {objective!r}: the lattice of stable matchings does not take groups "
            "(caps and floors)", 10)
    lat = Lattice(market)
    if objective == "max-weight":
        inst = market._instance
        if weights is None and inst is not None and _core.tm_instance_has_weights(inst.ptr):
            weights = np.empty(market.n_pairs, dtype=np.float64)  # the document's "weights"
            _core.tm_instance_get_weights(inst.ptr, weights, weights.shape[0])
        if weights is None:
            raise InvalidArgumentError(
                "objective 'max-weight' needs weights= (or a JSON instance with \"weights\")")
        return lat.max_weight(weights)
    if weights is not None:
        raise InvalidArgumentError(f"weights= is only for objective 'max-weight', not {objective!r}")
    return {"egalitarian": lat.egalitarian, "min-regret": lat.min_regret,
            "balanced": lat.balanced}[objective]()


def objective_names() -> List[str]:
    """The objectives Market.solve accepts."""
    return list(OBJECTIVES)
