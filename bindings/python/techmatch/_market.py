"""Markets, matchings, verdicts, groups and cancel handles (the core API)."""
from __future__ import annotations

import enum
import json
import os
from dataclasses import dataclass
from typing import (Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple,
                    Union)

import numpy as np

from . import core as _core
from ._arrays import as_int32, check_offsets
from ._errors import InvalidArgumentError, OutOfRangeError, UnknownNameError

__all__ = ["Side", "Market", "Matching", "Verdict", "Violation", "SideStats", "MatchingStats",
           "Groups", "Cancel", "Lists"]

Progress = Optional[Callable[[float], Any]]
PathLike = Union[str, "os.PathLike[str]"]


class Side(enum.IntEnum):
    """The two sides of a market: ``SUPPLY`` (commissioners) and ``DEMAND`` (sites)."""

    SUPPLY = 0
    DEMAND = 1

    @property
    def other(self) -> "Side":
        """The other side."""
        return Side(1 - int(self))


def _side(side: Union[str, int, Side], name: str = "side") -> Side:
    if isinstance(side, str):
        s = side.lower()
        if s in ("supply", "s"):
            return Side.SUPPLY
        if s in ("demand", "d"):
            return Side.DEMAND
    elif isinstance(side, (int, np.integer)) and int(side) in (0, 1):
        return Side(int(side))
    raise InvalidArgumentError(f"{name}: expected 'supply' or 'demand', got {side!r}")


class _Handle:
    """Owns one C object and frees it once (private)."""

    __slots__ = ("ptr", "_free")

    def __init__(self, ptr: Any, free: Callable[[Any], None]) -> None:
        self.ptr = ptr
        self._free = free

    def __del__(self) -> None:
        ptr, self.ptr = self.ptr, None
        if ptr is not None and self._free is not None:
            self._free(ptr)


# ---- cancel ---------------------------------------------------------------

class Cancel:
    """A thread-safe cancel handle for long operations.

    Pass it as ``cancel=`` to :meth:`Market.solve`,
    :meth:`~techmatch.Programme.select` or
    :meth:`~techmatch.Programme.build_market` and call :meth:`trigger` from
    any thread: the operation stops at its next check and raises
    :class:`~techmatch.CancelledError`, returning nothing half-built.  The
    handle stays triggered until :meth:`reset`.

    The binding never changes it: Ctrl-C (KeyboardInterrupt) or an exception
    raised by a progress callback stops the operation through a private
    child handle, so after them the handle is as it was (not triggered,
    unless you triggered it).
    """

    def __init__(self) -> None:
        self._h = _Handle(_core.tm_cancel_new(), _core.tm_cancel_unref)

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    def trigger(self) -> None:
        """Raise the flag (from any thread)."""
        _core.tm_cancel_trigger(self._ptr)

    def reset(self) -> None:
        """Lower the flag so the handle can be used again."""
        _core.tm_cancel_reset(self._ptr)

    @property
    def triggered(self) -> bool:
        """Whether the flag is raised."""
        return bool(_core.tm_cancel_is_triggered(self._ptr))

    def __repr__(self) -> str:
        return f"<Cancel {'triggered' if self.triggered else 'not triggered'}>"


def _run_controlled(call: Callable[[Any], Any], set_cancel: Callable[[Any, Any], None],
                    set_progress: Callable[[Any, Any], None], options: Any,
                    progress: Progress, cancel: Optional[Cancel], free_result: Callable) -> Any:
    """Runs ``call(options)`` with a cancel handle and the progress trampoline,
    which also turns Ctrl-C into KeyboardInterrupt through the cancel handle."""
    if progress is not None and not callable(progress):
        raise InvalidArgumentError(f"progress: expected a callable, got {progress!r}")
    if cancel is not None and not isinstance(cancel, Cancel):
        raise InvalidArgumentError(f"cancel: expected a techmatch.Cancel, got {cancel!r}")
    # The operation watches a child of the caller's handle: the caller's
    # trigger stops it (CancelledError), and Ctrl-C or an exception in the
    # callback triggers the child only, so the caller's Cancel is left as it
    # was (tm_cancel_new_child).
    op = _Handle(_core.tm_cancel_new_child(None if cancel is None else cancel._ptr),
                 _core.tm_cancel_unref)
    set_cancel(options, op.ptr)
    holder = _core.tm_py_progress_new(progress, op.ptr)
    set_progress(options, holder)
    result = None
    try:
        result = call(options)
    finally:
        caught = _core.tm_py_progress_take_error(holder)
        if caught is not None and result is not None:
            free_result(result)
            result = None
        set_progress(options, None)
        _core.tm_py_progress_free(holder)
        if caught is not None:
            raise caught
    return result


# ---- statistics -----------------------------------------------------------

@dataclass(frozen=True)
class SideStats:
    """Statistics of one side of a matching (ranks 0-based, acceptable pairs only)."""

    agents: int
    matched_agents: int
    seats: int
    filled_seats: int
    rank_mean: float
    rank_median: float
    rank_max: int
    dropped_entries: int


@dataclass(frozen=True)
class MatchingStats:
    """Statistics of a matching: pairs, proposals and both sides' :class:`SideStats`."""

    pairs: int
    proposals: int
    supply: SideStats
    demand: SideStats


def _side_stats(s: Any) -> SideStats:
    return SideStats(int(s.agents), int(s.matched_agents), int(s.seats), int(s.filled_seats),
                     float(s.rank_mean), float(s.rank_median), int(s.rank_max),
                     int(s.dropped_entries))


# ---- lists ----------------------------------------------------------------

@dataclass(frozen=True)
class Lists:
    """One side's reduced preference lists in CSR form (numpy int32 arrays).

    Agent ``a``'s partners are ``ids[offsets[a]:offsets[a+1]]``, best first;
    ``ranks`` the rank ``a`` gives each (0 = best, equal for ties) and
    ``reverse_ranks`` the rank each partner gives ``a`` back.
    """

    offsets: np.ndarray
    ids: np.ndarray
    ranks: np.ndarray
    reverse_ranks: np.ndarray

    def __len__(self) -> int:
        return int(self.offsets.shape[0]) - 1

    def __getitem__(self, agent: int) -> np.ndarray:
        return self.ids[self.offsets[agent]:self.offsets[agent + 1]]


# ---- stability notions ---------------------------------------------------

#: The stability notions for lists with ties (TmStability in matching.h).
STABILITIES = ("weak", "strong", "super")
_STABILITY_CODES = {"weak": _core.TM_STABILITY_WEAK, "strong": _core.TM_STABILITY_STRONG,
                    "super": _core.TM_STABILITY_SUPER}


def _stability(value: Any, name: str = "stability") -> str:
    """The notion named by *value* (``"weak"``, ``"strong"`` or ``"super"``), checked."""
    if isinstance(value, str) and value in _STABILITY_CODES:
        return value
    raise InvalidArgumentError(f"{name}: expected 'weak', 'strong' or 'super', got {value!r}")


def _with_stability(doc: str, stability: str, verdict: Optional[str]) -> str:
    """The solution document *doc* with ``"stability"`` before ``"stable"`` and,
    when *verdict* (a verdict document) is given, its members in place of the
    audit of *doc*: the same text as ``techmatch solve`` writes (its
    src/cli/solve_ties.c splices the C writer's output the same way)."""
    at = doc.find(',\n  "stable" : ')
    stats = doc.find(',\n  "stats" : ', max(at, 0))
    if at < 0 or stats < 0:
        raise InvalidArgumentError("to_json: unexpected layout of the solution document")
    head = doc[:at] + f',\n  "stability" : "{stability}"'
    if verdict is None:
        return head + doc[at:]
    inner = verdict[verdict.index("{") + 1:verdict.rindex("}")].rstrip("\n ")
    return head + "," + inner + doc[stats:]


