"""Verdicts: the rules every check applies, the types they return, and the helpers they share.

The checks themselves are in :mod:`analysis.checks`.

Every check is a pure function ``check(inputs, **params) -> Result`` over the tables in
:class:`Inputs` (passed in, never read from disk here), and returns a verdict, one or two
sentences of evidence built from computed figures, the figures used, and the sources.
:data:`CHECKS` lists them with their parameters; ``analysis.claims`` validates claims files
against it.

Verdict rules (the same for every check; :func:`rules_text` returns them for the methods
appendix):

1. A claim is split into parts, each a statement the data can test (a supplier's rank in one
   region, a delivery in one year, one named user of a system). Each part is found to *hold*,
   to *fail* (the data state the opposite), to be *mixed* (it holds on one measure and not on
   another), to have *no record* in these data, or to be *not checkable* with them.
2. Verdicts: "supported" when every part holds; "partly supported" when at least one part
   holds or is mixed but not all hold; "contradicted" when no part holds and at least one
   fails; "not checkable with these data" when no part holds or fails.
3. A claim about "Africa" is tested for every region it could mean: SIPRI's Africa (without
   Egypt), sub-Saharan Africa, and Africa with Egypt; each is a part.
4. Ranks count identified suppliers only: SIPRI's "unknown supplier(s)" is never ranked
   (shares are still of the whole volume, as in SIPRI's fact sheets).
5. "Expanding" or "rising" deliveries by a supplier are judged on the volume delivered (TIV)
   and on the number of recipient states, on the same windows for every part; a recipient's
   imports rising or falling are judged on volume. Windows default to the release's latest two
   five-year windows.
6. The absence of a record in SIPRI is reported as "no record in these data"; it never
   counts as the data showing the opposite. A claim fails only where the data state something
   incompatible (another rank, another share, a whole order delivered in another year).
7. A figure SIPRI marks as an estimate is called an estimate.
8. Where curated sources disagree on a point, the evidence says so in one short clause.
9. SIPRI TIV is a volume index in millions, not money; evidence never gives it in US$.
   Evidence names the region, the years and the SIPRI release of every figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import pandas as pd

from analysis import fmt, regions
from analysis import transfers as tr
from analysis.i18n import N_, _, language

SUPPORTED, PARTLY, CONTRADICTED, NOT_CHECKABLE = (
    "supported",
    "partly supported",
    "contradicted",
    "not checkable with these data",
)
VERDICTS = (SUPPORTED, PARTLY, CONTRADICTED, NOT_CHECKABLE)
HOLDS, FAILS, MIXED, NO_RECORD, UNCHECKABLE = "holds", "fails", "mixed", "no record", "not checkable"
STATUSES = (HOLDS, FAILS, MIXED, NO_RECORD, UNCHECKABLE)
UNKNOWN_SUPPLIER = "unknown supplier(s)"

#: How a reader sees each verdict (the codes above stay in data files, JSON and tests).
VERDICT_LABELS: dict[str, str] = {
    SUPPORTED: N_("supported"),
    PARTLY: N_("partly supported"),
    CONTRADICTED: N_("contradicted"),
    NOT_CHECKABLE: N_("not checkable with these data"),
}


def verdict_label(verdict: str) -> str:
    """The verdict as a reader sees it, in the current language ('supported' -> 'étayé')."""
    return _(VERDICT_LABELS[verdict]) if verdict in VERDICT_LABELS else verdict


#: The verdict rules of the module's docstring, one message each, for a translated appendix
#: (a test keeps them equal to the docstring).
RULES: tuple[str, ...] = (
    N_(
        "A claim is split into parts, each a statement the data can test (a supplier's rank in one region, a delivery in one year, one named user of a system). Each part is found to *hold*, to *fail* (the data state the opposite), to be *mixed* (it holds on one measure and not on another), to have *no record* in these data, or to be *not checkable* with them."
    ),
    N_(
        'Verdicts: "supported" when every part holds; "partly supported" when at least one part holds or is mixed but not all hold; "contradicted" when no part holds and at least one fails; "not checkable with these data" when no part holds or fails.'
    ),
    N_(
        'A claim about "Africa" is tested for every region it could mean: SIPRI\'s Africa (without Egypt), sub-Saharan Africa, and Africa with Egypt; each is a part.'
    ),
    N_(
        "Ranks count identified suppliers only: SIPRI's \"unknown supplier(s)\" is never ranked (shares are still of the whole volume, as in SIPRI's fact sheets)."
    ),
    N_(
        '"Expanding" or "rising" deliveries by a supplier are judged on the volume delivered (TIV) and on the number of recipient states, on the same windows for every part; a recipient\'s imports rising or falling are judged on volume. Windows default to the release\'s latest two five-year windows.'
    ),
    N_(
        'The absence of a record in SIPRI is reported as "no record in these data"; it never counts as the data showing the opposite. A claim fails only where the data state something incompatible (another rank, another share, a whole order delivered in another year).'
    ),
    N_("A figure SIPRI marks as an estimate is called an estimate."),
    N_("Where curated sources disagree on a point, the evidence says so in one short clause."),
    N_(
        "SIPRI TIV is a volume index in millions, not money; evidence never gives it in US$. Evidence names the region, the years and the SIPRI release of every figure."
    ),
)


def rules_text() -> str:
    """The verdict rules above, as plain text for the briefing's methods appendix; in another
    language, the translated :data:`RULES`, numbered as in the docstring."""
    if language() != "en":
        return "\n".join(f"{k}. {_(rule)}" for k, rule in enumerate(RULES, 1))
    doc = __doc__ or ""
    start = doc.index("Verdict rules")
    body = doc[start:].split("\n", 2)[2]
    return "\n".join(line.strip() for line in body.strip().splitlines())


# --------------------------------------------------------------------------- inputs and results
@dataclass
class Inputs:
    """Everything the checks read. ``transfers`` is one release (the primary); ``releases`` maps
    other release labels ("March 2024") to their transfers tables; ``orders`` stacks every
    register; ``events``, ``systems`` and ``system_users`` are the curated tables."""

    transfers: pd.DataFrame
    orders: pd.DataFrame
    events: pd.DataFrame
    deaths: pd.DataFrame | None
    credit: str
    extra: dict[str, Any] = field(default_factory=dict)
    systems: pd.DataFrame | None = None
    system_users: pd.DataFrame | None = None
    releases: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: What :meth:`designations` and :meth:`delivery_span` found (the tables are not changed
    #: once the inputs are made; a claims file checks dozens of values against them).
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def release(self) -> str:
        return tr.release_label(self.transfers)

    def designations(self) -> list[str]:
        """Every designation a claim may name: the registers' and the curated systems', sorted."""
        if "designations" not in self.memo:
            out = set(self.orders["designation"].dropna())
            if self.systems is not None:
                out |= set(self.systems["designation"])
            self.memo["designations"] = sorted(out)
        return list(self.memo["designations"])

    def delivery_span(self, release: str | None) -> tuple[int, int] | None:
        """The first and last delivery year the register ``release`` gives its orders (None
        when it gives none)."""
        key = ("delivery_span", release or self.release())
        if key not in self.memo:
            ys = [y for s in self.orders_of(release)["delivery_years"] for y in years_of(s)]
            self.memo[key] = (min(ys), max(ys)) if ys else None
        return self.memo[key]

    def transfers_of(self, release: str | None) -> pd.DataFrame:
        if release is None or release == self.release():
            return self.transfers
        return self.releases[release]

    def orders_of(self, release: str | None) -> pd.DataFrame:
        return self.orders[self.orders["release"] == (release or self.release())]

    def release_labels(self) -> list[str]:
        return sorted({self.release(), *self.releases, *self.orders["release"].dropna().unique()})


@dataclass(frozen=True)
class Part:
    label: str
    status: str


@dataclass(frozen=True)
class Result:
    verdict: str
    evidence: str
    figures: dict[str, Any]
    sources: tuple[str, ...]
    parts: tuple[Part, ...] = ()


def combine(statuses: Iterable[str]) -> str:
    """Rule 2: the verdict from the parts' statuses."""
    s = list(statuses)
    if not s:
        return NOT_CHECKABLE
    if all(x == HOLDS for x in s):
        return SUPPORTED
    if any(x in (HOLDS, MIXED) for x in s):
        return PARTLY
    if any(x == FAILS for x in s):
        return CONTRADICTED
    return NOT_CHECKABLE


