"""The programme layer: configuration, forms, screening and the selection."""
from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Union

import numpy as np

from . import core as _core
from ._errors import InvalidArgumentError, UnknownNameError
from ._market import Cancel, Market, Matching, Progress, Side, Verdict, _Handle, _run_controlled
from ._preferences import (PrefsStats, Rules, ScoreDetail, Scorer, SideLike, _check_id,
                           _detail, _integer, _weight_side)

__all__ = ["Config", "Programme", "Screening", "Selection", "Diagnostic", "OBJECTIVES",
           "title_label", "unit_kind_label", "site_kind_label"]

LangLike = Union[str, int, None]


def _lang(lang: LangLike) -> int:
    """A TmLang (lang.h) from ``None`` (auto), a name tm_lang_parse accepts
    (``"auto"``, ``"en"``, ``"zh"``, ``"zh-CN"``, ``"中文"``, ...) or the
    constant itself; InvalidArgumentError otherwise."""
    if lang is None:
        return int(_core.TM_LANG_AUTO)
    if isinstance(lang, int) and not isinstance(lang, bool):
        if lang in (_core.TM_LANG_AUTO, _core.TM_LANG_EN, _core.TM_LANG_ZH):
            return int(lang)
        raise InvalidArgumentError(f"unknown language {lang!r}: use 'auto', 'en' or 'zh'")
    return _lang_value(lang)


def _vocab_index(value: Union[int, str], parse: Any, n: int, what: str) -> int:
    i = int(parse(value)) if isinstance(value, str) else value
    if not isinstance(i, int) or not 0 <= i < n:
        raise InvalidArgumentError(f"{what}: unknown value {value!r}")
    return i


def title_label(title: Union[int, str], lang: LangLike = "en") -> str:
    """A person's words for a professional title (tm_title_label): *title*
    is a code (``"senior"``), a Chinese label (``"高级"``, ``"副教授"``) or
    the number; *lang* ``"en"`` (default) or ``"zh"``."""
    i = _vocab_index(title, _core.tm_title_from_string, _core.TM_N_TITLES, "title_label")
    return str(_core.tm_title_label(i, _lang(lang)))


def unit_kind_label(kind: Union[int, str], lang: LangLike = "en") -> str:
    """As :func:`title_label` for a dispatching unit's kind (``"research
    institute"`` / ``"科研院所"``)."""
    i = _vocab_index(kind, _core.tm_unit_kind_from_string, _core.TM_N_UNIT_KINDS,
                     "unit_kind_label")
    return str(_core.tm_unit_kind_label(i, _lang(lang)))


def site_kind_label(kind: Union[int, str], lang: LangLike = "en") -> str:
    """As :func:`title_label` for a site's kind (``"high-tech enterprise"`` /
    ``"高新技术企业"``)."""
    i = _vocab_index(kind, _core.tm_site_kind_from_string, _core.TM_N_SITE_KINDS,
                     "site_kind_label")
    return str(_core.tm_site_kind_label(i, _lang(lang)))

PathLike = Union[str, "os.PathLike[str]"]


def _display_path(path: str) -> str:
    """*path* as a repr shows it: relative to the current folder when that is
    near (at most two ``..``), else its folder and file name, so reprs (and the
    notebooks that store them) never carry this machine's absolute paths."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive
        rel = path
    parts = pathlib.PurePath(rel).parts
    if not os.path.isabs(rel) and parts.count("..") <= 2:
        return rel
    return os.path.join(*pathlib.PurePath(path).parts[-2:])


class Config:
    """A programme's configuration: rules, weights, candidate settings, quota,
    sector caps/floors and the sector taxonomy (config.h, docs/config.md).

    Make one with :meth:`defaults`, :meth:`from_file`, :meth:`from_string` or
    :meth:`for_dir` (``DIR/programme.ini`` when present, else the defaults).
    """

    def __init__(self, _ptr: Any) -> None:
        if _ptr is None:
            raise InvalidArgumentError("Config: use Config.defaults/from_file/for_dir")
        self._h = _Handle(_ptr, _core.tm_config_free)

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    @classmethod
    def defaults(cls) -> "Config":
        """The defaults: default rules, a quota of 30, no sector limits, six sectors."""
        return cls(_core.tm_config_new_default())

    @classmethod
    def from_file(cls, path: PathLike) -> "Config":
        """Read a configuration file (raises ParseError with ``.file``/``.line``)."""
        return cls(_core.tm_config_load_file(os.fspath(path)))

    @classmethod
    def from_string(cls, text: str, source_name: str = "<string>") -> "Config":
        """Parse configuration text; *source_name* names it in messages."""
        return cls(_core.tm_config_load_data(text, len(text.encode("utf-8")), source_name))

    @classmethod
    def for_dir(cls, directory: PathLike) -> "Config":
        """``directory/programme.ini`` when it exists, else the defaults."""
        return cls(_core.tm_config_load_for_dir(os.fspath(directory)))

    @property
    def source(self) -> Optional[str]:
        """The file it was read from (None for the defaults)."""
        return _core.tm_config_source(self._ptr)

    @property
    def quota(self) -> Optional[int]:
        """The global quota (None: no quota).  Settable (like ``--quota``)."""
        q = int(_core.tm_quota_total(_core.tm_config_quota(self._ptr)))
        return None if q < 0 else q

    @quota.setter
    def quota(self, total: Optional[int]) -> None:
        if total is not None and (not isinstance(total, (int, np.integer)) or total < 0):
            raise InvalidArgumentError(f"quota: expected an integer >= 0 or None, got {total!r}")
        _core.tm_config_set_quota_total(self._ptr, -1 if total is None else int(total))

    @property
    def quota_counts(self) -> str:
        """What the quota and the sector limits count: ``"people"`` (commissioners
        or teams sent, a team counting once; the default, as the plan says) or
        ``"assignments"`` (commissioner-site pairs).  Settable (``[quota] counts=``)."""
        return str(_core.tm_quota_unit_code(_core.tm_quota_unit(_core.tm_config_quota(self._ptr))))

    @quota_counts.setter
    def quota_counts(self, unit: str) -> None:
        code = _core.tm_quota_unit_from_string(unit) if isinstance(unit, str) else -1
        if code < 0:
            raise InvalidArgumentError(
                f"quota_counts: expected 'people' or 'assignments', got {unit!r}")
        _core.tm_config_set_quota_unit(self._ptr, code)

    @property
    def sectors(self) -> List[str]:
        """The sector codes of the taxonomy, in order."""
        t = _core.tm_config_taxonomy(self._ptr)
        return [_core.tm_taxonomy_code(t, i) for i in range(_core.tm_taxonomy_n_sectors(t))]

    def sector_limits(self) -> Dict[str, Dict[str, Optional[int]]]:
        """{code: {"cap": cap or None, "floor": floor}} for sectors with limits
        (set with :meth:`set_sector_limits`)."""
        q = _core.tm_config_quota(self._ptr)
        out = {}
        for i in range(_core.tm_quota_n_sectors(q)):
            code = _core.tm_quota_sector_code(q, i)
            _, cap, floor = _core.tm_quota_sector(q, code)
            out[code] = {"cap": None if cap < 0 else int(cap), "floor": int(floor)}
        return out

    def set_sector_limits(self, sector: str, cap: Optional[int] = None, floor: int = 0) -> None:
        """Set the cap (None: none) and floor of *sector* (a code, or its
        Chinese or English name), as a ``[sector.CODE]`` group would;
        ``set_sector_limits(code)`` lifts its limits.

        Raises
        ------
        UnknownNameError
            *sector* is not a sector of the taxonomy.
        InvalidArgumentError
            A negative cap or floor, or a floor above the cap.

        Notes
        -----
        Floors are reservations inside the quota: floors adding up to more
        than the quota raise :class:`InfeasibleError` at :meth:`Programme.select`.
        """
        if not isinstance(sector, str):
            raise InvalidArgumentError(f"sector: expected a sector code or name, got {sector!r}")
        c = -1 if cap is None else _integer(cap, "cap")
        f = _integer(floor, "floor")
        if cap is not None and c < 0:
            raise InvalidArgumentError(f"cap: {c} is below zero (None: no cap)")
        _core.tm_config_set_sector(self._ptr, sector, c, f)

    @property
    def rules(self) -> Rules:
        """The rules, weights and candidate settings, changed in place
        (:class:`Rules`: ``config.rules["P_DISTANCE"] = True``,
        ``config.rules.min_title = "senior"``, ...)."""
        return Rules(self)

    def weight(self, side: SideLike, component: str) -> float:
        """The weight of score *component* for *side* (``"commissioner"`` or
        ``"site"``); see :meth:`Rules.weight`."""
        return self.rules.weight(side, component)

    def set_weight(self, side: SideLike, component: str, value: float) -> None:
        """Set the weight of score *component* (``"sector"``, ``"tags"``,
        ``"title"``, ``"years"``, ``"distance"``, ``"merit"``) for *side*
        (``"commissioner"``: how commissioners rank sites; ``"site"``: how
        sites rank commissioners).  Raises InvalidArgumentError for a
        negative, infinite or NaN weight (nothing changes)."""
        self.rules.set_weight(side, component, value)

    @property
    def weights(self) -> Dict[str, Dict[str, float]]:
        """Both sides' weights: ``{"commissioner": {...}, "site": {...}}``."""
        return self.rules.weights

    def to_text(self) -> str:
        """The whole configuration — rules, weights, scoring, candidates, consent,
        quota, taxonomy and sector limits — as programme.ini text that
        :meth:`from_string` reads back to an equal configuration
        (tm_config_to_data; comments are not kept).  What carries a
        configuration made in Python to other processes, e.g.
        ``parallel.ProgrammeJob(dir, config_text=cfg.to_text())``."""
        text, _ = _core.tm_config_to_data(self._ptr)
        return text

    def rules_text(self) -> str:
        """The rules, weights, scoring and candidate settings as configuration text."""
        text, _ = _core.tm_rules_to_data(_core.tm_config_rules(self._ptr))
        return text

    def rule_enabled(self, code: str) -> bool:
        """Whether rule *code* (``"C_TITLE"``, ...) is on."""
        return bool(_core.tm_rules_is_enabled(_core.tm_config_rules(self._ptr), code))

    def consent(self, side: SideLike) -> str:
        """The ``[consent]`` default of *side*: ``"open"`` or ``"named"``
        (:meth:`Rules.consent`)."""
        return self.rules.consent(side)

    def set_consent(self, side: SideLike, consent: str) -> None:
        """Set the ``[consent]`` default of *side* (:meth:`Rules.set_consent`)."""
        self.rules.set_consent(side, consent)

    def __repr__(self) -> str:
        q = "none" if self.quota is None else str(self.quota)
        src = "defaults" if self.source is None else _display_path(self.source)
        return f"<Config {src}: quota {q}, {len(self.sectors)} sectors>"


