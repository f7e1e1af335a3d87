"""The French text of the curated tables (issue 15, the French edition): every row has its French
text, written from the English row (same numbers, designations and dates), with French
typography; and the loaders in analysis.context return it in French."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import context, i18n
from analysis.errors import ValidationError
from tests.test_curated import URL, read_curated

NNBSP, NBSP = "\u202f", "\u00a0"
#: Words a French sentence would not contain if it had been left in English.
ENGLISH = re.compile(r"\b(the|and|with|from|were|was|which|delivered|ordered|release)\b")


def _numbers(text: str) -> list[str]:
    """The figures of a text, in order of size, written the same way in both languages
    (thousands and decimal separators dropped; "05:00" and "5 h" alike)."""
    t = re.sub(r"\b0?(\d{1,2}):00\b", r"\1", text)  # "05:00" is "5 h" in French
    t = re.sub(r"(?<=\d)[,\u202f\u00a0](?=\d{3}\b)", "", t)
    t = re.sub(r"(?<=\d)[.,](?=\d)", "", t)
    return sorted(re.findall(r"\d+", t))


@pytest.fixture(scope="module")
def events() -> list[dict[str, str]]:
    return read_curated("events.csv")[1]


@pytest.fixture(scope="module")
def systems() -> list[dict[str, str]]:
    return read_curated("systems.csv")[1]


@pytest.mark.parametrize(
    "name,key,pairs",
    [
        ("events.csv", "event_id", {"title": "title_fr", "description": "description_fr"}),
        ("systems.csv", "designation", {"notes": "notes_fr"}),
    ],
)
def test_every_curated_row_has_its_french_text(name, key, pairs):
    for r in read_curated(name)[1]:
        for en, fr in pairs.items():
            if r[en].strip():
                assert r[fr].strip(), f"{name}: {r[key]} has {en} but no {fr}"
                assert r[fr] != r[en], f"{name}: {r[key]}: {fr} is the English text"
                assert not ENGLISH.search(r[fr].replace("Africa Corps", "")), f"{name}: {r[key]}: English left in {fr}"


def test_french_text_keeps_the_english_figures(events, systems):
    # Numbers, years and day numbers are the same in both languages ("22 September 2025" ->
    # "22 septembre 2025"); only their separators change. Spelled-out small numbers may become
    # figures or stay words, so a French text may hold the same figures or a subset of them.
    for r in events:
        for en, fr in (("title", "title_fr"), ("description", "description_fr")):
            assert set(_numbers(r[fr])) <= set(_numbers(r[en])) | {"1"}, f"{r['event_id']}: {fr}"
            assert set(_numbers(r[en])) <= set(_numbers(r[fr])), f"{r['event_id']}: {fr} drops a figure"
    for r in systems:
        assert _numbers(r["notes_fr"]) == _numbers(r["notes"]), r["designation"]


def test_french_typography(events, systems):
    texts = [r["title_fr"] + " " + r["description_fr"] for r in events] + [r["notes_fr"] for r in systems]
    for t in texts:
        assert "'" not in t, f"typographic apostrophe in French: {t[:80]}"
        assert not re.search(r"[^\u202f];|[^\u00a0]:(?!//)|« |[^\u00a0]»", t), f"French spacing: {t[:80]}"
        assert t.count("(") == t.count(")"), t[:80]


def test_french_titles_are_short_and_sources_are_urls(events):
    for r in events:
        assert len(r["title_fr"]) <= 90, r["title_fr"]
        assert not r["source_url_fr"] or URL.match(r["source_url_fr"]), r["event_id"]


def test_events_in_the_current_language():
    with i18n.use("fr"):
        fr = context.events("Mali", (2024, 2024))
    en = context.events("Mali", (2024, 2024))
    norinco = "norinco-agreement-2024-09-02"
    row_fr = fr.set_index("event_id").loc[norinco]
    row_en = en.set_index("event_id").loc[norinco]
    assert row_fr["title"] == "Le Mali signe à Pékin un accord d’équipement militaire avec Norinco"
    assert row_en["title"] == "Mali signs military equipment agreement with Norinco in Beijing"
    # The English text stays available in French (a claim's English words are matched on it).
    assert row_fr["title_en"] == row_en["title"] == row_en["title_en"]
    assert row_fr["description"].startswith("Goïta a visité Norinco à Pékin")
    assert list(fr["event_id"]) == list(en["event_id"])
    # Sources: the checked URLs are the same; French readers get a French-language one first.
    assert row_fr["source_url"] == row_en["source_url"]
    assert row_fr["reader_source_url"] == row_fr["source_url_fr"].strip() or row_fr["source_url"]
    assert row_en["reader_source_url"] == row_en["source_url"]
    # An explicit language wins over the current one.
    with i18n.use("fr"):
        assert context.events("Mali", lang="en")["title"].equals(context.events("Mali", lang="en")["title_en"])


def test_reader_source_prefers_a_french_source_in_french():
    with i18n.use("fr"):
        e = context.events(None).set_index("event_id")
    assert e.loc["aes-charter", "reader_source_url"].startswith("https://www.afrik.com/")
    assert e.loc["tigray-war-begins-2020", "reader_source_url"] == e.loc["tigray-war-begins-2020", "source_url"]


def test_systems_notes_in_the_current_language():
    with i18n.use("fr"):
        s = context.systems_for("Mali", ["CS/VP-14", "Akinci", "Hurkus-C"])
    en = context.systems_for("Mali", ["CS/VP-14", "Akinci", "Hurkus-C"])
    # The same rows in both languages (chosen on the English note), the note in French.
    assert list(s["designation"]) == list(en["designation"]) == ["CS/VP-14", "Akinci", "Hurkus-C"]
    # Hurkus-C's note names Mali in English only ("Not a Mali system."): still kept in French.
    assert s.set_index("designation").loc["Hurkus-C", "note"] == (
        "Système absent de l’arsenal malien. Les trois appareils du Tchad ont été officiellement réceptionnés"
        " à N’Djamena le 9 août 2023 (voir events.csv)."
    )
    note = s.set_index("designation").loc["CS/VP-14", "note"]
    assert note == "MRAP 4x4, jusqu’à 11 personnes, STANAG 4569 niveau 3b (Zona Militar)."
    # The French note is cut where the English one is (English skips a stop in its first 20
    # characters), so both show the same facts.
    akinci = s.set_index("designation").loc["Akinci", "note"]
    assert akinci.startswith("Présentés en novembre 2024\u202f; deux perdus en 2025")
    assert akinci.endswith("(le type du drone abattu est contesté, voir events.csv).")
    assert en.set_index("designation").loc["Akinci", "note"].startswith("Presented Nov 2024; two lost in 2025")
    with i18n.use("fr"):
        assert context.systems()["notes_en"].equals(context.systems(lang="en")["notes"])


def test_first_sentence_keeps_french_spaces():
    with i18n.use("fr"):
        got = context.first_sentence("Le SIPRI recense pour le Mali\u00a0: 2 commandés en 2016, 2 livrés en 2017 (SIPRI).")
    assert got == "Le SIPRI recense pour le Mali\u00a0: 2 commandés en 2016, 2 livrés en 2017 (SIPRI)."
    assert context.first_sentence("A first long sentence of the note; and more.") == "A first long sentence of the note."


def test_missing_french_text_is_a_one_line_error():
    frame = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "title": ["One", "Two"],
            "title_fr": ["Un", " "],
            "description": ["", ""],
            "description_fr": ["", ""],
        }
    )
    with pytest.raises(
        ValidationError, match=r"^events\.csv: event_id 'b' has title but no title_fr; write its French text"
    ) as e:
        context.check_french(frame, context.EVENT_TEXT, "event_id", "events.csv")
    assert "\n" not in str(e.value)
    with pytest.raises(ValidationError, match="no column notes_fr"):
        context.check_french(
            pd.DataFrame({"designation": ["x"], "notes": ["n"]}), context.SYSTEM_TEXT, "designation", "systems.csv"
        )


def test_same_cut_falls_back_when_the_stops_differ():
    with i18n.use("fr"):
        # The English cut skips its first stop (in the first 20 characters): so does the French.
        assert context.same_cut("Shown Nov 2024; two lost. More.", "Présentés en novembre 2024\u202f; deux perdus. Plus.") == (
            "Présentés en novembre 2024\u202f; deux perdus."
        )
        # A cut at a French semicolon leaves no space before the full stop.
        assert context.first_sentence("Une première phrase assez longue\u202f; la suite.") == "Une première phrase assez longue."
        # Different stops: the French text's own first sentence.
        assert context.same_cut("Shown Nov 2024; two lost. More.", "Présentés en 2024, deux perdus. Plus.") == (
            "Présentés en 2024, deux perdus."
        )
