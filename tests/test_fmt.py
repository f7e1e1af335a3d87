"""Prose formatting: names with their articles, possessives, shares, ranks, lists and dates."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis import fmt


@pytest.mark.parametrize(
    "name, the, possessive",
    [
        ("United States", "the United States", "the United States'"),
        ("UAE", "the United Arab Emirates", "the United Arab Emirates'"),
        ("Central African Republic", "the Central African Republic", "the Central African Republic's"),
        ("Gambia", "the Gambia", "the Gambia's"),
        ("Mali", "Mali", "Mali's"),
        ("Comoros", "the Comoros", "the Comoros'"),
        ("Turkiye", "Türkiye", "Türkiye's"),
        ("Cote d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire's"),
    ],
)
def test_names_take_the_article_english_needs(name, the, possessive) -> None:
    assert fmt.the(name) == the and fmt.possessive(name) == possessive
    assert fmt.possessive(name, capital=True) == possessive[0].upper() + possessive[1:]
    assert "'s's" not in possessive and "States's" not in possessive


def test_one_display_name_function_drops_sipri_marks() -> None:
    assert fmt.name("European Union**") == "European Union"
    assert fmt.name("Others") == "Others" and fmt.name("Air defence systems") == "Air defence systems"
    assert fmt.names(["United States", "Russia", "UAE"]) == "the United States, Russia and the United Arab Emirates"


@pytest.mark.parametrize(
    "x, text",
    [
        (21.6013, "21.6%"),
        (0.04, "less than 0.1%"),
        (0.05, "0.1%"),
        (0, "0%"),
        (100, "100.0%"),
        (None, "n/a"),
        (float("nan"), "n/a"),
    ],
)
def test_shares(x, text) -> None:
    assert fmt.pct(x) == text


@pytest.mark.parametrize(
    "new, old, text",
    [(5.0, 4.4, "up from 4.4%"), (4.0, 4.4, "down from 4.4%"), (4.41, 4.39, "unchanged from 4.4%"), (0.0, 3.0, "down from 3.0%")],
)
def test_shift_says_unchanged_when_the_shown_values_are_equal(new, old, text) -> None:
    assert fmt.shift(new, old) == text


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "1st"),
        (2.0, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (101, "101st"),
        (111, "111th"),
    ],
)
def test_ranks_are_integers_with_ordinals(n, text) -> None:
    assert fmt.ordinal(n) == text


def test_lists_plurals_and_verbs() -> None:
    assert fmt.listing([]) == "" and fmt.listing(["a"]) == "a" and fmt.listing(["a", "b"]) == "a and b"
    assert fmt.listing(["a", "b", "c"], "or") == "a, b or c"
    assert fmt.plural(0, "deal") == "0 deals" and fmt.plural(1, "deal") == "1 deal" and fmt.plural(2, "system") == "2 systems"
    assert fmt.verb(["x"], "was", "were") == "was" and fmt.verb(["x", "y"], "was", "were") == "were"


def test_years_and_dates() -> None:
    assert fmt.years(2020, 2024) == "2020-24" and fmt.years(1999, 2004) == "1999-2004" and fmt.years(2024, 2024) == "2024"
    assert fmt.long_date("2024-09-02") == "2 September 2024" and fmt.long_date(dt.date(2025, 9, 22)) == "22 September 2025"
    assert fmt.long_date("2023-03") == "March 2023" and fmt.long_date("2022") == "2022"


def test_numbers_and_tiv_are_never_money() -> None:
    assert fmt.tiv(1363.18) == "1,363 million TIV" and fmt.tiv(2.34) == "2.3 million TIV"
    assert fmt.tiv(0.01) == "less than 0.1 million TIV" and "$" not in fmt.tiv(5000)
    assert fmt.num(1234.5) == "1,234" or fmt.num(1234.5) == "1,235"
    assert fmt.change(242.2) == "+242%" and fmt.change(float("nan")) == "new" and fmt.change(-6.4) == "-6%"


def test_first_sentence_never_cuts_inside_a_parenthesis() -> None:
    note = "Lineage (defenceWeb; Janes): a 2015 rebrand. Second sentence."
    assert fmt.first_sentence(note) == "Lineage (defenceWeb; Janes): a 2015 rebrand."
    long = "A system (" + "word " * 80 + ") end."
    out = fmt.first_sentence(long, limit=60)
    assert out.count("(") == out.count(")") and out.endswith("\u2026")


def test_escapes_one_per_target() -> None:
    assert fmt.esc_html('<b a="1">') == "&lt;b a=&quot;1&quot;&gt;"
    assert fmt.esc_md("*Mi-24* [x]") == r"\*Mi-24\* \[x\]" and fmt.esc_md("<i>") == "&lt;i&gt;"


def test_region_names_say_whose_grouping() -> None:
    assert fmt.region_name("Africa") == "Africa (SIPRI's definition, without Egypt)"
    assert fmt.region_name("Sahel") == "the G5 Sahel states"
    assert fmt.grouping("West Africa") == "African Union sub-region" and fmt.grouping("Africa") == "SIPRI region"
    assert fmt.grouping("Sahel") == "the five G5 Sahel states"


# ----------------------------------------------------------------- edges the cases above leave open
def test_names_outside_the_curated_tables() -> None:
    # SIPRI's trailing marks go, leading text stays; a list keeps its conjunction
    assert fmt.name("Others**") == "Others" and fmt.name("Unknown rebel group*") == "Unknown rebel group"
    assert fmt.names(["Russia", "China"], "or") == "Russia or China"


@pytest.mark.parametrize(
    "region, text",
    [
        ("Africa", "Africa (SIPRI's definition, without Egypt)"),
        ("Sahel", "the G5 Sahel states"),
        ("Sub-Saharan Africa", "sub-Saharan Africa"),
        ("Middle East", "the Middle East"),
        ("AES", "the Alliance of Sahel States"),
        ("ECOWAS", "ECOWAS"),
        ("Americas", "the Americas"),
        ("West Africa", "West Africa"),
    ],
)
def test_every_region_reads_as_a_sentence_needs(region, text) -> None:
    assert fmt.region_name(region) == text


@pytest.mark.parametrize(
    "region, text",
    [
        ("Europe", "SIPRI region"),
        ("Sub-Saharan Africa", "SIPRI's Africa without North Africa"),
        ("North Africa", "African Union sub-region"),
        ("South East Asia", "SIPRI sub-region"),
        ("AES", "the Alliance of Sahel States"),
        ("ECOWAS", "the Economic Community of West African States"),
        ("Friends of Mali", "group"),
    ],
)
def test_every_grouping_says_whose_it_is(region, text) -> None:
    assert fmt.grouping(region) == text


def test_share_just_below_the_smallest_shown_value() -> None:
    assert fmt.pct(0.047) == "less than 0.1%" and fmt.pct(0.0047, digits=2) == "less than 0.01%"


def test_tiv_thresholds() -> None:
    assert fmt.tiv(0) == "0.0 million TIV"  # nothing delivered is not "less than 0.1"
    assert fmt.tiv(0.05) == "0.1 million TIV" and fmt.tiv(0.5) == "0.5 million TIV"
    assert fmt.tiv(10) == "10 million TIV" and fmt.tiv(10.4) == "10 million TIV" and fmt.tiv(9.96) == "10.0 million TIV"
    assert fmt.tiv(None) == "n/a" and fmt.num(None) == "n/a" and fmt.num(float("nan")) == "n/a"


def test_ordinals_past_one_hundred_and_counts_as_subjects() -> None:
    assert fmt.ordinal(121) == "121st" and fmt.ordinal(112) == "112th" and fmt.ordinal(20) == "20th"
    assert fmt.verb(1, "was", "were") == "was" and fmt.verb(3, "was", "were") == "were"


def test_shift_keeps_the_precision_asked_for() -> None:
    assert fmt.shift(5.0, 4.444, digits=2) == "up from 4.44%"
    assert fmt.shift(4.4, 4.444, digits=2) == "down from 4.44%"
    assert fmt.shift(4.441, 4.444, digits=2) == "unchanged from 4.44%"


def test_years_across_a_century_start() -> None:
    assert fmt.years(2000, 2009) == "2000-09" and fmt.years(1995, 2000) == "1995-2000"


def test_first_sentence_ends_at_a_semicolon_or_a_period_outside_parentheses() -> None:
    assert fmt.first_sentence("Delivered to the army in 2023; the rest followed.") == "Delivered to the army in 2023."
    note = "Ordered in 2019 (a second batch. Mi-17s; delayed) and delivered in 2023. More text."
    assert fmt.first_sentence(note) == "Ordered in 2019 (a second batch. Mi-17s; delayed) and delivered in 2023."
    # a letter next to a space is no sentence end
    assert (
        fmt.first_sentence("Russia delivered the Pantsir-SX systems in 2023. Second.")
        == "Russia delivered the Pantsir-SX systems in 2023."
    )


def test_first_sentence_ignores_a_period_in_the_first_twenty_characters() -> None:
    assert fmt.first_sentence("The Mi-35 helicopter. Then more.") == "The Mi-35 helicopter. Then more."  # '.' at 20
    assert fmt.first_sentence("The Mi-35M helicopter. Then more.") == "The Mi-35M helicopter."  # '.' at 21


def test_first_sentence_cuts_at_a_whole_word_within_the_limit() -> None:
    assert fmt.first_sentence("one two three four", limit=18) == "one two three four"
    assert fmt.first_sentence("one two three four", limit=15) == "one two three\u2026"
    assert fmt.first_sentence("one two three four", limit=14) == "one two\u2026"
    fits, too_long = "word " * 43 + "final", "word " * 43 + "longer"  # 220 and 221 characters, no sentence end
    assert fmt.first_sentence(fits) == fits
    out = fmt.first_sentence(too_long)
    assert len(out) <= 220 and out == "word " * 42 + "word\u2026"


def test_first_sentence_drops_an_open_parenthesis_with_the_punctuation_before_it() -> None:
    t = "Twelve Pantsir-SX (three batteries) came first, then the Pantsir-SX (S1 version with radars) in 2024"
    assert fmt.first_sentence(t, limit=70) == "Twelve Pantsir-SX (three batteries) came first, then the Pantsir-SX\u2026"
    assert fmt.first_sentence(t, limit=50) == "Twelve Pantsir-SX (three batteries) came first,\u2026"
    t = "Twelve helicopters arrived in 2023, (the second batch of engines still awaited at the end of the year)"
    assert fmt.first_sentence(t, limit=50) == "Twelve helicopters arrived in 2023\u2026"


def test_markdown_escape_leaves_quotes_alone() -> None:
    assert fmt.esc_md('the "Wagner" group\'s') == 'the "Wagner" group\'s'
    assert fmt.esc_html("Côte d'Ivoire") == "Côte d&#x27;Ivoire"


# --------------------------------------------------------------------------- every form, in English and in French
NAMES = ("Mali", "Cote d'Ivoire", "United States", "FAN (Chad)*")
SPECS = ("", "de", "a", "the", "The", "De", "poss", "Poss")


def forms(lang: str) -> dict[str, object]:
    from analysis import i18n

    with i18n.use(lang):
        return {
            "named": [format(fmt.Named(x), s) for x in NAMES for s in SPECS],
            "the, possessive": [
                fmt.the("Mali", True),
                fmt.possessive("Mali", True),
                fmt.possessive("United States"),
                fmt.possessive("United States", True),
                fmt.the("United States", True),
                fmt.the("United States"),
            ],
            "regions": [fmt.region_name(r) for r in ("ECOWAS", "West Africa", "AES")] + [fmt.name("Cote d'Ivoire")],
            "tiv": [fmt.tiv(v) for v in (0, 0.01, 0.5, 1.5, 2, 9.96, 10, 1234.5)],
            "plural": [fmt.plural(n, "system") for n in (0, 1, 2, 1500)] + [fmt.plural(2, "system", "systemz")],
            "numbers": [
                fmt.num(1234.5),
                fmt.num(1234.56, 1),
                fmt.change(0),
                fmt.change(0.4),
                fmt.change(-12.6),
                fmt.change(12.4),
            ],
            "pct": [fmt.pct(x, d) for x, d in ((0.04, 1), (0.047, 1), (0.1, 1), (0.14, 1), (0.004, 2), (0.0, 1), (0.4, 0))],
            "dates": [fmt.long_date(x) for x in ("2024-09-02", "2027-01", "2024", dt.date(2024, 1, 1), "2024-12-30")],
            "lists": [fmt.listing(["a", "b", "c"], "or"), fmt.listing(["a", "b"], "nor")],
        }


def test_every_form_in_english() -> None:
    assert forms("en") == {
        "named": [
            *("Mali", "of Mali", "in Mali", "Mali", "Mali", "Of Mali", "Mali's", "Mali's"),
            *("Côte d'Ivoire", "of Côte d'Ivoire", "in Côte d'Ivoire", "Côte d'Ivoire", "Côte d'Ivoire", "Of Côte d'Ivoire"),
            *("Côte d'Ivoire's", "Côte d'Ivoire's"),
            *("United States", "of the United States", "in the United States", "the United States", "The United States"),
            *("Of the United States", "the United States'", "The United States'"),
            *(
                "FAN (Chad)",
                "of FAN (Chad)",
                "in FAN (Chad)",
                "FAN (Chad)",
                "FAN (Chad)",
                "Of FAN (Chad)",
                "FAN (Chad)'s",
                "FAN (Chad)'s",
            ),
        ],
        "the, possessive": [
            "Mali",
            "Mali's",
            "the United States'",
            "The United States'",
            "The United States",
            "the United States",
        ],
        "regions": ["ECOWAS", "West Africa", "the Alliance of Sahel States", "Côte d'Ivoire"],
        "tiv": [
            *("0.0 million TIV", "less than 0.1 million TIV", "0.5 million TIV", "1.5 million TIV", "2.0 million TIV"),
            *("10.0 million TIV", "10 million TIV", "1,234 million TIV"),
        ],
        "plural": ["0 systems", "1 system", "2 systems", "1,500 systems", "2 systemz"],
        "numbers": ["1,234", "1,234.6", "+0%", "+0%", "-13%", "+12%"],
        "pct": ["less than 0.1%", "less than 0.1%", "0.1%", "0.1%", "less than 0.01%", "0%", "less than 1%"],
        "dates": ["2 September 2024", "January 2027", "2024", "1 January 2024", "30 December 2024"],
        "lists": ["a, b or c", "a nor b"],
    }


def test_every_form_in_french() -> None:
    n = "\u202f"  # the narrow no-break space of French numbers and percentages
    assert forms("fr") == {
        "named": [
            *("Mali", "du Mali", "au Mali", "le Mali", "Le Mali", "Du Mali", "du Mali", "Du Mali"),
            *("Côte d’Ivoire", "de la Côte d’Ivoire", "en Côte d’Ivoire", "la Côte d’Ivoire", "La Côte d’Ivoire"),
            *("De la Côte d’Ivoire", "de la Côte d’Ivoire", "De la Côte d’Ivoire"),
            *("États-Unis", "des États-Unis", "aux États-Unis", "les États-Unis", "Les États-Unis", "Des États-Unis"),
            *("des États-Unis", "Des États-Unis"),
            *(
                "FAN (Chad)",
                "de FAN (Chad)",
                "à FAN (Chad)",
                "FAN (Chad)",
                "FAN (Chad)",
                "De FAN (Chad)",
                "de FAN (Chad)",
                "De FAN (Chad)",
            ),
        ],
        "the, possessive": ["Le Mali", "Du Mali", "des États-Unis", "Des États-Unis", "Les États-Unis", "les États-Unis"],
        "regions": ["la CEDEAO", "l’Afrique de l’Ouest", "l’Alliance des États du Sahel", "Côte d’Ivoire"],
        "tiv": [
            *("0,0 million de TIV", "moins de 0,1 million de TIV", "0,5 million de TIV", "1,5 million de TIV"),
            *("2,0 millions de TIV", "10,0 millions de TIV", "10 millions de TIV", f"1{n}234 millions de TIV"),
        ],
        "plural": ["0 system", "1 system", "2 systems", f"1{n}500 systems", "2 systemz"],
        "numbers": [f"1{n}234", f"1{n}234,6", f"+0{n}%", f"+0{n}%", f"\u221213{n}%", f"+12{n}%"],
        "pct": [
            f"moins de 0,1{n}%",
            f"moins de 0,1{n}%",
            f"0,1{n}%",
            f"0,1{n}%",
            f"moins de 0,01{n}%",
            f"0{n}%",
            f"moins de 1{n}%",
        ],
        "dates": ["2 septembre 2024", "janvier 2027", "2024", "1er janvier 2024", "30 décembre 2024"],
        "lists": ["a, b ou c", "a nor b"],
    }
