"""The notebooks, executed with plain papermill as a user would, with their defaults and with
other parameters; their key figures must equal what analysis/ computes directly."""
from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from analysis import data, regions
from analysis import transfers as tr

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks"
pytestmark = pytest.mark.slow


def run(stem: str, tmp_path: Path, **params) -> dict:
    pm.execute_notebook(str(NB / f"{stem}.ipynb"), str(tmp_path / f"{stem}.out.ipynb"), cwd=str(NB),
                        parameters={**params, "outputs": str(tmp_path)}, kernel_name="python3", progress_bar=False)
    doc = json.loads((tmp_path / f"{stem}.json").read_text())
    for f in doc["figures"]:
        assert set(f) >= {"id", "label", "value", "unit", "years", "region", "release", "text", "headline"}
        assert "US$" not in f["text"] or f["unit"].startswith("US$"), f  # TIV is never money
    return doc


def figs(doc: dict) -> dict:
    return {f["id"]: f for f in doc["figures"]}


def test_01_defaults(shared: Path, tmp_path: Path) -> None:
    doc = run("01_the_deal", tmp_path)
    f = figs(doc)
    t = data.transfers()
    share = tr.supplier_shares(t, "Mali", (2020, 2024)).set_index("supplier").loc["China", "share"]
    assert f["supplier_share_last_window"]["value"] == round(share, 1)
    assert f["supplier_share_last_window"]["release"] == "March 2025" and f["supplier_share_last_window"]["years"] == "2020-24"
    assert f["orders_in_agreement_year"]["value"] == 6 and f["orders_in_agreement_year"]["release"] == "March 2026"
    assert doc["parameters"] == {"recipient": "Mali", "supplier": "China", "agreement_date": "2024-09-02"}
    assert any(x["headline"] for x in doc["figures"])


def test_01_other_country_and_supplier(shared: Path, tmp_path: Path) -> None:
    doc = run("01_the_deal", tmp_path, recipient="Nigeria", supplier="Russia")
    f = figs(doc)
    t = data.transfers()
    sh = tr.supplier_shares(t, "Nigeria", (2020, 2024)).set_index("supplier")
    assert f["supplier_share_last_window"]["value"] == round(sh.loc["Russia", "share"], 1)
    assert sh.index[0] in f["supplier_share_last_window"]["text"]
    assert "orders_in_agreement_year" not in f  # no Russian order by Nigeria in 2024


def test_02_defaults_and_peer_country(shared: Path, tmp_path: Path) -> None:
    f = figs(run("02_context", tmp_path))
    assert f["leader_last_window"]["value"] == "Russia" and f["leader_last_window"]["years"] == "2020-24"
    assert f["milex_last_year"]["unit"].startswith("US$ m") and f["milex_last_year"]["years"] == "2024"
    g = figs(run("02_context", tmp_path, country="Burkina Faso", peers="Mali, Niger", start=2005, end=2024))
    lead = tr.supplier_shares(data.transfers(), "Burkina Faso", (2020, 2024))["supplier"].iloc[0]
    assert g["leader_last_window"]["value"] == regions.display_name(lead) == "Türkiye"


def test_03_defaults_and_other_supplier_region(shared: Path, tmp_path: Path) -> None:
    f = figs(run("03_china_in_africa", tmp_path))
    assert f["share_region_last_window"]["value"] == 18.3 and "second to Russia" in f["share_region_last_window"]["text"]
    assert f["share_sub-saharan_africa"]["headline"] and f["share_sub-saharan_africa"]["value"] == 25.7
    assert f["newest_year_tiv"]["release"] == "March 2026" and f["newest_year_tiv"]["years"] == "2025"
    g = figs(run("03_china_in_africa", tmp_path, supplier="Turkey", region="West Africa", subregions="Sahel",
                 rivals="China, Russia"))
    sh = tr.supplier_shares(data.transfers(), "West Africa", (2020, 2024)).set_index("supplier")
    assert g["share_region_last_window"]["value"] == round(sh.loc["Turkiye", "share"], 1)
    assert "newest_year_tiv" not in g  # the March 2026 export covers China only


@pytest.mark.parametrize("params, message", [
    ({"recipient": 7}, "must be a country or region name, got 7"),        # papermill's -p recipient 007
    ({"recipient": "Atlantis"}, "unknown country or region"),
    ({"agreement_date": "2 Sept"}, "must be a date like 2024-09-02"),
])
def test_bad_parameters_fail_in_the_first_cell(shared: Path, tmp_path: Path, params, message) -> None:
    with pytest.raises(pm.PapermillExecutionError) as e:
        run("01_the_deal", tmp_path, **params)
    # cell 1: parameters, 2: papermill's injected parameters, 3: the validation cell
    assert message in str(e.value.evalue) and e.value.exec_count == 3
