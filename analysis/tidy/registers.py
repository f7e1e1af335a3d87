"""SIPRI's trade registers (the classic export or the API format) as tidy tables.

``orders_from(imp, source_id, categories=None)``
    ``orders``: one row per deal (:data:`ORDER_COLUMNS`), with SIPRI's estimate flags (``*_est``,
    and ``*_shown`` as SIPRI prints them: "80?") and whether the order is open.
``transfers_from(imp, source_id, categories=None)``
    ``transfers``: one row per deal and delivery year (:data:`TRANSFER_COLUMNS`). From the
    classic export a deal's delivered units and TIV are spread evenly over its delivery years
    (:data:`METHOD_SPREAD`); from the API format the yearly values are taken as given
    (:data:`METHOD_GIVEN`).

What both share: :func:`stable_ids` (deal ids for the classic export, which has none),
:func:`release_cols` (the release label and the export's date), :func:`status_note` and
:func:`estimate_note` (what SIPRI's status, comments and '?' marks say).
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from analysis.errors import ValidationError
from analysis.importers import Imported
from analysis.tidy.validation import validate

METHOD_SPREAD = "even spread: the classic export's delivered units and TIV spread evenly over the deal's delivery years"
METHOD_GIVEN = "as given: the API export's yearly deliveries"
ESTIMATE_MARK = "?"
ESTIMATE_FOOTNOTE = "? = SIPRI estimate (SIPRI marks the value as uncertain)"
TRANSFER_COLUMNS = [
    "deal_id",
    "supplier",
    "recipient",
    "designation",
    "description",
    "category",
    "order_year",
    "order_year_est",
    "n_ordered",
    "n_ordered_est",
    "n_delivered",
    "n_delivered_est",
    "delivery_year",
    "delivery_year_est",
    "status",
    "status_note",
    "comments",
    "tiv_unit",
    "tiv_delivered",
    "estimate_note",
    "release",
    "generated",
    "method",
    "source",
]
ORDER_COLUMNS = [
    "deal_id",
    "supplier",
    "recipient",
    "designation",
    "description",
    "category",
    "order_year",
    "order_year_est",
    "n_ordered",
    "n_ordered_est",
    "n_delivered",
    "n_delivered_est",
    "delivery_years",
    "first_delivery",
    "last_delivery",
    "status",
    "status_note",
    "comments",
    "tiv_unit",
    "tiv_order",
    "tiv_delivered",
    "open",
    "order_year_shown",
    "n_ordered_shown",
    "n_delivered_shown",
    "estimate_note",
    "release",
    "generated",
    "source",
]
# Comment fragments that change what a row means: second-hand, aid, gifts, loans, leases, licences.
_MEANING = re.compile(r"second[- ]hand|\baid\b|\bgift|\bloan\b|\blease|licen[cs]e|donat", re.I)


def stable_ids(frame: pd.DataFrame) -> pd.Series:
    """Deal ids for the classic export, which has none: a hash of the fields that identify a
    deal (recipient, supplier, order year, designation, description, number ordered, comments),
    plus an occurrence number for exact repeats. Stable across runs and, where SIPRI left a
    deal's fields unchanged, across releases."""
    parts = [
        frame[c].astype("string").fillna("")
        for c in ("recipient", "supplier", "order_year", "designation", "description", "n_ordered", "comments")
    ]
    key = parts[0].str.cat(parts[1:], sep="|")
    occ = key.groupby(key).cumcount().astype(str)
    return (key + "#" + occ).map(lambda k: "h" + hashlib.blake2b(k.encode("utf-8"), digest_size=6).hexdigest())


def release_cols(imp: Imported) -> tuple[str, str]:
    """(release label "March 2025", generated date "2025-03-13") of a parsed SIPRI file."""
    label = imp.meta.get("release_label") or "unknown"
    generated = pd.Timestamp(imp.meta["generated"]).strftime("%Y-%m-%d") if imp.meta.get("generated") else ""
    return label, generated


def status_note(status: pd.Series, comments: pd.Series) -> pd.Series:
    """What SIPRI's status and comments say that changes a row's meaning: "Second hand" (status),
    and comment fragments on second-hand, aid, gift, loan, lease or licensed production, kept in
    SIPRI's words ("Possibly Second-hand", "Aid"); "" where there is none."""
    out = []
    for st, com in zip(status.fillna("").astype(str), comments.fillna("").astype(str)):
        parts = [st] if st and st != "New" else []
        parts += [f.strip() for f in com.split(";") if _MEANING.search(f)]
        out.append("; ".join(dict.fromkeys(p for p in parts if p)))
    return pd.Series(out, index=status.index, dtype="string")


