"""Rules, weights, candidate settings, scores and preference-build statistics
(rules.h, preferences.h): the programme's scoring layer from Python."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Dict, FrozenSet, Iterable, Iterator, List, Optional, Tuple, Union

import numpy as np

from . import core as _core
from ._errors import InvalidArgumentError, OutOfRangeError
from ._market import Side, _Handle

__all__ = ["Rules", "CandidateParams", "PrefsStats", "ScoreDetail", "Scorer",
           "SCORE_COMPONENTS"]

#: The score components, in summation order (preferences.h).
SCORE_COMPONENTS: Tuple[str, ...] = tuple(
    _core.tm_score_component_name(k) for k in range(_core.TM_N_SCORE_COMPONENTS))

_SCOPES = {0: "commissioner", 1: "site", 2: "pair"}

SideLike = Union[str, int, Side]


def _weight_side(side: SideLike) -> Side:
    """'commissioner'/'supply' -> SUPPLY (how commissioners rank sites),
    'site'/'demand' -> DEMAND (how sites rank commissioners)."""
    if isinstance(side, str):
        s = side.lower()
        if s in ("commissioner", "commissioners", "supply"):
            return Side.SUPPLY
        if s in ("site", "sites", "demand"):
            return Side.DEMAND
    elif isinstance(side, (int, np.integer)) and not isinstance(side, bool) \
            and int(side) in (0, 1):
        return Side(int(side))
    raise InvalidArgumentError(
        f"side: expected 'commissioner' (supply) or 'site' (demand), got {side!r}")


def _component(component: Union[str, int]) -> int:
    if isinstance(component, str) and component in SCORE_COMPONENTS:
        return SCORE_COMPONENTS.index(component)
    if isinstance(component, (int, np.integer)) and not isinstance(component, bool) \
            and 0 <= int(component) < len(SCORE_COMPONENTS):
        return int(component)
    raise InvalidArgumentError(
        f"component: expected one of {', '.join(SCORE_COMPONENTS)}, got {component!r}")


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InvalidArgumentError(f"{name}: expected a number, got {value!r}")
    return float(value)


def _integer(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidArgumentError(f"{name}: expected an integer, got {value!r}")
    return int(value)


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidArgumentError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


def _vocab(values: Iterable[str], parse: Any, n: int, what: str) -> List[int]:
    if isinstance(values, str):
        values = [v for v in values.replace(",", ";").split(";") if v.strip()]
    out = []
    for v in values:
        k = parse(str(v)) if isinstance(v, str) else -1
        if k < 0 or k >= n:
            raise InvalidArgumentError(f"{what}: {v!r} is not a known kind")
        out.append(k)
    return out


# ---- candidate settings -----------------------------------------------------

@dataclass(frozen=True)
class CandidateParams:
    """Candidate generation settings (``[candidates]``, preferences.h).

    Attributes
    ----------
    k : int
        -1 auto, 0 exact (all pairs), > 0 top-k.
    site_k : int
        -1 same as k, 0 none, > 0.
    exact_limit : int
        auto: exact when eligible commissioners x eligible sites <= this.
    auto_k : int
        auto: the k used above *exact_limit* (> 0).
    budget, site_budget : int
        Partners examined at most per commissioner (site) search; 0 = 20 x k
        (200 x site_k).
    seed : int
        Kept for compatibility; the search reads by id and does not use it.
    """

    k: int = -1
    site_k: int = -1
    exact_limit: int = 10_000_000
    auto_k: int = 50
    budget: int = 0
    site_budget: int = 0
    seed: int = 1


# ---- rules --------------------------------------------------------------------

class Rules:
    """The rules, weights, scoring and candidate settings of a :class:`Config`,
    read and changed in place (every value checked by the C setters).

    ``rules["P_DISTANCE"]`` is whether a rule is on (settable with a bool);
    ``rules["C_TITLE.min_title"]`` a rule parameter (settable with its value
    or the configuration file's text: ``rules["C_UNIT.allowed"] =
    "university;institute"``).  Iterating gives the rule codes in index order.
    Changes are seen by every later :meth:`~techmatch.Programme.screen`,
    ``select``, ``build_market`` and ``scorer`` with this configuration;
    selections and scorers made earlier keep their own copies.  Not
    thread-safe: do not change a configuration while another thread screens,
    selects or builds with it.

    Raises
    ------
    InvalidArgumentError
        A value of the wrong type or out of range (a negative weight, NaN, an
        unknown rule code or kind, C_YEARS.min above .max, ...).
    ParseError
        A parameter given as text that the configuration reader refuses.
    """

    def __init__(self, config: Any) -> None:
        self._config = config  # keeps the TmConfig alive

    @property
    def _ptr(self) -> Any:
        return _core.tm_config_rules_mutable(self._config._ptr)

    # -- the catalogue --

    @staticmethod
    def codes() -> List[str]:
        """Every rule code, in index order (``C_TITLE`` ... ``P_DISTANCE``,
        ``S_SECTOR``)."""
        return [_core.tm_rule_code(i) for i in range(_core.tm_rules_n_rules())]

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes())

    def __len__(self) -> int:
        return int(_core.tm_rules_n_rules())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and _core.tm_rule_find(code) >= 0

    def _code(self, code: str) -> str:
        i = _core.tm_rule_find(code) if isinstance(code, str) else -1
        if i < 0:
            raise InvalidArgumentError(f"rule: {code!r} is not a rule code "
                                       f"({', '.join(self.codes())})")
        return _core.tm_rule_code(i)

    def catalogue(self) -> Any:
        """Every rule as a pandas DataFrame: code, scope (commissioner, site,
        pair), enabled, summary (English), summary_zh."""
        import pandas as pd

        rows = [{"code": _core.tm_rule_code(i), "scope": _SCOPES[_core.tm_rule_scope(i)],
                 "enabled": bool(_core.tm_rules_is_enabled(self._ptr, _core.tm_rule_code(i))),
                 "summary": _core.tm_rule_summary(i), "summary_zh": _core.tm_rule_summary_zh(i)}
                for i in range(_core.tm_rules_n_rules())]
        return pd.DataFrame(rows, columns=["code", "scope", "enabled", "summary", "summary_zh"])

    # -- switches and parameters by key --

    def __getitem__(self, key: str) -> Any:
        if isinstance(key, str) and "." in key:
            code, param = key.split(".", 1)
            getters = {("C_TITLE", "min_title"): lambda: self.min_title,
                       ("C_UNIT", "allowed"): lambda: ";".join(sorted(self.unit_allowed)),
                       ("C_YEARS", "min"): lambda: self.years_range[0],
                       ("C_YEARS", "max"): lambda: self.years_range[1],
                       ("S_KIND", "eligible"): lambda: ";".join(sorted(self.site_kinds)),
                       ("P_SECTOR", "min_level"): lambda: self.min_level,
                       ("P_DISTANCE", "max_km"): lambda: self.max_km,
                       ("C_DIRECTION", "target"): lambda: self.direction_target,
                       ("S_SECTOR", "leading"): lambda: ";".join(self.leading_sectors)}
            get = getters.get((self._code(code), param))
            if get is None:
                raise InvalidArgumentError(f"rules: {key!r} is not a rule parameter")
            return get()
        return bool(_core.tm_rules_is_enabled(self._ptr, self._code(key)))

    def __setitem__(self, key: str, value: Any) -> None:
        if isinstance(key, str) and "." in key:
            self.set(key, value)
            return
        _core.tm_rules_set_enabled(self._ptr, self._code(key), _flag(value, key))

    def set(self, key: str, value: Any) -> None:
        """Set one ``[rules]`` key as the configuration file would
        (``set("C_UNIT.allowed", ["university", "institute"])``,
        ``set("P_DISTANCE", True)``, ``set("C_YEARS.max", 3)``); lists become
        ``;``-separated text, bools ``true``/``false``."""
        if not isinstance(key, str):
            raise InvalidArgumentError(f"rules: expected a key string, got {key!r}")
        if isinstance(value, (bool, np.bool_)):
            text = "true" if value else "false"
        elif isinstance(value, (list, tuple, set, frozenset)):
            text = ";".join(str(v) for v in value)
        else:
            text = str(value)
        _core.tm_rules_set(self._ptr, key, text)

    def enabled(self) -> List[str]:
        """The codes of the rules that are on, in index order."""
        return [c for c in self.codes() if _core.tm_rules_is_enabled(self._ptr, c)]

    # -- typed parameters --

    @property
    def min_title(self) -> str:
        """C_TITLE.min_title: ``"none"``, ``"junior"``, ``"intermediate"`` or
        ``"senior"`` (settable with a code or a Chinese label such as 高级)."""
        return _core.tm_title_code(_core.tm_rules_min_title(self._ptr))

    @min_title.setter
    def min_title(self, title: str) -> None:
        t = _core.tm_title_from_string(title) if isinstance(title, str) else -1
        if t < 0:
            raise InvalidArgumentError(f"min_title: {title!r} is not a title")
        _core.tm_rules_set_min_title(self._ptr, t)

    @property
    def unit_allowed(self) -> FrozenSet[str]:
        """C_UNIT.allowed: the unit kinds allowed (codes).  Settable with an
        iterable of codes or labels (or ``"a;b"`` text); all or nothing."""
        return frozenset(_core.tm_unit_kind_code(k) for k in range(_core.TM_N_UNIT_KINDS)
                         if _core.tm_rules_unit_allowed(self._ptr, k))

    @unit_allowed.setter
    def unit_allowed(self, kinds: Iterable[str]) -> None:
        want = set(_vocab(kinds, _core.tm_unit_kind_from_string, _core.TM_N_UNIT_KINDS,
                          "unit_allowed"))
        for k in range(_core.TM_N_UNIT_KINDS):
            _core.tm_rules_set_unit_allowed(self._ptr, k, k in want)

    @property
    def site_kinds(self) -> FrozenSet[str]:
        """S_KIND.eligible: the site kinds eligible (codes).  Settable like
        :attr:`unit_allowed`."""
        return frozenset(_core.tm_site_kind_code(k) for k in range(_core.TM_N_SITE_KINDS)
                         if _core.tm_rules_site_kind_eligible(self._ptr, k))

    @site_kinds.setter
    def site_kinds(self, kinds: Iterable[str]) -> None:
        want = set(_vocab(kinds, _core.tm_site_kind_from_string, _core.TM_N_SITE_KINDS,
                          "site_kinds"))
        for k in range(_core.TM_N_SITE_KINDS):
            _core.tm_rules_set_site_kind_eligible(self._ptr, k, k in want)

    @property
    def years_range(self) -> Tuple[int, int]:
        """C_YEARS (min, max): 0 <= min <= max <= 10; also the range of the
        ``term`` score component (C_YEARS itself is off by default)."""
        lo, hi = _core.tm_rules_years_range(self._ptr)
        return int(lo), int(hi)

    @years_range.setter
    def years_range(self, value: Tuple[int, int]) -> None:
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise InvalidArgumentError(f"years_range: expected (min, max), got {value!r}")
        _core.tm_rules_set_years_range(self._ptr, _integer(value[0], "years_range[0]"),
                                       _integer(value[1], "years_range[1]"))

    @property
    def min_level(self) -> int:
        """P_SECTOR.min_level: 0..3."""
        return int(_core.tm_rules_min_level(self._ptr))

    @min_level.setter
    def min_level(self, level: int) -> None:
        _core.tm_rules_set_min_level(self._ptr, _integer(level, "min_level"))

    @property
    def max_km(self) -> float:
        """P_DISTANCE.max_km: finite, >= 0."""
        return float(_core.tm_rules_max_km(self._ptr))

    @max_km.setter
    def max_km(self, km: float) -> None:
        _core.tm_rules_set_max_km(self._ptr, _number(km, "max_km"))

    @property
    def direction_target(self) -> bool:
        """C_DIRECTION.target: whether C_DIRECTION also asks for a service
        target (a wished site or a task type offered); default False."""
        return bool(_core.tm_rules_direction_target(self._ptr))

    @direction_target.setter
    def direction_target(self, on: bool) -> None:
        _core.tm_rules_set_direction_target(self._ptr, _flag(on, "direction_target"))

    @property
    def leading_sectors(self) -> List[str]:
        """S_SECTOR.leading: the district's leading industries (sector codes or
        names, in the order given), default ``["eit", "culture", "food",
        "materials"]``.  Settable with an iterable of codes or ``"a;b"`` text;
        checked against the programme's taxonomy when a programme is screened
        (UnknownNameError names the item) while S_SECTOR is on."""
        text = _core.tm_rules_leading_sectors(self._ptr)
        return [t for t in text.split(";") if t] if text else []

    @leading_sectors.setter
    def leading_sectors(self, sectors: Union[str, Iterable[str]]) -> None:
        if isinstance(sectors, str):
            text = sectors
        else:
            items = list(sectors)
            if not all(isinstance(x, str) for x in items):
                raise InvalidArgumentError(
                    f"leading_sectors: expected sector codes, got {sectors!r}")
            text = ";".join(items)
        _core.tm_rules_set_leading_sectors(self._ptr, text)

    @property
    def distance_scale(self) -> float:
        """[scoring] distance_scale_km, the D of the distance component: finite, > 0."""
        return float(_core.tm_rules_distance_scale(self._ptr))

    @distance_scale.setter
    def distance_scale(self, km: float) -> None:
        _core.tm_rules_set_distance_scale(self._ptr, _number(km, "distance_scale"))

    # -- weights --

    def weight(self, side: SideLike, component: Union[str, int]) -> float:
        """The weight of *component* (``"sector"``, ``"tags"``, ``"title"``,
        ``"years"``, ``"distance"``, ``"merit"``) for *side* (``"commissioner"``:
        how commissioners rank sites; ``"site"``: how sites rank commissioners)."""
        return float(_core.tm_rules_weight(self._ptr, int(_weight_side(side)),
                                           _component(component)))

    def set_weight(self, side: SideLike, component: Union[str, int], value: float) -> None:
        """Set a weight: finite, >= 0, and one side's weights must add up to a
        finite number (InvalidArgumentError otherwise; nothing changes)."""
        _core.tm_rules_set_weight(self._ptr, int(_weight_side(side)), _component(component),
                                  _number(value, "weight"))

    @property
    def weights(self) -> Dict[str, Dict[str, float]]:
        """``{"commissioner": {component: w}, "site": {component: w}}``."""
        return {label: {c: self.weight(side, c) for c in SCORE_COMPONENTS}
                for label, side in (("commissioner", Side.SUPPLY), ("site", Side.DEMAND))}

    # -- consent defaults ([consent]) --

    def consent(self, side: SideLike) -> str:
        """Whom agents of *side* (``"commissioner"`` or ``"site"``) accept when
        their form leaves the consent empty: ``"open"`` (any partner the
        rules allow, the default) or ``"named"`` (only those they named)."""
        return str(_core.tm_consent_code(_core.tm_rules_consent(self._ptr,
                                                                int(_weight_side(side)))))

    def set_consent(self, side: SideLike, consent: str) -> None:
        """Set the ``[consent]`` default of *side*: ``"open"`` or ``"named"``
        (the words of the configuration file; ``"default"`` restores open).
        InvalidArgumentError for another value (nothing changes)."""
        v = _core.tm_consent_from_string(consent) if isinstance(consent, str) else -1
        if v < 0:
            raise InvalidArgumentError(
                f"consent: expected 'open' or 'named', got {consent!r}")
        _core.tm_rules_set_consent(self._ptr, int(_weight_side(side)), v)

    # -- candidates --

    @property
    def candidates(self) -> CandidateParams:
        """The ``[candidates]`` settings (:class:`CandidateParams`); assign a
        whole :class:`CandidateParams`, or use :meth:`set_candidates`."""
        p = _core.TmCandidateParams()
        _core.tm_rules_get_candidates(self._ptr, p)
        return CandidateParams(int(p.k), int(p.site_k), int(p.exact_limit), int(p.auto_k),
                               int(p.budget), int(p.site_budget), int(p.seed))

    @candidates.setter
    def candidates(self, params: CandidateParams) -> None:
        if not isinstance(params, CandidateParams):
            raise InvalidArgumentError(
                f"candidates: expected a techmatch.CandidateParams, got {params!r}")
        vals = [_integer(getattr(params, f.name), f"candidates.{f.name}")
                for f in fields(CandidateParams)]
        if vals[-1] < 0 or vals[-1] >= 1 << 64:
            raise InvalidArgumentError(f"candidates.seed: {vals[-1]} is not a 64-bit seed")
        _core.tm_py_rules_set_candidates(self._ptr, *vals)

    def set_candidates(self, **changes: int) -> None:
        """Change some ``[candidates]`` settings (``set_candidates(k=20, seed=3)``);
        all are checked before any is set."""
        names = {f.name for f in fields(CandidateParams)}
        bad = sorted(set(changes) - names)
        if bad:
            raise InvalidArgumentError(f"set_candidates: unknown setting {bad[0]!r} "
                                       f"({', '.join(sorted(names))})")
        cur = asdict(self.candidates)
        cur.update(changes)
        self.candidates = CandidateParams(**cur)

    def to_text(self) -> str:
        """Every group and key of the rules as configuration text (reads back equal)."""
        text, _ = _core.tm_rules_to_data(self._ptr)
        return text

    def __repr__(self) -> str:
        on = self.enabled()
        return f"<Rules {len(on)}/{len(self)} on: {', '.join(on)}>"


# ---- preference building ----------------------------------------------------------

@dataclass(frozen=True)
class PrefsStats:
    """What :meth:`~techmatch.Programme.build_market` did (TmPrefsStats).

    Attributes
    ----------
    k, site_k : int
        The list lengths used (after ``auto``; 0 = exact).
    candidates_scored, candidates_examined : int
        Scores computed; candidates read by the top-k searches.
    supply_entries, demand_entries : int
        Total length of the commissioner (site) lists; equal.
    wishes_kept, wishes_dropped : int
        Explicit wishes kept / dropped as not acceptable (both sides).
    forced_entries : int
        Entries forced into commissioner lists by the sites' own searches.
    exact_agents, budget_agents : int
        Top-k searches that ended certified exact / on their budget.
    threads : int
        Worker threads used.
    extra : dict
        Keys of a newer library this module does not know yet.
    """

    k: int = 0
    site_k: int = 0
    candidates_scored: int = 0
    candidates_examined: int = 0
    supply_entries: int = 0
    demand_entries: int = 0
    wishes_kept: int = 0
    wishes_dropped: int = 0
    forced_entries: int = 0
    exact_agents: int = 0
    budget_agents: int = 0
    threads: int = 0
    extra: Dict[str, int] = field(default_factory=dict)

    @classmethod
    def _from(cls, ptr: Any) -> "PrefsStats":
        known = {f.name for f in fields(cls)} - {"extra"}
        vals: Dict[str, int] = {}
        extra: Dict[str, int] = {}
        key = 0
        while True:
            name = _core.tm_prefs_stat_name(key)
            if name is None:
                break
            (vals if name in known else extra)[name] = int(_core.tm_prefs_stats_get(ptr, key))
            key += 1
        return cls(**vals, extra=extra)

    def as_dict(self) -> Dict[str, int]:
        """Every key (those of :attr:`extra` too) and its value."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        d.update(self.extra)
        return d


