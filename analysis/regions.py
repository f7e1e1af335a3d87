"""Country names, SIPRI regions and country groups.

Everything here reads two curated tables in ``data/curated`` (see the README there):

* ``countries.csv`` - one row per entity name that SIPRI uses as a recipient or supplier, spelt exactly
  as in the SIPRI export (``sipri_name``), with a display name, ISO 3166-1 alpha-3 code, kind
  (state, non-state, organisation, unknown), SIPRI region and sub-region, aliases users type, and
  ``same_as`` (for a second SIPRI spelling of the same entity, the canonical ``sipri_name``).
* ``groups.csv`` - named groups of states (Sahel, AES, ECOWAS) with their sources.

Conventions (SIPRI's):

* SIPRI's Africa excludes Egypt (counted in the Middle East). North Africa is Algeria, Libya,
  Morocco and Tunisia; the rest of Africa is sub-Saharan Africa.
* Organisations (names ending ``**``) are never members of a region or group.
* Non-state actors (names ending ``*``) count in the region where they operate, unless
  ``include_non_state=False``.
* A region or group expands to every SIPRI spelling of its members (e.g. both ``UAE`` and
  ``United Arab Emirates``), so the result can filter any SIPRI release directly.

Names in results (the convention of :mod:`analysis.transfers` and :mod:`analysis.deals`):
:func:`with_display_names` puts the display name in a column (``supplier``: ``United Arab
Emirates``, ``Türkiye``, ``European Union``) and SIPRI's own spelling, with its marks, beside it
(``supplier_sipri``: ``UAE``, ``Turkiye``, ``European Union**``). Every function here accepts
either spelling, so a name read from a result can be passed back in. Compare names with
:func:`same_entity`, which matches any spelling of the same entity, rather than with ``==``.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.errors import MissingSourceError, ParameterError, UnknownNameError, ValidationError

__all__ = [
    "CURATED_DIR",
    "KINDS",
    "SIPRI_REGIONS",
    "canonical_name",
    "canonical_names",
    "countries",
    "display_name",
    "display_names",
    "groups",
    "is_region",
    "iso3",
    "kind",
    "known_display_name",
    "members",
    "region_names",
    "resolve",
    "resolve_selection",
    "same_entity",
    "variants",
    "with_display_names",
]

CURATED_DIR: Path = paths.CURATED

COLUMNS: tuple[str, ...] = ("sipri_name", "name", "iso3", "kind", "sipri_region", "subregion", "aliases", "same_as")
GROUP_COLUMNS: tuple[str, ...] = ("group", "member", "source_url", "note")
KINDS: frozenset[str] = frozenset({"state", "non-state", "organisation", "unknown"})

#: SIPRI's regions and the sub-regions SIPRI uses inside each (Milex workbook headings; Africa's
#: sub-Saharan split follows the African Union's regions, see data/curated/README.md).
SIPRI_REGIONS: dict[str, tuple[str, ...]] = {
    "Africa": ("North Africa", "West Africa", "Central Africa", "East Africa", "Southern Africa"),
    "Americas": ("Central America and the Caribbean", "North America", "South America"),
    "Asia and Oceania": ("Central Asia", "East Asia", "Oceania", "South Asia", "South East Asia"),
    "Europe": ("Central Europe", "Eastern Europe", "Western Europe"),
    "Middle East": (),
}
SUB_SAHARAN = "Sub-Saharan Africa"
_SUB_SAHARAN_PARTS = ("West Africa", "Central Africa", "East Africa", "Southern Africa")

# Other ways people write region and group names (matched after normalisation).
_REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "Africa": ("African states", "SIPRI Africa"),
    "North Africa": ("Northern Africa",),
    SUB_SAHARAN: ("SSA", "Subsaharan Africa", "Africa south of the Sahara", "sub Saharan"),
    "West Africa": ("Western Africa",),
    "East Africa": ("Eastern Africa",),
    "Asia and Oceania": ("Asia & Oceania", "Asia-Pacific", "Asia Pacific"),
    "Central America and the Caribbean": ("Caribbean", "Central America"),
    "South East Asia": ("Southeast Asia", "South-East Asia", "SE Asia"),
    "Middle East": ("Mideast",),
    "Sahel": ("G5 Sahel", "G5", "Sahel G5", "G5S"),
    "AES": ("Alliance of Sahel States", "Alliance des Etats du Sahel", "Confederation of Sahel States", "Sahel Alliance"),
    "ECOWAS": ("CEDEAO", "Economic Community of West African States"),
}

_HELP = "(see `briefing data countries`)"


# --------------------------------------------------------------------------------------------
# normalisation


def _norm(text: str) -> str:
    """Key for forgiving matches: no accents, case-folded, punctuation and spacing flattened."""
    s = unicodedata.normalize("NFKD", text)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = s.replace("&", " and ")
    s = re.sub(r"[-_/,'\u2018\u2019`\u00b4]", " ", s)
    s = s.replace(".", "")
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"^the ", "", s)


def _check_name(name: object, what: str = "name") -> str:
    if not isinstance(name, str):
        raise ParameterError(f"{what} must be a string, got {type(name).__name__}")
    if not name.strip():
        raise ParameterError(f"{what} is empty: give a country, region or group name")
    return name.strip()


# --------------------------------------------------------------------------------------------
# tables


@functools.lru_cache(maxsize=1)
def _load_countries() -> pd.DataFrame:
    path = CURATED_DIR / "countries.csv"
    if not path.is_file():
        raise MissingSourceError(f"{path} is missing: the curated country table ships with the repository")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    _validate_countries(df, path)
    return df


def _validate_countries(df: pd.DataFrame, path: Path) -> None:
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValidationError(f"{path.name}: missing columns {', '.join(missing)}")
    dup = df.loc[df["sipri_name"].duplicated(), "sipri_name"].tolist()
    if dup:
        raise ValidationError(f"{path.name}: duplicate sipri_name {', '.join(dup[:5])}")
    if (df["sipri_name"] == "").any() or (df["name"] == "").any():
        raise ValidationError(f"{path.name}: empty sipri_name or name")
    bad_kind = sorted(set(df["kind"]) - KINDS)
    if bad_kind:
        raise ValidationError(f"{path.name}: unknown kind {', '.join(bad_kind)}")
    bad_region = sorted(set(df["sipri_region"]) - set(SIPRI_REGIONS) - {""})
    if bad_region:
        raise ValidationError(f"{path.name}: unknown sipri_region {', '.join(bad_region)}")
    for row in df.itertuples(index=False):
        if row.subregion and row.subregion not in SIPRI_REGIONS.get(row.sipri_region, ()):
            raise ValidationError(f"{path.name}: {row.sipri_name}: subregion {row.subregion!r} is not in {row.sipri_region!r}")
        if row.sipri_region == "Africa" and not row.subregion:
            raise ValidationError(f"{path.name}: {row.sipri_name}: African entity without a subregion")
        if row.kind == "organisation" and row.sipri_region:
            raise ValidationError(f"{path.name}: {row.sipri_name}: organisations have no region")
        if row.iso3 and not re.fullmatch(r"[A-Z]{3}", row.iso3):
            raise ValidationError(f"{path.name}: {row.sipri_name}: bad iso3 {row.iso3!r}")
        if row.sipri_name.endswith("**") and row.kind != "organisation":
            raise ValidationError(f"{path.name}: {row.sipri_name}: a '**' name must be an organisation")
        if row.sipri_name.endswith("*") and not row.sipri_name.endswith("**") and row.kind != "non-state":
            raise ValidationError(f"{path.name}: {row.sipri_name}: a '*' name must be non-state")
    names = set(df["sipri_name"])
    for row in df.loc[df["same_as"] != ""].itertuples(index=False):
        if row.same_as not in names or row.same_as == row.sipri_name:
            raise ValidationError(f"{path.name}: {row.sipri_name}: same_as {row.same_as!r} is not another sipri_name")
    canon = df[(df["kind"] == "state") & (df["same_as"] == "") & (df["iso3"] != "")]
    dup_iso = canon.loc[canon["iso3"].duplicated(), "iso3"].tolist()
    if dup_iso:
        raise ValidationError(f"{path.name}: iso3 used by more than one state: {', '.join(dup_iso)}")


@functools.lru_cache(maxsize=1)
def _load_groups() -> pd.DataFrame:
    path = CURATED_DIR / "groups.csv"
    if not path.is_file():
        raise MissingSourceError(f"{path} is missing: the curated groups table ships with the repository")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in GROUP_COLUMNS if c not in df.columns]
    if missing:
        raise ValidationError(f"{path.name}: missing columns {', '.join(missing)}")
    unknown = sorted(set(df["member"]) - set(_load_countries()["sipri_name"]))
    if unknown:
        raise ValidationError(f"{path.name}: members not in countries.csv: {', '.join(unknown)}")
    if df.duplicated(["group", "member"]).any():
        raise ValidationError(f"{path.name}: a member is listed twice in one group")
    return df


def countries() -> pd.DataFrame:
    """The curated country table (``data/curated/countries.csv``), validated.

    One row per SIPRI entity name, columns ``sipri_name, name, iso3, kind, sipri_region,
    subregion, aliases, same_as``; empty cells are empty strings. The file is read and checked
    once (unique ``sipri_name``, known kinds, regions and sub-regions, one ISO3 per state); each
    call returns a fresh copy that the caller may modify.
    """
    return _load_countries().copy()


def groups() -> pd.DataFrame:
    """The curated groups table (``data/curated/groups.csv``): ``group, member, source_url, note``."""
    return _load_groups().copy()


# --------------------------------------------------------------------------------------------
# indexes


@dataclass(frozen=True)
class _Index:
    """Lookup structures built once from the tables (keys are :func:`_norm` keys unless noted)."""

    rows: dict[str, dict[str, str]]  # sipri_name -> row
    canon: dict[str, str]  # sipri_name -> canonical sipri_name
    family: dict[str, list[str]]  # canonical sipri_name -> all its spellings
    exact_norm: dict[str, str]  # normalised sipri_name -> sipri_name
    alias: dict[str, set[str]]  # display names and aliases -> canonical names
    stripped: dict[str, set[str]]  # sipri_name without '*' marks -> canonical names
    compact: dict[str, set[str]]  # any key above with spaces removed -> canonical names
    iso: dict[str, str]  # ISO3 -> canonical state name
    region_keys: dict[str, str]  # region/group names and aliases -> region label


@functools.lru_cache(maxsize=1)
def _index() -> _Index:
    """Lookup structures built once from the tables."""
    df = _load_countries()
    rows = {r["sipri_name"]: r for r in df.to_dict("records")}
    canon = {n: (r["same_as"] or n) for n, r in rows.items()}
    family: dict[str, list[str]] = {}
    for n, c in canon.items():
        family.setdefault(c, []).append(n)

    exact_norm: dict[str, str] = {}
    for n in rows:
        exact_norm.setdefault(_norm(n), n)

    alias: dict[str, set[str]] = {}

    def add(key: str, target: str) -> None:
        k = _norm(key)
        if k:
            alias.setdefault(k, set()).add(canon[target])

    for n, r in rows.items():
        add(r["name"], n)
        for a in r["aliases"].split(";"):
            if a.strip():
                add(a, n)
    # "Libya HoR" for "Libya HoR*", "African Union" for "African Union**" (if not taken)
    stripped: dict[str, set[str]] = {}
    for n in rows:
        if n.endswith("*"):
            stripped.setdefault(_norm(n.rstrip("*")), set()).add(canon[n])

    # last resort: the same keys with spaces removed ("cote divoire", "SouthAfrica")
    compact: dict[str, set[str]] = {}
    for k, n in exact_norm.items():
        compact.setdefault(k.replace(" ", ""), set()).add(canon[n])
    for table in (alias, stripped):
        for k, targets in table.items():
            compact.setdefault(k.replace(" ", ""), set()).update(targets)

    iso: dict[str, str] = {}
    for n, r in rows.items():
        if r["iso3"] and r["kind"] == "state" and not r["same_as"]:
            iso[r["iso3"]] = n

    region_keys: dict[str, str] = {}
    for label in region_names():
        region_keys[_norm(label)] = label
    for label, others in _REGION_ALIASES.items():
        for o in others:
            region_keys.setdefault(_norm(o), label)

    return _Index(rows, canon, family, exact_norm, alias, stripped, compact, iso, region_keys)


def region_names() -> list[str]:
    """Every region, sub-region and group name that :func:`members` accepts, in a fixed order."""
    names: list[str] = []
    for region, subs in SIPRI_REGIONS.items():
        names.append(region)
        if region == "Africa":
            names.append(SUB_SAHARAN)
        names.extend(subs)
    for g in _load_groups()["group"].drop_duplicates():
        if g not in names:
            names.append(g)
    return names


def region_label(name: str) -> str | None:
    return _index().region_keys.get(_norm(name))


def is_region(name: str) -> bool:
    """True if ``name`` (forgivingly matched) is a SIPRI region, sub-region or a curated group."""
    name = _check_name(name)
    return region_label(name) is not None


# --------------------------------------------------------------------------------------------
# resolving single names


def _lookup(name: str) -> str | None:
    """The sipri_name for ``name``, or None. Raises UnknownNameError if the name is ambiguous."""
    ix = _index()
    if name in ix.rows:
        return name
    key = _norm(name)
    if key in ix.exact_norm:
        return ix.exact_norm[key]
    for table in (ix.alias, ix.stripped):
        hits = table.get(key, set())
        if len(hits) == 1:
            return next(iter(hits))
        if len(hits) > 1:
            raise UnknownNameError(f"ambiguous name {name!r}: it could be {', '.join(sorted(hits))}; give the SIPRI name {_HELP}")
    code = name.strip().upper()
    if re.fullmatch(r"[A-Z]{3}", code) and code in ix.iso:
        return ix.iso[code]
    hits = ix.compact.get(key.replace(" ", ""), set())
    if len(hits) == 1:
        return next(iter(hits))
    return None


_CHOICES: list[Any] = [None, {}]  # [the index they come from, normalised key -> label to suggest]


def _suggest(name: str, n: int = 3) -> list[str]:
    """Up to ``n`` display names (or region names) closest to ``name`` (the keys are built once per index)."""
    ix = _index()
    if _CHOICES[0] is not ix:
        pairs = [(_norm(k), r["name"]) for s, r in ix.rows.items() for k in [s, r["name"], *r["aliases"].split(";")] if k]
        _CHOICES[:] = [ix, {**ix.region_keys, **dict(reversed(pairs))}]  # the first row to give a key keeps it
    choices = _CHOICES[1]
    out: list[str] = []
    for k in difflib.get_close_matches(_norm(name), list(choices), n=12, cutoff=0.6):
        label = choices[k]
        if label not in out:
            out.append(label)
        if len(out) == n:
            break
    return out


def _unknown(name: str) -> UnknownNameError:
    close = _suggest(name)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return UnknownNameError(f"unknown country or region {name!r}{hint} {_HELP}")


def resolve(name: str) -> str:
    """The SIPRI name for one country or entity, matched forgivingly.

    Accepts SIPRI's spelling, the display name, any alias (``Ivory Coast``, ``Turkey``, ``DRC``,
    ``USA``), an ISO 3166-1 alpha-3 code (``MLI``), in any case and with or without accents
    (``Côte d'Ivoire`` / ``Cote d'Ivoire``; ``Türkiye`` / ``Turkiye``). A SIPRI name is returned as
    it is (``United Arab Emirates`` stays as spelt in the 2026 China export); aliases and ISO codes
    give the canonical spelling (``ARE`` -> ``UAE``).

    Raises ParameterError for an empty or non-string name and UnknownNameError (one line, with up
    to three close matches) for a name that is not an entity. Region names are not entities: use
    :func:`members` or :func:`resolve_selection` for those.
    """
    name = _check_name(name)
    hit = _lookup(name)
    if hit is None:
        label = region_label(name)
        if label is not None:
            raise UnknownNameError(
                f"{name!r} is a region or group ({label}), not a single country; use members() or resolve_selection()"
            )
        raise _unknown(name)
    return hit


def canonical_name(name: str) -> str:
    """The canonical SIPRI name of an entity: ``United Arab Emirates`` -> ``UAE``, ``Libya GNC`` -> ``Libya``."""
    return _index().canon[resolve(name)]


def variants(name: str) -> list[str]:
    """Every SIPRI spelling of one entity, canonical first (``UAE`` -> ``['UAE', 'United Arab Emirates']``)."""
    c = canonical_name(name)
    fam: list[str] = _index().family[c]
    return [c] + sorted(n for n in fam if n != c)


def _row(name: str) -> dict[str, str]:
    return _index().rows[resolve(name)]


def iso3(name: str) -> str | None:
    """ISO 3166-1 alpha-3 code of an entity (for a non-state actor, of the country where it operates).

    None for organisations, unknowns and historical states without a current ISO code
    (Soviet Union, Yugoslavia, Czechoslovakia, East Germany, North and South Yemen, South Vietnam)
    and for Kosovo (no ISO code; ``XKX`` is user-assigned).
    """
    code = _row(name)["iso3"]
    return code or None


def display_name(name: str) -> str:
    """The name to print: ``Turkiye`` -> ``Türkiye``, ``Cote d'Ivoire`` -> ``Côte d'Ivoire``.

    A region or group name gives its canonical label (``ssa`` -> ``Sub-Saharan Africa``).
    """
    name = _check_name(name)
    hit = _lookup(name)
    if hit is not None:
        return _index().rows[hit]["name"]
    label = region_label(name)
    if label is not None:
        return label
    raise _unknown(name)


def known_display_name(name: str) -> str | None:
    """:func:`display_name` for a name the curated tables know (an entity, a region or a
    group), else None, without building the error and its suggestions: for formatting text
    that may name no entity ("Others", an armament category)."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        hit = _lookup(name.strip())
    except UnknownNameError:  # several entities go by it
        return None
    if hit is not None:
        return _index().rows[hit]["name"]
    return region_label(name.strip())


