"""SIPRI importers: every real SIPRI file, and refusals on broken or mistaken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import importers
from analysis.errors import FormatError
from tests.conftest import one_line

REGISTER_2025 = "sipri/trade-register_all_generated-2025-03-13.csv"
REGISTER_2024 = "sipri/trade-register_all_generated-2024-10-21.csv"
REGISTER_CHINA = "sipri/trade-register_china_2000-2025_generated-2026-07-14.csv"
API_SAMPLE = "sipri/api-sample_trade-register_deliveries-2000-2001_generated-2025-02-10.csv"
TIV_CHINA = "sipri/tiv-table_china-exports_2000-2025_generated-2026-07-14.csv"
TIV_2024 = "sipri/tiv-tables_all-exporters_2024_generated-2025-04-24.csv"


@pytest.mark.parametrize(
    "rel, fmt, release, rows, repaired",
    [
        # 29,519 data lines in the March 2025 export; four are comments continued across a line
        # break, so 29,515 deals.
        (REGISTER_2025, "sipri_register_classic", "13 Mar 2025", 29515, 4),
        (REGISTER_2024, "sipri_register_classic", "21 Oct 2024", 29056, 2),
        (REGISTER_CHINA, "sipri_register_classic", "14 Jul 2026", 692, 0),
    ],
)
def test_classic_registers(shared: Path, rel, fmt, release, rows, repaired) -> None:
    imp = importers.read(shared / rel, expected=fmt)
    assert imp.format == fmt and imp.release == release and imp.rows == rows
    assert imp.meta["repaired_records"] == repaired
    f = imp.frame
    # Repaired records are whole again: no row has an empty recipient or a number as supplier.
    assert f["recipient"].ne("").all() and f["supplier"].ne("").all()
    assert f["order_year"].dropna().between(1930, 2025).all()


def test_classic_register_values(shared: Path) -> None:
    f = importers.read(shared / REGISTER_2025).frame
    vp11 = f[(f.recipient == "Mali") & (f.designation == "VP-11")].iloc[0]
    assert (vp11.supplier, vp11.order_year, vp11.n_ordered, vp11.delivery_years) == ("China", 2022, 80, "2023")
    assert vp11.tiv_delivered == pytest.approx(12.0)
    # A comment broken over two lines in the export is joined and its TIV columns are read.
    civ = f[(f.recipient == "Cote d'Ivoire") & f.comments.str.startswith("Cummins (275hp)")].iloc[0]
    assert civ.comments.endswith("Puma M-36 APC from South Africa")
    assert (civ.tiv_unit, civ.tiv_order, civ.tiv_delivered) == (0.03, 0.36, 0)
    # cp1252 text is decoded.
    assert f["designation"].str.contains("ü").any()
    # '?' flags become booleans.
    assert f["order_year_est"].dtype == bool and f["order_year_est"].sum() > 10000


def test_china_2026_has_2025_mali_deliveries(shared: Path) -> None:
    f = importers.read(shared / REGISTER_CHINA).frame
    mali = f[f.recipient == "Mali"]
    assert len(mali) == 11
    assert set(mali.loc[mali.delivery_years.str.contains("2025"), "designation"]) >= {"CS/VP-14", "VN-22", "SR-5"}


def test_api_sample(shared: Path) -> None:
    imp = importers.read(shared / API_SAMPLE, expected="sipri_register_api")
    f = imp.frame
    assert imp.release == "10 Feb 2025" and imp.meta["release_label"] == "March 2024"
    assert set(f.delivery_year.unique()) == {2000, 2001}
    first = f[(f.deal_id == 32502) & (f.delivery_year == 2001)].iloc[0]
    assert (first.supplier, first.recipient, first.category, first.tiv_delivered) == ("China", "Algeria", "Missiles", 8.1)


def test_tiv_tables(shared: Path) -> None:
    t = importers.read(shared / TIV_CHINA).frame
    total = t[t.entity == "Total imports from China"]
    assert total.tiv.sum() == pytest.approx(31795, abs=30)  # the table's own 2000-2025 total
    mali = t[t.entity == "Mali"].set_index("year").tiv
    assert (mali[2023], mali[2025]) == (17, 32)
    stacked = importers.read(shared / TIV_2024)
    assert stacked.meta["tables"] == 163
    s = stacked.frame
    assert s[(s.supplier == "Turkiye") & (s.entity == "Mali")].tiv.iloc[0] == 9


def test_legacy_tiv(shared: Path) -> None:
    folder = shared / "sipri/tiv-tables_by-exporter_1950-2021_generated-2022-07-28"
    imp = importers.read(folder / "TIV-Export-CHI-1950-2021.csv", expected="sipri_tiv_legacy")
    assert imp.meta["supplier"] == "China" and imp.release == "28 Jul 2022"
    # China -> Mali 2017 is 4 in the 2022 release (5 in 2026: releases differ).
    f = imp.frame
    assert f[(f.entity == "Mali") & (f.year == 2017)].tiv.iloc[0] == 4


# ---------------------------------------------------------------------- refusals
def _lines(shared: Path, rel: str) -> list[bytes]:
    return (shared / rel).read_bytes().splitlines(keepends=True)


def test_truncated_register_is_refused(shared: Path, tmp_path: Path) -> None:
    lines = _lines(shared, REGISTER_2025)
    cut = b"".join(lines[:500]) + lines[500][:25]  # ends in the middle of a record
    p = tmp_path / "register.csv"
    p.write_bytes(cut)
    with pytest.raises(FormatError, match="truncated") as e:
        importers.read(p, expected="sipri_register_classic")
    assert one_line(str(e.value))


def test_preamble_only_is_refused(shared: Path, tmp_path: Path) -> None:
    p = tmp_path / "register.csv"
    p.write_bytes(b"".join(_lines(shared, REGISTER_2025)[:11]))
    with pytest.raises(FormatError, match="no header or rows|truncated"):
        importers.read(p, expected="sipri_register_classic")


def test_tiv_table_where_register_expected(shared: Path) -> None:
    with pytest.raises(FormatError) as e:
        importers.read(shared / TIV_CHINA, expected="sipri_register_classic")
    msg = str(e.value)
    assert "expected a SIPRI trade register" in msg and "got a SIPRI TIV table" in msg and one_line(msg)


def test_changed_header_names_missing_and_new_columns(shared: Path, tmp_path: Path) -> None:
    lines = _lines(shared, REGISTER_2025)
    lines[11] = lines[11].replace(b"Weapon description", b"Weapon family")
    p = tmp_path / "register.csv"
    p.write_bytes(b"".join(lines[:200]))
    with pytest.raises(FormatError) as e:
        importers.read(p)
    msg = str(e.value)
    assert "missing column(s) 'Weapon description'" in msg and "new column(s) 'Weapon family'" in msg


def test_extra_column_in_api_header(shared: Path, tmp_path: Path) -> None:
    lines = _lines(shared, API_SAMPLE)
    lines[11] = lines[11].rstrip(b"\r\n") + b",Financing\n"
    p = tmp_path / "api.csv"
    p.write_bytes(b"".join(lines[:50]))
    with pytest.raises(FormatError, match="new column\\(s\\) 'Financing'"):
        importers.read(p)


def test_damaged_number_is_refused(shared: Path, tmp_path: Path) -> None:
    lines = _lines(shared, REGISTER_2025)
    lines[20] = lines[20].replace(b",New,", b",New,", 1)
    fields = lines[20].decode("cp1252").rstrip("\r\n").split(",")
    fields[-1] = "12x"
    lines[20] = (",".join(fields) + "\n").encode("cp1252")
    p = tmp_path / "register.csv"
    p.write_bytes(b"".join(lines[:100]))
    with pytest.raises(FormatError, match=r"line 21: TIV of delivered weapons '12x' is not a number"):
        importers.read(p)


def test_html_page_is_not_a_register(tmp_path: Path) -> None:
    p = tmp_path / "register.csv"
    p.write_text("<!DOCTYPE html><html><body>The page has moved</body></html>")
    with pytest.raises(FormatError, match="not a file this project can read"):
        importers.read(p)