# ---- scores -------------------------------------------------------------------------

@dataclass(frozen=True)
class ScoreDetail:
    """One pair's score in detail (TmScoreDetail).

    Attributes
    ----------
    commissioner, site : int
        The ids.
    commissioner_name, site_name : str
    components : dict of str to float
        Each component x_k in [0, 1], in summation order (:data:`SCORE_COMPONENTS`).
    commissioner_score : float
        How much the commissioner wants the site (its side's weighted mean).
    site_score : float
        How much the site wants the commissioner.
    distance_km : float or None
        The Euclidean distance; None when a location is missing.
    pair_reason : str or None
        The first failing pair rule, None when the pair passes the pair rules
        (agent eligibility is not looked at: see :class:`~techmatch.Screening`).
    pair_failures : list of str
        Every failing pair rule.
    """

    commissioner: int
    site: int
    commissioner_name: str
    site_name: str
    components: Dict[str, float]
    commissioner_score: float
    site_score: float
    distance_km: Optional[float]
    pair_reason: Optional[str]
    pair_failures: List[str]

    def as_dict(self) -> Dict[str, Any]:
        """A flat dict (one key per component; failures ``;``-joined), e.g. for
        ``pandas.DataFrame([d.as_dict() for d in details])``."""
        return {"commissioner": self.commissioner_name, "site": self.site_name,
                **self.components, "commissioner_score": self.commissioner_score,
                "site_score": self.site_score, "distance_km": self.distance_km,
                "pair_failures": ";".join(self.pair_failures)}

    def score(self, side: SideLike = "commissioner") -> float:
        """The score as seen from *side*."""
        return self.commissioner_score if _weight_side(side) == Side.SUPPLY else self.site_score

    def __repr__(self) -> str:
        comps = " ".join(f"{k}={v:.3g}" for k, v in self.components.items())
        rule = "passes the pair rules" if self.pair_reason is None else \
            f"fails {';'.join(self.pair_failures)}"
        return (f"<ScoreDetail {self.commissioner_name} x {self.site_name}: commissioner "
                f"{self.commissioner_score:.4f}, site {self.site_score:.4f} ({comps}); {rule}>")