def UnsupportedError_(what: str) -> Exception:
    """The error for the lattice functions on a market with groups (private)."""
    from ._errors import UnsupportedError
    return UnsupportedError(f"{what}: the lattice of stable matchings does not take groups "
                            "(caps and floors)", 10)


# ---- market ---------------------------------------------------------------

class Market:
    """A two-sided market: capacities and preference lists over integer ids.

    Agents are numbered ``0 .. n-1`` on each side; a pair is acceptable only
    when both list each other (one-sided entries are dropped and counted).
    Build one with :meth:`from_arrays` (numpy CSR, for large markets),
    :meth:`from_lists` (small markets by name), :meth:`from_dataframe` (an edge
    list) or :meth:`from_json` (the CLI's format).  Markets are immutable and
    may be solved from several threads at once.

    Attributes
    ----------
    supply_names, demand_names : list of str or None
        Agent names, when the market was built from names.
    groups : Groups or None
        The caps and floors of a JSON instance with a ``groups`` member.
    stats : PrefsStats or None
        What the build did, for a market from
        :meth:`~techmatch.Programme.build_market`.
    """

    def __init__(self, _ptr: Any, *, supply_names: Optional[List[str]] = None,
                 demand_names: Optional[List[str]] = None, _keep: Any = None) -> None:
        if _ptr is None:
            raise InvalidArgumentError("Market: use Market.from_arrays/from_lists/"
                                       "from_dataframe/from_json")
        self._h = _Handle(_ptr, _core.tm_market_free)
        self._keep = _keep
        self._instance: Any = None
        self.supply_names = supply_names
        self.demand_names = demand_names
        self.groups: Optional[Groups] = None
        self.stats: Any = None
        self._index: Dict[int, Dict[str, int]] = {}

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    # -- constructors --

    @classmethod
    def from_arrays(cls, supply_offsets: Any, supply_ids: Any, demand_offsets: Any,
                    demand_ids: Any, supply_capacity: Any = None, demand_capacity: Any = None,
                    *, supply_ranks: Any = None, demand_ranks: Any = None,
                    supply_names: Optional[Sequence[str]] = None,
                    demand_names: Optional[Sequence[str]] = None) -> "Market":
        """Build a market from CSR arrays.

        Parameters
        ----------
        supply_offsets : array_like of int, length n_supply + 1
            Supply agent ``s`` lists ``supply_ids[supply_offsets[s]:supply_offsets[s+1]]``,
            most preferred first.
        supply_ids : array_like of int
            Demand ids in ``[0, n_demand)``.
        demand_offsets, demand_ids : array_like of int
            Likewise for the demand side (ids in ``[0, n_supply)``).
        supply_capacity, demand_capacity : array_like of int, optional
            One capacity >= 0 per agent (default 1 each); floats are accepted
            when they are whole numbers (NaN is refused).
        supply_ranks, demand_ranks : array_like of int, optional
            One rank >= 0 per entry, non-decreasing within each list; equal
            ranks are ties.  Default: strict lists (rank = position).
        supply_names, demand_names : sequence of str, optional
            Names used by :meth:`Matching.to_dataframe` and :meth:`to_json`.

        Returns
        -------
        Market

        Raises
        ------
        InvalidArgumentError, DtypeError
            Wrong dtype, shape or offsets (the message names the argument).
        OutOfRangeError, DuplicateError, NegativeCapacityError, SizeOverflowError, NoMemoryError
            From the checks in Python or in C.

        Notes
        -----
        int32 arrays that are C-contiguous are read in place; other integer
        dtypes are range-checked and converted once.  Time and memory
        O(L + n) for L list entries; the GIL is released while C builds.
        """
        so = as_int32(supply_offsets, "supply_offsets", lo=0)
        do = as_int32(demand_offsets, "demand_offsets", lo=0)
        n_s, n_d = so.shape[0] - 1, do.shape[0] - 1
        if n_s < 0 or n_d < 0:
            raise InvalidArgumentError("supply_offsets/demand_offsets: need n + 1 >= 1 entries")
        si = as_int32(supply_ids, "supply_ids", lo=0, hi=n_d)
        di = as_int32(demand_ids, "demand_ids", lo=0, hi=n_s)
        check_offsets(so, si.shape[0], "supply_offsets")
        check_offsets(do, di.shape[0], "demand_offsets")
        sc = None if supply_capacity is None else as_int32(
            supply_capacity, "supply_capacity", lo=0, length=n_s, allow_float=True)
        dc = None if demand_capacity is None else as_int32(
            demand_capacity, "demand_capacity", lo=0, length=n_d, allow_float=True)
        sr = None if supply_ranks is None else as_int32(
            supply_ranks, "supply_ranks", lo=0, length=si.shape[0])
        dr = None if demand_ranks is None else as_int32(
            demand_ranks, "demand_ranks", lo=0, length=di.shape[0])
        names = []
        for side_name, n, nm in (("supply_names", n_s, supply_names),
                                 ("demand_names", n_d, demand_names)):
            if nm is not None:
                nm = [str(x) for x in nm]
                if len(nm) != n:
                    raise InvalidArgumentError(f"{side_name}: expected {n} names, got {len(nm)}")
            names.append(nm)
        ptr = _core.tm_market_new_from_ranked_arrays(
            n_s, n_d, sc, dc, so, si, sr, si.shape[0], do, di, dr, di.shape[0])
        return cls(ptr, supply_names=names[0], demand_names=names[1])

    @classmethod
    def from_lists(cls, supply_prefs: Mapping[str, Sequence[Any]],
                   demand_prefs: Mapping[str, Sequence[Any]],
                   capacities: Optional[Mapping[str, int]] = None, *,
                   supply_capacity: Union[None, int, Mapping[str, int]] = None,
                   demand_capacity: Union[None, int, Mapping[str, int]] = None) -> "Market":
        """Build a small market from preference lists by name.

        Parameters
        ----------
        supply_prefs, demand_prefs : mapping of name to list
            Each agent's list, most preferred first; an entry that is a list,
            tuple or set of names is a tie (``["d2", ["d1", "d3"]]``).  The keys
            define the agents (in order).
        capacities : mapping of name to int, optional
            Capacities by name (for names used on one side only; default 1).
        supply_capacity, demand_capacity : int or mapping, optional
            A capacity for every agent of that side, or per name.

        Raises
        ------
        UnknownNameError
            A list names an agent that is not a key of the other mapping.
        """
        s_names = [str(k) for k in supply_prefs]
        d_names = [str(k) for k in demand_prefs]
        s_index = {n: i for i, n in enumerate(s_names)}
        d_index = {n: i for i, n in enumerate(d_names)}
        both = set(s_index) & set(d_index)

        def caps(names: List[str], side_cap: Any, side: str) -> Optional[np.ndarray]:
            if side_cap is None and capacities is None:
                return None
            out = np.ones(len(names), dtype=np.int64)
            if isinstance(side_cap, (int, np.integer)):
                out[:] = int(side_cap)
            for i, n in enumerate(names):
                if isinstance(side_cap, Mapping) and n in side_cap:
                    out[i] = side_cap[n]
                elif capacities is not None and n in capacities:
                    if n in both:
                        raise InvalidArgumentError(
                            f"capacities: {n!r} names agents on both sides; use "
                            "supply_capacity= and demand_capacity=")
                    out[i] = capacities[n]
            return out

        def flatten(prefs: Mapping[str, Sequence[Any]], index: Dict[str, int], side: str,
                    other: str) -> Tuple[List[int], List[int], List[int], bool]:
            offsets, ids, ranks = [0], [], []
            tied = False
            for agent, lst in prefs.items():
                if isinstance(lst, (str, bytes)):
                    raise InvalidArgumentError(
                        f"{side}_prefs[{agent!r}]: expected a list of names, got a string")
                for r, entry in enumerate(lst):
                    group = entry if isinstance(entry, (list, tuple, set, frozenset)) else [entry]
                    if len(group) > 1:
                        tied = True
                    for name in group:
                        j = index.get(str(name))
                        if j is None:
                            raise UnknownNameError(
                                f"{side}_prefs[{agent!r}]: {name!r} is not a {other} agent")
                        ids.append(j)
                        ranks.append(r)
                offsets.append(len(ids))
            return offsets, ids, ranks, tied

        so, si, sr, st = flatten(supply_prefs, d_index, "supply", "demand")
        do, di, dr, dt = flatten(demand_prefs, s_index, "demand", "supply")
        return cls.from_arrays(
            np.asarray(so, np.int64), np.asarray(si, np.int64), np.asarray(do, np.int64),
            np.asarray(di, np.int64), caps(s_names, supply_capacity, "supply"),
            caps(d_names, demand_capacity, "demand"),
            supply_ranks=np.asarray(sr, np.int64) if st else None,
            demand_ranks=np.asarray(dr, np.int64) if dt else None,
            supply_names=s_names, demand_names=d_names)

    @classmethod
    def from_dataframe(cls, df: Any, supply: str = "supply", demand: str = "demand",
                       supply_rank: str = "supply_rank", demand_rank: str = "demand_rank",
                       *, supply_capacity: Union[None, int, Mapping[Any, int]] = None,
                       demand_capacity: Union[None, int, Mapping[Any, int]] = None) -> "Market":
        """Build a market from an edge list (a pandas DataFrame).

        Each row is a pair both sides accept: the supply agent (column
        *supply*), the demand agent (*demand*), the rank the supply agent gives
        the demand agent (*supply_rank*; smaller is better, equal values are
        ties, any numbers) and the rank given back (*demand_rank*).  Agents
        are numbered in order of first appearance; their names are the column
        values.  Capacities: an int for every agent of the side, or a mapping
        (or Series) from name to capacity (default 1).

        Raises
        ------
        InvalidArgumentError
            A missing column, or a NaN rank (the message names the column).
        DuplicateError
            The same pair twice.
        """
        import pandas as pd  # only when used

        for col in (supply, demand, supply_rank, demand_rank):
            if col not in df.columns:
                raise InvalidArgumentError(f"from_dataframe: no column {col!r}")
        s_codes, s_names = pd.factorize(df[supply], sort=False)
        d_codes, d_names = pd.factorize(df[demand], sort=False)
        if (s_codes < 0).any() or (d_codes < 0).any():
            raise InvalidArgumentError(f"from_dataframe: missing names in {supply!r} or {demand!r}")
        n_s, n_d = len(s_names), len(d_names)

        def levels(col: str) -> np.ndarray:
            v = df[col].to_numpy()
            if v.dtype.kind not in "iuf":
                raise InvalidArgumentError(f"{col}: ranks must be numbers, got dtype {v.dtype}")
            if v.dtype.kind == "f" and np.isnan(v).any():
                i = int(np.flatnonzero(np.isnan(v))[0])
                raise InvalidArgumentError(f"{col}: row {i} has a NaN rank")
            return np.unique(v, return_inverse=True)[1].astype(np.int64)

        sr, dr = levels(supply_rank), levels(demand_rank)

        def csr(owner: np.ndarray, other: np.ndarray, rank: np.ndarray, n: int):
            order = np.lexsort((rank, owner))
            counts = np.bincount(owner, minlength=n)
            offsets = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(counts, out=offsets[1:])
            return offsets, other[order], rank[order]

        so, si, sranks = csr(s_codes, d_codes, sr, n_s)
        do, di, dranks = csr(d_codes, s_codes, dr, n_d)

        def caps(names: Any, cap: Any, col: str) -> Optional[np.ndarray]:
            if cap is None:
                return None
            if isinstance(cap, (int, np.integer)):
                return np.full(len(names), int(cap), dtype=np.int64)
            out = np.ones(len(names), dtype=np.float64)
            for i, n in enumerate(names):
                if n in cap:
                    out[i] = cap[n]
            return out

        return cls.from_arrays(so, si, do, di, caps(s_names, supply_capacity, "supply"),
                               caps(d_names, demand_capacity, "demand"),
                               supply_ranks=sranks, demand_ranks=dranks,
                               supply_names=[str(x) for x in s_names],
                               demand_names=[str(x) for x in d_names])

    @classmethod
    def from_json(cls, path: PathLike) -> "Market":
        """Read an instance in the CLI's JSON format (names, ties, groups, priority).

        The groups (if any) are in :attr:`groups` and used by :meth:`solve`
        and :meth:`Matching.check` unless others are given.

        Raises
        ------
        FileError, ParseError, DuplicateError, UnknownNameError, ...
            As ``techmatch solve`` reports them (file, agent and field named).
        """
        return cls._from_instance(_core.tm_instance_load_json_file(os.fspath(path)))

    @classmethod
    def from_json_string(cls, text: str, source_name: str = "<string>") -> "Market":
        """As :meth:`from_json` from a string; *source_name* names it in messages."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        return cls._from_instance(
            _core.tm_instance_load_json_data(data.decode("utf-8"), len(data), source_name))

    @classmethod
    def read_edges(cls, path: PathLike, threads: int = 2, *, separator: Optional[str] = None,
                   supply_capacity: int = 0, demand_capacity: int = 0,
                   max_agents: int = 0) -> "Market":
        """Read an edge-list file (docs/edges.md; tm_market_read_edges()).

        One line per listed pair: ``supply, demand, supply_rank, demand_rank``
        (``-`` for a side that does not list it), after optional ``#!``
        directives and the header.  ``.tsv``/``.txt`` are TAB separated,
        ``.csv`` comma separated (or give *separator*).  The file is mapped
        and parsed by *threads* threads; the result does not depend on them.
        *supply_capacity* / *demand_capacity* (0 = 1) apply where the file
        gives none; *max_agents* (0 = no limit) refuses larger sides.
        Agents have no names (ids only).

        Raises ParseError (the message names file, line and field),
        OutOfRangeError, DuplicateError, SizeOverflowError, FileError,
        NoMemoryError, InvalidArgumentError (unknown extension).
        """
        opt = _core.TmEdgesOptions()
        opt.threads = int(threads)
        if separator is not None:
            if separator not in ("\t", ","):
                raise InvalidArgumentError("read_edges: separator must be '\\t' or ','")
            opt.separator = separator
        opt.supply_capacity = int(supply_capacity)
        opt.demand_capacity = int(demand_capacity)
        opt.max_agents = int(max_agents)
        return cls(_core.tm_market_read_edges(os.fspath(path), opt))

    def write_edges(self, path: PathLike) -> None:
        """Write the market as an edge-list file, atomically (tm_market_write_edges()):
        supply-major, each supply agent's pairs in its list order, with the
        market's ranks; ``.csv`` comma separated, anything else TAB.
        :meth:`read_edges` gives back the same lists, ranks and capacities."""
        _core.tm_market_write_edges(self._ptr, os.fspath(path))

    @classmethod
    def _from_instance(cls, inst: Any) -> "Market":
        ih = _Handle(inst, _core.tm_instance_free)
        mptr = _core.tm_market_ref(_core.tm_instance_market(inst))
        n_s = _core.tm_market_size(mptr, 0)
        n_d = _core.tm_market_size(mptr, 1)
        m = cls(mptr, supply_names=[_core.tm_instance_name(inst, 0, i) for i in range(n_s)],
                demand_names=[_core.tm_instance_name(inst, 1, i) for i in range(n_d)])
        m._instance = ih
        g = _core.tm_instance_groups(inst)
        if g is not None:
            m.groups = Groups._borrowed(g, ih, n_s, n_d, [
                _core.tm_instance_group_name(inst, i) for i in range(_core.tm_groups_n(g))])
            if _core.tm_groups_has_priority(g):
                pr = np.empty(n_s, dtype=np.int32)
                _core.tm_groups_get_priority(g, pr, n_s)
                m.groups.priority = pr
        return m

    # -- accessors --

    @property
    def n_supply(self) -> int:
        """Number of supply agents."""
        return int(_core.tm_market_size(self._ptr, 0))

    @property
    def n_demand(self) -> int:
        """Number of demand agents."""
        return int(_core.tm_market_size(self._ptr, 1))

    def size(self, side: Union[str, Side]) -> int:
        """Number of agents on *side*."""
        return int(_core.tm_market_size(self._ptr, int(_side(side))))

    @property
    def n_pairs(self) -> int:
        """Number of acceptable pairs L."""
        return int(_core.tm_market_n_pairs(self._ptr))

    def n_dropped(self, side: Union[str, Side]) -> int:
        """Entries dropped from *side*'s lists because the other agent did not list back."""
        return int(_core.tm_market_n_dropped(self._ptr, int(_side(side))))

    @property
    def nbytes(self) -> int:
        """Bytes the built market holds (tm_market_bytes(); 16 per pair plus 8 per
        agent for a strict market)."""
        return int(_core.tm_market_bytes(self._ptr))

    @property
    def has_ties(self) -> bool:
        """Whether some reduced list has a tie."""
        return bool(_core.tm_market_has_ties(self._ptr))

    def names(self, side: Union[str, Side]) -> Optional[List[str]]:
        """The agent names of *side*, or None."""
        return self.supply_names if _side(side) == Side.SUPPLY else self.demand_names

    def capacities(self, side: Union[str, Side]) -> np.ndarray:
        """The capacities of *side* (a new int32 array)."""
        s = _side(side)
        out = np.empty(self.size(s), dtype=np.int32)
        _core.tm_market_get_capacities(self._ptr, int(s), out, out.shape[0])
        return out

    def lists(self, side: Union[str, Side] = "supply") -> Lists:
        """*side*'s reduced lists as CSR arrays (:class:`Lists`; new arrays)."""
        s = _side(side)
        n, L = self.size(s), self.n_pairs
        off = np.empty(n + 1, dtype=np.int32)
        ids = np.empty(L, dtype=np.int32)
        ranks = np.empty(L, dtype=np.int32)
        rev = np.empty(L, dtype=np.int32)
        _core.tm_market_get_lists(self._ptr, int(s), off, off.shape[0], ids, ranks, rev, L)
        return Lists(off, ids, ranks, rev)

    def agent(self, side: Union[str, Side], agent: Union[int, str]) -> int:
        """The id of *agent* (an id or a name) on *side*, checked."""
        s = _side(side)
        n = self.size(s)
        if isinstance(agent, (int, np.integer)) and not isinstance(agent, bool):
            a = int(agent)
            if not 0 <= a < n:
                raise OutOfRangeError(f"agent: {a} is outside [0, {n}) on the {s.name.lower()} side")
            return a
        names = self.names(s)
        if names is None:
            raise UnknownNameError(f"agent: {agent!r}: this market has no names")
        idx = self._index.get(int(s))
        if idx is None:
            idx = self._index[int(s)] = {nm: i for i, nm in enumerate(names)}
        if agent not in idx:
            raise UnknownNameError(f"agent: no {s.name.lower()} agent is called {agent!r}")
        return idx[agent]

    def rank(self, side: Union[str, Side], agent: Union[int, str],
             partner: Union[int, str]) -> Optional[int]:
        """The rank (0 = best) *agent* on *side* gives *partner*, or None if not acceptable."""
        s = _side(side)
        r = _core.tm_market_rank(self._ptr, int(s), self.agent(s, agent),
                                 self.agent(s.other, partner))
        return None if r < 0 else int(r)

    # -- solving --

    def solve(self, optimal: str = "supply", groups: Optional["Groups"] = None,
              progress: Progress = None, cancel: Optional[Cancel] = None,
              objective: Optional[str] = None, weights: Any = None, *,
              stability: str = "weak", max_cardinality: bool = False,
              seed: Optional[int] = None) -> "Matching":
        """Deferred acceptance: the *optimal* side's optimal stable matching; or,
        with *objective*, the stable matching that objective asks for; with
        ties, a matching of the *stability* asked for.

        Parameters
        ----------
        optimal : {"supply", "demand"}
            The proposing side, whose optimal stable matching is returned.
        objective : str, optional
            ``"supply-optimal"`` or ``"demand-optimal"`` (as *optimal*), or,
            through the lattice of stable matchings (:class:`Lattice`; strict
            lists, capacities above 1 on one side only, no groups):
            ``"egalitarian"`` (least total rank over both sides),
            ``"min-regret"`` (least worst rank), ``"max-weight"`` (greatest
            total of *weights*) or ``"balanced"`` (a heuristic for the least
            gap between the two sides' totals).  The result's
            ``objective_value`` holds the value (for the side-optimal ones:
            that side's total rank).
        weights : array or DataFrame, optional
            For ``"max-weight"`` only: see :meth:`Lattice.max_weight`; by
            default the ``"weights"`` of a market read with :meth:`from_json`.
        groups : Groups, optional
            Caps and floors over groups of demand agents (supply proposing
            only).  Default: the instance's groups for a market read from JSON.
        progress : callable, optional
            Called now and then with the fraction done (a float in [0, 1]) on
            the solving thread; if it raises, the solve stops and the
            exception propagates.
        cancel : Cancel, optional
            Trigger it from another thread to stop the solve
            (:class:`CancelledError`).
        stability : {"weak", "strong", "super"}
            For a market with ties (:attr:`has_ties`), which matching:
            ``"weak"`` (the default: no pair in which both would be strictly
            better off; the ties are broken, in list order or at random from
            *seed*, and deferred acceptance runs on the strict lists),
            ``"strong"`` (no pair in which both would be at least as well off
            and one strictly) or ``"super"`` (no pair in which both would be
            at least as well off), optimal for the proposing side among
            super-stable matchings.  Strong and super need capacities above 1
            on one side only and no groups.  Without ties the three coincide.
            The result's :attr:`Matching.stability` records it and
            :meth:`Matching.check` audits it.
        max_cardinality : bool
            With ties and weak stability: a large weakly stable matching
            (Király's algorithm, at least 2/3 the size of the largest one);
            one-to-one and many-to-one markets, no groups.
        seed : int, optional
            With ties and weak stability: break the ties at random,
            reproducibly (the same seed gives the same matching), instead of
            in list order.  An integer in ``[0, 2**64)``.

        Returns
        -------
        Matching

        Raises
        ------
        NoSuchMatching
            *stability* is ``"strong"`` or ``"super"`` and the market has no
            such matching (a weakly stable one always exists).
        InvalidArgumentError
            A bad *stability* or *seed*; *max_cardinality* or *seed* with
            strong or super stability, with each other, or with a lattice
            *objective*.
        UnsupportedError
            Groups with the demand side proposing; strong, super or
            max-cardinality with groups on a market with ties, or on a
            market with capacities above 1 on both sides.
        CancelledError, KeyboardInterrupt
            Cancelled through *cancel*, or Ctrl-C (checked at each progress
            step, every million proposals or so).

        Notes
        -----
        The GIL is released while C solves, so threads solve in parallel.

        Examples
        --------
        >>> m = Market.from_lists({"m1": [["w1", "w2"]], "m2": ["w1", "w2"]},
        ...                       {"w1": [["m1", "m2"]], "w2": ["m1", "m2"]})
        >>> m.solve().pairs.tolist(), m.solve(stability="strong").pairs.tolist()
        ([[0, 0], [1, 1]], [[0, 1], [1, 0]])
        >>> m.solve(stability="super")
        Traceback (most recent call last):
        ...
        techmatch.NoSuchMatching: ...
        """
        stability = _stability(stability)
        if not isinstance(max_cardinality, (bool, np.bool_)):
            raise InvalidArgumentError(
                f"max_cardinality: expected True or False, got {max_cardinality!r}")
        max_cardinality = bool(max_cardinality)
        if seed is not None:
            if not isinstance(seed, (int, np.integer)) or isinstance(seed, (bool, np.bool_)):
                raise InvalidArgumentError(f"seed: expected an integer, got {seed!r}")
            if not 0 <= int(seed) < 2 ** 64:
                raise InvalidArgumentError(f"seed: {int(seed)} is outside [0, 2**64)")
            seed = int(seed)
        if max_cardinality and stability != "weak":
            raise InvalidArgumentError(
                f"max_cardinality asks for a large weakly stable matching: it does not go "
                f"with stability={stability!r} (every such matching has the same size)")
        if seed is not None and stability != "weak":
            raise InvalidArgumentError(
                f"seed breaks ties at random for a weakly stable matching: it does not go "
                f"with stability={stability!r}")
        if seed is not None and max_cardinality:
            raise InvalidArgumentError("seed and max_cardinality exclude each other: the large "
                                       "weakly stable matching is found without breaking ties "
                                       "at random")
        if objective is not None:
            from ._lattice import OBJECTIVES, solve_objective
            if objective not in OBJECTIVES:
                raise InvalidArgumentError(
                    f"objective: expected one of {', '.join(OBJECTIVES)}, got {objective!r}")
            if objective not in ("supply-optimal", "demand-optimal"):
                if groups is not None or progress is not None or cancel is not None:
                    raise InvalidArgumentError(
                        f"objective {objective!r} takes no groups, progress or cancel")
                if stability != "weak" or max_cardinality or seed is not None:
                    raise InvalidArgumentError(
                        f"objective {objective!r} goes through the lattice of stable "
                        "matchings, which needs strict lists: it takes no stability=, "
                        "max_cardinality= or seed=")
                return solve_objective(self, objective, weights)
            if weights is not None or optimal != "supply":
                raise InvalidArgumentError(
                    f"objective {objective!r} takes no weights and no optimal=")
            optimal = objective.split("-")[0]
        side = _side(optimal, "optimal")
        g = self.groups if groups is None else groups
        if g is not None:
            if not isinstance(g, Groups):
                raise InvalidArgumentError(f"groups: expected techmatch.Groups, got {g!r}")
            g._check_market(self)
        opts = _core.tm_solve_options_new()
        try:
            _core.tm_solve_options_set_proposing(opts, int(side))
            _core.tm_solve_options_set_stability(opts, _STABILITY_CODES[stability])
            _core.tm_solve_options_set_max_cardinality(opts, max_cardinality)
            if seed is not None:
                _core.tm_solve_options_set_tie_seed(opts, seed)
            ptr = _run_controlled(
                lambda o: _core.tm_solve(self._ptr, None if g is None else g._ptr, o),
                _core.tm_solve_options_set_cancel, _core.tm_py_solve_options_set_progress, opts,
                progress, cancel, _core.tm_matching_free)
        finally:
            _core.tm_solve_options_free(opts)
        m = Matching(ptr, self, optimal=side, groups=g)
        m.stability = stability
        m.max_cardinality = max_cardinality
        m.seed = seed
        if objective is not None:
            m.objective = objective
            m.objective_value = int(m.pair_ranks()[int(side)].sum())
        return m

    def lattice(self) -> Any:
        """The lattice of stable matchings of this market (:class:`Lattice`)."""
        from ._lattice import Lattice
        return Lattice(self)

    def stable_matchings(self, limit: Optional[int] = None) -> Iterable["Matching"]:
        """A generator of every stable matching (at most *limit*), the
        supply-optimal one first, computed one at a time (the set is never
        held).  Strict lists, capacities above 1 on one side only, no groups
        (UnsupportedError otherwise)."""
        from ._lattice import Lattice
        if self.groups is not None:
            raise UnsupportedError_("stable_matchings")
        return Lattice(self).stable_matchings(limit)

    def count_stable_matchings(self, limit: Optional[int] = None) -> Tuple[int, bool]:
        """(number of stable matchings, complete), counting up to *limit*."""
        from ._lattice import Lattice
        if self.groups is not None:
            raise UnsupportedError_("count_stable_matchings")
        return Lattice(self).count(limit)

    # -- output --

    def to_dict(self, groups: Optional["Groups"] = None) -> Dict[str, Any]:
        """The market as the JSON instance document (a dict; ties as nested lists).

        Agents without names are called ``s0, s1, ...`` and ``d0, d1, ...``.
        Groups (:attr:`groups` unless given) are written with their names,
        members, caps and floors, and the priority when it is known; the
        ``"weights"`` of a market read from JSON (those not 0) too.
        """
        s_names = self.supply_names or [f"s{i}" for i in range(self.n_supply)]
        d_names = self.demand_names or [f"d{i}" for i in range(self.n_demand)]
        doc: Dict[str, Any] = {}
        for side, own, other, key in ((Side.SUPPLY, s_names, d_names, "supply"),
                                      (Side.DEMAND, d_names, s_names, "demand")):
            lists, caps = self.lists(side), self.capacities(side)
            agents = []
            for a in range(len(own)):
                lo, hi = int(lists.offsets[a]), int(lists.offsets[a + 1])
                prefs: List[Any] = []
                last = -1
                for j in range(lo, hi):
                    name, r = other[int(lists.ids[j])], int(lists.ranks[j])
                    if r == last:
                        if not isinstance(prefs[-1], list):
                            prefs[-1] = [prefs[-1]]
                        prefs[-1].append(name)
                    else:
                        prefs.append(name)
                    last = r
                agents.append({"name": own[a], "capacity": int(caps[a]), "prefs": prefs})
            doc[key] = agents
        g = self.groups if groups is None else groups
        if g is not None:
            doc["groups"] = [{"name": g.name(i), "members": [d_names[m] for m in g.members(i)],
                              "cap": g.cap(i), "floor": g.floor(i)} for i in range(len(g))]
            if g.priority is not None:
                order = np.argsort(g.priority, kind="stable")
                doc["priority"] = [s_names[int(i)] for i in order]
        inst = self._instance
        if inst is not None and _core.tm_instance_has_weights(inst.ptr):
            w = np.empty(self.n_pairs, dtype=np.float64)
            _core.tm_instance_get_weights(inst.ptr, w, w.shape[0])
            lists = self.lists(Side.SUPPLY)
            doc["weights"] = [[s_names[s], d_names[int(lists.ids[e])], float(w[e])]
                              for s in range(self.n_supply)
                              for e in range(int(lists.offsets[s]), int(lists.offsets[s + 1]))
                              if w[e] != 0.0]
        return doc

    def to_json(self, path: Optional[PathLike] = None, groups: Optional["Groups"] = None,
                indent: Optional[int] = 2) -> str:
        """The market in the CLI's JSON format (:meth:`to_dict`); written to *path* if given.

        :meth:`from_json` reads it back to an equal market.  Only the
        acceptable pairs are written (one-sided entries were dropped at build).
        """
        text = json.dumps(self.to_dict(groups), ensure_ascii=False, indent=indent) + "\n"
        if path is not None:
            data = text.encode("utf-8")
            _write_atomic(path, data)
        return text

    def __repr__(self) -> str:
        ties = ", with ties" if self.has_ties else ""
        return (f"<Market {self.n_supply:,} supply x {self.n_demand:,} demand, "
                f"{self.n_pairs:,} acceptable pairs{ties}>")


