"""Every check type on small hand-made tables where the verdict is known, and the same tables
changed so that the verdict flips; plus a property test that verdicts ignore row order."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import checks
from analysis.checks import CONTRADICTED, NOT_CHECKABLE, PARTLY, SUPPORTED, Inputs
from analysis.errors import ParameterError

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
@settings(max_examples=40, deadline=None)
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
    assert r3.evidence.startswith("La version de mars 2025 de la base du SIPRI recense 1 modèle de la catégorie")
    assert "commandé auprès de la Chine par le Mali avant 2024\u00a0: VP-11 (APC, commande en 2022\u00a0: 80)." in r3.evidence


def test_the_rules_to_translate_are_the_docstring_rules() -> None:
    import re

    from analysis import i18n, verdicts

    items = [" ".join(x.split()) for x in re.split(r"(?m)^\d+\.\s+", checks.rules_text()) if x.strip()]
    assert items == list(verdicts.RULES)
    with i18n.use("fr"):
        fr = checks.rules_text()
    assert fr.startswith("1. Une affirmation est découpée en éléments") and "\n9. Le TIV du SIPRI" in fr
