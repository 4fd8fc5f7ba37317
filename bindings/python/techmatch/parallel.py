"""Many markets and policy sweeps at once, on Dask (docs/parallel.md).

:func:`run` runs a list of small, picklable job descriptions —
:class:`ProgrammeJob` (a programme folder under a configuration) and
:class:`MarketJob` (a market from a JSON instance, an edge list, a .npz or numpy
CSR arrays) — on a ``dask.distributed`` cluster, or serially in this
process, and returns one DataFrame row per job.  :func:`sweep` runs a
programme under every point of a grid of settings (sweep.h: the same jobs as
``techmatch sweep DIR --grid FILE``); :func:`compare` shows who changes
assignment between two configurations, and why.

Every job runs in the worker through the C library with the GIL released
(``tm_job_run`` for programmes, ``tm_solve`` for markets); inputs travel as
file paths or numpy arrays, results as one flat dict per job.  A failing job
gives a row with ``status == "error"`` and its message; the others go on.
The rows are the same, job by job, whether run serially or on a cluster
(apart from the ``seconds`` and ``runtime`` timings).

Dask is optional: without it (or with ``client="serial"``) jobs run one after
the other in this process.
"""
from __future__ import annotations

import copy
import logging
import os
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import core as _core
from ._errors import InvalidArgumentError
from ._market import Market, _Handle, _write_atomic
from ._programme import Config, Programme
from ._sweep import Grid, GridLike, _settings, grid_text, overrides_grid, write_grid

__all__ = ["ProgrammeJob", "MarketJob", "MarketArrays", "Grid", "run", "sweep", "compare",
           "grid_text", "write_grid", "local_cluster", "TIMING_COLUMNS"]

PathLike = Union[str, "os.PathLike[str]"]

#: The columns that measure time and so differ from run to run: the C job's
#: own wall time (``seconds``, programme jobs) and the worker's wall time of
#: the whole job (``runtime``).  Drop them to compare two runs.
TIMING_COLUMNS = ("seconds", "runtime")

#: The columns every row of :func:`run` starts with, before the job's parameters.
HEAD_COLUMNS = ("job", "label", "kind", "dir")
#: The columns after the job's parameters (then come the job's figures).
STATUS_COLUMNS = ("status", "error", "error_type")


# ---- job descriptions -------------------------------------------------------

@dataclass(frozen=True)
class ProgrammeJob:
    """One programme run (``techmatch run DIR``) as a job.

    Parameters
    ----------
    dir : path
        The programme folder (its two forms; ``programme.ini`` when present).
        Made absolute when the job is made, so workers started elsewhere find
        it (a real cluster needs the folder on a shared file system).
    config_text : str or Config, optional
        The whole configuration text, in place of ``DIR/programme.ini``; a
        :class:`~techmatch.Config` is turned into its text
        (:meth:`~techmatch.Config.to_text`) when the job is made.
    overrides : dict, optional
        Settings written over the configuration (``config_text``, else
        ``DIR/programme.ini``, else the defaults), as one sweep variant:
        ``{"quota/total": 20, "weights.site": {"merit": 3}}``;
        ``select/objective`` and ``select/stability`` set the options.
    grid, grid_job : str and int, optional
        Grid text (sweep.h) and a job number of it: that job's settings are
        written over the configuration before *overrides* (what
        :func:`sweep` makes).
    objective, stability : str, optional
        As ``techmatch run --objective`` / ``--stability`` (applied last).
    k, seed : int, optional
        Candidates per agent (``--k``) and the tie-breaking seed.
    params : dict
        Labels copied into the row as columns (``{"quota": 20}``).
    label : str, optional
        A name for the job (a column of the row).
    """

    dir: str
    config_text: Optional[str] = None
    overrides: Optional[Mapping[str, Any]] = None
    grid: Optional[str] = None
    grid_job: Optional[int] = None
    objective: Optional[str] = None
    stability: Optional[str] = None
    k: Optional[int] = None
    seed: Optional[int] = None
    params: Mapping[str, Any] = field(default_factory=dict)
    label: Optional[str] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dir", os.path.abspath(os.fspath(self.dir)))
        if isinstance(self.config_text, Config):
            object.__setattr__(self, "config_text", self.config_text.to_text())
        if (self.grid is None) != (self.grid_job is None):
            raise InvalidArgumentError("ProgrammeJob: give grid and grid_job together")
        if self.overrides is not None and not isinstance(self.overrides, Mapping):
            raise InvalidArgumentError(
                f"ProgrammeJob: overrides: expected a dict, got {self.overrides!r}")
        object.__setattr__(self, "params", dict(self.params))


