"""The briefing's sentences, from hand-written figures: zero, one, ties, missing years, unchanged
values, no supplier, unknown suppliers, and names that need an article."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import i18n, prose

BAD = re.compile(r"n/a|none was|rank \d+\.0|'s's|States's|\(\)|  ")


def shares(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["supplier", "share"])
    df["tiv"] = df["share"]
    return df


def clean(md: str) -> str:
    assert not BAD.search(md), md
    return md


def test_standing_counts_identified_suppliers_only() -> None:
    sh = shares([("unknown supplier(s)", 40.0), ("Russia", 30.0), ("China", 20.0), ("Turkiye", 10.0)])
    assert prose.rank_of(sh, "China") == 2 and prose.rank_of(sh, "Russia") == 1
    assert prose.leaders(sh) == ["Russia"] and prose.rank_of(sh, "France") is None
    b = prose.deliveries_block("Mali", "China", sh, (2020, 2024), 6, 50.0, (1950, 2024), "March 2025")
    text = clean(b.md)
    assert (
        "China supplied 20.0% of Mali's imports of major arms, the 2nd-largest supplier; the largest was Russia (30.0%)" in text
    )
    assert "could not identify the supplier of 40.0%" in text and "6 deals" in text
    assert b.figures[-1]["value"] == 20.0 and b.figures[-1]["years"] == "2020-24"


def test_ties_for_first_place_name_every_leader() -> None:
    sh = shares([("France", 40.0), ("United States", 40.0), ("China", 20.0)])
    assert prose.leaders(sh) == ["France", "United States"]
    assert prose.standing_phrase(sh, "France") == "the joint largest supplier with the United States"
    b = prose.deliveries_block("Senegal", "China", sh, (2020, 2024), 1, 3.0, (1950, 2024), "March 2025")
    assert "the largest was France and the United States (40.0%)" in clean(b.md) and "1 deal " in b.md


def test_a_sole_supplier_is_called_that() -> None:
    b = prose.deliveries_block(
        "Eswatini", "Taiwan", shares([("Taiwan", 100.0)]), (2020, 2024), 1, 2.1, (1950, 2024), "March 2025"
    )
    assert "Taiwan supplied 100.0% of Eswatini's imports of major arms, its only identified supplier." in b.md


def test_no_imports_and_no_supplier_say_what_the_data_hold() -> None:
    empty = shares([])
    b = prose.deliveries_block("Cabo Verde", "China", empty, (2020, 2024), 0, 0.0, (1950, 2024), "March 2025")
    assert "SIPRI records no imports of major arms by Cabo Verde in 2020-24" in clean(b.md)
    assert "0 deals" not in b.md and "0.0 million" not in b.md and not b.figures
    only = shares([("Turkiye", 100.0)])
    b2 = prose.deliveries_block("Gambia", "United States", only, (2020, 2024), 0, 0.0, (1950, 2024), "March 2025")
    assert (
        "The United States delivered no major arms to the Gambia in 2020-24; Türkiye was the only identified supplier."
        in clean(b2.md)
    )


def test_headings_follow_the_data() -> None:
    assert prose.deal_heading("Mali", "China", True).md == "# 1. The deal: Mali and China"
    assert prose.deal_heading("Nigeria", "United States", False).md == "# 1. The United States' arms deliveries to Nigeria"
    assert prose.context_heading("Mali", "war").md.endswith("Mali's security crisis and its arms suppliers")
    assert prose.context_heading("Egypt", "conflict").md == "# 2. Context: conflict in Egypt and its arms suppliers"
    assert prose.context_heading("Gambia", "none").md == "# 2. Context: the Gambia's arms suppliers"


@pytest.mark.parametrize(
    "deaths, level",
    [
        ([0, 0, 0], "none"),
        ([3, 24, 0], "none"),
        ([25, 0, 0], "conflict"),
        ([999, 10, 0], "conflict"),
        ([1000, 0, 0], "war"),
        ([], "none"),
    ],
)
def test_violence_levels_use_ucdp_thresholds(deaths, level) -> None:
    s = pd.Series(deaths, index=range(2020, 2020 + len(deaths)), dtype=float)
    assert prose.violence_level(s) == level


def test_deaths_paragraph_handles_a_peak_in_the_last_year_and_no_conflict() -> None:
    s = pd.Series([100.0, 300.0, 2000.0], index=[2022, 2023, 2024])
    b = prose.deaths_block("Mali", s, "UCDP", 2000)
    assert "UCDP counts 2,000 deaths in organised violence in Mali in 2024, the most in any year since 2000" in clean(b.md)
    peak = pd.Series([3000.0, 300.0], index=[2023, 2024])
    assert "the highest yearly count since 2000 was 3,000, in 2023" in prose.deaths_block("Mali", peak, "UCDP", 2000).md
    old = pd.Series([1191.0, 0.0, 0.0, 0.0, 0.0, 0.0], index=range(2000, 2006))
    assert prose.violence_level(old) == "war" and prose.violence_level(old, recent=5) == "none"
    assert not prose.deaths_block("Cabo Verde", pd.Series([0.0, 0.0], index=[2023, 2024]), "UCDP", 2000)
    assert not prose.deaths_block("Cabo Verde", pd.Series([], dtype=float), "UCDP", 2000)


def test_acled_partial_year_is_labelled() -> None:
    s = pd.Series([10.0, 12.0], index=[2024, 2025])
    assert "in 2025 up to 24 October 2025, a partial year" in prose.acled_block("Mali", s, "ACLED", "2025-10-24").md
    assert "partial" not in prose.acled_block("Mali", s, "ACLED", "2026-01-05").md
    assert not prose.acled_block("Mali", pd.Series([0.0], index=[2025]), "ACLED", "")


def longw(rows, windows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["window", "supplier", "share"])
    df.attrs["windows"] = windows
    return df


def test_suppliers_by_window_with_ties_gaps_and_the_former_power() -> None:
    w = ["2015-19", "2020-24"]
    lw = longw(
        [
            ("2015-19", "France", 60.0),
            ("2015-19", "Russia", 40.0),
            ("2020-24", "Russia", 45.0),
            ("2020-24", "China", 45.0),
            ("2020-24", "France", 10.0),
        ],
        w,
    )
    b = prose.suppliers_block("Mali", "China", lw, ("France",), "March 2025")
    text = clean(b.md)
    assert "France in 2015-19 and China and Russia in 2020-24" in text
    assert "France 60.0% in 2015-19 and 10.0% in 2020-24" in text
    f = b.figures[0]
    assert f["value"] == "China and Russia" and "were Mali's largest suppliers" in f["text"]
    assert "France's share, as the former colonial power, peaked at 60.0% in 2015-19 and was 10.0% in 2020-24" in f["text"]
    assert prose.suppliers_title("Mali", lw) == "China and Russia were Mali's largest arms suppliers in 2020-24"
    gap = longw([("2015-19", "Portugal", 100.0)], w)
    g = prose.suppliers_block("Cabo Verde", "China", gap, ("Portugal",), "March 2025")
    assert "no imports of major arms by Cabo Verde from an identified supplier in 2020-24" in clean(g.md) and not g.figures
    assert prose.suppliers_title("Cabo Verde", gap) == "Cabo Verde's arms suppliers by 5-year window"
    none = longw([("2015-19", "unknown supplier(s)", 100.0)], w).iloc[0:0]
    none.attrs["windows"] = w
    assert "from an identified supplier in 2015-24 (March 2025 release)" in clean(
        prose.suppliers_block("Cabo Verde", "China", none, (), "March 2025").md
    )  # the windows' whole span, not "2015-19-24"


def standing(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["recipients", "window", "supplier", "share", "rank", "leader", "leader_share"])


def test_region_verdict_for_leader_runner_up_and_absent_supplier() -> None:
    st = standing(
        [
            ("Africa", "2015-19", "China", 14.2, 2, "Russia", 45.9),
            ("Africa", "2020-24", "China", 18.3, 2, "Russia", 21.6),
            ("Sub-Saharan Africa", "2015-19", "China", 18.6, 2, "Russia", 31.7),
            ("Sub-Saharan Africa", "2020-24", "China", 25.7, 1, "China", 25.7),
        ]
    )
    b = prose.region_verdict("China", "Africa", st, ["Africa", "Sub-Saharan Africa"], "2020-24", "2015-19", "March 2025", 2024)
    text = clean(b.md)
    assert "No: in 2020-24 it ranked 2nd, behind Russia. It did lead in sub-Saharan Africa." in text
    assert "China ranks 2nd with 18.3% in 2020-24 (up from 14.2% in 2015-19); the leader is Russia with 21.6%." in text
    assert b.figures[0]["value"] == 18.3 and "2nd-largest share" in b.figures[0]["text"]
    us = standing(
        [
            ("Africa", "2015-19", "United States", 16.0, 3, "Russia", 45.9),
            ("Africa", "2020-24", "United States", 16.0, 3, "Russia", 21.6),
        ]
    )
    t2 = prose.region_verdict("United States", "Africa", us, ["Africa"], "2020-24", "2015-19", "March 2025", 2024).md
    assert "**Is the United States the leading arms supplier to Africa" in t2 and "(unchanged from 16.0% in 2015-19)" in t2
    none = standing(
        [("Africa", "2015-19", "Cuba", 0.0, None, "Russia", 45.9), ("Africa", "2020-24", "Cuba", 0.0, None, "Russia", 21.6)]
    )
    t3 = clean(prose.region_verdict("Cuba", "Africa", none, ["Africa"], "2020-24", "2015-19", "March 2025", 2024).md)
    assert "No: it delivered no major arms to Africa" in t3 and "Cuba supplied nothing in 2020-24" in t3


def test_region_reason_names_egypts_region() -> None:
    assert "SIPRI counts Egypt in the Middle East, not in Africa" in prose.region_reason("Egypt", "Middle East").md
    assert not prose.region_reason("Mali", "Africa")


def test_agreement_sections_appear_only_with_an_agreement() -> None:
    ev = pd.DataFrame(
        [
            {
                "date": "2024-09-02",
                "title": "Mali signs",
                "description": "A text.",
                "status": "confirmed",
                "source_url": "https://example.org/a",
            }
        ]
    )
    assert not prose.agreement_block("Nigeria", "Russia", "", ev)
    assert "## What was signed on 2 September 2024" in prose.agreement_block("Mali", "China", "2024-09-02", ev).md
    no = prose.agreement_block("Mali", "Russia", "2024-09-02", ev.iloc[0:0]).md
    assert "No curated source records an agreement between Mali and Russia on 2 September 2024" in no
    assert (
        "such as the one above" not in prose.coverage_note(False).md and "such as the one above" in prose.coverage_note(True).md
    )


def test_orders_in_the_agreement_year() -> None:
    shown = pd.DataFrame(
        [
            {
                "designation": "VN-22",
                "description": "APC",
                "n_ordered": 3,
                "order_year": 2024,
                "delivery_years": "2025",
                "release": "March 2026",
            },
            {
                "designation": "Y-12",
                "description": "aircraft",
                "n_ordered": 2,
                "order_year": 2016,
                "delivery_years": "2017",
                "release": "March 2026",
            },
        ]
    )
    b = prose.orders_in_year_block("Mali", "China", "2024-09-02", shown)
    assert "1 system supplied by China that Mali ordered in 2024: VN-22 (APC, 3)" in clean(b.md)
    assert "deliveries are recorded in 2025" in b.md and b.figures[0]["value"] == 1
    none = prose.orders_in_year_block("Mali", "China", "2019-01-01", shown)
    assert "No release held lists an order by Mali from China in 2019" in none.md and not none.figures


def test_peers_table_and_timeline_deliveries() -> None:
    rows = prose.peers_rows(
        {"Mali": {"2020-24": shares([("unknown supplier(s)", 50.0), ("Russia", 50.0)])}, "Niger": {"2020-24": shares([])}}
    )
    assert list(rows["top suppliers"]) == ["Russia 50.0%", "no imports recorded"]
    by_year = pd.DataFrame({"Russia": [0.0, 12.0], "China": [0.0, 3.0]}, index=[2023, 2024])
    assert prose.deliveries_that_year(by_year, 2024) == "Russia 12.0; China 3.0"
    assert prose.deliveries_that_year(by_year, 2023) == "none recorded"
    assert prose.deliveries_that_year(by_year, 2025) == "(after the release)"


def test_buyers_count_with_one_state_and_none() -> None:
    one = prose.buyers_block("Belarus", "Africa", [("2015-19", 0), ("2020-24", 1)], "March 2025")
    assert one.md.endswith(
        "1 state in Africa (SIPRI's definition, without Egypt) received major arms from Belarus in 2020-24; "
        "by window: 0 in 2015-19, 1 in 2020-24."
    )
    none = prose.buyers_block("Cuba", "Africa", [("2015-19", 0), ("2020-24", 0)], "March 2025")
    assert "SIPRI records no deliveries of major arms from Cuba" in none.md and not none.figures


def test_estimate_marks_and_status_notes_reach_the_deal_table() -> None:
    d = pd.DataFrame(
        [
            {
                "designation": "Type-62",
                "description": "light tank",
                "n_ordered": 18.0,
                "order_year": 1980,
                "delivery_years": "1981",
                "status": "New",
                "tiv_delivered": 18.0,
                "release": "March 2025",
                "n_ordered_shown": "18?",
                "order_year_shown": "1980?",
                "status_shown": "New (Possibly Second-hand)",
            }
        ]
    )
    row = prose.deal_rows(d).iloc[0]
    assert row["n_ordered"] == "18?" and row["order_year"] == "1980?" and row["status"] == "New (Possibly Second-hand)"
    assert prose.has_estimates(d) and "? marks a SIPRI estimate" in prose.deals_caption("Mali", "China", True)
    plain = d.drop(columns=["n_ordered_shown", "order_year_shown", "status_shown"])
    assert prose.deal_rows(plain).iloc[0]["order_year"] == "1980" and not prose.has_estimates(plain)


# --------------------------------------------------------------------------- French: sections 2 and 3
def test_context_sentences_in_french() -> None:
    with i18n.use("fr"):
        assert prose.context_heading("Mali", "war").md == "# 2. Contexte\u00a0: crise sécuritaire au Mali et fournisseurs d’armes"
        assert prose.context_heading("Gambia", "none").md == "# 2. Contexte\u00a0: les fournisseurs d’armes de la Gambie"
        one = prose.deaths_block("Mali", pd.Series([0.0, 1.0, 30.0], index=[2022, 2023, 2024]), "UCDP", 2000)
        assert one.md.startswith("## Morts liées aux conflits\n\nL’UCDP recense 30 morts dans des violences organisées au Mali")
        assert "le bilan annuel le plus lourd depuis 2000." in one.md
        assert prose.deaths_title("Mali", pd.Series([30.0], index=[2024]), pd.Series([0.0])) == (
            "Morts liées aux conflits au Mali\u00a0: pic en 2024"
        )
        assert not prose.deaths_block("Cabo Verde", pd.Series([0.0], index=[2024]), "UCDP", 2000)
        acled = prose.acled_block("Mali", pd.Series([1363.0], index=[2025]), "ACLED", "2025-10-01").md
        assert "en compte 1\u202f363 en 2025 jusqu’au 1er octobre 2025, une année incomplète." in acled
        assert prose.spending_caption("United States").startswith("Dépenses militaires des États-Unis")
        assert prose.peers_heading("Mali", ["Niger", "Burkina Faso"]).md == (
            "### Le Mali face à ses pairs\u00a0: le Niger et le Burkina Faso"
        )
        by_year = pd.DataFrame({"Russia": [0.0, 12.0], "China": [0.0, 3.0]}, index=[2023, 2024])
        assert prose.deliveries_that_year(by_year, 2024) == "Russie 12,0\u202f; Chine 3,0"
        assert prose.deliveries_that_year(by_year, 2023) == "aucune"
        assert prose.timeline_columns()["title"] == "Événement" and prose.spending_columns()["share_of_gdp_pct"] == "% du PIB"
        spend = pd.DataFrame({"constant_2023_usd_m": [1234.56], "share_of_gdp_pct": [float("nan")]})
        assert list(prose.spending_table(spend).iloc[0]) == ["1\u202f234,6", ""]


def test_suppliers_by_window_in_french_with_ties_and_a_former_power() -> None:
    w = ["2015-19", "2020-24"]
    lw = longw(
        [
            ("2015-19", "France", 60.0),
            ("2015-19", "United States", 40.0),
            ("2020-24", "United States", 45.0),
            ("2020-24", "China", 45.0),
            ("2020-24", "France", 10.0),
        ],
        w,
    )
    with i18n.use("fr"):
        b = prose.suppliers_block("Mali", "China", lw, ("France",), "March 2025")
        text = clean(b.md)
        assert text.startswith("## Qui arme le Mali\u202f?")
        assert "par fenêtre de cinq ans\u00a0: la France en 2015-19 et la Chine et les États-Unis en 2020-24." in text
        assert "la France, 60,0\u202f% en 2015-19 et 10,0\u202f% en 2020-24" in text
        f = b.figures[0]
        assert f["value"] == "China and United States"  # the same value in every edition
        assert f["text"].startswith("Premiers fournisseurs d’armes majeures du Mali en 2020-24, à égalité")
        assert "La part de la France, ancienne puissance coloniale, a culminé à 60,0\u202f%" in f["text"]
        assert prose.suppliers_title("Mali", lw).startswith("Premiers fournisseurs d’armes du Mali en 2020-24")
        gap = longw([("2015-19", "Portugal", 100.0)], w)
        assert prose.suppliers_title("Cabo Verde", gap) == "Les fournisseurs d’armes du Cap-Vert par fenêtre de cinq ans"


def test_region_sentences_in_french() -> None:
    st = standing(
        [
            ("Africa", "2015-19", "China", 14.2, 2, "Russia", 45.9),
            ("Africa", "2020-24", "China", 18.3, 2, "Russia", 21.6),
            ("Sub-Saharan Africa", "2015-19", "China", 18.6, 2, "Russia", 31.7),
            ("Sub-Saharan Africa", "2020-24", "China", 25.7, 1, "China", 25.7),
        ]
    )
    with i18n.use("fr"):
        assert (
            prose.region_heading("United States", "Middle East").md == "# 3. Les États-Unis, fournisseur d’armes du Moyen-Orient"
        )
        assert prose.region_title("China", "Sahel") == "La Chine dans les États du G5 Sahel"
        text = clean(
            prose.region_verdict(
                "China", "Africa", st, ["Africa", "Sub-Saharan Africa"], "2020-24", "2015-19", "March 2025", 2024
            ).md
        )
        assert (
            "Non\u00a0: 2e en 2020-24, derrière la Russie. Mais la première place lui revient pour l’Afrique subsaharienne."
            in text
        )
        assert "la Chine se classe 2e avec 18,3\u202f% en 2020-24 (en hausse par rapport à 14,2\u202f% en 2015-19)" in text
        figs = prose.region_verdict(
            "China", "Africa", st, ["Africa", "Sub-Saharan Africa"], "2020-24", "2015-19", "March 2025", 2024
        ).figures
        # a key figure's region is a label (the findings' meta line), its title names the region with "de"
        assert [f["region"] for f in figs] == ["Afrique (au sens du SIPRI, sans l’Égypte)", "Afrique subsaharienne"]
        assert figs[1]["label"] == "Part de la Chine dans les importations de l’Afrique subsaharienne", figs[1]
        assert prose.region_reason("Egypt", "Middle East").md.startswith(
            "Le SIPRI classe l’Égypte au Moyen-Orient, et non en Afrique"
        )
        one = prose.buyers_block("Belarus", "Africa", [("2015-19", 0), ("2020-24", 1)], "March 2025").md
        assert "En Afrique (au sens du SIPRI, sans l’Égypte), 1 État a reçu des armes majeures de la Biélorussie" in one
        two = prose.buyers_block("Belarus", "West Africa", [("2020-24", 2)], "March 2025").md
        assert two.endswith("En Afrique de l’Ouest, 2 États ont reçu des armes majeures de la Biélorussie en 2020-24.")
        top = pd.DataFrame({"recipient": ["Comoros"], "share": [50.0]})
        title, block = prose.top_recipient_block("China", "Africa", top, "2020-24", "March 2025")
        assert title.endswith("en 2020-24\u00a0: les Comores (50,0\u202f%)")
        assert block.figures[0]["text"].endswith("en 2020-24 sont allées aux Comores.") and block.figures[0]["value"] == "Comoros"
        assert prose.region_chart_title("China", "Africa", shares([("Russia", 21.6), ("China", 18.3)]), "2020-24").startswith(
            "Premier fournisseur de l’Afrique (au sens du SIPRI, sans l’Égypte) en 2020-24\u00a0: la Russie"
        )
        assert prose.category_name("Aircraft") == "Aéronefs" and prose.category_name("Drones") == "Drones"
        assert (prose.release_name("March 2025"), prose.release_name("2025 release")) == ("mars 2025", "version 2025")
    assert prose.release_name("March 2025") == "March 2025"


# --------------------------------------------------------------------------- section 1 in French
def test_french_deliveries_name_every_country_with_its_article_and_no_verb_agreeing_with_it() -> None:
    from analysis import i18n

    with i18n.use("fr"):
        sh = shares([("unknown supplier(s)", 40.0), ("Russia", 30.0), ("China", 20.0), ("Turkiye", 10.0)])
        text = clean(prose.deliveries_block("Mali", "China", sh, (2020, 2024), 6, 50.0, (1950, 2024), "March 2025").md)
        assert text.startswith("## Les livraisons d’armes de la Chine au Mali dans les données du SIPRI")
        assert "La version de mars 2025 de la base du SIPRI recense 6 contrats d’armes majeures" in text
        assert (
            "Sur la période 2020-2024, 20,0\u202f% des importations d’armes majeures du Mali provenaient de la Chine, "
            "ce qui en fait le 2e fournisseur, derrière la Russie (30,0\u202f%)." in text
        )
        assert "Pour 40,0\u202f% du volume, le SIPRI n’a pas pu identifier le fournisseur" in text
        tie = shares([("France", 40.0), ("United States", 40.0), ("China", 20.0)])
        assert prose.standing_phrase(tie, "France") == "le premier fournisseur, à égalité avec les États-Unis"
        us = prose.deliveries_block("Senegal", "United States", tie, (2020, 2024), 1, 1.0, (1950, 2024), "March 2025").md
        assert "1 contrat d’armes majeures en provenance des États-Unis à destination du Sénégal" in us
        assert (
            "1,0 million de TIV" in us
            and "provenaient des États-Unis, ce qui en fait le premier fournisseur, à égalité avec la France." in us
        )
        none = prose.deliveries_block(
            "Gambia", "United States", shares([("Turkiye", 100.0)]), (2020, 2024), 0, 0.0, (1950, 2024), "March 2025"
        )
        assert "ne recense aucun contrat" in none.md and "livraisons entre 1950 et 2024" in none.md and not none.figures
        assert (
            "aucune livraison d’armes majeures des États-Unis en Gambie n’est recensée" in none.md
            and "seul fournisseur identifié\u00a0: la Turquie." in none.md
        )
        empty = prose.deliveries_block(
            "Comoros", "China", shares([]), (2020, 2024), 0, 0.0, (1950, 2024), "March 2025", heading=False
        )
        assert "aucune importation d’armes majeures par les Comores sur la période 2020-2024" in empty.md


def test_french_headings_titles_and_tables_of_section_1() -> None:
    from analysis import i18n

    with i18n.use("fr"):
        assert prose.deal_heading("Mali", "China", True).md == "# 1. L’accord entre le Mali et la Chine"
        assert prose.deal_heading("Nigeria", "United States", False).md == "# 1. Les livraisons d’armes des États-Unis au Nigeria"
        assert prose.deal_title("Egypt", "Russia", True) == "L’accord entre l’Égypte et la Russie"
        assert prose.deals_columns()["n_ordered"] == "Quantité commandée" and prose.systems_columns()["maker"] == "Fabricant"
        assert "pas une valeur monétaire" in prose.deals_caption("Mali", "China") and "dollar" not in prose.deals_caption(
            "Mali", "China"
        )
        rows = prose.deal_rows(
            pd.DataFrame(
                [{"designation": "Y-12", "n_ordered": 2.0, "order_year": 2016, "tiv_delivered": 1363.18, "release": "March 2025"}]
            )
        )
        assert rows.iloc[0]["tiv_delivered"] == "1\u202f363,2" and rows.iloc[0]["release"] == "mars 2025"
        annual = pd.Series([0.0, 5.0, 5.0], index=[2020, 2021, 2022])
        assert prose.deliveries_title("Mali", "China", annual, 2000) == "Les livraisons de la Chine au Mali ont culminé en 2021"
        assert (
            prose.deliveries_title("Comoros", "China", annual * 0, 2000) == "Aucune livraison de la Chine aux Comores depuis 2000"
        )


def test_french_agreement_orders_and_newest_deliveries() -> None:
    from analysis import i18n

    ev = pd.DataFrame(
        [{"date": "2024-09-01", "title": "Mali signs", "description": "A text.", "status": "unverified", "source_url": ""}]
    )
    shown = pd.DataFrame(
        [
            {
                "designation": "VN-22",
                "description": "APC",
                "n_ordered": 3,
                "order_year": 2024,
                "delivery_years": "",
                "release": "March 2026",
            }
        ]
    )
    with i18n.use("fr"):
        signed = prose.agreement_block("Mali", "China", "2024-09-01", ev).md
        assert signed.startswith("## Ce qui a été signé le 1er septembre 2024") and "*(information non vérifiée)*" in signed
        no = prose.agreement_block("Mali", "United States", "2024-09-02", ev.iloc[0:0]).md
        assert "d’un accord entre le Mali et les États-Unis le 2 septembre 2024." in no
        b = prose.orders_in_year_block("Mali", "China", "2024-09-02", shown)
        assert "Sa version de mars 2026 recense 1 système fourni par la Chine et commandé par le Mali en 2024" in b.md
        assert "aucune livraison n’est encore enregistrée" in b.md and b.figures[0]["release"] == "March 2026"
        assert b.figures[0]["label"] == "Systèmes commandés auprès de la Chine en 2024"
        assert (
            "ne recense de commande du Mali auprès de la Chine en 2019"
            in prose.orders_in_year_block("Mali", "China", "2019-01-01", shown).md
        )
        new = prose.newest_block("Mali", "China", shown.assign(release="March 2026"), "March 2025")
        assert "recense 1 contrat dont les livraisons ne figurent pas encore dans la version de mars 2025" in new.md
        assert new.figures[0]["release"] == "March 2026"
        assert "n’enregistre ni les armes légères" in prose.coverage_note(False).md


def test_consecutive_windows_with_the_same_leader_are_named_once() -> None:
    w = ["2005-09", "2010-14", "2015-19", "2020-24"]
    lead = {"2005-09": ["Bulgaria"], "2010-14": ["Bulgaria"], "2015-19": ["Russia"], "2020-24": ["Russia"]}
    assert prose.leader_runs(lead, w) == [(["Bulgaria"], ["2005-09", "2010-14"]), (["Russia"], ["2015-19", "2020-24"])]
    gap = {"2005-09": ["Bulgaria"], "2015-19": ["Bulgaria"]}  # a window without a leader breaks the run
    assert prose.leader_runs(gap, w) == [(["Bulgaria"], ["2005-09"]), (["Bulgaria"], ["2015-19"])]
    assert prose.leader_runs({}, w) == []
    lw = longw([(x, "Bulgaria" if x < "2015" else "Russia", 80.0) for x in w] + [(x, "China", 20.0) for x in w], w)
    text = clean(prose.suppliers_block("Mali", "China", lw, (), "March 2025").md)
    assert "by 5-year window: Bulgaria in 2005-09 and 2010-14; Russia in 2015-19 and 2020-24." in text
    with i18n.use("fr"):
        fr = clean(prose.suppliers_block("Mali", "China", lw, (), "March 2025").md)
    assert "la Bulgarie en 2005-09 et 2010-14\u202f; la Russie en 2015-19 et 2020-24." in fr


def test_a_year_without_deaths_is_said_in_words() -> None:
    s = pd.Series([124.0, 0.0], index=[2006, 2024])
    en = clean(prose.deaths_block("Senegal", s, "UCDP", 2000).md)
    assert (
        "UCDP counts no deaths in organised violence in Senegal in 2024; the highest yearly count since 2000 was 124, in 2006."
        in en
    )
    with i18n.use("fr"):
        fr = clean(prose.deaths_block("Senegal", s, "UCDP", 2000).md)
    assert "L’UCDP ne recense aucun mort dans des violences organisées au Sénégal en 2024" in fr and "0 mort" not in fr
