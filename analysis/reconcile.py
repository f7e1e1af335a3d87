"""The tidy transfers against every SIPRI TIV table held of the same release, cell by cell.

``reconcile()`` returns one row per table cell (and per yearly sum the table leaves empty):
register (catalogue id), release, table, kind, method (the allocation compared: "default" is
what :func:`analysis.data.transfers` gives, "even" the even spread), supplier, recipient, year,
table_tiv (SIPRI's printed integer, NaN where the cell is empty), lo, hi (SIPRI's rounding
interval), computed (the sum of the tidy rows), diff (computed - table), matched (within the
rounding, plus 0.02 for the register's own 2-decimal TIVs).

``summary(report)`` is the text ``briefing data reconcile`` prints: the share of volume matched
within rounding per register, table and method, and the worst cells.

TIV is SIPRI's trend-indicator value, millions: a volume index, not money.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import calibrate, data
from analysis.errors import ParameterError

COLUMNS = [
    "register",
    "release",
    "table",
    "kind",
    "method",
    "supplier",
    "recipient",
    "year",
    "table_tiv",
    "lo",
    "hi",
    "computed",
    "diff",
    "matched",
]
#: Every TIV table held, by catalogue id: used where its release equals the register's.
TABLES = (
    "sipri_tiv_china_2026",
    "sipri_tiv_2024",
    "sipri_tiv_importers_2024",
    "sipri_tiv_exporters_2024",
    "sipri_tiv_by_exporter_2022",
)


def compare(t: pd.DataFrame, cells: pd.DataFrame, tol: float = 0.02) -> pd.DataFrame:
    """Cell by cell: the yearly sums of ``t`` in the table's scope against ``cells``."""
    sc, (y0, y1), kind = calibrate.table_scope(cells)
    key = calibrate.entity_key(t, kind)
    yr = t["delivery_year"].astype(int)
    m = yr.between(y0, y1) & (t["supplier"].astype(str).isin(sc) if kind == "bilateral" else key.isin(sc))
    got = t[m].assign(_key=key[m], year=yr[m]).groupby(["_key", "year"])["tiv_delivered"].sum().astype(float)
    tab_idx = pd.MultiIndex.from_arrays(
        [calibrate.entity_key(cells, kind).values, cells["year"].astype(int).values], names=["_key", "year"]
    )
    tv = pd.Series(cells["tiv"].astype(float).values, index=tab_idx)
    idx = got.index.union(tab_idx)
    g = got.reindex(idx, fill_value=0.0)
    present = idx.isin(tab_idx)
    table_tiv = tv.reindex(idx)
    lo = np.where(present, (table_tiv - 0.5).clip(lower=0), 0.0)
    hi = np.where(present, table_tiv + 0.5, 0.0)
    keys = idx.get_level_values("_key").astype(str)
    parts = keys.str.split("\x1f")
    sup = parts.str[0] if kind in ("bilateral", "exporter") else pd.Series([pd.NA] * len(idx))
    rec = parts.str[-1] if kind in ("bilateral", "importer") else pd.Series([pd.NA] * len(idx))
    out = pd.DataFrame(
        {
            "table": cells.attrs.get("table", ""),
            "kind": kind,
            "supplier": list(sup),
            "recipient": list(rec),
            "year": idx.get_level_values("year").astype(int),
            "table_tiv": table_tiv.to_numpy(),
            "lo": lo,
            "hi": hi,
            "computed": g.to_numpy(),
        }
    )
    out["diff"] = out["computed"] - out["table_tiv"].fillna(0.0)
    out["matched"] = (out["computed"] >= out["lo"] - tol) & (out["computed"] <= out["hi"] + tol)
    return out


def reconcile(
    registers: Iterable[str] = data.REGISTERS, methods: Iterable[str] = ("default", "even"), tables: Iterable[str] = TABLES
) -> pd.DataFrame:
    """Every register against every held table of its release (see the module docstring)."""
    methods = list(methods)
    bad = [m for m in methods if m not in ("default", "even")]
    if bad:
        raise ParameterError(f"method must be 'default' or 'even', got {bad[0]!r}")
    cells = {s: data.tiv_cells(s) for s in tables}
    parts = []
    for reg in registers:
        rel = data.release_of(reg)["release"]
        for method in methods:
            t = data.transfers(reg, method=method)
            for _sid, c in cells.items():
                if c.attrs.get("release") != rel:
                    continue
                r = compare(t, c)
                r.insert(0, "register", reg)
                r.insert(1, "release", rel)
                r.insert(4, "method", method)
                parts.append(r)
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def matched_shares(report: pd.DataFrame) -> pd.DataFrame:
    """Per register, table and method: cells, volume (the table's TIV millions), matched_share
    (share of volume within rounding; a cell weighs max(table, computed)), wrong_year_share
    (volume in the wrong year over the table's volume)."""
    r = report.assign(
        _w=np.maximum(report["computed"], report["table_tiv"].fillna(0.0)),
        _d=(report["computed"] - report["table_tiv"].fillna(0.0)).abs(),
    )
    g = r.groupby(["register", "release", "table", "method"], sort=False)
    out = g.apply(
        lambda p: pd.Series(
            {
                "cells": len(p),
                "volume": float(p["table_tiv"].fillna(0).sum()),
                "matched_share": float(p.loc[p["matched"], "_w"].sum() / p["_w"].sum()) if p["_w"].sum() else float("nan"),
                "wrong_year_share": float(p["_d"].sum() / 2 / p["table_tiv"].fillna(0).sum())
                if p["table_tiv"].fillna(0).sum()
                else float("nan"),
            }
        ),
        include_groups=False,
    ).reset_index()
    out["cells"] = out["cells"].astype(int)
    return out


def summary(report: pd.DataFrame, worst: int = 10) -> str:
    """The text ``briefing data reconcile`` prints."""
    if report.empty:
        return "no SIPRI TIV table of a register's release is held: nothing to reconcile"
    lines = [
        "Tidy transfers against SIPRI's TIV tables of the same release (TIV millions; a volume index, not US$)",
        "share of volume matched within SIPRI's rounding, by method:",
    ]
    for _, r in matched_shares(report).iterrows():
        lines.append(
            f"  {r['register']} ({r['release']}) vs {r['table']}, {r['method']}: "
            f"{100 * r['matched_share']:.2f}% matched, {100 * r['wrong_year_share']:.2f}% of volume in the wrong year "
            f"({r['cells']} cells, {r['volume']:,.0f} TIV)"
        )
    d = report[report["method"] == "default"] if (report["method"] == "default").any() else report
    bad = d[~d["matched"]].assign(_a=lambda x: x["diff"].abs()).sort_values("_a", ascending=False).head(worst)
    lines.append(
        f"worst cells ({'default method' if (report['method'] == 'default').any() else 'all'}; {int((~d['matched']).sum())} outside rounding):"
    )
    if bad.empty:
        lines.append("  none")
    for _, r in bad.iterrows():
        who = " -> ".join(str(x) for x in (r["supplier"], r["recipient"]) if pd.notna(x) and x != "")
        tab = "empty" if pd.isna(r["table_tiv"]) else f"{r['table_tiv']:.0f}"
        lines.append(
            f"  {r['register']} {who} {int(r['year'])}: table {tab}, computed {r['computed']:.2f} (diff {r['diff']:+.2f})"
        )
    return "\n".join(lines)
