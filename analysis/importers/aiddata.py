"""Importer for AidData GCDF 3.0 country-year aggregates.

Format:

``aiddata_aggregate``
    Chinese official finance summed by recipient and commitment year: ``gwcode`` (Gleditsch-Ward)
    or ``ccode`` (Correlates of War), ``year``, then ``oof_amt, oof_adj, oda_amt, oda_adj, vof_amt,
    vof_adj`` (OOF-like, ODA-like, vague official finance; *_amt = amount, *_adj = adjusted
    amount). Amounts are in US$ (not millions), constant 2021 prices. Country-years with no
    projects are absent. No release stamp in the file (``release`` None; the data are GCDF 3.0).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.errors import FormatError
from analysis.importers import Format, Imported, register
from analysis.importers._text import check_columns, check_unique, csv_records, first_fields, read_text, to_float, to_int

AMOUNTS = ["oof_amt", "oof_adj", "oda_amt", "oda_adj", "vof_amt", "vof_adj"]
CODES = {"gwcode": "Gleditsch-Ward", "ccode": "Correlates of War"}
DESCRIPTION = (
    "an AidData GCDF country-year aggregate CSV (header 'gwcode|ccode,year,oof_amt,oof_adj,oda_amt,oda_adj,vof_amt,vof_adj')"
)


def _sniff(head: bytes, path: Path) -> bool:
    f = first_fields(head)
    return len(f) >= 3 and f[0] in CODES and f[1] == "year" and any(c.endswith(("_amt", "_adj")) for c in f[2:])


def read_aiddata(path: Path) -> Imported:
    name = path.name
    text = read_text(path, "an AidData aggregate CSV")
    header, records = csv_records(text, name, "AidData aggregate CSV")
    code = header[0] if header and header[0] in CODES else "gwcode"
    check_columns(header, [code, "year", *AMOUNTS], name, "AidData GCDF aggregate", "aiddata.py")
    if not records:
        raise FormatError(f"{name}: the AidData aggregate has a header but no rows; download it again")
    cols: dict[str, list] = {c: [] for c in header}
    for line, f in records:
        c, y = to_int(f[0], code, line, name), to_int(f[1], "year", line, name)
        if c is None or y is None:
            raise FormatError(f"{name}, line {line}: empty {code} or year; the file is damaged")
        if not 1990 <= y <= 2100:
            raise FormatError(f"{name}, line {line}: year {y} is outside 1990-2100; the file is damaged")
        cols[code].append(c)
        cols["year"].append(y)
        for a, v in zip(AMOUNTS, f[2:]):
            x = to_float(v, a, line, name)
            if x is None or x < 0:
                raise FormatError(f"{name}, line {line}: {a} {v!r} is empty or negative; the file is damaged")
            cols[a].append(x)
    frame = pd.DataFrame(cols)
    frame[code] = frame[code].astype("Int64")
    frame["year"] = frame["year"].astype("Int64")
    for a in AMOUNTS:
        frame[a] = frame[a].astype("Float64")
    check_unique(frame, [code, "year"], name, "AidData aggregate CSV")
    return Imported(
        frame=frame,
        format="aiddata_aggregate",
        release=None,
        path=path,
        meta={
            "code": code,
            "code_system": CODES[code],
            "units": "US$, constant 2021 prices",
            "dataset": "AidData GCDF 3.0",
            "years": (int(frame["year"].min()), int(frame["year"].max())),
            "recipients": int(frame[code].nunique()),
        },
    )


register(Format("aiddata_aggregate", DESCRIPTION, _sniff, read_aiddata))