def result_of(parts: list[Part], evidence: str, figures: dict, sources: Iterable[str]) -> Result:
    out: list[str] = []
    for s in sources:
        if s and s not in out:
            out.append(s)
    return Result(combine(p.status for p in parts), clean_text(evidence), figures, tuple(out), tuple(parts))


def clean_text(text: str) -> str:
    """Runs of white space as one space, keeping French typography's no-break spaces."""
    return re.sub(r"[^\S\u00a0\u202f]+", " ", text).strip()


# --------------------------------------------------------------------------- small helpers
def release_name(release: str) -> str:
    """A release label ('March 2025') in the current language ('mars 2025'): :func:`analysis.fmt.release_name`."""
    return fmt.release_name(release)


def sipri(release: str) -> str:
    return _("SIPRI Arms Transfers Database, {release} release").format(release=release_name(release))


def sipri_release(release: str) -> str:
    """ "SIPRI's March 2025 release", for the inside of a sentence."""
    return _("SIPRI's {release} release").format(release=release_name(release))


#: The labels :func:`region_meanings` gives the meanings of "Africa" (English: they are also
#: the keys of the figures), translated where a sentence uses them (:class:`Place`).
SPECIAL_REGIONS: dict[str, str] = {
    "SIPRI's Africa (without Egypt)": N_("SIPRI's Africa (without Egypt)"),
    "sub-Saharan Africa": "",  # :func:`analysis.fmt.region_name` says it
    "Africa with Egypt": N_("Africa with Egypt"),
}