@dataclass(frozen=True)
class Diagnostic:
    """A problem found reading a form: position, message, severity."""

    file: str
    line: int
    column: int
    field: Optional[str]
    message: str
    severity: str  # "error" or "warning"
    text: str      # FILE:LINE:COLUMN: [warning: ]HEADER: message

    def __str__(self) -> str:
        return self.text


def _diagnostics(d: Any) -> List[Diagnostic]:
    out = []
    for i in range(_core.tm_form_diagnostics_count(d)):
        x = _core.tm_form_diagnostics_get(d, i)
        out.append(Diagnostic(_core.tm_form_diagnostic_file(x), _core.tm_form_diagnostic_line(x),
                              _core.tm_form_diagnostic_column(x),
                              _core.tm_form_diagnostic_field(x),
                              _core.tm_form_diagnostic_message(x),
                              "warning" if _core.tm_form_diagnostic_severity(x) else "error",
                              _core.tm_form_diagnostic_to_string(x)))
    return out


def _strv(v: Any, n: int) -> List[str]:
    return [_core.tm_py_strv_at(v, i) for i in range(n)]


#: the objectives of Programme.select (TmObjective), by their codes
OBJECTIVES = ("supply-optimal", "demand-optimal", "egalitarian", "min-regret", "max-weight",
              "balanced")
_STABILITIES = {"weak": _core.TM_STABILITY_WEAK, "strong": _core.TM_STABILITY_STRONG,
                "super": _core.TM_STABILITY_SUPER}


def _objective_code(objective: Optional[str]) -> int:
    if objective is None:
        return int(_core.TM_OBJECTIVE_SUPPLY_OPTIMAL)
    code = _core.tm_objective_from_string(objective) if isinstance(objective, str) else -1
    if code < 0:
        raise InvalidArgumentError(
            f"objective: expected one of {', '.join(OBJECTIVES)}, got {objective!r}")
    return int(code)


def _stability_code(stability: Optional[str]) -> int:
    if stability is None:
        return int(_core.TM_STABILITY_WEAK)
    if not isinstance(stability, str) or stability not in _STABILITIES:
        raise InvalidArgumentError(
            f"stability: expected 'weak', 'strong' or 'super', got {stability!r}")
    return int(_STABILITIES[stability])


def _tasks(bits: int) -> List[str]:
    """The task codes of a task bit set (tasks.h), in index order."""
    return [_core.tm_task_code(t) for t in range(_core.TM_N_TASKS) if bits >> t & 1]


_WISH_SIDES = ((0, "commissioner"), (1, "site"))


def _ranked(p: Any, side: int, i: int, v: Any, n: int) -> List[Any]:
    """Agent *i*'s wishes, best first; tied wishes (A=B in a form) as a nested
    list, as in the JSON instance format: ``["s2", ["s1", "s3"]]``."""
    names = _strv(v, n)
    out: List[Any] = []
    last = None
    for q, name in enumerate(names):
        r = int(_core.tm_programme_wish_rank(p, side, i, q))
        if out and r == last:
            if not isinstance(out[-1], list):
                out[-1] = [out[-1]]
            out[-1].append(name)
        else:
            out.append(name)
        last = r
    return out


