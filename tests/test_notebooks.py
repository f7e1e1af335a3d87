"""The notebooks, executed with plain papermill as a user would: each alone, with its defaults,
with every parameter, and with a parameter it does not know. Their key figures must equal what
analysis/ computes directly."""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from analysis import data, params, regions
from analysis import transfers as tr

ROOT = Path(__file__).resolve().parents[1]
NB = ROOT / "notebooks"
STEMS = ("01_the_deal", "02_context", "03_china_in_africa")
pytestmark = pytest.mark.slow


def run(stem: str, tmp_path: Path, **values) -> dict:
    pm.execute_notebook(
        str(NB / f"{stem}.ipynb"),
        str(tmp_path / f"{stem}.out.ipynb"),
        cwd=str(tmp_path),
        parameters={**values, "outputs": str(tmp_path)},
        kernel_name="python3",
        progress_bar=False,
    )
    doc = json.loads((tmp_path / f"{stem}.json").read_text())
    for f in doc["figures"]:
        assert set(f) >= {"id", "label", "value", "unit", "years", "region", "release", "text", "headline"}
        assert "US$" not in f["text"] or f["unit"].startswith("US$"), f  # TIV is never money
    assert not (tmp_path / "outputs").exists()  # nothing written into the working directory
    return doc


def figs(doc: dict) -> dict:
    return {f["id"]: f for f in doc["figures"]}


def test_01_defaults(shared: Path, tmp_path: Path) -> None:
    doc = run("01_the_deal", tmp_path)
    f = figs(doc)
    sh = tr.supplier_shares(data.transfers(), "Mali", (2020, 2024)).set_index("supplier")
    assert f["supplier_share_last_window"]["value"] == round(sh.loc["China", "share"], 1)
    assert f["supplier_share_last_window"]["release"] == "March 2025" and f["supplier_share_last_window"]["years"] == "2020-24"
    assert f["orders_in_agreement_year"]["value"] == 6 and f["orders_in_agreement_year"]["release"] == "March 2026"
    assert doc["parameters"]["agreement_date"] == "2024-09-02" and doc["parameters"]["peers"] == ["Burkina Faso", "Niger"]


def test_01_other_country_and_supplier_has_no_agreement(shared: Path, tmp_path: Path) -> None:
    doc = run("01_the_deal", tmp_path, recipient="Nigeria", supplier="Russia")
    f = figs(doc)
    sh = tr.supplier_shares(data.transfers(), "Nigeria", (2020, 2024)).set_index("supplier")
    assert f["supplier_share_last_window"]["value"] == round(sh.loc["Russia", "share"], 1)
    assert regions.display_name(sh.index[0]) in f["supplier_share_last_window"]["text"]
    assert "orders_in_agreement_year" not in f and doc["parameters"]["agreement_date"] == ""
    shown = " ".join(
        "".join(o.get("data", {}).get("text/markdown", ""))
        for c in json.loads((tmp_path / "01_the_deal.out.ipynb").read_text())["cells"]
        for o in c.get("outputs", [])
    )
    assert "Russia's arms deliveries to Nigeria" in shown
    assert "agreement" not in shown.lower()  # no agreement curated: the section never mentions one


def test_02_defaults_and_every_parameter(shared: Path, tmp_path: Path) -> None:
    f = figs(run("02_context", tmp_path))
    assert f["leader_last_window"]["value"] == "Russia" and f["leader_last_window"]["years"] == "2020-24"
    assert "France's share, as the former colonial power" in f["leader_last_window"]["text"]
    assert f["milex_last_year"]["unit"].startswith("US$ m") and f["milex_last_year"]["years"] == "2024"
    g = figs(
        run(
            "02_context",
            tmp_path,
            recipient="Burkina Faso",
            supplier="Türkiye",
            region="West Africa",
            subregions="Sahel",
            peers="Mali, Niger",
            rivals="China, Russia",
            former_power="France",
            start=2005,
            end=2024,
            agreement_date="",
        )
    )
    lead = tr.supplier_shares(data.transfers(), "Burkina Faso", (2020, 2024))["supplier"].iloc[0]
    assert g["leader_last_window"]["value"] == regions.display_name(lead) == "Türkiye"


def test_03_defaults_and_other_supplier_region(shared: Path, tmp_path: Path) -> None:
    f = figs(run("03_china_in_africa", tmp_path))
    t = data.transfers()
    africa = tr.supplier_shares(t, "Africa", (2020, 2024)).set_index("supplier")
    ssa = tr.supplier_shares(t, "Sub-Saharan Africa", (2020, 2024)).set_index("supplier")
    assert f["share_region_last_window"]["value"] == round(africa.loc["China", "share"], 1)
    assert f"Russia led with {africa.loc['Russia', 'share']:.1f}%" in f["share_region_last_window"]["text"]
    assert f["share_sub_saharan_africa"]["headline"] and f["share_sub_saharan_africa"]["value"] == round(
        ssa.loc["China", "share"], 1
    )
    assert "more than any other supplier" in f["share_sub_saharan_africa"]["text"]
    assert f["newest_year_tiv"]["release"] == "March 2026" and f["newest_year_tiv"]["years"] == "2025"
    g = figs(
        run("03_china_in_africa", tmp_path, supplier="Turkey", region="West Africa", subregions="Sahel", rivals="China, Russia")
    )
    sh = tr.supplier_shares(data.transfers(), "West Africa", (2020, 2024)).set_index("supplier")
    assert g["share_region_last_window"]["value"] == round(sh.loc["Türkiye", "share"], 1)
    assert "newest_year_tiv" not in g  # the March 2026 export covers China only


def test_03_egypt_is_compared_in_the_middle_east(shared: Path, tmp_path: Path) -> None:
    f = figs(run("03_china_in_africa", tmp_path, recipient="Egypt", supplier="Russia"))
    assert f["share_region_last_window"]["region"] == "the Middle East"
    assert "Egypt" in (tmp_path / "03_china_in_africa.out.ipynb").read_text()


@pytest.mark.parametrize("stem", STEMS)
def test_an_unknown_parameter_fails_in_the_first_cell(shared: Path, tmp_path: Path, stem: str) -> None:
    with pytest.raises(pm.PapermillExecutionError) as e:
        run(stem, tmp_path, country="Nigeria")  # the old name of 02's recipient
    assert "unknown parameter 'country'" in str(e.value.evalue) and e.value.exec_count == 3


@pytest.mark.parametrize(
    "values, message",
    [
        ({"recipient": 7}, "recipient must be a country name, got 7"),  # papermill's -p recipient 007
        ({"recipient": "Atlantis"}, "unknown country or region"),
        ({"agreement_date": "2 Sept"}, "YYYY-MM-DD"),
    ],
)
def test_bad_parameters_fail_in_the_first_cell(shared: Path, tmp_path: Path, values, message) -> None:
    with pytest.raises(pm.PapermillExecutionError) as e:
        run("01_the_deal", tmp_path, **values)
    # cell 1: parameters, 2: papermill's injected parameters, 3: the validation cell
    assert message in str(e.value.evalue) and e.value.exec_count == 3


def test_every_notebook_declares_the_same_parameters() -> None:
    import nbformat

    for stem in STEMS:
        nb = nbformat.read(NB / f"{stem}.ipynb", as_version=4)
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        names = [
            line.split(":")[0].split("=")[0].strip()
            for line in cell.source.splitlines()
            if line.strip() and not line.startswith("#")
        ]
        assert names == [*params.NAMES, *params.NOTEBOOK_ONLY], stem
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), f"{stem} is committed with outputs"
