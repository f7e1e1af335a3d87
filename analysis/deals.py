"""The register: deals between a supplier and a recipient, from every release held.

SIPRI lists weapons by designation, never by maker: there are no "Norinco" rows. Each row names
its release; figures from different releases are never added together.

Conventions (those of :mod:`analysis.transfers`):

- Names: ``recipient`` and ``supplier`` are the display names the briefing prints (``United
  Arab Emirates``, ``Türkiye``, ``European Union``); ``recipient_sipri`` and ``supplier_sipri``
  keep SIPRI's spelling with its marks (``UAE``, ``Turkiye``, ``European Union**``). Any
  spelling can be passed back in.
- Units: ``tiv_order`` and ``tiv_delivered`` are SIPRI trend-indicator values in millions (a
  volume index, not money), as the ``unit`` column says; ``tiv_unit`` is SIPRI's TIV of one item,
  in the same unit.
- Bad input (an unknown name, a ``since`` that is not a year, a table that is not a register)
  raises a one-line :class:`~analysis.errors.ParameterError`.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import pandas as pd

from analysis import data, regions
from analysis.errors import ParameterError, frame_with
from analysis.transfers import UNIT

COLUMNS = [
    "recipient",
    "recipient_sipri",
    "supplier",
    "supplier_sipri",
    "designation",
    "description",
    "category",
    "n_ordered",
    "n_ordered_est",
    "order_year",
    "order_year_est",
    "n_delivered",
    "delivery_years",
    "first_delivery",
    "last_delivery",
    "status",
    "open",
    "tiv_unit",
    "tiv_order",
    "tiv_delivered",
    "comments",
    "release",
    "generated",
    "source",
    "deal_id",
    # SIPRI's uncertainty and meaning, for display: "80?" with the footnote ESTIMATE_FOOTNOTE,
    # and what the status and comments say about second-hand, aid or licensed production.
    "n_delivered_est",
    "n_ordered_shown",
    "order_year_shown",
    "n_delivered_shown",
    "estimate_note",
    "status_note",
    "status_shown",
    "unit",
]
#: The register's columns :func:`between` needs in a table passed as ``orders``.
REQUIRED = ("recipient", "supplier", "designation", "order_year", "last_delivery", "status", "status_note", "generated")
ESTIMATE_FOOTNOTE = "? SIPRI estimate"
REGISTER = "a register (deals.between() or analysis.data.orders())"


def status_shown(status: pd.Series, note: pd.Series) -> pd.Series:
    """The status as a reader should see it: "New (Possibly Second-hand)" where SIPRI's
    comments qualify a "New" status; the status alone otherwise."""
    st = status.fillna("").astype(str)
    nt = note.fillna("").astype(str)
    extra = [", ".join(p for p in n.split("; ") if p and p != s) for s, n in zip(st, nt)]
    shown = [(f"{s} ({e})" if s else e[:1].upper() + e[1:]) if e else s for s, e in zip(st, extra)]
    return pd.Series(shown, index=status.index, dtype="string")


def between(
    supplier: str | Iterable[str] | None = "China",
    recipient: str | Iterable[str] | None = "Mali",
    sources: Iterable[str] = data.REGISTERS,
    orders: pd.DataFrame | None = None,
    since: int | None = None,
) -> pd.DataFrame:
    """Deals between ``supplier`` and ``recipient`` (names, regions or lists), one row per deal
    and release, newest release first, then by order year. ``recipient`` and ``supplier`` are
    display names, ``*_sipri`` SIPRI's spelling; ``unit`` is the unit of the TIV columns. ``open`` marks deals with no delivery
    recorded in that release. ``since`` keeps deals ordered or delivered in or after that year.
    ``*_est`` are SIPRI's '?' flags; ``*_shown`` print the value as SIPRI does ("80?", footnote
    ``attrs["footnote"]``); ``status_note``/``status_shown`` keep what SIPRI's status and
    comments say (second-hand, aid, licensed production): "New (Possibly Second-hand)".
    Pass ``orders`` (from :func:`analysis.data.orders`) to work on a table you hold."""
    if since is not None and (isinstance(since, bool) or not isinstance(since, numbers.Integral)):
        raise ParameterError(f"since must be a year such as 2010, got {since!r}")
    if orders is not None:
        frame_with(orders, REQUIRED, "orders", "a register table (analysis.data.orders())")
    elif isinstance(sources, str):
        sources = [sources]
    o = data.orders(sources) if orders is None else orders
    mask = pd.Series(True, index=o.index)
    for col, spec in (("supplier", supplier), ("recipient", recipient)):
        if spec is not None:
            names = regions.resolve_selection(spec)
            if not names:
                raise ParameterError(f"{col} selection {spec!r} has no members")
            # any spelling in the table matches (SIPRI's in data.orders(), display names in a result)
            mask &= regions.canonical_names(o[col]).isin(set(regions.canonical_names(pd.Series(names, dtype="object"))))
    if since is not None:
        mask &= (o["order_year"].fillna(0) >= since) | (o["last_delivery"].fillna(0) >= since)
    out = o.loc[mask].copy()
    out["status_shown"] = status_shown(out["status"], out["status_note"])
    out["unit"] = UNIT
    out = regions.with_display_names(out, ["recipient", "supplier"])
    out = out[COLUMNS]
    out = out.sort_values(["generated", "order_year", "designation"], ascending=[False, True, True], kind="mergesort")
    out = out.reset_index(drop=True)
    out.attrs.update({"unit": UNIT, "releases": sorted(out["release"].unique().tolist()), "footnote": ESTIMATE_FOOTNOTE})
    return out


def _keys(d: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Each row's deal key as a tuple of texts, names by their canonical SIPRI name (so that
    ``UAE`` in one release and ``United Arab Emirates`` in another, or a display name, match)."""
    k = d[columns].astype(str)
    for c in ("recipient", "supplier"):
        if c in k:
            k[c] = regions.canonical_names(k[c])
    return pd.Series(list(map(tuple, k.values)), index=d.index, dtype="object")


