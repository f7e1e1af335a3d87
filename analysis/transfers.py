"""Supplier shares, windows, annual series and rankings from the tidy transfers table.

Conventions, for every function here:

- Input ``t`` is :func:`analysis.data.transfers` (one row per deal and delivery year) of ONE
  SIPRI release. Values are SIPRI trend-indicator values (TIV), **millions of TIV**: a volume
  index, not money.
- ``recipients`` / ``suppliers`` take anything :func:`analysis.regions.resolve_selection`
  resolves: a region ("Africa" is SIPRI's Africa: North Africa plus sub-Saharan Africa, without
  Egypt), a group ("Sahel", "AES", "ECOWAS"), a country, or a list of them. ``None`` means all.
- ``years`` is an inclusive (first, last) pair of delivery years inside the release's coverage.
- Shares are percentages of the selection's total TIV (they sum to 100).
- Windows follow SIPRI's fact sheets: non-overlapping blocks of ``width`` years ending at
  ``end`` (2020-24, 2015-19, ...).
- Results carry ``attrs``: ``release``, ``unit``, ``recipients``, ``years``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import fmt, regions
from analysis.errors import ParameterError

UNIT = "TIV millions (SIPRI trend-indicator value; a volume index, not US$)"
Selection = str | Iterable[str] | None


# --------------------------------------------------------------------------- helpers
def _label(spec: Selection) -> str:
    if spec is None:
        return "all"
    if isinstance(spec, str):
        return spec
    return ", ".join(spec)


def release_label(t: pd.DataFrame) -> str:
    """The one SIPRI release of ``t`` (e.g. 'March 2025'); ParameterError if it mixes releases."""
    rel = t["release"].dropna().unique() if "release" in t else []
    if len(rel) > 1:
        raise ParameterError(f"the table mixes SIPRI releases ({', '.join(map(str, rel))}); analyse one release at a time")
    return str(rel[0]) if len(rel) else "unknown"


def coverage(t: pd.DataFrame) -> tuple[int, int]:
    """First and last delivery year in the table."""
    if t.empty:
        raise ParameterError("the transfers table is empty; check the source with `briefing data status`")
    return int(t["delivery_year"].min()), int(t["delivery_year"].max())


def check_years(t: pd.DataFrame, years: tuple[int, int] | None) -> tuple[int, int]:
    """Validate an inclusive year range against the table's coverage; None means all of it."""
    lo, hi = coverage(t)
    if years is None:
        return lo, hi
    try:
        a, b = (int(years[0]), int(years[1]))
    except (TypeError, ValueError, IndexError):
        raise ParameterError(f"years must be a pair of years like (2020, 2024), got {years!r}") from None
    if a > b:
        raise ParameterError(f"years {a}-{b}: the first year is after the last")
    if a < lo or b > hi:
        raise ParameterError(
            f"years {a}-{b} lie outside the {release_label(t)} release's delivery years {lo}-{hi}; choose years inside them"
        )
    return a, b


def select(
    t: pd.DataFrame, *, suppliers: Selection = None, recipients: Selection = None, years: tuple[int, int] | None = None
) -> pd.DataFrame:
    """Rows of ``t`` for the suppliers, recipients and delivery years asked for.

    An empty *selection of names* (a region with no members) is an error; a selection of names
    that simply has no deliveries returns an empty frame."""
    a, b = check_years(t, years)
    mask = t["delivery_year"].between(a, b)
    for col, spec in (("supplier", suppliers), ("recipient", recipients)):
        if spec is None:
            continue
        names = regions.resolve_selection(spec)
        if not names:
            raise ParameterError(f"{col} selection {_label(spec)!r} has no members")
        mask &= t[col].isin(names)
    return t[mask]


def _stamp(df: pd.DataFrame, t: pd.DataFrame, recipients: Selection, years: tuple[int, int], **extra) -> pd.DataFrame:
    df.attrs.update(
        {
            "release": release_label(t),
            "unit": UNIT,
            "recipients": _label(recipients),
            "years": tuple(int(y) for y in years),
            **extra,
        }
    )
    return df


def unattributed(names: pd.Series | Iterable[str]) -> pd.Series:
    """True for SIPRI's unattributed parties ("unknown supplier(s)", "unknown recipient(s)",
    "unknown rebel group*"): shown with their share, never ranked."""
    s = pd.Series(list(names) if not isinstance(names, pd.Series) else names, dtype="object")
    return s.astype(str).str.strip().str.lower().str.startswith("unknown")


