"""Every check type on small hand-made tables where the verdict is known, and the same tables
changed so that the verdict flips; plus a property test that verdicts ignore row order."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import checks
from analysis.checks import CONTRADICTED, NOT_CHECKABLE, PARTLY, SUPPORTED, Inputs
from analysis.errors import ParameterError
from tests.conftest import property_settings

REL = "March 2025"


def transfers(rows: list[tuple[str, str, int, float]], release: str = REL) -> pd.DataFrame:
    """rows: (supplier, recipient, delivery year, TIV). Two zero rows pin the coverage to 2015-24."""
    rows = [*rows, ("France", "Algeria", 2015, 0.0), ("France", "Algeria", 2024, 0.0)]
    df = pd.DataFrame(rows, columns=["supplier", "recipient", "delivery_year", "tiv_delivered"])
    df["deal_id"] = [f"d{k}" for k in range(len(df))]
    df["designation"] = "X"
    df["n_delivered"] = 1.0
    df["release"] = release
    return df


def orders(rows: list[dict], release: str = REL) -> pd.DataFrame:
    base = {
        "supplier": "China",
        "recipient": "Mali",
        "designation": "VP-11",
        "description": "APC",
        "category": "Armoured vehicles",
        "order_year": 2022,
        "n_ordered": 80,
        "n_ordered_est": False,
        "n_delivered": 80,
        "n_delivered_est": False,
        "delivery_years": "2023",
        "open": False,
        "comments": "",
        "release": release,
    }
    return pd.DataFrame([{**base, **r} for r in rows])


def events(rows: list[dict] | None = None) -> pd.DataFrame:
    base = {
        "event_id": "e1",
        "date": "2024-09-02",
        "title": "Agreement signed",
        "category": "agreement",
        "description": "The minister signed a text with the company's head.",
        "status": "confirmed",
        "conflict_note": "",
        "source_url": "https://example.org/a",
        "source_url_2": "",
    }
    e = pd.DataFrame([{**base, **r} for r in (rows or [{}])])
    e["start"] = pd.to_datetime(e["date"].str.slice(0, 10), format="mixed", errors="coerce")
    return e


def inputs(
    t: pd.DataFrame | None = None,
    o: pd.DataFrame | None = None,
    e: pd.DataFrame | None = None,
    deaths: pd.DataFrame | None = None,
) -> Inputs:
    return Inputs(
        transfers=t if t is not None else transfers([("China", "Mali", 2020, 1.0)]),
        orders=o if o is not None else orders([{}]),
        events=e if e is not None else events(),
        deaths=deaths,
        credit="",
    )


# --------------------------------------------------------------------------- leading supplier
LEAD = [
    ("Russia", "Algeria", 2022, 100.0),
    ("China", "Nigeria", 2022, 60.0),
    ("Russia", "Nigeria", 2022, 10.0),
    ("Russia", "Nigeria", 2017, 30.0),
]


def test_leading_supplier_partly_when_only_one_region_holds() -> None:
    r = checks.leading_supplier(inputs(transfers(LEAD)), "China", "Africa", rival="Russia")
    assert r.verdict == PARTLY
    assert [p.status for p in r.parts] == ["fails", "holds", "fails"]  # SIPRI's Africa, SSA, with Egypt
    assert "sub-Saharan Africa" in r.evidence and "2020-24" in r.evidence and "March 2025 release" in r.evidence


def test_leading_supplier_flips_to_supported() -> None:
    r = checks.leading_supplier(inputs(transfers(LEAD + [("China", "Algeria", 2023, 500.0)])), "China", "Africa")
    assert r.verdict == SUPPORTED


def test_leading_supplier_flips_to_contradicted() -> None:
    r = checks.leading_supplier(inputs(transfers(LEAD + [("Russia", "Nigeria", 2023, 500.0)])), "China", "Africa")
    assert r.verdict == CONTRADICTED


def test_unknown_supplier_is_never_ranked() -> None:
    rows = [("unknown supplier(s)", "Nigeria", 2022, 900.0), ("China", "Nigeria", 2022, 60.0), ("Russia", "Nigeria", 2022, 10.0)]
    r = checks.leading_supplier(inputs(transfers(rows)), "China", "Sub-Saharan Africa")
    assert r.verdict == SUPPORTED
    assert r.figures["sub-Saharan Africa 2020-24 rank"] == 1
    r2 = checks.supplier_rank(inputs(transfers(rows)), "Russia", "Nigeria", rank=2)
    assert r2.verdict == SUPPORTED


# --------------------------------------------------------------------------- rank or share
def test_supplier_rank_and_share() -> None:
    t = transfers([("Russia", "Nigeria", 2022, 60.0), ("China", "Nigeria", 2022, 40.0)])
    assert checks.supplier_rank(inputs(t), "Russia", "Nigeria", rank=1, share=60).verdict == SUPPORTED
    assert checks.supplier_rank(inputs(t), "Russia", "Nigeria", rank=1, share=30).verdict == PARTLY
    assert checks.supplier_rank(inputs(t), "Russia", "Nigeria", rank=2, share=30).verdict == CONTRADICTED


# --------------------------------------------------------------------------- rise or fall
def test_import_change_fall_and_flip() -> None:
    t = transfers([("Russia", "Algeria", 2017, 100.0), ("Russia", "Algeria", 2022, 56.0)])
    r = checks.import_change(inputs(t), "Algeria", "fall", change_pct=-44)
    assert r.verdict == SUPPORTED and r.figures["Algeria change %"] == -44.0
    assert checks.import_change(inputs(t), "Algeria", "rise").verdict == CONTRADICTED
    assert checks.import_change(inputs(t), "Algeria", "fall", change_pct=-70).verdict == PARTLY


def test_expanding_is_judged_on_volume_and_counts() -> None:
    # more recipient states (1 -> 2) but less volume: mixed, so partly supported
    t = transfers([("China", "Nigeria", 2017, 100.0), ("China", "Nigeria", 2022, 10.0), ("China", "Ghana", 2022, 10.0)])
    assert checks.import_change(inputs(t), "West Africa", "rise", supplier="China").verdict == PARTLY
    # volume and states both up: supported
    t2 = transfers([("China", "Nigeria", 2017, 10.0), ("China", "Nigeria", 2022, 100.0), ("China", "Ghana", 2022, 10.0)])
    assert checks.import_change(inputs(t2), "West Africa", "rise", supplier="China").verdict == SUPPORTED


# --------------------------------------------------------------------------- delivery in a year
def test_delivery_in_year() -> None:
    o = orders([{"delivery_years": "2024"}])
    assert checks.delivery_in(inputs(o=o), "Mali", "VP-11", 2024).verdict == SUPPORTED
    # the whole order delivered in another year: the data state the opposite
    r = checks.delivery_in(inputs(o=orders([{}])), "Mali", "VP-11", 2024)
    assert r.verdict == CONTRADICTED and "2023, not 2024" in r.evidence
    # an open order: no record yet, which is not the opposite
    o2 = orders([{"n_delivered": 40, "open": False, "delivery_years": "2023"}])
    assert checks.delivery_in(inputs(o=o2), "Mali", "VP-11", 2024).verdict == NOT_CHECKABLE
    # nothing at all
    assert checks.delivery_in(inputs(o=orders([{}])), "Chad", "VP-11", 2024).verdict == NOT_CHECKABLE


def test_delivery_month_from_curated_events_and_estimates() -> None:
    o = orders([{"delivery_years": "2024", "n_ordered_est": True}])
    e = events([{"event_id": "h", "date": "2024-04-27", "category": "delivery"}])
    r = checks.delivery_in(inputs(o=o, e=e), "Mali", "VP-11", 2024, month=4, events=["h"])
    assert r.verdict == SUPPORTED and "an estimated 80" in r.evidence and "27 April 2024" in r.evidence
    r2 = checks.delivery_in(inputs(o=o, e=e), "Mali", "VP-11", 2024, month=5, events=["h"])
    assert r2.verdict == PARTLY
    r3 = checks.delivery_in(inputs(o=o), "Mali", "VP-11", 2024, month=4)
    assert r3.verdict == PARTLY and "not months" in r3.evidence


# --------------------------------------------------------------------------- users of a system
def test_system_users_absence_is_no_record_not_contradiction() -> None:
    o = orders([{"recipient": "Gabon"}, {"recipient": "Mali"}, {"recipient": "Tajikistan"}])
    assert checks.system_users(inputs(o=o), "VP-11", users=["Gabon", "Mali"]).verdict == SUPPORTED
    r = checks.system_users(inputs(o=o), "VP-11", users=["Sri Lanka", "Chad"])
    assert r.verdict == NOT_CHECKABLE and "No record in these data" in r.evidence
    assert checks.system_users(inputs(o=o), "VP-11", users=["Chad"], at_least=3).verdict == PARTLY
    assert checks.system_users(inputs(o=o), "VP-11", only="Gabon").verdict == CONTRADICTED


def test_system_users_only() -> None:
    o = orders(
        [
            {"recipient": "Kenya", "designation": "CS/VP-14", "delivery_years": "2018"},
            {"recipient": "Mali", "designation": "CS/VP-14", "delivery_years": "2025"},
        ]
    )
    assert checks.system_users(inputs(o=o), "CS/VP-14", only="Kenya", before=2024).verdict == SUPPORTED
    assert checks.system_users(inputs(o=o), "CS/VP-14", only="Kenya").verdict == CONTRADICTED


# --------------------------------------------------------------------------- suppliers since
def test_suppliers_since_event() -> None:
    t = transfers([("Russia", "Mali", 2023, 10.0), ("China", "Mali", 2024, 5.0), ("France", "Mali", 2021, 9.0)])
    e = events([{"event_id": "exit", "date": "2022-08-15", "title": "Last troops leave"}])
    r = checks.suppliers_since(inputs(t, e=e), "Mali", ["Russia", "China"], since_event="exit")
    assert r.verdict == SUPPORTED and "2023-24" in r.evidence
    assert checks.suppliers_since(inputs(t, e=e), "Mali", ["Russia", "Turkiye"], since_event="exit").verdict == PARTLY
    assert checks.suppliers_since(inputs(t, e=e), "Mali", ["Turkiye"], since_event="exit").verdict == NOT_CHECKABLE
    assert checks.suppliers_since(inputs(t, e=e), "Mali", ["Russia"], since=2021, absent=["France"]).verdict == PARTLY
    # neither since nor since_event: a one-line ParameterError saying what to give, not a TypeError
    with pytest.raises(ParameterError, match=r"^suppliers_since needs since \(a year, e.g. since = 2021\) or since_event") as err:
        checks.suppliers_since(inputs(t, e=e), "Mali", ["Russia"])
    assert "\n" not in str(err.value) and "events.csv" in str(err.value)


# --------------------------------------------------------------------------- orders by category
def test_orders_by_category() -> None:
    two = orders([{"designation": "VP-11"}, {"designation": "WZ-551", "order_year": 2020}])
    assert checks.orders_by_category(inputs(o=two), "Mali", "China", "Armoured vehicles", 2024).verdict == SUPPORTED
    assert checks.orders_by_category(inputs(o=two), "Mali", "China", "Armoured vehicles", 2021).verdict == PARTLY
    assert checks.orders_by_category(inputs(o=two), "Mali", "China", "Aircraft", 2024).verdict == NOT_CHECKABLE


# --------------------------------------------------------------------------- curated event
def test_event_date_facts_and_order() -> None:
    e = events([{}, {"event_id": "summit", "date": "2024-09-04", "title": "Summit opens"}])
    i = inputs(e=e)
    assert checks.event(i, "e1", date="2024-09-02", states=["signed"]).verdict == SUPPORTED
    assert checks.event(i, "e1", date="2024-09-03").verdict == CONTRADICTED
    assert checks.event(i, "e1", states=["signed", "drones"]).verdict == PARTLY
    assert checks.event(i, "summit", after="e1", within_days=7).verdict == SUPPORTED
    assert checks.event(i, "summit", after="e1", within_days=1).verdict == CONTRADICTED
    early = checks.event(i, "e1", after="summit", within_days=7)  # the agreement came before the summit
    assert early.verdict == CONTRADICTED and early.figures["days after"] == -2
    assert "2 days before \u201cSummit opens\u201d (4 September 2024)" in early.evidence and "-2" not in early.evidence
    from analysis import i18n

    with i18n.use("fr"):
        fr = checks.event(i, "e1", after="summit", within_days=7).evidence
    assert "soit 2 jours avant «\u00a0Summit opens\u00a0» (4 septembre 2024)" in fr


def test_event_disagreement_is_one_short_clause() -> None:
    e = events([{"status": "conflict", "conflict_note": "Date: X says 3 Sep, https://example.org; Y says 2 Sep."}])
    r = checks.event(inputs(e=e), "e1", date="2024-09-02")
    assert "curated sources differ on the date" in r.evidence and "http" not in r.evidence


# --------------------------------------------------------------------------- conflict
def deaths(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"iso3": "MLI", "year": range(2015, 2015 + len(values)), "deaths": values, "source": "UCDP GED via Our World in Data"}
    )


def test_conflict_persistence() -> None:
    assert checks.conflict_persistence(inputs(deaths=deaths([100] * 10)), "Mali").verdict == SUPPORTED
    assert checks.conflict_persistence(inputs(deaths=deaths([100] * 9 + [3])), "Mali").verdict == PARTLY
    assert checks.conflict_persistence(inputs(deaths=deaths([3] * 10)), "Mali").verdict == CONTRADICTED
    assert checks.conflict_persistence(inputs(deaths=None), "Mali").verdict == NOT_CHECKABLE
    w = checks.conflict_persistence(inputs(deaths=deaths([50] * 5 + [500] * 5)), "Mali", worsening=True)
    assert w.verdict == SUPPORTED
    assert checks.conflict_persistence(inputs(deaths=deaths([500] * 5 + [50] * 5)), "Mali", worsening=True).verdict == PARTLY


# --------------------------------------------------------------------------- not checkable
def test_not_checkable_says_what_would_settle_it() -> None:
    r = checks.not_checkable(inputs(), needs="contract terms")
    assert r.verdict == NOT_CHECKABLE and r.evidence.endswith("Settling it needs contract terms.")


# --------------------------------------------------------------------------- rules
def test_combine_rules() -> None:
    assert checks.combine(["holds", "holds"]) == SUPPORTED
    assert checks.combine(["holds", "no record"]) == PARTLY
    assert checks.combine(["mixed"]) == PARTLY
    assert checks.combine(["fails", "no record"]) == CONTRADICTED
    assert checks.combine(["no record", "not checkable"]) == NOT_CHECKABLE
    text = checks.rules_text()
    assert "no record in these data" in text and "unknown supplier(s)" in text and "Verdict rules" not in text


def test_every_check_type_is_tested_here() -> None:
    src = Path(__file__).read_text(encoding="utf-8")
    assert all(f"checks.{name}(" in src for name in checks.CHECKS)


# --------------------------------------------------------------------------- row order
@property_settings(40)
@given(st.randoms(use_true_random=False))
def test_verdicts_do_not_depend_on_row_order(rnd) -> None:
    t = transfers(LEAD + [("unknown supplier(s)", "Nigeria", 2022, 60.0), ("China", "Ghana", 2018, 5.0)])
    o = orders([{"recipient": "Gabon"}, {"recipient": "Mali", "delivery_years": "2024"}, {"recipient": "Tajikistan"}])
    idx_t, idx_o = list(t.index), list(o.index)
    rnd.shuffle(idx_t)
    rnd.shuffle(idx_o)
    a, b = inputs(t, o), inputs(t.loc[idx_t].reset_index(drop=True), o.loc[idx_o].reset_index(drop=True))
    for fn, args in (
        (checks.leading_supplier, ("China", "Africa")),
        (checks.import_change, ("West Africa", "rise", "China")),
        (checks.supplier_rank, ("China", "Nigeria")),
    ):
        ra, rb = fn(a, *args), fn(b, *args)
        assert (ra.verdict, ra.evidence, ra.figures) == (rb.verdict, rb.evidence, rb.figures)
    ra, rb = checks.system_users(a, "VP-11", users=["Mali", "Chad"]), checks.system_users(b, "VP-11", users=["Mali", "Chad"])
    assert (ra.verdict, ra.evidence) == (rb.verdict, rb.evidence)
    ra, rb = checks.delivery_in(a, "Mali", "VP-11", 2024), checks.delivery_in(b, "Mali", "VP-11", 2024)
    assert (ra.verdict, ra.evidence) == (rb.verdict, rb.evidence)


# --------------------------------------------------------------------------- evidence, word for word
S25 = "SIPRI Arms Transfers Database, March 2025 release"


def test_leading_supplier_evidence_names_every_region_window_and_rival() -> None:
    # LEAD, 2020-24: Africa China 60 of 170 (35.3%), Russia 110 (64.7%); Nigeria China 60 of 70 (85.7%)
    r = checks.leading_supplier(inputs(transfers(LEAD)), "China", "Africa", rival="Russia")
    assert r.evidence == (
        "In 2020-24 China was the largest identified supplier to sub-Saharan Africa but not to SIPRI's Africa "
        f"(without Egypt) and Africa with Egypt. China's share of major-arms imports ({S25}): "
        "SIPRI's Africa (without Egypt): 2015-19 0%, not among suppliers; Russia 100.0%; 2020-24 35.3%, "
        "2nd-largest identified supplier; Russia 64.7% | sub-Saharan Africa: 2015-19 0%, not among suppliers; "
        "Russia 100.0%; 2020-24 85.7%, largest identified supplier; Russia 14.3% | Africa with Egypt: 2015-19 0%, "
        "not among suppliers; Russia 100.0%; 2020-24 35.3%, 2nd-largest identified supplier; Russia 64.7%."
    )
    assert r.figures["sub-Saharan Africa 2020-24 rank"] == 1 and r.figures["SIPRI's Africa (without Egypt) 2015-19 rank"] is None
    assert r.figures["Africa with Egypt 2020-24 Russia share"] == 64.7 and r.sources == (S25,)
    assert [p.label for p in r.parts] == [
        "leads SIPRI's Africa (without Egypt) in 2020-24",
        "leads sub-Saharan Africa in 2020-24",
        "leads Africa with Egypt in 2020-24",
    ]


def test_supplier_rank_evidence_gives_the_claimed_share_it_misses() -> None:
    r = checks.supplier_rank(inputs(transfers(LEAD)), "Russia", "Nigeria", rank=2, share=30)
    assert r.verdict == PARTLY and [p.status for p in r.parts] == ["holds", "fails"]
    assert r.evidence == (
        "Russia was the 2nd-largest identified supplier to Nigeria in 2020-24, with 14.3% of the "
        f"volume, against the 30% claimed ({S25}; ranks count identified suppliers only)."
    )
    assert r.figures == {"Nigeria share": 14.3, "Nigeria rank": 2}
    close = checks.supplier_rank(inputs(transfers(LEAD)), "Russia", "Nigeria", share=14.9, tolerance=1.0)
    assert close.verdict == SUPPORTED and "claimed" not in close.evidence
    off = checks.supplier_rank(inputs(transfers(LEAD)), "Russia", "Nigeria", share=12.5)
    assert off.verdict == CONTRADICTED and "against the 12.5% claimed" in off.evidence


def test_import_change_evidence_from_zero_and_with_a_claimed_change() -> None:
    r = checks.import_change(inputs(transfers(LEAD)), "Nigeria", "rise", supplier="China", change_pct=50)
    assert r.verdict == SUPPORTED and [p.label for p in r.parts] == ["rise in Nigeria"]  # no percent from zero
    assert r.evidence == (
        "China's deliveries to Nigeria rose from 0.0 million TIV in 2015-19 to 60 million TIV in "
        "2020-24, while the number of recipient states went from 0 to 1 "
        f"({S25})."
    )
    assert r.figures == {
        "Nigeria tiv 2015-19": 0.0,
        "Nigeria tiv 2020-24": 60.0,
        "Nigeria change %": None,
        "Nigeria states 2015-19": 0,
        "Nigeria states 2020-24": 1,
    }
    both = checks.import_change(inputs(transfers(LEAD)), "Nigeria", "fall", change_pct=-50)
    # Nigeria: 30 in 2015-19, 70 in 2020-24 (+133%)
    assert both.verdict == CONTRADICTED and [p.status for p in both.parts] == ["fails", "fails"]
    assert both.evidence == (
        "Imports of major arms by Nigeria rose from 30 million TIV in 2015-19 to 70 million TIV "
        f"in 2020-24 (+133%), not the -50% claimed ({S25})."
    )


def test_small_helpers_of_the_evidence() -> None:
    assert checks.long_date("2024-09-02") == "2 September 2024" and checks.long_date("2023-03") == "March 2023"
    assert checks.long_date("2014") == "2014" and checks.long_date("2024-12-31") == "31 December 2024"
    assert checks.rank_words(1) == "the largest identified supplier"
    assert checks.rank_words(3.0) == "the 3rd-largest identified supplier"
    assert checks.rank_words(float("nan")) == checks.rank_words(None) == checks.rank_words(pd.NA) == "not among the suppliers"
    assert checks.estimated(None, False) == checks.estimated(float("nan"), True) == "an unknown number"
    assert checks.estimated(12, True) == "an estimated 12" and checks.estimated(1200, False) == "1,200"
    assert checks.years_of("2021; 2023") == [2021, 2023] and checks.years_of(None) == [] and checks.years_of("") == []
    assert checks.sipri("March 2026") == "SIPRI Arms Transfers Database, March 2026 release"
    assert checks.region_meanings(["Mali", "Cote d'Ivoire"]) == [("Mali and Côte d'Ivoire", ["Mali", "Cote d'Ivoire"])]
    assert checks.region_meanings("ssa") == [("sub-Saharan Africa", "Sub-Saharan Africa")]
    assert checks.region_meanings("West Africa") == [("West Africa", "West Africa")]
    assert checks.region_meanings("Turkiye") == [("Türkiye", "Turkiye")]
    assert checks.region_meanings("african states") == [("SIPRI's Africa (without Egypt)", "Africa")]


def test_disputes_name_each_point_once() -> None:
    row = pd.Series({"status": "conflict", "conflict_note": "Date: 2 or 3 May. Counts: 3 or 4; Quote: x. Date: again"})
    assert checks.disputes(row) == "curated sources differ on the date, the numbers and who said what"
    assert (
        checks.disputes(pd.Series({"status": "conflict", "conflict_note": "Nothing labelled"}))
        == "curated sources differ on some details"
    )
    assert (
        checks.disputes(pd.Series({"status": "conflict", "conflict_note": "Update: Dates vary"}))
        == "curated sources differ on some details"
    )  # a label only opens the note or a sentence
    assert checks.disputes(pd.Series({"status": "confirmed", "conflict_note": "Date: x"})) == ""


def test_run_joins_the_checks_of_one_claim() -> None:
    i = inputs(transfers(LEAD))
    one = checks.run(i, [("supplier_rank", {"supplier": "Russia", "recipients": "Nigeria", "rank": 2})])
    assert one == checks.supplier_rank(i, "Russia", "Nigeria", rank=2)
    two = checks.run(
        i,
        [
            ("supplier_rank", {"supplier": "Russia", "recipients": "Nigeria", "rank": 2}),
            ("not_checkable", {"needs": "the contract"}),
        ],
    )
    assert two.verdict == PARTLY and two.sources == (S25,)
    assert two.figures == {"1. Nigeria share": 14.3, "1. Nigeria rank": 2}
    assert two.evidence.endswith("ranks count identified suppliers only). Settling it needs the contract.")
    assert [p.status for p in two.parts] == ["holds", "not checkable"]
    assert checks.combine([]) == NOT_CHECKABLE and checks.combine(["fails", "mixed"]) == PARTLY


def test_an_estimate_flag_that_is_missing_gives_the_plain_number() -> None:
    """Found by the mutation run: a missing (NA) flag raised TypeError."""
    from analysis import verdicts

    assert verdicts.estimated(80, pd.NA) == "80" and verdicts.estimated(80, True) == "an estimated 80"
    assert verdicts.estimated(None, True) == "an unknown number"


# --------------------------------------------------------------------------- French evidence
def test_verdict_labels_in_french_keep_the_codes() -> None:
    from analysis import i18n
    from analysis.verdicts import verdict_label

    assert [verdict_label(v) for v in (SUPPORTED, PARTLY, CONTRADICTED, NOT_CHECKABLE)] == [
        "supported",
        "partly supported",
        "contradicted",
        "not checkable with these data",
    ]
    with i18n.use("fr"):
        assert verdict_label(SUPPORTED) == "étayé"
        assert verdict_label(PARTLY) == "partiellement étayé"
        assert verdict_label(CONTRADICTED) == "contredit"
        assert verdict_label(NOT_CHECKABLE) == "invérifiable avec ces données"
        r = checks.supplier_rank(inputs(transfers([("Russia", "Nigeria", 2022, 60.0)])), "Russia", "Nigeria", rank=1)
    assert r.verdict == SUPPORTED  # the code, whatever the language


def test_leading_supplier_and_rank_in_french() -> None:
    from analysis import i18n

    with i18n.use("fr"):
        r = checks.leading_supplier(inputs(transfers(LEAD)), "China", "Africa", rival="Russia")
        t = transfers([("Russia", "Nigeria", 2022, 60.0), ("United States", "Nigeria", 2022, 40.0)])
        r2 = checks.supplier_rank(inputs(t), "United States", "Nigeria", rank=2, share=30)
        r3 = checks.supplier_rank(inputs(t), "China", "Nigeria", rank=1)
    assert r.evidence.startswith(
        "La Chine\u00a0: premier fournisseur identifié de l’Afrique subsaharienne en 2020-2024, mais pas "
        "de l’Afrique au sens du SIPRI (sans l’Égypte) et de l’Afrique, Égypte comprise."
    )
    assert "Part de la Chine dans les importations d’armes majeures" in r.evidence
    assert "contre 100,0\u202f% pour la Russie" in r.evidence and "version de mars 2025" in r.evidence
    assert r2.evidence.startswith(
        "2e fournisseur identifié du Nigeria en 2020-2024\u00a0: les États-Unis, avec 40,0\u202f% du volume"
    )
    assert "et non les 30\u202f% avancés" in r2.evidence
    assert r3.evidence.startswith("Aucun rang pour la Chine parmi les fournisseurs du Nigeria en 2020-2024 (0\u202f% du volume)")


def test_deliveries_and_users_in_french() -> None:
    from analysis import i18n

    o = orders([{"delivery_years": "2024", "n_ordered_est": True}])
    e = events([{"event_id": "h", "date": "2024-04-27", "category": "delivery"}])
    users = orders([{"recipient": "Gabon"}, {"recipient": "Mali"}, {"recipient": "Comoros"}])
    with i18n.use("fr"):
        r = checks.delivery_in(inputs(o=o, e=e), "Mali", "VP-11", 2024, month=4, events=["h"])
        r2 = checks.delivery_in(inputs(o=orders([{}])), "Mali", "VP-11", 2024)
        r3 = checks.delivery_in(inputs(o=orders([{}])), "Chad", "VP-11", 2024)
        r4 = checks.system_users(inputs(o=users), "VP-11", users=["United States"])
        r5 = checks.system_users(inputs(o=orders([{}])), "VP-11", before=2000)
    assert r.evidence == (
        "La version de mars 2025 de la base du SIPRI recense une livraison de VP-11 au Mali en 2024 "
        "(nombre livré\u00a0: environ 80). Date de la remise selon les sources de presse retenues\u00a0: 27 avril 2024."
    )
    assert r2.evidence == (
        "Selon la version de mars 2025 de la base du SIPRI, toute la commande du Mali (80 VP-11) "
        "a été livrée en 2023, et non en 2024."
    )
    assert (
        r3.evidence.startswith("Aucune trace dans ces données\u00a0: la version de mars 2025") and "pour le Tchad" in r3.evidence
    )
    assert r4.evidence == (
        "La version de mars 2025 de la base du SIPRI recense des livraisons de VP-11 aux Comores, au Gabon et au Mali. "
        "Aucune trace dans ces données pour les États-Unis."
    )
    assert r5.evidence == "La version de mars 2025 de la base du SIPRI ne recense aucune livraison de VP-11 avant 2000."


def test_events_and_conflict_in_french() -> None:
    from analysis import i18n

    e = events(
        [
            {"status": "conflict", "conflict_note": "Date: X says 3 Sep; Y says 2 Sep."},
            {"event_id": "summit", "date": "2024-09-04", "title": "Summit opens"},
        ]
    )
    with i18n.use("fr"):
        r = checks.event(inputs(e=e), "e1", date="2024-09-03", states=["signed", "drones"])
        r2 = checks.event(inputs(e=e), "summit", after="e1", within_days=7)
        r3 = checks.conflict_persistence(inputs(deaths=deaths([30.0] * 10)), "Mali")
    assert r.evidence == (
        "Date retenue par les sources pour «\u00a0Agreement signed\u00a0»\u00a0: 2 septembre 2024, et non 3 septembre 2024. "
        "La fiche retenue mentionne «\u00a0signed\u00a0». Aucune trace dans ces données de «\u00a0drones\u00a0». "
        "Sur cet événement, les sources retenues divergent sur la date."
    )
    assert r2.evidence.endswith("soit 2 jours après «\u00a0Agreement signed\u00a0» (2 septembre 2024).")
    assert r3.evidence.startswith("L’UCDP recense au moins 25 morts liées aux conflits au Mali pour 10 des 10 années 2015-2024")
    # a curated French title is what the French evidence quotes; the English one where there is none
    e["title_fr"] = ["Accord signé", ""]
    with i18n.use("fr"):
        r4 = checks.event(inputs(e=e), "summit", after="e1", within_days=7)
    assert r4.evidence.startswith("Date retenue par les sources pour «\u00a0Summit opens\u00a0»")
    assert r4.evidence.endswith("soit 2 jours après «\u00a0Accord signé\u00a0» (2 septembre 2024).")
    assert "Agreement signed" in checks.event(inputs(e=e), "summit", after="e1", within_days=7).evidence


def test_changes_suppliers_and_orders_in_french() -> None:
    from analysis import i18n

    t = transfers([("Russia", "Nigeria", 2017, 100.0), ("Russia", "Nigeria", 2022, 103.0), ("China", "Nigeria", 2022, 50.0)])
    with i18n.use("fr"):
        r = checks.import_change(inputs(t), "Nigeria", "rise", supplier="Russia")
        r2 = checks.suppliers_since(inputs(t), "Nigeria", ["China", "United States"], since=2020)
        r3 = checks.orders_by_category(inputs(o=orders([{}])), "Mali", "China", "Armoured vehicles", before=2024)
    assert r.evidence.startswith(
        "Les livraisons de la Russie à destination du Nigeria ont progressé, de 100 millions de TIV en 2015-2019 "
        "à 103 millions de TIV en 2020-2024 (+3,0\u202f%), tandis que le nombre d’États destinataires passait de 1 à 1"
    )
    assert r2.evidence.startswith(
        "Parts des fournisseurs dans les importations d’armes majeures du Nigeria en 2020-2024\u00a0: "
        "la Chine 32,7\u202f%, aucune trace pour les États-Unis"
    )
    assert r3.evidence.startswith(
        "La version de mars 2025 de la base du SIPRI recense 1 modèle de la catégorie «\u00a0véhicules blindés\u00a0»"
    )
    assert "commandé auprès de la Chine par le Mali avant 2024\u00a0: VP-11 (APC, commande en 2022\u00a0: 80)." in r3.evidence


def test_the_rules_to_translate_are_the_docstring_rules() -> None:
    import re

    from analysis import i18n, verdicts

    items = [" ".join(x.split()) for x in re.split(r"(?m)^\d+\.\s+", checks.rules_text()) if x.strip()]
    assert items == list(verdicts.RULES)
    with i18n.use("fr"):
        fr = checks.rules_text()
    assert fr.startswith("1. Une affirmation est découpée en éléments") and "\n9. Le TIV du SIPRI" in fr


# --------------------------------------------------------------------------- every result, word for word
# Each scenario below is one branch of a check; RESULTS holds its whole result (verdict, evidence,
# figures, sources, parts), so a change to any of them shows here.
def full(r: checks.Result) -> tuple:
    return (r.verdict, r.evidence, r.figures, r.sources, [(p.label, p.status) for p in r.parts])


def with_(i: Inputs, **changes) -> Inputs:
    return dataclasses.replace(i, **changes)


def vp(rows: list[tuple[str, str, int, float]]) -> pd.DataFrame:
    """Transfers rows of VP-11 (n_delivered = the TIV column), besides the two zero rows."""
    t = transfers(rows)
    t["designation"] = ["VP-11" if r < len(rows) else "X" for r in range(len(t))]
    t["n_delivered"] = [float(r[3]) for r in rows] + [0.0, 0.0]
    return t


SYS_NO = pd.DataFrame({"designation": ["VP-11"], "sipri_listed": ["no"]})
SYS_YES = pd.DataFrame({"designation": ["VP-11"], "sipri_listed": ["yes"]})

S: dict[str, Callable[[], checks.Result]] = {}
# delivery_in
S["d_none_listed"] = lambda: checks.delivery_in(with_(inputs(), systems=SYS_YES), "Chad", "VP-11", 2023)
S["d_none_unlisted"] = lambda: checks.delivery_in(with_(inputs(), systems=SYS_NO), "Chad", "VP-11", 2023)
S["d_other_supplier"] = lambda: checks.delivery_in(inputs(), "Mali", "VP-11", 2023, supplier="Russia")
S["d_supplier_ok"] = lambda: checks.delivery_in(inputs(), "Mali", "VP-11", 2023, supplier="China", number=80)
S["d_from_transfers"] = lambda: checks.delivery_in(
    inputs(vp([("China", "Mali", 2023, 30.0), ("China", "Mali", 2024, 50.0)]), orders([{"delivery_years": "2023; 2024"}])),
    "Mali",
    "VP-11",
    2023,
    number=30,
)
S["d_fraction"] = lambda: checks.delivery_in(
    inputs(
        vp([("China", "Mali", 2023, 30.26), ("China", "Mali", 2024, 49.74)]),
        orders([{"delivery_years": "2023; 2024", "n_delivered_est": True}]),
    ),
    "Mali",
    "VP-11",
    2023,
    number=30,
)
S["d_from_transfers_one"] = lambda: checks.delivery_in(
    inputs(vp([("China", "Mali", 2023, 30.0)]), orders([{"n_delivered": 40}])), "Mali", "VP-11", 2023, number=31
)
S["d_spread_unknown"] = lambda: checks.delivery_in(
    inputs(o=orders([{"delivery_years": "2022; 2023"}])), "Mali", "VP-11", 2023, number=80
)
S["d_n_unknown"] = lambda: checks.delivery_in(inputs(o=orders([{"n_delivered": None}])), "Mali", "VP-11", 2023, number=80)
S["d_number_est"] = lambda: checks.delivery_in(inputs(o=orders([{"n_delivered_est": True}])), "Mali", "VP-11", 2023, number=60)
S["d_number_fails"] = lambda: checks.delivery_in(inputs(o=orders([{}])), "Mali", "VP-11", 2023, number=60)
S["d_two_orders"] = lambda: checks.delivery_in(
    inputs(o=orders([{"n_ordered": 20, "n_delivered": 20}, {"n_ordered": 30, "n_delivered": 30, "delivery_years": "2021"}])),
    "Mali",
    "VP-11",
    2023,
)
S["d_complete"] = lambda: checks.delivery_in(inputs(o=orders([{"delivery_years": "2021; 2022"}])), "Mali", "VP-11", 2023)
S["d_complete_est"] = lambda: checks.delivery_in(inputs(o=orders([{"n_ordered_est": True}])), "Mali", "VP-11", 2024)
S["d_open"] = lambda: checks.delivery_in(
    inputs(o=orders([{"open": True, "delivery_years": "2021; 2022"}])), "Mali", "VP-11", 2023
)
S["d_partial"] = lambda: checks.delivery_in(inputs(o=orders([{"n_delivered": 70}])), "Mali", "VP-11", 2024)
S["d_noyears"] = lambda: checks.delivery_in(
    inputs(o=orders([{"n_delivered": 0, "delivery_years": "", "open": True}])), "Mali", "VP-11", 2024
)
S["d_ordered_unknown"] = lambda: checks.delivery_in(inputs(o=orders([{"n_ordered": None}])), "Mali", "VP-11", 2024)
S["d_release_orders_only"] = lambda: checks.delivery_in(
    inputs(vp([("China", "Mali", 2023, 30.0)]), orders([{"release": "March 2023"}])), "Mali", "VP-11", 2023, release="March 2023"
)
E2 = events(
    [
        {"event_id": "h", "date": "2023-04-27", "source_url_2": "https://example.org/b"},
        {
            "event_id": "k",
            "date": "2023-03-02",
            "status": "conflict",
            "conflict_note": "Date: X says 3 March; Y says 2 March.",
            "source_url": "https://example.org/c",
        },
    ]
)
S["d_month_hit"] = lambda: checks.delivery_in(inputs(e=E2), "Mali", "VP-11", 2023, month=4, events=["h"])
S["d_month_miss_disputed"] = lambda: checks.delivery_in(inputs(e=E2), "Mali", "VP-11", 2023, month=5, events=["k", "h"])
S["d_month_undated"] = lambda: checks.delivery_in(inputs(e=E2), "Mali", "VP-11", 2023, month=4, events=["zz"])
S["d_events_no_month"] = lambda: checks.delivery_in(inputs(e=E2), "Mali", "VP-11", 2023, events=["h"])
# system_users
U = orders(
    [
        {"recipient": "Mali", "delivery_years": "2019"},
        {"recipient": "Congo", "delivery_years": "2021"},
        {"recipient": "Cote d'Ivoire", "delivery_years": "2016; 2022"},
        {"recipient": "Chad", "n_delivered": 0},
        {"recipient": "Niger", "n_delivered": None},
        {"recipient": "Ghana", "designation": "VN-2"},
        {"recipient": "Togo", "designation": "VP-11", "release": "March 2024"},
    ]
)
SU = pd.DataFrame(
    {
        "designation": ["VP-11", "VP-11", "VP-11"],
        "user_country": ["Ghana", "Togo", "Côte d'Ivoire"],
        "status": ["unverified", "verified", "unverified"],
    }
)
S["u_all"] = lambda: checks.system_users(inputs(o=U), "VP-11", users=["Mali", "Congo"], at_least=3)
S["u_before"] = lambda: checks.system_users(inputs(o=U), "VP-11", before=2020, at_least=2, only="Mali")
S["u_before_none"] = lambda: checks.system_users(inputs(o=U), "VP-11", before=2016)
S["u_none"] = lambda: checks.system_users(inputs(o=U), "VP-12", at_least=0)
S["u_missing"] = lambda: checks.system_users(
    with_(inputs(o=U), system_users=SU), "VP-11", users=["Ghana", "Togo", "Chad", "Mali"], related=["VN-2", "VP-12"]
)
S["u_missing_ci"] = lambda: checks.system_users(
    with_(inputs(o=U), system_users=SU), "VP-11", users=["Ivory Coast"], before=2016, related=["VN-2"]
)
S["u_release"] = lambda: checks.system_users(inputs(o=U), "VP-11", release="March 2024", only="Togo")
# not_checkable
NC = orders(
    [
        {"comments": "Part of a loan; paid by credit"},
        {"supplier": "Russia", "comments": "LOAN deal"},
        {"order_year": 2012, "comments": "loan"},
        {"recipient": "Ghana", "comments": "loans"},
        {"recipient": "Niger", "comments": None},
        {"recipient": "Niger", "comments": "C-130 for aid"},
    ]
)
S["n_reason"] = lambda: checks.not_checkable(inputs(), needs="the contract.", reason="Terms are secret.")
S["n_terms"] = lambda: checks.not_checkable(inputs(o=NC), needs="the contract", comment_terms=["loan", "credit"])
S["n_terms_sup"] = lambda: checks.not_checkable(
    inputs(o=NC),
    needs="the contract",
    reason="No terms",
    supplier="China",
    recipients="Sahel",
    years=[2016, 2023],
    comment_terms=["loan"],
)
S["n_terms_c130"] = lambda: checks.not_checkable(inputs(o=NC), needs="x", recipients="Niger", comment_terms=["C-130"])
S["n_terms_one"] = lambda: checks.not_checkable(inputs(o=NC), needs="x", supplier="Russia", comment_terms=["loan"])
# events
EV = events(
    [
        {"date_end": ""},
        {
            "date_end": "",
            "event_id": "summit",
            "date": "2024-09-04",
            "title": "Summit opens",
            "description": "Heads of state MEET.",
            "source_url_2": "https://example.org/s",
        },
        {"event_id": "long", "date": "2024-09", "title": "Talks", "date_end": "2024-10"},
        {
            "event_id": "same",
            "date": "2024-09-05",
            "date_end": "2024-09-05",
            "status": "conflict",
            "conflict_note": "Place: A; B",
        },
        {"date_end": "", "event_id": "prior", "date": "2024-09-01", "title": "Prior"},
        {"date_end": "", "event_id": "late", "date": "2024-09-10", "title": "Late"},
    ]
)
S["e_none"] = lambda: checks.event(inputs(e=EV), "nope")
S["e_plain"] = lambda: checks.event(inputs(e=EV), "summit")
S["e_range"] = lambda: checks.event(inputs(e=EV), "long", date="2024")
S["e_range_no"] = lambda: checks.event(inputs(e=EV), "long", date="2024-08")
S["e_same_end"] = lambda: checks.event(inputs(e=EV), "same", states=["Minister", "company"])
S["e_after"] = lambda: checks.event(inputs(e=EV), "summit", after="e1")
S["e_after1"] = lambda: checks.event(inputs(e=EV), "e1", after="prior", within_days=1)
S["e_after_before"] = lambda: checks.event(inputs(e=EV), "prior", after="e1", within_days=30)
S["e_after_late"] = lambda: checks.event(inputs(e=EV), "late", after="e1")
S["e_after_week"] = lambda: checks.event(inputs(e=EV), "late", after="prior", within_days=9)
S["e_after_same"] = lambda: checks.event(inputs(e=EV), "e1", after="e1")
S["e_states"] = lambda: checks.event(inputs(e=EV), "summit", states=["heads of state", "meet", "summit", "drones", "tanks"])
S["e_long_date"] = lambda: checks.event(inputs(e=EV), "e1", date="2024-09-02T10:00")
# conflict
D2 = pd.concat(
    [
        deaths([100, 10, 30, 40, 50, 60, 70, 80, 90, 200, 300]),
        pd.DataFrame(
            {
                "iso3": ["MLI", "MLI", "NER"],
                "year": [2024, 2018, 2020],
                "deaths": [5.0, 1.0, 999.0],
                "source": ["UCDP GED via Our World in Data", "ACLED", "UCDP GED via Our World in Data"],
            }
        ),
    ],
    ignore_index=True,
)
S["c_default"] = lambda: checks.conflict_persistence(inputs(deaths=D2), "Mali")
S["c_short"] = lambda: checks.conflict_persistence(inputs(deaths=D2), "Mali", years=3, threshold=60, worsening=True)
S["c_odd"] = lambda: checks.conflict_persistence(inputs(deaths=D2), "Mali", years=5, threshold=200, worsening=True)
S["c_source"] = lambda: checks.conflict_persistence(inputs(deaths=D2), "Mali", years=4, source="ACLED")
S["c_gap"] = lambda: checks.conflict_persistence(
    inputs(deaths=deaths([30.0, 30.0]).query("year != 2015").assign(year=[2017])), "Mali", years=3, threshold=25, worsening=True
)
S["c_noseries"] = lambda: checks.conflict_persistence(inputs(deaths=D2), "Chad")
S["c_empty"] = lambda: checks.conflict_persistence(inputs(deaths=D2.iloc[0:0]), "Mali")
S["c_noiso"] = lambda: checks.conflict_persistence(inputs(deaths=D2.drop(columns="iso3")), "Mali")
S["c_flat"] = lambda: checks.conflict_persistence(inputs(deaths=deaths([40.0] * 4)), "Mali", years=4, worsening=True)

# suppliers_since
SS = transfers(
    [
        ("Russia", "Mali", 2022, 30.0),
        ("China", "Mali", 2023, 10.0),
        ("France", "Mali", 2023, 5.0),
        ("unknown supplier(s)", "Mali", 2024, 5.0),
        ("France", "Mali", 2021, 50.0),
        ("Turkiye", "Chad", 2023, 9.0),
    ]
)
SE = events(
    [
        {"event_id": "jan", "date": "2022-01-01", "title": "New year", "source_url_2": "https://example.org/j"},
        {"event_id": "mid", "date": "2022-06-30", "title": "Mid year"},
    ]
)
S["s_jan1"] = lambda: checks.suppliers_since(
    inputs(SS, e=SE), "Mali", ["China", "Russia", "Turkiye"], since_event="jan", absent=["France", "Ukraine"]
)
S["s_mid"] = lambda: checks.suppliers_since(inputs(SS, e=SE), "Mali", ["Russia"], since_event="mid")
S["s_since"] = lambda: checks.suppliers_since(inputs(SS), "Mali", ["France", "China"], since=2024)
S["s_release"] = lambda: checks.suppliers_since(
    with_(inputs(SS), releases={"March 2024": transfers([("Russia", "Mali", 2020, 1.0)], release="March 2024")}),
    "Mali",
    ["Russia"],
    since=2020,
    release="March 2024",
)
# import_change
IC = transfers(
    [
        ("China", "Nigeria", 2017, 100.0),
        ("China", "Ghana", 2018, 100.0),
        ("China", "Nigeria", 2022, 103.0),
        ("Russia", "Nigeria", 2022, 50.0),
        ("Russia", "Nigeria", 2017, 153.0),
        ("China", "Mali", 2022, 10.0),
    ]
)
S["i_small_rise"] = lambda: checks.import_change(inputs(IC), "Nigeria", "rise", supplier="China", change_pct=5, tolerance=2.0)
S["i_claimed_ok"] = lambda: checks.import_change(inputs(IC), "West Africa", "fall", change_pct=-52)
S["i_claimed_far"] = lambda: checks.import_change(inputs(IC), "West Africa", "fall", change_pct=-10)
S["i_flat"] = lambda: checks.import_change(inputs(IC), "Nigeria", "rise", windows=[[2017, 2017], [2022, 2022]], supplier="Russia")
S["i_equal"] = lambda: checks.import_change(
    inputs(transfers([("China", "Mali", 2017, 5.0), ("China", "Mali", 2022, 5.0)])), "Mali", "rise"
)
S["i_from_zero"] = lambda: checks.import_change(inputs(IC), "Mali", "rise", supplier="China", change_pct=50)
S["i_small_fall"] = lambda: checks.import_change(
    inputs(transfers([("China", "Mali", 2017, 100.0), ("China", "Mali", 2022, 96.0)])), "Mali", "fall", change_pct=-4, tolerance=0
)
# orders_by_category
OC = orders(
    [
        {"designation": "VP-11", "order_year": 2019, "n_ordered_est": True},
        {"designation": "WZ-551", "order_year": 2018, "n_ordered": 12},
        {"designation": "Typhoon", "order_year": 2020},
        {"designation": "VP-11", "order_year": 2017, "n_ordered": 4},
        {"designation": "WMA-301", "order_year": 2015, "release": "March 2024"},
    ]
)
S["o_two"] = lambda: checks.orders_by_category(inputs(o=OC), "Mali", "China", "Armoured vehicles", 2020)
S["o_one"] = lambda: checks.orders_by_category(inputs(o=OC), "Mali", "China", "Armoured vehicles", 2018, at_least=1)
S["o_mixed"] = lambda: checks.orders_by_category(inputs(o=OC), "Mali", "China", "Armoured vehicles", 2019)
S["o_none"] = lambda: checks.orders_by_category(inputs(o=OC), "Mali", "China", "Aircraft", 2030)
S["o_release"] = lambda: checks.orders_by_category(inputs(o=OC), "Mali", "China", "Armoured vehicles", 2020, release="March 2024")
# system_users, more
U2 = orders(
    [
        {"recipient": "Mali", "n_delivered": 1},
        {"recipient": "Congo", "designation": "VN-2"},
        {"recipient": "Cote d'Ivoire", "designation": "VN-2"},
        {"recipient": "Chad", "designation": "VN-2", "release": "March 2024"},
        {"recipient": "Chad", "release": "March 2024"},
    ]
)
SU2 = pd.DataFrame(
    {
        "designation": ["VP-11", "VP-11"],
        "user_country": ["Republic of the Congo", "Cote d'Ivoire"],
        "status": ["unverified", "unverified"],
    }
)
S["u_related_two"] = lambda: checks.system_users(
    with_(inputs(o=U2), system_users=SU2), "VP-11", users=["Mali", "Congo", "Ivory Coast", "Chad"], related=["VN-2"], at_least=2
)
S["u_related_release"] = lambda: checks.system_users(
    inputs(o=U2), "VP-11", users=["Mali", "Congo"], related=["VN-2"], release="March 2024"
)
# delivery_in from an older release's transfers
T24 = vp([("China", "Mali", 2023, 7.0)]).assign(release="March 2024")
S["d_release_transfers"] = lambda: checks.delivery_in(
    with_(
        inputs(vp([("China", "Mali", 2023, 30.0)]), orders([{"release": "March 2024", "delivery_years": "2022; 2023"}])),
        releases={"March 2024": T24},
    ),
    "Mali",
    "VP-11",
    2023,
    release="March 2024",
)
S["n_ends_in_x"] = lambda: checks.not_checkable(inputs(), needs="the text of annex X.", reason="Nothing in SIPRI's field X.")
# conflict: at the threshold, a source with brackets
D3 = deaths([25.0, 30.0, 24.0]).assign(source="UCDP GED (v24.1) via OWID")
S["c_threshold"] = lambda: checks.conflict_persistence(inputs(deaths=D3), "Mali", years=3, source="GED (v24.1)")
S["e_after_other_sources"] = lambda: checks.event(inputs(e=EV), "late", after="summit")
# shares with fractions
SF = transfers(
    [
        ("Russia", "Mali", 2022, 2.0),
        ("China", "Mali", 2022, 1.0),
        ("France", "Mali", 2023, 0.02),
        ("unknown supplier(s)", "Mali", 2023, 0.01),
        ("China", "Mali", 2017, 0.5),
        ("Russia", "Mali", 2018, 0.25),
    ]
)
S["s_fractions"] = lambda: checks.suppliers_since(
    inputs(SF), "Mali", ["Turkiye", "France", "Russia"], since=2020, absent=["China"]
)
S["l_no_rival"] = lambda: checks.leading_supplier(inputs(SF), "China", "Mali")
S["l_all_hold"] = lambda: checks.leading_supplier(inputs(SF), "Russia", "Mali")
S["l_absent_rival"] = lambda: checks.leading_supplier(inputs(SF), "China", "Mali", rival="France")
S["l_width"] = lambda: checks.leading_supplier(inputs(SF), "Russia", "Mali", width=3)
S["l_release"] = lambda: checks.leading_supplier(
    with_(inputs(SF), releases={"March 2024": transfers([("China", "Mali", 2020, 1.0)], release="March 2024")}),
    "Russia",
    "Mali",
    release="March 2024",
)
S["l_fails_twice"] = lambda: checks.leading_supplier(inputs(SF), "France", "Africa")
S["r_years"] = lambda: checks.supplier_rank(inputs(SF), "China", "Mali", years=[2017, 2019], rank=2, share=3)
S["r_tolerance"] = lambda: checks.supplier_rank(inputs(SF), "China", "Mali", share=32.3)
S["r_release"] = lambda: checks.supplier_rank(
    with_(inputs(SF), releases={"March 2024": transfers([("China", "Mali", 2020, 1.0)], release="March 2024")}),
    "China",
    "Mali",
    release="March 2024",
    rank=1,
)
S["r_regions"] = lambda: checks.supplier_rank(inputs(SF), "China", "Africa", share=33.3)
IF = transfers(
    [("China", "Mali", 2017, 0.5), ("China", "Mali", 2022, 0.75), ("China", "Niger", 2017, 10.25), ("China", "Niger", 2022, 10.5)]
)
S["i_fractions"] = lambda: checks.import_change(inputs(IF), "Mali", "rise")
S["i_regions"] = lambda: checks.import_change(inputs(IF), "Africa", "rise", change_pct=5.5)
S["i_tolerance"] = lambda: checks.import_change(
    inputs(transfers([("China", "Mali", 2017, 100.0), ("China", "Mali", 2022, 110.0)])), "Mali", "rise", change_pct=6.5
)
S["i_release"] = lambda: checks.import_change(
    with_(
        inputs(IF),
        releases={"March 2024": transfers([("China", "Mali", 2016, 3.0), ("China", "Mali", 2021, 1.0)], release="March 2024")},
    ),
    "Mali",
    "rise",
    release="March 2024",
)
S["i_counts_fall"] = lambda: checks.import_change(inputs(IF), "Africa", "fall", supplier="China")

RESULTS = {
    "d_none_listed": (
        "not checkable with these data",
        "No record in these data: SIPRI's March 2025 release lists no VP-11 for Chad.",
        {},
        (),
        [("delivered in 2023", "no record")],
    ),
    "d_none_unlisted": (
        "not checkable with these data",
        "No record in these data: SIPRI's March 2025 release lists no VP-11 for Chad (SIPRI does not list this system under that name).",
        {},
        (),
        [("delivered in 2023", "no record")],
    ),
    "d_other_supplier": (
        "not checkable with these data",
        "No record in these data: SIPRI's March 2025 release lists no VP-11 for Mali.",
        {},
        (),
        [("delivered in 2023", "no record")],
    ),
    "d_supplier_ok": (
        "supported",
        "SIPRI's March 2025 release records 80 VP-11 delivered to Mali in 2023.",
        {"delivery years": [2023], "ordered": 80, "delivered": 80, "delivered in 2023": 80.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds"), ("number 80", "holds")],
    ),
    "d_from_transfers": (
        "supported",
        "SIPRI's March 2025 release records 30 VP-11 delivered to Mali in 2023 (deliveries 2023 and 2024, spread evenly over those years).",
        {"delivery years": [2023, 2024], "ordered": 80, "delivered": 80, "delivered in 2023": 30.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds"), ("number 30", "holds")],
    ),
    "d_fraction": (
        "supported",
        "SIPRI's March 2025 release records an estimated 30 VP-11 delivered to Mali in 2023 (deliveries 2023 and 2024, spread evenly over those years).",
        {"delivery years": [2023, 2024], "ordered": 80, "delivered": 80, "delivered in 2023": 30.3},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds"), ("number 30", "holds")],
    ),
    "d_from_transfers_one": (
        "partly supported",
        "SIPRI's March 2025 release records 30 VP-11 delivered to Mali in 2023. The 31 claimed differs.",
        {"delivery years": [2023], "ordered": 80, "delivered": 40, "delivered in 2023": 30.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds"), ("number 31", "fails")],
    ),
    "d_spread_unknown": (
        "partly supported",
        "SIPRI's March 2025 release records a delivery of VP-11 to Mali in 2023 (number not given) (deliveries 2022 and 2023, spread evenly over those years). The 80 claimed differs.",
        {"delivery years": [2022, 2023], "ordered": 80, "delivered": 80, "delivered in 2023": None},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds"), ("number 80", "fails")],
    ),
    "d_n_unknown": (
        "partly supported",
        "SIPRI's March 2025 release records a delivery of VP-11 to Mali in 2023 (number not given). The 80 claimed differs.",
        {"delivery years": [2023], "ordered": 80, "delivered": None, "delivered in 2023": None},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds"), ("number 80", "fails")],
    ),
    "d_number_est": (
        "partly supported",
        "SIPRI's March 2025 release records an estimated 80 VP-11 delivered to Mali in 2023. The 60 claimed differs from SIPRI's estimate.",
        {"delivery years": [2023], "ordered": 80, "delivered": 80, "delivered in 2023": 80.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds"), ("number 60", "not checkable")],
    ),
    "d_number_fails": (
        "partly supported",
        "SIPRI's March 2025 release records 80 VP-11 delivered to Mali in 2023. The 60 claimed differs.",
        {"delivery years": [2023], "ordered": 80, "delivered": 80, "delivered in 2023": 80.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds"), ("number 60", "fails")],
    ),
    "d_two_orders": (
        "supported",
        "SIPRI's March 2025 release records a delivery of VP-11 to Mali in 2023 (number not given) (deliveries 2021 and 2023, spread evenly over those years).",
        {"delivery years": [2021, 2023], "ordered": 50, "delivered": 50, "delivered in 2023": None},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds")],
    ),
    "d_complete": (
        "contradicted",
        "SIPRI's March 2025 release records the whole order of 80 VP-11 for Mali delivered in 2021 and 2022, not 2023.",
        {"delivery years": [2021, 2022], "ordered": 80, "delivered": 80},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "fails")],
    ),
    "d_complete_est": (
        "contradicted",
        "SIPRI's March 2025 release records the whole order of an estimated 80 VP-11 for Mali delivered in 2023, not 2024.",
        {"delivery years": [2023], "ordered": 80, "delivered": 80},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2024", "fails")],
    ),
    "d_open": (
        "not checkable with these data",
        "No record in these data of a VP-11 delivery to Mali in 2023: SIPRI's March 2025 release records deliveries in 2021 and 2022.",
        {"delivery years": [2021, 2022], "ordered": 80, "delivered": 80},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "no record")],
    ),
    "d_partial": (
        "not checkable with these data",
        "No record in these data of a VP-11 delivery to Mali in 2024: SIPRI's March 2025 release records deliveries in 2023.",
        {"delivery years": [2023], "ordered": 80, "delivered": 70},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2024", "no record")],
    ),
    "d_noyears": (
        "not checkable with these data",
        "No record in these data of a VP-11 delivery to Mali in 2024: SIPRI's March 2025 release records deliveries in no year yet.",
        {"delivery years": [], "ordered": 80, "delivered": 0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2024", "no record")],
    ),
    "d_ordered_unknown": (
        "not checkable with these data",
        "No record in these data of a VP-11 delivery to Mali in 2024: SIPRI's March 2025 release records deliveries in 2023.",
        {"delivery years": [2023], "ordered": None, "delivered": 80},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2024", "no record")],
    ),
    "d_release_orders_only": (
        "supported",
        "SIPRI's March 2023 release records 80 VP-11 delivered to Mali in 2023.",
        {"delivery years": [2023], "ordered": 80, "delivered": 80, "delivered in 2023": 80.0},
        ("SIPRI Arms Transfers Database, March 2023 release",),
        [("delivered in 2023", "holds")],
    ),
    "d_month_hit": (
        "supported",
        "SIPRI's March 2025 release records 80 VP-11 delivered to Mali in 2023. Curated press sources date the handover to 27 April 2023.",
        {"delivery years": [2023], "ordered": 80, "delivered": 80, "delivered in 2023": 80.0},
        ("SIPRI Arms Transfers Database, March 2025 release", "https://example.org/a", "https://example.org/b"),
        [("delivered in 2023", "holds"), ("month 2023-04", "holds")],
    ),
    "d_month_miss_disputed": (
        "partly supported",
        "SIPRI's March 2025 release records 80 VP-11 delivered to Mali in 2023. Curated press sources date the handover to 2 March 2023 and 27 April 2023 (curated sources differ on the date).",
        {"delivery years": [2023], "ordered": 80, "delivered": 80, "delivered in 2023": 80.0},
        (
            "SIPRI Arms Transfers Database, March 2025 release",
            "https://example.org/a",
            "https://example.org/b",
            "https://example.org/c",
        ),
        [("delivered in 2023", "holds"), ("month 2023-05", "no record")],
    ),
    "d_month_undated": (
        "partly supported",
        "SIPRI's March 2025 release records 80 VP-11 delivered to Mali in 2023. SIPRI records years, not months, and no curated press source dates this delivery.",
        {"delivery years": [2023], "ordered": 80, "delivered": 80, "delivered in 2023": 80.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("delivered in 2023", "holds"), ("month 2023-04", "not checkable")],
    ),
    "d_events_no_month": (
        "supported",
        "SIPRI's March 2025 release records 80 VP-11 delivered to Mali in 2023.",
        {"delivery years": [2023], "ordered": 80, "delivered": 80, "delivered in 2023": 80.0},
        ("SIPRI Arms Transfers Database, March 2025 release", "https://example.org/a", "https://example.org/b"),
        [("delivered in 2023", "holds")],
    ),
    "u_all": (
        "supported",
        "SIPRI's March 2025 release lists deliveries of the VP-11 to Côte d'Ivoire, Mali and Republic of the Congo.",
        {"users": ["Côte d'Ivoire", "Mali", "Republic of the Congo"]},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("user Mali", "holds"), ("user Republic of the Congo", "holds"), ("at least 3 users", "holds")],
    ),
    "u_before": (
        "partly supported",
        "SIPRI's March 2025 release lists deliveries of the VP-11 before 2020 to Côte d'Ivoire and Mali.",
        {"users": ["Côte d'Ivoire", "Mali"]},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("at least 2 users", "holds"), ("only user Mali", "fails")],
    ),
    "u_before_none": (
        "not checkable with these data",
        "SIPRI's March 2025 release lists deliveries of the VP-11 before 2016 to no state.",
        {"users": []},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [],
    ),
    "u_none": (
        "supported",
        "SIPRI's March 2025 release lists deliveries of the VP-12 to no state.",
        {"users": []},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("at least 0 users", "holds")],
    ),
    "u_missing": (
        "partly supported",
        "SIPRI's March 2025 release lists deliveries of the VP-11 to Côte d'Ivoire, Mali and Republic of the Congo. No record in these data for Ghana, Togo and Chad. Curated research found no source naming Ghana as a user. Ghana received the VN-2, a different system.",
        {"users": ["Côte d'Ivoire", "Mali", "Republic of the Congo"]},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("user Ghana", "no record"), ("user Togo", "no record"), ("user Chad", "no record"), ("user Mali", "holds")],
    ),
    "u_missing_ci": (
        "not checkable with these data",
        "SIPRI's March 2025 release lists deliveries of the VP-11 before 2016 to no state. No record in these data for Côte d'Ivoire. Curated research found no source naming Côte d'Ivoire as a user.",
        {"users": []},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("user Côte d'Ivoire", "no record")],
    ),
    "u_release": (
        "supported",
        "SIPRI's March 2024 release lists deliveries of the VP-11 to Togo.",
        {"users": ["Togo"]},
        ("SIPRI Arms Transfers Database, March 2024 release",),
        [("only user Togo", "holds")],
    ),
    "n_reason": (
        "not checkable with these data",
        "Terms are secret. Settling it needs the contract.",
        {},
        (),
        [("not checkable", "not checkable")],
    ),
    "n_terms": (
        "not checkable with these data",
        "SIPRI notes terms only in free-text comments: 2 of 5 deals with all recipients ordered in 2015-24 mention loan or credit (SIPRI Arms Transfers Database, March 2025 release). Settling it needs the contract.",
        {"deals": 5, "with terms": 2},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("not checkable", "not checkable")],
    ),
    "n_terms_sup": (
        "not checkable with these data",
        "No terms. SIPRI notes terms only in free-text comments: 1 of 3 deals from China with the G5 Sahel states ordered in 2016-23 mention loan (SIPRI Arms Transfers Database, March 2025 release). Settling it needs the contract.",
        {"deals": 3, "with terms": 1},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("not checkable", "not checkable")],
    ),
    "n_terms_c130": (
        "not checkable with these data",
        "SIPRI notes terms only in free-text comments: 1 of 2 deals with Niger ordered in 2015-24 mention C-130 (SIPRI Arms Transfers Database, March 2025 release). Settling it needs x.",
        {"deals": 2, "with terms": 1},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("not checkable", "not checkable")],
    ),
    "n_terms_one": (
        "not checkable with these data",
        "SIPRI notes terms only in free-text comments: 1 of 1 deal from Russia with all recipients ordered in 2015-24 mention loan (SIPRI Arms Transfers Database, March 2025 release). Settling it needs x.",
        {"deals": 1, "with terms": 1},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("not checkable", "not checkable")],
    ),
    "e_none": (
        "not checkable with these data",
        "No record in these data: no curated event nope.",
        {},
        (),
        [("event", "no record")],
    ),
    "e_plain": (
        "supported",
        "Curated sources date “Summit opens” to 4 September 2024.",
        {"date": "2024-09-04"},
        ("https://example.org/a", "https://example.org/s"),
        [("event recorded", "holds")],
    ),
    "e_range": (
        "supported",
        "Curated sources date “Talks” from September 2024 to October 2024.",
        {"date": "2024-09"},
        ("https://example.org/a",),
        [("date 2024", "holds")],
    ),
    "e_range_no": (
        "contradicted",
        "Curated sources date “Talks” from September 2024 to October 2024, not August 2024.",
        {"date": "2024-09"},
        ("https://example.org/a",),
        [("date 2024-08", "fails")],
    ),
    "e_same_end": (
        "supported",
        "Curated sources date “Agreement signed” to 5 September 2024. The curated record states ‘Minister’ and ‘company’. On this event curated sources differ on some details.",
        {"date": "2024-09-05"},
        ("https://example.org/a",),
        [("states 'Minister'", "holds"), ("states 'company'", "holds")],
    ),
    "e_after": (
        "supported",
        "Curated sources date “Summit opens” to 4 September 2024, 2 days after “Agreement signed” (2 September 2024).",
        {"date": "2024-09-04", "days after": 2},
        ("https://example.org/a", "https://example.org/s"),
        [("within 7 days after e1", "holds")],
    ),
    "e_after1": (
        "supported",
        "Curated sources date “Agreement signed” to 2 September 2024, 1 day after “Prior” (1 September 2024).",
        {"date": "2024-09-02", "days after": 1},
        ("https://example.org/a",),
        [("within 1 days after prior", "holds")],
    ),
    "e_after_before": (
        "contradicted",
        "Curated sources date “Prior” to 1 September 2024, 1 day before “Agreement signed” (2 September 2024).",
        {"date": "2024-09-01", "days after": -1},
        ("https://example.org/a",),
        [("within 30 days after e1", "fails")],
    ),
    "e_after_late": (
        "contradicted",
        "Curated sources date “Late” to 10 September 2024, 8 days after “Agreement signed” (2 September 2024).",
        {"date": "2024-09-10", "days after": 8},
        ("https://example.org/a",),
        [("within 7 days after e1", "fails")],
    ),
    "e_after_week": (
        "supported",
        "Curated sources date “Late” to 10 September 2024, 9 days after “Prior” (1 September 2024).",
        {"date": "2024-09-10", "days after": 9},
        ("https://example.org/a",),
        [("within 9 days after prior", "holds")],
    ),
    "e_after_same": (
        "contradicted",
        "Curated sources date “Agreement signed” to 2 September 2024, 0 days after “Agreement signed” (2 September 2024).",
        {"date": "2024-09-02", "days after": 0},
        ("https://example.org/a",),
        [("within 7 days after e1", "fails")],
    ),
    "e_states": (
        "partly supported",
        "Curated sources date “Summit opens” to 4 September 2024. The curated record states ‘heads of state’, ‘meet’ and ‘summit’. No record in these data of ‘drones’ and ‘tanks’.",
        {"date": "2024-09-04"},
        ("https://example.org/a", "https://example.org/s"),
        [
            ("states 'heads of state'", "holds"),
            ("states 'meet'", "holds"),
            ("states 'summit'", "holds"),
            ("states 'drones'", "no record"),
            ("states 'tanks'", "no record"),
        ],
    ),
    "e_long_date": (
        "supported",
        "Curated sources date “Agreement signed” to 2 September 2024.",
        {"date": "2024-09-02"},
        ("https://example.org/a",),
        [("date 2024-09-02T10:00", "holds")],
    ),
    "c_default": (
        "partly supported",
        "UCDP counts at least 25 conflict deaths in Mali in 9 of the 10 years 2016-25 (935 in all; 10 in 2016, 300 in 2025; UCDP GED via Our World in Data).",
        {"min": 10.0, "total": 935.0, "years above": 9, "2016": 10.0, "2025": 300.0},
        ("UCDP GED via Our World in Data",),
        [("conflict every year 2016-2025", "mixed")],
    ),
    "c_short": (
        "supported",
        "UCDP counts at least 60 conflict deaths in Mali in 3 of the 3 years 2023-25 (595 in all; 90 in 2023, 300 in 2025; UCDP GED via Our World in Data). Deaths rose from 90 in 2023 to 505 in 2024-25.",
        {"min": 90.0, "total": 595.0, "years above": 3, "2023": 90.0, "2025": 300.0, "earlier half": 90.0, "later half": 505.0},
        ("UCDP GED via Our World in Data",),
        [("conflict every year 2023-2025", "holds"), ("worsening", "holds")],
    ),
    "c_odd": (
        "partly supported",
        "UCDP counts at least 200 conflict deaths in Mali in 2 of the 5 years 2021-25 (745 in all; 70 in 2021, 300 in 2025; UCDP GED via Our World in Data). Deaths rose from 150 in 2021-22 to 595 in 2023-25.",
        {"min": 70.0, "total": 745.0, "years above": 2, "2021": 70.0, "2025": 300.0, "earlier half": 150.0, "later half": 595.0},
        ("UCDP GED via Our World in Data",),
        [("conflict every year 2021-2025", "mixed"), ("worsening", "holds")],
    ),
    "c_source": (
        "contradicted",
        "UCDP counts at least 25 conflict deaths in Mali in 0 of the 4 years 2015-18 (1 in all; 0 in 2015, 1 in 2018; ACLED).",
        {"min": 0.0, "total": 1.0, "years above": 0, "2015": 0.0, "2018": 1.0},
        ("ACLED",),
        [("conflict every year 2015-2018", "fails")],
    ),
    "c_gap": (
        "partly supported",
        "UCDP counts at least 25 conflict deaths in Mali in 1 of the 3 years 2015-17 (30 in all; 0 in 2015, 30 in 2017; UCDP GED via Our World in Data). Deaths rose from 0 in 2015 to 30 in 2016-17.",
        {"min": 0.0, "total": 30.0, "years above": 1, "2015": 0.0, "2017": 30.0, "earlier half": 0.0, "later half": 30.0},
        ("UCDP GED via Our World in Data",),
        [("conflict every year 2015-2017", "mixed"), ("worsening", "holds")],
    ),
    "c_noseries": (
        "not checkable with these data",
        "No record in these data: no conflict-death series for Chad.",
        {},
        (),
        [("deaths", "no record")],
    ),
    "c_empty": (
        "not checkable with these data",
        "Conflict-death data are missing; run `briefing data status`.",
        {},
        (),
        [("deaths", "not checkable")],
    ),
    "c_noiso": (
        "not checkable with these data",
        "No record in these data: no conflict-death series for Mali.",
        {},
        (),
        [("deaths", "no record")],
    ),
    "c_flat": (
        "partly supported",
        "UCDP counts at least 25 conflict deaths in Mali in 4 of the 4 years 2015-18 (160 in all; 40 in 2015, 40 in 2018; UCDP GED via Our World in Data). Deaths did not rise from 80 in 2015-16 to 80 in 2017-18.",
        {"min": 40.0, "total": 160.0, "years above": 4, "2015": 40.0, "2018": 40.0, "earlier half": 80.0, "later half": 80.0},
        ("UCDP GED via Our World in Data",),
        [("conflict every year 2015-2018", "holds"), ("worsening", "fails")],
    ),
    "s_jan1": (
        "partly supported",
        "Shares of Mali's major-arms imports in 2022-24, the years after 1 January 2022 (“New year”): Russia 60.0%, China 20.0%, no record for Türkiye, France 10.0%, Ukraine 0%; unknown suppliers 10.0% (SIPRI Arms Transfers Database, March 2025 release).",
        {
            "Russia share": 60.0,
            "China share": 20.0,
            "Turkiye share": 0.0,
            "France share": 10.0,
            "Ukraine share": 0.0,
            "unknown share": 10.0,
        },
        ("SIPRI Arms Transfers Database, March 2025 release", "https://example.org/a", "https://example.org/j"),
        [
            ("supplier Russia", "holds"),
            ("supplier China", "holds"),
            ("supplier Turkiye", "no record"),
            ("no longer France", "fails"),
            ("no longer Ukraine", "holds"),
        ],
    ),
    "s_mid": (
        "not checkable with these data",
        "Shares of Mali's major-arms imports in 2023-24, the years after 30 June 2022 (“Mid year”): no record for Russia; unknown suppliers 25.0% (SIPRI Arms Transfers Database, March 2025 release).",
        {"Russia share": 0.0, "unknown share": 25.0},
        ("SIPRI Arms Transfers Database, March 2025 release", "https://example.org/a"),
        [("supplier Russia", "no record")],
    ),
    "s_since": (
        "not checkable with these data",
        "Shares of Mali's major-arms imports in 2024: no record for France, no record for China; unknown suppliers 100.0% (SIPRI Arms Transfers Database, March 2025 release).",
        {"France share": 0.0, "China share": 0.0, "unknown share": 100.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("supplier France", "no record"), ("supplier China", "no record")],
    ),
    "s_release": (
        "supported",
        "Shares of Mali's major-arms imports in 2020-24: Russia 100.0% (SIPRI Arms Transfers Database, March 2024 release).",
        {"Russia share": 100.0, "unknown share": 0.0},
        ("SIPRI Arms Transfers Database, March 2024 release",),
        [("supplier Russia", "holds")],
    ),
    "i_small_rise": (
        "partly supported",
        "China's deliveries to Nigeria rose from 100 million TIV in 2015-19 to 103 million TIV in 2020-24 (+3.0%), while the number of recipient states went from 1 to 1 (SIPRI Arms Transfers Database, March 2025 release).",
        {
            "Nigeria tiv 2015-19": 100.0,
            "Nigeria tiv 2020-24": 103.0,
            "Nigeria change %": 3.0,
            "Nigeria states 2015-19": 1,
            "Nigeria states 2020-24": 1,
        },
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("rise in Nigeria", "mixed"), ("change of 5% in Nigeria", "holds")],
    ),
    "i_claimed_ok": (
        "supported",
        "Imports of major arms by West Africa fell from 353 million TIV in 2015-19 to 163 million TIV in 2020-24 (-54%) (SIPRI Arms Transfers Database, March 2025 release).",
        {"West Africa tiv 2015-19": 353.0, "West Africa tiv 2020-24": 163.0, "West Africa change %": -53.8},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("fall in West Africa", "holds"), ("change of -52% in West Africa", "holds")],
    ),
    "i_claimed_far": (
        "partly supported",
        "Imports of major arms by West Africa fell from 353 million TIV in 2015-19 to 163 million TIV in 2020-24 (-54%), not the -10% claimed (SIPRI Arms Transfers Database, March 2025 release).",
        {"West Africa tiv 2015-19": 353.0, "West Africa tiv 2020-24": 163.0, "West Africa change %": -53.8},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("fall in West Africa", "holds"), ("change of -10% in West Africa", "fails")],
    ),
    "i_flat": (
        "contradicted",
        "Russia's deliveries to Nigeria fell from 153 million TIV in 2017 to 50 million TIV in 2022 (-67%), while the number of recipient states went from 1 to 1 (SIPRI Arms Transfers Database, March 2025 release).",
        {
            "Nigeria tiv 2017": 153.0,
            "Nigeria tiv 2022": 50.0,
            "Nigeria change %": -67.3,
            "Nigeria states 2017": 1,
            "Nigeria states 2022": 1,
        },
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("rise in Nigeria", "fails")],
    ),
    "i_equal": (
        "contradicted",
        "Imports of major arms by Mali did not change from 5.0 million TIV in 2015-19 to 5.0 million TIV in 2020-24 (+0.0%) (SIPRI Arms Transfers Database, March 2025 release).",
        {"Mali tiv 2015-19": 5.0, "Mali tiv 2020-24": 5.0, "Mali change %": 0.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("rise in Mali", "fails")],
    ),
    "i_from_zero": (
        "supported",
        "China's deliveries to Mali rose from 0.0 million TIV in 2015-19 to 10 million TIV in 2020-24, while the number of recipient states went from 0 to 1 (SIPRI Arms Transfers Database, March 2025 release).",
        {
            "Mali tiv 2015-19": 0.0,
            "Mali tiv 2020-24": 10.0,
            "Mali change %": None,
            "Mali states 2015-19": 0,
            "Mali states 2020-24": 1,
        },
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("rise in Mali", "holds")],
    ),
    "i_small_fall": (
        "supported",
        "Imports of major arms by Mali fell from 100 million TIV in 2015-19 to 96 million TIV in 2020-24 (-4.0%) (SIPRI Arms Transfers Database, March 2025 release).",
        {"Mali tiv 2015-19": 100.0, "Mali tiv 2020-24": 96.0, "Mali change %": -4.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("fall in Mali", "holds"), ("change of -4% in Mali", "holds")],
    ),
    "o_two": (
        "supported",
        "SIPRI's March 2025 release lists 2 designs of armoured vehicles that Mali ordered from China before 2020: VP-11 (APC, 4 ordered in 2017), WZ-551 (APC, 12 ordered in 2018) and VP-11 (APC, an estimated 80 ordered in 2019).",
        {"designations": ["VP-11", "WZ-551"], "deals": 3},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("at least 2 kinds", "holds")],
    ),
    "o_one": (
        "supported",
        "SIPRI's March 2025 release lists 1 design of armoured vehicles that Mali ordered from China before 2018: VP-11 (APC, 4 ordered in 2017).",
        {"designations": ["VP-11"], "deals": 1},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("at least 1 kinds", "holds")],
    ),
    "o_mixed": (
        "supported",
        "SIPRI's March 2025 release lists 2 designs of armoured vehicles that Mali ordered from China before 2019: VP-11 (APC, 4 ordered in 2017) and WZ-551 (APC, 12 ordered in 2018).",
        {"designations": ["VP-11", "WZ-551"], "deals": 2},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("at least 2 kinds", "holds")],
    ),
    "o_none": (
        "not checkable with these data",
        "No record in these data: SIPRI's March 2025 release lists no aircraft ordered by Mali from China before 2030.",
        {"designations": [], "deals": 0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("at least 2 kinds", "no record")],
    ),
    "o_release": (
        "partly supported",
        "SIPRI's March 2024 release lists 1 design of armoured vehicles that Mali ordered from China before 2020: WMA-301 (APC, 80 ordered in 2015).",
        {"designations": ["WMA-301"], "deals": 1},
        ("SIPRI Arms Transfers Database, March 2024 release",),
        [("at least 2 kinds", "mixed")],
    ),
    "u_related_two": (
        "partly supported",
        "SIPRI's March 2025 release lists deliveries of the VP-11 to Mali. No record in these data for Republic of the Congo, Côte d'Ivoire and Chad. Curated research found no source naming Republic of the Congo or Côte d'Ivoire as a user. Côte d'Ivoire and Republic of the Congo received the VN-2, a different system.",
        {"users": ["Mali"]},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [
            ("user Mali", "holds"),
            ("user Republic of the Congo", "no record"),
            ("user Côte d'Ivoire", "no record"),
            ("user Chad", "no record"),
            ("at least 2 users", "no record"),
        ],
    ),
    "u_related_release": (
        "not checkable with these data",
        "SIPRI's March 2024 release lists deliveries of the VP-11 to Chad. No record in these data for Mali and Republic of the Congo.",
        {"users": ["Chad"]},
        ("SIPRI Arms Transfers Database, March 2024 release",),
        [("user Mali", "no record"), ("user Republic of the Congo", "no record")],
    ),
    "d_release_transfers": (
        "supported",
        "SIPRI's March 2024 release records 7 VP-11 delivered to Mali in 2023 (deliveries 2022 and 2023, spread evenly over those years).",
        {"delivery years": [2022, 2023], "ordered": 80, "delivered": 80, "delivered in 2023": 7.0},
        ("SIPRI Arms Transfers Database, March 2024 release",),
        [("delivered in 2023", "holds")],
    ),
    "n_ends_in_x": (
        "not checkable with these data",
        "Nothing in SIPRI's field X. Settling it needs the text of annex X.",
        {},
        (),
        [("not checkable", "not checkable")],
    ),
    "c_threshold": (
        "partly supported",
        "UCDP counts at least 25 conflict deaths in Mali in 2 of the 3 years 2015-17 (79 in all; 25 in 2015, 24 in 2017; UCDP GED (v24.1) via OWID).",
        {"min": 24.0, "total": 79.0, "years above": 2, "2015": 25.0, "2017": 24.0},
        ("UCDP GED (v24.1) via OWID",),
        [("conflict every year 2015-2017", "mixed")],
    ),
    "e_after_other_sources": (
        "supported",
        "Curated sources date “Late” to 10 September 2024, 6 days after “Summit opens” (4 September 2024).",
        {"date": "2024-09-10", "days after": 6},
        ("https://example.org/a", "https://example.org/s"),
        [("within 7 days after summit", "holds")],
    ),
    "s_fractions": (
        "partly supported",
        "Shares of Mali's major-arms imports in 2020-24: Russia 66.0%, France 0.7%, no record for Türkiye, China 33.0%; unknown suppliers 0.3% (SIPRI Arms Transfers Database, March 2025 release).",
        {"Russia share": 66.0, "France share": 0.7, "Turkiye share": 0.0, "China share": 33.0, "unknown share": 0.3},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [
            ("supplier Russia", "holds"),
            ("supplier France", "holds"),
            ("supplier Turkiye", "no record"),
            ("no longer China", "fails"),
        ],
    ),
    "l_no_rival": (
        "contradicted",
        "In 2020-24 China was not the largest identified supplier to Mali. China's share of major-arms imports (SIPRI Arms Transfers Database, March 2025 release): Mali: 2015-19 66.7%, largest identified supplier; 2020-24 33.0%, 2nd-largest identified supplier; Russia 66.0%.",
        {"Mali 2015-19 share": 66.7, "Mali 2015-19 rank": 1, "Mali 2020-24 share": 33.0, "Mali 2020-24 rank": 2},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("leads Mali in 2020-24", "fails")],
    ),
    "l_all_hold": (
        "supported",
        "In 2020-24 Russia was the largest identified supplier to Mali. Russia's share of major-arms imports (SIPRI Arms Transfers Database, March 2025 release): Mali: 2015-19 33.3%, 2nd-largest identified supplier; China 66.7%; 2020-24 66.0%, largest identified supplier.",
        {"Mali 2015-19 share": 33.3, "Mali 2015-19 rank": 2, "Mali 2020-24 share": 66.0, "Mali 2020-24 rank": 1},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("leads Mali in 2020-24", "holds")],
    ),
    "l_absent_rival": (
        "contradicted",
        "In 2020-24 China was not the largest identified supplier to Mali. China's share of major-arms imports (SIPRI Arms Transfers Database, March 2025 release): Mali: 2015-19 66.7%, largest identified supplier; France 0%; 2020-24 33.0%, 2nd-largest identified supplier; France 0.7%.",
        {
            "Mali 2015-19 share": 66.7,
            "Mali 2015-19 rank": 1,
            "Mali 2015-19 France share": 0.0,
            "Mali 2020-24 share": 33.0,
            "Mali 2020-24 rank": 2,
            "Mali 2020-24 France share": 0.7,
        },
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("leads Mali in 2020-24", "fails")],
    ),
    "l_width": (
        "supported",
        "In 2022-24 Russia was the largest identified supplier to Mali. Russia's share of major-arms imports (SIPRI Arms Transfers Database, March 2025 release): Mali: 2019-21 0%, not among suppliers; 2022-24 66.0%, largest identified supplier.",
        {"Mali 2019-21 share": 0.0, "Mali 2019-21 rank": None, "Mali 2022-24 share": 66.0, "Mali 2022-24 rank": 1},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("leads Mali in 2022-24", "holds")],
    ),
    "l_release": (
        "contradicted",
        "In 2020-24 Russia was not the largest identified supplier to Mali. Russia's share of major-arms imports (SIPRI Arms Transfers Database, March 2024 release): Mali: 2015-19 0%, not among suppliers; 2020-24 0%, not among suppliers; China 100.0%.",
        {"Mali 2015-19 share": 0.0, "Mali 2015-19 rank": None, "Mali 2020-24 share": 0.0, "Mali 2020-24 rank": None},
        ("SIPRI Arms Transfers Database, March 2024 release",),
        [("leads Mali in 2020-24", "fails")],
    ),
    "l_fails_twice": (
        "contradicted",
        "In 2020-24 France was not the largest identified supplier to SIPRI's Africa (without Egypt), sub-Saharan Africa or Africa with Egypt. France's share of major-arms imports (SIPRI Arms Transfers Database, March 2025 release): SIPRI's Africa (without Egypt): 2015-19 0%, not among suppliers; China 66.7%; 2020-24 0.7%, 3rd-largest identified supplier; Russia 66.0% | sub-Saharan Africa: 2015-19 0%, not among suppliers; China 66.7%; 2020-24 0.7%, 3rd-largest identified supplier; Russia 66.0% | Africa with Egypt: 2015-19 0%, not among suppliers; China 66.7%; 2020-24 0.7%, 3rd-largest identified supplier; Russia 66.0%.",
        {
            "SIPRI's Africa (without Egypt) 2015-19 share": 0.0,
            "SIPRI's Africa (without Egypt) 2015-19 rank": None,
            "SIPRI's Africa (without Egypt) 2020-24 share": 0.7,
            "SIPRI's Africa (without Egypt) 2020-24 rank": 3,
            "sub-Saharan Africa 2015-19 share": 0.0,
            "sub-Saharan Africa 2015-19 rank": None,
            "sub-Saharan Africa 2020-24 share": 0.7,
            "sub-Saharan Africa 2020-24 rank": 3,
            "Africa with Egypt 2015-19 share": 0.0,
            "Africa with Egypt 2015-19 rank": None,
            "Africa with Egypt 2020-24 share": 0.7,
            "Africa with Egypt 2020-24 rank": 3,
        },
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [
            ("leads SIPRI's Africa (without Egypt) in 2020-24", "fails"),
            ("leads sub-Saharan Africa in 2020-24", "fails"),
            ("leads Africa with Egypt in 2020-24", "fails"),
        ],
    ),
    "r_years": (
        "contradicted",
        "China was the largest identified supplier to Mali in 2017-19, with 66.7% of the volume, against the 3% claimed (SIPRI Arms Transfers Database, March 2025 release; ranks count identified suppliers only).",
        {"Mali share": 66.7, "Mali rank": 1},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("rank 2 in Mali", "fails"), ("share 3% in Mali", "fails")],
    ),
    "r_tolerance": (
        "supported",
        "China was the 2nd-largest identified supplier to Mali in 2020-24, with 33.0% of the volume (SIPRI Arms Transfers Database, March 2025 release; ranks count identified suppliers only).",
        {"Mali share": 33.0, "Mali rank": 2},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("share 32.3% in Mali", "holds")],
    ),
    "r_release": (
        "supported",
        "China was the largest identified supplier to Mali in 2020-24, with 100.0% of the volume (SIPRI Arms Transfers Database, March 2024 release; ranks count identified suppliers only).",
        {"Mali share": 100.0, "Mali rank": 1},
        ("SIPRI Arms Transfers Database, March 2024 release",),
        [("rank 1 in Mali", "holds")],
    ),
    "r_regions": (
        "supported",
        "China was the 2nd-largest identified supplier to SIPRI's Africa (without Egypt) in 2020-24, with 33.0% of the volume; China was the 2nd-largest identified supplier to sub-Saharan Africa in 2020-24, with 33.0% of the volume; China was the 2nd-largest identified supplier to Africa with Egypt in 2020-24, with 33.0% of the volume (SIPRI Arms Transfers Database, March 2025 release; ranks count identified suppliers only).",
        {
            "SIPRI's Africa (without Egypt) share": 33.0,
            "SIPRI's Africa (without Egypt) rank": 2,
            "sub-Saharan Africa share": 33.0,
            "sub-Saharan Africa rank": 2,
            "Africa with Egypt share": 33.0,
            "Africa with Egypt rank": 2,
        },
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [
            ("share 33.3% in SIPRI's Africa (without Egypt)", "holds"),
            ("share 33.3% in sub-Saharan Africa", "holds"),
            ("share 33.3% in Africa with Egypt", "holds"),
        ],
    ),
    "i_fractions": (
        "supported",
        "Imports of major arms by Mali rose from 0.5 million TIV in 2015-19 to 0.8 million TIV in 2020-24 (+50%) (SIPRI Arms Transfers Database, March 2025 release).",
        {"Mali tiv 2015-19": 0.5, "Mali tiv 2020-24": 0.8, "Mali change %": 50.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("rise in Mali", "holds")],
    ),
    "i_regions": (
        "supported",
        "Imports of major arms by SIPRI's Africa (without Egypt) rose from 11 million TIV in 2015-19 to 11 million TIV in 2020-24 (+4.7%); imports of major arms by sub-Saharan Africa rose from 11 million TIV in 2015-19 to 11 million TIV in 2020-24 (+4.7%); imports of major arms by Africa with Egypt rose from 11 million TIV in 2015-19 to 11 million TIV in 2020-24 (+4.7%) (SIPRI Arms Transfers Database, March 2025 release).",
        {
            "SIPRI's Africa (without Egypt) tiv 2015-19": 10.8,
            "SIPRI's Africa (without Egypt) tiv 2020-24": 11.2,
            "SIPRI's Africa (without Egypt) change %": 4.7,
            "sub-Saharan Africa tiv 2015-19": 10.8,
            "sub-Saharan Africa tiv 2020-24": 11.2,
            "sub-Saharan Africa change %": 4.7,
            "Africa with Egypt tiv 2015-19": 10.8,
            "Africa with Egypt tiv 2020-24": 11.2,
            "Africa with Egypt change %": 4.7,
        },
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [
            ("rise in SIPRI's Africa (without Egypt)", "holds"),
            ("change of 5.5% in SIPRI's Africa (without Egypt)", "holds"),
            ("rise in sub-Saharan Africa", "holds"),
            ("change of 5.5% in sub-Saharan Africa", "holds"),
            ("rise in Africa with Egypt", "holds"),
            ("change of 5.5% in Africa with Egypt", "holds"),
        ],
    ),
    "i_tolerance": (
        "partly supported",
        "Imports of major arms by Mali rose from 100 million TIV in 2015-19 to 110 million TIV in 2020-24 (+10%), not the +6% claimed (SIPRI Arms Transfers Database, March 2025 release).",
        {"Mali tiv 2015-19": 100.0, "Mali tiv 2020-24": 110.0, "Mali change %": 10.0},
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [("rise in Mali", "holds"), ("change of 6.5% in Mali", "fails")],
    ),
    "i_release": (
        "contradicted",
        "Imports of major arms by Mali fell from 3.0 million TIV in 2015-19 to 1.0 million TIV in 2020-24 (-67%) (SIPRI Arms Transfers Database, March 2024 release).",
        {"Mali tiv 2015-19": 3.0, "Mali tiv 2020-24": 1.0, "Mali change %": -66.7},
        ("SIPRI Arms Transfers Database, March 2024 release",),
        [("rise in Mali", "fails")],
    ),
    "i_counts_fall": (
        "contradicted",
        "China's deliveries to SIPRI's Africa (without Egypt) rose from 11 million TIV in 2015-19 to 11 million TIV in 2020-24 (+4.7%), while the number of recipient states went from 2 to 2; China's deliveries to sub-Saharan Africa rose from 11 million TIV in 2015-19 to 11 million TIV in 2020-24 (+4.7%), while the number of recipient states went from 2 to 2; China's deliveries to Africa with Egypt rose from 11 million TIV in 2015-19 to 11 million TIV in 2020-24 (+4.7%), while the number of recipient states went from 2 to 2 (SIPRI Arms Transfers Database, March 2025 release).",
        {
            "SIPRI's Africa (without Egypt) tiv 2015-19": 10.8,
            "SIPRI's Africa (without Egypt) tiv 2020-24": 11.2,
            "SIPRI's Africa (without Egypt) change %": 4.7,
            "SIPRI's Africa (without Egypt) states 2015-19": 2,
            "SIPRI's Africa (without Egypt) states 2020-24": 2,
            "sub-Saharan Africa tiv 2015-19": 10.8,
            "sub-Saharan Africa tiv 2020-24": 11.2,
            "sub-Saharan Africa change %": 4.7,
            "sub-Saharan Africa states 2015-19": 2,
            "sub-Saharan Africa states 2020-24": 2,
            "Africa with Egypt tiv 2015-19": 10.8,
            "Africa with Egypt tiv 2020-24": 11.2,
            "Africa with Egypt change %": 4.7,
            "Africa with Egypt states 2015-19": 2,
            "Africa with Egypt states 2020-24": 2,
        },
        ("SIPRI Arms Transfers Database, March 2025 release",),
        [
            ("fall in SIPRI's Africa (without Egypt)", "fails"),
            ("fall in sub-Saharan Africa", "fails"),
            ("fall in Africa with Egypt", "fails"),
        ],
    ),
}


@pytest.mark.parametrize("scenario", list(S))
def test_each_branch_of_the_checks_gives_its_whole_result(scenario: str) -> None:
    assert full(S[scenario]()) == RESULTS[scenario]


def test_by_rank_and_change_note() -> None:
    from analysis import i18n
    from analysis.checks.shares import by_rank, change_note

    assert [by_rank(r, "none", "first", "{rank} place") for r in (None, pd.NA, float("nan"), 1, 2.0, 3)] == [
        "none",
        "none",
        "none",
        "first",
        "2nd place",
        "3rd place",
    ]
    assert [change_note(c) for c in (float("nan"), 9.96, -9.96, 10.0, -10.0, 0.0)] == [
        "",
        " (+10.0%)",
        " (-10.0%)",
        " (+10%)",
        " (-10%)",
        " (+0.0%)",
    ]
    with i18n.use("fr"):
        notes = [change_note(c) for c in (3.24, -3.24, 0.0, 0.4, 10.0)]
    assert notes == [" (+3,2\u202f%)", " (\u22123,2\u202f%)", " (+0,0\u202f%)", " (+0,4\u202f%)", " (+10\u202f%)"]