class Place:
    """A region meaning of :func:`region_meanings` in a sentence; format specs as
    :class:`analysis.fmt.Named` (``{region}``, ``{region:the}``, ``{region:de}``, ``{region:a}``,
    capitalised at a sentence's start). English prose has always used the bare label."""

    def __init__(self, label: str, selection: Any) -> None:
        self.label, self.selection = label, selection

    def __format__(self, spec: str) -> str:
        low = spec.lower()
        if language() == "en":
            if low not in ("", "the", "le", "poss", "de", "a"):
                raise ValueError(f"unknown name form {spec!r}")
            text = {"de": "of ", "a": "in "}.get(low, "") + self.label
        elif self.label in SPECIAL_REGIONS:
            # French: "(l’)Afrique ...": every meaning of "Africa" starts with a vowel
            said = _(SPECIAL_REGIONS[self.label]) if SPECIAL_REGIONS[self.label] else fmt.region_name("Sub-Saharan Africa")
            bare = said.removeprefix("l’").removeprefix("l'")
            le = "l’" + bare
            text = {"de": "de " + le, "poss": "de " + le, "a": "en " + bare}.get(low, le if low else bare)
        elif isinstance(self.selection, list):
            return fmt.listing([format(fmt.Named(x), low) for x in self.selection])
        else:
            return format(fmt.Named(self.selection), spec)
        return text[:1].upper() + text[1:] if spec[:1].isupper() else text


class Places:
    """Several :class:`Place` (or :class:`analysis.fmt.Named`) in a sentence, listed ('of A and of B' in French)."""

    def __init__(self, places: Iterable[Any], conj: str = "and") -> None:
        self.places, self.conj = list(places), conj

    def __format__(self, spec: str) -> str:
        text = fmt.listing([format(p, spec.lower()) for p in self.places], self.conj)
        return text[:1].upper() + text[1:] if spec[:1].isupper() else text


def display(x: str) -> str:
    return regions.display_name(x) if not regions.is_region(x) else x


def region_meanings(recipients: str | list[str]) -> list[tuple[str, Any]]:
    """Rule 3: every region a name could mean, as (label for prose, selection)."""
    if isinstance(recipients, list):
        return [(fmt.listing([display(r) for r in recipients]), recipients)]
    if recipients == "Africa":
        return [
            ("SIPRI's Africa (without Egypt)", "Africa"),
            ("sub-Saharan Africa", "Sub-Saharan Africa"),
            ("Africa with Egypt", ["Africa", "Egypt"]),
        ]
    if regions.is_region(recipients):
        canon = regions.region_label(recipients) or recipients
        label = {"Africa": "SIPRI's Africa (without Egypt)", "Sub-Saharan Africa": "sub-Saharan Africa"}.get(canon, canon)
        return [(label, canon)]
    return [(display(recipients), recipients)]


