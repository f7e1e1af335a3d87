"""analysis.render.page: the page's prose through fmt, and its parts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pandas as pd
import pytest

from analysis import params, render
from analysis.render import page, pipeline

MALI = params.Params(
    region="Africa",
    subregions=("Sub-Saharan Africa",),
    peers=("Burkina Faso", "Niger"),
    rivals=("Russia", "United States"),
    former_power=("France",),
    end=2024,
    agreement_date="2024-09-02",
)
SECTIONS = [{"stem": s, "html": f"<p>Section {s}</p>"} for s in pipeline.NOTEBOOKS]
KEY_FIGURES = {
    s: {
        "title": f"Title {s}",
        "releases": ["March 2025"],
        "figures": [{"text": f"Finding of {s}", "headline": True, "years": [2020, 2024]}],
    }
    for s in pipeline.NOTEBOOKS
}
BUILT = dt.datetime(2026, 12, 2, 3, 56, tzinfo=dt.UTC)


def test_title_subtitle_and_ledger_intro_use_fmt() -> None:
    assert page.title_of(MALI) == "Mali, Norinco and China's arms in Africa"
    car = params.Params(
        recipient="Central African Republic", supplier="United States", region="Africa", start=2000, end=2024, agreement_date=""
    )
    assert page.title_of(car) == "The Central African Republic and the United States' arms in Africa"
    assert page.subtitle_of(car).startswith(
        "The Central African Republic's arms imports and the United States' arms transfers to Africa, 2000\u20132024"
    )
    assert page.ledger_intro(MALI).startswith("Claims published in the news about Mali, each checked")


def test_the_maker_comes_from_the_curated_tables() -> None:
    assert page.maker_of(MALI) == "Norinco"
    assert page.maker_of(params.Params(supplier="Russia", agreement_date="2024-09-02")) is None
    assert page.maker_of(params.Params(agreement_date="")) is None


def test_parameter_rows_list_every_parameter() -> None:
    rows = dict(page.parameter_rows(MALI))
    assert rows["Peers"] == "Burkina Faso, Niger" and rows["Former power"] == "France"
    assert rows["Agreement date"] == "2 September 2024" and rows["Years"] == "2000\u20132024"
    assert dict(page.parameter_rows(params.Params(peers=(), agreement_date="", end=2024)))["Peers"] == "none"


def test_the_ledger_section_only_where_there_is_a_ledger() -> None:
    ledger = pd.DataFrame([{"id": 1, "claim": "C", "verdict": "supported", "evidence": "E", "sources": ""}])
    with_ledger = page.assemble(MALI, SECTIONS, KEY_FIGURES, ledger, built=BUILT)
    without = page.assemble(MALI, SECTIONS, KEY_FIGURES, None, built=BUILT)
    assert 'id="claim-ledger"' in with_ledger and 'id="claim-ledger"' not in without
    assert "2 December 2026, 03:56 UTC" in without and "Finding of 02_context" in without


def test_ledger_for_the_claims_about_the_recipient(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis import claims

    monkeypatch.setattr(claims, "ledger_about", lambda recipient: f"the claims about {recipient}")
    assert render.ledger_for(MALI) == "the claims about Mali"
    assert render.ledger_for(params.Params(recipient="Niger")) == "the claims about Niger"
    assert render.ledger_for(MALI, []) is None


def test_ledger_for_writes_the_evidence_in_the_briefings_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build computes the ledger in a side thread, which does not inherit the caller's
    language: ledger_for sets the briefing's own."""
    from concurrent.futures import ThreadPoolExecutor

    from analysis import claims, i18n

    monkeypatch.setattr(claims, "ledger_about", lambda recipient: (recipient, i18n.language()))
    with ThreadPoolExecutor(1) as side:
        assert side.submit(render.ledger_for, params.Params(lang="fr")).result() == ("Mali", "fr")
        assert side.submit(render.ledger_for, MALI).result() == ("Mali", "en")