def _shares(tiv: pd.Series, name: str) -> pd.DataFrame:
    """Shares of the total (unknown parties included: they are part of the volume) and ranks
    among identified parties only (``rank`` NA for an unknown supplier or recipient)."""
    tiv = tiv[tiv > 0].astype(float).sort_values(ascending=False, kind="mergesort")
    total = tiv.sum()
    out = pd.DataFrame({name: tiv.index, "tiv": tiv.values})
    out["share"] = 100 * out["tiv"] / total if total > 0 else np.nan
    known = ~unattributed(out[name]).to_numpy()
    rank = pd.Series(pd.NA, index=out.index, dtype="Int64")
    if known.any():
        rank[known] = out.loc[known, "tiv"].rank(ascending=False, method="min").astype(int).to_numpy()
    out["rank"] = rank
    out["identified"] = known
    out["_k"] = ~known  # unknown parties after the ranked ones
    out = out.sort_values(["_k", "rank", name], kind="mergesort").drop(columns="_k")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- public API
def supplier_shares(
    t: pd.DataFrame, recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """One row per supplier to ``recipients`` in ``years``: ``tiv`` (TIV millions), ``share``
    (percent of the selection's total; sums to 100), ``rank`` (1 = largest, among identified
    suppliers only: NA for SIPRI's "unknown supplier(s)", whose share is still shown),
    ``identified``; ranked suppliers first, largest first, then the unknown. Suppliers with no
    deliveries are left out. Ties share a rank."""
    yrs = check_years(t, years)
    s = select(t, recipients=recipients, years=yrs)
    out = _shares(s.groupby("supplier")["tiv_delivered"].sum(), "supplier")
    return _stamp(out, t, recipients, yrs, total_tiv=float(out["tiv"].sum()))


def windows(start: int, end: int, width: int = 5) -> list[tuple[int, int]]:
    """Non-overlapping windows of ``width`` years ending at ``end``, oldest first, that lie
    wholly inside ``start``..``end`` (SIPRI's fact-sheet convention)."""
    if width < 1:
        raise ParameterError(f"window width must be at least 1 year, got {width}")
    if end - start + 1 < width:
        raise ParameterError(f"{start}-{end} is shorter than one {width}-year window")
    out = []
    b = end
    while b - width + 1 >= start:
        out.append((b - width + 1, b))
        b -= width
    return out[::-1]


def window_label(w: tuple[int, int]) -> str:
    """(2020, 2024) -> "2020-24" (:func:`analysis.fmt.years`: "2020-2024" in French)."""
    return fmt.years(*w)


def shares_by_window(
    t: pd.DataFrame, recipients: Selection = "Africa", start: int = 2000, end: int = 2024, width: int = 5, long: bool = False
) -> pd.DataFrame:
    """Suppliers' shares of ``recipients``' imports by non-overlapping windows ending at ``end``.

    Wide (default): one row per supplier, one column per window label ("2020-24") holding the
    share in percent, then ``tiv_<last window>`` (TIV millions) and ``tiv_change_pct`` (percent
    change of the supplier's TIV between the last two windows; NaN where the earlier is 0);
    sorted by the last window's share. With ``long=True``: one row per window and supplier with
    window, start, end, supplier, tiv, share, rank, tiv_change_pct, share_change_pts (change
    from the previous window).
    """
    check_years(t, (start, end))
    ws = windows(start, end, width)
    parts = []
    for w in ws:
        sh = supplier_shares(t, recipients, w)
        sh.insert(0, "window", window_label(w))
        sh.insert(1, "start", w[0])
        sh.insert(2, "end", w[1])
        parts.append(sh)
    longf = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["window", "start", "end", "supplier", "tiv", "share", "rank"])
    )
    # complete grid so changes compare like with like
    labels = [window_label(w) for w in ws]
    grid = pd.MultiIndex.from_product([labels, sorted(longf["supplier"].unique())], names=["window", "supplier"])
    full = longf.set_index(["window", "supplier"]).reindex(grid)
    full[["tiv", "share"]] = full[["tiv", "share"]].fillna(0.0)
    prev_tiv = full.groupby(level="supplier")["tiv"].shift(1)
    prev_share = full.groupby(level="supplier")["share"].shift(1)
    full["tiv_change_pct"] = np.where(prev_tiv > 0, 100 * (full["tiv"] - prev_tiv) / prev_tiv, np.nan)
    full["share_change_pts"] = full["share"] - prev_share
    full = full.reset_index()
    wstart = dict(zip(labels, [w[0] for w in ws]))
    full["start"] = full["window"].map(wstart)
    full["end"] = full["start"] + width - 1
    if long:
        out = full[full["tiv"] > 0].copy()
        out["rank"] = out["rank"].astype("Int64")
        out = out[["window", "start", "end", "supplier", "tiv", "share", "rank", "tiv_change_pct", "share_change_pts"]]
        out = out.sort_values(["start", "rank", "supplier"], na_position="last").reset_index(drop=True)
        return _stamp(out, t, recipients, (ws[0][0], end), width=width, windows=labels)
    wide = full.pivot(index="supplier", columns="window", values="share")[labels]
    last = labels[-1]
    lastrows = full[full["window"] == last].set_index("supplier")
    wide[f"tiv_{last}"] = lastrows["tiv"]
    wide["tiv_change_pct"] = lastrows["tiv_change_pct"]
    wide = wide.sort_values([last, f"tiv_{last}"], ascending=False)
    wide.columns.name = None
    return _stamp(wide, t, recipients, (ws[0][0], end), width=width, windows=labels)


