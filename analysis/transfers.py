"""Supplier shares, windows, annual series and rankings from the tidy transfers table.

Conventions, for every function here:

- Input ``t`` is :func:`analysis.data.transfers` (one row per deal and delivery year) of ONE
  SIPRI release, which keeps SIPRI's record as exported (names in SIPRI's spelling).
  :func:`select` returns rows of ``t`` as they are; every other function returns a result.
- Names in results are the display names the briefing prints (``United Arab Emirates``,
  ``Türkiye``, ``Côte d'Ivoire``, ``Republic of the Congo``, ``European Union``), each with
  SIPRI's spelling beside it in ``<column>_sipri`` (``UAE``, ``Turkiye``, ``Cote d'Ivoire``,
  ``Congo``, ``European Union**``: ``*`` marks a non-state actor, ``**`` an organisation;
  :func:`analysis.regions.kind` says which). Either spelling can be passed back to any function,
  so ``supplier_shares(t, "Mali", (2020, 2024))["supplier"]`` feeds ``top_recipients``
  directly; compare names with :func:`analysis.regions.same_entity`, not ``==``. Where names
  are column labels (:func:`annual_tiv`) or the index (wide :func:`shares_by_window`), they are
  display names too (the wide table keeps SIPRI's in a ``supplier_sipri`` column).
- Units: TIV values are SIPRI trend-indicator values, **millions of TIV** (a volume index, not
  money), in columns named ``tiv`` or ``*_tiv`` / ``tiv_*``; every result with such a column
  also has a ``unit`` column that says so (:data:`UNIT`), so the unit survives ``merge``,
  ``concat`` and ``groupby``. Shares are percentages (columns named ``share``, ``*_share``,
  ``share_*``, ``*_pct``) and ``*_pts`` percentage points. :func:`annual_tiv` (years by
  supplier, every cell TIV millions) has no room for a text column: its unit is this rule.
- ``recipients`` / ``suppliers`` take anything :func:`analysis.regions.resolve_selection`
  resolves: a region ("Africa" is SIPRI's Africa: North Africa plus sub-Saharan Africa, without
  Egypt), a group ("Sahel", "AES", "ECOWAS"), a country, or a list of them. ``None`` means all.
- ``years`` is an inclusive (first, last) pair of delivery years inside the release's coverage.
- Shares are percentages of the selection's total TIV (they sum to 100).
- Windows follow SIPRI's fact sheets: non-overlapping blocks of ``width`` years ending at
  ``end`` (2020-24, 2015-19, ...).
- Bad input (an unknown name, years reversed or outside the release, a table that is not the
  tidy transfers) raises a one-line :class:`~analysis.errors.ParameterError` (or
  :class:`~analysis.errors.UnknownNameError`), never a bare TypeError or KeyError.
- Results also carry ``attrs`` (``release``, ``unit``, ``recipients``, ``years``), which pandas
  drops in most operations: do not rely on them beyond the result itself.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis import fmt, regions
from analysis.errors import ParameterError, frame_with, year_pair

#: The unit of every TIV value here, as results state it in their ``unit`` column.
UNIT = "TIV millions (SIPRI trend-indicator value; a volume index, not US$)"
Selection = str | Iterable[str] | None
#: The columns a tidy transfers table must have for these functions.
REQUIRED = ("supplier", "recipient", "delivery_year", "tiv_delivered")


# --------------------------------------------------------------------------- helpers
def _label(spec: Selection) -> str:
    if spec is None:
        return "all"
    if isinstance(spec, str):
        return spec
    return ", ".join(spec)


def _count(n: object, what: str) -> int:
    """A whole number of at least 1 (``n`` rows, ``n_windows``), or a one-line ParameterError."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or int(n) < 1:
        raise ParameterError(f"{what} must be a whole number of at least 1, got {n!r}")
    return int(n)


