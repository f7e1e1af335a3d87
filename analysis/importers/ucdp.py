"""Importers for UCDP conflict data.

Formats:

``ucdp_prio_acd``
    The UCDP/PRIO Armed Conflict Dataset in UCDP's native CSV (28 columns, one row per
    conflict-year, ISO dates, a ``version`` column such as 25.1 -> ``release`` "25.1").
    Columns that may list several actors or codes ("220, 432") stay text.
``ucdp_ged_country_year``
    UCDP GED best-estimate deaths summed by GED country, year and type of violence
    (1 = state-based, 2 = non-state, 3 = one-sided): ``country,country_id,year,type_of_violence,
    best_deaths``. The aggregate carries no GED version, so ``release`` is None; cells with no
    events are mostly absent rather than zero.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register
from analysis.importers._text import check_columns, check_unique, csv_records, first_fields, read_text, to_int

ACD_COLUMNS = [
    "conflict_id",
    "location",
    "side_a",
    "side_a_id",
    "side_a_2nd",
    "side_b",
    "side_b_id",
    "side_b_2nd",
    "incompatibility",
    "territory_name",
    "year",
    "intensity_level",
    "cumulative_intensity",
    "type_of_conflict",
    "start_date",
    "start_prec",
    "start_date2",
    "start_prec2",
    "ep_end",
    "ep_end_date",
    "ep_end_prec",
    "gwno_a",
    "gwno_a_2nd",
    "gwno_b",
    "gwno_b_2nd",
    "gwno_loc",
    "region",
    "version",
]
ACD_INT = {
    "conflict_id",
    "incompatibility",
    "year",
    "intensity_level",
    "cumulative_intensity",
    "type_of_conflict",
    "start_prec",
    "start_prec2",
    "ep_end",
    "ep_end_prec",
}
ACD_DATE = {"start_date", "start_date2", "ep_end_date"}
ACD_RANGES = {
    "incompatibility": (1, 3),
    "intensity_level": (1, 2),
    "cumulative_intensity": (0, 1),
    "type_of_conflict": (1, 4),
    "ep_end": (0, 1),
}
ACD_DESCRIPTION = "a UCDP/PRIO Armed Conflict Dataset CSV (header 'conflict_id,location,side_a,...,region,version')"

GED_COLUMNS = ["country", "country_id", "year", "type_of_violence", "best_deaths"]
GED_DESCRIPTION = "a UCDP GED country-year aggregate CSV (header 'country,country_id,year,type_of_violence,best_deaths')"
TYPES_OF_VIOLENCE = {1: "state-based", 2: "non-state", 3: "one-sided"}


# --------------------------------------------------------------------------- ACD
def _sniff_acd(head: bytes, path: Path) -> bool:
    f = first_fields(head)
    return bool(f) and f[0] == "conflict_id" and "side_a" in f and "intensity_level" in f


def _date(value: str, what: str, line: int, name: str) -> date | None:
    v = value.strip()
    if not v:
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise FormatError(
            f"{name}, line {line}: {what} {value!r} is not an ISO date (yyyy-mm-dd); "
            "the file was re-saved in another layout: use UCDP's own CSV"
        ) from None


def read_acd(path: Path) -> Imported:
    name = path.name
    text = read_text(path, "a UCDP/PRIO ACD CSV", final_newline=True)
    header, records = csv_records(text, name, "UCDP/PRIO ACD CSV")
    check_columns(header, ACD_COLUMNS, name, "UCDP/PRIO Armed Conflict Dataset", "ucdp.py")
    if not records:
        raise FormatError(f"{name}: the ACD CSV has a header but no rows; download it again")
    cols: dict[str, list] = {c: [] for c in ACD_COLUMNS}
    for line, f in records:
        for c, v in zip(ACD_COLUMNS, f):
            if c in ACD_INT:
                x = to_int(v, c, line, name)
                lo_hi = ACD_RANGES.get(c)
                if x is not None and lo_hi and not lo_hi[0] <= x <= lo_hi[1]:
                    raise FormatError(f"{name}, line {line}: {c} {x} is outside {lo_hi[0]}-{lo_hi[1]}; the file is damaged")
                cols[c].append(x)
            elif c in ACD_DATE:
                cols[c].append(_date(v, c, line, name))
            else:
                cols[c].append(v.strip() or None)
        if cols["conflict_id"][-1] is None or cols["year"][-1] is None:
            raise FormatError(f"{name}, line {line}: empty conflict_id or year; the file is damaged")
    frame = pd.DataFrame(cols)
    for c in ACD_INT:
        frame[c] = frame[c].astype("Int64")
    for c in ACD_DATE:
        frame[c] = pd.to_datetime(frame[c])
    for c in set(ACD_COLUMNS) - ACD_INT - ACD_DATE:
        frame[c] = frame[c].astype("string")
    versions = sorted(set(frame["version"].dropna()))
    if len(versions) != 1:
        raise FormatError(f"{name}: the version column holds {versions or 'nothing'}; expected one UCDP version per file")
    check_unique(frame, ["conflict_id", "year"], name, "UCDP/PRIO ACD CSV")
    return Imported(
        frame=frame,
        format="ucdp_prio_acd",
        release=versions[0],
        path=path,
        meta={
            "version": versions[0],
            "years": (int(frame["year"].min()), int(frame["year"].max())),
            "conflicts": int(frame["conflict_id"].nunique()),
        },
    )


register(Format("ucdp_prio_acd", ACD_DESCRIPTION, _sniff_acd, read_acd))


# --------------------------------------------------------------------------- GED country-year
def _sniff_ged(head: bytes, path: Path) -> bool:
    f = first_fields(head)
    return bool(f) and f[0] == "country" and "type_of_violence" in f and "year" in f and any(c.startswith("best") for c in f)


def read_ged(path: Path) -> Imported:
    name = path.name
    text = read_text(path, "a UCDP GED country-year CSV", final_newline=True)
    header, records = csv_records(text, name, "UCDP GED country-year CSV")
    check_columns(header, GED_COLUMNS, name, "UCDP GED country-year aggregate", "ucdp.py")
    if not records:
        raise FormatError(f"{name}: the GED aggregate has a header but no rows; download it again")
    cols: dict[str, list] = {c: [] for c in GED_COLUMNS}
    for line, f in records:
        country = f[0].strip()
        cid, year, tov, best = (to_int(f[i], GED_COLUMNS[i], line, name) for i in range(1, 5))
        if not country or cid is None or year is None or tov is None or best is None:
            raise FormatError(f"{name}, line {line}: an empty cell in a GED aggregate row; the file is damaged")
        if tov not in TYPES_OF_VIOLENCE:
            raise FormatError(f"{name}, line {line}: type_of_violence {tov} is not 1, 2 or 3")
        if best < 0:
            raise FormatError(f"{name}, line {line}: best_deaths {best} is negative; the file is damaged")
        for c, v in zip(GED_COLUMNS, (country, cid, year, tov, best)):
            cols[c].append(v)
    frame = pd.DataFrame(cols)
    frame["country"] = frame["country"].astype("string")
    for c in GED_COLUMNS[1:]:
        frame[c] = frame[c].astype("Int64")
    check_unique(frame, ["country", "year", "type_of_violence"], name, "GED country-year aggregate")
    return Imported(
        frame=frame,
        format="ucdp_ged_country_year",
        release=None,
        path=path,
        meta={
            "types_of_violence": dict(TYPES_OF_VIOLENCE),
            "years": (int(frame["year"].min()), int(frame["year"].max())),
            "countries": int(frame["country"].nunique()),
            "note": "the aggregate does not state its GED version",
        },
    )


register(Format("ucdp_ged_country_year", GED_DESCRIPTION, _sniff_ged, read_ged))
