"""The explanation of one agent's outcome (explain.h): :meth:`Selection.explain`."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from . import core as _core
from ._errors import InvalidArgumentError
from ._market import _Handle
from ._preferences import SCORE_COMPONENTS, _check_id, _weight_side

__all__ = ["Explanation"]

_SIDES = {0: "commissioner", 1: "site"}
_UNITS = {0: "people", 1: "assignments"}


def _rank(r: int) -> Optional[int]:
    return None if r < 0 else int(r) + 1


class Explanation:
    """Where one commissioner or site ended and why (tm_selection_explain_agent).

    Attributes
    ----------
    side : str
        ``"commissioner"`` or ``"site"``.
    id, name : int, str
        The agent.
    outcome, detail, text : str, str or None, str
        The outcome code and detail of the selection, and one sentence on it
        (detail and text in :attr:`lang`).
    lang : str
        The language of the texts: ``"en"`` or ``"zh"``.
    partners : list of str
        Its partners, best first for it.
    merit_position : int or None
        A commissioner's place in the merit order (1 = highest).
    merit_cutoff : dict or None
        ``{"id", "name", "merit", "position"}`` of the first commissioner the
        quota cut, None when the quota never bound.
    quota : dict
        ``{"total" (None: none), "counts" ("people"/"assignments"), "used"}``.
    candidates : pandas.DataFrame
        One row per agent of the other side: the list first (best first),
        then the others by the agent's score.  Columns: name, id, status
        (listed, excluded, ineligible, rule, not_named, not_ranked, vetoed), rank and
        their_rank (1 = first choice; missing when not listed), partner,
        commissioner_score, site_score, the eight components (sector ... tasks),
        their weighted parts in each score (commissioner_sector ...,
        site_sector ...), distance_km, rule, pair_rules, fault, refused_by,
        why (holds_preferred, sector_cap, quota, merit_cutoff, pinned, unexplained or
        None), why_text, holders (names) and holder_ranks.
    """

    def __init__(self, ptr: Any, selection: Any) -> None:
        self._h = _Handle(ptr, _core.tm_explanation_free)
        self.selection = selection
        p = _core.tm_explanation_programme(ptr)
        side = int(_core.tm_explanation_side(ptr))
        other = 1 - side
        self.side: str = _SIDES[side]
        self.id: int = int(_core.tm_explanation_agent(ptr))
        self.name: str = _core.tm_explanation_name(ptr)
        code, detail = _core.tm_explanation_outcome(ptr)
        self.outcome: str = _core.tm_outcome_code(code)
        self.detail: Optional[str] = detail
        self.text: str = _core.tm_explanation_outcome_text(ptr)
        self.lang: str = str(_core.tm_lang_code(_core.tm_explanation_language(ptr)))

        def name(s: int, i: int) -> str:
            return (_core.tm_programme_commissioner(p, i) if s == 0
                    else _core.tm_programme_site(p, i)).name

        self._name = name
        self.partners: List[str] = [
            name(other, int(_core.tm_explanation_partner(ptr, j)))
            for j in range(_core.tm_explanation_n_partners(ptr))]
        self.merit_position: Optional[int] = _rank(_core.tm_explanation_merit_position(ptr))
        ok, cut, merit, pos = _core.tm_explanation_merit_cutoff(ptr)
        self.merit_cutoff: Optional[Dict[str, Any]] = (
            {"id": int(cut), "name": name(0, int(cut)), "merit": float(merit),
             "position": _rank(pos)} if ok else None)
        total, unit, used = _core.tm_explanation_quota(ptr)
        self.quota: Dict[str, Any] = {"total": None if total < 0 else int(total),
                                      "counts": _UNITS.get(int(unit), str(unit)),
                                      "used": int(used)}
        self.candidates = self._frame(side, other)

    def _frame(self, side: int, other: int) -> Any:
        import pandas as pd

        e = self._h.ptr
        rows = []
        for i in range(_core.tm_explanation_n_rows(e)):
            cand = int(_core.tm_explanation_row_candidate(e, i))
            row: Dict[str, Any] = {
                "name": self._name(other, cand), "id": cand,
                "status": _core.tm_explain_status_code(_core.tm_explanation_row_status(e, i)),
                "rank": _rank(_core.tm_explanation_row_rank(e, i)),
                "their_rank": _rank(_core.tm_explanation_row_their_rank(e, i)),
                "partner": bool(_core.tm_explanation_row_is_partner(e, i)),
                "commissioner_score": float(_core.tm_explanation_row_score(e, i, 0)),
                "site_score": float(_core.tm_explanation_row_score(e, i, 1))}
            for k, comp in enumerate(SCORE_COMPONENTS):
                row[comp] = float(_core.tm_explanation_row_component(e, i, k))
            for s, label in _SIDES.items():
                for k, comp in enumerate(SCORE_COMPONENTS):
                    row[f"{label}_{comp}"] = float(
                        _core.tm_explanation_row_contribution(e, i, s, k))
            km = float(_core.tm_explanation_row_distance_km(e, i))
            codes = _core.tm_rules_mask_codes(_core.tm_explanation_row_pair_failures(e, i))
            refuser = int(_core.tm_explanation_row_refuser(e, i))
            why = int(_core.tm_explanation_row_why(e, i))
            holders, ranks = [], []
            for j in range(_core.tm_explanation_row_n_holders(e, i)):
                h, r = _core.tm_explanation_row_holder(e, i, j)
                holders.append(self._name(side, int(h)))
                ranks.append(_rank(r))
            row.update({
                "distance_km": km if km >= 0 else None,
                "rule": _core.tm_explanation_row_rule(e, i),
                "pair_rules": codes.split(";") if codes else [],
                "fault": _core.tm_explanation_row_fault(e, i),
                "refused_by": _SIDES.get(refuser),
                "why": _core.tm_explain_why_code(why) if why > 0 else None,
                "why_text": _core.tm_explanation_row_why_text(e, i),
                "holders": holders, "holder_ranks": ranks})
            rows.append(row)
        columns = (["name", "id", "status", "rank", "their_rank", "partner",
                    "commissioner_score", "site_score"] + list(SCORE_COMPONENTS)
                   + [f"{label}_{c}" for label in _SIDES.values() for c in SCORE_COMPONENTS]
                   + ["distance_km", "rule", "pair_rules", "fault", "refused_by", "why",
                      "why_text", "holders", "holder_ranks"])
        df = pd.DataFrame(rows, columns=columns)
        for col in ("rank", "their_rank"):
            df[col] = df[col].astype("Int64")
        return df

    def to_text(self, all: bool = False) -> str:
        """The plain text ``techmatch explain`` prints (with *all*, every
        candidate outside the list; else the first ``TM_EXPLAIN_MAX_UNLISTED``, 30)."""
        return _core.tm_explanation_to_text(self._h.ptr,
                                            -1 if all else _core.TM_EXPLAIN_MAX_UNLISTED)

    def to_json(self) -> str:
        """The JSON document ``techmatch explain --json`` prints."""
        return _core.tm_explanation_to_json(self._h.ptr)

    def to_dict(self) -> Dict[str, Any]:
        """The summary fields and the candidates as a list of dicts."""
        return {"side": self.side, "id": self.id, "name": self.name, "outcome": self.outcome,
                "detail": self.detail, "text": self.text, "partners": list(self.partners),
                "merit_position": self.merit_position, "merit_cutoff": self.merit_cutoff,
                "quota": dict(self.quota),
                "candidates": self.candidates.to_dict(orient="records")}

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<Explanation {self.side} {self.name!r}: {self.outcome}>"


def explain(selection: Any, agent: Union[int, str], side: Optional[Any] = None,
            lang: Any = "en") -> Explanation:
    """:meth:`Selection.explain`: *agent* by name (looked up on both sides
    unless *side* is given; a name both sides have needs *side*) or by id
    (then *side* is required); the texts in *lang*."""
    from ._programme import _lang

    lg = _lang(lang)
    sel = selection._ptr
    if isinstance(agent, str):
        code = -1 if side is None else int(_weight_side(side))
        _, found, i = _core.tm_selection_find_agent(sel, agent, code)
        s = int(found)
    else:
        if side is None:
            raise InvalidArgumentError(
                "explain: an agent given by id needs side='commissioner' or side='site'")
        s = int(_weight_side(side))
        i = _check_id(agent, int(_core.tm_selection_n_agents(sel, s)), _SIDES[s])
    return Explanation(_core.tm_selection_explain_agent_lang(sel, s, int(i), lg), selection)
