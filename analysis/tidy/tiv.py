"""SIPRI's TIV tables (``sipri_tiv_table``, ``sipri_tiv_legacy``) as cells.

``tiv_cells(imp, name=None)``
    One row per printed cell: table, release, generated, kind ("bilateral", "importer",
    "exporter"), supplier, recipient, year, tiv, and the interval lo..hi that SIPRI's rounding
    allows. :mod:`analysis.calibrate` fits the registers' yearly values to these cells.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.errors import ValidationError
from analysis.importers import Imported
from analysis.tidy.registers import release_cols


def tiv_cells(imp: Imported, name: str | None = None) -> pd.DataFrame:
    """A SIPRI TIV table (``sipri_tiv_table`` or ``sipri_tiv_legacy``) as cells: table (its name),
    release, kind ("bilateral": supplier x recipient; "importer": recipient totals over all
    suppliers; "exporter": supplier totals over all recipients), supplier, recipient, year, tiv
    (the printed integer, TIV millions), lo and hi (the interval SIPRI's rounding allows: "0" is
    0-0.5, n is n-0.5..n+0.5). Total rows are left out; empty cells (no deliveries) are not
    listed. ``years`` in ``attrs`` are the years the table covers.

    Steps:

    * total rows left out;
    * the kind: "exporter" (rows "Exports by"), "importer" (a "Total world imports" row), else
      "bilateral", its supplier from the supplier column or the one "Total imports from ..." row;
    * the years covered: those of the cells (a legacy table: the span in its file name, if any);
    * lo and hi: the printed value less and plus 0.5 (lo not below 0);
    * the table's years, kind, name, release and title in ``attrs``.
    """
    if imp.format not in ("sipri_tiv_table", "sipri_tiv_legacy"):
        raise ValidationError(f"tiv_cells: expected a SIPRI TIV table, got {imp.format} ({imp.path.name})")
    label, generated = release_cols(imp)
    f = imp.frame[~imp.frame["is_total"]].copy()
    name = name or imp.path.stem
    title = str(imp.meta.get("title", ""))
    if imp.format == "sipri_tiv_legacy":
        kind = "bilateral"
        sup, rec = f["supplier"], f["entity"]
    else:
        labels = set(f["row_label"])
        totals = set(imp.frame.loc[imp.frame["is_total"], "entity"])
        if labels == {"Exports by"}:
            kind, sup, rec = "exporter", f["entity"], pd.Series(pd.NA, index=f.index, dtype="string")
        elif any(str(t).startswith("Total world import") for t in totals):
            kind, sup, rec = "importer", pd.Series(pd.NA, index=f.index, dtype="string"), f["entity"]
        else:
            m = [re.match(r"Total imports from (.+)$", str(t)) for t in totals]
            named = {x.group(1) for x in m if x}
            kind = "bilateral"
            if f["supplier"].notna().all():
                sup = f["supplier"]
            elif len(named) == 1:
                sup = pd.Series(named.pop(), index=f.index)
            else:
                raise ValidationError(f"tiv_cells: {imp.path.name} does not say which supplier its rows are from")
            rec = f["entity"]
    if imp.format == "sipri_tiv_legacy":
        years = (int(imp.frame["year"].min()), int(imp.frame["year"].max()))
        span = re.search(r"(\d{4})-(\d{4})", imp.path.name)
        if span:
            years = (int(span.group(1)), int(span.group(2)))
    else:
        years = (int(imp.frame["year"].min()), int(imp.frame["year"].max()))
    tiv = f["tiv"].astype(float)
    out = pd.DataFrame(
        {
            "table": name,
            "release": label,
            "generated": generated,
            "kind": kind,
            "supplier": sup.astype("string").values,
            "recipient": rec.astype("string").values,
            "year": f["year"].astype("Int64").values,
            "tiv": tiv.values,
            "lo": (tiv - 0.5).clip(lower=0).values,
            "hi": (tiv + 0.5).values,
        }
    )
    out = out.reset_index(drop=True)
    out.attrs.update({"years": years, "kind": kind, "table": name, "release": label, "title": title})
    return out
