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
* Language: every function writes in the current language of :mod:`analysis.i18n` (English
  unless a build says otherwise). In French, names are CLDR's French names with French articles
  and prepositions (:mod:`analysis.french`), numbers and dates go through Babel's locale data
  ("21,6 %", "1 363", "2 septembre 2024") and a narrow no-break space stands before ``%``.
* Templates: :class:`Named` puts a name into a message template in the form its format spec
  asks for (``{recipient:the}``, ``{recipient:poss}``, ``{recipient:de}``, ``{recipient:a}``).

Functions here are pure and never see a DataFrame.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from analysis.i18n import _, language, ngettext

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
    without SIPRI's trailing ``*`` marks. In French, the French name (:func:`analysis.french.name`)."""
    display = _display(x)
    if language() == "fr":
        from analysis import french

        return french.name(display)
    return display


def _fr(x: object) -> Any:
    from analysis import french

    return french.forms_of(_display(x))


def _display(x: object) -> str:
    from analysis import regions

    text = str(x)
    known = regions.known_display_name(text)
    return known if known is not None else text.rstrip("*").strip()


def the(x: object, capital: bool = False) -> str:
    """The name with the article English needs: 'United States' -> 'the United States';
    'Mali' -> 'Mali'. ``capital`` for the start of a sentence. In French: 'le Mali',
    'la Chine', 'l’Égypte', 'les États-Unis', 'Madagascar'."""
    if language() == "fr":
        form = _fr(x).le
        return form[:1].upper() + form[1:] if capital else form
    n = name(x)
    if n in ARTICLE_NAMES:
        return ("The " if capital else "the ") + n
    return n


def possessive(x: object, capital: bool = False) -> str:
    """ "Mali's", "the United States'", "Comoros'" (straight apostrophe, as in the names).
    French has no possessive: the complement form ("du Mali", "de la Chine") is returned."""
    if language() == "fr":
        form = _fr(x).de
        return form[:1].upper() + form[1:] if capital else form
    n = the(x, capital)
    return f"{n}'" if n.endswith("s") else f"{n}'s"


class Named:
    """A name in a message template; the format spec picks its form, in the current language:

    ``{x}`` the name; ``{x:the}`` / ``{x:The}`` with its article (the United States, le Mali);
    ``{x:poss}`` / ``{x:Poss}`` English's possessive (Mali's), in French the complement (du Mali);
    ``{x:de}`` / ``{x:De}`` "of" (du Mali, de l’Égypte; in English: of the United States);
    ``{x:a}`` / ``{x:A}`` "in/to" (au Mali, en Chine, aux Comores; in English: in Mali).

    ``escape`` (e.g. :func:`esc_md`) is applied to the result.
    """

    def __init__(self, value: object, escape: Any = None) -> None:
        self.value = value
        self.escape = escape or str

    def __format__(self, spec: str) -> str:
        low = spec.lower()
        fr = language() == "fr"
        if low == "":
            text = name(self.value)
        elif low in ("the", "le"):
            text = the(self.value)
        elif low == "poss":
            text = possessive(self.value)
        elif low == "de":
            text = _fr(self.value).de if fr else "of " + the(self.value)
        elif low == "a":
            text = _fr(self.value).a if fr else "in " + the(self.value)
        else:
            raise ValueError(f"unknown name form {spec!r}: use the, poss, de or a (capitalised at a sentence's start)")
        if spec[:1].isupper():
            text = text[:1].upper() + text[1:]
        return str(self.escape(text))

    def __str__(self) -> str:
        return str(self.escape(name(self.value)))


def region_name(region: str) -> str:
    """How a region or grouping reads in a sentence, saying whose grouping it is:
    'Africa' -> "Africa (SIPRI's definition, without Egypt)", 'West Africa' -> 'West Africa',
    'Sahel' -> 'the G5 Sahel states'."""
    known = {
        "Africa": _("Africa (SIPRI's definition, without Egypt)"),
        "Sahel": _("the G5 Sahel states"),
        "Sub-Saharan Africa": _("sub-Saharan Africa"),
        "Middle East": _("the Middle East"),
        "AES": _("the Alliance of Sahel States"),
        "ECOWAS": _("ECOWAS"),
        "Americas": _("the Americas"),
    }
    if region in known:
        return known[region]
    return the(region) if language() == "fr" else region