# --------------------------------------------------------------------------- for every reader
def test_citation_from_the_cover_values() -> None:
    rows = page.parameter_rows(MALI)
    c = page.citation("Mali & 100% of China's_arms", BUILT, rows, ["SIPRI register (March 2025 release)"], "briefing")
    assert c["text"].startswith("Arms-transfer briefings contributors. \u201cMali & 100% of China's_arms.\u201d")
    assert "built 2 December 2026, 03:56 UTC" in c["text"] and "Recipient: Mali; Supplier: China" in c["text"]
    assert (
        "Data releases: SIPRI register (March 2025 release)." in c["text"] and "File: briefing.html or briefing.pdf." in c["text"]
    )
    bib = c["bibtex"]
    assert bib.startswith("@misc{briefing-20261202,\n") and bib.endswith("\n}")
    assert "  author = {{Arms-transfer briefings contributors}},\n" in bib
    assert "  title = {{Mali \\& 100\\% of China's\\_arms}},\n" in bib  # TeX specials escaped
    assert "  year = {2026},\n  month = dec,\n" in bib and "Agreement date: 2 September 2024" in bib
    assert bib.count("{") == bib.count("}")
    # the page's citation uses the same title, date and file as the cover
    html = page.assemble(MALI, SECTIONS, KEY_FIGURES, None, built=BUILT, data_folder="mali-data")
    assert 'id="cite"' in html and "File: mali.html or mali.pdf." in html and "@misc{mali-20261202," in html
    assert f"\u201c{page.title_of(MALI)}.\u201d".replace("'", "&#39;") in html


def test_page_landmarks_skip_link_and_heading_order() -> None:
    ledger = pd.DataFrame([{"id": 1, "claim": "C", "verdict": "supported", "evidence": "E", "sources": "https://x.org/a"}])
    html = page.assemble(MALI, SECTIONS, KEY_FIGURES, ledger, built=BUILT)
    assert '<html lang="en">' in html and html.count("<main>") == 1
    body = html[html.index("<body>") :]
    assert body.index('<a class="skip-link" href="#key-findings">') < body.index("<main>")
    assert '<section class="part" id="key-findings" tabindex="-1">' in html
    levels = [int(h) for h in re.findall(r"<h([1-6])[\s>]", body)]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    # every wide table of the page scrolls in its own box (or reflows on a phone)
    for cls in ("ledger long reflow", "sources long reflow"):
        assert f'<div class="table-scroll">\n<table class="{cls}">' in html
    assert re.search(r'<td class="claim" data-label="Claim">', html)