def _write_atomic(path: PathLike, data: bytes) -> None:
    path = os.fspath(path)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# ---- matching -------------------------------------------------------------

class Matching:
    """A set of (supply, demand) pairs on a market: from :meth:`Market.solve` or
    :meth:`from_pairs` (any assignment, audited the same way).

    Attributes
    ----------
    market : Market
    optimal : Side or None
        The proposing side for a solver's result, None for a hand-built one.
    groups : Groups or None
        The groups it was solved under (used by :meth:`check`).
    stability : {"weak", "strong", "super"}
        The stability notion it was solved for (``"weak"`` for a hand-built
        matching): the one :meth:`check`, :attr:`stable` and :meth:`to_json`
        use unless told otherwise.
    max_cardinality : bool
        Whether it was solved with ``max_cardinality=True``.
    seed : int or None
        The tie-breaking seed it was solved with, if any.
    """

    def __init__(self, _ptr: Any, market: Market, *, optimal: Optional[Side] = None,
                 groups: Optional["Groups"] = None, _keep: Any = None, _owned: bool = True) -> None:
        self._h = _Handle(_ptr, _core.tm_matching_free if _owned else None)
        self._keep = _keep
        self.market = market
        self.optimal = optimal
        #: the objective it was solved for (Market.solve(objective=...)), or None
        self.objective: Optional[str] = None
        #: that objective's value, or None
        self.objective_value: Any = None
        self.groups = groups
        self.stability = "weak"
        self.max_cardinality = False
        self.seed: Optional[int] = None
        self._pairs: Optional[np.ndarray] = None
        self._verdict: Optional[Verdict] = None

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    @classmethod
    def from_pairs(cls, market: Market, pairs: Any) -> "Matching":
        """A matching from pairs: an (n, 2) array of ids, or (supply, demand) names.

        It may break the rules (unacceptable pairs, over capacity): that is
        reported by :meth:`check`, not refused.  Raises OutOfRangeError for an
        id outside its side, DuplicateError for a pair given twice.
        """
        if not isinstance(market, Market):
            raise InvalidArgumentError(f"market: expected techmatch.Market, got {market!r}")
        if isinstance(pairs, np.ndarray):
            arr = pairs
        else:
            pairs = list(pairs)
            if pairs and any(isinstance(x, str) for p in pairs for x in p):
                arr = np.array([[market.agent(0, s), market.agent(1, d)] for s, d in pairs],
                               dtype=np.int64)
            else:
                arr = np.asarray(pairs, dtype=np.int64) if pairs else np.empty((0, 2), np.int64)
        if arr.ndim != 2 or arr.shape[1] != 2:
            raise InvalidArgumentError(f"pairs: expected shape (n, 2), got {arr.shape}")
        s = as_int32(np.ascontiguousarray(arr[:, 0]), "pairs[:, 0]", lo=0, hi=market.n_supply)
        d = as_int32(np.ascontiguousarray(arr[:, 1]), "pairs[:, 1]", lo=0, hi=market.n_demand)
        ptr = _core.tm_matching_new_from_pairs(market._ptr, s, d, s.shape[0])
        return cls(ptr, market, groups=market.groups)

    @classmethod
    def from_json(cls, market: Market, path: PathLike) -> "Matching":
        """Read ``{"pairs": [[supply, demand], ...]}`` naming agents of *market*
        (which must come from :meth:`Market.from_json`), as ``techmatch check`` does.

        Raises ParseError, UnknownNameError, DuplicateError, FileError with the
        file and pair index in the message.
        """
        if market._instance is None:
            raise InvalidArgumentError(
                "from_json: the market must come from Market.from_json (it needs the names)")
        ptr = _core.tm_instance_load_matching_json_file(market._instance.ptr, os.fspath(path))
        return cls(ptr, market, groups=market.groups)

    @property
    def n_pairs(self) -> int:
        """Number of pairs."""
        return int(_core.tm_matching_n_pairs(self._ptr))

    def __len__(self) -> int:
        return self.n_pairs

    @property
    def n_proposals(self) -> int:
        """Proposals the solver made (0 for a hand-built matching)."""
        return int(_core.tm_matching_n_proposals(self._ptr))

    @property
    def pairs(self) -> np.ndarray:
        """The pairs as an (n, 2) int32 array (supply, demand), by supply id then
        the supply agent's preference.  Read-only."""
        if self._pairs is None:
            n = self.n_pairs
            s = np.empty(n, dtype=np.int32)
            d = np.empty(n, dtype=np.int32)
            _core.tm_matching_get_pairs(self._ptr, s, d, n)
            p = np.column_stack((s, d)) if n else np.empty((0, 2), dtype=np.int32)
            p.flags.writeable = False
            self._pairs = p
        return self._pairs

    def pair_ranks(self) -> Tuple[np.ndarray, np.ndarray]:
        """(supply_rank, demand_rank) of every pair, in the order of :attr:`pairs`
        (0 = first choice; -1 where a side does not list the other)."""
        n = self.n_pairs
        sr = np.empty(n, dtype=np.int32)
        dr = np.empty(n, dtype=np.int32)
        _core.tm_matching_get_pair_ranks(self._ptr, sr, dr, n)
        return sr, dr

    def partners_csr(self, side: Union[str, Side] = "supply") -> Tuple[np.ndarray, np.ndarray,
                                                                       np.ndarray]:
        """(offsets, partners, ranks) of every agent of *side*, best first, as CSR arrays."""
        s = _side(side)
        n, k = self.market.size(s), self.n_pairs
        off = np.empty(n + 1, dtype=np.int32)
        part = np.empty(k, dtype=np.int32)
        ranks = np.empty(k, dtype=np.int32)
        _core.tm_matching_get_partners(self._ptr, int(s), off, n + 1, part, ranks, k)
        return off, part, ranks

    def partners(self, agent: Union[int, str], side: Union[str, Side] = "supply") -> List[Any]:
        """The partners of *agent* (an id or a name) on *side*, best first: ids,
        or names when *agent* is given by name."""
        s = _side(side)
        a = self.market.agent(s, agent)
        off, part, _ = self.partners_csr(s)
        ids = [int(x) for x in part[off[a]:off[a + 1]]]
        if isinstance(agent, str):
            names = self.market.names(s.other)
            return [names[i] for i in ids] if names else ids
        return ids

    def partner(self, agent: Union[int, str], side: Union[str, Side] = "supply") -> Any:
        """The one partner of *agent* on *side* (an id, or a name when *agent* is
        a name), or None when unmatched.  Raises InvalidArgumentError if the agent
        has several partners (use :meth:`partners`)."""
        p = self.partners(agent, side)
        if len(p) > 1:
            raise InvalidArgumentError(f"partner: {agent!r} has {len(p)} partners; use partners()")
        return p[0] if p else None

    @property
    def stats(self) -> MatchingStats:
        """Pairs, proposals and per-side statistics (:class:`MatchingStats`)."""
        st = _core.TmMatchingStats()
        _core.tm_matching_get_stats(self._ptr, st)
        return MatchingStats(int(st.pairs), int(st.proposals),
                             _side_stats(_core.tm_py_stats_side(st, 0)),
                             _side_stats(_core.tm_py_stats_side(st, 1)))

    def rank_histogram(self, side: Union[str, Side] = "supply",
                       n: Optional[int] = None) -> np.ndarray:
        """counts[r] = pairs in which the *side* agent gives its partner rank r
        (int64, length *n*, default the longest list)."""
        s = _side(side)
        if n is None:
            off = self.market.lists(s).offsets
            n = int(np.diff(off).max()) if off.shape[0] > 1 else 0
        n = max(int(n), 0)
        out = np.zeros(n, dtype=np.int64)
        _core.tm_matching_rank_histogram(self._ptr, int(s), out, n)
        return out

    def check(self, groups: Optional["Groups"] = None,
              stability: Optional[str] = None) -> "Verdict":
        """Audit: every blocking pair and violation (:class:`Verdict`).

        Parameters
        ----------
        groups : Groups, optional
            Audit under these caps and floors (default: the groups it was
            solved under, if any): the audit of groups.h (caps, reservations,
            blocking pairs the demand side's choice would keep).  It needs
            strict lists (:class:`UnsupportedError` on a market with ties).
        stability : {"weak", "strong", "super"}, optional
            Which pairs block when lists have ties (default:
            :attr:`stability`, the notion it was solved for; ``"weak"`` for
            a hand-built matching).  For a pair acceptable to both and not in
            the matching, an agent gains *strictly* when it has a free seat
            or ranks the other strictly better than its worst partner, and
            *weakly* when it gains strictly or ranks the other equal to its
            worst partner.  The pair blocks under ``"weak"`` when both gain
            strictly, under ``"strong"`` when both gain weakly and one
            strictly, under ``"super"`` when both gain weakly.  Without ties
            the three coincide (so under groups, where lists are strict, the
            groups' audit is made whatever the notion).

        Returns
        -------
        Verdict
            Its :attr:`~Verdict.stability` names the notion.

        Examples
        --------
        >>> m = Market.from_lists({"m1": [["w1", "w2"]], "m2": ["w1", "w2"]},
        ...                       {"w1": [["m1", "m2"]], "w2": ["m1", "m2"]})
        >>> mt = Matching.from_pairs(m, [("m1", "w1"), ("m2", "w2")])
        >>> mt.check().stable, mt.check(stability="strong").blocking_pairs.tolist()
        (True, [[0, 1], [1, 0]])
        """
        st = self.stability if stability is None else _stability(stability)
        g = groups if groups is not None else self.groups
        if g is not None:
            g._check_market(self.market)
            v = _core.tm_matching_check_groups(self._ptr, g._ptr)
        else:
            v = _core.tm_matching_check_stability(self._ptr, _STABILITY_CODES[st])
        verdict = Verdict(v, self.market, g, stability=st)
        if groups is None and st == self.stability:
            self._verdict = verdict
        return verdict

    @property
    def stable(self) -> bool:
        """Whether :meth:`check` finds it stable in the sense of :attr:`stability` (cached)."""
        if self._verdict is None:
            self.check()
        assert self._verdict is not None
        return self._verdict.stable

    def to_dataframe(self) -> Any:
        """The pairs as a pandas DataFrame: ``supply``, ``demand`` (ids), their
        names when the market has names, and ``supply_rank``, ``demand_rank``."""
        import pandas as pd  # only when used

        p = self.pairs
        sr, dr = self.pair_ranks()
        cols: Dict[str, Any] = {"supply": p[:, 0].astype(np.int64),
                                "demand": p[:, 1].astype(np.int64)}
        if self.market.supply_names is not None:
            sn = np.asarray(self.market.supply_names, dtype=object)
            cols["supply_name"] = sn[p[:, 0]] if len(p) else []
        if self.market.demand_names is not None:
            dn = np.asarray(self.market.demand_names, dtype=object)
            cols["demand_name"] = dn[p[:, 1]] if len(p) else []
        cols["supply_rank"] = sr
        cols["demand_rank"] = dr
        return pd.DataFrame(cols)

    def to_json(self, stability: Optional[str] = None) -> str:
        """The solution document of ``techmatch solve`` (pairs, unmatched agents,
        the stability notion and its audit, statistics).

        Parameters
        ----------
        stability : {"weak", "strong", "super"}, optional
            The notion stated and audited (default: :attr:`stability`).

        Returns
        -------
        str
            For a market read from JSON, produced by the same C writer as
            ``techmatch solve --stability ...``, so it equals the CLI's output
            byte for byte.

        Raises
        ------
        InvalidArgumentError
            A market not read with :meth:`Market.from_json`.
        UnsupportedError
            An instance with groups and ties (the groups' audit needs strict
            lists; ``techmatch solve`` refuses such an instance).
        """
        st = self.stability if stability is None else _stability(stability)
        inst = self.market._instance
        if inst is None:
            raise InvalidArgumentError(
                "to_json: only for markets read with Market.from_json (names and groups)")
        doc = _core.tm_instance_matching_to_json(inst.ptr, self._ptr)
        verdict = None
        if _core.tm_instance_groups(inst.ptr) is None and st != "weak":
            v = _core.tm_matching_check_stability(self._ptr, _STABILITY_CODES[st])
            try:
                verdict = _core.tm_instance_verdict_to_json(inst.ptr, v)
            finally:
                _core.tm_verdict_free(v)
        return _with_stability(doc, st, verdict)

    def __repr__(self) -> str:
        how = {None: "hand-built", Side.SUPPLY: "supply-optimal",
               Side.DEMAND: "demand-optimal"}[self.optimal]
        if self.objective is not None and self.optimal is None:
            how = self.objective
        if self.objective is not None:
            how += f" {self.objective_value}"
        if self.stability != "weak":
            how += f", {self.stability} stability"
        elif self.max_cardinality:
            how += ", max-cardinality"
        if self.groups is not None and self.optimal is not None:
            how += ", under groups"
        v = self._verdict if self._verdict is not None else self.check()
        if v.stable:
            state = "stable"
        else:
            state = f"unstable: {v.n_blocking_pairs:,} blocking pairs, {len(v.violations):,} violations"
        return f"<Matching {self.n_pairs:,} pairs, {state}, {how}>"


