"""Policy sweeps: a grid of axes over programme.ini settings (sweep.h, docs/parallel.md).

:class:`Grid` wraps a TmSweep loaded from a grid file, from grid text or from
the dict form below; :func:`grid_text` and :func:`write_grid` turn the dict
form into grid-file text.

The dict form, one entry per axis in order (the last varies fastest)::

    {
        "quota": {"setting": "quota/total", "values": range(20, 61, 10)},
        "weighting": {"variants": {
            "balanced": {},                                  # the base, unchanged
            "merit": {"weights.site/merit": 3},              # GROUP/KEY: value
            "fit": {"weights.site": {"sector": 5, "tags": 4}},  # or GROUP: {KEY: value}
        }},
        "select/objective": ["supply-optimal", "demand-optimal"],  # shorthand
    }

- ``{"setting": "GROUP/KEY", "values": [...]}``: an axis over one setting;
- ``{"variants": {NAME: settings, ...}}``: an axis of named variants, each
  a dict of settings (``"GROUP/KEY": value`` or ``"GROUP": {"KEY": value}``);
  a list of names instead of the dict gives variants that change nothing;
- ``"GROUP/KEY": [values]``: shorthand for a setting axis named after the
  setting (``quota/total`` -> ``quota-total``).

Values are written as programme.ini would have them: ``True``/``False`` as
``true``/``false``, a list or tuple as a ``;``-separated list, numbers with
``str()``; anything else with ``str()``.
"""
from __future__ import annotations

import math
import os
import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import core as _core
from ._errors import InvalidArgumentError
from ._market import _Handle

__all__ = ["Grid", "grid_text", "write_grid"]

PathLike = Union[str, "os.PathLike[str]"]
GridLike = Union["Grid", Mapping[str, Any], PathLike]

_NAME = re.compile(r"^[a-z0-9_-]+$")
_SETTING = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")  # as sweep.c checks it


def _value_text(value: Any, where: str) -> str:
    """*value* as programme.ini text (one value, not escaped)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidArgumentError(f"{where}: {value!r} is not a finite number")
        return repr(value)
    if isinstance(value, (list, tuple)):
        return ";".join(_value_text(v, where) for v in value)
    if value is None:
        raise InvalidArgumentError(f"{where}: None is not a value (leave the setting out)")
    text = str(value)
    if "\n" in text or "\r" in text:
        raise InvalidArgumentError(f"{where}: a value cannot hold a line break: {text!r}")
    return text


def _escape_line(text: str) -> str:
    """GKeyFile escapes of one value: backslash, then a leading blank."""
    text = text.replace("\\", "\\\\")
    if text[:1] in (" ", "\t"):
        text = ("\\s" if text[0] == " " else "\\t") + text[1:]
    return text


def _escape_item(text: str) -> str:
    """One item of a ``;`` list: as a line, with ``;`` written ``\\;``."""
    return _escape_line(text).replace(";", "\\;")


def _settings(spec: Any, where: str) -> List[Tuple[str, str]]:
    """A variant's settings as (GROUP/KEY, value text) pairs."""
    if spec is None:
        return []
    if not isinstance(spec, Mapping):
        raise InvalidArgumentError(f"{where}: expected a dict of settings, got {spec!r}")
    out: List[Tuple[str, str]] = []
    for key, value in spec.items():
        key = str(key)
        if "/" not in key and isinstance(value, Mapping):
            for sub, v in value.items():
                out.extend(_settings({f"{key}/{sub}": v}, where))
            continue
        if not _SETTING.match(key):
            raise InvalidArgumentError(
                f"{where}: {key!r} is not a setting GROUP/KEY (e.g. 'quota/total'; or give "
                "'GROUP': {'KEY': value})")
        out.append((key, _value_text(value, f"{where}: {key}")))
    return out


