"""The project's errors: one class per failure class, each with its own exit code.

Every error carries a one-line message that says what was wrong and how to fix it. The command
line prints ``error: <message>`` and exits with ``exit_code``; a traceback is shown only with
``--debug``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class BriefingError(Exception):
    """Base class. ``exit_code`` is the process exit status the CLI uses for this class."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        # Keep messages to one line: the CLI prints them as they are.
        super().__init__(" ".join(str(message).split()))


class MissingSourceError(BriefingError):
    """A source file the work needs is not in data/raw, the exports folder, or fetchable."""

    exit_code = 3


class FormatError(BriefingError):
    """A file is unreadable, truncated, or not of the shape that was expected."""

    exit_code = 4


class ChecksumError(BriefingError):
    """A file's sha256 no longer matches the metadata record written when it was imported."""

    exit_code = 5


class UnknownNameError(BriefingError, KeyError):
    """A country, supplier or region name that cannot be resolved."""

    exit_code = 6

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.args[0] if self.args else ""


class ParameterError(BriefingError, ValueError):
    """A parameter outside what the data or the command accepts (years, formats, widths)."""

    exit_code = 7


class NotebookError(BriefingError):
    """A notebook failed while executing; the message names the notebook and the cell's error."""

    exit_code = 8


class FetchError(BriefingError):
    """A download from a publisher failed, timed out, or returned something unusable."""

    exit_code = 9


class ValidationError(FormatError):
    """A tidy table broke one of its checks (columns, types, ranges, unique keys)."""

    exit_code = 10


def year_pair(value: object, what: str = "years") -> tuple[int, int]:
    """An inclusive (first, last) pair of years, as every API function takes ``years``: a
    one-line ParameterError for anything else (a single year, a string, a reversed pair)."""
    import numbers

    ok = not isinstance(value, (str, bytes)) and hasattr(value, "__len__") and hasattr(value, "__getitem__")
    if ok and len(value) == 2:  # type: ignore[arg-type]
        a, b = value[0], value[1]  # type: ignore[index]
        ok = all(
            isinstance(y, numbers.Real) and not isinstance(y, bool) and float(y).is_integer()
            for y in (a, b)  # 2020 or 2020.0
        )
    else:
        ok = False
    if not ok:
        raise ParameterError(f"{what} must be a pair of years like (2020, 2024), got {value!r}")
    first, last = int(a), int(b)
    if first > last:
        raise ParameterError(f"{what} {first}-{last}: the first year is after the last; give (first, last)")
    return first, last


def frame_with(value: object, columns: Iterable[str], what: str, table: str) -> Any:
    """``value`` if it is a DataFrame with ``columns``; else a one-line ParameterError naming
    the argument (``what``) and the table it should be (``table``, e.g. "the tidy transfers
    table (analysis.data.transfers())")."""
    import pandas as pd

    if not isinstance(value, pd.DataFrame):
        raise ParameterError(f"{what} must be {table}, got {type(value).__name__}")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ParameterError(f"{what} is not {table}: it has no column {', '.join(missing)}")
    return value
