"""Importers for SIPRI Arms Transfers Database files.

Formats:

``sipri_register_classic``
    The trade register as exported by SIPRI's web form: an 11-line preamble ending in
    "Data generated: 13 Mar 2025 10:02:49 AM", then a 16-column header. Text is cp1252.
    Unnamed columns after "Year of order", "Number ordered" and "Number delivered" hold '?' when
    SIPRI marks the value uncertain; "Year(s) of delivery" lists years ("2019; 2020"). A few
    comments run across a line break without quoting; such records are joined again (and
    counted in ``meta["repaired_records"]``).
``sipri_register_api``
    The CSV inside a response of SIPRI's backend API (``/trades/trade-register-csv/``): the
    same preamble, then one row per deal and delivery year, with SIPRI's deal id and armament
    category.
``sipri_tiv_table``
    "Volume of transfers of major arms" TIV tables (one table, or several stacked), and the
    importer/exporter totals tables: a preamble, then a header "Recipient|Exports by,<years>...".
``sipri_tiv_legacy``
    The 2022-era per-exporter tables "TIV of arms exports from <X>, 1950-2021".

All values are SIPRI trend-indicator values (TIV) in millions: a volume index, not money.
A cell "0" means a volume between 0 and 0.5 million TIV.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register, require_final_newline
from analysis.importers._text import check_columns, decode, to_float, to_int

CLASSIC_HEADER = [
    "Recipient",
    "Supplier",
    "Year of order",
    " ",
    "Number ordered",
    " ",
    "Weapon designation",
    "Weapon description",
    "Number delivered",
    " ",
    "Year(s) of delivery",
    "status",
    "Comments",
    "SIPRI TIV per unit",
    "SIPRI TIV for total order",
    "SIPRI TIV of delivered weapons",
]
# Other names SIPRI has used for a column, by position (the China 2026 export names column 9
# after the year range it was asked for).
CLASSIC_ALIASES = {8: {"Deliveries in the Year Range"}}
CLASSIC_NAMES = [
    "recipient",
    "supplier",
    "order_year",
    "order_year_est",
    "n_ordered",
    "n_ordered_est",
    "designation",
    "description",
    "n_delivered",
    "n_delivered_est",
    "delivery_years",
    "status",
    "comments",
    "tiv_unit",
    "tiv_order",
    "tiv_delivered",
]

API_HEADER = [
    "SIPRI AT Database ID",
    "Supplier",
    "Recipient",
    "Designation",
    "Description",
    "Armament category",
    "Order date",
    "Order date is estimate",
    "Numbers delivered",
    "Numbers delivered is estimate",
    "Delivery year",
    "Delivery year is estimate",
    "Status",
    "SIPRI estimate",
    "TIV deal unit",
    "TIV delivery values",
    "Local production",
]
API_NAMES = [
    "deal_id",
    "supplier",
    "recipient",
    "designation",
    "description",
    "category",
    "order_year",
    "order_year_est",
    "n_delivered",
    "n_delivered_est",
    "delivery_year",
    "delivery_year_est",
    "status",
    "sipri_estimate",
    "tiv_unit",
    "tiv_delivered",
    "local_production",
]

#: The "Generated: <date>" line of a SIPRI export's preamble (the fetcher reads it too).
GENERATED = re.compile(r"^\s*(?:Data )?[Gg]enerated:\s*(.+?)\s*,*\s*$")
_YEAR = re.compile(r"^\d{4}$")


def parse_generated(text: str) -> datetime | None:
    """'13 Mar 2025 10:02:49 AM' or '28 July 2022' -> datetime; None if unrecognised."""
    text = text.strip().strip('"').strip()
    for fmt in ("%d %b %Y %I:%M:%S %p", "%d %B %Y %I:%M:%S %p", "%d %b %Y", "%d %B %Y"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def release_label(generated: datetime) -> str:
    """SIPRI updates the database each March. A file generated in or after March of year Y is of
    the "March Y" release (deliveries to Y-1); one generated in January or February is of the
    previous year's release."""
    year = generated.year if generated.month >= 3 else generated.year - 1
    return f"March {year}"