def _luminance(colour: str) -> float:
    h = colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    rgb = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two hex colours."""
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _css_rules(css: str) -> list[tuple[str, dict[str, str]]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        decl = dict((k.strip(), v.strip()) for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d))
        rules.append((" ".join(selector.split()), decl))
    return rules


def _hex(value: str) -> str | None:
    m = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
    return m.group(0) if m else None


def test_colours_pass_wcag_aa() -> None:
    """Every text colour of the stylesheet (and of the batch index's own rules) on its rule's
    background, or on white, passes WCAG AA for normal text (4.5:1); so do the verdict badges."""
    from analysis import paths

    css = page.stylesheet() + (paths.PAGE_TEMPLATES / "batch_index.html.j2").read_text(encoding="utf-8").split("<style>")[1]
    rules = _css_rules(str(css))
    text = next(_hex(d["color"]) for s, d in rules if s == "html")  # the page's text colour
    checked = []
    colour = {sel: _hex(d["color"]) for sel, d in rules if _hex(d.get("color", ""))}
    for selector, decl in rules:
        fg = _hex(decl.get("color", ""))
        bg = _hex(decl.get("background", "") or decl.get("background-color", ""))
        base = selector
        while fg is None and "." in base.rsplit(" ", 1)[-1][1:]:  # .label.v-partly inherits .label's colour
            base = base.rsplit(".", 1)[0]
            fg = colour.get(base)
        if fg is None and bg is None:
            continue
        ratio = contrast(fg or text, bg or "#ffffff")
        checked.append((selector, round(ratio, 2)))
        assert ratio >= 4.5, f"{selector}: {fg or text} on {bg or '#ffffff'} is {ratio:.2f}:1"
    badges = {s: r for s, r in checked if s.startswith(".label.v-")}
    assert set(badges) == {".label.v-supported", ".label.v-partly", ".label.v-contradicted", ".label.v-unchecked"}
    assert len(checked) > 20


# --------------------------------------------------------------------------- the French frame
MALI_FR = dataclasses.replace(MALI, lang="fr")
LEDGER = pd.DataFrame(
    [
        {"id": 1, "claim": "Mali signed", "verdict": "supported", "evidence": "Selon le SIPRI : oui.", "sources": ""},
        {"id": 2, "claim": "China leads", "verdict": "not checkable with these data", "evidence": "E", "sources": ""},
    ]
)


def test_the_french_frame_says_it_in_french() -> None:
    from analysis import i18n

    with i18n.use("fr"):
        assert page.title_of(MALI_FR) == "Le Mali, Norinco et les armes de la Chine en Afrique"
        car = params.Params(recipient="Central African Republic", supplier="United States", region="Africa", agreement_date="")
        assert page.title_of(car) == "La République centrafricaine et les armes des États-Unis en Afrique"
        assert page.subtitle_of(car).startswith(
            "Les importations d’armes de la République centrafricaine et les transferts d’armes des États-Unis vers l’Afrique, "
        )
        assert page.ledger_intro(MALI_FR).startswith("Affirmations publiées dans la presse au sujet du Mali,")
        rows = dict(page.parameter_rows(dataclasses.replace(MALI_FR, peers=(), agreement_date="")))
        assert rows["Fournisseur"] == "Chine" and rows["Fournisseurs concurrents"] == "Russie, États-Unis"
        assert rows["Pays de comparaison"] == rows["Date de l’accord"] == "néant"
        assert page.built_text(BUILT) == "2 décembre 2026 à 03:56 UTC"
        assert page.release_meta("March 2025") == "Version de mars 2025"
    # the English title is the one it always was, whatever language was used before
    assert page.title_of(MALI) == "Mali, Norinco and China's arms in Africa"


def test_the_release_word_follows_only_a_release_label() -> None:
    """ "March 2025 release", but a UCDP or OWID source is named as it is (it was "UCDP GED via
    Our World in Data (1989-2024 download) release")."""
    assert page.release_meta("March 2025") == "March 2025 release"
    ucdp = "UCDP GED via Our World in Data (1989-2024 download)"
    assert page.release_meta(ucdp) == ucdp and page.release_meta("") == ""
    kf = {"x": {"figures": [{"text": "T", "headline": True, "region": "Mali", "years": "2024", "release": ucdp}]}}
    assert page.findings_of(kf) == [{"text": "T", "meta": f"Mali \u00b7 2024 \u00b7 {ucdp}"}]


def test_the_french_page() -> None:
    figures = {
        s: {**kf, "title": f"Titre {s}", "figures": [{**kf["figures"][0], "text": f"Constat {s}", "release": "March 2025"}]}
        for s, kf in KEY_FIGURES.items()
    }
    html = page.assemble(MALI_FR, SECTIONS, figures, LEDGER, built=BUILT, data_folder="briefing-fr-data")
    assert '<html lang="fr">' in html and "<h1>Principaux constats</h1>" in html
    assert "<h1>Affirmations vérifiées</h1>" in html and "<h1>Sources, licences et méthodes</h1>" in html
    # verdicts as checks.po names them, with the classes of their codes
    assert '<span class="label v-supported">étayé</span>' in html
    assert '<span class="label v-unchecked">invérifiable avec ces données</span>' in html
    # the claims files' words are English, and say so; the French evidence gets French typography
    assert '<td class="claim" data-label="Affirmation" lang="en">Mali signed' in html
    assert "Selon le SIPRI\u00a0: oui." in html
    # the key findings' meta, the methods' numbers and the citation in French
    assert "Version de mars 2025" in html and "March 2025 release" not in html
    assert "2 décembre 2026 à 03:56 UTC" in html and "Fichier\u00a0: briefing-fr.html ou briefing-fr.pdf." in html
    assert "  language = {french}\n" in html and "@misc{briefing-fr-20261202," in html
    # no English frame words left in the running text
    from bs4 import BeautifulSoup

    from tests.test_french_edition import english_words, running_text

    lines = [line for line in running_text(BeautifulSoup(html, "html.parser")) if "Section " not in line]  # the stand-ins'
    hits = english_words([re.sub(r"\b0\d_\w+", "", line) for line in lines])  # a notebook's stem is a file name
    assert len(lines) > 30 and not hits, hits[:8]


def test_the_english_page_has_no_french_typography() -> None:
    html = page.assemble(MALI, SECTIONS, KEY_FIGURES, LEDGER, built=BUILT)
    body = html[html.index("<body>") :]
    assert "\u202f" not in body and "\u00a0" not in body and " lang=" not in body
    assert "<h1>Key findings</h1>" in body and '<span class="label v-supported">supported</span>' in body
    assert "March 2025 release" in body


def test_the_appendix_method_labels_in_french() -> None:
    from analysis import i18n
    from analysis.render import appendix

    label = "held out: March 2026 China table, 2000-21; shape from the March 2022 tables"
    assert appendix.method_label(label) == label  # English is the data's own label
    with i18n.use("fr"):
        assert appendix.method_label(label) == (
            "hors échantillon : table Chine de la version de mars 2026, 2000-2021 ; profil tiré des tables de la version de mars 2022"
        )
        assert appendix.method_label("even spread") == "répartition uniforme"
        assert appendix.method_label("default (shape, then calibrate)") == "par défaut (profil, puis calage)"
        assert appendix.method_label("a label nobody knows") == "a label nobody knows"
        for _pattern, message in appendix.METHOD_LABELS:  # every message is translated
            assert i18n._(message) != message, message
