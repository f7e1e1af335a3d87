"""Detection over the whole shared folder (every file claimed by exactly one format, SIPRI files
included), the format registry, and refusals common to every importer (an HTML page saved as a
CSV, a file of another format than expected)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from analysis import importers
from analysis.errors import FormatError
from analysis.importers import FORMATS, head_of
from tests.conftest import ROOT, one_line
from tests.importer_files import ACLED_PV_MONTH, DW_EXPORTS, GED, LOWRES, MILEX, NE50, TIV_CHINA


def expected_format(rel: str) -> str | None:
    """The format each file in the shared folder must be detected as."""
    catalogue = tomllib.loads((ROOT / "data" / "sources.toml").read_text(encoding="utf-8"))
    by_path = {v["path"]: v["format"] for v in catalogue.values() if isinstance(v, dict) and "path" in v}
    if rel in by_path:
        return by_path[rel]
    rules = [
        ("sipri/tiv-tables_by-exporter_1950-2021_generated-2022-07-28/TIV-Export-", "sipri_tiv_legacy"),
        ("sipri/dw_", "dw_aggregate"),
        ("wdi/Metadata_Country_", "wdi_country_metadata"),
        ("geo/country_converter_", "country_converter_tsv"),
        ("geo/pycountry_", "pycountry_json"),
        (LOWRES, "naturalearth_shapefile"),
    ]
    return next((fmt for prefix, fmt in rules if rel.startswith(prefix)), None)


def shared_files(root: Path) -> list[Path]:
    files = [p for p in root.rglob("*") if p.is_file() and p.name not in ("README.md", "PROVENANCE.md")]
    return sorted(files) + [root / LOWRES]  # the shapefile folder is read as one


def test_detect_every_shared_file(shared: Path) -> None:
    wrong, unknown = [], []
    for p in shared_files(shared):
        rel = p.relative_to(shared).as_posix()
        want = expected_format(rel)
        if want is None:
            unknown.append(rel)
            continue
        try:
            got = importers.detect(p)
        except FormatError as exc:
            got = f"FormatError: {exc}"
        if got != want:
            wrong.append(f"{rel}: {got} (want {want})")
    assert not unknown, f"files with no expected format (add them to expected_format): {unknown}"
    assert not wrong, "\n".join(wrong)


def test_sniffers_are_mutually_exclusive(shared: Path) -> None:
    """Exactly one registered sniffer claims each file, so detection order does not matter."""
    importers._load_all()
    bad = []
    for p in shared_files(shared):
        head = b"" if p.is_dir() else head_of(p)
        hits = [name for name, fmt in FORMATS.items() if fmt.sniff(head, p)]
        if len(hits) != 1:
            bad.append(f"{p.relative_to(shared)}: {hits}")
    assert not bad, "\n".join(bad)


def test_all_formats_registered() -> None:
    importers._load_all()
    assert {
        "sipri_milex_workbook",
        "ucdp_prio_acd",
        "ucdp_ged_country_year",
        "owid_grapher",
        "acled_aggregate",
        "wdi_api_csv",
        "wdi_country_metadata",
        "aiddata_aggregate",
        "geojson",
        "naturalearth_shapefile",
        "country_converter_tsv",
        "pycountry_json",
        "dw_aggregate",
    } <= set(FORMATS)


def test_catalogue_formats_exist() -> None:
    """Every `format` named in data/sources.toml is registered."""
    importers._load_all()
    catalogue = tomllib.loads((ROOT / "data" / "sources.toml").read_text(encoding="utf-8"))
    named = {v["format"] for v in catalogue.values() if isinstance(v, dict) and "format" in v}
    assert named <= set(FORMATS), named - set(FORMATS)


def test_html_saved_as_csv(tmp_path: Path) -> None:
    p = tmp_path / "deaths-in-armed-conflicts-based-on-where-they-occurred.csv"
    p.write_text("<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Please log in</body></html>\n")
    with pytest.raises(FormatError, match="not a file this project can read") as e:
        importers.read(p)
    assert one_line(str(e.value))
    with pytest.raises(FormatError, match="expected an Our World in Data grapher CSV .*no known format") as e:
        importers.read(p, expected="owid_grapher")
    assert one_line(str(e.value))
    for fmt in ("owid_grapher", "wdi_api_csv", "ucdp_prio_acd", "aiddata_aggregate", "dw_aggregate"):
        with pytest.raises(FormatError, match="this is an HTML page") as e:
            FORMATS[fmt].read(p)
        assert one_line(str(e.value))


def test_expected_other_format(shared: Path) -> None:
    with pytest.raises(FormatError) as e:
        importers.read(shared / TIV_CHINA, expected="wdi_api_csv")
    msg = str(e.value)
    assert one_line(msg)
    assert msg.startswith(f"{Path(TIV_CHINA).name}: expected a World Bank WDI indicator CSV")
    assert "got a SIPRI TIV table" in msg
    with pytest.raises(FormatError, match="expected an Our World in Data grapher CSV .*got a Deutsche Welle aggregate"):
        importers.read(shared / DW_EXPORTS, expected="owid_grapher")
    with pytest.raises(FormatError, match="expected an Our World in Data grapher CSV .*got a UCDP GED country-year"):
        importers.read(shared / GED, expected="owid_grapher")
    with pytest.raises(FormatError, match="expected an ACLED aggregated xlsx .*got a SIPRI Military Expenditure"):
        importers.read(shared / MILEX, expected="acled_aggregate")


def test_descriptions_are_noun_phrases() -> None:
    importers._load_all()
    for name, fmt in FORMATS.items():
        d = fmt.description
        assert d.startswith(("a ", "an ")) and "\n" not in d and len(d) < 220, name


if os.environ.get("BRIEFING_TIME_READS"):  # a manual timing aid: BRIEFING_TIME_READS=1 pytest -s -k timing

    def test_timing(shared: Path) -> None:
        import time

        for rel in (MILEX, ACLED_PV_MONTH, NE50):
            t = time.perf_counter()
            importers.read(shared / rel)
            print(f"{rel}: {time.perf_counter() - t:.2f} s")
