"""Supplier shares, windows, annual series and rankings: hand-computed fixtures, properties,
and the real March 2025 release against SIPRI's own published shares."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import data, importers
from analysis import transfers as tr
from analysis.errors import ParameterError, UnknownNameError


def rows(*specs: tuple) -> pd.DataFrame:
    """(deal, supplier, recipient, year, tiv[, category]) -> a minimal transfers table."""
    recs = []
    for s in specs:
        deal, sup, rec, year, tiv = s[:5]
        recs.append(
            {
                "deal_id": deal,
                "supplier": sup,
                "recipient": rec,
                "delivery_year": year,
                "tiv_delivered": float(tiv),
                "category": s[5] if len(s) > 5 else None,
                "release": "March 2025",
            }
        )
    df = pd.DataFrame(recs)
    df["delivery_year"] = df["delivery_year"].astype("Int64")
    df["tiv_delivered"] = df["tiv_delivered"].astype("Float64")
    df["category"] = df["category"].astype("string")
    return df


@pytest.fixture
def small() -> pd.DataFrame:
    return rows(
        ("a", "Russia", "Mali", 2019, 10),
        ("a", "Russia", "Mali", 2020, 30),
        ("b", "China", "Mali", 2020, 20),
        ("c", "China", "Niger", 2021, 25),
        ("d", "France", "Niger", 2015, 40),
        ("e", "Turkiye", "Burkina Faso", 2024, 25, "Aircraft"),
        ("f", "China", "Algeria", 2024, 50, "Ships"),
        ("g", "United States", "Egypt", 2022, 500),  # Egypt is not in SIPRI's Africa
    )


def test_supplier_shares_hand_computed(small: pd.DataFrame) -> None:
    s = tr.supplier_shares(small, "Africa", (2020, 2024))
    # Africa 2020-24: Russia 30, China 20+25+50 = 95, Turkiye 25; total 150. Egypt excluded.
    assert s["supplier"].tolist() == ["China", "Russia", "Türkiye"]  # display names, SIPRI's spelling beside them
    assert s["supplier_sipri"].tolist() == ["China", "Russia", "Turkiye"]
    assert s["tiv"].tolist() == [95.0, 30.0, 25.0]
    assert s["share"].round(4).tolist() == [round(100 * 95 / 150, 4), 20.0, round(100 * 25 / 150, 4)]
    assert s["rank"].tolist() == [1, 2, 3]
    assert s.attrs["release"] == "March 2025" and "not US$" in s.attrs["unit"]


def test_window_edges(small: pd.DataFrame) -> None:
    # 2019 falls in 2015-19, 2020 in 2020-24: the edge year goes to one window only.
    w = tr.shares_by_window(small, "Mali", 2015, 2024, long=True)
    assert set(w["window"]) == {"2015-19", "2020-24"}
    early = w[w.window == "2015-19"].set_index("supplier")
    late = w[w.window == "2020-24"].set_index("supplier")
    assert early.loc["Russia", "tiv"] == 10 and early.loc["Russia", "share"] == 100
    assert late.loc["Russia", "tiv"] == 30 and late.loc["China", "tiv"] == 20
    assert late.loc["Russia", "tiv_change_pct"] == pytest.approx(200.0)
    assert pd.isna(late.loc["China", "tiv_change_pct"])  # from zero: no percent change
    assert late.loc["Russia", "share_change_pts"] == pytest.approx(60 - 100)


def test_windows_end_at_end_and_drop_partial() -> None:
    assert tr.windows(2000, 2024) == [(2000, 2004), (2005, 2009), (2010, 2014), (2015, 2019), (2020, 2024)]
    assert tr.windows(2003, 2024) == [(2005, 2009), (2010, 2014), (2015, 2019), (2020, 2024)]
    with pytest.raises(ParameterError, match="shorter than one 5-year window"):
        tr.windows(2022, 2024)
    assert tr.window_label((2020, 2024)) == "2020-24" and tr.window_label((1995, 2004)) == "1995-2004"


def test_wide_windows(small: pd.DataFrame) -> None:
    w = tr.shares_by_window(small, "Mali", 2015, 2024)
    assert list(w.columns[:2]) == ["2015-19", "2020-24"]
    assert w.index[0] == "Russia" and w.loc["Russia", "2020-24"] == pytest.approx(60.0)
    assert w["2020-24"].sum() == pytest.approx(100.0)


def test_empty_selection_and_supplier_without_deliveries(small: pd.DataFrame) -> None:
    assert tr.recipient_states(small, "Ukraine", "Africa", (2020, 2024)).attrs["count"] == 0
    assert tr.top_recipients(small, "Ukraine", "Africa", (2020, 2024)).empty
    assert tr.supplier_shares(small, "Mali", (2021, 2024)).empty  # Mali got nothing in 2021-24
    with pytest.raises(UnknownNameError, match="Mali"):
        tr.supplier_shares(small, "Mail", (2020, 2024))


def test_years_must_lie_inside_the_release(small: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match="outside the March 2025 release's delivery years 2015-2024"):
        tr.supplier_shares(small, "Africa", (2010, 2024))
    with pytest.raises(ParameterError, match="first year is after the last"):
        tr.supplier_shares(small, "Africa", (2024, 2020))


def test_mixed_releases_are_refused(small: pd.DataFrame) -> None:
    mixed = small.copy()
    mixed.loc[0, "release"] = "March 2026"
    with pytest.raises(ParameterError, match="mixes SIPRI releases"):
        tr.supplier_shares(mixed, "Africa", (2015, 2024))


def test_annual_fills_years_and_groups(small: pd.DataFrame) -> None:
    a = tr.annual_tiv(small, recipients="Africa", by="supplier", years=(2018, 2024))
    assert list(a.index) == list(range(2018, 2025))
    assert a.loc[2020, "Russia"] == 30 and a.loc[2018].sum() == 0
    assert a.columns[0] == "China"  # largest total first
    c = tr.annual_tiv(small, recipients="Africa", by="category", years=(2024, 2024))
    assert c.loc[2024, "Ships"] == 50 and c.loc[2024, "Aircraft"] == 25
    tot = tr.annual_tiv(small, recipients="AES", by=None)
    assert tot["total"].sum() == pytest.approx(10 + 30 + 20 + 25 + 40 + 25)


def test_rankings_and_concentration(small: pd.DataFrame) -> None:
    top = tr.top_recipients(small, "China", "Africa", (2020, 2024))
    assert top["recipient"].tolist() == ["Algeria", "Niger", "Mali"]
    assert top["share"].sum() == pytest.approx(100)
    cats = tr.by_category(small, "China", "Africa", (2020, 2024)).set_index("category")
    assert cats.loc["Unmapped", "tiv"] == 45 and cats.loc["Ships", "tiv"] == 50
    conc = tr.concentration(small, "Mali", (2020, 2024)).iloc[0]
    assert conc["n_suppliers"] == 2 and conc["top_supplier"] == "Russia"
    assert conc["hhi"] == pytest.approx(60**2 + 40**2)
    states = tr.recipient_states(small, "China", "Africa", (2020, 2024))
    assert states.attrs["count"] == 3 and set(states["iso3"]) == {"DZA", "NER", "MLI"}


# ---------------------------------------------------------------------- properties
supplier_names = st.sampled_from(["Russia", "China", "France", "Turkiye", "United States"])
recipient_names = st.sampled_from(["Mali", "Niger", "Nigeria", "Algeria", "Kenya"])
row = st.tuples(supplier_names, recipient_names, st.integers(2000, 2024), st.floats(0.01, 500))
# Rows outside Africa (Egypt) pin the table's coverage to 2000-2024 without touching Africa's shares.
ANCHORS = [("x0", "France", "Egypt", 2000, 1.0), ("x1", "France", "Egypt", 2024, 1.0)]


@settings(max_examples=60, deadline=None)
@given(st.lists(row, min_size=1, max_size=40), st.randoms(use_true_random=False))
def test_shares_sum_to_100_and_ignore_row_order(specs, rnd) -> None:
    t = rows(*ANCHORS, *[(f"d{i}", *s) for i, s in enumerate(specs)])
    a = tr.supplier_shares(t, "Africa", (2000, 2024))
    shuffled = t.sample(frac=1, random_state=rnd.randint(0, 10_000)).reset_index(drop=True)
    b = tr.supplier_shares(shuffled, "Africa", (2000, 2024))
    assert a["share"].sum() == pytest.approx(100)
    pd.testing.assert_frame_equal(a, b)


@settings(max_examples=40, deadline=None)
@given(st.lists(row, min_size=1, max_size=40))
def test_window_total_equals_sum_of_its_years(specs) -> None:
    t = rows(*ANCHORS, *[(f"d{i}", *s) for i, s in enumerate(specs)])
    longw = tr.shares_by_window(t, "Africa", 2000, 2024, long=True)
    annual = tr.annual_tiv(t, recipients="Africa", by=None, years=(2000, 2024))["total"]
    for _window, part in longw.groupby("window"):
        a, b = part["start"].iloc[0], part["end"].iloc[0]
        assert part["tiv"].sum() == pytest.approx(annual.loc[a:b].sum())


# ---------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def real(shared: Path) -> pd.DataFrame:
    return data.transfers()


@pytest.mark.parametrize("supplier, published", [("Russia", 21), ("China", 18), ("United States", 16)])
def test_africa_2020_24_matches_sipri_fact_sheet(real: pd.DataFrame, supplier: str, published: float) -> None:
    """SIPRI's March 2025 fact sheet: Russia 21%, China 18%, United States 16% of African arms
    imports in 2020-24."""
    s = tr.supplier_shares(real, "Africa", (2020, 2024)).set_index("supplier")
    assert abs(s.loc[supplier, "share"] - published) <= 1.5


def test_sub_saharan_africa_china_leads_in_2020_24(real: pd.DataFrame) -> None:
    s = tr.supplier_shares(real, "Sub-Saharan Africa", (2020, 2024))
    assert s["supplier"].iloc[0] == "China"
    a = tr.supplier_shares(real, "Africa", (2020, 2024))
    assert a["supplier"].iloc[0] == "Russia"


def test_mali_suppliers_by_window(real: pd.DataFrame) -> None:
    w = tr.shares_by_window(real, "Mali", 2010, 2024)
    assert w.index[0] == "Russia" and w.loc["Russia", "2020-24"] > 40
    assert w.loc["Russia", "2015-19"] > 30
    assert w.loc["France", "2020-24"] < 2


def test_spreading_keeps_each_deals_total(real: pd.DataFrame, shared: Path) -> None:
    """The classic export's delivered TIV is spread over delivery years: the years of a deal
    add up to the deal's total, and the table covers every deal with a delivery."""
    imp = importers.read(shared / "sipri/trade-register_all_generated-2025-03-13.csv")
    delivered = imp.frame[imp.frame["delivery_years"] != ""]
    assert real["deal_id"].nunique() == len(delivered)
    assert float(real["tiv_delivered"].sum()) == pytest.approx(float(delivered["tiv_delivered"].sum()), rel=1e-9)
    wz = real[(real.recipient == "Mali") & (real.designation == "WZ-551")].set_index("delivery_year")
    assert list(wz.index) == [2021, 2023]
    assert wz["tiv_delivered"].sum() == pytest.approx(7.7) and wz["n_delivered"].sum() == pytest.approx(22.0)
    even = data.transfers(method="even")
    assert set(even["method"]) == {data.METHOD_SPREAD}
    wz_even = even[(even.recipient == "Mali") & (even.designation == "WZ-551")]
    assert wz_even["n_delivered"].tolist() == [11.0, 11.0]
    # every row names its method; the default follows calibrate.PLAN
    assert real["method"].notna().all()
    assert real["method"].str.contains("calibrated to SIPRI TIV table tiv-tables_all-exporters_2024").any()
    assert real["method"].str.startswith("shaped by SIPRI TIV table tiv-totals_importers").mean() > 0.9