def identified_shares(t: pd.DataFrame, recipients: Any, years: tuple[int, int]) -> pd.DataFrame:
    """Supplier shares (percent of the whole volume) with ranks among identified suppliers
    only (rule 4); unknown suppliers keep their share and get no rank. Checks look suppliers
    up by SIPRI's spelling (``supplier_sipri``, what :func:`analysis.regions.resolve` gives)."""
    sh = tr.supplier_shares(t, recipients, years).copy()
    known = sh["supplier_sipri"] != UNKNOWN_SUPPLIER
    sh["rank"] = pd.NA
    sh.loc[known, "rank"] = sh.loc[known, "tiv"].rank(ascending=False, method="min").astype(int)
    return sh.sort_values(["tiv", "supplier_sipri"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def latest_windows(t: pd.DataFrame, n: int = 2, width: int = 5) -> list[tuple[int, int]]:
    _lo, hi = tr.coverage(t)
    return tr.windows(hi - n * width + 1, hi, width)


def rank_words(rank: Any) -> str:
    if rank is None or (isinstance(rank, float) and math.isnan(rank)) or rank is pd.NA:
        return "not among the suppliers"
    r = int(rank)
    return "the largest identified supplier" if r == 1 else f"the {fmt.ordinal(r)}-largest identified supplier"


def window_of(years: list[int]) -> tuple[int, int]:
    """A claim's ``[first, last]`` years as a window; ``analysis.claims`` has checked it is a pair."""
    return cast("tuple[int, int]", tuple(years))


def years_of(s: object) -> list[int]:
    return [int(y) for y in str(s or "").split("; ") if y.strip()]


def estimated(n: Any, est: Any) -> str:
    if n is None or n is pd.NA or (isinstance(n, float) and math.isnan(n)):
        return _("an unknown number")
    return _("an estimated {n}").format(n=fmt.num(n)) if est is not pd.NA and bool(est) else fmt.num(n)


def event_sources(rows: pd.DataFrame) -> list[str]:
    urls: list[str] = []
    for _i, r in rows.iterrows():
        for c in ("source_url", "source_url_2"):
            u = str(r.get(c, "") or "").strip()
            if u and u not in urls:
                urls.append(u)
    return urls


def long_date(date: str) -> str:
    """'2024-09-02' -> '2 September 2024'; '2023-03' -> 'March 2023'; '2014' -> '2014'
    (:func:`analysis.fmt.long_date`, for a date as events.csv writes it)."""
    return fmt.long_date(str(date)[:10])


#: Labels that open a point of disagreement in events.csv's conflict_note, and how to say them.
DISPUTE_LABELS = {
    "Date": N_("the date"),
    "Start date": N_("the start date"),
    "Count": N_("the number"),
    "Counts": N_("the numbers"),
    "Toll": N_("the toll"),
    "Type": N_("the type"),
    "Funding": N_("the funding"),
    "Size": N_("the size"),
    "Recipient": N_("the recipient"),
    "Contract size": N_("the contract size"),
    "Quote": N_("who said what"),
    "Nature of text": N_("the kind of text signed"),
}


def disputes(row: pd.Series) -> str:
    """Rule 8: one short clause naming what curated sources disagree on ('' if nothing)."""
    if str(row.get("status", "")) != "conflict":
        return ""
    note = str(row.get("conflict_note", ""))
    found = [v for k, v in DISPUTE_LABELS.items() if re.search(rf"(^|[.;]\s+){re.escape(k)}\b", note)]
    found = [_(x) for x in dict.fromkeys(found)]
    if not found:
        return _("curated sources differ on some details")
    return _("curated sources differ on {points}").format(points=fmt.listing(found))


def event_row(i: Inputs, event_id: str) -> pd.Series | None:
    rows = i.events[i.events["event_id"] == event_id]
    return rows.iloc[0] if len(rows) else None


def event_title(row: pd.Series) -> str:
    """A curated event's title as evidence quotes it: in the current language where the
    curated table has it (``title_fr``), else the English title (the checks match the
    English record; only the quoted title follows the reader's language)."""
    if language() != "en":
        other = row.get(f"title_{language()}")
        if isinstance(other, str) and other.strip():
            return other.strip()
    return str(row["title"])


def category_shown(category: str) -> str:
    """A SIPRI armament category inside a sentence of the current language: 'armoured vehicles'
    (French: 'véhicules blindés')."""
    text = _(category)
    return text[:1].lower() + text[1:]


def event_start(row: pd.Series) -> pd.Timestamp:
    s = row.get("start")
    if s is None or pd.isna(s):
        s = pd.to_datetime(str(row["date"])[:10], format="mixed", errors="coerce")
    return pd.Timestamp(s)
