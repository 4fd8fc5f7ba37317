"""The leading group's review (领导小组审核认定): decisions applied on a re-run
of the selection, and what they changed against the previous run
(review.h, review_effects.h; the CSV format is docs/review.md)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, List, Optional, Tuple, Union

from . import core as _core
from ._errors import InvalidArgumentError
from ._market import _Handle

if TYPE_CHECKING:  # pragma: no cover
    from ._programme import Selection

__all__ = ["Review", "Decision", "ReviewEffects", "DecisionEffect", "Moved", "DECISIONS",
           "EFFECTS"]

PathLike = Union[str, "os.PathLike[str]"]

#: The decision kinds, by TmDecisionKind value.
DECISIONS: Tuple[str, ...] = tuple(_core.tm_decision_kind_code(i)
                                   for i in range(_core.TM_N_DECISION_KINDS))
#: The effects of a decision (review_effects.h), by TmEffect value.
EFFECTS: Tuple[str, ...] = tuple(_core.tm_effect_code(i) for i in range(_core.TM_N_EFFECTS))


@dataclass(frozen=True)
class Decision:
    """One decision of the leading group.

    Attributes
    ----------
    kind : str
        ``"pin"`` (确认), ``"veto"`` (否决), ``"exclude"`` (排除) or ``"admit"`` (增补).
    commissioner, site : str or None
        The agents it names: both for a pin or a veto, one for an exclusion
        or an admission.
    note : str or None
        The group's remark (shown in the report).
    source : str or None
        Where it came from (``"review.csv:4"`` for a file's row).
    """

    kind: str
    commissioner: Optional[str]
    site: Optional[str]
    note: Optional[str] = None
    source: Optional[str] = None

    @property
    def kind_zh(self) -> str:
        """The kind in Chinese (确认, 否决, 排除, 增补)."""
        return str(_core.tm_decision_kind_label_zh(DECISIONS.index(self.kind)))


def _kind_code(kind: Union[str, int]) -> int:
    if isinstance(kind, str):
        k = int(_core.tm_decision_kind_from_string(kind))
        if k < 0:
            raise InvalidArgumentError(
                f"decision: {kind!r} is not a decision (pin/确认, veto/否决, exclude/排除, "
                f"admit/增补)")
        return k
    if isinstance(kind, bool) or not isinstance(kind, int) or not 0 <= kind < len(DECISIONS):
        raise InvalidArgumentError(f"decision: {kind!r} is not a decision kind")
    return int(kind)


def _text(value: Optional[str], what: str) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    raise InvalidArgumentError(f"{what}: expected a string or None, got {value!r}")


class Review:
    """The leading group's decisions, in order (review.h).

    Make one empty and :meth:`add` decisions (or use :meth:`pin`,
    :meth:`veto`, :meth:`exclude`, :meth:`admit`), or read the CSV form with
    :meth:`from_file` / :meth:`from_string` (docs/review.md).  Give it to
    :meth:`Programme.select` as ``review=``; compare the result with the
    previous run through :meth:`effects`.
    """

    def __init__(self, decisions: Optional[Any] = None) -> None:
        self._h = _Handle(_core.tm_review_new(), _core.tm_review_free)
        for d in decisions or ():
            if isinstance(d, Decision):
                self.add(d.kind, d.commissioner, d.site, note=d.note, source=d.source)
            else:
                self.add(*d)

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    @classmethod
    def from_file(cls, path: PathLike) -> "Review":
        """Read a review CSV (raises ParseError naming ``FILE:LINE:COLUMN: field:``,
        FileError when it cannot be read)."""
        r = cls()
        r.load(path)
        return r

    @classmethod
    def from_string(cls, text: str, source_name: str = "<string>") -> "Review":
        """Read a review from CSV text; *source_name* names it in messages and sources."""
        r = cls()
        r.load_string(text, source_name)
        return r

    def load(self, path: PathLike) -> None:
        """Append the decisions of a review CSV (all or nothing)."""
        _core.tm_review_load_file(self._ptr, os.fspath(path))

    def load_string(self, text: str, source_name: str = "<string>") -> None:
        """Append the decisions of CSV text (all or nothing)."""
        if not isinstance(text, str):
            raise InvalidArgumentError(f"text: expected a string, got {type(text).__name__}")
        data = text.encode("utf-8")
        if b"\0" in data:
            raise InvalidArgumentError("text: contains a NUL character")
        _core.tm_review_load_data(self._ptr, text, -1, source_name)

    def add(self, kind: Union[str, int], commissioner: Optional[str] = None,
            site: Optional[str] = None, *, note: Optional[str] = None,
            source: Optional[str] = None) -> int:
        """Append a decision; returns its index.  *kind* is a code or a Chinese
        label (``"pin"``, ``"确认"``, ...).  Raises InvalidArgumentError for a
        bad kind or names (both for a pin or a veto, exactly one otherwise)."""
        return int(_core.tm_review_add(self._ptr, _kind_code(kind),
                                       _text(commissioner, "commissioner"), _text(site, "site"),
                                       _text(note, "note"), _text(source, "source")))

    def pin(self, commissioner: str, site: str, note: Optional[str] = None) -> int:
        """Keep the pair: assigned first, counting against the quota (确认)."""
        return self.add("pin", commissioner, site, note=note)

    def veto(self, commissioner: str, site: str, note: Optional[str] = None) -> int:
        """Never assign the pair (否决)."""
        return self.add("veto", commissioner, site, note=note)

    def exclude(self, commissioner: Optional[str] = None, site: Optional[str] = None,
                note: Optional[str] = None) -> int:
        """Take a commissioner or a site out of the selection (排除)."""
        return self.add("exclude", commissioner, site, note=note)

    def admit(self, commissioner: Optional[str] = None, site: Optional[str] = None,
              note: Optional[str] = None) -> int:
        """Treat a commissioner or a site as eligible although a rule fails (增补)."""
        return self.add("admit", commissioner, site, note=note)

    def __len__(self) -> int:
        return int(_core.tm_review_n_decisions(self._ptr))

    def __getitem__(self, i: int) -> Decision:
        n = len(self)
        if isinstance(i, bool) or not isinstance(i, int):
            raise TypeError("Review indices are integers")
        if i < 0:
            i += n
        kind, c, s, note, src = _core.tm_review_decision(self._ptr, i)
        if kind < 0:
            raise IndexError(f"decision {i} out of range (the review has {n})")
        return Decision(DECISIONS[kind], c, s, note, src)

    def __iter__(self) -> Iterator[Decision]:
        for i in range(len(self)):
            yield self[i]

    @property
    def decisions(self) -> List[Decision]:
        """The decisions, in order."""
        return list(self)

    def copy(self) -> "Review":
        """An independent copy."""
        r = Review.__new__(Review)
        r._h = _Handle(_core.tm_review_copy(self._ptr), _core.tm_review_free)
        return r

    def effects(self, previous: "Selection", current: "Selection") -> "ReviewEffects":
        """What these decisions changed: *current* (selected with this review)
        against *previous* (the same programme without it, or with an earlier
        review)."""
        return ReviewEffects(previous, current, self)

    def __repr__(self) -> str:
        counts = {k: 0 for k in DECISIONS}
        for d in self:
            counts[d.kind] += 1
        body = ", ".join(f"{n} {k}" for k, n in counts.items() if n)
        return f"<Review {len(self)} decisions{': ' + body if body else ''}>"


@dataclass(frozen=True)
class Moved:
    """An agent whose partners a decision changed: *before* (the previous run)
    and *after* (the current one), names."""

    side: str
    name: str
    before: List[str]
    after: List[str]


@dataclass(frozen=True)
class DecisionEffect:
    """What one decision did (review_effects.h).

    Attributes
    ----------
    decision : Decision
    effect : str
        ``"kept"``, ``"added"`` (pins), ``"removed"``, ``"none"`` (vetoes,
        exclusions), ``"placed"``, ``"not_placed"`` (admissions) or
        ``"not_applied"`` (the current selection contradicts the decision).
    overrides : list of str
        The rule codes a pin or an admission overrides (a pin of a pair no
        rule allows stands: the group's decision).
    moved : list of Moved
        Its own agents first, then their partners in either run whose
        partners changed.
    """

    decision: Decision
    effect: str
    overrides: List[str]
    moved: List[Moved]


def _partner_names(selection: "Selection") -> Tuple[List[List[str]], List[List[str]]]:
    p = selection.programme
    nc = int(_core.tm_selection_n_agents(selection._ptr, 0))
    ns = int(_core.tm_selection_n_agents(selection._ptr, 1))
    cn = [_core.tm_programme_commissioner(p._ptr, i).name for i in range(nc)]
    sn = [_core.tm_programme_site(p._ptr, i).name for i in range(ns)]
    by_c: List[List[str]] = [[] for _ in range(nc)]
    by_s: List[List[str]] = [[] for _ in range(ns)]
    for c, s in selection.matching.pairs.tolist():
        by_c[c].append(sn[s])
        by_s[s].append(cn[c])
    return by_c, by_s


class ReviewEffects:
    """The comparison of *current* (selected with *review*) against *previous*
    (tm_review_effects_new): both selections must cover the same agents.

    Attributes
    ----------
    previous, current : Selection
    review : Review
    baseline : str
        What the previous run was (shown in the report; settable).
    """

    def __init__(self, previous: "Selection", current: "Selection",
                 review: Optional[Review] = None, *, baseline: Optional[str] = None) -> None:
        from ._programme import Selection

        for what, sel in (("previous", previous), ("current", current)):
            if not isinstance(sel, Selection):
                raise InvalidArgumentError(f"{what}: expected a Selection, got {sel!r}")
        if review is not None and not isinstance(review, Review):
            raise InvalidArgumentError(f"review: expected a Review, got {review!r}")
        self.previous, self.current = previous, current
        self.review = review.copy() if review is not None else Review()
        self._h = _Handle(_core.tm_review_effects_new(previous._ptr, current._ptr,
                                                      self.review._ptr),
                          _core.tm_review_effects_free)
        if baseline is not None:
            self.baseline = baseline

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    @property
    def baseline(self) -> str:
        """What the previous run was, as the report says it (default: "the same
        forms and configuration without the review")."""
        return str(_core.tm_review_effects_baseline(self._ptr))

    @baseline.setter
    def baseline(self, text: Optional[str]) -> None:
        _core.tm_review_effects_set_baseline(self._ptr, _text(text, "baseline"))

    @property
    def decisions(self) -> List[DecisionEffect]:
        """One DecisionEffect per decision of the review, in order."""
        e = self._ptr
        before = _partner_names(self.previous)
        after = _partner_names(self.current)
        names = self.current.market.names
        out = []
        for i, d in enumerate(self.review):
            eff, _, _, mask = _core.tm_review_effects_decision(e, i)
            moved = []
            for j in range(_core.tm_review_effects_n_moved(e, i)):
                _, side, agent = _core.tm_review_effects_moved(e, i, j)
                moved.append(Moved("commissioner" if side == 0 else "site",
                                   (names(side) or [])[agent], before[side][agent],
                                   after[side][agent]))
            codes = _core.tm_rules_mask_codes(mask) if mask else ""
            out.append(DecisionEffect(d, EFFECTS[eff], [c for c in codes.split(";") if c],
                                      moved))
        return out

    def _pairs(self, change: int) -> List[Tuple[str, str]]:
        e, names = self._ptr, self.current.market.names
        out = []
        for k in range(_core.tm_review_effects_n_pairs(e, change)):
            _, c, s = _core.tm_review_effects_pair(e, change, k)
            out.append(((names(0) or [])[c], (names(1) or [])[s]))
        return out

    def _comms(self, change: int) -> List[str]:
        e, names = self._ptr, self.current.market.names(0) or []
        return [names[_core.tm_review_effects_commissioner(e, change, k)]
                for k in range(_core.tm_review_effects_n_commissioners(e, change))]

    @property
    def pairs_added(self) -> List[Tuple[str, str]]:
        """(commissioner, site) pairs assigned now and not in the previous run."""
        return self._pairs(_core.TM_CHANGE_ADDED)

    @property
    def pairs_removed(self) -> List[Tuple[str, str]]:
        """(commissioner, site) pairs of the previous run that are gone."""
        return self._pairs(_core.TM_CHANGE_REMOVED)

    @property
    def newly_selected(self) -> List[str]:
        """Commissioners with a site now and none in the previous run."""
        return self._comms(_core.TM_CHANGE_ADDED)

    @property
    def no_longer_selected(self) -> List[str]:
        """Commissioners with a site in the previous run and none now."""
        return self._comms(_core.TM_CHANGE_REMOVED)

    def markdown(self, lang: str = "en") -> str:
        """The report section "Leading group's review (领导小组审核)" in *lang*:
        ``"en"`` (default), ``"zh"`` ("领导小组审核") or ``"auto"`` (the current
        selection's programme's language)."""
        from ._programme import _OutputOptions

        with _OutputOptions(lang) as opts:
            return str(_core.tm_review_effects_markdown_with(self._ptr, opts))

    def report_markdown(self) -> str:
        """The current selection's report followed by :meth:`markdown` (report.md
        of ``techmatch run --review``)."""
        return self.current.report_markdown() + self.markdown()

    def write(self, directory: PathLike, lang: str = "auto", plain_csv: bool = False,
              agreement_template: Optional[str] = None) -> None:
        """Write the current selection's output set into *directory* as one set,
        report.md with the review section (``techmatch run --review``;
        tm_review_effects_write_with).  *lang*, *plain_csv* and
        *agreement_template* as for :meth:`Selection.write`."""
        from ._programme import _OutputOptions

        with _OutputOptions(lang, plain_csv, agreement_template) as opts:
            _core.tm_review_effects_write_with(self._ptr, os.fspath(directory), opts)

    def __repr__(self) -> str:
        return (f"<ReviewEffects {len(self.review)} decisions, "
                f"+{len(self.pairs_added)} / -{len(self.pairs_removed)} pairs>")
