"""Checks and conversions of the arrays handed to C (private).

Every array reaches C as a C-contiguous, aligned, native-order numpy array of
exactly the C type.  int32 arrays that already are that are passed as they
are (no copy); other integer dtypes are range-checked and converted once.
Anything else raises with a message naming the argument.
"""
from __future__ import annotations

from typing import Any, Optional

import numpy as np

from ._errors import DtypeError, InvalidArgumentError, NegativeCapacityError, OutOfRangeError

_I32 = np.iinfo(np.int32)


def as_int32(value: Any, name: str, *, lo: Optional[int] = None, hi: Optional[int] = None,
             length: Optional[int] = None, allow_float: bool = False) -> np.ndarray:
    """*value* as a 1-D int32 array, checked: every entry in ``[lo, hi)`` when given.

    Lists and tuples are accepted (converted once); numpy arrays must be 1-D and
    contiguous; integer dtypes other than int32 are range-checked before the
    cast, so nothing wraps around.  Floats are refused unless *allow_float*
    (capacities from pandas), and then must be finite whole numbers.
    """
    if isinstance(value, np.ndarray):
        arr = value
        if not (arr.flags.c_contiguous or arr.ndim == 0):
            raise InvalidArgumentError(
                f"{name}: the array is not contiguous (use np.ascontiguousarray)")
    else:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError) as e:
            raise DtypeError(f"{name}: not an array of integers ({e})") from None
        if arr.dtype == object:
            raise DtypeError(f"{name}: not an array of integers (mixed or object values)")
        if arr.size == 0 and arr.dtype.kind == "f":
            arr = arr.astype(np.int32)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"{name}: expected a 1-D array, got shape {arr.shape}")
    if length is not None and arr.shape[0] != length:
        raise InvalidArgumentError(f"{name}: expected {length} entries, got {arr.shape[0]}")
    kind = arr.dtype.kind
    if kind == "f" and allow_float:
        bad = ~np.isfinite(arr)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InvalidArgumentError(f"{name}[{i}] is {arr[i]!r}: not a number of agents")
        frac = arr != np.floor(arr)
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise InvalidArgumentError(f"{name}[{i}] is {arr[i]!r}: not a whole number")
    elif kind not in "iu":
        raise DtypeError(f"{name}: expected integers, got dtype {arr.dtype}")
    if arr.size:
        amin, amax = arr.min(), arr.max()
        low = _I32.min if lo is None else lo
        high = _I32.max + 1 if hi is None else hi
        if amin < low or amax >= high:
            i = int(np.flatnonzero((arr < low) | (arr >= high))[0])
            v = arr[i]
            if lo == 0 and v < 0 and "capacit" in name:
                raise NegativeCapacityError(f"{name}[{i}] is {v}: a capacity below zero")
            if hi is not None and lo is not None:
                raise OutOfRangeError(f"{name}[{i}] is {v}: outside [{lo}, {hi})")
            raise OutOfRangeError(f"{name}[{i}] is {v}: does not fit in int32")
    if arr.dtype == np.int32 and arr.dtype.isnative and arr.flags.aligned:
        return arr
    # a copy when the array is unaligned too (np.ascontiguousarray would hand
    # back an unaligned int32 array as it is: arrays unpickled from a byte
    # stream, as dask's, can be)
    return np.require(arr, dtype=np.int32, requirements=["C", "A"])


def check_offsets(offsets: np.ndarray, n_entries: int, name: str) -> None:
    """CSR offsets: first 0, non-decreasing, last = number of entries."""
    if offsets.shape[0] < 1:
        raise InvalidArgumentError(f"{name}: needs n + 1 >= 1 entries")
    if offsets[0] != 0:
        raise InvalidArgumentError(f"{name}[0] is {offsets[0]}, not 0")
    if offsets.shape[0] > 1:
        d = np.diff(offsets)
        if d.size and d.min() < 0:
            i = int(np.flatnonzero(d < 0)[0]) + 1
            raise InvalidArgumentError(f"{name}[{i}] is {offsets[i]}: offsets decrease")
    if offsets[-1] != n_entries:
        raise InvalidArgumentError(
            f"{name}[-1] is {offsets[-1]} but the ids array has {n_entries} entries")
