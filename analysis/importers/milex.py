"""Importer for the SIPRI Military Expenditure Database workbook, and the xlsx helpers the ACLED
importer shares.

Format ``sipri_milex_workbook`` (SIPRI-Milex-data-1949-2024_2.xlsx):

Sheets "Constant (2023) US$" (US$ m, constant 2023 prices) and "Share of GDP" (stored as a
fraction: 0.042 = 4.2 %) are read. Rows 1-5 are a title and notes, row 6 the header
(``Country, [blank,] Notes, 1949, ..., 2024``), data from row 7. Rows whose value cells are all
empty are regional headings: "Africa", "Americas", "Asia & Oceania", "Europe", "Middle East"
(-> ``region``) and their subregions, e.g. "North Africa", "sub-Saharan Africa" (-> ``subregion``;
NA where a region has none). Markers: ". ." (written "..." in this release) = data unavailable,
"xxx" = the country did not exist or was not independent; both -> NA, with the reason in
``missing``. Font colour carries SIPRI's flags: blue = SIPRI estimate, red = highly uncertain
(-> ``flag``); reading the colours costs nothing extra with openpyxl's read-only mode.

``frame`` is long: country, region, subregion, year, measure ("constant_2023_usd_m" |
"share_of_gdp_pct", the fraction converted to percent), value, flag, missing. ``release`` is
"2025 release (data 1949-2024)": the edition from the front page's citation ("SIPRI Military
Expenditure Database 2025") and the span it states, else the span in the sheet titles or the
file name (edition = last year + 1).
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register

DESCRIPTION = "a SIPRI Military Expenditure Database workbook (xlsx with sheets 'Constant (2023) US$' and 'Share of GDP')"
CONSTANT_SHEET = re.compile(r"^Constant \((\d{4})\) US\$$")
SHARE_SHEET = "Share of GDP"
BASE_YEAR = 2023
MEASURES = {"constant": "constant_2023_usd_m", "share": "share_of_gdp_pct"}
TOP_REGIONS = {"Africa", "Americas", "Asia & Oceania", "Europe", "Middle East"}
UNAVAILABLE = {"...", ". .", "..", "\u2026", ". . ."}
NOT_INDEPENDENT = {"xxx"}
BLUE, RED = "FF0000FF", "FFFF0000"
HEADER_ROW = 6
_SPAN = re.compile(r"(1[89]\d\d|20\d\d)\s*[-\u2013\u2014]\s*(1[89]\d\d|20\d\d)")
_MILEX_NAME = re.compile(r"^SIPRI-Milex-data-\d{4}-\d{4}.*\.xlsx?$", re.I)
_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls")


# --------------------------------------------------------------------------- xlsx helpers
def xlsx_sheets(head: bytes, path: Path) -> list[str] | None:
    """Sheet names of an xlsx workbook, from xl/workbook.xml only (cheap); None if the file is
    not a readable zip with a workbook part."""
    if path.is_dir() or not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            xml = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError):
        return None
    return [html.unescape(n) for n in re.findall(r"<(?:\w+:)?sheet\b[^>]*\bname=\"([^\"]*)\"", xml)]


def claims_broken_xlsx(head: bytes, path: Path, pattern: re.Pattern[str]) -> bool:
    """A file named like a publisher's workbook but that is no readable xlsx (random bytes, an
    interrupted download): claim it, so that ``read`` can say what is wrong."""
    return (
        not path.is_dir()
        and path.suffix.lower() in _XLSX_SUFFIXES
        and bool(pattern.match(path.name))
        and xlsx_sheets(head, path) is None
    )


def invalid_workbook(name: str, exc: BaseException | None = None) -> FormatError:
    why = f" ({type(exc).__name__})" if exc is not None else ""
    return FormatError(
        f"{name}: not a valid Excel workbook{why}: the file is damaged, truncated or not an xlsx; download it again"
    )


def open_workbook(path: Path) -> openpyxl.Workbook:
    try:
        if not zipfile.is_zipfile(path):
            raise invalid_workbook(path.name)
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FormatError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged zip
        raise invalid_workbook(path.name, exc) from None


# --------------------------------------------------------------------------- milex
def _sniff(head: bytes, path: Path) -> bool:
    sheets = xlsx_sheets(head, path)
    if sheets is None:
        return claims_broken_xlsx(head, path, _MILEX_NAME)
    return SHARE_SHEET in sheets and any(CONSTANT_SHEET.match(s) for s in sheets)


def _front_page_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            parts = [
                zf.read(n).decode("utf-8", "replace")
                for n in zf.namelist()
                if n.startswith("xl/drawings/") and n.endswith(".xml")
            ]
    except (zipfile.BadZipFile, OSError):
        return ""
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(parts)))


def _cell_value(v):
    return None if v is None or (isinstance(v, str) and not v.strip()) else v


def _read_sheet(ws, sheet: str, name: str, measure: str, scale: float):
    """Rows of (country, region, subregion, year, measure, value, flag, missing), the title,
    each country's notes, and the regional headings."""
    rows_iter = ws.iter_rows()
    title = ""
    header = None
    for i, row in enumerate(rows_iter, start=1):
        if i == 1 and row and isinstance(row[0].value, str):
            title = row[0].value.strip()
        if i == HEADER_ROW:
            header = [c.value for c in row]
            break
    if header is None:
        raise FormatError(
            f"{name}: sheet {sheet!r} has fewer than {HEADER_ROW} rows; the workbook is truncated: download it again"
        )
    labels = [str(h).strip() if isinstance(h, str) else h for h in header]
    year_idx = [j for j, h in enumerate(labels) if isinstance(h, (int, float)) and float(h).is_integer() and 1900 <= h <= 2100]
    text_labels = [h for j, h in enumerate(labels) if j not in year_idx and _cell_value(h) is not None]
    if text_labels != ["Country", "Notes"] or not year_idx or labels[0] != "Country":
        absent = [c for c in ("Country", "Notes") if c not in text_labels]
        new = [str(c) for c in text_labels if c not in ("Country", "Notes")]
        parts = (["missing column(s) " + ", ".join(repr(c) for c in absent)] if absent else []) + (
            ["new column(s) " + ", ".join(repr(c) for c in new)] if new else []
        )
        if not year_idx:
            parts.append("no year columns")
        raise FormatError(
            f"{name}: the header (row {HEADER_ROW}) of sheet {sheet!r} has changed "
            f"({'; '.join(parts) or 'different order'}); update analysis/importers/milex.py for the new release"
        )
    years = [int(labels[j]) for j in year_idx]
    if years != list(range(years[0], years[-1] + 1)):
        raise FormatError(f"{name}: sheet {sheet!r} has non-consecutive year columns; the workbook is damaged")
    notes_idx = labels.index("Notes")
    out, notes, seen = [], {}, set()
    region = subregion = prev_heading = None
    headings: list[str] = []
    for i, row in enumerate(rows_iter, start=HEADER_ROW + 1):
        cells = list(row)
        label = cells[0].value if cells else None
        label = label.strip() if isinstance(label, str) else label
        vals = [cells[j] if j < len(cells) else None for j in year_idx]
        present = [c for c in vals if c is not None and _cell_value(c.value) is not None]
        if not label:
            if present:
                raise FormatError(f"{name}: sheet {sheet!r} row {i} has values but no country name; the workbook is damaged")
            continue
        if not present:  # a heading: a region ("Africa") or a subregion ("North Africa")
            if label in TOP_REGIONS:
                region, subregion = label, None
            elif prev_heading is not None and prev_heading not in TOP_REGIONS:
                region, subregion = prev_heading, label  # two unknown headings in a row: a new region
            else:
                subregion = label
            prev_heading = label
            headings.append(label)
            continue
        prev_heading = None
        if label in seen:
            raise FormatError(f"{name}: sheet {sheet!r} lists {label!r} twice (row {i}); the workbook is damaged")
        seen.add(label)
        if region is None:
            raise FormatError(f"{name}: sheet {sheet!r} row {i}: {label!r} comes before any regional heading")
        if notes_idx < len(cells) and _cell_value(cells[notes_idx].value) is not None:
            notes[label] = str(cells[notes_idx].value).strip()
        for y, c in zip(years, vals):
            v = None if c is None else c.value
            flag: str | None = None
            missing: str | None = None
            value = None
            if isinstance(v, bool):
                assert c is not None  # v is c.value here
                raise FormatError(f"{name}: {sheet}!{c.coordinate} holds {v!r}, not a number")
            if isinstance(v, (int, float)):
                value = float(v) * scale
                color = getattr(getattr(getattr(c, "font", None), "color", None), "rgb", None)
                flag = "estimate" if color == BLUE else "uncertain" if color == RED else None
            elif v is None or (isinstance(v, str) and not v.strip()):
                missing = "blank"
            elif isinstance(v, str) and v.strip() in UNAVAILABLE:
                missing = "unavailable"
            elif isinstance(v, str) and v.strip().lower() in NOT_INDEPENDENT:
                missing = "did not exist"
            else:
                assert c is not None  # v is c.value, not None, here
                raise FormatError(
                    f"{name}: {sheet}!{c.coordinate} ({label}, {y}) holds {v!r}, which is neither a "
                    "number nor a SIPRI marker ('. .', 'xxx'); the workbook is damaged or its layout changed"
                )
            out.append((label, region, subregion, y, measure, value, flag, missing))
    if not out:
        raise FormatError(f"{name}: sheet {sheet!r} has a header but no country rows; the workbook is truncated")
    return out, title, notes, headings


