"""analysis.typography: French no-break spaces in the text of a page, and nowhere else."""

from __future__ import annotations

import pytest

from analysis import fmt, i18n
from analysis.typography import NBSP, NNBSP, french_html, french_text

N, T = NBSP, NNBSP  # short names for the expected strings


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # the high signs: a narrow no-break space before ; ! ?, a no-break space before :
        ("Source : SIPRI", f"Source{N}: SIPRI"),
        ("Source: SIPRI", f"Source{N}: SIPRI"),
        ("recule ; la part", f"recule{T}; la part"),
        ("recule; la part", f"recule{T}; la part"),
        ("Vraiment ? Oui !", f"Vraiment{T}? Oui{T}!"),
        ("en 2024 : 12 morts", f"en 2024{N}: 12 morts"),
        # percent: the space analysis.fmt writes in French, not a second one
        ("5% et 21,6 %", f"5{T}% et 21,6{T}%"),
        (f"21,6{T}%", f"21,6{T}%"),
        (f"21,6{N}%", f"21,6{N}%"),
        ("la hausse en %", "la hausse en %"),  # no figure before it: not a percentage
        # guillemets
        ("« oui »", f"«{N}oui{N}»"),
        ("«non»", f"«{N}non{N}»"),
        # left as they are: times, ratios, URLs, e-mail addresses, SIPRI's estimate mark, brackets
        ("à 12:30 UTC", "à 12:30 UTC"),
        ("au 1:110m", "au 1:110m"),
        ("voir https://x.org/a?b=c;d=e: fin", f"voir https://x.org/a?b=c;d=e{N}: fin"),
        ("www.sipri.org: la base", f"www.sipri.org{N}: la base"),
        ("contact@example.org;", f"contact@example.org{T};"),
        ("environ 18? unités", "environ 18? unités"),
        ("en 2023 ?", f"en 2023{T}?"),
        ("(?)", "(?)"),
        # entities are text to the browser: never split, and a sign after one still gets its space
        ("A &amp; B; C", f"A &amp; B{T}; C"),
        ("l&#39;Afrique : x", f"l&#39;Afrique{N}: x"),
        ("&#34;Z&#34;: w", f"&#34;Z&#34;{N}: w"),
        ("x&nbsp;: y", "x&nbsp;: y"),  # already a no-break space
        ("", ""),
    ],
)
def test_french_text(given: str, expected: str) -> None:
    assert french_text(given) == expected
    assert french_text(expected) == expected  # idempotent


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # text nodes only: attributes and tags are never touched
        (
            '<a href="https://x.org/?a=1;b" title="x : y">lien</a>: suite ; fin',
            f'<a href="https://x.org/?a=1;b" title="x : y">lien</a>{N}: suite{T}; fin',
        ),
        (
            '<img alt="Carte : Afrique" src="data:image/png;base64,AAA=">',
            '<img alt="Carte : Afrique" src="data:image/png;base64,AAA=">',
        ),
        # nor code, scripts, styles, preformatted text
        (
            "<p>Lancer <code>briefing data status: ok</code> ; puis</p>",
            f"<p>Lancer <code>briefing data status: ok</code>{T}; puis</p>",
        ),
        ("<pre>a: b; c?</pre>", "<pre>a: b; c?</pre>"),
        ("<script>var a = b ? c : d;</script>", "<script>var a = b ? c : d;</script>"),
        ("<style>a{b:c;}</style><p>x: y</p>", f"<style>a{{b:c;}}</style><p>x{N}: y</p>"),
        # nor text in another language, however deeply nested, until its element closes
        (
            '<td lang="en">Source: SIPRI; <b>in: <b>x</b></b> y: z</td><td>fr: ok</td>',
            f'<td lang="en">Source: SIPRI; <b>in: <b>x</b></b> y: z</td><td>fr{N}: ok</td>',
        ),
        ('<p lang="fr-FR">Oui : non</p>', f'<p lang="fr-FR">Oui{N}: non</p>'),
        # comments and the doctype are not text; a void element does not open a skipped block
        ("<!DOCTYPE html><!-- a: b --><p>x : y<br>z ; w</p>", f"<!DOCTYPE html><!-- a: b --><p>x{N}: y<br>z{T}; w</p>"),
        # a sign right after an inline element's end gets its space too
        ("<p><em>volume</em>: le</p>", f"<p><em>volume</em>{N}: le</p>"),
        ("<p><b>x</b>;</p>", f"<p><b>x</b>{T};</p>"),
        # but not at the start of an element
        ("<td>:</td>", "<td>:</td>"),
    ],
)
def test_french_html(given: str, expected: str) -> None:
    assert french_html(given) == expected
    assert french_html(expected) == expected


def test_an_english_page_is_left_as_it_is() -> None:
    page = '<html lang="en"><body><p>Source: SIPRI; 21.6% of "imports"?</p></body></html>'
    assert french_html(page) == page


def test_the_percent_space_is_the_one_fmt_writes() -> None:
    with i18n.use("fr"):
        shown = fmt.pct(21.6)
    assert french_html(f"<p>{shown}</p>") == f"<p>{shown}</p>" == f"<p>21,6{fmt.PERCENT_SPACE['fr']}%</p>"
    assert french_html("<p>21,6 %</p>") == f"<p>{shown}</p>"