def _width(width: object) -> int:
    if isinstance(width, bool) or not isinstance(width, numbers.Integral) or int(width) < 1:
        raise ParameterError(f"window width must be a whole number of at least 1 year, got {width!r}")
    return int(width)


def _result(df: pd.DataFrame, names: Iterable[str] = (), unit: bool = True) -> pd.DataFrame:
    """A result as users get it: display names in ``names`` with SIPRI's spelling beside them
    (:func:`analysis.regions.with_display_names`), and the ``unit`` column of its TIV values."""
    out = regions.with_display_names(df, names)
    if unit:
        out["unit"] = UNIT
    return out


def check_table(t: object) -> pd.DataFrame:
    """``t`` if it is a tidy transfers table (:func:`analysis.data.transfers`, or a frame with
    its columns :data:`REQUIRED`); a one-line ParameterError otherwise."""
    frame: pd.DataFrame = frame_with(t, REQUIRED, "t", "the tidy transfers table (analysis.data.transfers())")
    return frame


def release_label(t: pd.DataFrame) -> str:
    """The one SIPRI release of ``t`` (e.g. 'March 2025'); ParameterError if it mixes releases."""
    rel = t["release"].dropna().unique() if "release" in t else []
    if len(rel) > 1:
        raise ParameterError(f"the table mixes SIPRI releases ({', '.join(map(str, rel))}); analyse one release at a time")
    return str(rel[0]) if len(rel) else "unknown"


def coverage(t: pd.DataFrame) -> tuple[int, int]:
    """First and last delivery year in the table."""
    check_table(t)
    if t.empty:
        raise ParameterError("the transfers table is empty; check the source with `briefing data status`")
    return int(t["delivery_year"].min()), int(t["delivery_year"].max())


def check_years(t: pd.DataFrame, years: tuple[int, int] | None) -> tuple[int, int]:
    """Validate an inclusive year range against the table's coverage; None means all of it."""
    lo, hi = coverage(t)
    if years is None:
        return lo, hi
    a, b = year_pair(years)
    if a < lo or b > hi:
        raise ParameterError(
            f"years {a}-{b} lie outside the {release_label(t)} release's delivery years {lo}-{hi}; choose years inside them"
        )
    return a, b


def select(
    t: pd.DataFrame, *, suppliers: Selection = None, recipients: Selection = None, years: tuple[int, int] | None = None
) -> pd.DataFrame:
    """Rows of ``t`` for the suppliers, recipients and delivery years asked for (any spelling
    of a name selects the same rows), as they are in ``t``: SIPRI's spelling, ``t``'s columns.

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
    "unknown rebel group*"), in either spelling: shown with their share, never ranked."""
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


def _supplier_shares(t: pd.DataFrame, recipients: Selection, years: tuple[int, int] | None) -> pd.DataFrame:
    """:func:`supplier_shares` with SIPRI's names (the order is SIPRI's: ties by SIPRI name)."""
    yrs = check_years(t, years)
    s = select(t, recipients=recipients, years=yrs)
    out = _shares(s.groupby("supplier")["tiv_delivered"].sum(), "supplier")
    return _stamp(out, t, recipients, yrs, total_tiv=float(out["tiv"].sum()))


