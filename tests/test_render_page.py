"""analysis.render.page: the page's prose through fmt, and its parts."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import params, render
from analysis.render import page, pipeline

MALI = params.Params(region="Africa", subregions=("Sub-Saharan Africa",), peers=("Burkina Faso", "Niger"),
                     rivals=("Russia", "United States"), former_power=("France",), end=2024, agreement_date="2024-09-02")
SECTIONS = [{"stem": s, "html": f"<p>Section {s}</p>"} for s in pipeline.NOTEBOOKS]
KEY_FIGURES = {s: {"title": f"Title {s}", "releases": ["March 2025"],
                   "figures": [{"text": f"Finding of {s}", "headline": True, "years": [2020, 2024]}]}
               for s in pipeline.NOTEBOOKS}
BUILT = dt.datetime(2026, 12, 2, 3, 56, tzinfo=dt.timezone.utc)


def test_title_subtitle_and_ledger_intro_use_fmt() -> None:
    assert page.title_of(MALI) == "Mali, Norinco and China's arms in Africa"
    car = params.Params(recipient="Central African Republic", supplier="United States", region="Africa",
                        start=2000, end=2024, agreement_date="")
    assert page.title_of(car) == "The Central African Republic and the United States' arms in Africa"
    assert page.subtitle_of(car).startswith("The Central African Republic's arms imports and the United States' "
                                            "arms transfers to Africa, 2000\u20132024")
    assert "Mali's agreement of 2 September 2024" in page.ledger_intro(MALI)


def test_the_maker_comes_from_the_curated_tables() -> None:
    assert page.maker_of(MALI) == "Norinco"
    assert page.maker_of(params.Params(supplier="Russia", agreement_date="2024-09-02")) is None
    assert page.maker_of(params.Params(agreement_date="")) is None


def test_parameter_rows_list_every_parameter() -> None:
    rows = dict(page.parameter_rows(MALI))
    assert rows["Peers"] == "Burkina Faso, Niger" and rows["Former power"] == "France"
    assert rows["Agreement date"] == "2 September 2024" and rows["Years"] == "2000\u20132024"
    assert dict(page.parameter_rows(params.Params(peers=(), agreement_date="", end=2024)))["Peers"] == "none"


def test_the_ledger_section_only_where_there_is_a_ledger() -> None:
    ledger = pd.DataFrame([{"id": 1, "claim": "C", "verdict": "supported", "evidence": "E", "sources": ""}])
    with_ledger = page.assemble(MALI, SECTIONS, KEY_FIGURES, ledger, built=BUILT)
    without = page.assemble(MALI, SECTIONS, KEY_FIGURES, None, built=BUILT)
    assert 'id="claim-ledger"' in with_ledger and 'id="claim-ledger"' not in without
    assert "2 December 2026, 03:56 UTC" in without and "Finding of 02_context" in without


def test_ledger_for_mali_and_china_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis import claims

    monkeypatch.setattr(claims, "ledger", lambda: "the ledger")
    assert render.ledger_for(MALI) == "the ledger"
    assert render.ledger_for(params.Params(supplier="Russia")) is None
    assert render.ledger_for(params.Params(recipient="Niger")) is None