@dataclass(frozen=True, eq=False)
class MarketArrays:
    """A market as numpy CSR arrays (the arguments of :meth:`Market.from_arrays`).

    Supply agent ``s`` lists ``supply_ids[supply_offsets[s]:supply_offsets[s+1]]``,
    best first; likewise the demand side.  Capacities default to 1 and ranks
    to the list positions (strict lists).  The arrays are pickled as buffers
    (no Python object per entry); int32 C-contiguous arrays are read in place.
    """

    supply_offsets: np.ndarray
    supply_ids: np.ndarray
    demand_offsets: np.ndarray
    demand_ids: np.ndarray
    supply_capacity: Optional[np.ndarray] = None
    demand_capacity: Optional[np.ndarray] = None
    supply_ranks: Optional[np.ndarray] = None
    demand_ranks: Optional[np.ndarray] = None

    def market(self) -> Market:
        """The :class:`Market` of these arrays."""
        return Market.from_arrays(self.supply_offsets, self.supply_ids, self.demand_offsets,
                                  self.demand_ids, self.supply_capacity, self.demand_capacity,
                                  supply_ranks=self.supply_ranks,
                                  demand_ranks=self.demand_ranks)

    def save(self, path: PathLike) -> None:
        """Write the arrays to *path* as an uncompressed ``.npz`` (atomically),
        for :class:`MarketJob` ``(npz=path)``: jobs that carry a file name
        instead of the arrays."""
        import io
        buf = io.BytesIO()
        np.savez(buf, **{name: np.asarray(a) for name, a in self._fields() if a is not None})
        _write_atomic(path, buf.getvalue())

    @classmethod
    def load(cls, path: PathLike) -> "MarketArrays":
        """The arrays of a file written by :meth:`save`."""
        names = list(cls._FIELDS)
        with np.load(os.fspath(path), allow_pickle=False) as z:
            unknown = sorted(set(z.files) - set(names))
            missing = [n for n in names[:4] if n not in z.files]
            if unknown or missing:
                raise InvalidArgumentError(
                    f"{os.fspath(path)}: not a MarketArrays file (unknown {unknown}, "
                    f"missing {missing})")
            return cls(**{n: z[n] for n in names if n in z.files})

    _FIELDS = ("supply_offsets", "supply_ids", "demand_offsets", "demand_ids",
               "supply_capacity", "demand_capacity", "supply_ranks", "demand_ranks")

    def _fields(self) -> List[Tuple[str, Any]]:
        return [(n, getattr(self, n)) for n in self._FIELDS]

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays (what a job ships to its worker)."""
        return sum(int(np.asarray(a).nbytes) for a in (
            self.supply_offsets, self.supply_ids, self.demand_offsets, self.demand_ids,
            self.supply_capacity, self.demand_capacity, self.supply_ranks, self.demand_ranks)
            if a is not None)


@dataclass(frozen=True, eq=False)
class MarketJob:
    """One market solved as a job.

    Give exactly one source: *json* (an instance in the CLI's JSON format,
    :meth:`Market.from_json`), *edges* (an edge-list file,
    :meth:`Market.read_edges`), *npz* (a file of :meth:`MarketArrays.save`)
    or *arrays* (:class:`MarketArrays`, or use :meth:`from_arrays`).  The market is solved as :meth:`Market.solve`
    with *optimal* (the proposing side), *objective*, *stability* and
    *seed*.  With *check*, the matching is audited too (``stable`` and
    ``blocking_pairs`` columns).

    The row: ``n_supply``, ``n_demand``, ``entries`` (supply-side list
    entries), ``acceptable_pairs``, ``matched`` (pairs of the matching),
    ``proposals``, per side ``supply_matched``, ``supply_seats``,
    ``supply_filled_seats``, ``supply_rank_mean``, ``supply_rank_median``,
    ``supply_rank_max``, ``supply_rank_total``, ``supply_dropped`` (ranks
    0-based, as :class:`MatchingStats`; likewise ``demand_*``), and
    ``objective``, ``objective_value`` (the objective's value: the
    proposing side's total rank for a side-optimal matching).
    """

    json: Optional[str] = None
    edges: Optional[str] = None
    arrays: Optional[MarketArrays] = None
    npz: Optional[str] = None
    optimal: str = "supply"
    objective: Optional[str] = None
    stability: str = "weak"
    seed: Optional[int] = None
    check: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)
    label: Optional[str] = None

    def __post_init__(self) -> None:
        given = [x is not None for x in (self.json, self.edges, self.arrays, self.npz)]
        if sum(given) != 1:
            raise InvalidArgumentError(
                "MarketJob: give exactly one of json=, edges=, npz=, arrays=")
        for name in ("json", "edges", "npz"):
            v = getattr(self, name)
            if v is not None:
                object.__setattr__(self, name, os.path.abspath(os.fspath(v)))
        if self.arrays is not None and not isinstance(self.arrays, MarketArrays):
            raise InvalidArgumentError(
                f"MarketJob: arrays: expected MarketArrays, got {type(self.arrays).__name__}")
        object.__setattr__(self, "params", dict(self.params))

    @classmethod
    def from_arrays(cls, supply_offsets: Any, supply_ids: Any, demand_offsets: Any,
                    demand_ids: Any, supply_capacity: Any = None, demand_capacity: Any = None,
                    *, supply_ranks: Any = None, demand_ranks: Any = None,
                    **kwargs: Any) -> "MarketJob":
        """A job of a market given as arrays (as :meth:`Market.from_arrays`);
        *kwargs* are the other fields (``optimal=``, ``params=``, ...)."""
        def arr(a: Any) -> Optional[np.ndarray]:
            return None if a is None else np.asarray(a)
        return cls(arrays=MarketArrays(arr(supply_offsets), arr(supply_ids), arr(demand_offsets),
                                       arr(demand_ids), arr(supply_capacity),
                                       arr(demand_capacity), arr(supply_ranks),
                                       arr(demand_ranks)), **kwargs)


Job = Union[ProgrammeJob, MarketJob]


def _as_job(job: Any) -> Job:
    if isinstance(job, (ProgrammeJob, MarketJob)):
        return job
    if isinstance(job, (str, os.PathLike)):
        p = os.fspath(job)
        if p.endswith(".json") and not os.path.isdir(p):
            return MarketJob(json=p)
        return ProgrammeJob(p)
    raise InvalidArgumentError(
        f"run: a job is a ProgrammeJob, a MarketJob or a path, got {type(job).__name__}")


# ---- in the worker ----------------------------------------------------------

_GRIDS: Dict[str, Grid] = {}


def _grid(text: str) -> Grid:
    """The Grid of *text*, parsed once per worker process (jobs of one sweep
    carry the same text)."""
    g = _GRIDS.get(text)
    if g is None:
        if len(_GRIDS) >= 16:
            _GRIDS.clear()
        g = _GRIDS[text] = Grid(text, "<sweep grid>")
    return g


def _summary(ptr: Any) -> Dict[str, Any]:
    """A TmSummary's fields as a dict (in field order)."""
    out: Dict[str, Any] = {}
    for i in range(_core.tm_summary_n_fields(ptr)):
        t = _core.tm_summary_type(ptr, i)
        name = str(_core.tm_summary_name(ptr, i))
        if t == _core.TM_SUMMARY_INT:
            out[name] = int(_core.tm_summary_int(ptr, i))
        elif t == _core.TM_SUMMARY_DOUBLE:
            out[name] = float(_core.tm_summary_double(ptr, i))
        elif t == _core.TM_SUMMARY_TEXT:
            out[name] = str(_core.tm_summary_text(ptr, i))
        else:
            out[name] = None
    return out


def _read_ini(directory: str) -> str:
    """DIR/programme.ini's text, or "" (the defaults) when there is none."""
    path = os.path.join(directory, _core.TM_CONFIG_FILE_NAME)
    if not os.path.isfile(path):
        return ""
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def _set_options(opts: Any, objective: Optional[str], stability: Optional[str],
                 k: Optional[int], seed: Optional[int]) -> None:
    from ._programme import _objective_code, _stability_code
    if objective is not None:
        _core.tm_select_options_set_objective(opts, _objective_code(objective))
    if stability is not None:
        _core.tm_select_options_set_stability(opts, _stability_code(stability))
    if k is not None:
        _core.tm_select_options_set_k(opts, int(k))
    if seed is not None:
        _core.tm_select_options_set_tie_seed(opts, int(seed))


def _run_programme(job: ProgrammeJob, index: int, out: Optional[str]) -> Dict[str, Any]:
    opts = _Handle(_core.tm_select_options_new(), _core.tm_select_options_free)
    cfg: Optional[Config] = None
    text = job.config_text
    if job.grid is not None or job.overrides:
        if text is None:
            text = _read_ini(job.dir)
        if job.grid is not None:
            g = _grid(job.grid)
            text = g.config_text(int(job.grid_job), text)  # type: ignore[arg-type]
            _core.tm_sweep_job_options(g._ptr, int(job.grid_job), opts.ptr)  # type: ignore[arg-type]
        if job.overrides:
            og = overrides_grid(job.overrides)
            text = og.config_text(0, text)
            _core.tm_sweep_job_options(og._ptr, 0, opts.ptr)
    if text is not None:
        source = os.path.join(job.dir, f"{_core.TM_CONFIG_FILE_NAME} (job {index})")
        cfg = Config.from_string(text, source)
    _set_options(opts.ptr, job.objective, job.stability, job.k, job.seed)
    s = _Handle(_core.tm_job_run(job.dir, None if cfg is None else cfg._ptr, opts.ptr, out),
                _core.tm_summary_free)
    return _summary(s.ptr)


def _run_market(job: MarketJob, out: Optional[str]) -> Dict[str, Any]:
    if job.json is not None:
        m = Market.from_json(job.json)
    elif job.edges is not None:
        m = Market.read_edges(job.edges, threads=1)
    elif job.npz is not None:
        m = MarketArrays.load(job.npz).market()
    else:
        assert job.arrays is not None
        m = job.arrays.market()
    mt = m.solve(job.optimal, objective=job.objective, stability=job.stability, seed=job.seed)
    st = mt.stats
    sr, dr = mt.pair_ranks()
    row: Dict[str, Any] = {
        "n_supply": m.n_supply, "n_demand": m.n_demand,
        "entries": m.n_pairs + m.n_dropped("supply"),
        "acceptable_pairs": m.n_pairs, "matched": st.pairs, "proposals": st.proposals}
    for side, ss, ranks in (("supply", st.supply, sr), ("demand", st.demand, dr)):
        row[f"{side}_matched"] = ss.matched_agents
        row[f"{side}_seats"] = ss.seats
        row[f"{side}_filled_seats"] = ss.filled_seats
        row[f"{side}_rank_mean"] = ss.rank_mean
        row[f"{side}_rank_median"] = ss.rank_median
        row[f"{side}_rank_max"] = ss.rank_max
        row[f"{side}_rank_total"] = int(ranks[ranks >= 0].sum(dtype=np.int64))
        row[f"{side}_dropped"] = ss.dropped_entries
    obj = mt.objective
    if obj is None:
        obj = "supply-optimal" if mt.optimal is not None and int(mt.optimal) == 0 \
            else "demand-optimal"
    row["objective"] = obj
    val = mt.objective_value
    if val is None:
        val = row["supply_rank_total" if obj == "supply-optimal" else "demand_rank_total"]
    row["objective_value"] = val if isinstance(val, float) else int(val)
    if job.check:
        v = mt.check()
        row["stable"] = bool(v.stable)
        row["blocking_pairs"] = int(v.n_blocking_pairs)
    if out is not None:
        os.makedirs(out, exist_ok=True)
        if job.json is not None:
            _write_atomic(os.path.join(out, "matching.json"), mt.to_json().encode("utf-8"))
        else:
            p = mt.pairs
            body = "supply,demand,supply_rank,demand_rank\n" + "".join(
                f"{a},{b},{c},{d}\n" for a, b, c, d in zip(p[:, 0].tolist(), p[:, 1].tolist(),
                                                            sr.tolist(), dr.tolist()))
            _write_atomic(os.path.join(out, "matching.csv"), body.encode("utf-8"))
    return row


def _run_one(index: int, job: Job, out: Optional[str]) -> Dict[str, Any]:
    """Runs one job (its outputs to *out*) and returns its row; never raises
    for the job's own errors."""
    t0 = time.perf_counter()
    if isinstance(job, ProgrammeJob):
        kind, where = "programme", job.dir
    else:
        kind, where = "market", job.json or job.edges or job.npz
    row: Dict[str, Any] = {"job": index, "label": job.label, "kind": kind, "dir": where}
    row.update({f"param:{k}": v for k, v in job.params.items()})
    row.update({"status": "ok", "error": None, "error_type": None})
    try:
        if isinstance(job, ProgrammeJob):
            row.update(_run_programme(job, index, out))
        else:
            row.update(_run_market(job, out))
    except Exception as e:  # noqa: BLE001 — a job's failure is its row, never the run's
        row["status"] = "error"
        row["error"] = str(e) or type(e).__name__
        row["error_type"] = type(e).__name__
    row["runtime"] = time.perf_counter() - t0
    return row


Item = Tuple[int, Job, Optional[str]]  # job number, job, its output folder


def _run_batch(batch: Sequence[Any]) -> List[Dict[str, Any]]:
    """Runs a batch of jobs in one task (fewer round trips for small jobs).
    An item is (number, job, output folder) or, for a market job whose arrays
    were scattered apart, (number, job without them, folder, the arrays)."""
    rows = []
    for item in batch:
        i, job, out = item[:3]
        if len(item) > 3:
            job = copy.copy(job)
            object.__setattr__(job, "arrays", item[3])
        rows.append(_run_one(i, job, out))
    return rows


# ---- the front end ----------------------------------------------------------

def _dask() -> Any:
    """dask.distributed, or None when it cannot be imported."""
    try:
        import dask.distributed as dd
    except ImportError:
        return None
    return dd


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython  # type: ignore
    except ImportError:
        return False
    ip = get_ipython()
    return ip is not None and type(ip).__name__ == "ZMQInteractiveShell"


def _tqdm() -> Any:
    try:
        from tqdm import tqdm  # type: ignore
    except ImportError:
        return None
    return tqdm


def _frame(rows: List[Dict[str, Any]]) -> Any:
    """The rows as a DataFrame: base columns, parameters, fields, timings."""
    import pandas as pd

    params: List[str] = []
    fields: List[str] = []
    seen = set(HEAD_COLUMNS) | set(STATUS_COLUMNS) | set(TIMING_COLUMNS)
    for r in rows:
        for k in r:
            if k in seen:
                continue
            seen.add(k)
            (params if k.startswith("param:") else fields).append(k)
    cols = (list(HEAD_COLUMNS) + params + list(STATUS_COLUMNS) + fields
            + [c for c in TIMING_COLUMNS if any(c in r for r in rows)])
    df = pd.DataFrame.from_records(rows, columns=cols)
    # integer and boolean figures stay so on error rows (pandas' nullable types)
    for c in fields:
        vals = [r[c] for r in rows if r.get(c) is not None]
        if not vals or len(vals) == len(rows):
            continue
        if all(isinstance(v, (bool, np.bool_)) for v in vals):
            df[c] = df[c].astype("boolean")
        elif all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))
                 for v in vals):
            df[c] = df[c].astype("Int64")
    # a parameter is its own name, unless a figure or a base column has it
    df = df.rename(columns={p: p[len("param:"):] for p in params
                            if p[len("param:"):] not in cols})
    return df


