"""The register of deals between a supplier and a recipient, across releases."""
from __future__ import annotations

from pathlib import Path

import pytest

from analysis import deals
from analysis.errors import UnknownNameError


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
