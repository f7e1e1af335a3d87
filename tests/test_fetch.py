"""analysis.fetch against a local HTTP server (127.0.0.1 only) that answers as SIPRI's backend
API and as a plain download host do, from the real recorded API response.

Each test scripts the server's answers (a function of the request). data/raw is a temporary
folder; retries and backoff are shrunk so the whole file runs in seconds.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import hashlib
import io
import json
import threading
import time
import zipfile
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from analysis import fetch, importers, sources
from analysis.errors import FetchError
from tests.conftest import one_line, require_shared

SAMPLE_REL = "sipri/api-sample_trade-register_deliveries-2000-2001_generated-2025-02-10.csv"
OWID_REL = "owid/military-spending-as-a-share-of-gdp-sipri.csv"
WDI_REL = "wdi/API_SP.POP.TOTL_DS2_en_csv_v2_282912.csv"
SID = "sipri_register"
STORED_NAME = "trade-register_api_2000-2001_generated-2025-02-10.csv"


# --------------------------------------------------------------------------- the local server
@dataclasses.dataclass
class Req:
    method: str
    path: str
    body: Any
    headers: dict[str, str]


@dataclasses.dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    delay: float = 0.0  # seconds to sleep before answering
    declared_length: int | None = None  # a Content-Length larger than the body: a truncated answer


class Api:
    def __init__(self, url: str) -> None:
        self.url = url
        self.requests: list[Req] = []
        self.lock = threading.Lock()
        self.respond: Callable[[Req], Reply] = lambda req: Reply(404, b"not scripted")

    def posts(self) -> list[Req]:
        with self.lock:
            return [r for r in self.requests if r.method == "POST"]

    def count(self, method: str, path_prefix: str = "") -> int:
        with self.lock:
            return sum(1 for r in self.requests if r.method == method and r.path.startswith(path_prefix))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        api: Api = self.server.api  # type: ignore[attr-defined]
        req = Req(self.command, self.path, body, dict(self.headers))
        with api.lock:
            api.requests.append(req)
        reply = api.respond(req)
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            for k, v in reply.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(reply.declared_length or len(reply.body)))
            if reply.declared_length:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(reply.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            self.close_connection = True

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    server.api = Api(f"http://127.0.0.1:{server.server_address[1]}")  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.api  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setattr(fetch, "RETRY", fetch.RetryPolicy(attempts=3, backoff=0.01, max_backoff=0.02, max_retry_after=3))


@pytest.fixture(scope="module")
def sample() -> bytes:
    return (require_shared() / SAMPLE_REL).read_bytes()


# --------------------------------------------------------------------------- helpers
def as_api(csv_bytes: bytes) -> Reply:
    """Wrap CSV bytes as SIPRI's API does."""
    return Reply(
        200,
        json.dumps({"bytes": base64.b64encode(csv_bytes).decode("ascii")}).encode(),
        {"Content-Type": "application/json; charset=utf-8"},
    )


def json_reply(obj: Any) -> Reply:
    return Reply(200, json.dumps(obj).encode(), {"Content-Type": "application/json"})