# ---------------------------------------------------------------------- unattributed supply
UNK = "unknown supplier(s)"


@pytest.fixture
def with_unknown() -> pd.DataFrame:
    return rows(
        ("a", "Russia", "Mali", 2021, 50),
        ("b", UNK, "Mali", 2021, 30),
        ("c", "Turkiye", "Mali", 2022, 10),
        ("d", "China", "Mali", 2022, 10),
        ("e", "France", "Mali", 2016, 20),
        ("f", UNK, "Mali", 2016, 40),
        ("x0", "France", "Egypt", 2015, 1.0),
        ("x1", "France", "Egypt", 2024, 1.0),
    )


def test_unknown_supplier_has_a_share_but_no_rank(with_unknown: pd.DataFrame) -> None:
    s = tr.supplier_shares(with_unknown, "Mali", (2020, 2024))
    assert s["supplier"].tolist() == ["Russia", "China", "Türkiye", UNK]  # ranked first, the unknown last
    assert s["share"].sum() == pytest.approx(100) and s.set_index("supplier").loc[UNK, "share"] == pytest.approx(30)
    assert s["rank"].tolist()[:3] == [1, 2, 2] and pd.isna(s["rank"].iloc[3])
    assert s["identified"].tolist() == [True, True, True, False]


def test_windows_and_standing_rank_identified_suppliers_only(with_unknown: pd.DataFrame) -> None:
    w = tr.shares_by_window(with_unknown, "Mali", 2015, 2024, long=True)
    early = w[w.window == "2015-19"].set_index("supplier")
    assert early.loc["France", "rank"] == 1 and pd.isna(early.loc[UNK, "rank"])  # UNK is larger, but not ranked
    assert early.loc[UNK, "share"] == pytest.approx(200 / 3)
    st_ = tr.standing(with_unknown, "China", rivals=("Russia",), recipients=("Mali",), end=2024, n_windows=1)
    row = st_.iloc[0]
    assert row["rank"] == 2 and row["leader"] == "Russia" and row["share_unknown"] == pytest.approx(30)
    st_early = tr.standing(with_unknown, "France", rivals=(), recipients=("Mali",), end=2019, n_windows=1).iloc[0]
    assert st_early["rank"] == 1 and st_early["leader"] == "France"
    assert tr.main_suppliers(with_unknown, "Mali", (2015, 2024), n=2) == ["Russia", "France"]
    assert tr.concentration(with_unknown, "Mali", (2015, 2019)).iloc[0]["top_supplier"] == "France"