class Programme:
    """Commissioners and sites of a programme, read from its two forms.

    Attributes
    ----------
    config : Config
        The configuration whose taxonomy the forms were read with (used by
        :meth:`screen` and :meth:`select` when none is given).
    diagnostics : list of Diagnostic
        Warnings (and, in lenient mode, the skipped rows) of the read.
    """

    def __init__(self, config: Optional[Config] = None) -> None:
        self.config = config if config is not None else Config.defaults()
        self._h = _Handle(_core.tm_programme_new(_core.tm_config_taxonomy(self.config._ptr)),
                          _core.tm_programme_free)
        self.diagnostics: List[Diagnostic] = []

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    @classmethod
    def from_forms(cls, sites: PathLike, commissioners: Optional[PathLike] = None, *,
                   lenient: bool = False, config: Optional[Config] = None) -> "Programme":
        """Read the two forms.

        Parameters
        ----------
        sites : path
            A programme folder (``sites.csv`` + ``commissioners.csv``, or
            需求登记表.csv + 申请表.csv, or the same names in ``.xlsx``), or the
            sites form (需求登记表) itself: CSV or an Excel workbook, whose
            sheet may be named as ``"PATH.xlsx:SHEET"`` (default: the first).
        commissioners : path, optional
            The application form (申请表), when *sites* is a file (CSV or
            ``.xlsx``, as *sites*).
        lenient : bool
            Skip bad rows (listed in :attr:`diagnostics`) instead of failing.
        config : Config, optional
            Default: ``Config.for_dir(folder)`` for a folder, else the defaults.

        Raises
        ------
        ParseError
            A bad row or file (``.file``, ``.line``, ``.column`` set).
        FileError
            A form cannot be read.
        """
        mode = 1 if lenient else 0
        path = os.fspath(sites)
        is_dir = commissioners is None
        if is_dir and not os.path.isdir(path):
            raise InvalidArgumentError(
                f"from_forms: {path} is not a folder; give the sites and commissioners forms")
        if config is None:
            config = Config.for_dir(path) if is_dir else Config.defaults()
        p = cls(config)
        d = _Handle(_core.tm_form_diagnostics_new(), _core.tm_form_diagnostics_free)
        try:
            if is_dir:
                _core.tm_forms_read_dir(p._ptr, path, mode, d.ptr)
            else:
                assert commissioners is not None
                _core.tm_forms_read_pair(p._ptr, path, os.fspath(commissioners), mode, d.ptr)
        finally:
            p.diagnostics = _diagnostics(d.ptr)
            p._diagnostics_handle = d
        return p

    def diagnostics_markdown(self, lang: str = "en") -> str:
        """The report section listing :attr:`diagnostics` (the rows a lenient
        read skipped, the wishes it dropped, the warnings), as ``techmatch run
        --lenient`` appends to report.md; ``""`` when there are none (or the
        programme was not read from forms).  *lang*: the section's own words
        in ``"en"`` (default) or ``"zh"`` (``"auto"``: the forms' language);
        the readers' messages stay as recorded."""
        d = getattr(self, "_diagnostics_handle", None)
        if d is None:
            return ""
        code = _lang_value(lang)
        if code == _core.TM_LANG_AUTO:
            code = _core.tm_programme_language(self._ptr)
        return str(_core.tm_form_diagnostics_markdown_in(d.ptr, code))

    @property
    def language(self) -> str:
        """``"zh"`` once a form with mostly Chinese headers was read into the
        programme, else ``"en"`` (tm_programme_language): what ``lang="auto"``
        means for its documents.  Settable to ``"zh"`` or ``"en"``."""
        return _core.tm_lang_code(_core.tm_programme_language(self._ptr))

    @language.setter
    def language(self, lang: str) -> None:
        value = _lang_value(lang)
        if value == _core.TM_LANG_AUTO:
            raise InvalidArgumentError("a programme's language is zh or en, not auto")
        _core.tm_programme_set_language(self._ptr, value)

    @property
    def n_commissioners(self) -> int:
        """Number of commissioners (and teams)."""
        return int(_core.tm_programme_n_commissioners(self._ptr))

    @property
    def n_sites(self) -> int:
        """Number of service sites."""
        return int(_core.tm_programme_n_sites(self._ptr))

    def _sector(self, i: int) -> Optional[str]:
        return _core.tm_taxonomy_code(_core.tm_programme_taxonomy(self._ptr), i)

    @property
    def commissioners(self) -> Any:
        """The commissioners' profiles as a pandas DataFrame (one row per id);
        ``ranked_sites`` lists the wishes best first, tied ones (``A=B`` in the
        form) as a nested list."""
        import pandas as pd

        rows = []
        for i in range(self.n_commissioners):
            c = _core.tm_programme_commissioner(self._ptr, i)
            exp = {self._sector(_core.tm_py_expertise_sector(c, j)):
                   int(_core.tm_py_expertise_level(c, j)) for j in range(c.n_expertise)}
            rows.append({
                "name": c.name, "team_size": c.team_size, "title": _core.tm_title_code(c.title),
                "unit": c.unit, "unit_kind": _core.tm_unit_kind_code(c.unit_kind),
                "unit_support": bool(c.unit_support), "expertise": exp,
                "skills": _strv(c.skills, c.n_skills), "years": c.years,
                "capacity": c.capacity, "x": None if c.x <= -1e299 else c.x,
                "y": None if c.y <= -1e299 else c.y, "location": c.location,
                "merit": c.merit,
                "ranked_sites": _ranked(self._ptr, 0, i, c.ranked_sites, c.n_ranked_sites),
                "tasks": _tasks(c.tasks), "consent": _core.tm_consent_code(c.consent)})
        return pd.DataFrame(rows, columns=[
            "name", "team_size", "title", "unit", "unit_kind", "unit_support", "expertise",
            "skills", "years", "capacity", "x", "y", "location", "merit", "ranked_sites",
            "tasks", "consent"])

    @property
    def sites(self) -> Any:
        """The sites' profiles as a pandas DataFrame (one row per id), tied
        names of ``ranked_commissioners`` as a nested list."""
        import pandas as pd

        rows = []
        for i in range(self.n_sites):
            s = _core.tm_programme_site(self._ptr, i)
            rows.append({
                "name": s.name, "kind": _core.tm_site_kind_code(s.kind),
                "sector": self._sector(s.sector), "has_clinic": bool(s.has_clinic),
                "needs": _strv(s.needs, s.n_needs), "min_title": _core.tm_title_code(s.min_title),
                "years": s.years, "capacity": s.capacity,
                "x": None if s.x <= -1e299 else s.x, "y": None if s.y <= -1e299 else s.y,
                "location": s.location,
                "ranked_commissioners": _ranked(self._ptr, 1, i, s.ranked_commissioners,
                                                s.n_ranked_commissioners),
                "tasks": _tasks(s.tasks), "consent": _core.tm_consent_code(s.consent)})
        return pd.DataFrame(rows, columns=[
            "name", "kind", "sector", "has_clinic", "needs", "min_title", "years", "capacity",
            "x", "y", "location", "ranked_commissioners", "tasks", "consent"])

    def commissioner_id(self, commissioner: Union[int, str]) -> int:
        """The id of a commissioner given by id or name (UnknownNameError,
        OutOfRangeError otherwise)."""
        if isinstance(commissioner, str):
            i = int(_core.tm_programme_find_commissioner(self._ptr, commissioner))
            if i < 0:
                raise UnknownNameError(f"commissioner: no commissioner is called {commissioner!r}")
            return i
        return _check_id(commissioner, self.n_commissioners, "commissioner")

    def site_id(self, site: Union[int, str]) -> int:
        """The id of a site given by id or name."""
        if isinstance(site, str):
            i = int(_core.tm_programme_find_site(self._ptr, site))
            if i < 0:
                raise UnknownNameError(f"site: no site is called {site!r}")
            return i
        return _check_id(site, self.n_sites, "site")

    def _pair(self, commissioner: Union[int, str], site: Union[int, str]) -> "tuple[int, int]":
        return self.commissioner_id(commissioner), self.site_id(site)

    def _cfg(self, config: Optional[Config]) -> Config:
        if config is None:
            return self.config
        if not isinstance(config, Config):
            raise InvalidArgumentError(f"config: expected a techmatch.Config, got {config!r}")
        return config

    def scorer(self, config: Optional[Config] = None) -> Scorer:
        """A :class:`Scorer` for many scores under the rules of *config*
        (default: :attr:`config`), copied now."""
        cfg = self._cfg(config)
        return Scorer(self, _core.tm_scorer_new(self._ptr, _core.tm_config_rules(cfg._ptr)))

    def score(self, commissioner: Union[int, str], site: Union[int, str],
              side: SideLike = "commissioner", config: Optional[Config] = None) -> float:
        """One score (tm_preferences_score): how much the commissioner wants
        the site (*side* ``"commissioner"``) or the site the commissioner
        (``"site"``), acceptable or not.  O(n_commissioners): use
        :meth:`scorer` for many."""
        c, s = self._pair(commissioner, site)
        cfg = self._cfg(config)
        return float(_core.tm_preferences_score(self._ptr, _core.tm_config_rules(cfg._ptr),
                                                int(_weight_side(side)), c, s))

    def explain(self, commissioner: Union[int, str], site: Union[int, str],
                config: Optional[Config] = None) -> ScoreDetail:
        """A pair's components, both scores and the pair rules' verdict
        (tm_preferences_explain; :class:`ScoreDetail`)."""
        c, s = self._pair(commissioner, site)
        cfg = self._cfg(config)
        d = _core.TmScoreDetail()
        _core.tm_preferences_explain(self._ptr, _core.tm_config_rules(cfg._ptr), c, s, d)
        return _detail(self, c, s, d)

    def pair_failures(self, commissioner: Union[int, str], site: Union[int, str],
                      config: Optional[Config] = None) -> List[str]:
        """The pair rules (P_*) the pair fails, in index order ([] when it
        passes; agent eligibility is not looked at)."""
        c, s = self._pair(commissioner, site)
        cfg = self._cfg(config)
        codes = _core.tm_rules_mask_codes(
            _core.tm_rules_pair_failures(self._ptr, _core.tm_config_rules(cfg._ptr), c, s))
        return codes.split(";") if codes else []

    def fault(self, code: str, commissioner: Union[int, str, None] = None,
              site: Union[int, str, None] = None,
              config: Optional[Config] = None, lang: LangLike = "en") -> Optional[str]:
        """The value at fault when rule *code* fails (tm_rules_agent_fault_lang,
        tm_rules_pair_fault_lang): a short text naming the field, the agent's
        value and what the rule asks, in *lang* (``"en"``, the default:
        ``"title (职称): junior title — needs intermediate title or above"``;
        ``"zh"``: ``"职称：初级，须为中级及以上"``; ``"auto"``/None: the
        programme's language).  Give *commissioner* for a C_* rule, *site*
        for an S_* rule, both for a P_* rule (by id or name).  None when the
        rule passes or is off under *config* (default: :attr:`config`).

        Raises
        ------
        InvalidArgumentError
            *code* is no rule code, the agents given do not fit its scope,
            or *lang* is no language.
        UnknownNameError, OutOfRangeError
            An agent that does not exist.
        """
        lg = _lang(lang)
        i = _core.tm_rule_find(code) if isinstance(code, str) else -1
        if i < 0:
            raise InvalidArgumentError(f"fault: {code!r} is not a rule code")
        scope = int(_core.tm_rule_scope(i))
        want = {0: (True, False), 1: (False, True), 2: (True, True)}[scope]
        if (commissioner is not None, site is not None) != want:
            need = {0: "a commissioner", 1: "a site", 2: "a commissioner and a site"}[scope]
            raise InvalidArgumentError(f"fault: rule {code} needs {need}")
        rules = _core.tm_config_rules(self._cfg(config)._ptr)
        if scope == 2:
            c, s = self._pair(commissioner, site)  # type: ignore[arg-type]
            return _core.tm_rules_pair_fault_lang(self._ptr, rules, c, s, code, lg)
        if scope == 0:
            return _core.tm_rules_agent_fault_lang(self._ptr, rules, 0,
                                                   self.commissioner_id(commissioner),  # type: ignore[arg-type]
                                                   code, lg)
        return _core.tm_rules_agent_fault_lang(self._ptr, rules, 1,
                                               self.site_id(site), code, lg)  # type: ignore[arg-type]

    def build_market(self, config: Optional[Config] = None, *, k: Optional[int] = None,
                     threads: Optional[int] = None, screening: Optional["Screening"] = None,
                     progress: Progress = None, cancel: Optional[Cancel] = None) -> Market:
        """Screen and build the two-way preference market (tm_programme_build_market):
        commissioner i is supply agent i, site j demand agent j; ineligible
        agents get capacity 0 and empty lists; wishes first, then by score.
        The same lists :meth:`select` (and ``techmatch run``) match on.

        Parameters
        ----------
        config : Config, optional
            Rules, weights and ``[candidates]`` (default: :attr:`config`).
        k : int, optional
            0 = every acceptable pair (exact), > 0 = top k; default the
            configuration's ``[candidates] k``.
        threads : int, optional
            Worker threads (default one per processor); the result does not
            depend on it.
        screening : Screening, optional
            A screening of this programme (default: screened here).
        progress, cancel
            As :meth:`Market.solve`; Ctrl-C raises KeyboardInterrupt.

        Returns
        -------
        Market
            With the agents' names and :attr:`Market.stats`, a :class:`PrefsStats`.

        Raises
        ------
        UnknownNameError
            A wish names no agent.
        InvalidArgumentError
            A bad *k* or *threads*, or a screening of another programme.
        CancelledError, KeyboardInterrupt
        """
        cfg = self._cfg(config)
        if screening is not None and (not isinstance(screening, Screening)
                                      or screening.programme is not self):
            raise InvalidArgumentError("screening: expected a Screening of this programme")
        opts = _core.tm_prefs_options_new()
        stats = _Handle(_core.tm_prefs_stats_new(), _core.tm_prefs_stats_free)
        try:
            _core.tm_prefs_options_set_k(opts, -1 if k is None else _integer(k, "k"))
            _core.tm_prefs_options_set_n_threads(
                opts, 0 if threads is None else _integer(threads, "threads"))
            ptr = _run_controlled(
                lambda o: _core.tm_programme_build_market(
                    self._ptr, _core.tm_config_rules(cfg._ptr),
                    None if screening is None else screening._h.ptr, o, stats.ptr),
                _core.tm_prefs_options_set_cancel, _core.tm_py_prefs_options_set_progress,
                opts, progress, cancel, _core.tm_market_free)
        finally:
            _core.tm_prefs_options_free(opts)
        p = self._ptr
        m = Market(ptr, supply_names=[_core.tm_programme_commissioner(p, i).name
                                      for i in range(self.n_commissioners)],
                   demand_names=[_core.tm_programme_site(p, i).name
                                 for i in range(self.n_sites)])
        m.stats = PrefsStats._from(stats.ptr)
        return m

    def screen(self, config: Optional[Config] = None) -> "Screening":
        """Apply the eligibility rules of *config* (default: :attr:`config`)."""
        cfg = self._cfg(config)
        return Screening(_core.tm_programme_screen(self._ptr, _core.tm_config_rules(cfg._ptr)),
                         self)

    def select(self, config: Optional[Config] = None, *, k: Optional[int] = None,
               objective: Optional[str] = None, stability: Optional[str] = None,
               max_cardinality: bool = False, seed: Optional[int] = None,
               progress: Progress = None, cancel: Optional[Cancel] = None,
               review: Any = None) -> "Selection":
        """Screen, build two-way preferences, apply the quota and sector limits and
        match (tm_programme_select); the same result as ``techmatch run`` with
        the same options.

        Parameters
        ----------
        config : Config, optional
            Rules, quota and sector limits (default: :attr:`config`).
        k : int, optional
            Candidates per agent: 0 = all pairs (exact), > 0 = top k; default the
            configuration's ``[candidates] k``.
        objective : str, optional
            Which stable matching (``techmatch run --objective``):
            ``"supply-optimal"`` (the default), ``"demand-optimal"``,
            ``"egalitarian"``, ``"min-regret"``, ``"max-weight"`` (pair weight:
            the commissioner's score of the site plus the site's score of the
            commissioner) or ``"balanced"``.  All but supply-optimal need a
            configuration without quota and sector limits (``config.quota =
            None``); the last four also strict lists (no tied wishes) and
            capacities above 1 on one side only.
        stability : str, optional
            With tied wishes: ``"weak"`` (default), ``"strong"`` or ``"super"``.
        max_cardinality : bool
            With tied wishes: a large weakly stable matching.
        seed : int, optional
            With tied wishes: break ties at random from this seed (default: by
            list position).
        progress, cancel
            As :meth:`Market.solve` (Ctrl-C raises KeyboardInterrupt).
        review : Review or path, optional
            The leading group's decisions (``techmatch run --review``): pinned
            pairs first (counting against the quota), vetoed pairs never,
            excluded agents out, admitted ones eligible; a path is read with
            :meth:`Review.from_file`.  Compare with the run without it through
            :class:`ReviewEffects`.

        Any of *objective*, *stability*, *max_cardinality* and *seed* makes
        the selection's documents state the objective and its value
        (:attr:`Selection.objective`, :attr:`Selection.objective_value`).

        Raises
        ------
        UnsupportedError
            The objective or stability cannot be met on this programme (a
            quota or sector limits; ties or many-to-many for the lattice).
        NoSuchMatching
            No strongly / super-stable matching exists.
        InvalidArgumentError
            A bad value of an option.
        """
        cfg = config if config is not None else self.config
        obj = _objective_code(objective)
        st = _stability_code(stability)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                                 or not 0 <= int(seed) < 2 ** 64):
            raise InvalidArgumentError(f"seed: expected an integer from 0 to 2**64 - 1, got {seed!r}")
        if max_cardinality and st != _core.TM_STABILITY_WEAK:
            raise InvalidArgumentError("max_cardinality goes with stability 'weak' only (every "
                                       "strongly or super-stable matching has the same size)")
        if review is not None:
            from ._review import Review
            if not isinstance(review, Review):
                if not isinstance(review, (str, os.PathLike)):
                    raise InvalidArgumentError(f"review: expected a Review or a path, got {review!r}")
                review = Review.from_file(review)
        opts = _core.tm_select_options_new()
        try:
            if review is not None:
                _core.tm_select_options_set_review(opts, review._ptr)
            _core.tm_select_options_set_k(opts, -1 if k is None else int(k))
            if objective is not None or stability is not None or max_cardinality or seed is not None:
                _core.tm_select_options_set_objective(opts, obj)
            _core.tm_select_options_set_stability(opts, st)
            _core.tm_select_options_set_max_cardinality(opts, bool(max_cardinality))
            if seed is not None:
                _core.tm_select_options_set_tie_seed(opts, int(seed))
            ptr = _run_controlled(
                lambda o: _core.tm_programme_select(self._ptr, _core.tm_config_rules(cfg._ptr),
                                                    _core.tm_config_quota(cfg._ptr), o),
                _core.tm_select_options_set_cancel, _core.tm_py_select_options_set_progress,
                opts, progress, cancel, _core.tm_selection_free)
        finally:
            _core.tm_select_options_free(opts)
        return Selection(ptr, self)

    def __repr__(self) -> str:
        return f"<Programme {self.n_commissioners:,} commissioners, {self.n_sites:,} sites>"