def _axis_name(setting: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", setting.lower()).strip("-")


def _axes(grid: Mapping[str, Any]) -> List[Tuple[str, Dict[str, Any]]]:
    """The dict form normalised: (name, {"setting", "values"} or {"variants"})."""
    if not isinstance(grid, Mapping) or not grid:
        raise InvalidArgumentError(f"grid: expected a non-empty dict of axes, got {grid!r}")
    axes: List[Tuple[str, Dict[str, Any]]] = []
    for name, spec in grid.items():
        name = str(name)
        if not isinstance(spec, Mapping):
            if "/" not in name:
                raise InvalidArgumentError(
                    f"grid[{name!r}]: expected {{'setting': ..., 'values': [...]}} or "
                    "{'variants': {...}}, or a key GROUP/KEY with a list of values")
            spec = {"setting": name, "values": spec}
            name = _axis_name(name)
        if not _NAME.match(name):
            raise InvalidArgumentError(f"grid: axis name {name!r}: use [a-z0-9_-]+ only")
        if any(name == a for a, _ in axes):
            raise InvalidArgumentError(f"grid: two axes are named {name!r}")
        keys = set(spec)
        if "variants" in spec:
            if keys != {"variants"}:
                raise InvalidArgumentError(
                    f"grid[{name!r}]: an axis of variants has 'variants' only, got {sorted(keys)}")
            variants = spec["variants"]
            if isinstance(variants, (list, tuple)):
                variants = {str(v): {} for v in variants}
            if not isinstance(variants, Mapping) or not variants:
                raise InvalidArgumentError(
                    f"grid[{name!r}]['variants']: expected a non-empty dict NAME: settings")
            norm = {}
            for vname, vspec in variants.items():
                vname = str(vname)
                if not _NAME.match(vname):
                    raise InvalidArgumentError(
                        f"grid[{name!r}]: variant name {vname!r}: use [a-z0-9_-]+ only")
                norm[vname] = _settings(vspec, f"grid[{name!r}]['variants'][{vname!r}]")
            axes.append((name, {"variants": norm}))
        else:
            if keys != {"setting", "values"}:
                raise InvalidArgumentError(
                    f"grid[{name!r}]: expected the keys 'setting' and 'values' (or 'variants'), "
                    f"got {sorted(keys)}")
            setting = str(spec["setting"])
            if not _SETTING.match(setting):
                raise InvalidArgumentError(
                    f"grid[{name!r}]['setting']: {setting!r} is not GROUP/KEY")
            values = spec["values"]
            if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
                values = [values]
            texts = [_value_text(v, f"grid[{name!r}]['values']") for v in values]
            if not texts:
                raise InvalidArgumentError(f"grid[{name!r}]['values']: no values")
            axes.append((name, {"setting": setting, "values": texts}))
    return axes


def grid_text(grid: Mapping[str, Any]) -> str:
    """The grid-file text (sweep.h's format) of a grid in the dict form.

    Raises InvalidArgumentError for a malformed dict (names the axis); the
    settings themselves are checked when the grid is loaded and run.
    """
    lines = ["# techmatch sweep grid (written by techmatch.parallel; docs/parallel.md)"]
    for name, spec in _axes(grid):
        lines.append("")
        lines.append(f"[axis.{name}]")
        if "setting" in spec:
            lines.append(f"setting={spec['setting']}")
            lines.append("values=" + ";".join(_escape_item(v) for v in spec["values"]))
        else:
            lines.append("variants=" + ";".join(spec["variants"]))
            for vname, settings in spec["variants"].items():
                if not settings:
                    continue
                lines.append(f"[axis.{name}.{vname}]")
                for key, value in settings:
                    lines.append(f"{key}={_escape_line(value)}")
    return "\n".join(lines) + "\n"


def write_grid(grid: Mapping[str, Any], path: PathLike) -> None:
    """Write a grid in the dict form as a grid file (for ``techmatch sweep DIR
    --grid FILE``), atomically."""
    from ._market import _write_atomic
    _write_atomic(path, grid_text(grid).encode("utf-8"))


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


class Grid:
    """A loaded sweep grid (a TmSweep): axes, values and jobs.

    Make one with :meth:`from_file`, :meth:`from_text` or :meth:`from_dict`
    (or :meth:`of`, which takes any of the three).  Immutable; its text
    (:attr:`text`) is what the jobs carry to the workers.
    """

    def __init__(self, text: str, source_name: str = "<grid>") -> None:
        data = text.encode("utf-8")
        self.text = text
        self.source_name = source_name
        self._h = _Handle(_core.tm_sweep_load_data(text, len(data), source_name),
                          _core.tm_sweep_free)

    @property
    def _ptr(self) -> Any:
        return self._h.ptr

    @classmethod
    def from_file(cls, path: PathLike) -> "Grid":
        """Read a grid file (errors name the file and line)."""
        p = os.fspath(path)
        try:
            with open(p, "rb") as f:
                data = f.read()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            # the library's own message (FileError / ParseError naming the file)
            _core.tm_sweep_free(_core.tm_sweep_load_file(p))
            raise
        return cls(text, p)

    @classmethod
    def from_text(cls, text: str, source_name: str = "<grid>") -> "Grid":
        """Parse grid text; *source_name* names it in messages."""
        return cls(text, source_name)

    @classmethod
    def from_dict(cls, grid: Mapping[str, Any]) -> "Grid":
        """The grid of the dict form (module docstring, docs/parallel.md)."""
        return cls(grid_text(grid), "<grid dict>")

    @classmethod
    def of(cls, grid: GridLike) -> "Grid":
        """A Grid from a Grid, a dict or a path to a grid file."""
        if isinstance(grid, Grid):
            return grid
        if isinstance(grid, Mapping):
            return cls.from_dict(grid)
        if isinstance(grid, (str, os.PathLike)):
            return cls.from_file(grid)
        raise InvalidArgumentError(
            f"grid: expected a dict, a grid file path or a techmatch.parallel.Grid, got {grid!r}")

    def to_file(self, path: PathLike) -> None:
        """Write :attr:`text` to *path*, atomically."""
        from ._market import _write_atomic
        _write_atomic(path, self.text.encode("utf-8"))

    @property
    def n_jobs(self) -> int:
        """The number of jobs (the product of the axes' sizes)."""
        return int(_core.tm_sweep_n_jobs(self._ptr))

    def __len__(self) -> int:
        return self.n_jobs

    @property
    def axes(self) -> List[str]:
        """The axes' names, in order (the last varies fastest)."""
        return [str(_core.tm_sweep_axis_name(self._ptr, a))
                for a in range(_core.tm_sweep_n_axes(self._ptr))]

    def setting(self, axis: Union[int, str]) -> Optional[str]:
        """The GROUP/KEY an axis varies, or None for an axis of variants."""
        s = _core.tm_sweep_axis_setting(self._ptr, self._axis(axis))
        return None if s is None else str(s)

    def values(self, axis: Union[int, str]) -> List[str]:
        """An axis's value texts (or variant names), in order."""
        a = self._axis(axis)
        return [str(_core.tm_sweep_axis_value(self._ptr, a, v))
                for v in range(_core.tm_sweep_axis_n_values(self._ptr, a))]

    def labels(self, axis: Union[int, str]) -> List[Any]:
        """:meth:`values` as the DataFrames show them: numbers when every value of a
        setting axis is a number (ints when all are whole), else the texts."""
        vals = self.values(axis)
        if self.setting(axis) is None:
            return vals
        nums = [_number(v) for v in vals]
        if any(n is None for n in nums):
            return vals
        return nums

    def _axis(self, axis: Union[int, str]) -> int:
        names = self.axes
        if isinstance(axis, str):
            if axis not in names:
                raise InvalidArgumentError(f"axis {axis!r}: the axes are {', '.join(names)}")
            return names.index(axis)
        a = int(axis)
        if not 0 <= a < len(names):
            raise InvalidArgumentError(f"axis {a}: out of range (0 .. {len(names) - 1})")
        return a

    def job_values(self, job: int) -> Dict[str, Any]:
        """``{axis: label}`` of job *job* (labels as :meth:`labels`)."""
        j = self._job(job)
        out: Dict[str, Any] = {}
        for a, name in enumerate(self.axes):
            out[name] = self.labels(a)[int(_core.tm_sweep_job_value(self._ptr, j, a))]
        return out

    def points(self) -> List[Dict[str, Any]]:
        """:meth:`job_values` of every job, in job order."""
        names = self.axes
        labels = [self.labels(a) for a in range(len(names))]
        out = []
        for j in range(self.n_jobs):
            out.append({n: labels[a][int(_core.tm_sweep_job_value(self._ptr, j, a))]
                        for a, n in enumerate(names)})
        return out

    def _job(self, job: int) -> int:
        j = int(job)
        if not 0 <= j < self.n_jobs:
            raise InvalidArgumentError(f"job {j}: out of range (0 .. {self.n_jobs - 1})")
        return j

    def config_text(self, job: int, base: Optional[str] = None) -> str:
        """Job *job*'s configuration text: *base* (programme.ini text; None or
        ``""``: the defaults) with the job's settings written over it
        (tm_sweep_job_config_text; not yet checked)."""
        b = "" if base is None else base
        return str(_core.tm_sweep_job_config_text(self._ptr, self._job(job), b,
                                                  len(b.encode("utf-8"))))

    def check(self, directory: PathLike) -> None:
        """Build every job's configuration and options for the programme folder
        *directory* (tm_sweep_check): raises ParseError naming the first bad
        job, axis, setting and value."""
        _core.tm_sweep_check(self._ptr, os.fspath(directory))

    def __repr__(self) -> str:
        parts = [f"{n} x{len(self.values(n))}" for n in self.axes]
        return f"<Grid {self.n_jobs:,} jobs: {', '.join(parts)}>"


def _apply_options(grid: "Grid", job: int, options: Any) -> None:
    """Job *job*'s select/ settings onto *options* (tm_sweep_job_options)."""
    _core.tm_sweep_job_options(grid._ptr, int(job), options)


def overrides_grid(overrides: Mapping[str, Any]) -> Grid:
    """A one-job grid that writes *overrides* (``{"GROUP/KEY": value}`` or
    ``{"GROUP": {"KEY": value}}``, as a variant's settings) over a base."""
    settings = _settings(overrides, "overrides")
    if not settings:
        raise InvalidArgumentError("overrides: no settings")
    lines = ["[axis.overrides]", "variants=given", "[axis.overrides.given]"]
    lines += [f"{k}={_escape_line(v)}" for k, v in settings]
    return Grid("\n".join(lines) + "\n", "<overrides>")