def test_mali_2020_24_china_rank_counts_identified_suppliers(real: pd.DataFrame) -> None:
    s = tr.supplier_shares(real, "Mali", (2020, 2024)).set_index("supplier")
    if UNK in s.index:
        assert pd.isna(s.loc[UNK, "rank"])
    ranked = s[s["rank"].notna()]
    assert ranked.loc["China", "rank"] == 1 + int((ranked["tiv"] > ranked.loc["China", "tiv"]).sum())


# ---------------------------------------------------------------------- edges, errors and attrs
@pytest.fixture
def libya() -> pd.DataFrame:
    """Libya 2016-24 (and Algeria, Niger) from identified and unknown suppliers, a non-state recipient, a zero row."""
    return rows(
        ("a", "Russia", "Libya", 2016, 40),
        ("b", "Russia", "Libya", 2023, 60),
        ("c", "Turkiye", "Libya HoR*", 2023, 20),
        ("d", "UAE", "Libya HoR*", 2024, 60),
        ("e", UNK, "Libya HoR*", 2024, 20),
        ("f", "China", "Algeria", 2021, 30),
        ("g", "Russia", "Algeria", 2022, 90),
        ("h", "France", "Algeria", 2022, 0),  # a row without TIV: no supplier of 2020-24
        ("i", "China", "Niger", 2020, 10),
        ("x0", "France", "Egypt", 2015, 1.0),  # outside Africa: pins the coverage to 2015-24
    )


def test_errors_say_what_was_wrong(small: pd.DataFrame) -> None:
    with pytest.raises(ParameterError, match=r"transfers table is empty; check the source with `briefing data status`"):
        tr.coverage(small.iloc[0:0])
    with pytest.raises(ParameterError, match=r"years must be a pair of years like \(2020, 2024\), got 2020"):
        tr.supplier_shares(small, "Africa", 2020)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"got \('a', 'b'\)"):
        tr.check_years(small, ("a", "b"))  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"years 2015-2025 lie outside"):
        tr.check_years(small, (2015, 2025))
    assert tr.check_years(small, (2015, 2024)) == (2015, 2024) and tr.check_years(small, None) == (2015, 2024)
    assert tr.check_years(small, (2024, 2024)) == (2024, 2024)
    mixed = small.copy()
    mixed.loc[0, "release"] = "March 2026"
    with pytest.raises(
        ParameterError, match=r"releases \((March 2025, March 2026|March 2026, March 2025)\); analyse one release"
    ):
        tr.release_label(mixed)
    assert tr.release_label(small.drop(columns="release")) == "unknown"
    with pytest.raises(ParameterError, match="window width must be a whole number of at least 1 year, got 0"):
        tr.windows(2015, 2024, 0)
    with pytest.raises(ParameterError, match="2021-2024 is shorter than one 5-year window"):
        tr.windows(2021, 2024)
    assert tr.windows(2020, 2024) == [(2020, 2024)] and tr.windows(2024, 2024, 1) == [(2024, 2024)]
    with pytest.raises(ParameterError, match="by must be 'supplier', 'recipient', 'category' or None, got 'deal'"):
        tr.annual_tiv(small, by="deal")
    with pytest.raises(ParameterError, match="n must be a whole number of at least 1, got 0"):
        tr.top_recipients(small, "China", "Africa", (2020, 2024), n=0)


