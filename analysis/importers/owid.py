"""Importer for Our World in Data grapher CSVs, and the strict-CSV helpers the other context
importers share now live in analysis/importers/_text.py.

Format:

``owid_grapher``
    A grapher download: ``Entity,[Code,]Year,<one or more value columns>``; one row per entity
    and year. Value columns are typed numeric when every non-empty cell is a number; other
    columns (e.g. "World region according to OWID") stay text. The file carries no release
    stamp, so ``release`` is None. Entities include OWID/UCDP regions ("Africa", "World").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register
from analysis.importers._text import (  # noqa: F401
    check_columns,
    check_unique,
    csv_records,
    first_fields,
    head_text,
    is_number,
    read_text,
    to_float,
    to_int,
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
    values = header[len(keys) :]
    if header[: len(keys)] != keys or not values:
        missing = [k for k in ("Entity", "Year") if k not in header]
        # the key columns' places: what stands there instead is new
        new = [h for h in header[: len(keys)] if h not in ("Entity", "Code", "Year")]
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
        frame=frame,
        format="owid_grapher",
        release=None,
        path=path,
        meta={
            "value_columns": numeric,
            "text_columns": [c for c in values if c not in numeric],
            "has_code": has_code,
            "years": (int(frame["Year"].min()), int(frame["Year"].max())),
        },
    )


register(Format("owid_grapher", DESCRIPTION, _sniff, read_owid))
