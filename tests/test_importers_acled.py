"""ACLED aggregate workbooks (analysis/importers/acled.py)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from analysis import importers
from analysis.errors import FormatError
from tests.conftest import one_line
from tests.importer_files import (
    ACLED_CIV_EV,
    ACLED_CIV_FAT,
    ACLED_DEMO,
    ACLED_FAT,
    ACLED_PV_MONTH,
    check_random_bytes_xlsx,
    check_truncated_xlsx,
    load,
)


@pytest.mark.parametrize(
    "rel, rows, measure, columns",
    [
        (ACLED_PV_MONTH, 28069, "political_violence_events", ["COUNTRY", "MONTH", "YEAR", "EVENTS"]),
        (ACLED_FAT, 2747, "reported_fatalities", ["COUNTRY", "YEAR", "FATALITIES"]),
        (ACLED_CIV_FAT, 2542, "reported_civilian_fatalities", ["COUNTRY", "YEAR", "FATALITIES"]),
        (ACLED_CIV_EV, 2542, "events_targeting_civilians", ["COUNTRY", "YEAR", "EVENTS"]),
        (ACLED_DEMO, 2726, "demonstration_events", ["COUNTRY", "YEAR", "EVENTS"]),
    ],
)
def test_acled_files(shared: Path, rel, rows, measure, columns) -> None:
    imp = load(rel)
    assert imp.format == "acled_aggregate" and imp.release == "as of 24 Oct 2025"
    assert imp.meta["as_of"] == "2025-10-24" and imp.meta["measure"] == measure
    assert imp.rows == rows and list(imp.frame.columns) == columns
    assert "Mali" in set(imp.frame.COUNTRY)
    assert imp.meta["years"][1] == 2025


def test_acled_values(shared: Path) -> None:
    fat = load(ACLED_FAT).frame.set_index(["COUNTRY", "YEAR"])["FATALITIES"]
    assert load(ACLED_FAT).meta["countries"] == 245 and load(ACLED_FAT).meta["years"] == (1997, 2025)
    for (c, y), v in {
        ("Mali", 2012): 528,
        ("Mali", 2018): 1739,
        ("Mali", 2020): 2852,
        ("Mali", 2022): 4858,
        ("Mali", 2023): 4329,
        ("Mali", 2024): 4019,
        ("Mali", 2025): 3295,
        ("Burkina Faso", 2023): 8499,
        ("Burkina Faso", 2024): 7487,
        ("Niger", 2023): 1146,
        ("Niger", 2024): 1864,
    }.items():
        assert fat[(c, y)] == v
    m = load(ACLED_PV_MONTH).frame
    mali = m[m.COUNTRY == "Mali"]
    assert mali.groupby("YEAR")["EVENTS"].sum().loc[[2022, 2023, 2024, 2025]].tolist() == [1360, 1591, 1479, 1248]
    assert mali.loc[mali.YEAR == 2025, "MONTH"].tolist()[-1] == "October"
    assert len(mali[mali.YEAR == 2025]) == 10


def _acled_workbook(path: Path, header: list, rows: list) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_acled_renamed_and_damaged(tmp_path: Path) -> None:
    name = "number_of_reported_fatalities_by_country-year_as-of-24Oct2025_0.xlsx"
    ok = _acled_workbook(tmp_path / name, ["COUNTRY", "YEAR", "FATALITIES"], [["Mali", 2024, 4019]])
    imp = importers.read(ok, expected="acled_aggregate")
    assert imp.rows == 1 and imp.release == "as of 24 Oct 2025"
    (tmp_path / "r").mkdir()
    renamed = _acled_workbook(tmp_path / "r" / name, ["COUNTRY", "YEAR", "DEATHS"], [["Mali", 2024, 4019]])
    with pytest.raises(FormatError, match="missing column\\(s\\) 'FATALITIES'; new column\\(s\\) 'DEATHS'") as e:
        importers.read(renamed)
    assert one_line(str(e.value))
    gap = _acled_workbook(tmp_path / "g.xlsx", ["COUNTRY", "YEAR", "FATALITIES"], [["Mali", 2023, 1], ["Mali", 2024]])
    with pytest.raises(FormatError, match="row 3: empty FATALITIES; the file is truncated"):
        importers.read(gap)
    undated = _acled_workbook(tmp_path / "fatalities.xlsx", ["COUNTRY", "YEAR", "FATALITIES"], [["Mali", 2024, 4019]])
    assert importers.read(undated).release is None


@pytest.mark.parametrize(
    "name, fmt", [("number_of_reported_fatalities_by_country-year_as-of-24Oct2025_0.xlsx", "acled_aggregate")]
)
def test_random_bytes_xlsx(tmp_path: Path, name: str, fmt: str) -> None:
    check_random_bytes_xlsx(tmp_path, name, fmt)


@pytest.mark.parametrize("rel", [ACLED_FAT])
def test_truncated_xlsx(shared: Path, tmp_path: Path, rel: str) -> None:
    check_truncated_xlsx(shared, tmp_path, rel)
