"""What every section's sentences share: :class:`Block`, key figures, and standings among
identified suppliers.

A :class:`Block` is a paragraph's Markdown and the key figures it states; an empty block says
nothing, so its section does not appear. Standings count identified suppliers only (SIPRI's
"unknown supplier(s)" is shown as its own share and never ranked). The conventions of the whole
package are in :mod:`analysis.prose`. Names in the frames these functions read may be display
names (the API's results) or SIPRI's spellings (hand-made frames): they are compared with
:func:`analysis.regions.same_entity`, so either works.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from analysis import fmt, i18n, regions
from analysis.i18n import _

E = fmt.esc_md

#: UCDP's thresholds: 25 battle-related deaths a year make an armed conflict; 1,000 a war.
CONFLICT_DEATHS = 25
WAR_DEATHS = 1000


@dataclasses.dataclass(frozen=True)
class Block:
    """A paragraph (Markdown) and the key figures it states (see :func:`figure`)."""

    md: str = ""
    figures: tuple[dict[str, Any], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.md.strip())


EMPTY = Block()


def figure(
    id: str,
    label: str,
    value: Any,
    unit: str,
    text: str,
    *,
    years: str = "",
    region: str = "",
    release: str = "",
    headline: bool = False,
) -> dict[str, Any]:
    """One key figure: a value with its unit, years, region and release, and the sentence that
    states it (the briefing's key findings use those marked ``headline``)."""
    if isinstance(value, float) and pd.isna(value):
        value = None
    elif hasattr(value, "item"):
        value = value.item()
    return {
        "id": id,
        "label": label,
        "value": value,
        "unit": unit,
        "years": years,
        "region": region,
        "release": release,
        "text": text,
        "headline": headline,
    }


def plain(md: str) -> str:
    """Markdown escapes removed, for the key-figure text (shown as text, escaped again there)."""
    import re

    return re.sub(r"\\([\\`*_\[\]#|])", r"\1", md.replace("**", ""))


def identified(shares: pd.DataFrame) -> pd.DataFrame:
    """Rows of a shares table whose supplier is identified (SIPRI's 'unknown supplier(s)' and
    other unknowns are shown but never ranked)."""
    if shares.empty:
        return shares
    col = "supplier" if "supplier" in shares else shares.columns[0]
    unknown = shares[col].astype(str).str.lower().str.startswith("unknown")
    return shares[~unknown]


def english_name(x: object) -> str:
    """The English display name (:func:`analysis.fmt.name` in English), whatever the language:
    the form :mod:`analysis.fmt` takes back to write a name with its article in any language."""
    with i18n.use("en"):
        return fmt.name(x)


def leaders(shares: pd.DataFrame) -> list[str]:
    """The identified supplier(s) with the largest share (several when tied): English display
    names (:func:`english_name`) in every language, sorted, for :func:`analysis.fmt.names`."""
    ident = identified(shares)
    if ident.empty:
        return []
    top = ident["share"].max()
    return sorted(english_name(s) for s in ident.loc[ident["share"] == top, "supplier"])


def rank_of(shares: pd.DataFrame, supplier: str) -> int | None:
    """The supplier's rank among identified suppliers (1 = largest; ties share a rank), or None
    when it delivered nothing."""
    ident = identified(shares)
    row = ident[regions.same_entity(ident["supplier"], supplier)]
    if row.empty:
        return None
    return int((ident["share"] > float(row["share"].iloc[0])).sum()) + 1


def share_of(shares: pd.DataFrame, supplier: str) -> float:
    """The supplier's share (0 when it delivered nothing); any spelling of its name matches."""
    row = shares[regions.same_entity(shares["supplier"], supplier)]
    return float(row["share"].iloc[0]) if len(row) else 0.0


def unknown_share(shares: pd.DataFrame) -> float:
    if shares.empty:
        return 0.0
    unknown = shares["supplier"].astype(str).str.lower().str.startswith("unknown")
    return float(shares.loc[unknown, "share"].sum())


def standing_phrase(shares: pd.DataFrame, supplier: str) -> str:
    """'the largest supplier', 'joint largest supplier with France', 'the 2nd-largest supplier'."""
    rank = rank_of(shares, supplier)
    if rank is None:
        return _("not a supplier")
    if len(identified(shares)) == 1:
        return _("its only identified supplier")
    tied = [x for x in leaders(shares) if x != english_name(supplier)]
    if rank == 1 and tied:
        return _("the joint largest supplier with {others}").format(others=fmt.names(tied))
    if rank == 1:
        return _("the largest supplier")
    return _("the {rank}-largest supplier").format(rank=fmt.ordinal(rank))