class Screening:
    """Who is eligible and why not: :attr:`commissioners` and :attr:`sites`
    DataFrames with ``eligible``, ``reason`` (first failing rule) and
    ``failures`` (every failing rule, ``;``-separated)."""

    def __init__(self, ptr: Any, programme: Programme) -> None:
        self._h = _Handle(ptr, _core.tm_screening_free)
        self.programme = programme

    def _frame(self, side: int) -> Any:
        import pandas as pd

        p, s = self.programme._ptr, self._h.ptr
        n = _core.tm_screening_n_agents(s, side)
        get = _core.tm_programme_commissioner if side == 0 else _core.tm_programme_site
        return pd.DataFrame({
            "name": [get(p, i).name for i in range(n)],
            "eligible": [bool(_core.tm_screening_is_eligible(s, side, i)) for i in range(n)],
            "reason": [_core.tm_screening_reason(s, side, i) for i in range(n)],
            "failures": [_core.tm_rules_mask_codes(_core.tm_screening_failures(s, side, i))
                         for i in range(n)]})

    @property
    def commissioners(self) -> Any:
        """One row per commissioner: name, eligible, reason, failures."""
        return self._frame(0)

    @property
    def sites(self) -> Any:
        """One row per site: name, eligible, reason, failures."""
        return self._frame(1)

    def n_eligible(self, side: str = "supply") -> int:
        """Eligible commissioners (``"supply"``) or sites (``"demand"``)."""
        return int(_core.tm_screening_n_eligible(self._h.ptr, 0 if side == "supply" else 1))

    def n_failing(self, code: str, first: bool = False) -> int:
        """Agents failing rule *code* (every failure counted), or with
        *first* only those for which it is the first failing rule."""
        f = _core.tm_screening_n_first_failing if first else _core.tm_screening_n_failing
        n = int(f(self._h.ptr, code if isinstance(code, str) else ""))
        if n < 0:
            raise InvalidArgumentError(f"rule: {code!r} is not a rule code")
        return n

    def by_rule(self) -> Any:
        """Per rule: code, scope, failing (every failure) and first_failing
        (the agents it is the reason for), as a pandas DataFrame."""
        import pandas as pd

        rows = []
        for i in range(_core.tm_rules_n_rules()):
            code = _core.tm_rule_code(i)
            rows.append({"code": code,
                         "scope": {0: "commissioner", 1: "site", 2: "pair"}[
                             _core.tm_rule_scope(i)],
                         "failing": self.n_failing(code),
                         "first_failing": self.n_failing(code, first=True)})
        return pd.DataFrame(rows, columns=["code", "scope", "failing", "first_failing"])

    def ineligible(self) -> Any:
        """Every ineligible agent (both sides) with its reasons: a DataFrame."""
        import pandas as pd

        c, s = self.commissioners, self.sites
        c.insert(0, "side", "commissioner")
        s.insert(0, "side", "site")
        both = pd.concat([c, s], ignore_index=True)
        return both[~both["eligible"]].reset_index(drop=True)

    def __repr__(self) -> str:
        s = self._h.ptr
        return (f"<Screening {self.n_eligible('supply')}/{_core.tm_screening_n_agents(s, 0)} "
                f"commissioners, {self.n_eligible('demand')}/"
                f"{_core.tm_screening_n_agents(s, 1)} sites eligible>")