def region_label(region: str) -> str:
    """A region as a label rather than in a sentence (a key figure's region, a title after a
    comma): in French without its article ('Afrique (au sens du SIPRI, sans l’Égypte)', 'États du
    G5 Sahel', 'Moyen-Orient'); in English as :func:`region_name` writes it."""
    text = region_name(region)
    if language() != "fr":
        return text
    for article in ("l’", "l'", "le ", "la ", "les "):
        if text.startswith(article):
            return capital(text[len(article) :])
    return text


def grouping(region: str) -> str:
    """Whose grouping a region is, for a methods note: 'SIPRI region', 'African Union
    sub-region (as SIPRI's military expenditure tables use them)', 'G5 Sahel states', ..."""
    from analysis import regions

    if region in regions.SIPRI_REGIONS:
        return _("SIPRI region")
    if region == regions.SUB_SAHARAN:
        return _("SIPRI's Africa without North Africa")
    if region in regions.SIPRI_REGIONS["Africa"]:
        return _("African Union sub-region")
    if any(region in subs for subs in regions.SIPRI_REGIONS.values()):
        return _("SIPRI sub-region")
    return {
        "Sahel": _("the five G5 Sahel states"),
        "AES": _("the Alliance of Sahel States"),
        "ECOWAS": _("the Economic Community of West African States"),
    }.get(region, _("group"))


# --------------------------------------------------------------------------- numbers
def pct(x: float | None, digits: int = 1) -> str:
    """21.6013 -> '21.6%'; 0.02 -> 'less than 0.1%'; 0 -> '0%'; None/NaN -> 'n/a' (a table cell;
    prose functions never pass a missing share)."""
    if _missing(x):
        return _("n/a")
    x = float(x)  # type: ignore[arg-type]
    if language() != "en":
        return _pct_locale(x, digits)
    if 0 < x < 0.5 * 10**-digits:
        return f"less than {10**-digits:.{digits}f}%"
    if x == 0:
        return "0%"
    return f"{x:.{digits}f}%"


#: What stands before "%" in French: a narrow no-break space (U+202F), as CLDR's French data has it.
PERCENT_SPACE = {"fr": "\u202f"}


def _decimal(x: float, digits: int) -> str:
    """``x`` with ``digits`` decimals in the current locale, rounded as the English edition
    rounds it (Python's formatting of the float), so both editions show the same digits:
    Babel alone rounds the decimal text half to even (0.05 -> '0,0' where English has '0.1')."""
    from decimal import Decimal

    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(Decimal(f"{x:.{digits}f}"), format=pattern, locale=language())


def _pct_locale(x: float, digits: int) -> str:
    sep = PERCENT_SPACE.get(language(), "")
    if 0 < x < 0.5 * 10**-digits:
        return _("less than {share}").format(share=f"{_decimal(10**-digits, digits)}{sep}%")
    if x == 0:
        return f"0{sep}%"
    return f"{_decimal(x, digits)}{sep}%"


def tiv(x: float | None) -> str:
    """TIV millions for prose: 1363.18 -> '1,363 million TIV'; small values keep one decimal.
    TIV is SIPRI's volume index, not money."""
    if _missing(x):
        return _("n/a")
    v = float(x)  # type: ignore[arg-type]
    if language() != "en":
        if 0 < v < 0.05:
            return _("less than {n} million TIV").format(n=_decimal(0.1, 1))
        shown = _decimal(v, 0 if abs(v) >= 10 else 1)
        return ngettext("{n} million TIV", "{n} million TIV", 2 if abs(v) >= 2 else 1).format(n=shown)
    if 0 < v < 0.05:
        return "less than 0.1 million TIV"
    return f"{v:,.0f} million TIV" if abs(v) >= 10 else f"{v:,.1f} million TIV"


def num(x: float | None, digits: int = 0) -> str:
    """1234.5 -> '1,235'."""
    if _missing(x):
        return _("n/a")
    if language() != "en":
        return _decimal(float(x), digits)  # type: ignore[arg-type]
    return f"{float(x):,.{digits}f}"  # type: ignore[arg-type]