def annual_tiv(
    t: pd.DataFrame,
    suppliers: Selection = None,
    recipients: Selection = None,
    by: str | None = "supplier",
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """TIV millions delivered per year: index ``year`` (every year in range, 0 where none),
    one column per ``by`` group ("supplier", "recipient", "category"), or a single ``total``
    column when ``by`` is None. Columns are ordered by total TIV, largest first."""
    if by not in (None, "supplier", "recipient", "category"):
        raise ParameterError(f"by must be 'supplier', 'recipient', 'category' or None, got {by!r}")
    yrs = check_years(t, years)
    s = select(t, suppliers=suppliers, recipients=recipients, years=yrs)
    idx = pd.RangeIndex(yrs[0], yrs[1] + 1, name="year")
    if by is None:
        out = s.groupby("delivery_year")["tiv_delivered"].sum().astype(float).reindex(idx, fill_value=0.0).to_frame("total")
    else:
        key = s[by].astype("object").fillna("Unmapped") if by == "category" else s[by]
        out = s.assign(_g=key).pivot_table(
            index="delivery_year", columns="_g", values="tiv_delivered", aggfunc="sum", fill_value=0.0
        )
        out = out.reindex(idx, fill_value=0.0).astype(float)
        out = out[out.sum().sort_values(ascending=False, kind="mergesort").index]
        out.columns.name = by
    out.index.name = "year"
    return _stamp(out, t, recipients, yrs, suppliers=_label(suppliers), by=by)


def top_recipients(
    t: pd.DataFrame,
    supplier: Selection = "China",
    recipients: Selection = "Africa",
    years: tuple[int, int] | None = (2020, 2024),
    n: int | None = 10,
) -> pd.DataFrame:
    """The supplier's largest recipients in the selection: recipient, tiv (TIV millions),
    share (percent of the supplier's deliveries to the selection), rank; ``n`` rows at most."""
    yrs = check_years(t, years)
    s = select(t, suppliers=supplier, recipients=recipients, years=yrs)
    out = _shares(s.groupby("recipient")["tiv_delivered"].sum(), "recipient")
    if n is not None:
        if n < 1:
            raise ParameterError(f"n must be at least 1, got {n}")
        out = out.head(n)
    return _stamp(out, t, recipients, yrs, supplier=_label(supplier))


def recipient_states(
    t: pd.DataFrame, supplier: Selection = "China", recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """States in the selection that received major arms from ``supplier`` in ``years`` (non-state
    actors and organisations left out): recipient, iso3, tiv (TIV millions), deliveries (rows).
    ``attrs["count"]`` is the number of states."""
    yrs = check_years(t, years)
    s = select(t, suppliers=supplier, recipients=recipients, years=yrs)
    s = s[s["recipient"].map(regions.kind).eq("state") & (s["tiv_delivered"].fillna(0) > 0)]
    out = (
        s.groupby("recipient")
        .agg(tiv=("tiv_delivered", "sum"), deliveries=("deal_id", "size"))
        .astype({"tiv": float})
        .sort_values("tiv", ascending=False)
        .reset_index()
    )
    out.insert(1, "iso3", out["recipient"].map(regions.iso3))
    return _stamp(out, t, recipients, yrs, supplier=_label(supplier), count=len(out))


def by_category(
    t: pd.DataFrame, supplier: Selection = None, recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """TIV by SIPRI armament category: category, tiv (TIV millions), share (percent), rank.
    Descriptions without a curated category count as "Unmapped" (see data/curated)."""
    yrs = check_years(t, years)
    s = select(t, suppliers=supplier, recipients=recipients, years=yrs)
    cat = s["category"].astype("object").fillna("Unmapped")
    out = _shares(s.groupby(cat)["tiv_delivered"].sum(), "category")
    return _stamp(out, t, recipients, yrs, supplier=_label(supplier))


def concentration(
    t: pd.DataFrame, recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """Supplier concentration per recipient: recipient, tiv (TIV millions), n_suppliers
    (identified suppliers), top_supplier and top_share (percent; the largest identified
    supplier, never SIPRI's "unknown supplier(s)"), hhi (Herfindahl-Hirschman index of supplier
    shares, unknown included, 0-10,000; 10,000 = a single supplier). Sorted by tiv."""
    yrs = check_years(t, years)
    s = select(t, recipients=recipients, years=yrs)
    g = s.groupby(["recipient", "supplier"])["tiv_delivered"].sum().astype(float)
    g = g[g > 0]
    rows = []
    for rec, part in g.groupby(level="recipient"):
        part = part.droplevel("recipient")
        sh = 100 * part / part.sum()
        known = sh[~unattributed(pd.Series(sh.index)).to_numpy()]
        rows.append(
            {
                "recipient": rec,
                "tiv": float(part.sum()),
                "n_suppliers": len(known),
                "top_supplier": known.idxmax() if len(known) else None,
                "top_share": float(known.max()) if len(known) else float("nan"),
                "hhi": float((sh**2).sum()),
            }
        )
    out = pd.DataFrame(rows, columns=["recipient", "tiv", "n_suppliers", "top_supplier", "top_share", "hhi"])
    out = out.sort_values("tiv", ascending=False).reset_index(drop=True)
    return _stamp(out, t, recipients, yrs)


def main_suppliers(t: pd.DataFrame, recipient: str, years: tuple[int, int] | None = None, n: int = 3) -> list[str]:
    """The ``n`` largest suppliers of ``recipient`` over ``years`` (default: the last ten years
    of the release)."""
    lo, hi = coverage(t)
    yrs = years or (max(lo, hi - 9), hi)
    sh = supplier_shares(t, recipient, yrs)
    return sh.loc[sh["rank"].notna(), "supplier"].head(n).tolist()


def supplier_share_by_recipient(
    t: pd.DataFrame, supplier: Selection = "China", recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """For each state in the selection: recipient, iso3, tiv (all suppliers, TIV millions),
    supplier_tiv, share (percent of that state's imports from ``supplier``; 0 where none).
    States that imported nothing in ``years`` are left out (their share is undefined)."""
    yrs = check_years(t, years)
    s = select(t, recipients=recipients, years=yrs)
    names = set(regions.resolve_selection(supplier))
    total = s.groupby("recipient")["tiv_delivered"].sum().astype(float)
    from_sup = s[s["supplier"].isin(names)].groupby("recipient")["tiv_delivered"].sum().astype(float)
    out = pd.DataFrame({"tiv": total, "supplier_tiv": from_sup.reindex(total.index, fill_value=0.0)})
    out = out[out["tiv"] > 0]
    out["share"] = 100 * out["supplier_tiv"] / out["tiv"]
    out = out.reset_index().rename(columns={"index": "recipient"})
    out = out[out["recipient"].map(regions.kind).eq("state")]
    out.insert(1, "iso3", out["recipient"].map(regions.iso3))
    out = out.sort_values("share", ascending=False).reset_index(drop=True)
    return _stamp(out, t, recipients, yrs, supplier=_label(supplier))


def standing(
    t: pd.DataFrame,
    supplier: str = "China",
    rivals: Iterable[str] = ("Russia", "United States", "France", "Turkiye"),
    recipients: Iterable[str] = ("Africa", "Sub-Saharan Africa"),
    end: int | None = None,
    width: int = 5,
    n_windows: int = 2,
) -> pd.DataFrame:
    """The supplier's standing against its rivals, per region and window: recipients, window,
    supplier, share (percent), rank, leader (the top supplier), leader_share, and one column
    ``share_<rival>`` per rival. Windows are the last ``n_windows`` of ``width`` years ending
    at ``end`` (default: the release's last year)."""
    _, hi = coverage(t)
    end = end or hi
    ws = windows(end - n_windows * width + 1, end, width)
    sup = regions.resolve(supplier)
    rivals = [regions.resolve(r) for r in rivals]
    rows = []
    for rec in recipients:
        for w in ws:
            sh = supplier_shares(t, rec, w).set_index("supplier")
            ranked = sh[sh["rank"].notna()]
            r = sh["rank"].get(sup, pd.NA)
            row = {
                "recipients": rec,
                "window": window_label(w),
                "supplier": sup,
                "share": float(sh["share"].get(sup, 0.0)),
                "rank": None if pd.isna(r) else int(r),
                "leader": ranked.index[0] if len(ranked) else None,
                "leader_share": float(ranked["share"].iloc[0]) if len(ranked) else float("nan"),
                "share_unknown": float(sh.loc[unattributed(pd.Series(sh.index)).to_numpy(), "share"].sum()),
            }
            for r in rivals:
                row[f"share_{r}"] = float(sh["share"].get(r, 0.0))
            rows.append(row)
    out = pd.DataFrame(rows)
    return _stamp(out, t, list(recipients), (ws[0][0], end), width=width)
