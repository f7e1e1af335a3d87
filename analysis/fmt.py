"""Prose and formatting: every number, name, date and list a reader sees goes through here.

Conventions:

* Names: :func:`name` is the one display-name function (SIPRI's ``Turkiye`` -> ``Türkiye``,
  ``UAE`` -> ``United Arab Emirates``, SIPRI's marks such as ``**`` dropped); :func:`the` adds
  the article English needs ("the United States", "the Central African Republic") and
  :func:`possessive` builds "Mali's", "the United States'" (a straight apostrophe everywhere).
* Numbers: percentages with one decimal, and "less than 0.1%" for a positive share below 0.05;
  TIV in millions ("1,363 million TIV"), never money; ranks as integers ("2nd").
* Years: "2020-24", "1999-2004"; dates: "2 September 2024".
* Escaping: :func:`esc_html` for HTML, :func:`esc_md` for Markdown; data-derived text goes
  through one of them before it reaches a page.

Functions here are pure and never see a DataFrame.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

#: Display names that take "the" in running English text.
ARTICLE_NAMES: frozenset[str] = frozenset(
    {
        "United States",
        "United Kingdom",
        "United Arab Emirates",
        "Central African Republic",
        "Republic of the Congo",
        "Democratic Republic of the Congo",
        "Netherlands",
        "Philippines",
        "Comoros",
        "Gambia",
        "Seychelles",
        "Solomon Islands",
        "Marshall Islands",
        "Czech Republic",
        "Dominican Republic",
        "Bahamas",
        "Maldives",
        "Soviet Union",
        "European Union",
        "African Union",
        "United Nations",
        "Sahel",
        "Middle East",
        "Americas",
        "Alliance of Sahel States",
        "Gulf states",
    }
)


def _missing(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


# --------------------------------------------------------------------------- names
def name(x: object) -> str:
    """The display name of a country, supplier or region (see :func:`analysis.regions.display_name`);
    text the curated tables do not know ("Others", an armament category) is returned as it is,
    without SIPRI's trailing ``*`` marks."""
    from analysis import regions
    from analysis.errors import BriefingError

    text = str(x)
    try:
        return regions.display_name(text)
    except BriefingError:
        return text.rstrip("*").strip()


def the(x: object, capital: bool = False) -> str:
    """The name with the article English needs: 'United States' -> 'the United States';
    'Mali' -> 'Mali'. ``capital`` for the start of a sentence."""
    n = name(x)
    if n in ARTICLE_NAMES:
        return ("The " if capital else "the ") + n
    return n


def possessive(x: object, capital: bool = False) -> str:
    """ "Mali's", "the United States'", "Comoros'" (straight apostrophe, as in the names)."""
    n = the(x, capital)
    return f"{n}'" if n.endswith("s") else f"{n}'s"


def region_name(region: str) -> str:
    """How a region or grouping reads in a sentence, saying whose grouping it is:
    'Africa' -> "Africa (SIPRI's definition, without Egypt)", 'West Africa' -> 'West Africa',
    'Sahel' -> 'the G5 Sahel states'."""
    return {
        "Africa": "Africa (SIPRI's definition, without Egypt)",
        "Sahel": "the G5 Sahel states",
        "Sub-Saharan Africa": "sub-Saharan Africa",
        "Middle East": "the Middle East",
        "AES": "the Alliance of Sahel States",
        "ECOWAS": "ECOWAS",
        "Americas": "the Americas",
    }.get(region, region)


def grouping(region: str) -> str:
    """Whose grouping a region is, for a methods note: 'SIPRI region', 'African Union
    sub-region (as SIPRI's military expenditure tables use them)', 'G5 Sahel states', ..."""
    from analysis import regions

    if region in regions.SIPRI_REGIONS:
        return "SIPRI region"
    if region == regions.SUB_SAHARAN:
        return "SIPRI's Africa without North Africa"
    if region in regions.SIPRI_REGIONS["Africa"]:
        return "African Union sub-region"
    if any(region in subs for subs in regions.SIPRI_REGIONS.values()):
        return "SIPRI sub-region"
    return {
        "Sahel": "the five G5 Sahel states",
        "AES": "the Alliance of Sahel States",
        "ECOWAS": "the Economic Community of West African States",
    }.get(region, "group")


# --------------------------------------------------------------------------- numbers
def pct(x: float | None, digits: int = 1) -> str:
    """21.6013 -> '21.6%'; 0.02 -> 'less than 0.1%'; 0 -> '0%'; None/NaN -> 'n/a' (a table cell;
    prose functions never pass a missing share)."""
    if _missing(x):
        return "n/a"
    x = float(x)  # type: ignore[arg-type]
    if 0 < x < 0.5 * 10**-digits:
        return f"less than {10**-digits:.{digits}f}%"
    if x == 0:
        return "0%"
    return f"{x:.{digits}f}%"


