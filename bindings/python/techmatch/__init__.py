"""techmatch — two-sided stable matching for science-and-technology commissioner programmes.

Two layers, as in python-igraph: :mod:`techmatch.core` is the raw SWIG
wrapper of the C library (``techmatch._core``), and this package puts Python
classes on top:

- :class:`Market`, :class:`Matching`, :class:`Verdict`, :class:`Groups`,
  :class:`Cancel` — the general engine on integer ids, numpy in and out;
- :class:`Lattice` — rotations, all stable matchings, optimal stable matchings;
- :class:`Config`, :class:`Programme`, :class:`Screening`, :class:`Selection`
  — the programme layer: forms, rules, quota, sector limits, report;
- :class:`Rules`, :class:`Scorer`, :class:`ScoreDetail`, :class:`PrefsStats`,
  :class:`CandidateParams` — rules, weights, scores and preference building;
- :class:`Review`, :class:`ReviewEffects` — the leading group's decisions
  and what they changed against the previous run;
- :class:`Error` and its subclasses, one per library error code;
- :mod:`techmatch.parallel` — many programmes, markets and policy sweeps at
  once, serially or on a Dask cluster (``parallel.run``, ``parallel.sweep``,
  ``parallel.compare``; dask is imported only when a cluster is used).

pandas is imported only by the functions that return or take DataFrames.
"""
from __future__ import annotations

from . import core
from ._errors import (CancelledError, DtypeError, DuplicateError, Error, FileError,
                      InfeasibleError, InputError, InvalidArgumentError, NegativeCapacityError,
                      NoMemoryError, NoSuchMatching, NoSuchMatchingError, OutOfRangeError, ParseError, SizeOverflowError,
                      UnknownNameError, UnsupportedError, error_class)
from ._market import (Cancel, Groups, Lists, Market, Matching, MatchingStats, Side, SideStats,
                      Verdict, Violation)
from ._lattice import Lattice
from ._preferences import (SCORE_COMPONENTS, CandidateParams, PrefsStats, Rules, ScoreDetail,
                           Scorer)
from ._programme import (Config, Diagnostic, Programme, Screening, Selection, site_kind_label,
                         title_label, unit_kind_label)
from ._explain import Explanation
from ._review import Decision, DecisionEffect, Moved, Review, ReviewEffects
from . import parallel

__version__: str = core.tm_version()

__all__ = [
    "Market", "Matching", "Lattice", "Verdict", "Violation", "Groups", "Cancel", "Lists", "Side",
    "SideStats", "MatchingStats", "Config", "Programme", "Screening", "Selection",
    "Diagnostic", "Explanation", "Rules", "CandidateParams", "PrefsStats", "Scorer", "ScoreDetail",
    "SCORE_COMPONENTS", "Error", "InputError", "InvalidArgumentError", "DtypeError",
    "OutOfRangeError", "DuplicateError", "NegativeCapacityError", "SizeOverflowError",
    "NoMemoryError", "CancelledError", "ParseError", "FileError", "UnsupportedError",
    "UnknownNameError", "InfeasibleError", "NoSuchMatching", "NoSuchMatchingError",
    "error_class", "core", "__version__",
    "Review", "Decision", "ReviewEffects", "DecisionEffect", "Moved",
    "title_label", "unit_kind_label", "site_kind_label", "parallel",
]