def _preamble(text: str, limit: int = 15) -> tuple[list[str], datetime | None, int]:
    """Return the preamble lines, the generated stamp, and the index of the line after it."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:limit]):
        m = GENERATED.match(line)
        if m:
            return lines[: i + 1], parse_generated(m.group(1)), i + 1
    return lines[:limit], None, -1


_NUMBER = re.compile(r"^-?\d+(\.\d+)?\s*$")


def _looks_like_data(line: str) -> bool:
    """A line with several comma-separated fields, a label and at least one number: a data row,
    which must never be found above a table's header (the file is shuffled or damaged)."""
    if line.count(",") < 4:
        return False
    fields = next(csv.reader([line]))
    return bool(fields[0].strip()) and any(_NUMBER.match(f) for f in fields[1:])


def _refuse_data_above_header(lines: list[str], name: str) -> None:
    for i, line in enumerate(lines, start=1):
        if _looks_like_data(line):
            raise FormatError(
                f"{name}, line {i}: a data row above the table's header; the file is damaged or re-ordered: download it again"
            )


def _head_text(head: bytes) -> str:
    return decode(head) if head else ""


# --------------------------------------------------------------------------- classic register
def _sniff_classic(head: bytes, path: Path) -> bool:
    text = _head_text(head)
    return text.lstrip().startswith("Transfers of major conventional arms") and "SIPRI AT Database ID," not in text[:6000]


def _check_header(found: list[str], expected: list[str], aliases: dict[int, set[str]], what: str, name: str) -> None:
    """Release-change guard: name missing or new columns instead of reading shifted data."""
    check_columns(found, expected, name, what, "sipri.py", aliases)


def _num(value: str, what: str, line: int, name: str, integer: bool = False) -> float | int | None:
    return (to_int if integer else to_float)(value, what, line, name)


def _records(body: str, first_line: int, width: int, name: str) -> tuple[list[tuple[int, list[str]]], int]:
    """Split the CSV body into records of ``width`` fields, joining comments broken across lines.

    Returns (records as (line number, fields), number of repaired records). Raises FormatError on
    a record that cannot be completed (a truncated file) or that has too many fields.
    """
    out: list[tuple[int, list[str]]] = []
    repaired = 0
    pending: list[str] | None = None
    pending_line = 0
    reader = csv.reader(io.StringIO(body))
    for fields in reader:
        line = first_line + reader.line_num - 1
        if pending is not None:
            # A comment ran across a line break: the first field continues the last one.
            fields = pending[:-1] + [pending[-1] + " " + fields[0]] + fields[1:]
            line = pending_line
        if not fields or (len(fields) == 1 and not fields[0].strip() and pending is None):
            continue
        if len(fields) < width:
            pending, pending_line = fields, line
            continue
        if pending is not None:
            repaired += 1
            pending = None
        if len(fields) > width:
            raise FormatError(
                f"{name}, line {line}: {len(fields)} fields where the header has {width}; "
                "the file is damaged or a new release changed the layout"
            )
        out.append((line, fields))
    if pending is not None:
        raise FormatError(
            f"{name}, line {pending_line}: the last record has {len(pending)} of {width} fields; "
            "the file is truncated: download or import it again"
        )
    return out, repaired


def _flag(value: str, what: str, line: int, name: str) -> bool:
    v = value.strip()
    if v == "?":
        return True
    if v == "":
        return False
    raise FormatError(f"{name}, line {line}: uncertainty flag for {what} is {value!r}, expected '?' or empty")


