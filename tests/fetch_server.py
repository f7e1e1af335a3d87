"""The local HTTP server (127.0.0.1 only) the fetch tests (tests/test_fetch*.py) talk to: it
answers as SIPRI's backend API and as a plain download host do, each test scripting its answers
(a function of the request); and what those tests share: the real recorded API response, and
helpers that read requests and data/raw.

Its fixtures (tests/conftest.py loads this module as a plugin): ``api``, a running server with
a temporary data/raw and retries and backoff shrunk so that the tests run in seconds;
``sample``, the recorded API response; ``previous``, a good earlier copy in data/raw.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from analysis import fetch, sources
from tests.conftest import require_shared

SAMPLE_REL = "sipri/api-sample_trade-register_deliveries-2000-2001_generated-2025-02-10.csv"
SID = "sipri_register"


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
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """A running server; data/raw in ``tmp_path``; tiny retries (:data:`analysis.fetch.RETRY`)."""
    monkeypatch.setenv("BRIEFING_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setattr(fetch, "RETRY", fetch.RetryPolicy(attempts=3, backoff=0.01, max_backoff=0.02, max_retry_after=3))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    server.api = Api(f"http://127.0.0.1:{server.server_address[1]}")  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server.api  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def sample() -> bytes:
    """SIPRI's API answer for deliveries in 2000-2001, as recorded (the CSV, decoded)."""
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
def previous(api: Api) -> dict[str, bytes]:
    """A good earlier copy of the source, with its record, in data/raw/<id>/ (the ``api``
    fixture's)."""
    src = dataclasses.replace(sources.source(SID), format="sipri_register_api")
    sources.store(src, require_shared() / SAMPLE_REL, "trade-register_api_previous.csv", origin="test")
    snap = snapshot(raw_dir() / SID)
    assert len(snap) == 2
    return snap


def run(api: Api, **kw: Any) -> Path:
    args = dict(base_url=api.url, first_year=2000, last_year=2001, progress=False, timeout=5)
    args.update(kw)
    return fetch.fetch(SID, **args)


def html_page() -> Reply:
    return Reply(200, b"<!DOCTYPE html><html><body>Moved</body></html>", {"Content-Type": "text/html"})


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