def kind(name: str) -> str:
    """``state``, ``non-state``, ``organisation`` or ``unknown`` for an entity; ``region`` for a region or group."""
    name = _check_name(name)
    hit = _lookup(name)
    if hit is not None:
        return _index().rows[hit]["kind"]
    if region_label(name) is not None:
        return "region"
    raise _unknown(name)


# --------------------------------------------------------------------------------------------
# names in result columns


@functools.lru_cache(maxsize=4096)
def _entity_of(text: str) -> str | None:
    """The sipri_name of an entity name, or None for text that names no single entity
    (a region, "Others", an armament category) or names several."""
    try:
        return _lookup(text.strip()) if text.strip() else None
    except UnknownNameError:
        return None


def _mapped(values: pd.Series, how: Callable[[str], str]) -> pd.Series:
    """``values`` with each distinct text replaced by ``how(sipri_name)``; anything that names
    no entity (missing values included) is kept as it is. One lookup per distinct value."""
    table: dict[object, object] = {}
    for v in pd.unique(values.dropna()):
        hit = _entity_of(v) if isinstance(v, str) else None
        table[v] = how(hit) if hit is not None else v
    out = values.map(table)
    return out.where(values.notna(), values)


def display_names(values: pd.Series) -> pd.Series:
    """:func:`display_name` of each value (``UAE`` -> ``United Arab Emirates``, ``European
    Union**`` -> ``European Union``); text that names no entity is kept as it is."""
    return _mapped(values, lambda n: _index().rows[n]["name"])


