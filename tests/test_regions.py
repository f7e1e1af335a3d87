"""Tests for analysis.regions and the curated tables data/curated/countries.csv and groups.csv.

The register checks read the real SIPRI exports from ../shared/data (relative to the repository
root); they run whenever that folder exists and are skipped only when it does not.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis import regions
from analysis.errors import ParameterError, UnknownNameError

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO / ".." / "shared" / "data"
REGISTERS = (
    "trade-register_all_generated-2025-03-13.csv",
    "trade-register_all_generated-2024-10-21.csv",
    "trade-register_china_2000-2025_generated-2026-07-14.csv",
)
PRIMARY = REGISTERS[0]

needs_shared = pytest.mark.skipif(not (SHARED / "sipri").is_dir(), reason=f"{SHARED} not present")


def _register_names(filename: str) -> tuple[set[str], set[str]]:
    """(recipients, suppliers) of a SIPRI trade-register export (cp1252, header on line 12).

    SIPRI's comments can contain unquoted line breaks; the continuation lines they leave have an
    empty first field and are skipped.
    """
    recipients: set[str] = set()
    suppliers: set[str] = set()
    with open(SHARED / "sipri" / filename, encoding="cp1252", newline="") as fh:
        reader = csv.reader(fh)
        for _ in range(11):
            next(reader)
        header = next(reader)
        assert header[:2] == ["Recipient", "Supplier"], header[:2]
        for row in reader:
            if len(row) < 2 or not row[0]:
                continue
            recipients.add(row[0])
            suppliers.add(row[1])
    return recipients, suppliers


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return regions.countries()


# --- the table -------------------------------------------------------------------------------


def test_table_columns_and_unique_names(table: pd.DataFrame) -> None:
    for col in ("sipri_name", "name", "iso3", "kind", "sipri_region", "subregion", "aliases"):
        assert col in table.columns
    assert table["sipri_name"].is_unique
    assert set(table["kind"]) <= {"state", "non-state", "organisation", "unknown"}
    assert set(table["sipri_region"]) <= {"Africa", "Americas", "Asia and Oceania", "Europe", "Middle East", ""}


def test_iso3_unique_among_states(table: pd.DataFrame) -> None:
    # second SIPRI spellings of one state (same_as set, e.g. "United Arab Emirates" for "UAE") share its code
    states = table[(table["kind"] == "state") & (table["same_as"] == "") & (table["iso3"] != "")]
    dups = states[states["iso3"].duplicated(keep=False)]
    assert dups.empty, dups[["sipri_name", "iso3"]].to_string()
    assert states["iso3"].str.fullmatch(r"[A-Z]{3}").all()


def test_non_state_and_organisations_flagged(table: pd.DataFrame) -> None:
    single = table[table["sipri_name"].str.endswith("*") & ~table["sipri_name"].str.endswith("**")]
    double = table[table["sipri_name"].str.endswith("**")]
    assert len(single) > 40 and (single["kind"] == "non-state").all()
    assert len(double) >= 5 and (double["kind"] == "organisation").all()
    assert regions.kind("Libya HoR*") == "non-state"
    assert regions.kind("African Union**") == "organisation"
    assert regions.kind("Mali") == "state"
    assert regions.kind("unknown supplier(s)") == "unknown"
    # a non-state actor carries the ISO3 of the country where it operates
    assert regions.iso3("Libya HoR*") == "LBY"
    assert regions.iso3("African Union**") is None
    assert regions.iso3("Soviet Union") is None


def test_display_names() -> None:
    assert regions.display_name("Turkiye") == "Türkiye"
    assert regions.display_name("Cote d'Ivoire") == "Côte d'Ivoire"
    assert regions.display_name("ssa") == "Sub-Saharan Africa"


# --- SIPRI's Africa ----------------------------------------------------------------------------


def test_sipri_africa_excludes_egypt() -> None:
    africa = regions.members("Africa")
    assert "Egypt" not in africa
    for name in ("Algeria", "Libya", "Morocco", "Tunisia", "Mali"):
        assert name in africa
    assert "Egypt" in regions.members("Middle East")
    assert regions.members("North Africa", include_non_state=False) == ["Algeria", "Libya", "Libya GNC", "Morocco", "Tunisia"]
    assert "Mali" in regions.members("West Africa") and "Mali" in regions.members("Sub-Saharan Africa")
    assert "Mali" not in regions.members("North Africa")


def test_sub_saharan_is_africa_minus_north() -> None:
    africa = set(regions.members("Africa"))
    north = set(regions.members("North Africa"))
    ssa = set(regions.members("Sub-Saharan Africa"))
    assert ssa == africa - north and not ssa & north
    parts = [set(regions.members(s)) for s in ("West Africa", "Central Africa", "East Africa", "Southern Africa")]
    assert set().union(*parts) == ssa
    assert sum(len(p) for p in parts) == len(ssa)  # the four sub-regions do not overlap


def test_regions_exclude_organisations_and_optionally_non_state() -> None:
    africa = regions.members("Africa")
    assert "African Union**" not in africa
    assert "Libya HoR*" in africa and "UNITA (Angola)*" in africa
    states_only = regions.members("Africa", include_non_state=False)
    assert not [n for n in states_only if n.endswith("*")]
    for region in regions.region_names():
        assert not [n for n in regions.members(region) if n.endswith("**")], region


def test_groups() -> None:
    assert regions.members("AES") == ["Burkina Faso", "Mali", "Niger"]
    assert regions.members("Alliance of Sahel States") == ["Burkina Faso", "Mali", "Niger"]
    assert regions.members("Sahel", include_non_state=False) == ["Burkina Faso", "Chad", "Mali", "Mauritania", "Niger"]
    ecowas = regions.members("ECOWAS", include_non_state=False)
    assert len(ecowas) == 15 and "Mauritania" not in ecowas and "Mali" in ecowas
    g = regions.groups()
    assert (g["source_url"].str.startswith("https://")).all()
    assert g.loc[g["group"] == "ECOWAS", "note"].str.contains("2025").all()


def test_region_names_forgiving() -> None:
    for spelling in ("sub-saharan africa", "SSA", "Sub Saharan Africa", "SUB-SAHARAN AFRICA"):
        assert regions.is_region(spelling)
        assert regions.members(spelling) == regions.members("Sub-Saharan Africa")
    assert regions.is_region("ecowas") and regions.is_region("Middle East")
    assert not regions.is_region("Mali")
    assert "Sahel" in regions.region_names() and "Africa" in regions.region_names()


# --- resolving names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ivory Coast", "Cote d'Ivoire"),
        ("Côte d'Ivoire", "Cote d'Ivoire"),
        ("cote d’ivoire", "Cote d'Ivoire"),
        ("Turkey", "Turkiye"),
        ("Türkiye", "Turkiye"),
        ("turkiye", "Turkiye"),
        ("DRC", "DR Congo"),
        ("DR Congo", "DR Congo"),
        ("Democratic Republic of the Congo", "DR Congo"),
        ("Congo-Kinshasa", "DR Congo"),
        ("MLI", "Mali"),
        ("mali", "Mali"),
        ("USA", "United States"),
        ("United States of America", "United States"),
        ("UK", "United Kingdom"),
        ("Russian Federation", "Russia"),
        ("PRC", "China"),
        ("ARE", "UAE"),
        ("Swaziland", "eSwatini"),
        ("Libya HoR", "Libya HoR*"),
    ],
)
def test_resolve_aliases(typed: str, expected: str) -> None:
    assert regions.resolve(typed) == expected


def test_spelling_variants_across_releases() -> None:
    # the 2026 China export spells UAE out; a selection must match both spellings
    assert regions.resolve("United Arab Emirates") == "United Arab Emirates"
    assert regions.canonical_name("United Arab Emirates") == "UAE"
    assert regions.resolve_selection("UAE") == ["UAE", "United Arab Emirates"]
    assert regions.members("Libya") == ["Libya", "Libya GNC"]


def test_unknown_name_message() -> None:
    with pytest.raises(UnknownNameError) as err:
        regions.resolve("Mail")
    msg = str(err.value)
    assert "\n" not in msg
    assert "Mali" in msg and "'Mail'" in msg


def test_bad_parameters() -> None:
    for bad in ("", "   ", None, 3):
        with pytest.raises(ParameterError):
            regions.resolve(bad)  # type: ignore[arg-type]
        with pytest.raises(ParameterError):
            regions.members(bad)  # type: ignore[arg-type]
    with pytest.raises(ParameterError):
        regions.resolve_selection([])


def test_resolve_selection() -> None:
    assert regions.resolve_selection(["Mali", "niger", "Burkina Faso"]) == ["Burkina Faso", "Mali", "Niger"]
    assert regions.resolve_selection("Mali, Niger") == ["Mali", "Niger"]
    assert regions.resolve_selection(["AES", "Chad"]) == ["Burkina Faso", "Chad", "Mali", "Niger"]
    assert len(regions.resolve_selection(None)) == len(regions.countries())
    with pytest.raises(UnknownNameError):
        regions.resolve_selection(["Mali", "Atlantis"])


# --- against the real SIPRI registers ----------------------------------------------------------


@needs_shared
@pytest.mark.parametrize("filename", REGISTERS)
def test_every_register_name_is_in_countries(filename: str, table: pd.DataFrame) -> None:
    recipients, suppliers = _register_names(filename)
    assert len(recipients) > 50
    missing = sorted((recipients | suppliers) - set(table["sipri_name"]))
    assert not missing, f"{filename}: names missing from countries.csv: {missing}"


@needs_shared
def test_african_recipients_resolve_with_subregion(table: pd.DataFrame) -> None:
    recipients, _ = _register_names(PRIMARY)
    african = table[(table["sipri_region"] == "Africa") & table["sipri_name"].isin(recipients)]
    assert len(african) >= 50
    assert "Egypt" not in set(african["sipri_name"])
    for name in african["sipri_name"]:
        assert regions.resolve(name) == name
        assert regions.countries().set_index("sipri_name").loc[name, "subregion"] in {
            "North Africa", "West Africa", "Central Africa", "East Africa", "Southern Africa"
        }
    states = set(african.loc[african["kind"] == "state", "sipri_name"])
    assert {"Mali", "Burkina Faso", "Niger", "Algeria", "Nigeria", "South Africa"} <= states


@needs_shared
def test_milex_workbook_agrees_on_north_africa() -> None:
    """SIPRI's Milex workbook lists North Africa as Algeria, Libya, Morocco, Tunisia; Egypt under Middle East."""
    path = SHARED / "milex" / "SIPRI-Milex-data-1949-2024_2.xlsx"
    if not path.is_file():
        pytest.skip("milex workbook not present")
    col = pd.read_excel(path, sheet_name="Constant (2023) US$", header=None, usecols=[0]).iloc[:, 0].astype(str).str.strip()
    labels = col.tolist()
    north = labels[labels.index("North Africa") + 1 : labels.index("sub-Saharan Africa")]
    assert north == ["Algeria", "Libya", "Morocco", "Tunisia"]
    assert labels.index("Egypt") > labels.index("Middle East")
    assert regions.members("North Africa", include_non_state=False) == ["Algeria", "Libya", "Libya GNC", "Morocco", "Tunisia"]
