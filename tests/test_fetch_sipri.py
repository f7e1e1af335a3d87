"""analysis.fetch.sipri: the ``sipri_api`` method against the local server of tests/fetch_server.py
(from the real recorded API response): the request, the stored file and its record, year
chunks, the supplier filter, requests in flight, SIPRI's latest year."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path

from analysis import fetch, sources
from tests.fetch_server import (
    SID,
    Api,
    Reply,
    Req,
    as_api,
    delivery_range,
    html_page,
    json_reply,
    raw_dir,
    run,
    sample_rows,
    stored_rows,
    tmp_files,
)

STORED_NAME = "trade-register_api_2000-2001_generated-2025-02-10.csv"


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
    api.respond = lambda req: html_page() if req.path == "/trades/getMaxYear" else as_api(sample)
    path = fetch.fetch(SID, base_url=api.url, first_year=year, progress=False, timeout=5)
    assert [delivery_range(r) for r in api.posts()] == [(year, year)]
    assert path.name == f"trade-register_api_{year}-{year}_generated-2025-02-10.csv"