_OUTCOME_TEXT = {
    "matched": "matched (all of its capacity is used)",
    "partly": "matched, with capacity left",
    "ineligible": "excluded by an eligibility rule",
    "no_capacity": "capacity 0",
    "no_partner": "no acceptable partner",
    "outranked": "every acceptable partner went to agents it prefers",
    "quota": "cut by the global quota",
    "sector_cap": "cut by a sector cap",
}



class _OutputOptions:
    """A TmOutputOptions (output.h) for one call: ``with _OutputOptions(lang,
    plain_csv, template) as opts:``; freed on exit."""

    def __init__(self, lang: str = "auto", plain_csv: bool = False,
                 template: Optional[str] = None) -> None:
        self._lang = _lang_value(lang)
        self._plain = bool(plain_csv)
        self._template = template
        self._ptr = None

    def __enter__(self) -> Any:
        self._ptr = _core.tm_output_options_new()
        try:
            _core.tm_output_options_set_language(self._ptr, self._lang)
            _core.tm_output_options_set_plain_csv(self._ptr, self._plain)
            if self._template is not None:
                _core.tm_output_options_set_agreement_template(self._ptr, self._template,
                                                               "<template>")
        except BaseException:
            _core.tm_output_options_free(self._ptr)
            self._ptr = None
            raise
        return self._ptr

    def __exit__(self, *exc: Any) -> None:
        if self._ptr is not None:
            _core.tm_output_options_free(self._ptr)
            self._ptr = None


