"""French typography on a finished HTML page: the no-break spaces French puts before its
"high" punctuation and inside guillemets, so that ``:``, ``;``, ``!``, ``?``, ``%`` and ``»``
never start a line.

:func:`french_html` changes text nodes only: never a tag or an attribute, nor the content of
``<code>``, ``<pre>``, ``<kbd>``, ``<samp>``, ``<script>``, ``<style>``, ``<textarea>`` or
of an element in another language (``lang="en"``: SIPRI's descriptions, English titles), nor
a URL, an entity (``&amp;``) or a time or ratio written with a colon (``12:30``, ``1:110m``).
The spaces (the Imprimerie nationale's rules, as French newsrooms apply them):

* a narrow no-break space (U+202F) before ``;``, ``!`` and ``?``;
* a no-break space (U+00A0) before ``:``, after ``«`` and before ``»``;
* before ``%`` the space :mod:`analysis.fmt` writes in French (:data:`analysis.fmt.PERCENT_SPACE`,
  U+202F as in CLDR's French data), so that a page has one kind of space before ``%``.

An ordinary space before the sign becomes the no-break one; where there is none, one is put
in; a no-break space already there is kept, so the function is idempotent. A ``?`` right after
a digit is SIPRI's estimate mark ("18?") and is left as it is.
"""

from __future__ import annotations

import re

__all__ = ["NBSP", "NNBSP", "french_html", "french_text"]

NBSP = "\u00a0"
NNBSP = "\u202f"
#: Elements whose text is never changed (code, scripts) or not French (``lang`` other than fr).
RAW_ELEMENTS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "textarea"})
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

_TOKEN = re.compile(
    r"<!--.*?-->"  # a comment
    r"|<!\[CDATA\[.*?\]\]>"
    r"|<[!?][^>]*>"  # <!DOCTYPE ...>, <?xml ...?>
    r"|</?[A-Za-z][^\s/>]*(?:\"[^\"]*\"|'[^']*'|[^'\">])*>",  # a start or end tag, quoted values may hold '>'
    re.S,
)
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
_LANG = re.compile(r"""\slang\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
#: What a text node keeps as it is: URLs, e-mail addresses, entities, and digit:digit.
_KEEP = re.compile(
    r"(?:https?|ftp)://[^\s<>\"]*[^\s<>\".,;:!?»)]"
    r"|\bwww\.[^\s<>\"]*[^\s<>\".,;:!?»)]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"
    r"|\d:\d"
)
_SPACES = NBSP + NNBSP
#: An ordinary white-space character (not one of the no-break spaces).
_WS = rf"[^\S{_SPACES}]"
#: Entities that are themselves no-break spaces: a sign after one has its space already.
_SPACE_ENTITY = re.compile(r"&(?:nbsp|#160|#[xX]0*[aA]0|#8239|#[xX]0*202[fF]);")


def _percent_space() -> str:
    from analysis.fmt import PERCENT_SPACE

    return PERCENT_SPACE.get("fr", NNBSP)


def _before(sign: str, space: str, after_digit: bool = True) -> tuple[re.Pattern[str], str]:
    """The rule "``space`` before ``sign``": ordinary spaces before it become ``space``; with
    none, ``space`` is put in after any visible character (not after a digit if not
    ``after_digit``, nor after an opening bracket)."""
    glued = r"[^\s\d([]" if not after_digit else r"[^\s([]"
    return re.compile(rf"(?<={glued}){re.escape(sign)}|(?<=[^\s]){_WS}+{re.escape(sign)}"), space + sign


_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    _before(";", NNBSP),
    _before("!", NNBSP),
    _before("?", NNBSP, after_digit=False),  # "18?" is SIPRI's estimate mark
    _before(":", NBSP),
    _before("\u00bb", NBSP),
    (re.compile(rf"\u00ab{_WS}*(?=[^\s])"), "\u00ab" + NBSP),
)
_PERCENT = re.compile(rf"(?<=\d){_WS}*%")


def _plain(text: str, lead: bool = False) -> str:
    """The rules on a run of text without URLs, entities or times. ``lead``: the run follows
    visible text (a closing tag, an entity, a URL), so a sign at its very start counts too."""
    if lead:
        return _plain("a" + text)[1:]  # a letter stands for what came before
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return _PERCENT.sub(_percent_space() + "%", text)


def french_text(text: str, lead: bool = False) -> str:
    """French typography on one text node (raw HTML text: entities are kept as they are).
    ``lead``: the node follows inline text (a closing tag), so that a sign at its very start
    gets its space too ("<a>CSV</a>: ..." -> "<a>CSV</a>\u00a0: ...")."""
    out: list[str] = []
    last = 0
    for m in _KEEP.finditer(text):
        out.append(_plain(text[last : m.start()], lead))
        out.append(m.group(0))
        lead = not _SPACE_ENTITY.fullmatch(m.group(0))
        last = m.end()
    out.append(_plain(text[last:], lead))
    return "".join(out)


def french_html(html: str) -> str:
    """``html`` with French typography in its French text nodes (see the module's docstring).
    Idempotent: ``french_html(french_html(x)) == french_html(x)``."""
    out: list[str] = []
    skip: tuple[str, int] | None = None  # the element being skipped and its nesting depth
    last = 0
    after_end_tag = False
    for m in _TOKEN.finditer(html):
        text = html[last : m.start()]
        if text:
            out.append(text if skip else french_text(text, lead=after_end_tag))
        tag = m.group(0)
        out.append(tag)
        last = m.end()
        after_end_tag = tag.startswith("</")
        name_m = _TAG_NAME.match(tag)
        if not name_m:
            continue
        name = name_m.group(1).lower()
        closing = tag.startswith("</")
        if skip is not None:
            if name == skip[0] and not tag.endswith("/>"):
                depth = skip[1] + (-1 if closing else 1)
                skip = None if depth == 0 else (name, depth)
            continue
        if closing or name in VOID_ELEMENTS or tag.endswith("/>"):
            continue
        lang = _LANG.search(tag)
        value = next((g for g in lang.groups() if g is not None), "") if lang else None
        if name in RAW_ELEMENTS or (value is not None and not value.lower().startswith("fr")):
            skip = (name, 1)
    rest = html[last:]
    out.append(rest if skip else french_text(rest, lead=after_end_tag))
    return "".join(out)
