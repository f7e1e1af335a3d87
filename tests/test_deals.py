"""The register of deals between a supplier and a recipient, across releases."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import deals
from analysis import transfers as tr
from analysis.errors import ParameterError, UnknownNameError


@pytest.fixture(scope="module")
def china_mali(shared: Path):
    return deals.between("China", "Mali")


def test_between_holds_every_release(china_mali) -> None:
    assert set(china_mali["release"]) == {"March 2024", "March 2025", "March 2026"}
    assert (china_mali["supplier"] == "China").all() and (china_mali["recipient"] == "Mali").all()
    vp = china_mali[(china_mali.designation == "VP-11") & (china_mali.source == "sipri_register")].iloc[0]
    assert (vp.n_ordered, vp.order_year, vp.delivery_years, bool(vp.open)) == (80, 2022, "2023", False)


def test_latest_keeps_each_deal_once_even_when_renamed(china_mali) -> None:
    shown = deals.latest(china_mali)
    assert shown.groupby(["designation", "order_year"]).size().max() == 1
    # SIPRI renamed the 2000 helicopter (AS365/AS565 Panther -> Z-9) and the 2017 APC (Tiger -> ZFB-05).
    assert "AS365/AS565 Panther" not in set(shown.designation) and "Tiger" not in set(shown.designation)
    assert {"Z-9", "ZFB-05", "Type-62"} <= set(shown.designation)
    assert len(shown) == 12


def test_newer_than_finds_the_2025_deliveries(china_mali) -> None:
    new = deals.newer_than(china_mali)
    assert set(new["designation"]) == {"CS/SH-1 122mm", "CS/VP-14", "CSSM-5 120mm", "SR-5", "VN-22", "VN-22B"}
    assert set(new["release"]) == {"March 2026"} and (new["order_year"] == 2024).all()


def test_aliases_and_unknown_names(shared: Path) -> None:
    assert len(deals.between("Turkey", "Mali")) == len(deals.between("Türkiye", "Mali")) > 0
    with pytest.raises(UnknownNameError):
        deals.between("China", "Atlantis")


def test_open_orders_come_from_the_register(shared: Path) -> None:
    d = deals.between(None, "Algeria", sources=["sipri_register"])
    assert d["open"].dtype == bool and d["open"].sum() >= 3  # e.g. AW139 (2023), Vulcano (2024)
    assert (d.loc[d["open"], "n_delivered"].fillna(0) == 0).all()
    assert {"AW139", "Vulcano"} <= set(d.loc[d["open"], "designation"])


def test_sipri_estimates_and_status_reach_the_deal_table(china_mali) -> None:
    """SIPRI marks the VP-11 deal's order year and numbers with '?'; the Type-62 tanks are
    "New" with the comment "Possibly Second-hand"."""
    vp = china_mali[(china_mali.designation == "VP-11") & (china_mali.source == "sipri_register")].iloc[0]
    assert bool(vp.order_year_est) and bool(vp.n_ordered_est) and not bool(vp.n_delivered_est)
    assert (vp.n_ordered_shown, vp.order_year_shown, vp.n_delivered_shown) == ("80?", "2022?", "80")
    assert vp.estimate_note == "SIPRI estimate: order year, number ordered"
    vp26 = china_mali[(china_mali.designation == "VP-11") & (china_mali.source == "sipri_register_china_2026")].iloc[0]
    assert vp26.n_delivered_shown == "80?"  # the March 2026 release marks the deliveries too
    assert china_mali.attrs["footnote"] == "? SIPRI estimate"
    t62 = china_mali[(china_mali.designation == "Type-62") & (china_mali.source == "sipri_register")].iloc[0]
    assert t62.status == "New" and t62.status_note == "Possibly Second-hand"
    assert t62.status_shown == "New (Possibly Second-hand)"
    z9 = deals.latest(china_mali).set_index("designation").loc["Z-9"]
    assert z9.status_note == "Aid" and not bool(z9.n_ordered_est)
    shown = deals.latest(china_mali)
    assert {"n_ordered_shown", "status_note", "estimate_note"} <= set(shown.columns)


# ---------------------------------------------------------------------- hand-made registers
def register(rows: list[dict]) -> pd.DataFrame:
    """A minimal stacked orders table: every column deals.between shows, defaults overridden per row."""
    base = {c: None for c in deals.COLUMNS if c not in ("status_shown", "recipient_sipri", "supplier_sipri", "unit")}
    base.update(
        {
            "recipient": "Mali",
            "supplier": "China",
            "designation": "VP-11",
            "category": "Armoured vehicles",
            "n_ordered": 80,
            "order_year": 2022,
            "n_delivered": 80,
            "delivery_years": "2023",
            "last_delivery": 2023,
            "status": "New",
            "status_note": "",
            "open": False,
            "release": "March 2025",
            "generated": "2025-03-13",
            "source": "sipri_register",
            "deal_id": "d1",
        }
    )
    return pd.DataFrame([{**base, **r} for r in rows])


OLD = {"release": "March 2024", "generated": "2024-10-21", "source": "sipri_register_2024"}
NEW = {"release": "March 2026", "generated": "2026-07-14", "source": "sipri_register_china_2026"}


def test_status_shown_adds_what_the_comments_qualify() -> None:
    st = pd.Series(["New", "Second-hand", "New", "New"], index=[3, 4, 5, 6])
    nt = pd.Series(["Possibly Second-hand; Aid", "Second-hand", "; Aid", None], index=[3, 4, 5, 6])
    out = deals.status_shown(st, nt)
    assert out.tolist() == ["New (Possibly Second-hand, Aid)", "Second-hand", "New (Aid)", "New"]
    assert out.index.tolist() == [3, 4, 5, 6] and str(out.dtype) == "string"


def test_between_filters_sorts_and_stamps_a_table_you_hold() -> None:
    o = register(
        [
            {"designation": "Z-9", "order_year": 2000, "deal_id": "a"},
            {"designation": "VN-22", "order_year": 2024, "deal_id": "b", **NEW},
            {"designation": "Type-62", "order_year": 2010, "deal_id": "c", "status_note": "Possibly Second-hand"},
            {"designation": "AW139", "order_year": 2023, "deal_id": "d", **OLD},
            {"designation": "BMP-2", "supplier": "Russia", "deal_id": "e"},
            {"designation": "WZ-551", "recipient": "Niger", "deal_id": "f"},
            {"designation": "Arrows", "order_year": 2010, "deal_id": "g"},
        ]
    )
    d = deals.between("China", "Mali", orders=o)
    assert d["deal_id"].tolist() == ["b", "a", "g", "c", "d"]  # newest release first, then order year, designation
    assert list(d.columns) == deals.COLUMNS and d.index.tolist() == list(range(5))
    assert d.attrs == {
        "unit": "TIV millions (SIPRI trend-indicator value; a volume index, not US$)",
        "releases": ["March 2024", "March 2025", "March 2026"],
        "footnote": "? SIPRI estimate",
    }
    assert d.set_index("deal_id").loc["c", "status_shown"] == "New (Possibly Second-hand)"
    assert deals.between(None, "Mali", orders=o)["deal_id"].tolist() == ["b", "a", "g", "c", "e", "d"]
    assert set(deals.between("China", None, orders=o)["deal_id"]) == {"a", "b", "c", "d", "f", "g"}
    assert set(deals.between("China", ["Mali", "Niger"], orders=o)["deal_id"]) == {"a", "b", "c", "d", "f", "g"}


def test_between_since_keeps_deals_ordered_or_delivered_from_that_year() -> None:
    o = register(
        [
            {"designation": "A", "order_year": 2015, "last_delivery": 2019, "deal_id": "old"},
            {"designation": "B", "order_year": 2015, "last_delivery": 2020, "deal_id": "late"},
            {"designation": "C", "order_year": 2020, "last_delivery": None, "open": True, "deal_id": "open"},
            {"designation": "D", "order_year": None, "last_delivery": None, "deal_id": "undated"},
        ]
    )
    assert deals.between("China", "Mali", orders=o, since=2020)["deal_id"].tolist() == ["late", "open"]
    assert len(deals.between("China", "Mali", orders=o)) == 4


def test_between_rejects_a_selection_without_members(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deals.regions, "resolve_selection", lambda spec: [])
    with pytest.raises(ParameterError, match="recipient selection 'Nowhere' has no members"):
        deals.between(None, "Nowhere", orders=register([{}]))
    with pytest.raises(ParameterError, match="supplier selection 'Nobody' has no members"):
        deals.between("Nobody", None, orders=register([{}]))


def test_latest_keeps_the_newest_listing_and_follows_renames() -> None:
    d = register(
        [
            {
                "designation": "AS365 Panther",
                "order_year": 2000,
                "n_ordered": 2,
                "delivery_years": "2001",
                "category": "Aircraft",
                "deal_id": "p24",
                **OLD,
            },
            {
                "designation": "Z-9",
                "order_year": 2000,
                "n_ordered": 2,
                "delivery_years": "2001",
                "category": "Aircraft",
                "deal_id": "z25",
            },
            {"designation": "VP-11", "order_year": 2022, "deal_id": "v24", **OLD},
            {"designation": "VP-11", "order_year": 2022, "deal_id": "v25"},
            {"designation": "VP-11", "order_year": 2022, "deal_id": "v26", **NEW},
            {"designation": "Type-62", "order_year": 2010, "deal_id": "t24", **OLD},  # only the old release lists it
            # two newer rows share the loose key: an older third row is not taken for a rename
            {
                "designation": "Y-8",
                "order_year": 2012,
                "n_ordered": 1,
                "delivery_years": "2013",
                "category": "Aircraft",
                "deal_id": "y25",
            },
            {
                "designation": "Y-12",
                "order_year": 2012,
                "n_ordered": 1,
                "delivery_years": "2013",
                "category": "Aircraft",
                "deal_id": "y12",
            },
            {
                "designation": "Harbin Y-12",
                "order_year": 2012,
                "n_ordered": 1,
                "delivery_years": "2013",
                "category": "Aircraft",
                "deal_id": "h24",
                **OLD,
            },
        ]
    )
    shown = deals.latest(d)
    assert shown["deal_id"].tolist() == ["z25", "t24", "h24", "y12", "y25", "v26"]  # by order year, designation
    assert shown.index.tolist() == list(range(6))
    assert deals.latest(d.iloc[0:0]).empty and deals.latest(d.iloc[[2]])["deal_id"].tolist() == ["v24"]


def test_newer_than_lists_new_deals_and_later_deliveries() -> None:
    d = register(
        [
            {"designation": "VP-11", "deal_id": "v25"},
            {"designation": "VP-11", "deal_id": "v26", **NEW},  # the same deal, nothing later
            {"designation": "VN-22", "order_year": 2024, "last_delivery": 2025, "deal_id": "n26", **NEW},
            {"designation": "Z-9", "order_year": 2000, "last_delivery": 2025, "deal_id": "z26", **NEW},  # known, later
            {"designation": "Z-9", "order_year": 2000, "last_delivery": 2001, "deal_id": "z25"},
            {"designation": "SR-5", "order_year": 2021, "last_delivery": 2021, "deal_id": "s24", **OLD},  # older release
        ]
    )
    assert deals.newer_than(d)["deal_id"].tolist() == ["n26", "z26"]
    assert deals.newer_than(d, "sipri_register_2024")["deal_id"].tolist() == ["v25", "v26", "n26", "z26", "z25"]
    # without the base release every other release is newer
    nobase = d[d["source"] != "sipri_register"]
    assert deals.newer_than(nobase)["deal_id"].tolist() == ["v26", "n26", "z26", "s24"]
    # a base without delivery years: every newer row with a delivery counts as later
    undated = d.assign(last_delivery=d["last_delivery"].where(d["source"] != "sipri_register"))
    assert deals.newer_than(undated)["deal_id"].tolist() == ["v26", "n26", "z26"]


def test_between_defaults_to_china_and_mali_and_since_keeps_the_other_filters() -> None:
    o = register(
        [
            {"deal_id": "cm"},
            {"supplier": "Russia", "deal_id": "rm"},
            {"recipient": "Niger", "deal_id": "cn"},
            {"supplier": "Russia", "order_year": 2024, "last_delivery": None, "deal_id": "rm24"},
        ]
    )
    assert deals.between(orders=o)["deal_id"].tolist() == ["cm"]
    assert deals.between("Russia", orders=o, since=2024)["deal_id"].tolist() == ["rm24"]
    assert deals.between(orders=o, since=2024).empty


def test_status_shown_of_a_deal_without_status_is_empty() -> None:
    out = deals.status_shown(pd.Series([None, "New"]), pd.Series([None, ""]))
    assert out.tolist() == ["", "New"]


def test_latest_and_newer_than_keep_the_columns_they_were_given() -> None:
    d = register([{"deal_id": "v25"}, {"designation": "VN-22", "deal_id": "n26", **NEW}])
    assert list(deals.latest(d).columns) == list(d.columns)
    assert list(deals.latest(d.iloc[0:0]).columns) == list(d.columns)
    assert list(deals.newer_than(d).columns) == list(d.columns)
    # a register generated on the same day as the base is not newer than it
    same_day = register([{"deal_id": "v25"}, {"designation": "VN-22", "deal_id": "x", "source": "sipri_register_other"}])
    assert deals.newer_than(same_day).empty


def test_status_shown_without_a_status_is_the_note_alone() -> None:
    """Found by the mutation run: no status but a note gave " (Aid)"."""
    out = deals.status_shown(pd.Series(["New", "", None]), pd.Series(["Possibly Second-hand", "aid", ""]))
    assert list(out) == ["New (Possibly Second-hand)", "Aid", ""]


# --------------------------------------------------------------------------- names, units, bad input
def test_between_gives_display_names_with_sipri_spelling_and_the_unit() -> None:
    o = register(
        [
            {"recipient": "Cote d'Ivoire", "supplier": "UAE", "deal_id": "u"},
            {"recipient": "Congo", "supplier": "European Union**", "deal_id": "e", "order_year": 2020},
        ]
    )
    d = deals.between(None, None, orders=o)
    assert d["recipient"].tolist() == ["Republic of the Congo", "Côte d'Ivoire"]
    assert d["recipient_sipri"].tolist() == ["Congo", "Cote d'Ivoire"]
    assert d["supplier"].tolist() == ["European Union", "United Arab Emirates"]
    assert d["supplier_sipri"].tolist() == ["European Union**", "UAE"]
    assert d["unit"].eq(tr.UNIT).all() and pd.concat([d, d])["unit"].eq(tr.UNIT).all()
    # either spelling selects the same deals, also from a result passed back as the table
    for name in ("Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"):
        assert deals.between("United Arab Emirates", name, orders=o)["deal_id"].tolist() == ["u"]
        assert deals.between("UAE", name, orders=d)["deal_id"].tolist() == ["u"]


def test_latest_matches_a_deal_spelt_two_ways_across_releases() -> None:
    d = register(
        [
            {"recipient": "UAE", "deal_id": "old", **OLD},
            {"recipient": "United Arab Emirates", "deal_id": "new", **NEW},  # the 2026 export's spelling
        ]
    )
    assert deals.latest(d)["deal_id"].tolist() == ["new"]
    assert deals.newer_than(d, "sipri_register_2024").empty  # the same deal, not a new one
    # the same for the supplier's name ("UAE" as a supplier to Mali in one release, spelt out in the next)
    s = register([{"supplier": "UAE", "deal_id": "old", **OLD}, {"supplier": "United Arab Emirates", "deal_id": "new", **NEW}])
    assert deals.latest(s)["deal_id"].tolist() == ["new"]
    assert deals.newer_than(s, "sipri_register_2024").empty
    # two states' deals of the same design and year stay two deals
    two = register([{"recipient": "Mali", "deal_id": "m", **OLD}, {"recipient": "Niger", "deal_id": "n", **NEW}])
    assert sorted(deals.latest(two)["deal_id"]) == ["m", "n"]


def test_bad_input_to_the_register_is_a_one_line_parameter_error() -> None:
    o = register([{}])
    cases = [
        (lambda: deals.between("China", "Mali", orders=o, since="2020"), r"since must be a year such as 2010, got '2020'"),
        (lambda: deals.between("China", "Mali", orders=o.drop(columns="status")), r"orders is not a register table.*status"),
        (lambda: deals.between("China", "Mali", orders=[1]), r"orders must be a register table .*got list"),
        (
            lambda: deals.latest(o.drop(columns="generated")),
            r"deals is not a register \(deals.between\(\) or analysis.data.orders\(\)\): it has no column generated",
        ),
        (lambda: deals.latest("VP-11"), r"deals must be a register .*got str"),
        (lambda: deals.newer_than(o, "sipri_registre"), r"base_source 'sipri_registre' is not a register release"),
        (
            lambda: deals.newer_than(o.drop(columns="generated")),
            r"deals is not a register \(deals.between\(\) or analysis.data.orders\(\)\): it has no column generated",
        ),
    ]
    for call, message in cases:
        with pytest.raises(ParameterError, match=message) as err:
            call()
        assert "\n" not in str(err.value)