def read_classic(path: Path) -> Imported:
    name = path.name
    text = decode(path.read_bytes())
    require_final_newline(text, name, "a SIPRI trade register")
    pre, generated, start = _preamble(text)
    if start < 0 or generated is None:
        raise FormatError(f"{name}: no 'Data generated:' line in the preamble of a SIPRI trade register; is the file complete?")
    _refuse_data_above_header(pre, name)
    rest = text.splitlines(keepends=True)[start:]
    # Skip blank lines between preamble and header.
    skipped = 0
    while rest and not rest[0].strip():
        rest.pop(0)
        skipped += 1
    if not rest:
        raise FormatError(f"{name}: the SIPRI trade register has a preamble but no header or rows; the file is truncated")
    header = next(csv.reader([rest[0]]))
    _check_header(header, CLASSIC_HEADER, CLASSIC_ALIASES, "SIPRI trade-register", name)
    header_line = start + skipped + 1
    records, repaired = _records("".join(rest[1:]), header_line + 1, len(CLASSIC_HEADER), name)
    if not records:
        raise FormatError(f"{name}: the SIPRI trade register has a header but no rows")
    cols: dict[str, list] = {c: [] for c in CLASSIC_NAMES}
    cols["line"] = []
    for line, f in records:
        oy = f[2].strip()
        if oy and not _YEAR.match(oy):
            raise FormatError(f"{name}, line {line}: order year {oy!r} is not a year; the file is damaged")
        years = [y.strip() for y in f[10].split(";") if y.strip()]
        if any(not _YEAR.match(y) for y in years):
            raise FormatError(f"{name}, line {line}: delivery years {f[10]!r} are not a list of years")
        cols["recipient"].append(f[0].strip())
        cols["supplier"].append(f[1].strip())
        cols["order_year"].append(int(oy) if oy else None)
        cols["order_year_est"].append(_flag(f[3], "order year", line, name))
        cols["n_ordered"].append(_num(f[4], "number ordered", line, name, integer=True))
        cols["n_ordered_est"].append(_flag(f[5], "number ordered", line, name))
        cols["designation"].append(f[6].strip())
        cols["description"].append(f[7].strip())
        cols["n_delivered"].append(_num(f[8], "number delivered", line, name, integer=True))
        cols["n_delivered_est"].append(_flag(f[9], "number delivered", line, name))
        cols["delivery_years"].append("; ".join(years))
        cols["status"].append(f[11].strip())
        cols["comments"].append(f[12].strip())
        cols["tiv_unit"].append(_num(f[13], "TIV per unit", line, name))
        cols["tiv_order"].append(_num(f[14], "TIV for total order", line, name))
        cols["tiv_delivered"].append(_num(f[15], "TIV of delivered weapons", line, name))
        cols["line"].append(line)
    frame = pd.DataFrame(cols)
    for c in ("order_year", "n_ordered", "n_delivered", "line"):
        frame[c] = frame[c].astype("Int64")
    for c in ("tiv_unit", "tiv_order", "tiv_delivered"):
        frame[c] = frame[c].astype("Float64")
    return Imported(
        frame=frame,
        format="sipri_register_classic",
        release=generated.strftime("%d %b %Y"),
        path=path,
        meta={
            "title": pre[0].strip(),
            "generated": generated.isoformat(),
            "release_label": release_label(generated),
            "repaired_records": repaired,
            "data_lines": len(records) + repaired,
        },
    )


register(
    Format(
        "sipri_register_classic",
        "a SIPRI trade register (classic export: 11-line preamble, header 'Recipient,Supplier,Year of order,...')",
        _sniff_classic,
        read_classic,
    )
)


# --------------------------------------------------------------------------- API register
def _sniff_api(head: bytes, path: Path) -> bool:
    text = _head_text(head)
    return "SIPRI AT Database ID," in text[:6000]


def _yes_no(value: str, what: str, line: int, name: str) -> bool:
    v = value.strip().lower()
    if v in ("yes", "true", "1"):
        return True
    if v in ("no", "false", "0", ""):
        return False
    raise FormatError(f"{name}, line {line}: {what} is {value!r}, expected Yes or No")