def _batches(items: List[Item], size: int) -> List[List[Item]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def run(jobs: Iterable[Any], *, client: Any = None, scheduler: Optional[str] = None,
        n_workers: int = 2, progress: bool = True, out_dir: Optional[PathLike] = None,
        batch_size: Optional[int] = None) -> Any:
    """Run jobs on a Dask cluster (or serially) and return one row per job.

    Parameters
    ----------
    jobs : iterable of ProgrammeJob, MarketJob or path
        A path is a programme folder (``ProgrammeJob(path)``) or, ending in
        ``.json``, a JSON instance (``MarketJob(json=path)``).
    client : dask.distributed.Client, Cluster, str or None
        Where to run: a Client; a Cluster (a Client is made on it and
        closed afterwards); ``"serial"`` (in this process, one job after the
        other); a scheduler address (as *scheduler*); None: *scheduler* if
        given, else :func:`local_cluster` ``(n_workers)`` (processes with
        one thread each), started for this call and closed afterwards.
        Without dask installed, None means serial.
    scheduler : str, optional
        A scheduler's address (``"tcp://host:8786"``): a Client is connected
        to it for this call (the cluster is left running).
    n_workers : int
        Workers of the LocalCluster started when neither is given.
    progress : bool
        Show progress: a tqdm bar (on stderr; its widget in a notebook with
        ipywidgets), or dask's text bar when tqdm is not installed.
    out_dir : path, optional
        Write each job's full outputs to ``out_dir/job-NNNN/`` (NNNN: the
        job's number from 0): a programme job what ``techmatch run -o``
        writes; a market job its matching (``matching.json`` for a JSON
        instance, else ``matching.csv``).  The folder must be visible to
        the workers.
    batch_size : int, optional
        Jobs per Dask task (default: about eight tasks per worker thread, at
        most 32 jobs each); larger batches cut the per-task overhead for
        small jobs.  The rows do not depend on it.

    Returns
    -------
    pandas.DataFrame
        One row per job, in the order of *jobs*: ``job`` (its number),
        ``kind`` (``"programme"``/``"market"``), ``label``, ``status``
        (``"ok"`` or ``"error"``), ``error`` (the message), ``error_type``
        (the exception's class name), the job's *params* (one column
        each), the job's figures (the TmSummary fields of job.h for a
        programme, those of :class:`MarketJob` for a market; missing on an
        error row), and the timings ``seconds`` (the C job's wall time) and
        ``runtime`` (the worker's, with reading and writing).

    Raises
    ------
    InvalidArgumentError
        A job that is not a job, or a bad argument.  A job's own failure
        never raises: it is its row's ``error``.
    ImportError
        *client* or *scheduler* names a cluster and dask is not installed.
    """
    listed = [_as_job(j) for j in jobs]
    out = None if out_dir is None else os.path.abspath(os.fspath(out_dir))
    if out is not None:
        os.makedirs(out, exist_ok=True)
    width = max(4, len(str(max(len(listed) - 1, 0))))  # as techmatch run-many --outputs
    items: List[Item] = [(i, j, None if out is None else os.path.join(out, f"job-{i:0{width}d}"))
                         for i, j in enumerate(listed)]
    if batch_size is not None and (isinstance(batch_size, bool) or int(batch_size) < 1):
        raise InvalidArgumentError(f"batch_size: expected an integer >= 1, got {batch_size!r}")
    if isinstance(client, str) and client != "serial":
        if scheduler is not None:
            raise InvalidArgumentError("run: give a scheduler address as client= or "
                                       "scheduler=, not both")
        scheduler, client = client, None
    dd = None if client == "serial" else _dask()
    if dd is None and (scheduler is not None or (client is not None and client != "serial")):
        raise ImportError("techmatch.parallel.run: a cluster was asked for but "
                          "dask.distributed cannot be imported (apt install python3-distributed)")
    if client == "serial" or dd is None:
        return _frame(_run_serial(items, progress))
    return _frame(_run_dask(dd, items, client, scheduler, n_workers, progress, batch_size))


def _run_serial(items: List[Item], progress: bool) -> List[Dict[str, Any]]:
    tqdm = _tqdm() if progress else None
    it: Iterable[Item] = items
    if tqdm is not None:
        it = tqdm(items, desc="techmatch jobs", unit="job")
    return [_run_one(i, job, out) for i, job, out in it]


def local_cluster(n_workers: int = 2, **kwargs: Any) -> Any:
    """The LocalCluster :func:`run` starts when given no client: *n_workers*
    processes of one thread each, quiet (the dashboard on a free port, logs
    at ERROR) — start one yourself to keep it across several calls
    (``run(..., client=cluster)``) and close it afterwards.

    Unlike a plain LocalCluster, its workers keep glibc's own malloc
    thresholds: dask sets ``MALLOC_TRIM_THRESHOLD_=65536`` in workers
    (``distributed.nanny.pre-spawn-environ``), which makes every large
    allocation a fresh mmap, and a market job of 10^6 entries about a third
    slower (bench/parallel_bench.py).  Set the variable in the environment
    to have it anyway.  *kwargs* go to LocalCluster (over these defaults).
    """
    import dask
    import dask.distributed as dd

    if isinstance(n_workers, bool) or int(n_workers) < 1:
        raise InvalidArgumentError(f"n_workers: expected >= 1, got {n_workers!r}")
    options: Dict[str, Any] = {"n_workers": int(n_workers), "threads_per_worker": 1,
                               "processes": True, "dashboard_address": ":0",
                               "silence_logs": logging.ERROR}
    options.update(kwargs)
    env = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    env.pop("MALLOC_TRIM_THRESHOLD_", None)
    with dask.config.set({"distributed.nanny.pre-spawn-environ": env}):
        return dd.LocalCluster(**options)


def _run_dask(dd: Any, items: List[Item], client: Any,
              scheduler: Optional[str], n_workers: int, progress: bool,
              batch_size: Optional[int]) -> List[Dict[str, Any]]:
    owned: List[Any] = []  # closed afterwards, last made first
    try:
        if client is None and scheduler is not None:
            client = dd.Client(scheduler, set_as_default=False)
            owned.append(client)
        elif client is None:
            cluster = local_cluster(n_workers)
            owned.append(cluster)
            client = dd.Client(cluster, set_as_default=False)
            owned.append(client)
        elif not isinstance(client, dd.Client):
            from distributed.deploy import Cluster
            if not isinstance(client, Cluster):
                raise InvalidArgumentError(
                    f"client: expected a dask.distributed Client or Cluster, 'serial', an "
                    f"address or None, got {client!r}")
            client = dd.Client(client, set_as_default=False)
            owned.append(client)
        if not items:
            return []
        if batch_size is None:
            threads = max(1, sum(client.nthreads().values()))
            batch_size = max(1, min(32, len(items) // (8 * threads)))
        batches = _batches(items, int(batch_size))
        tag = uuid.uuid4().hex[:12]
        # arrays go to the workers directly (scattered, each MarketArrays once
        # however many jobs solve it), not inside the task graph through the
        # scheduler; the tasks then run where their arrays are
        arrays = {id(j.arrays): j.arrays for _, j, _ in items
                  if isinstance(j, MarketJob) and j.arrays is not None}
        args: List[Any] = batches
        if arrays:
            scattered = dict(zip(arrays, client.scatter(list(arrays.values()), hash=False)))
            args = [[_strip(item, scattered) for item in b] for b in batches]
        futures = client.map(_run_batch, args, pure=False,
                             key=[f"techmatch-jobs-{tag}-{b[0][0]}" for b in batches])
        _watch(dd, client, futures, batches, progress)
        rows: List[Dict[str, Any]] = []
        for part in client.gather(futures):
            rows.extend(part)
        return rows
    finally:
        for obj in reversed(owned):
            try:
                obj.close()
            except Exception:  # noqa: BLE001 — closing must not hide the result or error
                pass


def _strip(item: Item, scattered: Dict[int, Any]) -> Any:
    """*item* with its arrays replaced by their future (when it has arrays)."""
    i, job, out = item
    if not isinstance(job, MarketJob) or job.arrays is None:
        return item
    bare = copy.copy(job)
    object.__setattr__(bare, "arrays", None)
    return (i, bare, out, scattered[id(job.arrays)])


def _watch(dd: Any, client: Any, futures: List[Any], batches: List[List[Any]],
           progress: bool) -> None:
    """Shows progress until every future is done (returns at once when off):
    a tqdm bar (its widget in a notebook with ipywidgets), else dask's own
    text bar."""
    if not progress:
        return
    tqdm = _tqdm()
    if tqdm is not None and _in_notebook():
        try:
            import ipywidgets  # type: ignore  # noqa: F401
            from tqdm.notebook import tqdm  # type: ignore
        except ImportError:
            pass
    if tqdm is None:
        dd.progress(futures, notebook=False, scheduler=client.scheduler.address,
                    loop=client.loop)
        return
    sizes = {f.key: len(b) for f, b in zip(futures, batches)}
    with tqdm(total=sum(sizes.values()), desc="techmatch jobs", unit="job") as bar:
        for f in dd.as_completed(futures, loop=client.loop):
            bar.update(sizes[f.key])


# ---- sweeps -----------------------------------------------------------------

def sweep(directory: PathLike, grid: GridLike, *, check: bool = True,
          **run_kwargs: Any) -> Any:
    """Run the programme in *directory* under every point of *grid*.

    Parameters
    ----------
    directory : path
        The programme folder; each job's configuration is its
        ``programme.ini`` (or the defaults) with the job's settings written
        over it (tm_sweep_job_config_text), its options the job's
        ``select/`` settings (tm_sweep_job_options).
    grid : dict, path or Grid
        The grid: a grid file (sweep.h's format, as ``techmatch sweep
        --grid``), or the dict form (docs/parallel.md)::

            {"quota": {"setting": "quota/total", "values": range(20, 61, 2)},
             "weighting": {"variants": {"balanced": {},
                                        "merit": {"weights.site/merit": 3}}}}
    check : bool
        Validate every job's configuration first (tm_sweep_check): a bad
        value raises ParseError before anything runs.
    **run_kwargs
        As :func:`run` (``client=``, ``scheduler=``, ``progress=``,
        ``out_dir=``, ...).

    Returns
    -------
    pandas.DataFrame
        The columns of ``techmatch sweep``'s summary CSV: ``job`` (the
        sweep's job number), one ``axis.NAME`` column per axis (the job's
        value: numbers for a setting axis whose values all are, else the
        value text or the variant's name), ``status``, ``error``, then
        :func:`run`'s ``error_type``, the TmSummary fields and the timings.
    """
    g = Grid.of(grid)
    d = os.path.abspath(os.fspath(directory))
    if check:
        g.check(d)
    jobs = [ProgrammeJob(d, grid=g.text, grid_job=j,
                         params={f"axis.{a}": v for a, v in p.items()})
            for j, p in enumerate(g.points())]
    df = run(jobs, **run_kwargs)
    # the columns of `techmatch sweep`'s summary CSV (and error_type, runtime)
    return df.drop(columns=["label", "kind", "dir"])


# ---- compare ----------------------------------------------------------------

ConfigLike = Union[None, Config, Mapping[str, Any], str]


def _config_for(directory: str, spec: ConfigLike) -> Tuple[Config, Dict[str, Optional[str]]]:
    """A Config and the select/ options (objective, stability) for *spec*."""
    if spec is None:
        return Config.for_dir(directory), {}
    if isinstance(spec, Config):
        return spec, {}
    if isinstance(spec, str):
        return Config.from_string(spec, f"{directory}/{_core.TM_CONFIG_FILE_NAME} (given)"), {}
    if not isinstance(spec, Mapping):
        raise InvalidArgumentError(
            f"compare: a configuration is None, a Config, configuration text or a dict of "
            f"settings, got {spec!r}")
    og = overrides_grid(spec)
    text = og.config_text(0, _read_ini(directory))
    cfg = Config.from_string(text, os.path.join(directory, f"{_core.TM_CONFIG_FILE_NAME} "
                                                           "(with overrides)"))
    opts = _Handle(_core.tm_select_options_new(), _core.tm_select_options_free)
    _core.tm_sweep_job_options(og._ptr, 0, opts.ptr)
    sel: Dict[str, Optional[str]] = {}
    flat = {k for k, _ in _settings(spec, "compare")}
    if "select/objective" in flat:
        sel["objective"] = str(_core.tm_objective_code(
            _core.tm_select_options_get_objective(opts.ptr)))
    if "select/stability" in flat:
        from ._programme import _STABILITIES
        code = int(_core.tm_select_options_get_stability(opts.ptr))
        sel["stability"] = {v: k for k, v in _STABILITIES.items()}[code]
    return cfg, sel


def _partners(selection: Any, side: int) -> Dict[str, Tuple[str, ...]]:
    """name -> partner names, best first, for every agent of *side*."""
    m = selection.matching
    names = selection.market.names(side) or []
    other = selection.market.names(1 - side) or []
    off, part, _ = m.partners_csr(side)
    out = {}
    part_l, off_l = part.tolist(), off.tolist()
    for i, n in enumerate(names):
        out[n] = tuple(other[p] for p in part_l[off_l[i]:off_l[i + 1]])
    return out


def compare(directory: PathLike, config_a: ConfigLike = None, config_b: ConfigLike = None, *,
            side: str = "both", lang: Optional[str] = "en") -> Any:
    """Who changes assignment between two configurations of one programme, and why.

    Parameters
    ----------
    directory : path
        The programme folder.
    config_a, config_b : dict, Config, str or None
        Each run's configuration: a dict of settings written over
        ``DIR/programme.ini`` (a grid point: ``{"quota/total": 20}``;
        ``select/objective`` and ``select/stability`` choose the matching),
        a :class:`Config`, configuration text, or None (programme.ini as it is).
    side : {"commissioner", "site", "both"}
        Whose changes to list.
    lang : str, optional
        The language of the reasons (``"en"``, ``"zh"``; None: the forms').

    Returns
    -------
    pandas.DataFrame
        One row per agent whose set of partners differs: ``side``,
        ``name``, ``change`` (``"gained"``: none in A, some in B; ``"lost"``;
        ``"moved"``: others), ``partners_a``, ``partners_b`` (names, best
        first, joined with ``"; "``), ``outcome_a``, ``outcome_b`` (the
        outcome codes of :attr:`Selection.outcomes`) and ``reason_a``,
        ``reason_b`` (:meth:`Selection.reason`).  Runs in this process.
    """
    import pandas as pd

    if side not in ("commissioner", "site", "both"):
        raise InvalidArgumentError(f"side: expected 'commissioner', 'site' or 'both', got {side!r}")
    d = os.path.abspath(os.fspath(directory))
    runs = []
    for spec in (config_a, config_b):
        cfg, sel_opts = _config_for(d, spec)
        prog = Programme.from_forms(d, config=cfg)
        runs.append(prog.select(cfg, **sel_opts))
    sa, sb = runs
    rows = []
    for sd, label in ((0, "commissioner"), (1, "site")):
        if side not in (label, "both"):
            continue
        pa, pb = _partners(sa, sd), _partners(sb, sd)
        oa = sa.outcomes
        ob = sb.outcomes
        oa = dict(zip(oa[oa.side == label].name, oa[oa.side == label].outcome))
        ob = dict(zip(ob[ob.side == label].name, ob[ob.side == label].outcome))
        for name in pa:
            a, b = pa[name], pb.get(name, ())
            if set(a) == set(b):
                continue
            change = "gained" if not a else "lost" if not b else "moved"
            rows.append({"side": label, "name": name, "change": change,
                         "partners_a": "; ".join(a), "partners_b": "; ".join(b),
                         "outcome_a": oa.get(name), "outcome_b": ob.get(name),
                         "reason_a": sa.reason(sd, name, lang),
                         "reason_b": sb.reason(sd, name, lang)})
    return pd.DataFrame(rows, columns=["side", "name", "change", "partners_a", "partners_b",
                                       "outcome_a", "outcome_b", "reason_a", "reason_b"])