# ---- verdict --------------------------------------------------------------

_VIOLATION_KINDS = {1: "over_capacity", 2: "unacceptable", 3: "group_over_cap"}


@dataclass(frozen=True)
class Violation:
    """A broken rule: ``kind`` is ``"over_capacity"`` (side, agent, count,
    capacity), ``"unacceptable"`` (supply, demand) or ``"group_over_cap"``
    (agent = group index, count = assignments, capacity = cap); unused fields are -1."""

    kind: str
    side: int
    agent: int
    count: int
    capacity: int
    supply: int
    demand: int


class Verdict:
    """The audit of a matching: ``stable``, ``blocking_pairs`` (an (n, 2) int32
    array), ``violations`` (a list of :class:`Violation`) and ``stability``
    (the notion whose blocking pairs are listed: ``"weak"``, ``"strong"`` or
    ``"super"``; see :meth:`Matching.check`)."""

    def __init__(self, ptr: Any, market: Market, groups: Optional["Groups"] = None,
                 _owned: bool = True, *, stability: str = "weak") -> None:
        h = _Handle(ptr, _core.tm_verdict_free if _owned else None)
        self.market = market
        self.groups = groups
        self.stability = stability
        self.stable: bool = bool(_core.tm_verdict_is_stable(ptr))
        n = int(_core.tm_verdict_n_blocking_pairs(ptr))
        s = np.empty(n, dtype=np.int32)
        d = np.empty(n, dtype=np.int32)
        _core.tm_verdict_get_blocking_pairs(ptr, s, d, n)
        self.blocking_pairs: np.ndarray = np.column_stack((s, d)) if n else np.empty(
            (0, 2), dtype=np.int32)
        vs = []
        for i in range(int(_core.tm_verdict_n_violations(ptr))):
            v = _core.tm_verdict_violation(ptr, i)
            vs.append(Violation(_VIOLATION_KINDS.get(int(v.kind), str(v.kind)), int(v.side),
                                int(v.agent), int(v.count), int(v.capacity), int(v.supply),
                                int(v.demand)))
        self.violations: List[Violation] = vs
        del h  # everything is copied out

    @property
    def n_blocking_pairs(self) -> int:
        """Number of blocking pairs."""
        return int(self.blocking_pairs.shape[0])

    def __bool__(self) -> bool:
        return self.stable

    def __repr__(self) -> str:
        notion = "" if self.stability == "weak" else f" ({self.stability})"
        if self.stable:
            return f"<Verdict stable{notion}>"
        return (f"<Verdict unstable{notion}: {self.n_blocking_pairs:,} blocking pairs, "
                f"{len(self.violations):,} violations>")


