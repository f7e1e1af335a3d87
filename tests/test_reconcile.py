"""The tidy transfers against SIPRI's own TIV tables of the same release, on the real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import cli, reconcile


@pytest.fixture(scope="module")
def shares(shared: Path, tmp_path_factory: pytest.TempPathFactory):
    report = reconcile.reconcile()
    return report, reconcile.matched_shares(report).set_index(["register", "table", "method"])["matched_share"]


CHINA = ("sipri_register_china_2026", "tiv-table_china-exports_2000-2025_generated-2026-07-14")
IMPORTERS = ("sipri_register_2024", "tiv-totals_importers_1950-2023_generated-2024-10-13")


@pytest.mark.parametrize("register, table", [CHINA, IMPORTERS])
def test_calibrated_matches_within_rounding(shares, register: str, table: str) -> None:
    _, s = shares
    assert s[(register, table, "default")] >= 0.99
    assert s[(register, table, "even")] < 0.5  # the even spread does not: the test can tell them apart


def test_every_held_table_of_a_release_is_compared(shares) -> None:
    report, s = shares
    assert {r for r, _, _ in s.index} == {"sipri_register", "sipri_register_2024", "sipri_register_china_2026"}
    assert set(report["release"]) == {"March 2024", "March 2025", "March 2026"}
    assert s[("sipri_register", "tiv-tables_all-exporters_2024_generated-2025-04-24", "default")] >= 0.95
    # Algeria 2015, March 2024 release: SIPRI 896; the even spread gave 1,366
    alg = report[
        (report.register == "sipri_register_2024")
        & (report.recipient == "Algeria")
        & (report.year == 2015)
        & (report.kind == "importer")
    ].set_index("method")
    assert alg.loc["default", "table_tiv"] == 896 and abs(alg.loc["default", "computed"] - 896) <= 0.52
    assert round(alg.loc["even", "computed"]) == 1366


def test_cli_prints_the_summary(shared: Path, capsys) -> None:
    assert cli.main(["data", "reconcile", "sipri_register_china_2026", "--worst", "3"]) == 0
    out = capsys.readouterr().out
    assert "share of volume matched within SIPRI's rounding" in out and "100.00% matched" in out and "not US$" in out
