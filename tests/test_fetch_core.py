"""analysis.fetch.core: failed requests are tried again (a 5xx, a 429 with its Retry-After, a
timeout), through a SIPRI fetch from the local server of tests/fetch_server.py."""

from __future__ import annotations

import time

from tests.fetch_server import Api, Reply, as_api, run, scripted


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