def _lang_value(lang: str) -> int:
    """TM_LANG_* for a language name (``"auto"``, ``"zh"``, ``"en"``, ``"zh_CN"``,
    ...; lang.h's tm_lang_parse).  Raises InvalidArgumentError (a
    ValueError) for anything else."""
    if not isinstance(lang, str):
        raise TypeError(f"lang must be a str, not {type(lang).__name__}")
    _, value = _core.tm_lang_parse(lang)  # InvalidArgumentError (a ValueError)
    return int(value)

class Selection:
    """The result of :meth:`Programme.select`.

    Attributes
    ----------
    programme : Programme
    market : Market
        The two-way preference market the selection solved.
    matching : Matching
        The assignments (ids: commissioner = supply, site = demand).
    """

    def __init__(self, ptr: Any, programme: Programme) -> None:
        self._h = _Handle(ptr, _core.tm_selection_free)
        self.programme = programme
        p = programme._ptr
        m = Market(_core.tm_market_ref(_core.tm_selection_market(ptr)),
                   supply_names=[_core.tm_programme_commissioner(p, i).name
                                 for i in range(_core.tm_selection_n_agents(ptr, 0))],
                   demand_names=[_core.tm_programme_site(p, i).name
                                 for i in range(_core.tm_selection_n_agents(ptr, 1))])
        self.market = m
        obj = self.objective
        self.matching = Matching(_core.tm_selection_matching(ptr), m,
                                 optimal=Side.SUPPLY if obj == "supply-optimal" else
                                 Side.DEMAND if obj == "demand-optimal" else None,
                                 _keep=self._h, _owned=False)
        if _core.tm_selection_objective_requested(ptr):
            self.matching.objective = obj
            self.matching.objective_value = self.objective_value

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    @property
    def objective(self) -> str:
        """The objective the matching optimises (``"supply-optimal"`` unless
        :meth:`Programme.select` asked for another)."""
        return str(_core.tm_objective_code(_core.tm_selection_objective(self._ptr)))

    @property
    def objective_value(self) -> Union[int, float]:
        """The objective's value (ranks from 0; a float for max-weight), as
        the documents state it when it was requested."""
        v = float(_core.tm_selection_objective_value(self._ptr))
        return v if self.objective == "max-weight" else int(v)

    @property
    def objective_requested(self) -> bool:
        """Whether an objective was asked for (the documents then state it)."""
        return bool(_core.tm_selection_objective_requested(self._ptr))

    @property
    def stability(self) -> str:
        """The stability asked for and audited: ``"weak"``, ``"strong"`` or ``"super"``."""
        st = int(_core.tm_selection_stability(self._ptr))
        return {v: k for k, v in _STABILITIES.items()}[st]

    @property
    def n_selected(self) -> int:
        """Distinct commissioners with at least one site."""
        return int(_core.tm_selection_n_selected(self._ptr))

    @property
    def quota(self) -> Optional[int]:
        """The quota in force (None: none)."""
        q = int(_core.tm_selection_quota_total(self._ptr))
        return None if q < 0 else q

    @property
    def quota_counts(self) -> str:
        """What the quota counts: ``"people"`` or ``"assignments"``."""
        return str(_core.tm_quota_unit_code(_core.tm_selection_quota_unit(self._ptr)))

    @property
    def quota_used(self) -> int:
        """Commissioners or teams sent (or assignments made), pinned pairs included."""
        return int(_core.tm_selection_quota_used(self._ptr))

    @property
    def merit_cutoff(self) -> Optional[Dict[str, Any]]:
        """Where the quota stopped the admission in merit order:
        ``{"commissioner": name, "merit": value, "position": place in the
        order}`` for the first applicant the quota cut, or None when it cut
        nobody."""
        ok, c, merit = _core.tm_selection_merit_cutoff(self._ptr)
        if not ok:
            return None
        return {"commissioner": self.market.names(0)[c], "merit": float(merit),
                "position": int(_core.tm_selection_merit_position(self._ptr, c))}

    def _cid(self, commissioner: Union[int, str]) -> int:
        c = self.programme.commissioner_id(commissioner)
        if c >= _core.tm_selection_n_agents(self._ptr, 0):
            raise UnknownNameError(f"commissioner {commissioner!r} is not in this selection")
        return c

    def merit_position(self, commissioner: Union[int, str]) -> Optional[int]:
        """The commissioner's place in the admission order (0 = highest merit),
        or None when it took no part (ineligible, excluded, no partner)."""
        pos = int(_core.tm_selection_merit_position(self._ptr, self._cid(commissioner)))
        return None if pos < 0 else pos

    def outranked_at(self, commissioner: Union[int, str]) -> Optional[Dict[str, str]]:
        """For a commissioner considered and not (fully) placed: ``{"site": the
        site it wanted most among those it did not get, "by": the person who
        outranked it there}``; None otherwise."""
        ok, s, by = _core.tm_selection_outranked_at(self._ptr, self._cid(commissioner))
        if not ok:
            return None
        return {"site": self.market.names(1)[s], "by": self.market.names(0)[by]}

    def pair_review(self, commissioner: Union[int, str], site: Union[int, str]) -> Optional[str]:
        """The review's decision on the pair: ``"pin"``, ``"veto"`` or None."""
        c = self._cid(commissioner)
        s = self.programme.site_id(site)
        k = int(_core.tm_selection_pair_review(self._ptr, c, s))
        return None if k < 0 else str(_core.tm_decision_kind_code(k))

    @property
    def verdict(self) -> Verdict:
        """The audit under the quota and sector caps."""
        # borrowed from the selection; everything is copied out
        return Verdict(_core.tm_selection_verdict(self._ptr), self.market, None, _owned=False)

    @property
    def stable(self) -> bool:
        """Whether the selection is stable under its quota and caps."""
        return bool(_core.tm_verdict_is_stable(_core.tm_selection_verdict(self._ptr)))

    @property
    def assignments(self) -> Any:
        """One row per assignment (as assignments.csv): commissioner, site, sector,
        site_kind, commissioner_rank, site_rank (1 = first choice),
        commissioner_score, site_score, plus the ids."""
        import pandas as pd

        sel, p = self._ptr, self.programme._ptr
        pairs = self.matching.pairs
        rows = []
        for c, s in pairs.tolist():
            site = _core.tm_programme_site(p, s)
            rows.append({
                "commissioner": _core.tm_programme_commissioner(p, c).name,
                "site": site.name, "sector": self.programme._sector(site.sector),
                "site_kind": _core.tm_site_kind_code(site.kind),
                "commissioner_rank": int(_core.tm_selection_rank(sel, 0, c, s)) + 1,
                "site_rank": int(_core.tm_selection_rank(sel, 1, s, c)) + 1,
                "commissioner_score": float(_core.tm_selection_score(sel, 0, c, s)),
                "site_score": float(_core.tm_selection_score(sel, 1, c, s)),
                "commissioner_id": c, "site_id": s})
        return pd.DataFrame(rows, columns=[
            "commissioner", "site", "sector", "site_kind", "commissioner_rank", "site_rank",
            "commissioner_score", "site_score", "commissioner_id", "site_id"])

    @property
    def outcomes(self) -> Any:
        """Every agent with its outcome code, detail and a short text: a DataFrame
        with side ("commissioner"/"site"), id, name, outcome, detail, text."""
        import pandas as pd

        sel = self._ptr
        rows = []
        for side, label in ((0, "commissioner"), (1, "site")):
            names = self.market.names(side) or []
            for i in range(_core.tm_selection_n_agents(sel, side)):
                code, detail = _core.tm_selection_outcome(sel, side, i)
                oc = _core.tm_outcome_code(code)
                text = _OUTCOME_TEXT.get(oc, oc)
                if detail:
                    text = f"{text} ({detail})"
                rows.append({"side": label, "id": i, "name": names[i], "outcome": oc,
                             "detail": detail, "text": text})
        return pd.DataFrame(rows, columns=["side", "id", "name", "outcome", "detail", "text"])

    def reason(self, side: SideLike, agent: Union[int, str], lang: LangLike = None) -> str:
        """The outcome of one agent as the report states it (tm_selection_reason):
        its label and what explains it, in *lang* (None/``"auto"``: the
        programme's language; ``"en"``: ``"cut by the quota: the quota of 30
        commissioners or teams was full when ..."``; ``"zh"``:
        ``"因选派名额已满未选派：选派名额（30 名特派员或团队）在按评分择优录取至…"``).
        *side* is ``"commissioner"``/``"site"`` (or 0/1), *agent* a name or an id.

        Raises
        ------
        InvalidArgumentError
            A bad side or language.
        UnknownNameError, OutOfRangeError
            No such agent.
        """
        sd = int(_weight_side(side))
        lg = _lang(lang)
        if isinstance(agent, str):
            i = (self.programme.commissioner_id(agent) if sd == 0
                 else self.programme.site_id(agent))
        else:
            i = _check_id(agent, _core.tm_selection_n_agents(self._ptr, sd),
                          "commissioner" if sd == 0 else "site")
        return str(_core.tm_selection_reason(self._ptr, sd, i, lg))

    def sector_coverage(self) -> Any:
        """Per sector: registered, eligible and served sites, assignments, ``used``
        (what the quota counts there: people serving a site of the sector, or
        assignments), cap, floor."""
        import pandas as pd

        sel = self._ptr
        t = _core.tm_programme_taxonomy(self.programme._ptr)
        rows = []
        for i in range(_core.tm_taxonomy_n_sectors(t)):
            _, reg, eli, srv, asg = _core.tm_selection_sector_counts(sel, i)
            has, cap, floor = _core.tm_selection_sector_limits(sel, i)
            rows.append({"sector": _core.tm_taxonomy_code(t, i),
                         "name_zh": _core.tm_taxonomy_name_zh(t, i),
                         "name_en": _core.tm_taxonomy_name_en(t, i), "registered": reg,
                         "eligible": eli, "served": srv, "assignments": asg,
                         "used": int(_core.tm_selection_sector_used(sel, i)),
                         "cap": cap if has and cap >= 0 else None,
                         "floor": floor if has else 0})
        return pd.DataFrame(rows)

    def dropped_wishes(self, lang: LangLike = "en") -> Any:
        """Every explicit wish that is not in the market's lists, with why: a
        DataFrame with side (of the agent who wished: ``"commissioner"`` or
        ``"site"``), agent, partner (names), agent_id, partner_id, fate
        (``"ineligible"``, ``"partner_ineligible"``, ``"pair_rule"``,
        ``"not_named"``, ``"review"``), rule (the rule's code, or None) and reason (one
        line naming the value at fault or the partner's consent, in *lang*:
        ``"en"`` by default, ``"zh"``, or ``"auto"``/None for the programme's
        language; tm_selection_wish_reason_lang)."""
        lg = _lang(lang)
        import pandas as pd

        sel, p = self._ptr, self.programme._ptr
        rows = []
        for side, label in _WISH_SIDES:
            for a in range(_core.tm_selection_n_agents(sel, side)):
                ag = (_core.tm_programme_commissioner(p, a) if side == 0
                      else _core.tm_programme_site(p, a))
                n = ag.n_ranked_sites if side == 0 else ag.n_ranked_commissioners
                for q in range(n):
                    fate = int(_core.tm_selection_wish_fate(sel, side, a, q))
                    if fate == _core.TM_WISH_KEPT:
                        continue
                    o = int(_core.tm_selection_wish_partner(sel, side, a, q))
                    other = (_core.tm_programme_site(p, o) if side == 0
                             else _core.tm_programme_commissioner(p, o)) if o >= 0 else None
                    rows.append({
                        "side": label, "agent": ag.name,
                        "partner": other.name if other is not None else None,
                        "agent_id": a, "partner_id": o,
                        "fate": _core.tm_wish_fate_code(fate) if fate >= 0 else None,
                        "rule": _core.tm_selection_wish_rule(sel, side, a, q),
                        "reason": _core.tm_selection_wish_reason_lang(sel, side, a, q, lg)})
        return pd.DataFrame(rows, columns=["side", "agent", "partner", "agent_id", "partner_id",
                                           "fate", "rule", "reason"])

    def mutual_first_choices(self) -> Any:
        """Every pair where each is the other's first choice (rank 1 both
        ways): a DataFrame with commissioner, site, commissioner_id, site_id,
        assigned, and for a pair not assigned the commissioner's outcome and
        detail (``"quota"``, ``"sector_cap"``, ``"review"``, ...; None when
        assigned)."""
        import pandas as pd

        sel, p = self._ptr, self.programme._ptr
        rows = []
        for c in range(_core.tm_selection_n_agents(sel, 0)):
            j = 0
            while (s := int(_core.tm_selection_mutual_first(sel, c, j))) >= 0:
                j += 1
                kept = bool(_core.tm_selection_is_assigned(sel, c, s))
                code, detail = _core.tm_selection_outcome(sel, 0, c)
                rows.append({"commissioner": _core.tm_programme_commissioner(p, c).name,
                             "site": _core.tm_programme_site(p, s).name,
                             "commissioner_id": c, "site_id": s, "assigned": kept,
                             "outcome": None if kept else _core.tm_outcome_code(code),
                             "detail": None if kept else detail})
        return pd.DataFrame(rows, columns=["commissioner", "site", "commissioner_id", "site_id",
                                           "assigned", "outcome", "detail"])

    def report_markdown(self) -> str:
        """The Markdown report in English (tm_selection_report_markdown());
        :meth:`report` gives it in the reader's language."""
        return _core.tm_selection_report_markdown(self._ptr)

    def report(self, lang: str = "auto") -> str:
        """The Markdown report in *lang*: ``"auto"`` (default: Chinese when the
        programme's forms were read with Chinese headers, else English),
        ``"en"`` or ``"zh"`` (also ``"zh-CN"``, ``"中文"``, ``"english"``, ...).
        Headings, table headers, legends, sector names, site kinds and rule
        texts are in that language; names and codes from the data stay as
        they are, numbers in the C locale.  When the programme was read
        leniently with problems, the section of skipped rows follows, as in
        ``techmatch run --lenient``.

        Raises
        ------
        InvalidArgumentError
            An unknown language name (a ValueError); TypeError when *lang*
            is not a str.
        """
        with _OutputOptions(lang) as opts:
            d = getattr(self.programme, "_diagnostics_handle", None)
            if d is not None:
                _core.tm_output_options_set_diagnostics(opts, d.ptr)
            return str(_core.tm_selection_report_markdown_with(self._ptr, opts))

    def report_html(self, lang: str = "auto") -> str:
        """The printable page (report.html): the Markdown report as a
        self-contained HTML5 document (no script, font, image or style sheet
        from outside; A4 print rules; Chinese fonts with fallbacks) with
        inline SVG charts of the coverage per sector and of both sides' rank
        distributions (output.h, tm_selection_report_html).

        *lang*: ``"en"``, ``"zh"`` (also ``"chinese"``, ``"中文"``,
        ``"zh-CN"``, ...) or ``"auto"`` (the language of the programme's
        forms, :attr:`Programme.language`).

        Raises
        ------
        InvalidArgumentError
            An unknown language name (a ValueError).
        """
        with _OutputOptions(lang) as opts:
            return _core.tm_selection_report_html(self._ptr, opts)

    def assignments_csv(self, lang: Optional[str] = None,
                        plain: Optional[bool] = None) -> str:
        """assignments.csv as text.  Without arguments, or with
        ``plain=True``, the CSV for programs (English code headers and codes,
        no byte order mark; tm_selection_assignments_csv).  With *lang*
        (``"auto"``: the forms' language, ``"zh"``, ``"en"``) and *plain* not
        True, the CSV for people that ``write()`` puts in the set: a byte
        order mark (U+FEFF, so Excel reads UTF-8), the headers, sectors and
        site kinds in that language, the same rows and numbers
        (tm_selection_assignments_csv_with).

        Raises
        ------
        InvalidArgumentError
            An unknown *lang* (a ValueError).
        """
        if plain is None:
            plain = lang is None
        if plain and lang is None:
            return _core.tm_selection_assignments_csv(self._ptr)
        with _OutputOptions(lang or "auto", bool(plain)) as opts:
            return _core.tm_selection_assignments_csv_with(self._ptr, opts)

    def assignments_xlsx(self, lang: str = "auto") -> bytes:
        """assignments.xlsx as bytes (tm_selection_assignments_xlsx, output.h):
        three sheets — the assignments (as ``assignments_csv(lang)``, ranks
        and scores as numbers), every agent's outcome and reason (the text
        of tm_selection_reason), and the coverage per sector — with every
        word in *lang* (``"auto"``: the forms' language, ``"zh"``, ``"en"``).
        The same selection gives the same bytes.  Save it with
        ``pathlib.Path("a.xlsx").write_bytes(...)``; read it with
        ``pandas.read_excel(io.BytesIO(data), sheet_name=None)`` (openpyxl).

        Raises
        ------
        InvalidArgumentError
            An unknown *lang* (a ValueError).
        FileError
            The temporary file libxlsxwriter needs cannot be written (an
            OSError).
        """
        with _OutputOptions(lang) as opts:
            return bytes(_core.tm_selection_assignments_xlsx(self._ptr, opts))

    def assignments_json(self) -> str:
        """assignments.json as text."""
        return _core.tm_selection_assignments_json(self._ptr)

    def task_summary(self) -> Any:
        """Per task type of the plan (tasks.h, tm_selection_task_counts): task
        (code), name_zh, name_en, sites_asking, sites_served, sites_covered
        (served by a commissioner who offers the task), commissioners_offering,
        commissioners_selected — a pandas DataFrame of six rows."""
        import pandas as pd

        rows = []
        for t in range(_core.TM_N_TASKS):
            _, asking, served, covered, offering, selected = \
                _core.tm_selection_task_counts(self._ptr, t)
            rows.append({"task": _core.tm_task_code(t), "name_zh": _core.tm_task_name_zh(t),
                         "name_en": _core.tm_task_name_en(t), "sites_asking": asking,
                         "sites_served": served, "sites_covered": covered,
                         "commissioners_offering": offering,
                         "commissioners_selected": selected})
        return pd.DataFrame(rows, columns=[
            "task", "name_zh", "name_en", "sites_asking", "sites_served", "sites_covered",
            "commissioners_offering", "commissioners_selected"])

    def write(self, directory: PathLike, agreement_template: Optional[str] = None,
              lang: str = "auto", plain_csv: bool = False,
              progress: Optional[Any] = None) -> None:
        """Write the output set of ``techmatch run --out`` into *directory*, as
        one set (include/techmatch/output.h): report.md, assignments.csv,
        assignments.json, assignments.xlsx (:meth:`assignments_xlsx`) and the
        draft agreements (agreements/NNN-COMMISSIONER-SITE.md), and the other
        documents of the set.  *agreement_template* is the text of a template
        (docs/agreements.md), None for the built-in one; *lang* ``"auto"``
        (the forms' language), ``"zh"`` or ``"en"``; *plain_csv* writes the
        CSV without a byte order mark and with the English code headers.
        *progress* is called with the fraction of the set written (by bytes,
        non-decreasing; 1.0 once it is on disk); the write is not interrupted,
        an exception the callable raises is re-raised when it ends.

        Raises
        ------
        InvalidArgumentError
            An unknown *lang* (a ValueError), a *progress* that is not callable.
        ParseError
            A bad *agreement_template*.
        """
        if progress is not None and not callable(progress):
            raise InvalidArgumentError(f"progress: expected a callable, got {progress!r}")
        with _OutputOptions(lang, plain_csv, agreement_template) as opts:
            if progress is None:
                _core.tm_selection_write_with(self._ptr, os.fspath(directory), opts)
                return
            cancel = _core.tm_cancel_new()
            holder = _core.tm_py_progress_new(progress, cancel)
            try:
                _core.tm_py_output_options_set_progress(opts, holder)
                _core.tm_selection_write_with(self._ptr, os.fspath(directory), opts)
            finally:
                _core.tm_py_output_options_set_progress(opts, None)
                caught = _core.tm_py_progress_take_error(holder)
                _core.tm_py_progress_free(holder)
                _core.tm_cancel_unref(cancel)
            if caught is not None:
                raise caught

    def agreements(self, template: Optional[str] = None,
                   lang: str = "auto") -> Dict[str, str]:
        """The draft cooperation agreements (合作协议), one per assignment, in the
        assignments' order: {file name: text}.  *template*: the text of a
        template with placeholders such as ``{{commissioner}}`` and ``{{site}}``
        (docs/agreements.md); None for the built-in one of *lang*.  *lang*
        (``"auto"``: the programme's language, ``"zh"``, ``"en"``) is the
        language of the placeholders' words (title, kinds, sector, team, tasks;
        tm_selection_agreements_lang).

        Raises
        ------
        ParseError
            An unknown placeholder or an unclosed ``{{`` (line and column named).
        InvalidArgumentError
            An unknown *lang*.
        """
        ok, names, texts = _core.tm_selection_agreements_lang(self._ptr, template, "<template>",
                                                              _lang_value(lang))
        return dict(zip(names, texts))

    def explain(self, agent: Union[int, str], side: Optional[SideLike] = None,
                lang: LangLike = "en") -> Any:
        """Where one commissioner or site ended and why (``techmatch explain``):
        an :class:`Explanation` with its list as a DataFrame (scores in parts
        both ways, the rule that removed each other candidate, why each
        preferred candidate went elsewhere).  *agent* is a name (a name both
        sides have needs *side*) or an id (with *side*).  Its texts (the
        outcome sentence, faults, why-nots, :meth:`Explanation.to_text`) are
        in *lang*: ``"en"`` (the default), ``"zh"``, or ``"auto"``/None for
        the programme's language (tm_selection_explain_agent_lang)."""
        from ._explain import explain

        return explain(self, agent, side, lang)

    def __repr__(self) -> str:
        q = "no quota" if self.quota is None else f"quota {self.quota}"
        how = (f", {self.objective} {self.objective_value}" if self.objective_requested
               else "")
        if self.quota is not None:
            q += f" {self.quota_counts}"
        return (f"<Selection {self.n_selected:,} commissioners selected, "
                f"{self.matching.n_pairs:,} assignments, {q}{how}, "
                f"{'stable' if self.stable else 'unstable'}>")