def _detail(programme: Any, c: int, s: int, d: Any) -> ScoreDetail:
    km = float(d.distance_km)
    failures = _core.tm_rules_mask_codes(int(d.pair_failures))
    return ScoreDetail(
        c, s, _core.tm_programme_commissioner(programme._ptr, c).name,
        _core.tm_programme_site(programme._ptr, s).name,
        {name: float(_core.tm_py_detail_component(d, k))
         for k, name in enumerate(SCORE_COMPONENTS)},
        float(_core.tm_py_detail_score(d, 0)), float(_core.tm_py_detail_score(d, 1)),
        None if km < 0 or math.isnan(km) else km, d.pair_reason,
        failures.split(";") if failures else [])


class Scorer:
    """Two-way scores of a programme under fixed rules (TmScorer): made by
    :meth:`~techmatch.Programme.scorer`, it takes a copy of the rules, so
    changing the configuration afterwards does not change its scores.  The
    scores are bit-identical to those :meth:`~techmatch.Programme.build_market`
    ranks by.  Safe to use from several threads.
    """

    def __init__(self, programme: Any, ptr: Any) -> None:
        self.programme = programme
        self._h = _Handle(ptr, _core.tm_scorer_free)

    def score(self, commissioner: Union[int, str], site: Union[int, str],
              side: SideLike = "commissioner") -> float:
        """The score of the pair as seen from *side*: ``"commissioner"`` (how
        much the commissioner wants the site) or ``"site"``; agents by id or name.

        Raises
        ------
        OutOfRangeError, UnknownNameError
            An id outside the programme, or a name no agent has.
        """
        c, s = self.programme._pair(commissioner, site)
        return float(_core.tm_scorer_score(self._h.ptr, int(_weight_side(side)), c, s))

    def scores(self, commissioners: Any, sites: Any,
               side: SideLike = "commissioner") -> np.ndarray:
        """The scores of many pairs (equal-length arrays of ids) as a float64 array."""
        from ._arrays import as_int32

        cs = as_int32(commissioners, "commissioners", lo=0, hi=self.programme.n_commissioners)
        ss = as_int32(sites, "sites", lo=0, hi=self.programme.n_sites, length=cs.shape[0])
        sd = int(_weight_side(side))
        ptr = self._h.ptr
        return np.fromiter((_core.tm_scorer_score(ptr, sd, int(c), int(s))
                            for c, s in zip(cs.tolist(), ss.tolist())),
                           dtype=np.float64, count=cs.shape[0])

    def explain(self, commissioner: Union[int, str], site: Union[int, str]) -> ScoreDetail:
        """Every component, both scores, the distance and the pair rules'
        verdict of the pair (:class:`ScoreDetail`)."""
        c, s = self.programme._pair(commissioner, site)
        d = _core.TmScoreDetail()
        _core.tm_scorer_explain(self._h.ptr, c, s, d)
        return _detail(self.programme, c, s, d)

    def __repr__(self) -> str:
        p = self.programme
        return f"<Scorer {p.n_commissioners:,} commissioners x {p.n_sites:,} sites>"


def _check_id(value: Any, n: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InvalidArgumentError(f"{what}: expected an id or a name, got {value!r}")
    if not 0 <= int(value) < n:
        raise OutOfRangeError(f"{what}: {int(value)} is outside [0, {n})")
    return int(value)
