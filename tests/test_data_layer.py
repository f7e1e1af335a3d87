"""The data layer end to end: catalogue, import with metadata records, checksum guard, the
tidy tables and their cache, and the command line's one-line errors and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis import cli, data, errors, sources
from tests.conftest import one_line

REGISTER = "sipri/trade-register_all_generated-2025-03-13.csv"
TIV_CHINA = "sipri/tiv-table_china-exports_2000-2025_generated-2026-07-14.csv"


@pytest.fixture
def raw(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "raw"
    monkeypatch.setenv("BRIEFING_RAW_DIR", str(d))
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    return d


def run_cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_catalogue_is_complete() -> None:
    cat = sources.catalogue()
    for s in cat.values():
        assert s.publisher and s.title and s.url.startswith("http") and s.licence and s.credit, s.id
        assert s.fetch.get("method") in {"sipri_api", "http", "manual"}, s.id


def test_status_lists_every_source_with_release(shared: Path, capsys) -> None:
    code, out, _ = run_cli("data", "status", capsys=capsys)
    assert code == 0
    for sid in sources.catalogue():
        assert sid in out
    rows = {r["source"]: r for r in sources.status()}
    assert all(r["state"] == "exports" for r in rows.values()), [r for r in rows.values() if r["state"] != "exports"]
    assert rows["sipri_register"]["release"] == "13 Mar 2025" and rows["sipri_register"]["rows"] == 29515
    assert rows["sipri_register"]["matches_catalogue"] is True


def test_import_writes_a_record_and_is_preferred(shared: Path, raw: Path, capsys) -> None:
    code, out, _ = run_cli("data", "import", str(shared / REGISTER), capsys=capsys)
    assert code == 0
    dest = raw / "sipri_register" / Path(REGISTER).name
    rec = json.loads(dest.with_name(dest.name + ".meta.json").read_text())
    assert rec["source"] == "sipri_register" and rec["release"] == "13 Mar 2025" and rec["rows"] == 29515
    assert rec["sha256"] == sources.catalogue()["sipri_register"].sha256 and rec["size"] == dest.stat().st_size
    assert rec["origin"] == str((shared / REGISTER).resolve()) and rec["retrieved"]
    loc = sources.locate("sipri_register")
    assert loc.origin == "raw" and loc.path == dest


def test_changed_file_fails_its_checksum(shared: Path, raw: Path, capsys) -> None:
    run_cli("data", "import", str(shared / REGISTER), capsys=capsys)
    dest = raw / "sipri_register" / Path(REGISTER).name
    with open(dest, "ab") as fh:
        fh.write(b"Mali,China,2024,,1,,X,APC,1,,2024,New,,1,1,1\n")
    code, _, err = run_cli("data", "import", str(shared / TIV_CHINA), "--source", "sipri_tiv_china_2026", capsys=capsys)
    assert code == 0
    with pytest.raises(errors.ChecksumError) as e:
        data.transfers()
    assert "does not match its record" in str(e.value) and one_line(str(e.value))


def test_register_given_a_tiv_table_is_refused(shared: Path, raw: Path, capsys) -> None:
    code, _, err = run_cli("data", "import", str(shared / TIV_CHINA), "--source", "sipri_register", capsys=capsys)
    assert code == errors.FormatError.exit_code
    assert err.startswith("error: ") and "expected a SIPRI trade register" in err and err.count("\n") == 1
    assert not (raw / "sipri_register").exists() or not any((raw / "sipri_register").iterdir())


def test_truncated_register_is_refused_and_nothing_written(shared: Path, raw: Path, tmp_path: Path, capsys) -> None:
    lines = (shared / REGISTER).read_bytes().splitlines(keepends=True)
    bad = tmp_path / Path(REGISTER).name
    bad.write_bytes(b"".join(lines[:3000]) + lines[3000][:30])
    code, _, err = run_cli("data", "import", str(bad), capsys=capsys)
    assert code == errors.FormatError.exit_code and "truncated" in err and err.count("\n") == 1
    assert not (raw / "sipri_register").exists() or not list((raw / "sipri_register").glob("*"))


def test_missing_source_names_the_fix(tmp_path: Path, raw: Path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(errors.MissingSourceError) as e:
        sources.locate("sipri_register")
    assert "briefing data fetch sipri_register" in str(e.value) and one_line(str(e.value))


def test_unknown_country_exits_with_closest_matches(shared: Path, capsys) -> None:
    code, _, err = run_cli("data", "countries", "--region", "Mail", capsys=capsys)
    assert code == errors.UnknownNameError.exit_code and "Mali" in err and err.count("\n") == 1


def test_console_script_exit_code(shared: Path) -> None:
    exe = Path(sys.executable).with_name("briefing")
    r = subprocess.run([str(exe), "data", "import", "/no/such/file.csv"], capture_output=True, text=True)
    assert r.returncode == errors.MissingSourceError.exit_code
    assert r.stderr.strip().startswith("error:") and "Traceback" not in r.stderr


def test_orders_hold_each_release_with_open_orders(shared: Path) -> None:
    o = data.orders()
    by = o.groupby("source").agg(n=("deal_id", "size"), open=("open", "sum"), release=("release", "first"))
    assert by.loc["sipri_register", "n"] == 29515 and by.loc["sipri_register", "release"] == "March 2025"
    assert by.loc["sipri_register_2024", "release"] == "March 2024" and by.loc["sipri_register_2024", "open"] > 1000
    assert by.loc["sipri_register_china_2026", "release"] == "March 2026"


def test_transfers_categories_and_cache(shared: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    t = data.transfers()
    assert list(t.columns) == data.TRANSFER_COLUMNS
    assert t["delivery_year"].between(1950, 2024).all()
    afr = t[t["recipient"] == "Mali"]
    assert afr["category"].notna().mean() > 0.95  # curated mapping covers Africa's descriptions
    assert (tmp_path / "cache").is_dir() and list((tmp_path / "cache").glob("transfers_sipri_register-*.parquet"))
    again = data.transfers()
    pd.testing.assert_frame_equal(t, again)
    # read once per process: a second call does not read the Parquet file again, and returns
    # a copy the caller may change without changing the next call's table
    reads = []
    real = pd.read_parquet
    monkeypatch.setattr(pd, "read_parquet", lambda *a, **k: reads.append(a) or real(*a, **k))
    again.loc[:, "supplier"] = "changed"
    third = data.transfers()
    assert reads == [] and (third["supplier"] != "changed").all()
    pd.testing.assert_frame_equal(t, third)
    # a cache file rewritten on disk is read again
    path = next((tmp_path / "cache").glob("transfers_sipri_register-*.parquet"))
    t.head(3).to_parquet(path, index=False)
    assert len(data.transfers()) == 3 and len(reads) == 1


def test_unmapped_descriptions_listed(shared: Path) -> None:
    t = data.transfers()
    um = data.unmapped_descriptions(t[t["recipient"] == "Nigeria"])
    listed = set(pd.read_csv(data.CURATED / "armament_categories_unmapped.csv")["description"])
    assert set(um["description"]) <= listed
