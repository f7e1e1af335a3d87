"""analysis.fetch.chunks: SIPRI's year chunks joined into one register (rows repeated across
chunk edges dropped), an interrupted fetch resumed from its cached chunks, and cached chunks of
an older release fetched again. Against the local server of tests/fetch_server.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.errors import FetchError
from tests.conftest import one_line
from tests.fetch_server import (
    SID,
    Api,
    Reply,
    Req,
    as_api,
    delivery_range,
    delivery_year,
    raw_dir,
    run,
    snapshot,
    split_sample,
    stored_rows,
    tmp_files,
)


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