def test_window_labels() -> None:
    assert tr.window_label((2024, 2024)) == "2024" and tr.window_label((1998, 2002)) == "1998-2002"
    assert tr.window_label((2000, 2009)) == "2000-09"


def test_unattributed_parties() -> None:
    names = ["unknown supplier(s)", " Unknown recipient(s)", "unknown rebel group*", "Russia", "Libya HoR*"]
    assert tr.unattributed(names).tolist() == [True, True, True, False, False]
    assert tr.unattributed(pd.Series(["UNKNOWN supplier(s)"], index=[7])).tolist() == [True]


def test_shares_leave_out_suppliers_without_tiv_and_stamp_what_they_cover(libya: pd.DataFrame) -> None:
    s = tr.supplier_shares(libya, ["Algeria", "Niger"], (2020, 2024))
    assert s["supplier"].tolist() == ["Russia", "China"] and s["tiv"].tolist() == [90.0, 40.0]
    assert s["share"].tolist() == pytest.approx([100 * 90 / 130, 100 * 40 / 130])
    assert s.attrs == {
        "release": "March 2025",
        "unit": tr.UNIT,
        "recipients": "Algeria, Niger",
        "years": (2020, 2024),
        "total_tiv": 130.0,
    }
    assert tr.supplier_shares(libya, None, (2016, 2016)).attrs["recipients"] == "all"
    # ties share a rank and are listed by name
    tie = tr.supplier_shares(libya, "Libya HoR*", (2024, 2024))
    assert tie["supplier"].tolist() == ["United Arab Emirates", UNK] and tie["rank"].tolist()[:1] == [1]
    both = tr.supplier_shares(
        rows(("a", "Turkiye", "Mali", 2020, 5), ("b", "China", "Mali", 2020, 5), ("c", "Russia", "Mali", 2020, 2)),
        "Mali",
        (2020, 2020),
    )
    assert both["supplier"].tolist() == ["China", "Türkiye", "Russia"] and both["rank"].tolist() == [1, 1, 3]


def test_wide_windows_carry_the_last_windows_volume_and_change(libya: pd.DataFrame) -> None:
    w = tr.shares_by_window(libya, ["Libya", "Libya HoR*"], 2015, 2024)
    assert list(w.columns) == ["2015-19", "2020-24", "tiv_2020-24", "tiv_change_pct", "supplier_sipri"]
    # 2020-24: Russia 60, UAE 60, Turkiye 20, unknown 20 (160); 2015-19: Russia 40
    assert w.index.tolist()[:2] == ["Russia", "United Arab Emirates"] and w.index[-1] in {"Türkiye", UNK}
    assert w.index.name == "supplier" and w.loc["United Arab Emirates", "supplier_sipri"] == "UAE"
    assert w.loc["Russia", "2020-24"] == pytest.approx(37.5) and w.loc["Russia", "tiv_2020-24"] == 60
    assert w.loc["Russia", "tiv_change_pct"] == pytest.approx(50.0) and pd.isna(w.loc["United Arab Emirates", "tiv_change_pct"])
    assert w.loc["United Arab Emirates", "2015-19"] == 0 and w.columns.name is None
    assert w.attrs["windows"] == ["2015-19", "2020-24"] and w.attrs["width"] == 5 and w.attrs["years"] == (2015, 2024)


def test_long_windows_are_ordered_by_window_then_rank(libya: pd.DataFrame) -> None:
    w = tr.shares_by_window(libya, ["Libya", "Libya HoR*"], 2016, 2024, width=3, long=True)
    assert w.attrs["windows"] == ["2016-18", "2019-21", "2022-24"] and w.attrs["years"] == (2016, 2024)
    assert list(w.columns) == [
        *("window", "start", "end", "supplier", "supplier_sipri", "tiv", "share", "rank"),
        *("tiv_change_pct", "share_change_pts", "unit"),
    ]
    assert w["window"].tolist() == ["2016-18", "2022-24", "2022-24", "2022-24", "2022-24"]
    assert w["supplier"].tolist() == ["Russia", "Russia", "United Arab Emirates", "Türkiye", UNK]
    assert w["supplier_sipri"].tolist() == ["Russia", "Russia", "UAE", "Turkiye", UNK]
    assert w["rank"].tolist()[:4] == [1, 1, 1, 3] and pd.isna(w["rank"].iloc[4]) and str(w["rank"].dtype) == "Int64"
    assert w["start"].tolist()[:2] == [2016, 2022] and w["end"].tolist()[:2] == [2018, 2024]
    # Russia delivered nothing in 2019-21: no percent change from zero, share points from 0
    russia = w[w["supplier"] == "Russia"].set_index("window")
    assert pd.isna(russia.loc["2022-24", "tiv_change_pct"]) and russia.loc["2022-24", "share_change_pts"] == pytest.approx(37.5)