def latest(deals: pd.DataFrame) -> pd.DataFrame:
    """Keep each deal once, from the newest release that lists it; use for registers shown to
    readers, never to sum TIV across the releases this mixes.

    A deal is matched across releases on recipient, supplier, designation and order year; when
    SIPRI renamed a designation between releases (AS365 Panther -> Z-9, Tiger -> ZFB-05), an
    older row is also matched when exactly one newer row has the same order year, number
    ordered, delivery years and armament category."""
    key = ["recipient", "supplier", "designation", "order_year"]
    loose = ["recipient", "supplier", "order_year", "n_ordered", "delivery_years", "category"]
    frame_with(deals, [*key, *loose, "generated"], "deals", REGISTER)
    if deals.empty:
        return deals.reset_index(drop=True)
    d = deals.sort_values("generated", ascending=False, kind="mergesort")
    kept: list[pd.DataFrame] = []
    for _, rel in d.groupby("generated", sort=False):
        if kept:
            newer = pd.concat(kept)
            strict = set(_keys(newer, key))
            counts = _keys(newer, loose).value_counts()
            unique_loose = {k for k, n in counts.items() if n == 1}
            rel = rel[~_keys(rel, key).isin(strict) & ~_keys(rel, loose).isin(unique_loose)]
        kept.append(rel)
    out = pd.concat(kept) if kept else d
    return out.sort_values(["order_year", "designation"], kind="mergesort").reset_index(drop=True)


def newer_than(deals: pd.DataFrame, base_source: str = data.PRIMARY) -> pd.DataFrame:
    """Deals (or deliveries) that a newer release lists but ``base_source`` does not: rows of
    newer releases whose deal key is absent from the base, or whose last delivery year is
    later than any the base could hold."""
    key = ["recipient", "supplier", "designation", "order_year"]
    frame_with(deals, [*key, "source", "generated", "last_delivery"], "deals", REGISTER)
    if base_source not in data.REGISTERS and base_source not in set(deals["source"]):
        raise ParameterError(f"base_source {base_source!r} is not a register release; use one of {', '.join(data.REGISTERS)}")
    base = deals[deals["source"] == base_source]
    base_gen = base["generated"].max() if len(base) else ""
    newer = deals[deals["generated"] > base_gen] if base_gen else deals[deals["source"] != base_source]
    known = set(_keys(base, key))
    is_new = ~_keys(newer, key).isin(known)
    base_last = int(base["last_delivery"].max()) if len(base) and base["last_delivery"].notna().any() else 0
    later = newer["last_delivery"].fillna(0) > base_last
    return newer[is_new | later].reset_index(drop=True)