def tiv(x: float | None) -> str:
    """TIV millions for prose: 1363.18 -> '1,363 million TIV'; small values keep one decimal.
    TIV is SIPRI's volume index, not money."""
    if _missing(x):
        return "n/a"
    v = float(x)  # type: ignore[arg-type]
    if 0 < v < 0.05:
        return "less than 0.1 million TIV"
    return f"{v:,.0f} million TIV" if abs(v) >= 10 else f"{v:,.1f} million TIV"


def num(x: float | None, digits: int = 0) -> str:
    """1234.5 -> '1,235'."""
    if _missing(x):
        return "n/a"
    return f"{float(x):,.{digits}f}"  # type: ignore[arg-type]


def change(x: float | None) -> str:
    """Percent change with its sign: 242.2 -> '+242%'; NaN (from zero) -> 'new'."""
    if _missing(x):
        return "new"
    return f"{x:+,.0f}%"


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd' (a float rank 2.0 -> '2nd')."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """(1, 'system') -> '1 system'; (6, 'system') -> '6 systems'."""
    return f"{int(n):,} {word if int(n) == 1 else (plural_form or word + 's')}"


def shift(new: float, old: float, digits: int = 1) -> str:
    """How a share moved, for a parenthesis: 'up from 4.4%', 'down from 4.4%', 'unchanged from
    4.4%' (equal at the shown precision)."""
    if round(float(new), digits) == round(float(old), digits):
        return f"unchanged from {pct(old, digits)}"
    return f"{'up' if new > old else 'down'} from {pct(old, digits)}"


# --------------------------------------------------------------------------- lists, years, dates
def listing(items: Iterable[str], conj: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c'; [] -> ''."""
    xs = [str(i) for i in items]
    if not xs:
        return ""
    if len(xs) == 1:
        return xs[0]
    return ", ".join(xs[:-1]) + f" {conj} " + xs[-1]


def names(items: Iterable[object], conj: str = "and") -> str:
    """Display names with their articles, listed: ['United States', 'Russia'] ->
    'the United States and Russia'."""
    return listing([the(x) for x in items], conj)


def verb(items: Sequence[object] | int, singular: str, plural_: str) -> str:
    """The verb for a subject of ``items`` (a count or the names): 'was'/'were'."""
    n = items if isinstance(items, int) else len(items)
    return singular if n == 1 else plural_


def years(a: int, b: int) -> str:
    """(2020, 2024) -> '2020-24'; (1999, 2004) -> '1999-2004'; (2024, 2024) -> '2024'."""
    a, b = int(a), int(b)
    if a == b:
        return str(a)
    return f"{a}-{str(b)[-2:]}" if a // 100 == b // 100 else f"{a}-{b}"


def long_date(value: str | dt.date) -> str:
    """'2024-09-02' -> '2 September 2024'; '2024-09' -> 'September 2024'; '2024' -> '2024'."""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B} {value.year}"
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return long_date(dt.date.fromisoformat(text))
    if re.fullmatch(r"\d{4}-\d{2}", text):
        d = dt.date.fromisoformat(text + "-01")
        return f"{d:%B} {d.year}"
    return text


# --------------------------------------------------------------------------- text
def first_sentence(text: str, limit: int = 220) -> str:
    """The first sentence of a note (for print tables); cut at a word before ``limit``
    characters with an ellipsis if the sentence is longer, never inside a parenthesis."""
    t = " ".join(str(text).split())
    depth = 0
    for i, ch in enumerate(t):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and ch in ".;" and (i + 1 == len(t) or t[i + 1] == " ") and i > 20:
            t = t[: i + 1] if ch == "." else t[:i] + "."
            break
    if len(t) <= limit:
        return t
    cut = t[: limit - 1].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):
        cut = cut[: cut.rfind("(")].rstrip(" ,;")
    return cut + "\u2026"


def capital(text: str) -> str:
    """The sentence with its first letter in capitals ('the United States ...' -> 'The ...')."""
    return text[:1].upper() + text[1:] if text else text


def esc_html(text: object) -> str:
    """Escape text from data or parameters for HTML (quotes too, for attributes)."""
    return html.escape(str(text), quote=True)


def esc_md(text: object) -> str:
    """Escape text from data or parameters for Markdown: markup characters (<, >, &) become
    entities and Markdown's own (`*_[]#|\\) are backslashed, so a SIPRI comment or a
    parameter shows as text. Quotes stay as they are (they are not markup in Markdown text)."""
    s = html.escape(str(text), quote=False)
    return re.sub(r"([\\`*_\[\]#|])", r"\\\1", s)
