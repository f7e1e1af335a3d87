"""Formatting of computed figures for prose and tables, so that no number is typed by hand."""
from __future__ import annotations

import html
import math
from collections.abc import Iterable


def pct(x: float, digits: int = 1) -> str:
    """21.6013 -> '21.6%'."""
    return "n/a" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}%"


def tiv(x: float) -> str:
    """TIV millions for prose: 1363.18 -> '1,363 million TIV'; small values keep one decimal."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.0f} million TIV" if abs(x) >= 10 else f"{x:,.1f} million TIV"


def num(x: float, digits: int = 0) -> str:
    """1234.5 -> '1,235'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{digits}f}"


def change(x: float) -> str:
    """Percent change with its sign: 242.2 -> '+242%'; NaN (from zero) -> 'new'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "new"
    return f"{x:+,.0f}%"


def listing(items: Iterable[str], conj: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    xs = [str(i) for i in items]
    if not xs:
        return "none"
    if len(xs) == 1:
        return xs[0]
    return ", ".join(xs[:-1]) + f" {conj} " + xs[-1]


def years(a: int, b: int) -> str:
    """(2020, 2024) -> '2020-24'; (1999, 2004) -> '1999-2004'; (2024, 2024) -> '2024'."""
    if a == b:
        return str(a)
    return f"{a}-{str(b)[-2:]}" if a // 100 == b // 100 else f"{a}-{b}"


def esc(text: object) -> str:
    """HTML-escape text that comes from data or parameters before it goes into Markdown/HTML."""
    return html.escape(str(text), quote=True)


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def region_name(region: str) -> str:
    """How a region reads in a sentence: 'Africa' -> "Africa (SIPRI's definition, without Egypt)",
    'Sahel' -> 'the Sahel'."""
    return {"Africa": "Africa (SIPRI's definition, without Egypt)", "Sahel": "the Sahel",
            "Sub-Saharan Africa": "sub-Saharan Africa",
            "AES": "the Alliance of Sahel States", "ECOWAS": "ECOWAS"}.get(region, region)


def first_sentence(text: str, limit: int = 220) -> str:
    """The first sentence of a note (for print tables); cut at ``limit`` characters with an
    ellipsis if the sentence is longer."""
    t = " ".join(str(text).split())
    for i, ch in enumerate(t):
        if ch in ".;" and (i + 1 == len(t) or t[i + 1] == " ") and i > 20:
            t = t[: i + 1]
            break
    return t if len(t) <= limit else t[: limit - 1].rsplit(" ", 1)[0] + "…"


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """(1, 'system') -> '1 system'; (6, 'system') -> '6 systems'."""
    return f"{n:,} {word if n == 1 else (plural_form or word + 's')}"


def possessive(name: str) -> str:
    """'Mali' -> "Mali's"; 'Comoros' -> "Comoros'"."""
    return f"{name}'" if str(name).endswith("s") else f"{name}'s"
