"""The briefing's parameters: one type, one set of checks, one set of defaults from the data.

``briefing build``, ``briefing batch`` and the first cell of every notebook go through the same
two steps, so a parameter means the same everywhere and a name is resolved once:

1. :func:`check` reads values as they come (strings from the command line, papermill's guessed
   types such as ``-p start 2000`` -> int or ``-p recipient 007`` -> int 7) and returns a
   :class:`Params` with canonical SIPRI names, ints and ISO dates. An unknown parameter, an
   unknown name, a region where a country is needed, a bad year or date each raise one
   ParameterError or UnknownNameError with a one-line message that says how to fix it.
2. :func:`resolve` fills every parameter left as ``None`` ("from the data") from the tidy
   transfers and the curated tables:

   * ``region``: the recipient's own SIPRI region (Africa; the Middle East for Egypt);
   * ``subregions``: the groupings inside that region that hold the recipient, from the widest
     to the narrowest: sub-Saharan Africa, its African Union sub-region (e.g. West Africa) and
     the G5 Sahel where it is one of the five;
   * ``peers``: up to two other states of the recipient's smallest curated group (the AES for
     Mali) or else of its sub-region, those with the largest imports of major arms (TIV) over
     the last ten years of the release;
   * ``rivals``: the four largest identified state suppliers of ``region`` in the last 5-year
     window, other than ``supplier``;
   * ``former_power``: the recipient's former colonial power(s), from
     ``data/curated/former_powers.csv`` (none where the table has none);
   * ``agreement_date``: the newest curated agreement between the recipient and the supplier
     (``data/curated/events.csv``, category ``agreement``), or none;
   * ``end``: the last delivery year of the primary SIPRI release.

An empty string means "none" for the lists and for ``agreement_date``; ``None`` means "from the
data". Notebooks call :func:`from_notebook` on their namespace, which also fails on a parameter
the notebook does not know (papermill itself only warns).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by the functions that read data, so `briefing --help` stays fast
    import pandas as pd

from analysis import i18n
from analysis.errors import BriefingError, ParameterError, UnknownNameError

MIN_YEARS = 5  # the briefing compares 5-year windows ending at ``end``
DEFAULT_START = 2000
PEER_YEARS = 10  # peers are chosen by their imports over the release's last ten years
MAX_PEERS = 2
MAX_RIVALS = 4


@dataclasses.dataclass(frozen=True)
class Params:
    """The briefing's parameters. Names are canonical SIPRI names; lists are tuples; ``None``
    means "from the data" (see :func:`resolve`) and ``()`` or ``""`` means none."""

    recipient: str = "Mali"
    supplier: str = "China"
    region: str | None = None
    subregions: tuple[str, ...] | None = None
    peers: tuple[str, ...] | None = None
    rivals: tuple[str, ...] | None = None
    former_power: tuple[str, ...] | None = None
    start: int = DEFAULT_START
    end: int | None = None
    agreement_date: str | None = None
    lang: str = "en"

    @property
    def years(self) -> tuple[int, int]:
        if self.end is None:
            raise ParameterError("end is not resolved yet: call params.resolve first")
        return (self.start, self.end)

    def is_resolved(self) -> bool:
        return all(getattr(self, f.name) is not None for f in dataclasses.fields(self))


NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Params))
#: Parameters that only the notebooks take (where their key figures go).
NOTEBOOK_ONLY: tuple[str, ...] = ("outputs",)
DESCRIPTIONS: dict[str, str] = {
    "recipient": 'the recipient state, e.g. Mali, Niger, "Côte d\'Ivoire"',
    "supplier": "the supplier state, e.g. China, Russia, Türkiye",
    "region": "SIPRI region or group for the supplier's regional standing (default: the recipient's own region)",
    "subregions": "comma-separated groupings also checked (default: those inside the region that hold the recipient)",
    "peers": "comma-separated states compared with the recipient (default: two neighbours with the most imports)",
    "rivals": "comma-separated suppliers compared with the supplier (default: the region's four largest others)",
    "former_power": "comma-separated former colonial power(s) (default: data/curated/former_powers.csv)",
    "start": "first year of the 5-year windows",
    "end": "last year (default: the last year of the SIPRI release)",
    "agreement_date": "date of an agreement the briefing is about, YYYY-MM-DD (default: the newest curated one)",
    "lang": "language of the briefing: en (default) or fr",
    "outputs": "folder for the notebooks' key-figures JSON (default: a temporary folder)",
}


# --------------------------------------------------------------------------- checks
def _one_name(value: Any, what: str) -> str:
    """A country name -> its canonical SIPRI name."""
    from analysis import regions

    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"{what} must be a country name, got {value!r}; quote it, e.g. --{what.replace('_', '-')} Mali")
    v = value.strip()
    if regions.is_region(v):
        raise ParameterError(f"{what} must be one country, got the region {regions.display_name(v)!r}")
    try:
        return regions.canonical_name(regions.resolve(v))
    except UnknownNameError as exc:
        raise UnknownNameError(f"{what}: {exc}") from None
    except ParameterError as exc:
        raise ParameterError(f"{what}: {exc}") from None


def _items(value: Any, what: str) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,;]", value) if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    raise ParameterError(f"{what} must be comma-separated names like 'Burkina Faso, Niger', got {value!r}")


def _name_list(value: Any, what: str, *, regions_allowed: bool = False) -> tuple[str, ...] | None:
    """Comma-separated names (or a list) -> canonical names without repeats; None stays None
    (from the data) and an empty string is the empty tuple (none)."""
    from analysis import regions

    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return ()
    items = _items(value, what)
    if not items and isinstance(value, str):
        raise ParameterError(f"{what} holds only separators: give names separated by commas, or an empty string for none")
    out: list[str] = []
    for item in items:
        if regions_allowed and regions.is_region(item):
            name = regions.display_name(item)
        else:
            name = _one_name(item, what)
        if name not in out:
            out.append(name)
    return tuple(out)


def _region(value: Any) -> str | None:
    from analysis import regions

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ParameterError(f"region must be a SIPRI region or group such as Africa or West Africa, got {value!r}")
    if regions.is_region(value):
        return regions.display_name(value)
    try:
        name = regions.resolve(value)
    except UnknownNameError as exc:
        raise UnknownNameError(f"region: {exc}") from None
    raise ParameterError(
        f"region: {value!r} is a country ({regions.display_name(name)}); give a region or group such as "
        f"Africa, Sub-Saharan Africa or West Africa (see `briefing data countries`)"
    )


def _year(value: Any, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ParameterError(f"{what} must be a year such as 2000, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        return int(value)
    if isinstance(value, str) and not value.strip():
        return None
    raise ParameterError(f"{what} must be a year such as 2000, got {value!r}")


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text == "":
        return ""  # no particular agreement: the deal section describes the deals only
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise ParameterError(
            f"agreement_date must be a date written YYYY-MM-DD, such as 2024-09-02, or empty for none; got {value!r}"
        ) from None


def unknown_parameter(name: str, known: Iterable[str] = NAMES) -> ParameterError:
    """The error for a parameter nobody takes, with the closest known names."""
    known = list(known)
    close = difflib.get_close_matches(name, known, n=2, cutoff=0.5)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    return ParameterError(f"unknown parameter {name!r}: {hint}the parameters are {', '.join(known)}")


def check(values: Mapping[str, Any] | None = None, *, coverage: Callable[[], tuple[int, int]] | None = None) -> Params:
    """Check ``values`` (any subset of :data:`NAMES`; missing ones take the defaults of
    :class:`Params`) and return them normalised. ``coverage`` gives the first and last delivery
    year of the primary release (default: read from the data)."""
    values = dict(values or {})
    for k in values:
        if k not in NAMES:
            raise unknown_parameter(k)
    d = Params()
    get = lambda k: values.get(k, getattr(d, k))  # noqa: E731 - a local shorthand
    recipient = _one_name(get("recipient"), "recipient")
    supplier = _one_name(get("supplier"), "supplier")
    if recipient == supplier:
        raise ParameterError(f"recipient and supplier are both {recipient}: give two different countries")
    start = _year(get("start"), "start")
    start = DEFAULT_START if start is None else start
    end = _year(get("end"), "end")
    lo, hi = (coverage or _coverage)()
    last = hi if end is None else end
    if start > last:
        raise ParameterError(f"start {start} is after end {last}: give start <= end")
    if start < lo or last > hi:
        raise ParameterError(f"years {start}-{last} lie outside the data's delivery years {lo}-{hi}; choose years inside them")
    if last - start + 1 < MIN_YEARS:
        raise ParameterError(
            f"years {start}-{last} are shorter than one {MIN_YEARS}-year window; "
            f"give at least {MIN_YEARS} years (e.g. --start {last - MIN_YEARS + 1})"
        )
    peers = _name_list(get("peers"), "peers")
    rivals = _name_list(get("rivals"), "rivals")
    former = _name_list(get("former_power"), "former_power")
    return Params(
        recipient=recipient,
        supplier=supplier,
        region=_region(get("region")),
        subregions=_name_list(get("subregions"), "subregions", regions_allowed=True),
        peers=tuple(x for x in peers if x != recipient) if peers is not None else None,
        rivals=tuple(x for x in rivals if x != supplier) if rivals is not None else None,
        former_power=former,
        start=start,
        end=end,
        agreement_date=_date(get("agreement_date")),
        lang=i18n.check_language(get("lang")),
    )


def _coverage() -> tuple[int, int]:
    from analysis import data
    from analysis import transfers as tr

    return tr.coverage(data.transfers())


# --------------------------------------------------------------------------- defaults from the data
def home_region(recipient: str) -> str:
    """The recipient's SIPRI region ('Africa'; 'Middle East' for Egypt); 'Africa' when the
    curated table gives none."""
    from analysis import regions

    c = regions.countries()
    row = c[c["sipri_name"] == recipient]
    region = str(row["sipri_region"].iloc[0]) if len(row) else ""
    return region if region and regions.is_region(region) else "Africa"


def subregions_of(recipient: str, region: str) -> tuple[str, ...]:
    """The groupings inside ``region`` that hold ``recipient``, widest first: sub-Saharan
    Africa, the African Union sub-region, and the G5 Sahel."""
    from analysis import regions

    try:
        inside = set(regions.members(region, include_non_state=False))
    except BriefingError:
        return ()
    c = regions.countries()
    row = c[c["sipri_name"] == recipient]
    sub = str(row["subregion"].iloc[0]) if len(row) else ""
    candidates = [regions.SUB_SAHARAN, sub, "Sahel"]
    out: list[str] = []
    for cand in candidates:
        if not cand or not regions.is_region(cand) or cand == region or cand in out:
            continue
        members = set(regions.members(cand, include_non_state=False))
        if recipient in members and members <= inside and members != inside:
            out.append(cand)
    return tuple(out)


def _smallest_group(recipient: str) -> list[str]:
    from analysis import regions

    g = regions.groups()
    mine = g.loc[g["member"] == recipient, "group"].unique()
    sizes = sorted((int((g["group"] == x).sum()), str(x)) for x in mine)
    for _size, name in sizes:
        others = [m for m in g.loc[g["group"] == name, "member"] if m != recipient]
        if len(others) >= MAX_PEERS:
            return others
    return []


def peers_of(t: pd.DataFrame, recipient: str, years: tuple[int, int], n: int = MAX_PEERS) -> tuple[str, ...]:
    """Up to ``n`` states near ``recipient``: the other members of its smallest curated group
    with at least ``n`` others (AES for Mali), else of its sub-region; those with the largest
    imports of major arms (TIV) in ``years``, largest first. States that imported nothing are
    left out; a state with no neighbours gets none."""
    from analysis import regions
    from analysis import transfers as tr

    neighbours = _smallest_group(recipient)
    if not neighbours:
        c = regions.countries()
        row = c[c["sipri_name"] == recipient]
        sub = str(row["subregion"].iloc[0]) if len(row) else ""
        if not sub or not regions.is_region(sub):
            return ()
        neighbours = [m for m in regions.members(sub, include_non_state=False) if regions.canonical_name(m) != recipient]
    if not neighbours:
        return ()
    s = tr.select(t, recipients=neighbours, years=years)
    tiv = s.groupby(s["recipient"].map(regions.canonical_name))["tiv_delivered"].sum()
    tiv = tiv[tiv > 0].sort_values(ascending=False, kind="mergesort")
    return tuple(str(x) for x in tiv.index[:n])


def rivals_of(t: pd.DataFrame, supplier: str, region: str, years: tuple[int, int], n: int = MAX_RIVALS) -> tuple[str, ...]:
    """The ``n`` largest identified state suppliers of ``region`` in ``years`` by TIV, other
    than ``supplier`` (SIPRI's 'unknown supplier(s)' and organisations are never rivals)."""
    from analysis import regions
    from analysis import transfers as tr

    s = tr.select(t, recipients=region, years=years)
    tiv = s.groupby(s["supplier"].map(regions.canonical_name))["tiv_delivered"].sum()
    tiv = tiv[tiv > 0].sort_values(ascending=False, kind="mergesort")
    out = [str(x) for x in tiv.index if x != supplier and regions.kind(str(x)) == "state"]
    return tuple(out[:n])


def former_powers(recipient: str) -> tuple[str, ...]:
    """The recipient's former colonial power(s) from data/curated/former_powers.csv, as
    canonical SIPRI names; () where the table lists none or the table is absent."""
    from analysis import context

    table = context.former_powers()
    rows = table[(table["country"] == recipient) & (table["former_power"] != "")]
    return tuple(dict.fromkeys(rows["former_power"]))


def agreement_dates(recipient: str, supplier: str) -> list[str]:
    """ISO dates (day precision) of the curated agreements between ``recipient`` and
    ``supplier``, oldest first (data/curated/events.csv, category ``agreement``, whose
    ``supplier`` field names the supplier)."""
    from analysis import context, regions

    e = context.events(recipient, category="agreement", supplier=supplier)
    here = e["country"].isin({recipient, regions.display_name(recipient)})
    days = e.loc[here & (e["date_precision"] == "day"), "date"].str.slice(0, 10)
    return sorted(set(days))


def resolve(p: Params, t: pd.DataFrame | None = None) -> Params:
    """Fill every parameter left as ``None`` from the data (see the module docstring). ``t``
    is the primary release's tidy transfers (default: :func:`analysis.data.transfers`)."""
    from analysis import data
    from analysis import transfers as tr

    if p.is_resolved():
        return p
    t = data.transfers() if t is None else t
    lo, hi = tr.coverage(t)
    end = hi if p.end is None else p.end
    region = p.region or home_region(p.recipient)
    last10 = (max(lo, end - PEER_YEARS + 1), end)
    last5 = (end - MIN_YEARS + 1, end)
    dates = agreement_dates(p.recipient, p.supplier) if p.agreement_date is None else []
    return dataclasses.replace(
        p,
        end=end,
        region=region,
        subregions=subregions_of(p.recipient, region) if p.subregions is None else p.subregions,
        peers=peers_of(t, p.recipient, last10) if p.peers is None else p.peers,
        rivals=rivals_of(t, p.supplier, region, last5) if p.rivals is None else p.rivals,
        former_power=former_powers(p.recipient) if p.former_power is None else p.former_power,
        agreement_date=(dates[-1] if dates else "") if p.agreement_date is None else p.agreement_date,
    )


def defaults() -> Params:
    """The default briefing's parameters, resolved."""
    return resolve(check({}))


# --------------------------------------------------------------------------- notebooks
#: Names IPython puts in a notebook's namespace by itself.
_IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "open"})


