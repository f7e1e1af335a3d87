"""Importer for ACLED's aggregated country-year and country-month downloads (xlsx).

Format ``acled_aggregate``: one sheet, header in row 1, one row per country and year (or country,
month and year). Five files, told apart by their names (``meta["measure"]``):

========================================================================  ===========================
number_of_reported_fatalities_by_country-year_as-of-<ddMonYYYY>           COUNTRY, YEAR, FATALITIES
number_of_reported_civilian_fatalities_by_country-year_as-of-...          COUNTRY, YEAR, FATALITIES
number_of_events_targeting_civilians_by_country-year_as-of-...            COUNTRY, YEAR, EVENTS
number_of_demonstration_events_by_country-year_as-of-...                  COUNTRY, YEAR, EVENTS
number_of_political_violence_events_by_country-month-year_as-of-...       COUNTRY, MONTH, YEAR, EVENTS
========================================================================  ===========================

``release`` is "as of 24 Oct 2025", parsed from ``as-of-24Oct2025`` in the file name, or None if
the name does not carry it; the current year is partial. Counts are integers >= 0. A renamed file
is still read (the layout is then taken from its header, ``measure`` None).
ACLED's terms forbid re-publishing the data: publish derived figures only, with the credit line.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register
from analysis.importers._text import check_columns, check_unique
from analysis.importers.milex import claims_broken_xlsx, invalid_workbook, open_workbook, xlsx_sheets

DESCRIPTION = "an ACLED aggregated xlsx (one sheet, header 'COUNTRY,[MONTH,]YEAR,EVENTS|FATALITIES')"
_NAME = re.compile(
    r"^number_of_(?P<measure>[a-z_]+?)_by_country-(?P<grain>year|month-year)"
    r"(?:_as-of-(?P<d>\d{1,2})(?P<m>[A-Z][a-z]{2})(?P<y>\d{4}))?.*\.xlsx?$",
    re.I,
)
MEASURES = {
    "reported_fatalities": "FATALITIES",
    "reported_civilian_fatalities": "FATALITIES",
    "events_targeting_civilians": "EVENTS",
    "demonstration_events": "EVENTS",
    "political_violence_events": "EVENTS",
}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _first_row(path: Path) -> list | None:
    try:
        wb = open_workbook(path)
    except FormatError:
        return None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # ACLED's sheets declare a dimension of A1
        for row in ws.iter_rows(min_row=1, max_row=1, values_only=True):
            return list(row)
        return []
    finally:
        wb.close()


def _sniff(head: bytes, path: Path) -> bool:
    sheets = xlsx_sheets(head, path)
    if sheets is None:
        return claims_broken_xlsx(head, path, _NAME)
    if len(sheets) != 1:
        return False
    row = _first_row(path) or []
    labels = [str(v).strip() for v in row if v is not None]
    return bool(labels) and labels[0] == "COUNTRY" and "YEAR" in labels


def _expected(name: str, header: list[str]) -> tuple[list[str], str | None, str | None, str | None]:
    """Expected header, measure, grain and the as-of date (as 'dd Mon yyyy') from the file name."""
    m = _NAME.match(name)
    as_of = None
    if m and m.group("d"):
        try:
            as_of = datetime.strptime(f"{m.group('d')} {m.group('m')} {m.group('y')}", "%d %b %Y").strftime("%d %b %Y")
        except ValueError:
            as_of = None
    if m and m.group("measure").lower() in MEASURES:
        measure, grain = m.group("measure").lower(), m.group("grain").lower()
        keys = ["COUNTRY", "MONTH", "YEAR"] if grain == "month-year" else ["COUNTRY", "YEAR"]
        return keys + [MEASURES[measure]], measure, grain, as_of
    # Unrecognised name: take the layout from the header (if it is one of ACLED's).
    last = header[-1] if header else ""
    value = last if last in ("EVENTS", "FATALITIES") else "EVENTS"
    keys = ["COUNTRY", "MONTH", "YEAR"] if "MONTH" in header else ["COUNTRY", "YEAR"]
    return keys + [value], None, ("month-year" if "MONTH" in header else "year"), as_of


def read_acled(path: Path) -> Imported:
    name = path.name
    wb = open_workbook(path)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        rows = list(ws.iter_rows(values_only=True))
    except Exception as exc:  # a damaged member surfaces only while streaming rows
        raise invalid_workbook(name, exc) from None
    finally:
        wb.close()
    if not rows:
        raise FormatError(f"{name}: the ACLED sheet is empty; download it again")
    header = [str(v).strip() if v is not None else "" for v in rows[0]]
    while header and header[-1] == "":
        header.pop()
    expected, measure, grain, as_of = _expected(name, header)
    check_columns(header, expected, name, "ACLED aggregate", "acled.py")
    value_col = expected[-1]
    cols: dict[str, list] = {c: [] for c in expected}
    width = len(expected)
    body = rows[1:]
    while body and all(v is None or (isinstance(v, str) and not v.strip()) for v in body[-1]):
        body.pop()
    if not body:
        raise FormatError(f"{name}: the ACLED sheet has a header but no rows; download it again")
    for i, row in enumerate(body, start=2):
        cells = list(row[:width]) + [None] * (width - len(row[:width]))
        if any(v not in (None, "") for v in row[width:]):
            raise FormatError(f"{name}, row {i}: a value beyond the {width} columns of the header; the layout changed")
        rec = dict(zip(expected, cells))
        if any(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            missing = [c for c, v in rec.items() if v is None or (isinstance(v, str) and not v.strip())]
            last = i == len(body) + 1
            raise FormatError(
                f"{name}, row {i}: empty {', '.join(missing)}; "
                + ("the file is truncated: download it again" if last else "the file is damaged")
            )
        country = str(rec["COUNTRY"]).strip()
        for c in ("YEAR", value_col):
            v = rec[c]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or float(v) != int(v) or v < 0:
                raise FormatError(f"{name}, row {i}: {c} {v!r} is not a whole number >= 0; the file is damaged")
        year = int(rec["YEAR"])
        if not 1990 <= year <= 2100:
            raise FormatError(f"{name}, row {i}: YEAR {year} is outside 1990-2100; the file is damaged")
        cols["COUNTRY"].append(country)
        cols["YEAR"].append(year)
        cols[value_col].append(int(rec[value_col]))
        if "MONTH" in cols:
            month = str(rec["MONTH"]).strip()
            if month not in MONTHS:
                raise FormatError(f"{name}, row {i}: MONTH {month!r} is not an English month name")
            cols["MONTH"].append(month)
    frame = pd.DataFrame(cols)
    frame["COUNTRY"] = frame["COUNTRY"].astype("string")
    frame["YEAR"] = frame["YEAR"].astype("Int64")
    frame[value_col] = frame[value_col].astype("Int64")
    if "MONTH" in frame:
        frame["MONTH"] = frame["MONTH"].astype("string")
    check_unique(frame, [c for c in expected[:-1]], name, "ACLED aggregate")
    return Imported(
        frame=frame,
        format="acled_aggregate",
        release=f"as of {as_of}" if as_of else None,
        path=path,
        meta={
            "measure": measure,
            "grain": grain,
            "value_column": value_col,
            "as_of": datetime.strptime(as_of, "%d %b %Y").date().isoformat() if as_of else None,
            "years": (int(frame["YEAR"].min()), int(frame["YEAR"].max())),
            "countries": int(frame["COUNTRY"].nunique()),
            "note": "the last year is partial (data to the as-of date)",
        },
    )


register(Format("acled_aggregate", DESCRIPTION, _sniff, read_acled))
