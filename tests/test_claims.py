"""The claim ledger: all eleven claims, verdicts computed from the data (so they move when the
data move), evidence naming region, years and release."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import claims


@pytest.fixture(scope="module")
def inputs(shared: Path) -> claims.Inputs:
    return claims.default_inputs()


@pytest.fixture(scope="module")
def ledger(inputs: claims.Inputs) -> pd.DataFrame:
    return claims.ledger(inputs)


def test_ledger_shape(ledger: pd.DataFrame) -> None:
    assert ledger["id"].tolist() == list(range(1, 12))
    assert list(ledger.columns) == ["id", "claim", "verdict", "evidence", "sources"]
    assert ledger["verdict"].isin(claims.VERDICTS).all()
    assert ledger["evidence"].str.len().gt(40).all()
    assert not ledger["evidence"].str.contains("US\\$", regex=True).any() or True  # milex is money; TIV never labelled US$
    assert not ledger["evidence"].str.contains("TIV.{0,20}US\\$|US\\$.{0,20}TIV", regex=True).any()


def test_verdicts_on_the_real_data(ledger: pd.DataFrame) -> None:
    v = dict(zip(ledger["id"], ledger["verdict"]))
    assert v[6] == "contradicted"          # SIPRI: VP-11 delivered in 2023, not April 2024
    assert v[7] == "contradicted"          # no VP-11 for Sri Lanka or Chad in any release
    assert v[8] == "partly supported"      # China leads sub-Saharan Africa, not SIPRI's Africa
    assert v[11] == "not checkable with these data"
    assert v[1] == v[2] == v[5] == "supported"


def test_leading_supplier_evidence_names_regions_years_release(ledger: pd.DataFrame) -> None:
    ev = ledger.set_index("id").loc[8, "evidence"]
    for needle in ("SIPRI's Africa", "sub-Saharan Africa", "2015-19", "2020-24", "March 2025 release", "Russia 21.6%", "China 18.3%"):
        assert needle in ev, needle


def test_april_2024_evidence(ledger: pd.DataFrame) -> None:
    ev = ledger.set_index("id").loc[6, "evidence"]
    assert "in 2023, not 2024" in ev and "2023-04-27" in ev


def test_verdict_changes_when_the_data_change(inputs: claims.Inputs) -> None:
    # Move Russia's 2020-24 deliveries to sub-Saharan and North African states to China:
    # China then leads both regions and claim 8 becomes "supported".
    t = inputs.transfers.copy()
    mask = (t["supplier"] == "Russia") & t["delivery_year"].between(2020, 2024)
    t.loc[mask, "supplier"] = "China"
    changed = claims.Inputs(transfers=t, orders=inputs.orders, events=inputs.events, deaths=inputs.deaths,
                            credit=inputs.credit)
    assert claims.check_leading_supplier(inputs).verdict == "partly supported"
    assert claims.check_leading_supplier(changed).verdict == "supported"


def test_vp11_verdict_follows_the_register(inputs: claims.Inputs) -> None:
    o = inputs.orders.copy()
    extra = o[o["designation"] == "VP-11"].head(2).copy()
    extra["recipient"] = ["Sri Lanka", "Chad"]
    changed = claims.Inputs(transfers=inputs.transfers, orders=pd.concat([o, extra]), events=inputs.events,
                            deaths=inputs.deaths, credit=inputs.credit)
    assert claims.check_vp11_users(changed).verdict == "supported"


def test_april_verdict_follows_delivery_years(inputs: claims.Inputs) -> None:
    o = inputs.orders.copy()
    o.loc[(o["recipient"] == "Mali") & (o["designation"] == "VP-11"), "delivery_years"] = "2024"
    changed = claims.Inputs(transfers=inputs.transfers, orders=o, events=inputs.events, deaths=inputs.deaths,
                            credit=inputs.credit)
    assert claims.check_april_2024(changed).verdict == "supported"


def test_claims_without_curated_events_are_not_checkable(inputs: claims.Inputs) -> None:
    empty = inputs.events.iloc[0:0]
    bare = claims.Inputs(transfers=inputs.transfers, orders=inputs.orders, events=empty, deaths=None, credit="")
    assert claims.check_agreement(bare).verdict == "not checkable with these data"
    assert claims.check_security(bare).verdict == "not checkable with these data"
