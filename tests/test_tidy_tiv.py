"""analysis.tidy.tiv: tidy.tiv_cells on each kind of SIPRI TIV table, from the real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import tidy
from analysis.errors import ValidationError
from tests.conftest import one_line
from tests.importer_files import load
from tests.test_importers_sipri import API_SAMPLE, TIV_2024, TIV_CHINA

EXPORTERS = "sipri/tiv-totals_exporters_1950-2023_generated-2024-10-13.csv"
IMPORTERS = "sipri/tiv-totals_importers_1950-2023_generated-2024-10-13.csv"
LEGACY_CHINA = "sipri/tiv-tables_by-exporter_1950-2021_generated-2022-07-28/TIV-Export-CHI-1950-2021.csv"


@pytest.mark.parametrize(
    "rel, kind, years, supplier_given, recipient_given",
    [
        (TIV_CHINA, "bilateral", (2000, 2025), True, True),
        (TIV_2024, "bilateral", (2024, 2024), True, True),
        (LEGACY_CHINA, "bilateral", (1950, 2021), True, True),
        (EXPORTERS, "exporter", (1950, 2023), True, False),
        (IMPORTERS, "importer", (1950, 2023), False, True),
    ],
)
def test_kinds_years_and_intervals(shared: Path, rel, kind, years, supplier_given, recipient_given) -> None:
    cells = tidy.tiv_cells(load(rel))
    assert cells.attrs["kind"] == kind and set(cells["kind"]) == {kind}
    assert cells.attrs["years"] == years
    for column, given in (("supplier", supplier_given), ("recipient", recipient_given)):
        assert cells[column].notna().all() if given else cells[column].isna().all(), column
    assert (cells["lo"] == (cells["tiv"] - 0.5).clip(lower=0)).all() and (cells["hi"] == cells["tiv"] + 0.5).all()
    assert not cells["recipient"].fillna("").str.startswith("Total").any()  # total rows left out


def test_supplier_from_the_total_row_and_the_release(shared: Path) -> None:
    cells = tidy.tiv_cells(load(TIV_CHINA))
    assert set(cells["supplier"]) == {"China"}
    assert (cells.attrs["release"], cells.attrs["table"]) == ("March 2026", Path(TIV_CHINA).stem)
    mali = cells[cells.recipient == "Mali"].set_index("year")["tiv"]
    assert (mali[2023], mali[2025]) == (17, 32)
    assert tidy.tiv_cells(load(TIV_CHINA), "china").attrs["table"] == "china"


def test_a_register_is_not_a_tiv_table(shared: Path) -> None:
    with pytest.raises(ValidationError, match="tiv_cells: expected a SIPRI TIV table, got sipri_register_api") as e:
        tidy.tiv_cells(load(API_SAMPLE))
    assert one_line(str(e.value))