def read_api(path: Path) -> Imported:
    name = path.name
    text = decode(path.read_bytes())
    require_final_newline(text, name, "a SIPRI API register")
    pre, generated, start = _preamble(text)
    lines = text.splitlines(keepends=True)
    if start >= 0:
        _refuse_data_above_header(pre, name)
    if start < 0:
        start = 0  # a response without a preamble: the header must come first
    rest = lines[start:]
    while rest and not rest[0].strip():
        rest.pop(0)
        start += 1
    if not rest:
        raise FormatError(f"{name}: SIPRI API register with no header or rows; the response is truncated")
    header = next(csv.reader([rest[0]]))
    _check_header(header, API_HEADER, {}, "SIPRI API trade-register", name)
    records, _ = _records("".join(rest[1:]), start + 2, len(API_HEADER), name)
    cols: dict[str, list] = {c: [] for c in API_NAMES}
    cols["line"] = []
    for line, f in records:
        did = f[0].strip()
        if not did.isdigit():
            raise FormatError(f"{name}, line {line}: deal id {did!r} is not a number; the file is damaged")
        oy, dy = f[6].strip(), f[10].strip()
        for v, what in ((oy, "order year"), (dy, "delivery year")):
            if v and not _YEAR.match(v):
                raise FormatError(f"{name}, line {line}: {what} {v!r} is not a year")
        cols["deal_id"].append(int(did))
        cols["supplier"].append(f[1].strip())
        cols["recipient"].append(f[2].strip())
        cols["designation"].append(f[3].strip())
        cols["description"].append(f[4].strip())
        cols["category"].append(f[5].strip())
        cols["order_year"].append(int(oy) if oy else None)
        cols["order_year_est"].append(_yes_no(f[7], "order-date estimate", line, name))
        cols["n_delivered"].append(_num(f[8], "numbers delivered", line, name))
        cols["n_delivered_est"].append(_yes_no(f[9], "numbers-delivered estimate", line, name))
        cols["delivery_year"].append(int(dy) if dy else None)
        cols["delivery_year_est"].append(_yes_no(f[11], "delivery-year estimate", line, name))
        cols["status"].append(f[12].strip())
        cols["sipri_estimate"].append(_num(f[13], "SIPRI estimate", line, name))
        cols["tiv_unit"].append(_num(f[14], "TIV deal unit", line, name))
        cols["tiv_delivered"].append(_num(f[15], "TIV delivery values", line, name))
        cols["local_production"].append(_yes_no(f[16], "local production", line, name))
        cols["line"].append(line)
    frame = pd.DataFrame(cols)
    for c in ("deal_id", "order_year", "delivery_year", "line"):
        frame[c] = frame[c].astype("Int64")
    for c in ("n_delivered", "sipri_estimate", "tiv_unit", "tiv_delivered"):
        frame[c] = frame[c].astype("Float64")
    meta = {"title": pre[0].strip() if pre else ""}
    if generated is not None:
        meta.update(generated=generated.isoformat(), release_label=release_label(generated))
    return Imported(
        frame=frame,
        format="sipri_register_api",
        release=generated.strftime("%d %b %Y") if generated else None,
        path=path,
        meta=meta,
    )


register(
    Format(
        "sipri_register_api",
        "a SIPRI trade register from the backend API (header 'SIPRI AT Database ID,Supplier,Recipient,...')",
        _sniff_api,
        read_api,
    )
)


# --------------------------------------------------------------------------- TIV tables
def _sniff_tiv(head: bytes, path: Path) -> bool:
    text = _head_text(head).lstrip()
    return (
        text.startswith("Volume of transfers of major arms")
        or (text.startswith("Figures are") and "TIV" in text[:400])
        or (bool(re.search(r"^\s*(Recipient|Exports by|Imports by|Supplier),\d{4},", text[:6000], re.M)) and "TIV" in text[:2000])
    )


def _tiv_value(v: str, name: str, line: int) -> float | None:
    return to_float(v, "TIV value", line, name)


def read_tiv(path: Path) -> Imported:
    """Long table: table (1-based index of the stacked table), entity (row label), supplier
    (for "Total exports from X" tables, else None), year, tiv (TIV millions), is_total."""
    name = path.name
    text = decode(path.read_bytes())
    require_final_newline(text, name, "a SIPRI TIV table")
    lines = text.splitlines()
    generated: datetime | None = None
    rows: list[dict] = []
    table = 0
    years: list[int] = []
    year_cols: list[int] = []
    row_label = ""
    pending: list[dict] = []
    for i, raw in enumerate(lines, start=1):
        m = GENERATED.match(raw)
        if m:
            g = parse_generated(m.group(1))
            generated = generated or g
            continue
        fields = next(csv.reader([raw])) if raw.strip() else []
        if not fields:
            continue
        if (
            fields[0] in ("Recipient", "Exports by", "Imports by", "Supplier")
            and len(fields) > 1
            and _YEAR.match(fields[1].strip())
        ):
            table += 1
            row_label = fields[0]
            year_cols = [j for j, c in enumerate(fields) if _YEAR.match(c.strip())]
            years = [int(fields[j]) for j in year_cols]
            pending = []
            continue
        if not years:
            if _looks_like_data(raw):
                raise FormatError(
                    f"{name}, line {i}: a data row above the table's header; the file is damaged or re-ordered: download it again"
                )
            continue  # preamble text
        if len(fields) < 2:
            continue
        label = fields[0].strip()
        if not label:
            continue
        if len(fields) < len(year_cols) + 1:
            raise FormatError(
                f"{name}, line {i}: {len(fields)} fields where the table has {len(year_cols) + 1} or more; the file is truncated"
            )
        is_total = label.startswith("Total")
        supplier = None
        if label.startswith("Total exports from "):
            supplier = label[len("Total exports from ") :].strip()
            for r in pending:
                r["supplier"] = supplier
        for y, j in zip(years, year_cols):
            val = _tiv_value(fields[j], name, i)
            if val is None:
                continue
            r = {
                "table": table,
                "row_label": row_label,
                "entity": label,
                "supplier": supplier,
                "year": y,
                "tiv": val,
                "is_total": is_total,
            }
            rows.append(r)
            if not is_total:
                pending.append(r)
    if table == 0:
        raise FormatError(f"{name}: no table header ('Recipient,<years>...') found in a SIPRI TIV table")
    if generated is None:
        raise FormatError(f"{name}: no 'Data generated:' line in a SIPRI TIV table; is the file complete?")
    frame = pd.DataFrame(rows, columns=["table", "row_label", "entity", "supplier", "year", "tiv", "is_total"])
    frame["year"] = frame["year"].astype("Int64")
    frame["tiv"] = frame["tiv"].astype("Float64")
    return Imported(
        frame=frame,
        format="sipri_tiv_table",
        release=generated.strftime("%d %b %Y"),
        path=path,
        meta={"tables": table, "generated": generated.isoformat(), "release_label": release_label(generated)},
    )