def test_annual_series_by_recipient_and_category(libya: pd.DataFrame) -> None:
    a = tr.annual_tiv(libya, suppliers="Russia", by="recipient", years=(2021, 2023))
    assert a.columns.tolist() == ["Algeria", "Libya"] and a.columns.name == "recipient" and a.index.name == "year"
    assert a.loc[2022, "Algeria"] == 90 and a.loc[2021].sum() == 0 and a.loc[2023, "Libya"] == 60
    assert a.attrs["suppliers"] == "Russia" and a.attrs["by"] == "recipient" and a.attrs["years"] == (2021, 2023)
    c = tr.annual_tiv(libya, recipients="Algeria", by="category")
    assert c.columns.tolist() == ["Unmapped"] and c.index.tolist() == list(range(2015, 2025))
    tot = tr.annual_tiv(libya, recipients="Libya", by=None, years=(2016, 2024))
    assert tot.columns.tolist() == ["total"] and tot["total"].tolist() == [40, 0, 0, 0, 0, 0, 0, 60, 0]
    assert tot.attrs["suppliers"] == "all" and tot.attrs["by"] is None


def test_top_recipients_keeps_n_and_names_the_supplier(libya: pd.DataFrame) -> None:
    top = tr.top_recipients(libya, "China", "Africa", (2020, 2024), n=1)
    assert top["recipient"].tolist() == ["Algeria"] and top["share"].tolist() == [75.0]
    assert top.attrs["supplier"] == "China" and top.attrs["recipients"] == "Africa"
    assert len(tr.top_recipients(libya, "China", "Africa", (2020, 2024), n=None)) == 2


def test_recipient_states_leave_out_non_state_actors_and_count_deliveries(libya: pd.DataFrame) -> None:
    st_ = tr.recipient_states(libya, ["Russia", "France"], "Africa", (2016, 2024))
    assert st_["recipient"].tolist() == ["Libya", "Algeria"] and st_["tiv"].tolist() == [100.0, 90.0]
    assert st_["deliveries"].tolist() == [2, 1] and st_["iso3"].tolist() == ["LBY", "DZA"]
    assert st_.attrs["count"] == 2 and st_.attrs["supplier"] == "Russia, France"
    assert tr.recipient_states(libya, "UAE", "Africa", (2016, 2024)).attrs["count"] == 0  # only Libya HoR*


def test_categories_rank_by_volume(small: pd.DataFrame) -> None:
    c = tr.by_category(small, None, "Africa", (2020, 2024))
    assert c["category"].tolist() == ["Unmapped", "Ships", "Aircraft"] and c["rank"].tolist() == [1, 2, 3]
    assert c["share"].tolist() == pytest.approx([50.0, 100 / 3, 100 / 6]) and c.attrs["supplier"] == "all"


def test_concentration_counts_identified_suppliers(libya: pd.DataFrame) -> None:
    c = tr.concentration(libya, "Africa", (2020, 2024))
    assert c["recipient"].tolist() == ["Algeria", "Libya HoR", "Libya", "Niger"]  # by volume
    assert c["recipient_sipri"].tolist() == ["Algeria", "Libya HoR*", "Libya", "Niger"]  # SIPRI's mark kept
    hor = c.set_index("recipient_sipri").loc["Libya HoR*"]
    assert hor["n_suppliers"] == 2 and hor["top_supplier"] == "United Arab Emirates" and hor["top_share"] == pytest.approx(60.0)
    assert hor["top_supplier_sipri"] == "UAE"
    assert hor["hhi"] == pytest.approx(20**2 + 60**2 + 20**2) and hor["tiv"] == 100
    only_unknown = tr.concentration(rows(("a", UNK, "Mali", 2020, 5)), "Mali", (2020, 2020)).iloc[0]
    assert only_unknown["n_suppliers"] == 0 and only_unknown["top_supplier"] is None
    assert pd.isna(only_unknown["top_share"]) and only_unknown["hhi"] == pytest.approx(10_000)
    assert tr.concentration(libya, "Mali", (2020, 2024)).empty


def test_main_suppliers_default_to_the_last_ten_years(libya: pd.DataFrame) -> None:
    assert tr.main_suppliers(libya, "Libya HoR*") == ["United Arab Emirates", "Türkiye"]  # unknown never named
    assert tr.main_suppliers(libya, "Algeria", n=1) == ["Russia"]
    long_ = rows(("a", "France", "Mali", 2010, 500), ("b", "Russia", "Mali", 2015, 5), ("c", "China", "Mali", 2024, 1))
    assert tr.main_suppliers(long_, "Mali") == ["Russia", "China"]  # 2015-24: France's 2010 deal is older
    assert tr.main_suppliers(long_, "Mali", (2010, 2024)) == ["France", "Russia", "China"]


def test_supplier_share_by_recipient(libya: pd.DataFrame) -> None:
    s = tr.supplier_share_by_recipient(libya, "Russia", "Africa", (2020, 2024))
    # states only (Libya HoR* is not one), 0 where Russia delivered nothing
    assert s["recipient"].tolist() == ["Libya", "Algeria", "Niger"]
    assert s["share"].tolist() == pytest.approx([100.0, 75.0, 0.0])
    assert s["tiv"].tolist() == [60.0, 120.0, 10.0] and s["supplier_tiv"].tolist() == [60.0, 90.0, 0.0]
    assert s["iso3"].tolist() == ["LBY", "DZA", "NER"] and s.attrs["supplier"] == "Russia"