def _shown(value: pd.Series, est: pd.Series) -> pd.Series:
    v = value.astype("string").fillna("")
    mark = est.fillna(False).astype(bool) & v.ne("")
    return (v + mark.map({True: ESTIMATE_MARK, False: ""})).astype("string")


def estimate_note(frame: pd.DataFrame) -> pd.Series:
    """ "SIPRI estimate: order year, number ordered" etc. for the values SIPRI marks with '?';
    "" where none is."""
    names = {"order_year_est": "order year", "n_ordered_est": "number ordered", "n_delivered_est": "number delivered"}
    cols = [c for c in names if c in frame]
    flags = frame[cols].fillna(False).astype(bool)
    notes = flags.apply(lambda r: ", ".join(names[c] for c in cols if r[c]), axis=1) if len(frame) else pd.Series([], dtype=str)
    return ("SIPRI estimate: " + notes).where(notes.ne(""), "").astype("string")


def _annotate(out: pd.DataFrame) -> pd.DataFrame:
    for c in ("order_year_est", "n_ordered_est", "n_delivered_est"):
        out[c] = out[c].fillna(False).astype(bool)
    out["status_note"] = status_note(out["status"], out["comments"])
    out["estimate_note"] = estimate_note(out)
    return out


def orders_from(imp: Imported, source_id: str, categories: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per deal from a parsed register (classic or API format); ``categories`` maps
    weapon descriptions to SIPRI armament categories (classic export). Estimate flags are kept
    (``*_est``, and ``*_shown`` as SIPRI prints them: "80?"); ``status_note`` keeps what the
    status and comments say about second-hand, aid or licensed production.

    Steps:

    * classic export: deal ids from :func:`stable_ids`; first and last delivery year from the
      deal's delivery years; category from ``categories``;
    * API format: the yearly rows grouped by deal (the deal's fields from its first row, units
      and TIV delivered summed, first and last delivery year; "Local production" as its
      comment); number ordered and order TIV NA, as the API does not give them;
    * ``open``: no delivery year, or nothing delivered;
    * estimate flags as booleans, :func:`status_note` and :func:`estimate_note`; the ``*_shown``
      columns;
    * release, generated, source; the columns of :data:`ORDER_COLUMNS`;
    * :func:`~analysis.tidy.validation.validate`: one row per deal, no deal without id, supplier
      or recipient, years and TIV in range.
    """
    cats = categories or {}
    label, generated = release_cols(imp)
    f = imp.frame
    if imp.format == "sipri_register_classic":
        out = f.drop(columns=["line"]).copy()
        out["deal_id"] = stable_ids(out)
        years = out["delivery_years"].str.split("; ")
        first = years.map(lambda ys: int(ys[0]) if ys and ys[0] else None)
        last = years.map(lambda ys: int(ys[-1]) if ys and ys[0] else None)
        out["first_delivery"] = pd.array(first, dtype="Int64")
        out["last_delivery"] = pd.array(last, dtype="Int64")
        out["category"] = out["description"].map(cats)
    elif imp.format == "sipri_register_api":
        g = f.sort_values("delivery_year").groupby("deal_id", sort=False)
        out = g.agg(
            supplier=("supplier", "first"),
            recipient=("recipient", "first"),
            designation=("designation", "first"),
            description=("description", "first"),
            category=("category", "first"),
            order_year=("order_year", "first"),
            order_year_est=("order_year_est", "first"),
            n_delivered=("n_delivered", "sum"),
            n_delivered_est=("n_delivered_est", "max"),
            first_delivery=("delivery_year", "min"),
            last_delivery=("delivery_year", "max"),
            status=("status", "first"),
            tiv_unit=("tiv_unit", "first"),
            tiv_delivered=("tiv_delivered", "sum"),
            local=("local_production", "max"),
        ).reset_index()
        out["deal_id"] = out["deal_id"].astype(str)
        out["delivery_years"] = (
            g["delivery_year"].apply(lambda s: "; ".join(str(int(y)) for y in sorted(s.dropna().unique()))).values
        )
        out["n_ordered"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["n_ordered_est"] = False
        out["tiv_order"] = pd.array([pd.NA] * len(out), dtype="Float64")
        out["comments"] = out["local"].map({True: "Local production", False: ""}).fillna("")
    else:
        raise ValidationError(f"{imp.path.name}: a {imp.format} file is not a trade register")
    out["open"] = (out["delivery_years"].eq("") | out["n_delivered"].fillna(0).eq(0)).astype(bool)
    out = _annotate(out)
    out["order_year_shown"] = _shown(out["order_year"], out["order_year_est"])
    out["n_ordered_shown"] = _shown(out["n_ordered"], out["n_ordered_est"])
    out["n_delivered_shown"] = _shown(out["n_delivered"], out["n_delivered_est"])
    out["release"] = label
    out["generated"] = generated
    out["source"] = source_id
    out = out[ORDER_COLUMNS].reset_index(drop=True)
    return validate(
        out,
        f"orders[{source_id}]",
        ORDER_COLUMNS,
        unique=["deal_id"],
        not_null=["deal_id", "supplier", "recipient"],
        ranges={"order_year": (1900, 2100), "first_delivery": (1900, 2100), "tiv_delivered": (0, 1e6)},
    )


def transfers_from(imp: Imported, source_id: str, categories: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per deal and delivery year from a parsed register. From the classic export the
    deal's delivered units and TIV are spread evenly over its delivery years (``method`` says
    so; :mod:`analysis.calibrate` re-allocates them to SIPRI's TIV tables); from the API
    format, yearly values are taken as given.

    Steps:

    * classic export: deal ids from :func:`stable_ids`; deals without delivery years left out;
      one row per delivery year, the deal's units and TIV divided by its number of years;
      delivery_year_est NA (the export does not say); category from ``categories``;
      :data:`METHOD_SPREAD`;
    * API format: rows without a delivery year left out; number ordered NA; "Local production"
      as the comment; :data:`METHOD_GIVEN`;
    * estimate flags as booleans, :func:`status_note` and :func:`estimate_note`;
    * release, generated, source; the columns of :data:`TRANSFER_COLUMNS`;
    * :func:`~analysis.tidy.validation.validate`: one row per deal and delivery year, years,
      units and TIV in range.
    """
    cats = categories or {}
    label, generated = release_cols(imp)
    f = imp.frame
    if imp.format == "sipri_register_classic":
        deals = f.drop(columns=["line"]).copy()
        deals["deal_id"] = stable_ids(deals)
        deals = deals[deals["delivery_years"].ne("")]
        years = deals["delivery_years"].str.split("; ")
        k = years.map(len)
        long = deals.assign(delivery_year=years, _k=k).explode("delivery_year")
        long["delivery_year"] = long["delivery_year"].astype(int).astype("Int64")
        long["n_delivered"] = (long["n_delivered"].astype("Float64") / long["_k"]).astype("Float64")
        long["tiv_delivered"] = (long["tiv_delivered"] / long["_k"]).astype("Float64")
        long["delivery_year_est"] = pd.array([pd.NA] * len(long), dtype="boolean")
        long["category"] = long["description"].map(cats)
        long["method"] = METHOD_SPREAD
    elif imp.format == "sipri_register_api":
        long = f.drop(columns=["line"]).copy()
        long = long[long["delivery_year"].notna()]
        long["deal_id"] = long["deal_id"].astype(str)
        long["n_ordered"] = pd.array([pd.NA] * len(long), dtype="Int64")
        long["n_ordered_est"] = False
        long["comments"] = long["local_production"].map({True: "Local production", False: ""}).fillna("")
        long["delivery_year_est"] = long["delivery_year_est"].astype("boolean")
        long["method"] = METHOD_GIVEN
    else:
        raise ValidationError(f"{imp.path.name}: a {imp.format} file is not a trade register")
    long = _annotate(long)
    long["release"] = label
    long["generated"] = generated
    long["source"] = source_id
    out = long[TRANSFER_COLUMNS].reset_index(drop=True)
    out["category"] = out["category"].astype("string")
    out["method"] = out["method"].astype("string")
    return validate(
        out,
        f"transfers[{source_id}]",
        TRANSFER_COLUMNS,
        unique=["deal_id", "delivery_year"],
        not_null=["deal_id", "supplier", "recipient", "delivery_year", "release", "method"],
        ranges={"delivery_year": (1900, 2100), "order_year": (1900, 2100), "tiv_delivered": (0, 1e5), "n_delivered": (0, 1e6)},
    )