# ---- groups ---------------------------------------------------------------

class Groups:
    """Caps and floors over groups of demand agents (see groups.h).

    Parameters
    ----------
    market : Market
        The market the groups are for (fixes both sides' sizes).

    Examples
    --------
    >>> g = Groups(market)
    >>> g.add([0, 1], cap=1, name="food")
    0
    """

    def __init__(self, market: Market) -> None:
        if not isinstance(market, Market):
            raise InvalidArgumentError(f"market: expected techmatch.Market, got {market!r}")
        self._market = market
        self.n_supply, self.n_demand = market.n_supply, market.n_demand
        self._h = _Handle(_core.tm_groups_new(self.n_supply, self.n_demand), _core.tm_groups_free)
        self._keep: Any = None
        self._names: List[str] = []
        self._members: List[np.ndarray] = []
        self.priority: Optional[np.ndarray] = None

    @classmethod
    def _borrowed(cls, ptr: Any, keep: Any, n_s: int, n_d: int, names: List[str]) -> "Groups":
        g = cls.__new__(cls)
        g._market = None
        g.n_supply, g.n_demand = n_s, n_d
        g._h = _Handle(ptr, None)
        g._keep = keep
        g._names = list(names)
        g._members = []
        g.priority = None
        return g

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    def _check_market(self, market: Market) -> None:
        if (market.n_supply, market.n_demand) != (self.n_supply, self.n_demand):
            raise InvalidArgumentError(
                f"groups: sized for {self.n_supply} x {self.n_demand} agents, the market has "
                f"{market.n_supply} x {market.n_demand}")

    def add(self, members: Iterable[Union[int, str]], cap: int, floor: int = 0,
            name: Optional[str] = None) -> int:
        """Add a group of demand agents (ids or names) with a *cap* and a *floor*;
        returns its index.  Whether the family is laminar is checked by
        :meth:`validate` (and by every solve)."""
        if self._market is None:
            raise InvalidArgumentError("add: these groups belong to a JSON instance")
        mem = [self._market.agent(1, m) if isinstance(m, str) else m for m in members]
        arr = as_int32(np.asarray(mem, dtype=np.int64) if mem else np.empty(0, np.int32),
                       "members", lo=0, hi=self.n_demand)
        for v, nm in ((cap, "cap"), (floor, "floor")):
            if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
                raise InvalidArgumentError(f"{nm}: expected an integer, got {v!r}")
        g = int(_core.tm_groups_add(self._ptr, arr, arr.shape[0], int(cap), int(floor)))
        self._names.append(name if name is not None else f"g{g}")
        self._members.append(arr.copy())
        return g

    def set_priority(self, priority: Any) -> None:
        """Priority of each supply agent (smaller = higher; one per supply agent),
        or None to clear."""
        if priority is None:
            _core.tm_groups_set_priority(self._ptr, None)
            self.priority = None
            return
        p = as_int32(priority, "priority", length=self.n_supply)
        _core.tm_groups_set_priority(self._ptr, p)
        self.priority = p.copy()

    def validate(self) -> None:
        """Check the family: laminar, and sub-groups' floors within each cap.

        Raises InvalidArgumentError (not laminar; the message names the two
        groups and a shared member) or InfeasibleError (floors)."""
        _core.tm_groups_validate(self._ptr)

    def __len__(self) -> int:
        return int(_core.tm_groups_n(self._ptr))

    def cap(self, g: int) -> int:
        """Cap of group *g*."""
        return int(_core.tm_groups_cap(self._ptr, self._g(g)))

    def floor(self, g: int) -> int:
        """Floor of group *g* (as given)."""
        return int(_core.tm_groups_floor(self._ptr, self._g(g)))

    def name(self, g: int) -> str:
        """Name of group *g*."""
        return self._names[self._g(g)]

    def members(self, g: int) -> np.ndarray:
        """Members (demand ids) of group *g*."""
        g = self._g(g)
        if g < len(self._members):
            return self._members[g]
        out = np.empty(max(int(_core.tm_py_groups_n_members(self._ptr, g)), 0), dtype=np.int32)
        _core.tm_py_groups_copy_members(self._ptr, g, out, out.shape[0])
        return out

    def count(self, g: int, matching: Matching) -> int:
        """Assignments *matching* holds at the members of group *g*."""
        return int(_core.tm_groups_count(self._ptr, self._g(g), matching._ptr))

    def _g(self, g: int) -> int:
        n = len(self)
        if not isinstance(g, (int, np.integer)) or not 0 <= int(g) < n:
            raise OutOfRangeError(f"group: {g!r} is outside [0, {n})")
        return int(g)

    def __repr__(self) -> str:
        return f"<Groups {len(self)} groups over {self.n_demand:,} demand agents>"
