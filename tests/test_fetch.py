"""analysis.fetch, the package's promises: every failure is one line and leaves data/raw/<id>/
exactly as it was; a manual source says how to get the file. Against the local server of
tests/fetch_server.py."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from analysis import fetch
from analysis.errors import FetchError
from tests.conftest import one_line
from tests.fetch_server import SID, Api, Reply, as_api, html_page, json_reply, raw_dir, run, snapshot, tmp_files


def _slow() -> Reply:
    return Reply(200, b"{}", {"Content-Type": "application/json"}, delay=0.6)


FAILURES = {
    "http_500_always": (lambda s: Reply(503, b"busy"), "gave up after 3 tries", {}),
    "timeout_always": (lambda s: _slow(), "timeout", {"timeout": 0.2}),
    "truncated": (lambda s: dataclasses.replace(as_api(s), declared_length=len(as_api(s).body) + 5000), "truncated", {}),
    "bad_base64": (lambda s: json_reply({"bytes": "this is %%% not base64!"}), "not valid base64", {}),
    "missing_bytes": (lambda s: json_reply({"data": "x"}), "no 'bytes' field", {}),
    "html_page": (lambda s: html_page(), "SIPRI answered with an HTML page, not the API's JSON: the API may have moved", {}),
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