def change(x: float | None) -> str:
    """Percent change with its sign: 242.2 -> '+242%'; NaN (from zero) -> 'new'."""
    if _missing(x):
        return _("new")
    if language() != "en":
        v = float(x)  # type: ignore[arg-type]
        return ("+" if v >= 0 else "\u2212") + _decimal(abs(v), 0) + PERCENT_SPACE.get(language(), "") + "%"
    return f"{x:+,.0f}%"


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd' (a float rank 2.0 -> '2nd')."""
    n = int(n)
    if language() == "fr":
        return "1er" if n == 1 else f"{n}e"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(n: int, word: str, plural_form: str | None = None) -> str:
    """(1, 'system') -> '1 system'; (6, 'system') -> '6 systems'. In another language the
    word is translated (mark it with :func:`analysis.i18n.N_`) and French counts 0 and 1 as one."""
    if language() != "en":
        one = int(n) <= 1 if language() == "fr" else int(n) == 1
        return f"{num(n)} {_(word) if one else _(plural_form or word + 's')}"
    return f"{int(n):,} {word if int(n) == 1 else (plural_form or word + 's')}"


def shift(new: float, old: float, digits: int = 1) -> str:
    """How a share moved, for a parenthesis: 'up from 4.4%', 'down from 4.4%', 'unchanged from
    4.4%' (equal at the shown precision)."""
    if round(float(new), digits) == round(float(old), digits):
        return _("unchanged from {share}").format(share=pct(old, digits))
    if new > old:
        return _("up from {share}").format(share=pct(old, digits))
    return _("down from {share}").format(share=pct(old, digits))


# --------------------------------------------------------------------------- lists, years, dates
def listing(items: Iterable[str], conj: str = "and") -> str:
    """['a', 'b', 'c'] -> 'a, b and c'; [] -> ''."""
    xs = [str(i) for i in items]
    if not xs:
        return ""
    if len(xs) == 1:
        return xs[0]
    word = {"and": _("and"), "or": _("or")}.get(conj, conj)
    return ", ".join(xs[:-1]) + f" {word} " + xs[-1]


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
    if language() == "fr":
        return f"{a}-{b}"
    return f"{a}-{str(b)[-2:]}" if a // 100 == b // 100 else f"{a}-{b}"


def release_name(release: object) -> str:
    """A SIPRI release label ('March 2025') in the current language ('mars 2025'); a label that
    is not a month and a year as it is."""
    text = str(release)
    if language() == "en":
        return text
    try:
        d = dt.datetime.strptime(text.strip(), "%B %Y")
    except ValueError:
        return text
    return long_date(f"{d.year}-{d.month:02d}")


def source_name(source: object) -> str:
    """A data source's label as a sentence of the current language names it: 'UCDP GED via
    Our World in Data (1989-2024 download)' (French: '... (téléchargement 1989-2024)'), 'ACLED
    aggregate, as of 24 Oct 2025' (French: 'données agrégées d’ACLED au 24 octobre 2025'); other
    labels as they are (key figures and data files keep the label itself)."""
    text = str(source)
    if language() == "en":
        return text
    m = re.fullmatch(r"(?P<name>.+) \((?P<a>\d{4})-(?P<b>\d{4}) download\)", text)
    if m:
        return _("{name} ({years} download)").format(name=m["name"], years=years(int(m["a"]), int(m["b"])))
    m = re.fullmatch(r"ACLED aggregate, as of (?P<date>\d{1,2} [A-Z][a-z]{2} \d{4})", text)
    if m:
        day = dt.datetime.strptime(m["date"], "%d %b %Y").date()
        return _("ACLED aggregate, as of {date}").format(date=long_date(day))
    return text


def long_date(value: str | dt.date) -> str:
    """'2024-09-02' -> '2 September 2024'; '2024-09' -> 'September 2024'; '2024' -> '2024'."""
    if isinstance(value, dt.date):
        if language() != "en":
            from babel.dates import format_date

            day = "1er" if value.day == 1 and language() == "fr" else str(value.day)
            return f"{day} {format_date(value, 'MMMM y', locale=language())}"
        return f"{value.day} {value:%B} {value.year}"
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return long_date(dt.date.fromisoformat(text))
    if re.fullmatch(r"\d{4}-\d{2}", text):
        d = dt.date.fromisoformat(text + "-01")
        if language() != "en":
            from babel.dates import format_date

            return format_date(d, "MMMM y", locale=language())
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