def test_standing_defaults_to_the_last_windows_of_the_release(libya: pd.DataFrame) -> None:
    s = tr.standing(libya, "Russia", rivals=("UAE", "Turkey"), recipients=("Libya HoR*", "Algeria"))
    assert s["window"].tolist() == ["2015-19", "2020-24"] * 2 and s.attrs["years"] == (2015, 2024)
    hor = s[s["recipients"] == "Libya HoR*"].set_index("window")
    assert hor.loc["2020-24", "share"] == 0.0 and pd.isna(hor.loc["2020-24", "rank"])
    assert hor.loc["2020-24", "leader"] == "United Arab Emirates" and hor.loc["2020-24", "leader_share"] == pytest.approx(60.0)
    assert hor.loc["2020-24", "leader_sipri"] == "UAE"
    assert hor.loc["2020-24", "share_United Arab Emirates"] == pytest.approx(60.0) and hor.loc["2020-24", "share_Türkiye"] == 20.0
    assert hor.loc["2020-24", "share_unknown"] == pytest.approx(20.0)
    assert pd.isna(hor.loc["2015-19", "leader"]) and pd.isna(hor.loc["2015-19", "leader_share"])
    alg = s[s["recipients"] == "Algeria"].set_index("window").loc["2020-24"]
    assert alg["rank"] == 1 and alg["share"] == pytest.approx(75.0) and alg["share_unknown"] == 0.0
    one = tr.standing(libya, "China", rivals=(), recipients=("Algeria",), end=2022, width=2, n_windows=3)
    assert one["window"].tolist() == ["2017-18", "2019-20", "2021-22"] and one.attrs["width"] == 2
    assert one["rank"].isna().tolist() == [True, True, False] and one["rank"].iloc[2] == 2
    assert one.attrs["recipients"] == "Algeria"


# ---------------------------------------------------------------------- defaults and exact outputs
TWELVE = ["Algeria", "Angola", "Cameroon", "Chad", "Ghana", "Kenya", "Mali", "Niger", "Nigeria", "Senegal", "Tanzania", "Zambia"]


@pytest.fixture
def africa() -> pd.DataFrame:
    """China to twelve African states in 2020-24 (1..12 TIV), Russia and the US to a few, 2000-24 covered."""
    specs = [(f"c{k}", "China", r, 2020 + k % 5, k + 1) for k, r in enumerate(TWELVE)]
    specs += [
        ("r1", "Russia", "Mali", 2021, 30),
        ("r2", "Russia", "Algeria", 2002, 50),
        ("u1", "United States", "Kenya", 2023, 0.5),
        ("f1", "France", "Chad", 2014, 40),
        ("t1", "Turkiye", "Niger", 2022, 3),
        ("x0", "France", "Egypt", 2000, 1.0),
    ]
    return rows(*specs)


def test_defaults_are_africa_china_and_2020_24(africa: pd.DataFrame) -> None:
    s = tr.supplier_shares(africa)
    assert s.attrs["recipients"] == "Africa" and s.attrs["years"] == (2020, 2024)
    assert s["supplier"].tolist() == ["China", "Russia", "Türkiye", "United States"] and s["tiv"].iloc[0] == 78
    assert list(s.columns) == ["supplier", "supplier_sipri", "tiv", "share", "rank", "identified", "unit"]
    assert str(s["rank"].dtype) == "Int64"
    top = tr.top_recipients(africa)
    assert len(top) == 10 and top["recipient"].iloc[0] == "Zambia" and top.attrs["supplier"] == "China"
    assert top.attrs["recipients"] == "Africa" and top.attrs["years"] == (2020, 2024)
    states = tr.recipient_states(africa)
    assert states.attrs["count"] == 12 and states.attrs["supplier"] == "China" and states.attrs["recipients"] == "Africa"
    assert list(states.columns) == ["recipient", "recipient_sipri", "iso3", "tiv", "deliveries", "unit"]
    cat = tr.by_category(africa)
    assert cat["tiv"].tolist() == [111.5] and cat.attrs["recipients"] == "Africa" and cat.attrs["supplier"] == "all"
    conc = tr.concentration(africa)
    assert conc.attrs["recipients"] == "Africa" and len(conc) == 12 and conc.attrs["years"] == (2020, 2024)
    assert list(conc.columns) == [
        *("recipient", "recipient_sipri", "tiv", "n_suppliers", "top_supplier", "top_supplier_sipri", "top_share", "hhi", "unit")
    ]
    by = tr.supplier_share_by_recipient(africa)
    assert by.attrs["supplier"] == "China" and by.attrs["recipients"] == "Africa" and len(by) == 12
    assert list(by.columns) == ["recipient", "recipient_sipri", "iso3", "tiv", "supplier_tiv", "share", "unit"]
    w = tr.shares_by_window(africa)
    assert w.attrs["windows"] == ["2000-04", "2005-09", "2010-14", "2015-19", "2020-24"]
    assert w.attrs["recipients"] == "Africa" and w.loc["Russia", "2000-04"] == 100
    longw = tr.shares_by_window(africa, long=True)
    assert longw.attrs["recipients"] == "Africa" and longw.attrs["width"] == 5
    assert tr.annual_tiv(africa, recipients="Africa").columns.name == "supplier"
    st_ = tr.standing(africa)
    assert st_["supplier"].unique().tolist() == ["China"] and set(st_["recipients"]) == {"Africa", "Sub-Saharan Africa"}
    assert {"share_Russia", "share_United States", "share_France", "share_Türkiye"} <= set(st_.columns)
    assert st_.set_index(["recipients", "window"]).loc[("Africa", "2015-19"), "share_Türkiye"] == 0.0


def test_year_ranges_are_applied_everywhere(africa: pd.DataFrame) -> None:
    assert tr.top_recipients(africa, "Russia", "Africa", (2020, 2024))["recipient"].tolist() == ["Mali"]
    assert tr.recipient_states(africa, "Russia", "Africa", (2000, 2004))["recipient"].tolist() == ["Algeria"]
    assert tr.supplier_share_by_recipient(africa, "Russia", "Africa", (2000, 2004))["recipient"].tolist() == ["Algeria"]
    assert tr.annual_tiv(africa, recipients="Mali", years=(2021, 2022)).index.tolist() == [2021, 2022]
    assert tr.recipient_states(africa, "France", ["Chad"], (2010, 2014)).attrs["recipients"] == "Chad"
    assert tr.by_category(africa, "China", ["Mali"], (2020, 2024)).attrs["recipients"] == "Mali"


