"""The comparison with SIPRI's TIV tables: how well yearly values match a table's cells
(:func:`errors`), and the measured error of each allocation method (:func:`method_errors`): in
sample, on the tables each register is calibrated to, and held out, on tables the method
never saw (the nearest release's shape tested against a later release's table).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.calibrate.fit import PLAN, allocate, entity_key, table_scope


# --------------------------------------------------------------------------- measures
def errors(
    t: pd.DataFrame, cells: pd.DataFrame, *, window_end: int | None = None, width: int = 5, tol: float = 0.02
) -> dict[str, float]:
    """How well the yearly sums of ``t`` match a table's cells: ``matched_share`` (share of
    volume in cells within SIPRI's rounding; each cell weighs max(table, computed)),
    ``wrong_year_share`` (half the absolute difference, summed over cells, over the table's
    volume: volume placed in the wrong year), ``wrong_window_share`` (the same over 5-year
    windows ending at ``window_end``, default the table's last year), ``cells``, ``volume``.
    Only the table's scope counts (its suppliers or entities, its years)."""
    sc, (y0, y1), kind = table_scope(cells)
    key = entity_key(t, kind)
    yr = t["delivery_year"].astype(int)
    m = yr.between(y0, y1) & (t["supplier"].astype(str).isin(sc) if kind == "bilateral" else key.isin(sc))
    got = t[m].assign(_key=key[m], year=yr[m]).groupby(["_key", "year"])["tiv_delivered"].sum().astype(float)
    tab_idx = pd.MultiIndex.from_arrays(
        [entity_key(cells, kind).values, cells["year"].astype(int).values], names=["_key", "year"]
    )
    tv = pd.Series(cells["tiv"].astype(float).values, index=tab_idx)
    idx = got.index.union(tab_idx)
    g = got.reindex(idx, fill_value=0.0)
    tv = tv.reindex(idx).fillna(0.0)
    present = idx.isin(tab_idx)  # a cell the table leaves empty is "no delivery": 0 exactly
    tl = np.where(present, (tv - 0.5).clip(lower=0), 0.0)
    th = np.where(present, tv + 0.5, 0.0)
    ok = (g.to_numpy() >= tl - tol) & (g.to_numpy() <= th + tol)
    w = np.maximum(g.to_numpy(), tv.to_numpy())
    vol = float(tv.sum())
    end = window_end or y1
    win = (end - idx.get_level_values("year").to_numpy()) // width
    diff_y = float((g - tv).abs().sum()) / 2
    ent = idx.get_level_values("_key")
    gw = g.groupby([ent, win]).sum()
    tw = tv.groupby([ent, win]).sum()
    diff_w = float((gw - tw).abs().sum()) / 2
    return {
        "matched_share": float(w[ok].sum() / w.sum()) if w.sum() > 0 else float("nan"),
        "wrong_year_share": diff_y / vol if vol else float("nan"),
        "wrong_window_share": diff_w / vol if vol else float("nan"),
        "cells": len(idx),
        "volume": vol,
    }


# --------------------------------------------------------------------------- measured errors
ERROR_COLUMNS = [
    "register",
    "release",
    "table",
    "test",
    "method",
    "matched_share",
    "wrong_year_share",
    "wrong_window_share",
    "cells",
    "volume",
]


def _within(cells: pd.DataFrame, y0: int, y1: int) -> pd.DataFrame:
    out = cells[cells["year"].between(y0, y1)].copy()
    out.attrs.update(cells.attrs)
    out.attrs["years"] = (y0, y1)
    return out


def _totals_of(cells: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Bilateral cells summed to importer or exporter totals (the older release's shape at the
    level of the newer release's totals)."""
    by = "recipient" if kind == "importer" else "supplier"
    out = cells.groupby([by, "year"], as_index=False)["tiv"].sum()
    out["kind"] = kind
    out["supplier" if kind == "importer" else "recipient"] = pd.NA
    out["table"] = f"{cells.attrs.get('table', '')} summed to {kind} totals"
    out["release"] = cells.attrs.get("release")
    out.attrs.update(cells.attrs)
    out.attrs.update(kind=kind, table=out["table"].iloc[0])
    return out


def _measure_rows() -> list[dict]:
    from analysis import data

    rows: list[dict] = []

    def add(register: str, table: pd.DataFrame, test: str, method: str, t: pd.DataFrame) -> None:
        e = errors(t, table)
        rows.append(
            {
                "register": register,
                "release": str(t["release"].iloc[0]),
                "table": table.attrs.get("table"),
                "test": test,
                "method": method,
                **{k: e[k] for k in ("matched_share", "wrong_year_share", "wrong_window_share", "cells", "volume")},
            }
        )

    even = {s: data.transfers(s, method="even") for s in data.REGISTERS}
    default = {s: data.transfers(s) for s in data.REGISTERS}
    # 1. in sample: the tables each register is calibrated to
    for reg, plan in PLAN.items():
        for sid in plan["calibrate"]:
            c = data.tiv_cells(sid)
            add(reg, c, "same release (the table calibrated to)", "even spread", even[reg])
            add(
                reg,
                c,
                "same release (the table calibrated to)",
                "default (" + ("shape, then calibrate" if plan["shape"] else "calibrate") + ")",
                default[reg],
            )
    # 2. held out: the nearest release's shape against a table it never saw
    legacy = data.tiv_cells("sipri_tiv_by_exporter_2022")
    china = _within(data.tiv_cells("sipri_tiv_china_2026"), 2000, 2021)
    test = "held out: March 2026 China table, 2000-21; shape from the March 2022 tables"
    add("sipri_register_china_2026", china, test, "even spread", even["sipri_register_china_2026"])
    add(
        "sipri_register_china_2026",
        china,
        test,
        "shape from the March 2022 bilateral tables",
        allocate(even["sipri_register_china_2026"], [legacy], method="shape").transfers,
    )
    imp = _within(data.tiv_cells("sipri_tiv_importers_2024"), 1950, 2021)
    exp = _within(data.tiv_cells("sipri_tiv_exporters_2024"), 1950, 2021)
    r24 = even["sipri_register_2024"]
    shaped_bil = allocate(r24, [legacy], method="shape").transfers
    shaped_tot = allocate(r24, [_totals_of(legacy, "importer"), _totals_of(legacy, "exporter")], method="shape").transfers
    for c in (imp, exp):
        test = f"held out: March 2024 {c.attrs['kind']} totals, 1950-2021; shape from the March 2022 tables"
        add("sipri_register_2024", c, test, "even spread", r24)
        add("sipri_register_2024", c, test, "shape from the March 2022 bilateral tables", shaped_bil)
        add("sipri_register_2024", c, test, "shape from the March 2022 tables summed to importer and exporter totals", shaped_tot)
    china23 = _within(data.tiv_cells("sipri_tiv_china_2026"), 2000, 2023)
    test = "held out: March 2026 China table, 2000-23; shape from the March 2024 totals (a one-supplier register)"
    add("sipri_register_china_2026", china23, test, "even spread", even["sipri_register_china_2026"])
    add(
        "sipri_register_china_2026",
        china23,
        test,
        "shape from the March 2024 importer and exporter totals",
        allocate(
            even["sipri_register_china_2026"],
            [data.tiv_cells("sipri_tiv_importers_2024"), data.tiv_cells("sipri_tiv_exporters_2024")],
            method="shape",
        ).transfers,
    )
    return rows


def method_errors() -> pd.DataFrame:
    """The measured error of each allocation method, for the briefing to cite: register,
    release, table, test (in sample, or held out: a table the method never saw), method,
    matched_share (share of volume within SIPRI's rounding), wrong_year_share (share of the
    table's volume placed in the wrong year), wrong_window_share (the same for 5-year windows),
    cells, volume (TIV millions). Cached with the tidy tables."""
    from analysis import data

    ids = sorted(
        {
            *data.REGISTERS,
            *(s for p in PLAN.values() for s in (*p["shape"], *p["calibrate"])),
            "sipri_tiv_china_2026",
            "sipri_tiv_by_exporter_2022",
        }
    )
    return data.cached("method_errors", ids, lambda: pd.DataFrame(_measure_rows(), columns=ERROR_COLUMNS))