def _release(path: Path, titles: list[str]) -> tuple[str, str]:
    front = _front_page_text(path)
    edition = re.search(r"SIPRI Military Expenditure Database (\d{4})", front)
    period = re.search(r"for the period\s+" + _SPAN.pattern, front)
    span = None
    for source in ([period.group(0)] if period else []) + titles + [path.name]:
        m = _SPAN.search(source)
        if m:
            span = (int(m.group(1)), int(m.group(2)))
            break
    if span is None:
        raise FormatError(
            f"{path.name}: no data span (e.g. '1949-2024') on the front page, in the sheet titles or "
            "in the file name; cannot stamp the release"
        )
    if edition:
        return f"{edition.group(1)} release (data {span[0]}-{span[1]})", "front page"
    return f"{span[1] + 1} release (data {span[0]}-{span[1]})", "inferred from the data span"


def read_milex(path: Path) -> Imported:
    name = path.name
    wb = open_workbook(path)
    try:
        sheets = wb.sheetnames
        constant = [s for s in sheets if CONSTANT_SHEET.match(s)]
        missing = ([] if constant else [f"Constant ({BASE_YEAR}) US$"]) + ([] if SHARE_SHEET in sheets else [SHARE_SHEET])
        if missing:
            raise FormatError(
                f"{name}: missing sheet(s) {', '.join(repr(s) for s in missing)} (found: {', '.join(sheets)}); "
                f"expected {DESCRIPTION}"
            )
        m = CONSTANT_SHEET.match(constant[0])
        assert m is not None  # constant holds only the sheet names it matches
        base = int(m.group(1))
        if base != BASE_YEAR:
            raise FormatError(
                f"{name}: the workbook has {constant[0]!r}, not 'Constant ({BASE_YEAR}) US$': a new release "
                f"changed the price base; update analysis/importers/milex.py and the measure name"
            )
        rows, titles, notes, layout = [], [], {}, {}
        for sheet, key, scale in ((constant[0], "constant", 1.0), (SHARE_SHEET, "share", 100.0)):
            r, title, n, heads = _read_sheet(wb[sheet], sheet, name, MEASURES[key], scale)
            rows += r
            titles.append(title)
            notes[sheet] = n
            layout[sheet] = {"countries": len({x[0] for x in r}), "headings": heads}
    except FormatError:
        raise
    except Exception as exc:  # a damaged member surfaces only while streaming rows
        raise invalid_workbook(name, exc) from None
    finally:
        wb.close()
    frame = pd.DataFrame(rows, columns=["country", "region", "subregion", "year", "measure", "value", "flag", "missing"])
    for c in ("country", "region", "subregion", "measure", "flag", "missing"):
        frame[c] = frame[c].astype("string")
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = frame["value"].astype("Float64")
    release, source = _release(path, titles)
    by_measure = {m: set(frame.loc[frame["measure"] == m, "country"]) for m in MEASURES.values()}
    only = sorted(by_measure[MEASURES["constant"]] ^ by_measure[MEASURES["share"]])
    return Imported(
        frame=frame,
        format="sipri_milex_workbook",
        release=release,
        path=path,
        meta={
            "sheets": sheets,
            "titles": titles,
            "release_source": source,
            "notes": notes,
            "layout": layout,
            "countries": len(by_measure[MEASURES["constant"]]),
            "in_one_sheet_only": only,
            "years": (int(frame["year"].min()), int(frame["year"].max())),
            "flags": "blue font = SIPRI estimate, red font = highly uncertain (read from cell colour)",
        },
    )


register(Format("sipri_milex_workbook", DESCRIPTION, _sniff, read_milex))