def test_small_deliveries_still_count(africa: pd.DataFrame) -> None:
    # the US delivered 0.5 TIV to Kenya: a supplier and a recipient state all the same
    assert tr.recipient_states(africa, "United States")["recipient"].tolist() == ["Kenya"]
    assert tr.concentration(africa, "Kenya").iloc[0]["n_suppliers"] == 2
    zero = rows(("a", "China", "Mali", 2020, 0), ("b", "China", "Niger", 2020, 0.4), ("c", "France", "Mali", 2020, 0))
    assert tr.supplier_share_by_recipient(zero, "China", "Africa", (2020, 2020))["recipient"].tolist() == ["Niger"]
    assert tr.concentration(zero, "Africa", (2020, 2020))["recipient"].tolist() == ["Niger"]


def test_annual_series_fill_missing_years_with_zero(small: pd.DataFrame) -> None:
    a = tr.annual_tiv(small, recipients="Africa", years=(2019, 2024))
    assert a["Russia"].tolist() == [10, 30, 0, 0, 0, 0] and a["Türkiye"].tolist() == [0, 0, 0, 0, 0, 25]


def test_three_way_ties_share_the_first_rank() -> None:
    t = rows(
        ("a", "China", "Mali", 2020, 4),
        ("b", "Russia", "Mali", 2020, 4),
        ("c", "Turkiye", "Mali", 2020, 4),
        ("d", "France", "Mali", 2020, 1),
    )
    assert tr.supplier_shares(t, "Mali", (2020, 2020))["rank"].tolist() == [1, 1, 1, 4]


def test_main_suppliers_default_count_and_window() -> None:
    t = rows(
        ("a", "France", "Mali", 2014, 500),
        ("b", "Russia", "Mali", 2015, 50),
        ("c", "China", "Mali", 2016, 40),
        ("d", "Turkiye", "Mali", 2017, 30),
        ("e", "UAE", "Mali", 2018, 20),
        ("f", "Spain", "Mali", 2024, 1),
    )
    assert tr.main_suppliers(t, "Mali") == ["Russia", "China", "Türkiye"]  # 2015-24, three by default


def test_empty_selection_of_names_is_an_error(small: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ParameterError, match=r"^the transfers table is empty; check the source with `briefing data status`$"):
        tr.coverage(small.iloc[0:0])
    monkeypatch.setattr(tr.regions, "resolve_selection", lambda spec: [])
    with pytest.raises(ParameterError, match=r"^recipient selection 'Nowhere' has no members$"):
        tr.select(small, recipients="Nowhere")
    with pytest.raises(ParameterError, match=r"^supplier selection 'A, B' has no members$"):
        tr.select(small, suppliers=["A", "B"])


# --------------------------------------------------------------------------- names and units in results
@pytest.fixture
def spelt() -> pd.DataFrame:
    """SIPRI's spellings that differ from the names the briefing prints."""
    return rows(
        ("a", "UAE", "Cote d'Ivoire", 2021, 40),
        ("b", "Turkiye", "Cote d'Ivoire", 2022, 30),
        ("c", "European Union**", "Congo", 2023, 20),
        ("d", "UAE", "Libya HoR*", 2024, 50),
        ("e", "UAE", "Congo", 2024, 10, "Aircraft"),
        ("x", "France", "Egypt", 2015, 1),  # outside SIPRI's Africa; the table covers 2015-24
    )


def test_results_name_parties_as_the_report_does_with_sipri_spelling_beside(spelt: pd.DataFrame) -> None:
    s = tr.supplier_shares(spelt, "Africa", (2020, 2024))
    assert s["supplier"].tolist() == ["United Arab Emirates", "Türkiye", "European Union"]
    assert s["supplier_sipri"].tolist() == ["UAE", "Turkiye", "European Union**"]  # SIPRI's marks kept
    assert [tr.regions.kind(x) for x in s["supplier_sipri"]] == ["state", "state", "organisation"]
    top = tr.top_recipients(spelt, "UAE", "Africa", (2020, 2024))
    assert top["recipient"].tolist() == ["Libya HoR", "Côte d'Ivoire", "Republic of the Congo"]
    assert top["recipient_sipri"].tolist() == ["Libya HoR*", "Cote d'Ivoire", "Congo"]
    states = tr.recipient_states(spelt, "UAE", "Africa", (2020, 2024))  # the non-state Libya HoR* left out
    assert states["recipient"].tolist() == ["Côte d'Ivoire", "Republic of the Congo"]
    assert states["recipient_sipri"].tolist() == ["Cote d'Ivoire", "Congo"]
    by = tr.supplier_share_by_recipient(spelt, "Turkiye", "Africa", (2020, 2024))
    assert by.set_index("recipient_sipri").loc["Cote d'Ivoire", "recipient"] == "Côte d'Ivoire"
    conc = tr.concentration(spelt, "Africa", (2020, 2024)).set_index("recipient")
    assert conc.loc["Côte d'Ivoire", "top_supplier"] == "United Arab Emirates"
    assert conc.loc["Côte d'Ivoire", "top_supplier_sipri"] == "UAE"
    assert list(tr.annual_tiv(spelt, recipients="Africa", years=(2021, 2024)).columns) == [
        "United Arab Emirates",
        "Türkiye",
        "European Union",
    ]
    assert tr.annual_tiv(spelt, by="recipient", years=(2021, 2024)).columns.tolist()[0] == "Côte d'Ivoire"
    longw = tr.shares_by_window(spelt, "Africa", 2015, 2024, long=True)
    assert longw.loc[longw["supplier_sipri"] == "European Union**", "supplier"].tolist() == ["European Union"]
    wide = tr.shares_by_window(spelt, "Africa", 2015, 2024)
    assert wide.loc["Türkiye", "supplier_sipri"] == "Turkiye"
    st_ = tr.standing(spelt, "Turkiye", rivals=["UAE"], recipients="Africa", n_windows=1)  # one name: one region
    row = st_.iloc[0]
    assert (row["supplier"], row["supplier_sipri"], row["leader"], row["leader_sipri"]) == (
        "Türkiye",
        "Turkiye",
        "United Arab Emirates",
        "UAE",
    )
    assert row["share_United Arab Emirates"] == pytest.approx(100 * 100 / 150) and row["recipients"] == "Africa"
    assert tr.main_suppliers(spelt, "Côte d'Ivoire") == ["United Arab Emirates", "Türkiye"]
    assert tr.select(spelt, suppliers="United Arab Emirates")["supplier"].unique().tolist() == ["UAE"]  # t's rows as they are