def canonical_names(values: pd.Series) -> pd.Series:
    """The canonical SIPRI name of each value, whichever spelling it is in (``United Arab
    Emirates`` and ``UAE`` -> ``UAE``, ``Türkiye`` -> ``Turkiye``); text that names no entity is
    kept as it is."""
    return _mapped(values, lambda n: _index().canon[n])


def same_entity(values: pd.Series, name: str) -> pd.Series:
    """True where a value names the same entity as ``name`` in any spelling (display name,
    SIPRI's, an alias): ``same_entity(shares["supplier"], "Turkiye")`` matches ``Türkiye``.
    Text that names no entity matches only itself."""
    hit = _entity_of(str(name))
    key = _index().canon[hit] if hit is not None else name
    return canonical_names(values).eq(key).fillna(False).astype(bool)


def with_display_names(df: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``df`` (``attrs`` kept) in which each of ``columns`` holds display names and a
    new column ``<column>_sipri``, right after it, holds SIPRI's spelling as it was, marks
    included (``*`` a non-state actor, ``**`` an organisation; :func:`kind` says which). Columns
    that are absent, or already have their ``_sipri`` column, are left as they are."""
    out = df.copy()
    for col in columns:
        if col not in out.columns or f"{col}_sipri" in out.columns:
            continue
        raw = out[col]
        out.insert(out.columns.get_loc(col) + 1, f"{col}_sipri", raw)
        shown = display_names(raw)
        out[col] = shown.astype(raw.dtype) if str(raw.dtype) == "string" else shown
    out.attrs = dict(df.attrs)
    return out


# --------------------------------------------------------------------------------------------
# regions and selections


def _region_members(label: str, include_non_state: bool) -> list[str]:
    df = _load_countries()
    kinds = {"state", "non-state"} if include_non_state else {"state"}
    eligible = df[df["kind"].isin(kinds)]
    if label in SIPRI_REGIONS:
        sel = eligible[eligible["sipri_region"] == label]
    elif label == SUB_SAHARAN:
        sel = eligible[(eligible["sipri_region"] == "Africa") & eligible["subregion"].isin(_SUB_SAHARAN_PARTS)]
    elif any(label in subs for subs in SIPRI_REGIONS.values()):
        sel = eligible[eligible["subregion"] == label]
    else:  # a curated group of states; non-state actors operating in a member state count too
        g = _load_groups()
        states = set(g.loc[g["group"] == label, "member"])
        canon: dict[str, str] = _index().canon
        states_canon = {canon[s] for s in states}
        in_group = eligible["sipri_name"].map(canon).isin(states_canon) & (eligible["kind"] == "state")
        codes = set(df.loc[df["sipri_name"].isin(states_canon), "iso3"]) - {""}
        if include_non_state:
            in_group |= (eligible["kind"] == "non-state") & eligible["iso3"].isin(codes)
        sel = eligible[in_group]
    return sorted(sel["sipri_name"])


def members(name: str, include_non_state: bool = True) -> list[str]:
    """SIPRI names in a region, sub-region or group, or the SIPRI spelling(s) of one country.

    ``name`` can be ``Africa`` (SIPRI's: North Africa and sub-Saharan Africa, without Egypt),
    ``North Africa``, ``Sub-Saharan Africa`` (``SSA``), ``West Africa``, ``Central Africa``,
    ``East Africa``, ``Southern Africa``, ``Sahel``, ``AES`` (``Alliance of Sahel States``),
    ``ECOWAS``, ``Middle East``, ``Europe`` and the other names in :func:`region_names`; matching
    is case- and accent-insensitive. Organisations are never members. Non-state actors count in
    the region (or group state) where they operate unless ``include_non_state`` is False.

    For a single entity the result is its SIPRI spelling(s): ``members("Mali") == ["Mali"]``,
    ``members("UAE") == ["UAE", "United Arab Emirates"]``. The list is sorted.
    """
    name = _check_name(name)
    label = region_label(name)
    if label is not None:
        return _region_members(label, include_non_state)
    return variants(name)


def resolve_selection(spec: str | Iterable[str] | None) -> list[str]:
    """Sorted, unique SIPRI names for a selection.

    ``spec`` is a region, group or country name, a list of them, or a comma/semicolon-separated
    string (``"Mali, Niger"``); regions expand with :func:`members` (non-state actors included)
    and a country gives all its SIPRI spellings. ``None`` gives every entity in countries.csv.
    """
    if spec is None:
        return sorted(_load_countries()["sipri_name"])
    if isinstance(spec, str):
        text = _check_name(spec, "selection")
        if region_label(text) is None and _lookup(text) is None and re.search(r"[,;]", text):
            items = [p for p in re.split(r"[,;]", text) if p.strip()]
        else:
            items = [text]
    else:
        try:
            items = list(spec)
        except TypeError:
            raise ParameterError(f"selection must be a name, a list of names or None, got {type(spec).__name__}") from None
        if not items:
            raise ParameterError("selection is an empty list: give at least one country, region or group")
    out: set[str] = set()
    for item in items:
        out.update(members(_check_name(item, "selection item")))
    return sorted(out)
