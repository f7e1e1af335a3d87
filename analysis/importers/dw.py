"""Importer for the Deutsche Welle aggregates of SIPRI data (github.com/dw-data/russian-arms-exports-africa,
"extracted from the SIPRI Arms Transfers Database on April 6, 2020"; DW counts Egypt as African).

Format ``dw_aggregate``, three layouts (``meta["layout"]``):

``exports_by_supplier`` (ExportVolume-to-AfricanCountries.csv)
    ``year,country,ExportsToAfricanStates_million_TIV``: TIV exported to all African states by
    Russia, China, USA and France. As DW published it, the file stops at Russia 2006 although DW
    describes 2000-2019; ``meta["incomplete"]`` says so.
``russia_by_recipient`` (RussianArmsImportedByAfricanCountries.csv)
    ``country,2000,...,2019,TIV_ArmsFromRussia_2000_2019,TIV_ArmsFromRussia_2015_2019``: TIV from
    Russia per African recipient and year, empty = no delivery.
``russia_deals`` (WeaponsTypesExportedFromRussiaToAfrica.csv)
    A deal list in SIPRI's register columns (three "uncertain" flags), followed by a total row
    (sum of "No. delivered"), blank rows and a "Types of weapons" block that repeats a subset of
    the deals. The frame holds the deal block only; the total is checked and the repeated block
    must be a subset of it.

All values are SIPRI TIV (millions) or numbers of items, never money. ``release`` is None: the
files carry no stamp (DW's README gives the extraction date, 6 Apr 2020).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register
from analysis.importers._text import check_columns, csv_records, first_fields, read_text, to_float, to_int

DESCRIPTION = (
    "a Deutsche Welle aggregate of SIPRI data (one of three CSV layouts: "
    "'year,country,ExportsToAfricanStates_million_TIV', 'country,2000,...,TIV_ArmsFromRussia_...', "
    "'Recipient,Supplier,No. ordered,...')"
)
EXPORTS = ["year", "country", "ExportsToAfricanStates_million_TIV"]
TOTALS = ["TIV_ArmsFromRussia_2000_2019", "TIV_ArmsFromRussia_2015_2019"]
DEALS = [
    "Recipient",
    "Supplier",
    "No. ordered",
    "uncertain",
    "Weapon designation",
    "Weapon description",
    "Year of order",
    "uncertain",
    "Year of delivery",
    "No. delivered",
    "uncertain",
    "Comments",
]
DEAL_NAMES = [
    "recipient",
    "supplier",
    "n_ordered",
    "n_ordered_uncertain",
    "designation",
    "description",
    "order_year",
    "order_year_uncertain",
    "delivery_years",
    "n_delivered",
    "n_delivered_uncertain",
    "comments",
]
_YEAR = re.compile(r"^\d{4}$")
_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


def _layout(fields: list[str]) -> str | None:
    f = [x.strip() for x in fields]
    if len(f) == 3 and f[:2] == ["year", "country"] and "TIV" in f[2]:
        return "exports_by_supplier"
    if len(f) > 2 and f[0] == "country" and _YEAR.match(f[1]) and any(c.startswith("TIV_") for c in f):
        return "russia_by_recipient"
    if f[:3] == ["Recipient", "Supplier", "No. ordered"]:
        return "russia_deals"
    return None


def _sniff(head: bytes, path: Path) -> bool:
    return _layout(first_fields(head)) is not None


def _bool(v: str, what: str, line: int, name: str) -> bool | None:
    v = v.strip().upper()
    if v in ("TRUE", "FALSE"):
        return v == "TRUE"
    if v == "":
        return None
    raise FormatError(f"{name}, line {line}: {what} flag {v!r} is not TRUE or FALSE; the file is damaged")


def _exports(header, records, name):
    check_columns(header, EXPORTS, name, "DW exports-by-supplier", "dw.py")
    rows = []
    for line, f in records:
        y = to_int(f[0], "year", line, name)
        v = to_float(f[2], "TIV", line, name)
        if y is None or not f[1].strip():
            raise FormatError(f"{name}, line {line}: empty year or country; the file is damaged")
        rows.append((y, f[1].strip(), v))
    frame = pd.DataFrame(rows, columns=EXPORTS)
    frame["year"] = frame["year"].astype("Int64")
    frame["country"] = frame["country"].astype("string")
    frame[EXPORTS[2]] = frame[EXPORTS[2]].astype("Float64")
    span = frame.groupby("country", sort=False)["year"].agg(["min", "max", "count"])
    full = (int(span["min"].min()), int(span["max"].max()))
    short = [
        f"{c}: {int(r['min'])}-{int(r['max'])} only"
        for c, r in span.iterrows()
        if (int(r["min"]), int(r["max"])) != full or r["count"] != full[1] - full[0] + 1
    ]
    meta = {"coverage": {c: (int(r["min"]), int(r["max"])) for c, r in span.iterrows()}, "years": full}
    if short:
        meta["incomplete"] = "; ".join(short) + f" (other suppliers {full[0]}-{full[1]}); the file as DW published it ends there"
    return frame, meta


def _by_recipient(header, records, name):
    years = [c for c in header[1:] if _YEAR.match(c)]
    expected = ["country", *years, *TOTALS]
    check_columns(header, expected, name, "DW Russia-by-recipient", "dw.py")
    cols: dict[str, list] = {c: [] for c in header}
    for line, f in records:
        if not f[0].strip():
            raise FormatError(f"{name}, line {line}: empty country; the file is damaged")
        cols["country"].append(f[0].strip())
        for c, v in zip(header[1:], f[1:]):
            cols[c].append(to_float(v, f"TIV for {c}", line, name))
    frame = pd.DataFrame(cols)
    frame["country"] = frame["country"].astype("string")
    for c in header[1:]:
        frame[c] = frame[c].astype("Float64")
    diff = (frame[years].sum(axis=1) - frame[TOTALS[0]]).abs()
    return frame, {
        "years": (int(years[0]), int(years[-1])),
        "max_total_difference": float(diff.max()),
        "note": f"DW's row totals differ from the sum of the year columns by rounding (up to {float(diff.max()):g} TIV)",
    }


def _deals(header, records, name):
    check_columns(header, DEALS, name, "DW Russia deal list", "dw.py")
    deals, total, extra, section = [], None, [], "deals"
    for line, f in records:
        if not any(x.strip() for x in f):
            continue
        if section == "deals" and not f[0].strip():
            total = to_int(f[9], "total delivered", line, name)
            section = "after total"
            continue
        if section == "after total":
            if f[0].strip() == "Types of weapons" and not any(x.strip() for x in f[1:]):
                section = "types"
                continue
            raise FormatError(f"{name}, line {line}: unexpected row after the total row; the DW layout changed")
        m = _YEARS.match(f[8].strip()) if f[8].strip() else None
        if f[8].strip() and not m:
            raise FormatError(f"{name}, line {line}: year of delivery {f[8]!r} is not 'yyyy' or 'yyyy-yyyy'")
        row = [
            f[0].strip(),
            f[1].strip(),
            to_int(f[2], "No. ordered", line, name),
            _bool(f[3], "uncertain", line, name),
            f[4].strip(),
            f[5].strip(),
            to_int(f[6], "Year of order", line, name),
            _bool(f[7], "uncertain", line, name),
            f[8].strip() or None,
            to_int(f[9], "No. delivered", line, name),
            _bool(f[10], "uncertain", line, name),
            f[11].strip() or None,
        ]
        (deals if section == "deals" else extra).append(row)
    frame = pd.DataFrame(deals, columns=DEAL_NAMES)
    for c in ("n_ordered", "order_year", "n_delivered"):
        frame[c] = frame[c].astype("Int64")
    for c in ("n_ordered_uncertain", "order_year_uncertain", "n_delivered_uncertain"):
        frame[c] = frame[c].astype("boolean")
    for c in ("recipient", "supplier", "designation", "description", "delivery_years", "comments"):
        frame[c] = frame[c].astype("string")
    if total is None:
        raise FormatError(f"{name}: no total row after the deal list; the file is truncated: download it again")
    summed = int(frame["n_delivered"].fillna(0).sum())
    if summed != total:
        raise FormatError(f"{name}: the deal rows deliver {summed} items but the total row says {total}; the file is damaged")
    seen = {tuple(map(str, r)) for r in deals}
    stray = [r for r in extra if tuple(map(str, r)) not in seen]
    if stray:
        raise FormatError(
            f"{name}: {len(stray)} rows of the 'Types of weapons' block are not in the deal list "
            f"(e.g. {stray[0][0]}, {stray[0][4]}); the DW layout changed"
        )
    return frame, {"total_delivered": total, "types_of_weapons_rows": len(extra)}


def read_dw(path: Path) -> Imported:
    name = path.name
    text = read_text(path, "a DW aggregate CSV")
    header, records = csv_records(text, name, "DW aggregate CSV")
    layout = _layout(header)
    if layout is None:
        raise FormatError(f"{name}: the header {','.join(header[:4])!r}... is none of DW's three layouts; expected {DESCRIPTION}")
    if not records:
        raise FormatError(f"{name}: the DW file has a header but no rows; download it again")
    frame, meta = {"exports_by_supplier": _exports, "russia_by_recipient": _by_recipient, "russia_deals": _deals}[layout](
        header, records, name
    )
    meta.update(
        layout=layout,
        units="SIPRI TIV (millions)" if layout != "russia_deals" else "numbers of items",
        extracted="6 Apr 2020 (DW README; not stated in the file)",
    )
    return Imported(frame=frame, format="dw_aggregate", release=None, path=path, meta=meta)


register(Format("dw_aggregate", DESCRIPTION, _sniff, read_dw))
