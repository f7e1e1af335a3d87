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
