"""Importer for Our World in Data grapher CSVs, and the strict-CSV helpers the other context
importers share (ucdp, wdi, aiddata, dw, geo import them from here).

Format:

``owid_grapher``
    A grapher download: ``Entity,[Code,]Year,<one or more value columns>``; one row per entity
    and year. Value columns are typed numeric when every non-empty cell is a number; other
    columns (e.g. "World region according to OWID") stay text. The file carries no release
    stamp, so ``release`` is None. Entities include OWID/UCDP regions ("Africa", "World").
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register
from analysis.importers.sipri import decode

# --------------------------------------------------------------------------- shared helpers
_HTML = re.compile(r"^\s*(<!doctype\s+html|<html|<\?xml|<head|<body)", re.I)


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


def check_columns(found: list[str], expected: list[str], name: str, what: str, module: str) -> None:
    """Release-change guard: refuse a header that differs from ``expected``, naming the missing
    and the new columns (or saying the order changed)."""
    if [f.strip() for f in found] == [e.strip() for e in expected]:
        return
    fs, es = [f.strip() for f in found], [e.strip() for e in expected]
    missing = [e for e in es if e and e not in fs]
    new = [f for f in fs if f and f not in es]
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


def csv_records(text: str, name: str, what: str, delimiter: str = ",", skip: int = 0,
                quoting: bool = True) -> tuple[list[str], list[tuple[int, list[str]]]]:
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
                f"{name}, line {skip + reader.line_num + 1}: {exc}; the {what} is truncated or damaged: "
                "download it again"
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
            f"{name}, line {line}: {len(fields)} fields where the header has {width}; "
            f"the {what} is damaged or its layout changed"
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


# --------------------------------------------------------------------------- OWID grapher
DESCRIPTION = "an Our World in Data grapher CSV (header 'Entity,[Code,]Year,<value columns>')"
WHAT = "OWID grapher CSV"


def _sniff(head: bytes, path: Path) -> bool:
    f = first_fields(head)
    if len(f) < 3 or f[0] != "Entity":
        return False
    return f[1] == "Year" or (f[1] == "Code" and len(f) >= 4 and f[2] == "Year")


def read_owid(path: Path) -> Imported:
    name = path.name
    text = read_text(path, "an OWID grapher CSV")
    header, records = csv_records(text, name, WHAT)
    has_code = len(header) > 1 and header[1] == "Code"
    keys = ["Entity", "Code", "Year"] if has_code else ["Entity", "Year"]
    values = header[len(keys):]
    if header[:len(keys)] != keys or not values:
        missing = [k for k in ("Entity", "Year") if k not in header]
        # the key columns' places: what stands there instead is new
        new = [h for h in header[:len(keys)] if h not in ("Entity", "Code", "Year")]
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(repr(c) for c in missing))
        if new:
            parts.append("new column(s) " + ", ".join(repr(c) for c in new))
        if not values:
            parts.append("no value column after Year")
        if not parts:
            parts.append(f"columns in a different order ({', '.join(header[:3])})")
        raise FormatError(f"{name}: not an OWID grapher layout ({'; '.join(parts)}); expected {DESCRIPTION}")
    if len(set(header)) != len(header):
        raise FormatError(f"{name}: repeated column names in the OWID header; the file is damaged")
    if not records:
        raise FormatError(f"{name}: the OWID CSV has a header but no rows; download it again")
    cols: dict[str, list] = {c: [] for c in header}
    for line, f in records:
        entity = f[0].strip()
        if not entity:
            raise FormatError(f"{name}, line {line}: empty Entity; the file is damaged")
        cols["Entity"].append(entity)
        if has_code:
            cols["Code"].append(f[1].strip() or None)
        year = to_int(f[len(keys) - 1], "Year", line, name)
        if year is None:
            raise FormatError(f"{name}, line {line}: empty Year; the file is damaged")
        cols["Year"].append(year)
        for j, c in enumerate(values, start=len(keys)):
            cols[c].append(f[j].strip())
    numeric = [c for c in values if all(v == "" or is_number(v) for v in cols[c])]
    if not numeric:
        raise FormatError(f"{name}: no numeric value column in the OWID CSV ({', '.join(values)}); expected {DESCRIPTION}")
    frame = pd.DataFrame({c: cols[c] for c in keys})
    frame["Year"] = frame["Year"].astype("Int64")
    for c in keys[:-1]:
        frame[c] = frame[c].astype("string")
    for c in values:
        if c in numeric:
            frame[c] = pd.array([float(v) if v != "" else None for v in cols[c]], dtype="Float64")
        else:
            frame[c] = pd.Series([v or None for v in cols[c]], dtype="string")
    check_unique(frame, ["Entity", "Year"], name, WHAT)
    return Imported(
        frame=frame, format="owid_grapher", release=None, path=path,
        meta={"value_columns": numeric, "text_columns": [c for c in values if c not in numeric],
              "has_code": has_code, "years": (int(frame["Year"].min()), int(frame["Year"].max()))},
    )


register(Format("owid_grapher", DESCRIPTION, _sniff, read_owid))