register(
    Format(
        "sipri_tiv_table",
        "a SIPRI TIV table ('Volume of transfers of major arms' preamble, header 'Recipient,<years>...')",
        _sniff_tiv,
        read_tiv,
    )
)


def _sniff_legacy(head: bytes, path: Path) -> bool:
    text = _head_text(head).lstrip().lstrip('"')
    return text.startswith("TIV of arms exports from")


def read_tiv_legacy(path: Path) -> Imported:
    """Long table: supplier, entity (recipient), year, tiv (TIV millions), is_total."""
    name = path.name
    text = decode(path.read_bytes())
    lines = text.splitlines()
    first = next(csv.reader([lines[0]]))[0]
    m = re.match(r"TIV of arms exports from (.+?), (\d{4})-(\d{4})", first.strip().strip('"'))
    if not m:
        raise FormatError(f"{name}: title {first!r} is not 'TIV of arms exports from <X>, <years>'")
    supplier = m.group(1)
    generated = None
    rows = []
    years: list[int] = []
    cols: list[int] = []
    for i, raw in enumerate(lines[1:], start=2):
        fields = next(csv.reader([raw])) if raw.strip() else []
        if not fields:
            continue
        g = re.match(r"Generated:\s*(.+)", fields[0].strip())
        if g:
            generated = parse_generated(g.group(1))
            continue
        if not years and len(fields) > 1 and fields[0] == "" and _YEAR.match(fields[1].strip()):
            cols = [j for j, c in enumerate(fields) if _YEAR.match(c.strip())]
            years = [int(fields[j]) for j in cols]
            continue
        if not years and _looks_like_data(raw) and not raw.startswith(","):
            raise FormatError(
                f"{name}, line {i}: a data row above the table's header; the file is damaged or re-ordered: download it again"
            )
        if not years or not fields[0].strip():
            continue
        if len(fields) < len(cols) + 1:
            raise FormatError(
                f"{name}, line {i}: {len(fields)} fields where the table has {len(cols) + 1}; the file is truncated"
            )
        for y, j in zip(years, cols):
            val = _tiv_value(fields[j], name, i)
            if val is not None:
                rows.append(
                    {
                        "supplier": supplier,
                        "entity": fields[0].strip(),
                        "year": y,
                        "tiv": val,
                        "is_total": fields[0].strip() == "Total",
                    }
                )
    if not years:
        raise FormatError(f"{name}: no year header in a legacy SIPRI TIV table")
    frame = pd.DataFrame(rows, columns=["supplier", "entity", "year", "tiv", "is_total"])
    frame["year"] = frame["year"].astype("Int64")
    frame["tiv"] = frame["tiv"].astype("Float64")
    release = generated.strftime("%d %b %Y") if generated else None
    meta = {"supplier": supplier}
    if generated:
        meta.update(generated=generated.isoformat(), release_label=release_label(generated))
    return Imported(frame=frame, format="sipri_tiv_legacy", release=release, path=path, meta=meta)


register(
    Format(
        "sipri_tiv_legacy", "a legacy SIPRI TIV table ('TIV of arms exports from <X>, 1950-2021')", _sniff_legacy, read_tiv_legacy
    )
)