# --------------------------------------------------------------------------- public API
def supplier_shares(
    t: pd.DataFrame, recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """One row per supplier to ``recipients`` in ``years``: ``supplier`` (display name),
    ``supplier_sipri`` (SIPRI's spelling), ``tiv`` (TIV millions), ``share`` (percent of the
    selection's total; sums to 100), ``rank`` (1 = largest, among identified suppliers only: NA
    for SIPRI's "unknown supplier(s)", whose share is still shown), ``identified``, ``unit``;
    ranked suppliers first, largest first, then the unknown. Suppliers with no deliveries are
    left out. Ties share a rank."""
    return _result(_supplier_shares(t, recipients, years), ["supplier"])


def windows(start: int, end: int, width: int = 5) -> list[tuple[int, int]]:
    """Non-overlapping windows of ``width`` years ending at ``end``, oldest first, that lie
    wholly inside ``start``..``end`` (SIPRI's fact-sheet convention)."""
    start, end = year_pair((start, end), "start and end")
    width = _width(width)
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

    Wide (default): one row per supplier (the index: display names), one column per window
    label ("2020-24") holding the share in percent, then ``tiv_<last window>`` (TIV millions),
    ``tiv_change_pct`` (percent change of the supplier's TIV between the last two windows; NaN
    where the earlier is 0) and ``supplier_sipri``; sorted by the last window's share. With
    ``long=True``: one row per window and supplier with window, start, end, supplier,
    supplier_sipri, tiv, share, rank, tiv_change_pct, share_change_pts (change from the previous
    window), unit.
    """
    check_years(t, year_pair((start, end), "start and end"))
    ws = windows(start, end, width)
    parts = []
    for w in ws:
        sh = _supplier_shares(t, recipients, w)
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
        out = _stamp(out, t, recipients, (ws[0][0], end), width=width, windows=labels)
        return _result(out, ["supplier"])
    wide = full.pivot(index="supplier", columns="window", values="share")[labels]
    last = labels[-1]
    lastrows = full[full["window"] == last].set_index("supplier")
    wide[f"tiv_{last}"] = lastrows["tiv"]
    wide["tiv_change_pct"] = lastrows["tiv_change_pct"]
    wide = wide.sort_values([last, f"tiv_{last}"], ascending=False)
    wide.columns.name = None
    wide["supplier_sipri"] = wide.index
    wide.index = pd.Index(regions.display_names(pd.Series(wide.index, dtype="object")).to_numpy(), name="supplier")
    return _stamp(wide, t, recipients, (ws[0][0], end), width=width, windows=labels)


def annual_tiv(
    t: pd.DataFrame,
    suppliers: Selection = None,
    recipients: Selection = None,
    by: str | None = "supplier",
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """TIV millions delivered per year: index ``year`` (every year in range, 0 where none),
    one column per ``by`` group ("supplier", "recipient": display names; "category"), or a
    single ``total`` column when ``by`` is None. Columns are ordered by total TIV, largest
    first. Every cell is TIV millions (there is no ``unit`` column: it would be summed and
    plotted with the series); :func:`analysis.regions.resolve` gives a label's SIPRI name."""
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
        if by != "category":
            out.columns = regions.display_names(pd.Series(out.columns, dtype="object")).to_numpy()
            if out.columns.duplicated().any():  # two SIPRI spellings of one entity: one column
                out = out.T.groupby(level=0, sort=False).sum().T
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
    """The supplier's largest recipients in the selection: recipient (display name),
    recipient_sipri, tiv (TIV millions), share (percent of the supplier's deliveries to the
    selection), rank, identified, unit; ``n`` rows at most."""
    yrs = check_years(t, years)
    if n is not None:
        n = _count(n, "n")
    s = select(t, suppliers=supplier, recipients=recipients, years=yrs)
    out = _shares(s.groupby("recipient")["tiv_delivered"].sum(), "recipient")
    if n is not None:
        out = out.head(n)
    return _result(_stamp(out, t, recipients, yrs, supplier=_label(supplier)), ["recipient"])


def recipient_states(
    t: pd.DataFrame, supplier: Selection = "China", recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """States in the selection that received major arms from ``supplier`` in ``years`` (non-state
    actors and organisations left out): recipient (display name), recipient_sipri, iso3, tiv
    (TIV millions), deliveries (rows), unit. ``attrs["count"]`` is the number of states."""
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
    out = _stamp(out, t, recipients, yrs, supplier=_label(supplier), count=len(out))
    return _result(out, ["recipient"])


def by_category(
    t: pd.DataFrame, supplier: Selection = None, recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """TIV by SIPRI armament category: category, tiv (TIV millions), share (percent), rank,
    identified, unit. Descriptions without a curated category count as "Unmapped" (see
    data/curated)."""
    yrs = check_years(t, years)
    s = select(t, suppliers=supplier, recipients=recipients, years=yrs)
    cat = s["category"].astype("object").fillna("Unmapped")
    out = _shares(s.groupby(cat)["tiv_delivered"].sum(), "category")
    return _result(_stamp(out, t, recipients, yrs, supplier=_label(supplier)))


def concentration(
    t: pd.DataFrame, recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """Supplier concentration per recipient: recipient (display name), recipient_sipri, tiv (TIV
    millions), n_suppliers (identified suppliers), top_supplier, top_supplier_sipri and
    top_share (percent; the largest identified supplier, never SIPRI's "unknown supplier(s)"),
    hhi (Herfindahl-Hirschman index of supplier shares, unknown included, 0-10,000; 10,000 = a
    single supplier), unit. Sorted by tiv."""
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
    return _result(_stamp(out, t, recipients, yrs), ["recipient", "top_supplier"])


def main_suppliers(t: pd.DataFrame, recipient: str, years: tuple[int, int] | None = None, n: int = 3) -> list[str]:
    """The display names of the ``n`` largest identified suppliers of ``recipient`` over
    ``years`` (default: the last ten years of the release)."""
    lo, hi = coverage(t)
    n = _count(n, "n")
    yrs = years or (max(lo, hi - 9), hi)
    sh = supplier_shares(t, recipient, yrs)
    return sh.loc[sh["rank"].notna(), "supplier"].head(n).tolist()


def supplier_share_by_recipient(
    t: pd.DataFrame, supplier: Selection = "China", recipients: Selection = "Africa", years: tuple[int, int] | None = (2020, 2024)
) -> pd.DataFrame:
    """For each state in the selection: recipient (display name), recipient_sipri, iso3, tiv
    (all suppliers, TIV millions), supplier_tiv, share (percent of that state's imports from
    ``supplier``; 0 where none), unit. States that imported nothing in ``years`` are left out
    (their share is undefined)."""
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
    return _result(_stamp(out, t, recipients, yrs, supplier=_label(supplier)), ["recipient"])


def standing(
    t: pd.DataFrame,
    supplier: str = "China",
    rivals: Iterable[str] = ("Russia", "United States", "France", "Turkiye"),
    recipients: Iterable[str] = ("Africa", "Sub-Saharan Africa"),
    end: int | None = None,
    width: int = 5,
    n_windows: int = 2,
) -> pd.DataFrame:
    """The supplier's standing against its rivals, per region and window: recipients (as
    given), window, supplier (display name), supplier_sipri, share (percent), rank, leader (the
    top supplier; display name), leader_sipri, leader_share, share_unknown, and one column
    ``share_<rival>`` per rival, named by the rival's display name (``share_Türkiye``). Windows
    are the last ``n_windows`` of ``width`` years ending at ``end`` (default: the release's last
    year). A single name is taken as one rival or one region."""
    _, hi = coverage(t)
    end = hi if end is None else end
    n_windows = _count(n_windows, "n_windows")
    width = _width(width)
    ws = windows(end - n_windows * width + 1, end, width)
    sup = regions.resolve(supplier)
    rivals = [regions.resolve(r) for r in ([rivals] if isinstance(rivals, str) else rivals)]
    recipients = [recipients] if isinstance(recipients, str) else list(recipients)
    rows = []
    for rec in recipients:
        for w in ws:
            sh = _supplier_shares(t, rec, w).set_index("supplier")
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
                row[f"share_{regions.display_name(r)}"] = float(sh["share"].get(r, 0.0))
            rows.append(row)
    out = pd.DataFrame(rows)
    return _result(_stamp(out, t, recipients, (ws[0][0], end), width=width), ["supplier", "leader"], unit=False)