def split_sample(sample: bytes) -> tuple[list[str], list[str]]:
    """(preamble and header lines, row lines) of the recorded CSV."""
    lines = sample.decode("utf-8").splitlines(keepends=True)
    h = next(i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID,"))
    return lines[: h + 1], lines[h + 1 :]


def delivery_year(row: str) -> int:
    return int(next(csv.reader([row]))[10])


def sample_rows(sample: bytes) -> list[str]:
    return split_sample(sample)[1]


def stored_rows(path: Path) -> list[str]:
    return split_sample(path.read_bytes())[1]


def delivery_range(req: Req) -> tuple[int, int]:
    f = next(f for f in req.body["filters"] if f["field"] == "Delivery year")
    return f["value1"], f["value2"]


def raw_dir() -> Path:
    return sources.raw_dir()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def tmp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp") or p.name.endswith(".staged")]


@pytest.fixture
def previous(sample: bytes) -> dict[str, bytes]:
    """A good earlier copy of the source, with its record, in data/raw/<id>/."""
    src = dataclasses.replace(sources.source(SID), format="sipri_register_api")
    sources.store(src, require_shared() / SAMPLE_REL, "trade-register_api_previous.csv", origin="test")
    snap = snapshot(raw_dir() / SID)
    assert len(snap) == 2
    return snap


def run(api: Api, **kw: Any) -> Path:
    args = dict(base_url=api.url, first_year=2000, last_year=2001, progress=False, timeout=5)
    args.update(kw)
    return fetch.fetch(SID, **args)


# --------------------------------------------------------------------------- SIPRI: success
def test_success_stores_the_answer_with_its_record(api: Api, sample: bytes, tmp_path: Path) -> None:
    def respond(req: Req) -> Reply:
        if req.path == "/trades/getMaxYear":
            return json_reply(2001)
        if req.method == "POST" and req.path == "/trades/trade-register-csv/":
            return as_api(sample)
        return Reply(404)

    api.respond = respond
    path = fetch.fetch(SID, base_url=api.url, first_year=2000, progress=False)
    assert path == raw_dir() / SID / STORED_NAME
    assert path.read_bytes() == sample  # one chunk: the API's CSV exactly
    rec = json.loads(path.with_name(path.name + ".meta.json").read_text())
    assert rec["sha256"] == hashlib.sha256(sample).hexdigest()
    assert rec["rows"] == len(sample_rows(sample)) == 1414
    assert rec["release"] == "10 Feb 2025"
    assert rec["format"] == "sipri_register_api"
    assert rec["origin"] == api.url + "/trades/trade-register-csv/"
    assert sources.locate(SID).path == path

    (post,) = api.posts()
    assert post.body == fetch.register_body(2000, 2001)
    assert post.body["filters"][0] == {
        "field": "Delivery year",
        "condition": "contains",
        "value1": 2000,
        "value2": 2001,
        "listData": [],
    }
    assert post.body["filters"][1]["value1"] == 0 and post.body["filters"][1]["value2"] == 2001
    assert {f["field"] for f in post.body["filters"]} == {"Delivery year", "Order year", "opendeals", "exportOption"}
    assert post.headers["User-Agent"] == fetch.USER_AGENT
    assert not (raw_dir() / ".partial").exists()
    assert tmp_files(tmp_path) == []


def test_chunks_are_joined_and_edge_duplicates_dropped(api: Api, sample: bytes, tmp_path: Path) -> None:
    head, rows = split_sample(sample)
    by_year = {y: [r for r in rows if delivery_year(r) == y] for y in (2000, 2001)}

    def respond(req: Req) -> Reply:
        start, end = delivery_range(req)
        assert start == end
        chunk_rows = list(by_year[start])
        if start == 2001:
            chunk_rows = by_year[2000][:5] + chunk_rows  # rows repeated across the chunk edge
        return as_api("".join(head + chunk_rows).encode())

    api.respond = respond
    path = run(api, chunk_years=1, workers=2, progress=True)
    assert sorted(delivery_range(r) for r in api.posts()) == [(2000, 2000), (2001, 2001)]
    got = stored_rows(path)
    assert sorted(got) == sorted(rows) and len(got) == 1414
    text = path.read_text()
    assert text.count("SIPRI AT Database ID,") == 1 and text.count("Data generated:") == 1
    assert "year range '2000' to '2001'" in text
    rec = json.loads(path.with_name(path.name + ".meta.json").read_text())
    assert rec["rows"] == 1414 and rec["release"] == "10 Feb 2025"
    assert not (raw_dir() / ".partial").exists()
    assert tmp_files(tmp_path) == []


def test_year_chunks() -> None:
    assert fetch.year_chunks(1950, 1962, 5) == [(1950, 1954), (1955, 1959), (1960, 1962)]
    assert fetch.year_chunks(2000, 2000, 5) == [(2000, 2000)]


def test_supplier_filter_uses_sipri_entity_id(api: Api, sample: bytes) -> None:
    def respond(req: Req) -> Reply:
        if req.path == "/countries/getAllCountriesTrimmed":
            return json_reply([{"Name": "Algeria", "EntityId": 3}, {"Name": "China", "EntityId": 41}])
        return as_api(sample)

    api.respond = respond
    path = fetch.fetch("sipri_register_china_2026", base_url=api.url, first_year=2000, last_year=2001, progress=False)
    assert path.parent.name == "sipri_register_china_2026"
    supplier = [f for f in api.posts()[0].body["filters"] if f["field"] == "Supplier"]
    assert supplier and supplier[0]["listData"] == [41]


# --------------------------------------------------------------------------- SIPRI: retried
def scripted(first: Reply, sample: bytes) -> Callable[[Req], Reply]:
    """The first POST gets ``first``, later ones the good answer."""
    state = {"n": 0}
    lock = threading.Lock()

    def respond(req: Req) -> Reply:
        with lock:
            state["n"] += 1
            n = state["n"]
        return first if n == 1 else as_api(sample)

    return respond


def test_500_then_success_is_retried(api: Api, sample: bytes) -> None:
    api.respond = scripted(Reply(500, b"oops"), sample)
    path = run(api)
    assert len(api.posts()) == 2
    assert path.read_bytes() == sample


def test_429_honours_retry_after(api: Api, sample: bytes) -> None:
    api.respond = scripted(Reply(429, b"slow down", {"Retry-After": "1"}), sample)
    t0 = time.monotonic()
    path = run(api)
    assert time.monotonic() - t0 >= 0.9  # the backoff alone would be 0.01 s
    assert len(api.posts()) == 2 and path.is_file()


def test_timeout_then_success(api: Api, sample: bytes) -> None:
    slow = as_api(sample)
    slow.delay = 1.0
    api.respond = scripted(slow, sample)
    path = run(api, timeout=0.3)
    assert len(api.posts()) == 2 and path.read_bytes() == sample


# --------------------------------------------------------------------------- SIPRI: failures
def _html() -> Reply:
    return Reply(200, b"<!DOCTYPE html><html><body>Moved</body></html>", {"Content-Type": "text/html"})


def _slow() -> Reply:
    return Reply(200, b"{}", {"Content-Type": "application/json"}, delay=0.6)


FAILURES = {
    "http_500_always": (lambda s: Reply(503, b"busy"), "gave up after 3 tries", {}),
    "timeout_always": (lambda s: _slow(), "timeout", {"timeout": 0.2}),
    "truncated": (lambda s: dataclasses.replace(as_api(s), declared_length=len(as_api(s).body) + 5000), "truncated", {}),
    "bad_base64": (lambda s: json_reply({"bytes": "this is %%% not base64!"}), "not valid base64", {}),
    "missing_bytes": (lambda s: json_reply({"data": "x"}), "no 'bytes' field", {}),
    "html_page": (lambda s: _html(), "SIPRI answered with an HTML page, not the API's JSON: the API may have moved", {}),
    "http_404": (lambda s: Reply(404, b"nope"), "HTTP 404", {}),
    "not_a_register": (lambda s: as_api(b"hello,world\n1,2\n"), "not the trade-register CSV", {}),
    "truncated_csv": (lambda s: as_api(s[: len(s) // 2]), "not the trade-register CSV", {}),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_failures_leave_data_raw_unchanged(
    case: str, api: Api, sample: bytes, previous: dict[str, bytes], tmp_path: Path
) -> None:
    make, expected, kw = FAILURES[case]
    reply = make(sample)
    api.respond = lambda req: reply
    with pytest.raises(FetchError) as err:
        run(api, **kw)
    msg = str(err.value)
    assert expected in msg
    assert one_line(msg)
    assert snapshot(raw_dir() / SID) == previous  # the earlier file and its record, byte-identical
    assert tmp_files(tmp_path) == []
    assert not (raw_dir() / ".partial").exists()  # no chunk finished: nothing cached
    if case == "http_500_always":
        assert len(api.posts()) == 3 and "HTTP 503" in msg
    if case == "timeout_always":
        assert len(api.posts()) == 3


def test_manual_source_says_how_to_get_it() -> None:
    with pytest.raises(FetchError) as err:
        fetch.fetch("sipri_register_2024", progress=False)
    msg = str(err.value)
    assert "briefing data import" in msg and "https://www.sipri.org/databases/armstransfers" in msg
    assert one_line(msg)


# --------------------------------------------------------------------------- SIPRI: resume
def test_resume_fetches_only_the_missing_chunk(api: Api, sample: bytes, previous: dict[str, bytes], tmp_path: Path) -> None:
    head, rows = split_sample(sample)
    by_year = {y: "".join(head + [r for r in rows if delivery_year(r) == y]).encode() for y in (2000, 2001)}
    chunk2_ok = {"v": False}

    def respond(req: Req) -> Reply:
        start, _ = delivery_range(req)
        if start == 2001 and not chunk2_ok["v"]:
            return Reply(502, b"bad gateway")
        return as_api(by_year[start])

    api.respond = respond
    with pytest.raises(FetchError) as err:
        run(api, chunk_years=1, workers=2)
    assert "2001-2001" in str(err.value) and one_line(str(err.value))
    partial = raw_dir() / ".partial" / SID
    assert sorted(p.name for p in partial.iterdir()) == ["2000-2000.csv"]
    assert (partial / "2000-2000.csv").read_bytes() == by_year[2000]
    assert snapshot(raw_dir() / SID) == previous
    assert tmp_files(tmp_path) == []

    before = len(api.posts())
    chunk2_ok["v"] = True
    path = run(api, chunk_years=1, workers=2)
    again = api.posts()[before:]
    assert [delivery_range(r) for r in again] == [(2001, 2001)]
    assert sorted(stored_rows(path)) == sorted(rows)
    assert not (raw_dir() / ".partial").exists()
    assert (raw_dir() / SID / "trade-register_api_previous.csv").read_bytes() == previous["trade-register_api_previous.csv"]
    assert tmp_files(tmp_path) == []


def test_cached_chunk_of_an_older_release_is_fetched_again(api: Api, sample: bytes) -> None:
    head, rows = split_sample(sample)
    old = "".join(head + [r for r in rows if delivery_year(r) == 2000]).encode()
    partial = raw_dir() / ".partial" / SID
    partial.mkdir(parents=True)
    (partial / "2000-2000.csv").write_bytes(old.replace(b"10 Feb 2025", b"10 Feb 2023"))
    new = {y: "".join(head + [r for r in rows if delivery_year(r) == y]).encode() for y in (2000, 2001)}
    api.respond = lambda req: as_api(new[delivery_range(req)[0]])
    path = run(api, chunk_years=1)
    assert sorted(delivery_range(r) for r in api.posts()) == [(2000, 2000), (2001, 2001)]
    assert b"10 Feb 2023" not in path.read_bytes()
    assert sorted(stored_rows(path)) == sorted(rows)


# --------------------------------------------------------------------------- http downloads
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


def test_at_most_three_requests_in_flight(api: Api, sample: bytes) -> None:
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def respond(req: Req) -> Reply:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.15)
        with lock:
            state["now"] -= 1
        return as_api(sample)  # every chunk answers the same rows: all but the first copy dropped

    api.respond = respond
    path = run(api, first_year=1996, last_year=2001, chunk_years=1, workers=10)
    assert len(api.posts()) == 6
    assert 2 <= state["peak"] <= fetch.MAX_WORKERS == 3
    assert sorted(stored_rows(path)) == sorted(sample_rows(sample))


def test_latest_year_falls_back_to_last_year(api: Api, sample: bytes) -> None:
    year = time.localtime().tm_year - 1
    api.respond = lambda req: _html() if req.path == "/trades/getMaxYear" else as_api(sample)
    path = fetch.fetch(SID, base_url=api.url, first_year=year, progress=False, timeout=5)
    assert [delivery_range(r) for r in api.posts()] == [(year, year)]
    assert path.name == f"trade-register_api_{year}-{year}_generated-2025-02-10.csv"
