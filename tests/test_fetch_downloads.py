"""analysis.fetch.downloads: the ``http`` method against the local server of tests/fetch_server.py:
a download stored with its record, a truncated download refused, a zip member picked by prefix."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from analysis import fetch, importers, sources
from analysis.errors import FetchError
from tests.conftest import one_line, require_shared
from tests.fetch_server import Api, Reply, raw_dir, tmp_files

OWID_REL = "owid/military-spending-as-a-share-of-gdp-sipri.csv"
WDI_REL = "wdi/API_SP.POP.TOTL_DS2_en_csv_v2_282912.csv"


def _ensure_format(monkeypatch: pytest.MonkeyPatch, name: str, prefix: bytes) -> None:
    """Until the importer for ``name`` is written, a stand-in that recognises the file's first
    bytes (the fetch logic is what is tested here)."""
    importers._load_all()
    if name in importers.FORMATS:
        return
    import pandas as pd

    def read(path: Path) -> importers.Imported:
        frame = pd.DataFrame({"line": path.read_bytes().splitlines()})
        return importers.Imported(frame=frame, format=name, release=None, path=path)

    monkeypatch.setitem(
        importers.FORMATS,
        name,
        importers.Format(name, f"stand-in for {name}", lambda head, path: head.lstrip(b"\xef\xbb\xbf").startswith(prefix), read),
    )


def test_http_download_is_stored(api: Api, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _ensure_format(monkeypatch, "owid_grapher", b"Entity,Code,Year,")
    body = (require_shared() / OWID_REL).read_bytes()
    api.respond = lambda req: Reply(200, body, {"Content-Type": "text/csv"})
    path = fetch.fetch("owid_milex_gdp", base_url=api.url, progress=False, timeout=5)
    assert path == raw_dir() / "owid_milex_gdp" / "military-spending-as-a-share-of-gdp-sipri.csv"
    assert path.read_bytes() == body
    rec = json.loads(path.with_name(path.name + ".meta.json").read_text())
    assert rec["sha256"] == sources.source("owid_milex_gdp").sha256  # the catalogue's export
    (req,) = api.requests
    assert req.path.startswith("/grapher/military-spending-as-a-share-of-gdp-sipri.csv?v=1&csvType=full")
    assert req.headers["User-Agent"] == fetch.USER_AGENT
    assert rec["origin"].startswith(api.url + "/grapher/")
    assert tmp_files(tmp_path) == [] and not (raw_dir() / ".partial").exists()


def test_http_truncated_download_fails_cleanly(api: Api, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _ensure_format(monkeypatch, "owid_grapher", b"Entity,Code,Year,")
    body = (require_shared() / OWID_REL).read_bytes()
    api.respond = lambda req: Reply(200, body[:50000], {"Content-Type": "text/csv"}, declared_length=len(body))
    with pytest.raises(FetchError) as err:
        fetch.fetch("owid_milex_gdp", base_url=api.url, progress=False, timeout=5)
    msg = str(err.value)
    assert "truncated download" in msg and "gave up after 3 tries" in msg and one_line(msg)
    assert not (raw_dir() / "owid_milex_gdp").exists()
    assert tmp_files(tmp_path) == [] and not (raw_dir() / ".partial").exists()


def test_http_zip_member_by_prefix(api: Api, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _ensure_format(monkeypatch, "wdi_api_csv", b'"Data Source","World Development Indicators"')
    csv_bytes = (require_shared() / WDI_REL).read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("Metadata_Indicator_API_SP.POP.TOTL_DS2_en_csv_v2_282912.csv", b"x")
        zf.writestr("API_SP.POP.TOTL_DS2_en_csv_v2_282912.csv", csv_bytes)
        zf.writestr("Metadata_Country_API_SP.POP.TOTL_DS2_en_csv_v2_282912.csv", b"y")
    api.respond = lambda req: Reply(200, buf.getvalue(), {"Content-Type": "application/zip"})
    path = fetch.fetch("wdi_population", base_url=api.url, progress=False, timeout=5)
    assert path.name == "API_SP.POP.TOTL_DS2_en_csv_v2_282912.csv"
    assert path.read_bytes() == csv_bytes
    assert tmp_files(tmp_path) == [] and not (raw_dir() / ".partial").exists()
