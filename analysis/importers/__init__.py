"""Importers: read each kind of source file, detect its format, and refuse what is not.

Each importer module registers one or more :class:`Format` objects. :func:`detect` sniffs a file's
first bytes and returns the name of the format it matches; :func:`read` parses a file into an
:class:`Imported` (a DataFrame in the publisher's own columns, typed, plus the release stamp and
row count). When a caller expects one format and the file is another, :func:`read` raises
:class:`~analysis.errors.FormatError` naming both.

Importers do not tidy: turning publisher tables into the project's tidy tables is the job of
:mod:`analysis.data`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import FormatError


@dataclass(frozen=True)
class Imported:
    """A parsed source file.

    ``frame`` keeps the publisher's columns (typed); ``release`` is the publisher's own stamp
    ("Data generated: 13 Mar 2025 ..." -> "13 Mar 2025"), or None if the file has none;
    ``meta`` holds format-specific facts (preamble lines, sheet names, title).
    """

    frame: pd.DataFrame
    format: str
    release: str | None
    path: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.frame)


@dataclass(frozen=True)
class Format:
    """A kind of file: ``sniff(head)`` says whether the first bytes look like it; ``read(path)`` parses."""

    name: str
    description: str
    sniff: Callable[[bytes, Path], bool]
    read: Callable[[Path], Imported]


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


def _load_all() -> None:
    # Import the modules for their registrations (order = sniffing order: most specific first).
    from analysis.importers import sipri  # noqa: F401

    for name in ("milex", "ucdp", "owid", "acled", "wdi", "aiddata", "geo", "dw"):
        try:
            __import__(f"analysis.importers.{name}")
        except ModuleNotFoundError as exc:  # a module not written yet
            if exc.name != f"analysis.importers.{name}":
                raise


HEAD_BYTES = 16384


def require_final_newline(text: str, name: str, what: str) -> None:
    """Publishers whose exports always end with a line break (SIPRI, UCDP, World Bank): a file
    that does not is cut short, possibly in the middle of a number that would still parse."""
    if text and not text.endswith(("\n", "\r")):
        raise FormatError(f"{name}: {what} that does not end with a line break is truncated; download or import it again")


def head_of(path: Path, n: int = HEAD_BYTES) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def detect(path: str | os.PathLike[str]) -> str:
    """Return the format name of the file at ``path``; FormatError if no importer recognises it."""
    _load_all()
    p = Path(path)
    if not p.exists():
        raise FormatError(f"{p}: no such file; check the path")
    head = b"" if p.is_dir() else head_of(p)
    for fmt in FORMATS.values():
        try:
            if fmt.sniff(head, p):
                return fmt.name
        except Exception:  # a sniffer must never crash detection
            continue
    kinds = "; ".join(f.description for f in FORMATS.values())
    raise FormatError(f"{p.name}: not a file this project can read; expected one of: {kinds}")


def read(path: str | os.PathLike[str], expected: str | None = None) -> Imported:
    """Parse ``path``. With ``expected``, refuse a file of any other format, naming both."""
    _load_all()
    p = Path(path)
    if not p.exists():
        raise FormatError(f"{p}: no such file; check the path")
    if expected is not None and expected not in FORMATS:
        raise FormatError(f"unknown format {expected!r}; known: {', '.join(sorted(FORMATS))}")
    try:
        found = detect(p)
    except FormatError:
        if expected is None:
            raise
        raise FormatError(f"{p.name}: expected {FORMATS[expected].description}, but the file is of no known format") from None
    if expected is not None and found != expected:
        raise FormatError(f"{p.name}: expected {FORMATS[expected].description}, got {FORMATS[found].description}")
    return FORMATS[found].read(p)


def describe(name: str) -> str:
    _load_all()
    return FORMATS[name].description
