"""The exception hierarchy, built from the library's error codes.

Every error the C library reports (a ``GError`` in the ``TM_ERROR`` domain)
is raised as the subclass of :class:`Error` registered for its code; the
classes are made once, at import, from ``tm_error_code_name()`` for every code
the linked library defines.  Checks the Python layer makes before calling C
raise the same classes.
"""
from __future__ import annotations

import re
from typing import Dict, Optional, Tuple, Type

from . import core as _core

__all__ = [
    "Error", "InputError", "InvalidArgumentError", "DtypeError", "OutOfRangeError",
    "DuplicateError", "NegativeCapacityError", "SizeOverflowError", "NoMemoryError",
    "CancelledError", "ParseError", "FileError", "UnsupportedError", "UnknownNameError",
    "InfeasibleError", "NoSuchMatching", "NoSuchMatchingError", "error_class",
]


class Error(Exception):
    """Base class of every techmatch error.

    Attributes
    ----------
    message : str
        The library's message (names the file, agent, line or field at fault).
    code : int or None
        The ``TmError`` code (``None`` for checks made in Python that have no code).
    code_name : str or None
        The stable name of the code (``"PARSE"``, ``"OUT_OF_RANGE"``, ...).
    """

    code_name: Optional[str] = None

    def __init__(self, message: str, code: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code if code is not None else _CODES.get(type(self)._code_key())

    @classmethod
    def _code_key(cls) -> Optional[str]:
        return cls.code_name

    def __str__(self) -> str:
        return self.message


class InputError(Error, ValueError):
    """Bad input: a wrong argument, id, capacity, name or file content."""


class InvalidArgumentError(InputError):
    """An argument that is not acceptable (``INVALID_ARGUMENT``): bad size, offsets, shape."""

    code_name = "INVALID_ARGUMENT"


class DtypeError(InvalidArgumentError, TypeError):
    """An array of the wrong kind (floats or objects where integer ids are needed)."""


class OutOfRangeError(InputError):
    """An agent id outside ``[0, n)`` (``OUT_OF_RANGE``)."""

    code_name = "OUT_OF_RANGE"


class DuplicateError(InputError):
    """The same id or name twice where it must be unique (``DUPLICATE``)."""

    code_name = "DUPLICATE"


class NegativeCapacityError(InputError):
    """A capacity, cap or floor below zero (``NEGATIVE_CAPACITY``)."""

    code_name = "NEGATIVE_CAPACITY"


class SizeOverflowError(Error, OverflowError):
    """A size or total that does not fit in 32 bits (``OVERFLOW``)."""

    code_name = "OVERFLOW"


class NoMemoryError(Error, MemoryError):
    """An allocation sized from the input failed (``NO_MEMORY``)."""

    code_name = "NO_MEMORY"


class CancelledError(Error):
    """The operation's cancel handle was triggered (``CANCELLED``)."""

    code_name = "CANCELLED"


_POSITION = re.compile(r"^(?P<file>[^\n]*?):(?P<line>\d+)(?::(?P<column>\d+))?: ")


class ParseError(InputError):
    """Malformed input text: JSON, CSV forms, configuration (``PARSE``).

    Attributes
    ----------
    file : str or None
        The file (or source name) named at the start of the message, if any.
    line, column : int or None
        The 1-based line and column when the message gives them
        (``FILE:LINE:COLUMN: ...`` or ``FILE:LINE: ...``).
    """

    code_name = "PARSE"

    def __init__(self, message: str, code: Optional[int] = None) -> None:
        super().__init__(message, code)
        self.file: Optional[str] = None
        self.line: Optional[int] = None
        self.column: Optional[int] = None
        m = _POSITION.match(message)
        if m:
            self.file = m.group("file")
            self.line = int(m.group("line"))
            self.column = int(m.group("column")) if m.group("column") else None
        elif ": " in message:
            head = message.split(": ", 1)[0]
            if "/" in head or head.endswith((".json", ".csv", ".ini")):
                self.file = head


class FileError(Error, OSError):
    """Reading or writing a file failed (``IO``)."""

    code_name = "IO"


class UnsupportedError(Error, NotImplementedError):
    """Valid input this version cannot handle, e.g. solving ties (``UNSUPPORTED``)."""

    code_name = "UNSUPPORTED"


class UnknownNameError(InputError):
    """A name that no agent (or sector) has (``UNKNOWN_NAME``)."""

    code_name = "UNKNOWN_NAME"


class InfeasibleError(Error):
    """Constraints no assignment can meet, e.g. floors above a cap (``INFEASIBLE``)."""

    code_name = "INFEASIBLE"


class NoSuchMatching(Error):
    """The asked-for matching does not exist, e.g. no strongly or super-stable
    matching of a market with ties (``NO_SUCH_MATCHING``).  Not an input
    error: the market is valid, the answer is "none"."""

    code_name = "NO_SUCH_MATCHING"


NoSuchMatchingError = NoSuchMatching

_KNOWN: Dict[str, Type[Error]] = {
    c.code_name: c for c in (InvalidArgumentError, OutOfRangeError, DuplicateError,
                             NegativeCapacityError, SizeOverflowError, NoMemoryError,
                             CancelledError, ParseError, FileError, UnsupportedError,
                             UnknownNameError, InfeasibleError, NoSuchMatching)
}
_CODES: Dict[Optional[str], int] = {}
_BY_CODE: Dict[int, Type[Error]] = {}


def _build() -> None:
    code = 1
    while True:
        name = _core.tm_error_code_name(code)
        if name is None:
            break
        cls = _KNOWN.get(name)
        if cls is None:  # a code newer than this module: still its own class
            camel = "".join(part.capitalize() for part in name.split("_")) + "Error"
            cls = type(camel, (Error,), {"code_name": name, "__module__": __name__})
            globals()[camel] = cls
        _CODES[name] = code
        _BY_CODE[code] = cls
        _core.tm_py_register_error(code, cls)
        code += 1
    _core.tm_py_register_error(0, Error)


def error_class(code: int) -> Type[Error]:
    """The exception class raised for ``TmError`` code *code* (:class:`Error` if unknown)."""
    return _BY_CODE.get(code, Error)


def codes() -> Tuple[Tuple[int, str, Type[Error]], ...]:
    """Every ``(code, name, class)`` the linked library defines, in code order."""
    return tuple((c, cls.code_name or "", cls) for c, cls in sorted(_BY_CODE.items()))


_build()
