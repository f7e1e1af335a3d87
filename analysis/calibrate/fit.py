"""The calibration method: each deal's delivered TIV re-allocated over its own delivery years so
that the yearly sums match a SIPRI TIV table's cells, and the project's plan of which tables.

A table's cells are matched within SIPRI's rounding (a cell "n" is n-0.5 to n+0.5; "0" is 0 to
0.5; an empty cell is no delivery), while every deal keeps its own total.

How: iterative proportional fitting (IPF) from the even spread, alternating between the table's
cells (scaled into their rounding interval) and the deals' totals. Among the allocations that
match, IPF finds the one closest to the even spread (least Kullback-Leibler divergence).

What is not forced: a deal's years outside the table (before its first year, after its last, or
an entity the table does not cover) are left free; a group of deals and cells that no allocation
can match (a cell's deals cannot reach it, totals that contradict, a year the table leaves empty
holding a deal's only delivery) keeps the even spread, and the group is reported in
``Fit.report`` with the reason.

Where no table of the same release is held, the yearly *shape* of the nearest release's table
can seed the allocation (``method="shape"``); :func:`analysis.calibrate.measure.method_errors`
measures whether that beats the even spread, on tables held out for the purpose.
:data:`PLAN` names the tables for each register and :func:`apply` follows it.

All values are SIPRI trend-indicator values (TIV), millions: a volume index, not money.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import ParameterError

#: The ``method`` label of rows matched to a table; ``{table}`` and ``{release}`` filled in.
METHOD_CALIBRATED = "calibrated to SIPRI TIV table {table} ({release} release)"
METHOD_SHAPED = "shaped by SIPRI TIV table {table} ({release} release; not the same release)"
KEYS = {"bilateral": ("supplier", "recipient"), "importer": ("recipient",), "exporter": ("supplier",)}
REPORT_COLUMNS = [
    "table",
    "kind",
    "supplier",
    "recipient",
    "years",
    "deals",
    "deal_tiv",
    "table_tiv",
    "table_lo",
    "table_hi",
    "reason",
]


@dataclass
class Fit:
    """The result of :func:`allocate`: ``transfers`` (the input rows with ``tiv_delivered``,
    ``n_delivered`` and ``method`` re-allocated where matched), ``report`` (one row per group of
    deals and cells left unmatched, or per deal partly outside the table; see REPORT_COLUMNS),
    ``cells`` (each table cell with the fitted sum and whether it matched)."""

    transfers: pd.DataFrame
    report: pd.DataFrame
    cells: pd.DataFrame
    iterations: int = 0
    tables: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers
def entity_key(frame: pd.DataFrame, kind: str) -> pd.Series:
    cols = KEYS[kind]
    if len(cols) == 1:
        return frame[cols[0]].astype("string").fillna("")
    return frame[cols[0]].astype("string").fillna("") + "\x1f" + frame[cols[1]].astype("string").fillna("")


def table_scope(cells: pd.DataFrame) -> tuple[set[str], tuple[int, int], str]:
    """Which rows a table speaks for: (suppliers for a bilateral table, else entities; years; kind)."""
    kind = str(cells["kind"].iloc[0]) if len(cells) else cells.attrs.get("kind", "bilateral")
    years = cells.attrs.get("years") or (int(cells["year"].min()), int(cells["year"].max()))
    if kind == "bilateral":
        return set(cells["supplier"].dropna().astype(str)), (int(years[0]), int(years[1])), kind
    return set(entity_key(cells, kind)), (int(years[0]), int(years[1])), kind


class _Union:
    def __init__(self, n: int) -> None:
        self.p = np.arange(n)

    def find(self, a: int) -> int:
        p = self.p
        root = a
        while p[root] != root:
            root = p[root]
        while p[a] != root:
            p[a], a = root, p[a]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.p[rb] = ra


def _table_name(cells: pd.DataFrame) -> str:
    return str(cells.attrs.get("table") or (cells["table"].iloc[0] if len(cells) else "table"))


def _release(cells: pd.DataFrame) -> str:
    return str(cells.attrs.get("release") or (cells["release"].iloc[0] if len(cells) and "release" in cells else "unknown"))


# --------------------------------------------------------------------------- the fit
def allocate(
    t: pd.DataFrame,
    tables: Sequence[pd.DataFrame],
    *,
    method: str = "calibrate",
    iterations: int = 6000,
    tol: float = 0.02,
    margin: float = 0.05,
    allow_release: str | None = None,
) -> Fit:
    """Re-allocate each deal's delivered TIV over its delivery years to match ``tables``.

    ``t``: transfers rows (deal_id, supplier, recipient, delivery_year, tiv_delivered; optional
    n_delivered, method, release) of ONE release; the current values are the seed (normally the
    even spread). ``tables``: cell frames from :func:`analysis.tidy.tiv_cells`. With
    ``method="calibrate"`` every table must be of the same release as ``t`` (else
    ParameterError), groups that cannot be matched within rounding keep the seed and are
    reported. With ``method="shape"`` the tables' yearly shape, scaled to the deals' own
    totals, is followed as closely as the deals' years allow (no table need be of the same
    release; nothing is reverted). Every deal keeps its total and its years.

    ``iterations`` is part of the method, not only a bound: the check that stops the fit early
    (every cell within 1e-6 of its interval, tested every 10 iterations) counts the other tables'
    cells as empty, so with two or more tables, or shape targets, it never passes; and those fits
    still move at 6000 iterations (measured on the project's registers in December 2026), so a
    smaller count would change the published figures."""
    if method not in ("calibrate", "shape"):
        raise ParameterError(f"method must be 'calibrate' or 'shape', got {method!r}")
    tables = [c for c in tables if c is not None]
    rel_t = t["release"].dropna().unique().tolist() if "release" in t else []
    if len(rel_t) > 1:
        raise ParameterError(f"the transfers mix SIPRI releases ({', '.join(map(str, rel_t))}); calibrate one release at a time")
    if method == "calibrate":
        for c in tables:
            if rel_t and _release(c) != rel_t[0] and _release(c) != allow_release:
                raise ParameterError(
                    f"table {_table_name(c)} is of the {_release(c)} release, the transfers of the {rel_t[0]} release; "
                    "calibrate only to a table of the same release (or use method='shape')"
                )
    out = t.reset_index(drop=True).copy()
    n = len(out)
    seed = out["tiv_delivered"].astype(float).fillna(0.0).to_numpy()
    deal_codes, deal_ids = pd.factorize(out["deal_id"])
    totals = np.bincount(deal_codes, weights=seed, minlength=len(deal_ids))
    years = out["delivery_year"].astype(int).to_numpy()

    # map rows to cells, table by table
    row_cell: list[np.ndarray] = []
    spans: list[tuple[int, int]] = []  # each table's range of cell ids
    cell_frames: list[pd.DataFrame] = []
    offset = 0
    for c in tables:
        sc, (y0, y1), kind = table_scope(c)
        name = _table_name(c)
        key_rows = entity_key(out, kind)
        if kind == "bilateral":
            in_scope = out["supplier"].astype(str).isin(sc).to_numpy().copy()
        else:
            in_scope = key_rows.isin(sc).to_numpy().copy()
        in_scope &= (years >= y0) & (years <= y1)
        cells = c.copy()
        cells["_key"] = entity_key(cells, kind).values
        # empty cells of covered entities and years are "no delivery": add them where rows fall
        rk = pd.DataFrame({"_key": key_rows[in_scope].values, "year": years[in_scope]}).drop_duplicates()
        have = cells[["_key", "year"]].astype({"year": int})
        extra = rk.merge(have, on=["_key", "year"], how="left", indicator=True)
        extra = extra[extra["_merge"] == "left_only"].drop(columns="_merge")
        if len(extra):
            if kind == "bilateral":
                parts = extra["_key"].str.split("\x1f", expand=True)
                supplier, recipient = parts[0], parts[1]
            else:
                supplier = extra["_key"] if kind == "exporter" else pd.NA
                recipient = extra["_key"] if kind == "importer" else pd.NA
            add = pd.DataFrame(
                {
                    "table": name,
                    "release": _release(c),
                    "kind": kind,
                    "supplier": supplier,
                    "recipient": recipient,
                    "year": extra["year"].astype(int),
                    "tiv": np.nan,
                    "lo": 0.0,
                    "hi": 0.0,
                    "_key": extra["_key"],
                }
            )
            cells = pd.concat([cells, add], ignore_index=True)
        cells = cells.reset_index(drop=True)
        cells["year"] = cells["year"].astype(int)
        cells["_id"] = np.arange(len(cells)) + offset
        idx = pd.MultiIndex.from_arrays([cells["_key"], cells["year"]])
        pos = idx.get_indexer(pd.MultiIndex.from_arrays([key_rows, years]))
        rc = np.where(in_scope & (pos >= 0), pos + offset, -1)
        row_cell.append(rc)
        cells["_table"] = len(cell_frames)
        cell_frames.append(cells)
        spans.append((offset, offset + len(cells)))
        offset += len(cells)
    allcells = (
        pd.concat(cell_frames, ignore_index=True)
        if cell_frames
        else pd.DataFrame(columns=["table", "kind", "supplier", "recipient", "year", "tiv", "lo", "hi", "_id"])
    )
    ncell = len(allcells)
    lo = allcells["lo"].astype(float).to_numpy() if ncell else np.zeros(0)
    hi = allcells["hi"].astype(float).to_numpy() if ncell else np.zeros(0)

    if method == "shape":
        lo, hi = _shape_targets(allcells, row_cell, seed, ncell)

    # fit targets a little inside the rounding interval, so that the fit lands inside it
    with np.errstate(invalid="ignore"):
        mid = np.where(np.isfinite(lo + hi), (lo + hi) / 2, lo)
        flo = np.where(hi > lo, np.minimum(lo + margin, mid), lo)
        fhi = np.where(hi > lo, np.maximum(hi - margin, mid), hi)
    constrained = np.zeros(n, dtype=bool)  # rows some table constrains
    for rc in row_cell:
        constrained |= rc >= 0
    deal_touched = np.bincount(deal_codes, weights=constrained.astype(float), minlength=len(deal_ids)) > 0
    steps, deal_step = _ipf_plan(row_cell, spans, deal_codes, totals, deal_touched[deal_codes], lo, hi, flo, fhi)
    x = seed.copy()
    done = 0
    for it in range(iterations):
        _ipf_step(x, steps, deal_step)
        done = it + 1
        if it % 10 == 9 and _ipf_worst(x, steps) <= 1e-6:
            break

    # check, group by group
    s_all = np.zeros(ncell)
    for rc in row_cell:
        m = rc >= 0
        s_all += np.bincount(rc[m], weights=x[m], minlength=ncell)
    true_lo = allcells["lo"].astype(float).to_numpy() if ncell else np.zeros(0)
    true_hi = allcells["hi"].astype(float).to_numpy() if ncell else np.zeros(0)
    ok_cell = (s_all >= true_lo - tol) & (s_all <= true_hi + tol)
    deal_kept = np.abs(np.bincount(deal_codes, weights=x, minlength=len(deal_ids)) - totals) <= 1e-6 * np.maximum(1, totals)

    # connected groups of deals and cells
    uf = _Union(len(deal_ids) + ncell)
    for rc in row_cell[:1]:  # groups follow the first table; the others' cells are checked and reported
        for d, c in set(zip(deal_codes[rc >= 0].tolist(), rc[rc >= 0].tolist())):
            uf.union(d, len(deal_ids) + c)
    comp_deal = np.array([uf.find(d) for d in range(len(deal_ids))])
    comp_cell = np.array([uf.find(len(deal_ids) + c) for c in range(ncell)])
    first = allcells["_table"].to_numpy() == 0 if ncell else np.zeros(0, dtype=bool)
    bad_comps = set(comp_cell[~ok_cell & first].tolist()) | set(comp_deal[~deal_kept].tolist())
    if method == "shape":
        bad_comps = set(comp_deal[~deal_kept].tolist())
    row_comp = comp_deal[deal_codes]
    fitted_rows = deal_touched[deal_codes] & ~np.isin(row_comp, list(bad_comps))
    final = np.where(fitted_rows & np.isfinite(x), x, seed)

    # labels: the first table that constrains the row names the method
    label = np.array([""] * n, dtype=object)
    for k, rc in enumerate(row_cell):
        c = tables[k]
        text = (METHOD_CALIBRATED if method == "calibrate" else METHOD_SHAPED).format(table=_table_name(c), release=_release(c))
        touched = np.bincount(deal_codes, weights=(rc >= 0).astype(float), minlength=len(deal_ids)) > 0
        take = fitted_rows & touched[deal_codes] & (label == "")
        label[take] = text
    if len(tables) > 1:
        names = " and ".join(_table_name(c) for c in tables)
        rel = _release(tables[0])
        both = fitted_rows & (label != "")
        joint = (METHOD_CALIBRATED if method == "calibrate" else METHOD_SHAPED).format(table=names, release=rel)
        label[both] = joint
    out["tiv_delivered"] = pd.array(final, dtype="Float64")
    if "n_delivered" in out:
        nd = out["n_delivered"].astype(float).to_numpy()
        n_tot = np.bincount(deal_codes, weights=np.nan_to_num(nd), minlength=len(deal_ids))
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(totals[deal_codes] > 0, final / totals[deal_codes], np.nan)
        new_n = np.where(fitted_rows & np.isfinite(share), n_tot[deal_codes] * share, nd)
        out["n_delivered"] = pd.array(np.where(np.isnan(nd), np.nan, new_n), dtype="Float64")
    if "method" in out:
        out["method"] = pd.Series(np.where(label != "", label, out["method"].astype(object)), dtype="string")
    else:
        out["method"] = pd.Series(np.where(label != "", label, "seed"), dtype="string")

    allcells = allcells.assign(fitted=s_all, matched=ok_cell, group=comp_cell)
    report = _report(out, allcells, seed, deal_codes, deal_ids, totals, row_cell, comp_deal, bad_comps, tables, years, deal_kept)
    cells_out = allcells.drop(columns=[c for c in ("_key", "_id", "_table") if c in allcells])
    cells_out["reverted"] = np.isin(comp_cell, list(bad_comps)) if ncell else []
    return Fit(out, report, cells_out, done, [_table_name(c) for c in tables])


# --------------------------------------------------------------------------- one IPF iteration
def _ipf_plan(row_cell, spans, deal_codes, totals, touched, lo, hi, flo, fhi):
    """What one iteration of :func:`allocate`'s fit works on, found once: ``(steps, deal_step)``.

    One step per table (even one that constrains no row: the convergence check counts its
    cells), on that table's own cells only (``spans``: each table's range of cell ids; the
    other tables' cells get no volume from it, so their factor is 1 and their shortfall a
    constant, ``rest``). Where most rows are constrained the step takes every row, the free ones
    sent to one extra cell whose target (-inf to inf) leaves them as they are; else only the
    constrained rows (taken out and put back). The deals' step takes every row, or only the rows
    of deals a table constrains (``touched``, per row) when they are few (any other deal's factor is its total over the
    same sum: 1). Multiplying by exactly 1 changes nothing, and every sum adds the same values in
    the same order, so the fit is the same to the last bit as with a mask over every row and
    cell per iteration (``tests/test_calibrate.py`` checks it against that loop)."""
    n = len(deal_codes)
    steps = []
    shortfall = np.maximum(lo, -hi)  # a cell's miss when it holds nothing
    for rc, (a, b) in zip(row_cell, spans):
        rows = np.flatnonzero(rc >= 0)
        width = b - a
        own = slice(a, b)
        outside = np.concatenate([shortfall[:a], shortfall[b:]])
        rest = float(np.max(outside, initial=0.0))
        targets = (np.append(flo[own], -np.inf), np.append(fhi[own], np.inf), lo[own], hi[own], rest)
        if 2 * len(rows) >= n and len(rows):
            steps.append((None, np.where(rc >= 0, rc - a, width), *targets))
        else:
            steps.append((rows, rc[rows] - a, *targets))
    rows = None if 2 * int(touched.sum()) >= n else np.flatnonzero(touched)
    return steps, (rows, deal_codes if rows is None else deal_codes[rows], totals)


def _ipf_step(x, steps, deal_step) -> None:
    """One iteration, in place: scale each table's cells into their targets, then every deal
    back to its total (a deal whose rows all reached 0 stays at 0)."""
    for rows, cells_of, flo, fhi, _lo, _hi, _rest in steps:
        if not len(cells_of):
            continue  # a table that constrains no row
        xr = x if rows is None else x[rows]
        s = np.bincount(cells_of, weights=xr, minlength=len(flo))
        f = np.ones(len(flo))
        below, above = s < flo, s > fhi
        pos = s > 1e-9
        safe = np.where(pos, s, 1.0)
        f = np.where(below & pos, flo / safe, f)
        f = np.where(above & pos, fhi / safe, f)
        f = np.where(np.isfinite(f), f, 1.0)
        if rows is None:
            x *= f[cells_of]
        else:
            x[rows] = xr * f[cells_of]
    rows, codes, totals = deal_step
    xa = x if rows is None else x[rows]
    sd = np.bincount(codes, weights=xa, minlength=len(totals))
    g = np.where(sd > 1e-12, totals / np.where(sd > 1e-12, sd, 1.0), 0.0)
    xa *= g[codes]
    lost = (sd <= 0) & (totals > 0)
    if lost.any():
        xa[lost[codes]] = 0.0
    if rows is not None:
        x[rows] = xa


def _ipf_worst(x, steps) -> float:
    """The largest miss of any cell, TIV millions, table by table (each table's sums over all
    cells, as the first version counted them: the other tables' cells as empty)."""
    worst = 0.0
    for rows, cells_of, flo, _fhi, lo, hi, rest in steps:
        s = np.bincount(cells_of, weights=x if rows is None else x[rows], minlength=len(flo))[: len(lo)]
        worst = max(worst, float(np.max(np.append(np.maximum(lo - s, s - hi), rest), initial=0.0)))  # NaN as before
    return worst


def _shape_targets(cells: pd.DataFrame, row_cell: list[np.ndarray], seed: np.ndarray, ncell: int):
    """Targets for method='shape': each entity's cells scaled so that, over the years its rows
    fall in, they sum to the rows' own total; cells with no value (or 0) leave rows free."""
    lo = np.full(ncell, -np.inf)
    hi = np.full(ncell, np.inf)
    if not ncell:
        return lo, hi
    tiv = cells["tiv"].astype(float).fillna(0.0).to_numpy()
    s_seed = np.zeros(ncell)
    for rc in row_cell:
        m = rc >= 0
        s_seed += np.bincount(rc[m], weights=seed[m], minlength=ncell)
    ent = pd.factorize(cells["_table"].astype(str) + "|" + cells["_key"].astype(str))[0]
    used = s_seed > 0
    pos = used & (tiv > 0)
    num = np.bincount(ent, weights=np.where(used, s_seed, 0.0))
    # only volume in years the other table fills is re-shaped; the rest stays free
    num_pos = np.bincount(ent, weights=np.where(pos, s_seed, 0.0))
    den = np.bincount(ent, weights=np.where(pos, tiv, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(den > 0, num_pos / den, np.nan)
    target = tiv * f[ent]
    ok = pos & np.isfinite(target)
    lo[ok] = target[ok]
    hi[ok] = target[ok]
    _ = num
    return lo, hi


def _report(
    out, cells, seed, deal_codes, deal_ids, totals, row_cell, comp_deal, bad_comps, tables, years, deal_kept=None
) -> pd.DataFrame:
    rows = []
    comp_cell = cells["group"].to_numpy() if len(cells) else np.zeros(0, dtype=int)
    for g in sorted(bad_comps):
        cm = comp_cell == g
        dm = comp_deal[deal_codes] == g
        part = cells[cm]
        bad = part[~part["matched"]]
        deal_tiv = float(seed[dm].sum())
        in_table = np.zeros(len(out), dtype=bool)
        for rc in row_cell:
            in_table |= (rc >= 0) & dm
        free_tiv = float(seed[dm & ~in_table].sum())
        tlo, thi, ttiv = float(part["lo"].sum()), float(part["hi"].sum()), float(part["tiv"].fillna(0).sum())
        if free_tiv == 0 and not (tlo - 1e-9 <= deal_tiv <= thi + 1e-9):
            reason = f"totals contradict: the deals deliver {deal_tiv:.2f}, the table's cells add up to {ttiv:.0f} ({tlo:.1f}-{thi:.1f})"
        else:
            lost = [d for d in sorted(set(deal_codes[dm].tolist())) if deal_kept is not None and not deal_kept[d]]
            empty = bad[bad["tiv"].isna()]
            unreach = bad[(bad["fitted"] < bad["lo"]) & (bad["fitted"] <= 1e-9)]
            if lost:
                d = lost[0]
                ys = sorted(set(years[deal_codes == d].tolist()))
                reason = (
                    f"deal {deal_ids[d]} delivers only in year(s) {', '.join(map(str, ys))}, which the table leaves "
                    "empty (no delivery) or too small for it"
                )
            elif len(empty):
                r = empty.iloc[0]
                reason = f"the table has no delivery in {int(r['year'])} where a deal lists only that year (or cannot move it)"
            elif len(unreach):
                r = unreach.iloc[0]
                reason = f"no deal delivers in {int(r['year'])}, where the table has {r['tiv']:.0f}"
            else:
                reason = "no allocation of the deals over their years matches every cell within rounding"
            reason += f"; {len(bad)} of {len(part)} cells outside rounding"
        first = part.iloc[0] if len(part) else None
        rows.append(
            {
                "table": first["table"] if first is not None else "",
                "kind": first["kind"] if first is not None else "",
                "supplier": ", ".join(sorted(set(out.loc[dm, "supplier"].astype(str))))[:200],
                "recipient": ", ".join(sorted(set(out.loc[dm, "recipient"].astype(str))))[:200],
                "years": f"{int(years[dm].min())}-{int(years[dm].max())}" if dm.any() else "",
                "deals": len(set(deal_codes[dm].tolist())),
                "deal_tiv": deal_tiv,
                "table_tiv": ttiv,
                "table_lo": tlo,
                "table_hi": thi,
                "reason": reason,
            }
        )
    # deals partly outside every table: fitted in the table's years, free elsewhere (informational)
    constrained = np.zeros(len(out), dtype=bool)
    for rc in row_cell:
        constrained |= rc >= 0
    touched = np.bincount(deal_codes, weights=constrained.astype(float), minlength=len(deal_ids)) > 0
    partial = touched[deal_codes] & ~constrained
    if partial.any() and tables:
        p = out[partial].assign(_y=years[partial])
        for did, grp in p.groupby("deal_id", sort=False):
            r = grp.iloc[0]
            rows.append(
                {
                    "table": _table_name(tables[0]) if len(tables) == 1 else " and ".join(_table_name(c) for c in tables),
                    "kind": "",
                    "supplier": r["supplier"],
                    "recipient": r["recipient"],
                    "years": "; ".join(str(int(y)) for y in sorted(grp["_y"])),
                    "deals": 1,
                    "deal_tiv": float(totals[deal_ids.get_loc(did)]),
                    "table_tiv": np.nan,
                    "table_lo": np.nan,
                    "table_hi": np.nan,
                    "reason": f"deal {did} ({r.get('designation', '')}) delivers in year(s) the table lacks: "
                    "fitted in the table's years, left free in these",
                }
            )
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


# --------------------------------------------------------------------------- the project's plan
#: For each register: tables of the nearest release whose yearly shape seeds the allocation
#: (measured to beat the even spread on held-out tables, see :func:`analysis.calibrate.measure.method_errors`), then the
#: tables of the SAME release it is calibrated to. Catalogue ids (data/sources.toml).
PLAN = {
    "sipri_register": {"shape": ["sipri_tiv_importers_2024", "sipri_tiv_exporters_2024"], "calibrate": ["sipri_tiv_2024"]},
    "sipri_register_2024": {"shape": [], "calibrate": ["sipri_tiv_importers_2024", "sipri_tiv_exporters_2024"]},
    "sipri_register_china_2026": {"shape": [], "calibrate": ["sipri_tiv_china_2026"]},
}


def apply(t: pd.DataFrame, shape: Sequence[pd.DataFrame] = (), calibrate: Sequence[pd.DataFrame] = ()) -> Fit:
    """Shape ``t`` by the ``shape`` tables (nearest release), then calibrate it to the
    ``calibrate`` tables (same release). ``method`` names both steps where both apply."""
    cur = t
    reports: list[pd.DataFrame] = []
    if shape:
        fs = allocate(cur, list(shape), method="shape")
        cur = fs.transfers
        reports.append(fs.report)
    fit = allocate(cur, list(calibrate)) if calibrate else Fit(cur, pd.DataFrame(columns=REPORT_COLUMNS), pd.DataFrame())
    if shape and calibrate:
        before = cur["method"].astype(str).to_numpy()
        after = fit.transfers["method"].astype(str).to_numpy()
        both = (before != after) & pd.Series(before).str.startswith("shaped").to_numpy()
        fit.transfers.loc[both, "method"] = [f"{a}, then {b}" for a, b in zip(before[both], after[both])]
    fit.report = pd.concat([*reports, fit.report], ignore_index=True) if reports else fit.report
    return fit
