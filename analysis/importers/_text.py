"""Helpers the text-file importers share: decoding, HTML-page detection, strict CSV records,
the release-change guard on headers, numeric parsing with line numbers, and unique keys.

Every failure is a one-line FormatError that names the file, the line where it applies, what
was expected, and what to do.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from analysis.errors import FormatError

_HTML = re.compile(r"^\s*(<!doctype\s+html|<html|<\?xml|<head|<body)", re.I)


def decode(raw: bytes) -> str:
    """Decode SIPRI text: UTF-8 (with or without BOM) if valid, else cp1252, else latin-1."""
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def head_text(head: bytes) -> str:
    """The sniffed bytes as text (BOM stripped)."""
    return decode(head).lstrip("\ufeff") if head else ""


def first_fields(head: bytes, delimiter: str = ",") -> list[str]:
    """The fields of the first line of ``head`` (quotes honoured, BOM stripped)."""
    text = head_text(head)
    if not text or _HTML.match(text):
        return []
    line = text.splitlines()[0] if text.splitlines() else ""
    if delimiter == "\t":
        return line.split("\t")
    try:
        return next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return []


def read_text(path: Path, what: str, final_newline: bool = False) -> str:
    """Decode a text export; refuse an HTML page or an empty file with a one-line FormatError.
    With ``final_newline``, also refuse a file that does not end with a line break (the
    publisher's files always do, so it was cut short)."""
    raw = path.read_bytes()
    if not raw.strip():
        raise FormatError(f"{path.name}: the file is empty; download {what} again")
    text = decode(raw).lstrip("\ufeff")
    if _HTML.match(text):
        raise FormatError(
            f"{path.name}: this is an HTML page, not {what} (an error or login page saved in place "
            "of the download?); download the file again"
        )
    if final_newline:
        from analysis.importers import require_final_newline

        require_final_newline(text, path.name, what)
    return text


def check_columns(
    found: list[str], expected: list[str], name: str, what: str, module: str, aliases: dict[int, set[str]] | None = None
) -> None:
    """Release-change guard: refuse a header that differs from ``expected``, naming the missing
    and the new columns (or saying the order changed). ``aliases`` lists other names a column
    has had, by position."""
    aliases = aliases or {}
    fs, es = [f.strip() for f in found], [e.strip() for e in expected]
    if len(fs) == len(es) and all(f == e or f in aliases.get(i, set()) for i, (f, e) in enumerate(zip(fs, es))):
        return
    known_aliases = set().union(*aliases.values()) if aliases else set()
    missing = [e for i, e in enumerate(es) if e and e not in fs and not (aliases.get(i, set()) & set(fs))]
    new = [f for f in fs if f and f not in es and f not in known_aliases]
    parts = []
    if missing:
        parts.append("missing column(s) " + ", ".join(repr(c) for c in missing))
    if new:
        parts.append("new column(s) " + ", ".join(repr(c) for c in new))
    if not parts:
        parts.append(f"the same columns in a different order or count ({len(fs)} found, {len(es)} expected)")
    raise FormatError(
        f"{name}: the {what} header has changed ({'; '.join(parts)}); "
        f"update analysis/importers/{module} for the new layout before using it"
    )


def csv_records(
    text: str, name: str, what: str, delimiter: str = ",", skip: int = 0, quoting: bool = True
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Split a CSV (after ``skip`` preamble lines) into its header and records (line number,
    fields). Every record must have as many fields as the header: a shorter last record means
    the file is truncated; any other mismatch means it is damaged or the layout changed."""
    lines = text.splitlines(keepends=True)
    body = "".join(lines[skip:])
    out: list[tuple[int, list[str]]] = []
    if quoting:
        reader = csv.reader(io.StringIO(body), delimiter=delimiter, strict=True)
        rows = []
        try:
            for fields in reader:
                rows.append((skip + reader.line_num, fields))
        except csv.Error as exc:
            raise FormatError(
                f"{name}, line {skip + reader.line_num + 1}: {exc}; the {what} is truncated or damaged: download it again"
            ) from None
    else:
        rows = [(skip + i, ln.rstrip("\r\n").split(delimiter)) for i, ln in enumerate(body.splitlines(keepends=True), 1)]
    rows = [(ln, f) for ln, f in rows if not (len(f) == 0 or (len(f) == 1 and not f[0].strip()))]
    if not rows:
        raise FormatError(f"{name}: no header found; the {what} is empty or truncated: download it again")
    (_, header), body_rows = rows[0], rows[1:]
    width = len(header)
    for i, (line, fields) in enumerate(body_rows):
        if len(fields) == width:
            out.append((line, fields))
            continue
        if i == len(body_rows) - 1 and len(fields) < width:
            raise FormatError(
                f"{name}, line {line}: the last record has {len(fields)} of {width} fields; "
                f"the {what} is truncated: download it again"
            )
        raise FormatError(
            f"{name}, line {line}: {len(fields)} fields where the header has {width}; the {what} is damaged or its layout changed"
        )
    return header, out


def to_int(value: str, what: str, line: int, name: str) -> int | None:
    v = value.strip()
    if v == "":
        return None
    try:
        x = float(v)
    except ValueError:
        raise FormatError(f"{name}, line {line}: {what} {value!r} is not a number; the file may be damaged") from None
    if x != int(x):
        raise FormatError(f"{name}, line {line}: {what} {value!r} is not a whole number; the file may be damaged")
    return int(x)


def to_float(value: str, what: str, line: int, name: str) -> float | None:
    v = value.strip()
    if v == "":
        return None
    try:
        return float(v)
    except ValueError:
        raise FormatError(f"{name}, line {line}: {what} {value!r} is not a number; the file may be damaged") from None


def is_number(value: str) -> bool:
    try:
        float(value)
        return True
    except ValueError:
        return False


def check_unique(frame: pd.DataFrame, keys: list[str], name: str, what: str) -> None:
    dup = frame.duplicated(keys, keep=False)
    if dup.any():
        first = frame.loc[dup, keys].iloc[0].tolist()
        raise FormatError(
            f"{name}: {int(dup.sum())} rows repeat the key ({', '.join(keys)}), e.g. {first}; "
            f"the {what} is damaged or not the expected export"
        )