def test_either_spelling_selects_the_same_rows_and_names_feed_back_in(spelt: pd.DataFrame) -> None:
    for shown, sipri in (("Côte d'Ivoire", "Cote d'Ivoire"), ("Republic of the Congo", "Congo"), ("Libya HoR", "Libya HoR*")):
        a, b = tr.supplier_shares(spelt, shown, (2020, 2024)), tr.supplier_shares(spelt, sipri, (2020, 2024))
        pd.testing.assert_frame_equal(a, b)
        assert tr.select(spelt, recipients=shown).equals(tr.select(spelt, recipients=sipri))
    s = tr.supplier_shares(spelt, "Africa", (2020, 2024))
    for shown, sipri in zip(s["supplier"], s["supplier_sipri"]):  # a result's name is a valid argument
        pd.testing.assert_frame_equal(
            tr.top_recipients(spelt, shown, "Africa", (2020, 2024)), tr.top_recipients(spelt, sipri, "Africa", (2020, 2024))
        )
        assert tr.regions.same_entity(s["supplier"], sipri).sum() == 1


def test_the_unit_survives_merge_concat_and_groupby(spelt: pd.DataFrame) -> None:
    a = tr.supplier_shares(spelt, "Cote d'Ivoire", (2020, 2024))
    b = tr.supplier_shares(spelt, "Congo", (2020, 2024))
    both = pd.concat([a.assign(recipient="Côte d'Ivoire"), b.assign(recipient="Republic of the Congo")], ignore_index=True)
    assert both["unit"].eq(tr.UNIT).all() and "not US$" in tr.UNIT and "TIV millions" in tr.UNIT
    merged = a[["supplier", "tiv", "unit"]].merge(b[["supplier", "tiv", "unit"]], on="supplier", how="outer")
    assert set(merged["unit_x"].dropna()) == set(merged["unit_y"].dropna()) == {tr.UNIT}
    per_supplier = both.groupby(["supplier", "unit"], as_index=False)["tiv"].sum()
    assert per_supplier.set_index("supplier").loc["United Arab Emirates", "unit"] == tr.UNIT
    for frame in (
        tr.top_recipients(spelt, "UAE", "Africa", (2020, 2024)),
        tr.recipient_states(spelt, "UAE", "Africa", (2020, 2024)),
        tr.by_category(spelt, None, "Africa", (2020, 2024)),
        tr.concentration(spelt, "Africa", (2020, 2024)),
        tr.supplier_share_by_recipient(spelt, "UAE", "Africa", (2020, 2024)),
        tr.shares_by_window(spelt, "Africa", 2015, 2024, long=True),
    ):
        assert pd.concat([frame, frame])["unit"].eq(tr.UNIT).all()


def test_bad_input_is_a_one_line_parameter_error(spelt: pd.DataFrame) -> None:
    cases = [
        (lambda: tr.supplier_shares(spelt, "Africa", "2020-2024"), r"years must be a pair of years like \(2020, 2024\)"),
        (lambda: tr.supplier_shares(spelt, "Africa", (2020,)), r"years must be a pair of years"),
        (lambda: tr.supplier_shares(spelt, "Africa", ("2020", "2024")), r"years must be a pair of years"),
        (lambda: tr.supplier_shares(spelt, "Africa", (2024, 2021)), r"first year is after the last"),
        (lambda: tr.supplier_shares(spelt, "Africa", (1990, 2024)), r"outside the March 2025 release's delivery years 2015-2024"),
        (lambda: tr.supplier_shares(spelt.drop(columns="tiv_delivered")), r"not the tidy transfers table.*tiv_delivered"),
        (lambda: tr.supplier_shares(tr.supplier_shares(spelt)), r"not the tidy transfers table.*recipient"),
        (lambda: tr.coverage([1, 2]), r"t must be the tidy transfers table .*got list"),
        (lambda: tr.top_recipients(spelt, "UAE", n="5"), r"n must be a whole number of at least 1, got '5'"),
        (lambda: tr.main_suppliers(spelt, "Congo", n=0), r"n must be a whole number"),
        (lambda: tr.windows(2015, 2024, "5"), r"window width must be a whole number of at least 1 year, got '5'"),
        (lambda: tr.windows("2015", 2024), r"start and end must be a pair of years"),
        (lambda: tr.shares_by_window(spelt, "Africa", 2024, 2015), r"first year is after the last"),
        (lambda: tr.standing(spelt, "UAE", width="5"), r"window width must be a whole number"),
        (lambda: tr.standing(spelt, "UAE", n_windows=0), r"n_windows must be a whole number"),
        (lambda: tr.standing(spelt, "UAE", end=2030), r"outside the March 2025 release"),
    ]
    for call, message in cases:
        with pytest.raises(ParameterError, match=message) as err:
            call()
        assert "\n" not in str(err.value)
    with pytest.raises(UnknownNameError, match="unknown country or region 'Atlantis'"):
        tr.standing(spelt, "UAE", rivals="Atlantis")  # one rival given as a string, not its letters