def notebook_values(p: Params, outputs: str = "") -> dict[str, Any]:
    """The papermill parameters of every notebook for ``p`` (resolved): lists as
    comma-separated strings, none as ""."""
    if not p.is_resolved():
        raise ParameterError("notebook parameters need resolved parameters: call params.resolve first")
    out: dict[str, Any] = {}
    for name in NAMES:
        v = getattr(p, name)
        out[name] = ", ".join(v) if isinstance(v, tuple) else v
    out["outputs"] = outputs
    return out


def from_notebook(namespace: Mapping[str, Any]) -> Params:
    """A notebook's parameters from its namespace after papermill's injected cell: checked and
    resolved. Raises ParameterError for a name papermill injected that no notebook takes."""
    import types

    values: dict[str, Any] = {}
    for k, v in namespace.items():
        if k.startswith("_") or k in _IPYTHON_NAMES or isinstance(v, (types.ModuleType, types.FunctionType, type)):
            continue
        if k in NOTEBOOK_ONLY:
            continue
        if k not in NAMES:
            raise unknown_parameter(k, [*NAMES, *NOTEBOOK_ONLY])
        values[k] = v
    p = resolve(check(values))
    i18n.set_language(p.lang)
    return p


# --------------------------------------------------------------------------- output names
def slugify(text: object) -> str:
    """'Côte d'Ivoire' -> 'cote-divoire'."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"['\u2019`]", "", s)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-") or "x"


def output_name(p: Params, default: Params | None = None) -> str:
    """``briefing`` for the default parameters, ``briefing-<recipient>-<supplier>[-<region>]
    [-<start>-<end>]`` otherwise. Both must be resolved."""
    d = default if default is not None else defaults()
    if p.lang != d.lang:
        suffix = f"-{p.lang}" if p.lang != "en" else ""
        return output_name(dataclasses.replace(p, lang=d.lang), d) + suffix
    if p == d:
        return "briefing"
    parts = ["briefing", slugify(p.recipient), slugify(p.supplier)]
    if p.region != home_region(p.recipient):
        parts.append(slugify(p.region))
    if (p.start, p.end) != (d.start, d.end):
        parts += [str(p.start), str(p.end)]
    return "-".join(parts)
