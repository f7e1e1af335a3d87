"""analysis.tidy.registers: tidy.orders_from and tidy.transfers_from on the real SIPRI registers
(the classic export and the API format), and the helpers they share."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import tidy
from analysis.errors import ValidationError
from tests.conftest import one_line
from tests.importer_files import load
from tests.test_importers_sipri import API_SAMPLE, REGISTER_CHINA, TIV_CHINA


@pytest.mark.parametrize("rel, method", [(REGISTER_CHINA, tidy.METHOD_SPREAD), (API_SAMPLE, tidy.METHOD_GIVEN)])
def test_transfers_keep_each_deals_totals(shared: Path, rel: str, method: str) -> None:
    imp = load(rel)
    transfers, orders = tidy.transfers_from(imp, "src"), tidy.orders_from(imp, "src")
    assert list(transfers.columns) == tidy.TRANSFER_COLUMNS and list(orders.columns) == tidy.ORDER_COLUMNS
    assert set(transfers["method"]) == {method} and set(transfers["source"]) == {"src"}
    assert orders["deal_id"].is_unique and not transfers.duplicated(["deal_id", "delivery_year"]).any()
    per_deal = transfers.groupby("deal_id")[["tiv_delivered", "n_delivered"]].sum()
    given = orders.set_index("deal_id").loc[per_deal.index]
    assert per_deal["tiv_delivered"].to_numpy() == pytest.approx(given["tiv_delivered"].astype(float).to_numpy())
    assert per_deal["n_delivered"].to_numpy() == pytest.approx(given["n_delivered"].astype(float).to_numpy())
    label, generated = tidy.release_cols(imp)
    assert set(transfers["release"]) == set(orders["release"]) == {label}
    assert set(orders["generated"]) == {generated}


def test_classic_orders_say_what_sipri_marks(shared: Path) -> None:
    orders = tidy.orders_from(load(REGISTER_CHINA), "src")
    assert len(orders) == 692 and orders["deal_id"].str.fullmatch(r"h[0-9a-f]{12}").all()
    est = orders[orders["order_year_est"]].iloc[0]
    assert est["order_year_shown"] == f"{est['order_year']}?"
    assert est["estimate_note"].startswith("SIPRI estimate: order year")
    assert orders["open"].eq(orders["delivery_years"].eq("") | orders["n_delivered"].fillna(0).eq(0)).all()
    assert "Aid" in set(orders["status_note"])


def test_stable_ids_number_exact_repeats() -> None:
    deal = {"recipient": "Mali", "supplier": "China", "order_year": 2020, "designation": "VN-22", "description": "APC"}
    deal |= {"n_ordered": 10, "comments": ""}
    frame = pd.DataFrame([deal, deal, {**deal, "n_ordered": 11}])
    ids = tidy.stable_ids(frame)
    assert ids.is_unique and ids.tolist() == tidy.stable_ids(frame.copy()).tolist()
    assert tidy.stable_ids(frame.iloc[[0]]).iloc[0] == ids.iloc[0]  # the first copy keeps its id


def test_status_and_estimate_notes() -> None:
    status = pd.Series(["New", "Second hand", None])
    comments = pd.Series(["Aid; delivered 2020", "", "Produced under licence in Nigeria"])
    assert tidy.status_note(status, comments).tolist() == ["Aid", "Second hand", "Produced under licence in Nigeria"]
    flags = pd.DataFrame({"order_year_est": [True, False], "n_ordered_est": [True, False], "n_delivered_est": [False, None]})
    assert tidy.estimate_note(flags).tolist() == ["SIPRI estimate: order year, number ordered", ""]


def test_a_tiv_table_is_not_a_register(shared: Path) -> None:
    for transform in (tidy.orders_from, tidy.transfers_from):
        with pytest.raises(ValidationError, match="a sipri_tiv_table file is not a trade register") as e:
            transform(load(TIV_CHINA), "src")
        assert one_line(str(e.value))
