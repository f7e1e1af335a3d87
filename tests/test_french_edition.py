"""The French edition read as a French desk would: the page says it is French, no English is
left in its running text (outside quotations, SIPRI's own words and proper names), and its
figures are the English edition's, formatted the French way."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis import fmt, i18n, render

pytestmark = pytest.mark.slow

#: Common English words that are not also French words: one of them in the French running
#: text means a message was left untranslated.
ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "with",
        "from",
        "which",
        "was",
        "were",
        "has",
        "have",
        "had",
        "this",
        "that",
        "these",
        "those",
        "their",
        "its",
        "largest",
        "supplier",
        "suppliers",
        "deliveries",
        "delivered",
        "imports",
        "imported",
        "between",
        "since",
        "than",
        "ordered",
        "order",
        "orders",
        "share",
        "shares",
        "years",
        "year",
        "none",
        "more",
        "less",
        "only",
        "also",
        "would",
        "could",
        "there",
        "what",
        "when",
        "where",
        "who",
        "whose",
        "by",
        "for",
        "into",
        "over",
        "under",
        "about",
        "after",
        "before",
        "during",
        "while",
        "not",
        "no",
        "yes",
        "but",
        "or",
        "is",
        "are",
        "be",
        "been",
        "being",
        "recorded",
        "records",
        "lists",
        "listed",
        "shows",
        "show",
        "data",
        "source",
        "release",
        "releases",
        "deal",
        "deals",
        "major",
        "arms",
        "weapons",
        "region",
        "regions",
        "state",
        "states",
        "largest",
        "second",
        "third",
        "rank",
        "ranked",
        "top",
        "estimate",
        "estimated",
        "unknown",
        "other",
        "others",
        "total",
        "because",
    ]
)
#: French words spelled as English ones, allowed in French text.
SAME_IN_FRENCH = frozenset({"total", "source", "arms", "data"}) & ENGLISH
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")


def running_text(soup: BeautifulSoup) -> list[str]:
    """The French page's own sentences: headings, paragraphs, list items, captions and table
    headers; without what is quoted or in another language on purpose (``lang="en"``: SIPRI's
    descriptions and comments, English titles of sources), links that show a URL or a
    source's title, table data cells (SIPRI's designations and descriptions) and code."""
    body = BeautifulSoup(str(soup), "html.parser")
    for t in body.select('body [lang="en"], q, blockquote, code, td, a[href^="http"], .sources, script, style'):
        t.decompose()
    return [" ".join(el.get_text(" ").split()) for el in body.select("p, li, h1, h2, h3, h4, figcaption, th, caption")]


def english_words(lines: list[str]) -> list[tuple[str, str]]:
    hits = []
    for line in lines:
        for w in WORD.findall(line):
            if w.lower() in ENGLISH and w.lower() not in SAME_IN_FRENCH:
                hits.append((w, line[:160]))
    return hits


@pytest.fixture(scope="module")
def editions(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    out = {}
    for lang in ("fr", "en"):  # French first: its language must not leak into the English build
        folder = tmp_path_factory.mktemp(f"edition-{lang}")
        out[lang] = render.build({"lang": lang}, formats="html,pdf" if lang == "fr" else "html", out_dir=folder, progress=False)
    return out


def test_the_french_briefing_says_it_is_french(editions: dict[str, dict[str, Path]]) -> None:
    html = editions["fr"]["html"].read_text(encoding="utf-8")
    assert re.search(r'<html[^>]*\blang="fr"', html)
    assert editions["fr"]["html"].name == "briefing-fr.html"
    from pypdf import PdfReader

    root = PdfReader(str(editions["fr"]["pdf"])).trailer["/Root"]
    assert str(root.get("/Lang", "")).lower().startswith("fr")


def test_no_english_is_left_in_the_french_running_text(editions: dict[str, dict[str, Path]]) -> None:
    soup = BeautifulSoup(editions["fr"]["html"].read_text(encoding="utf-8"), "html.parser")
    lines = running_text(soup)
    hits = english_words(lines)
    assert len(lines) > 50 and not hits, f"{len(hits)} English words in the French briefing, e.g. " + "; ".join(
        f"{w!r} in {line!r}" for w, line in hits[:8]
    )


def _figures(files: dict[str, Path]) -> dict[str, dict]:
    out = {}
    for f in sorted(Path(files["key_figures"]).glob("*.json")):
        for fig in json.loads(f.read_text(encoding="utf-8"))["figures"]:
            out[fig["id"]] = fig
    return out


def test_the_french_edition_has_the_english_figures_formatted_the_french_way(editions: dict[str, dict[str, Path]]) -> None:
    en, fr = _figures(editions["en"]), _figures(editions["fr"])
    assert en and set(en) == set(fr)
    for key, e in en.items():
        f = fr[key]
        assert (f["value"], f["unit"], f["release"]) == (e["value"], e["unit"], e["release"]), key
        if e["unit"] == "percent" and isinstance(e["value"], (int, float)):
            with i18n.use("fr"):
                shown = fmt.pct(e["value"])
            assert shown in f["text"], (key, shown, f["text"])
    assert en.keys() and any(f["text"] != en[k]["text"] for k, f in fr.items())


FRENCH = frozenset(
    ["le", "la", "les", "du", "des", "au", "aux", "fournisseur", "fournisseurs", "livraisons", "importations", "entre", "depuis"]
)


def test_no_french_leaks_into_the_english_edition(editions: dict[str, dict[str, Path]]) -> None:
    """Both editions are built in one session (with warm workers): the language of one build
    must not leak into the next."""
    soup = BeautifulSoup(editions["en"]["html"].read_text(encoding="utf-8"), "html.parser")
    assert soup.html.get("lang") == "en"
    lines = running_text(soup)
    leaks = [(w, line[:120]) for line in lines for w in WORD.findall(line) if w in FRENCH]
    assert lines and not leaks, leaks[:5]
    assert english_words(["the largest supplier"]) == [
        ("the", "the largest supplier"),
        ("largest", "the largest supplier"),
        ("supplier", "the largest supplier"),
    ]


def test_the_french_claim_ledger_gives_french_verdicts_and_evidence(editions: dict[str, dict[str, Path]]) -> None:
    """The ledger's cells (left out of the running-text check, since they quote sources) carry
    the French verdict labels and evidence that names its release the French way."""
    soup = BeautifulSoup(editions["fr"]["html"].read_text(encoding="utf-8"), "html.parser")
    verdicts = {" ".join(td.get_text(" ").split()) for td in soup.select("#claim-ledger td.verdict")}
    evidence = " ".join(td.get_text(" ") for td in soup.select("#claim-ledger td.evidence"))
    with i18n.use("fr"):
        from analysis import verdicts as v

        labels = {v.verdict_label(x) for x in v.VERDICT_LABELS}
    assert verdicts and verdicts <= labels, verdicts
    assert "version de mars 2025" in evidence and "March 2025 release" not in evidence
