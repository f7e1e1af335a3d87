"""The ``sipri_api`` method: SIPRI's backend API (:data:`SIPRI_API`).

The trade register is asked for in year-range chunks (POST :data:`REGISTER_PATH`, a JSON body
of filters: :func:`register_body`); each answer is ``{"bytes": "<base64 of the CSV>"}``. Each
chunk is checked with the ``sipri_register_api`` importer and cached atomically in
data/raw/.partial/<id>/<start>-<end>.csv, so an interrupted fetch resumes where it stopped; at
most :data:`MAX_WORKERS` requests are in flight. When every chunk is there,
:mod:`analysis.fetch.chunks` joins them, the result is stored with
:func:`analysis.sources.store`, and the cache is removed. SIPRI's latest year
(:data:`MAX_YEAR_PATH`) and a supplier's entity id (:data:`COUNTRIES_PATH`) are asked for
when the catalogue does not give them.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import difflib
import logging
import os
import re
import threading
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

from analysis import importers, sources
from analysis.errors import FetchError, FormatError
from analysis.fetch.chunks import Chunk, load_chunks, merge, stale_chunks
from analysis.fetch.core import (
    RetryPolicy,
    Sessions,
    http_get_or_post,
    partial_dir,
    short,
    temp_path,
    tidy_partial,
    with_retries,
    write_synced,
)

log = logging.getLogger(__name__)

SIPRI_API = "https://atbackend.sipri.org/api/p"
REGISTER_PATH = "/trades/trade-register-csv/"
MAX_YEAR_PATH = "/trades/getMaxYear"
COUNTRIES_PATH = "/countries/getAllCountriesTrimmed"
MAX_WORKERS = 3  # never more requests in flight to SIPRI than this
API_FORMAT = "sipri_register_api"


class _Cancelled(Exception):
    """Another chunk failed: stop before sending more requests."""


def year_chunks(first: int, last: int, size: int) -> list[tuple[int, int]]:
    """[first, last] split into consecutive (start, end) ranges of ``size`` years."""
    size = max(1, int(size))
    return [(s, min(s + size - 1, last)) for s in range(first, last + 1, size)]


def register_body(start: int, end: int, supplier_id: int | None = None) -> dict[str, Any]:
    """The JSON body of POST /trades/trade-register-csv/ for deliveries in [start, end]."""
    filters: list[dict[str, Any]] = [
        {"field": "Delivery year", "condition": "contains", "value1": start, "value2": end, "listData": []},
        {"field": "Order year", "condition": "contains", "value1": 0, "value2": end, "listData": []},
        {"field": "opendeals", "condition": "", "value1": "", "value2": "", "listData": []},
        {"field": "exportOption", "condition": "", "value1": "", "value2": "", "listData": []},
    ]
    if supplier_id is not None:
        filters.append(
            {"field": "Supplier", "oldField": "", "condition": "contains", "value1": "", "value2": "", "listData": [supplier_id]}
        )
    return {"filters": filters, "logic": "AND"}


_HTML_ADVICE = (
    "check https://www.sipri.org/databases/armstransfers for the current database, or "
    "download the trade register by hand and run `briefing data import`"
)


def _looks_html(resp: requests.Response) -> bool:
    ctype = resp.headers.get("Content-Type", "").lower()
    head = resp.content[:512].lstrip().lower()
    return "html" in ctype or head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml"))


def _json(resp: requests.Response, what: str) -> Any:
    if _looks_html(resp):
        raise FetchError(f"{what}: SIPRI answered with an HTML page, not the API's JSON: the API may have moved; {_HTML_ADVICE}")
    try:
        return resp.json()
    except ValueError:
        raise FetchError(
            f"{what}: SIPRI's answer is not JSON ({len(resp.content)} bytes starting {resp.content[:40]!r}); "
            f"the API may have changed; {_HTML_ADVICE}"
        ) from None


def _decode_bytes_field(payload: Any, what: str) -> bytes:
    if not isinstance(payload, dict) or "bytes" not in payload:
        keys = ", ".join(map(str, payload)) if isinstance(payload, dict) else type(payload).__name__
        raise FetchError(
            f"{what}: SIPRI's JSON has no 'bytes' field (got {keys or 'nothing'}); the API changed: "
            "update analysis/fetch/sipri.py, or download the trade register by hand and run `briefing data import`"
        )
    value = payload["bytes"]
    if not isinstance(value, str):
        raise FetchError(
            f"{what}: SIPRI's 'bytes' field is {type(value).__name__}, not base64 text; the API changed: update analysis/fetch/sipri.py"
        )
    try:
        return base64.b64decode(re.sub(r"\s+", "", value), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FetchError(
            f"{what}: SIPRI's 'bytes' field is not valid base64 ({short(exc)}); the answer is damaged: fetch again"
        ) from None


class _Sipri:
    """One fetch of one SIPRI source."""

    def __init__(self, src: sources.Source, base_url: str, timeout: float, retry: RetryPolicy) -> None:
        self.src = src
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry
        self.sessions = Sessions()
        self.stop = threading.Event()

    @property
    def register_url(self) -> str:
        return self.base + REGISTER_PATH

    def get_json(self, path: str, what: str) -> Any:
        url = self.base + path

        def once() -> Any:
            resp = http_get_or_post(self.sessions.get(), "GET", url, self.timeout, headers={"Accept": "application/json"})
            return _json(resp, what)

        return with_retries(once, what, "SIPRI may be busy or down: try again later", self.retry)

    def max_year(self) -> int:
        """SIPRI's latest delivery year, else the current year - 1 (logged)."""
        try:
            value = self.get_json(MAX_YEAR_PATH, "SIPRI getMaxYear")
            if isinstance(value, dict):  # tolerate {"maxYear": 2024}
                value = next((v for v in value.values() if str(v).strip().isdigit()), None)
            year = int(str(value).strip())
            if not 1950 <= year <= datetime.now().year + 1:
                raise ValueError(year)
            return year
        except (FetchError, TypeError, ValueError) as exc:
            year = datetime.now().year - 1
            log.warning("could not ask SIPRI for its latest year (%s); assuming %d", short(exc), year)
            return year

    def supplier_id(self, name: str) -> int:
        """SIPRI's entity id for ``name`` (GET /countries/getAllCountriesTrimmed)."""
        what = "SIPRI getAllCountriesTrimmed"
        entries = self.get_json(COUNTRIES_PATH, what)
        if not isinstance(entries, list):
            raise FetchError(
                f"{what}: expected a list of {{Name, EntityId}}, got {type(entries).__name__}; the API changed: update analysis/fetch/sipri.py"
            )
        by_name: dict[str, int] = {}
        for e in entries:
            if isinstance(e, dict) and "Name" in e and "EntityId" in e:
                by_name[str(e["Name"]).strip().casefold()] = e["EntityId"]
        key = name.strip().casefold()
        if key not in by_name:
            near = difflib.get_close_matches(key, list(by_name), n=3)
            hint = f" (close: {', '.join(near)})" if near else ""
            raise FetchError(f"SIPRI does not list a country named {name!r}{hint}; fix the supplier in data/sources.toml")
        try:
            return int(by_name[key])
        except (TypeError, ValueError):
            raise FetchError(
                f"{what}: SIPRI's entity id for {name!r} is {by_name[key]!r}, not a number; the API changed"
            ) from None

    def fetch_chunk(self, chunk: Chunk, supplier_id: int | None, cache: Path) -> None:
        """POST one chunk, check it, and cache it atomically at ``cache``."""
        what = f"SIPRI API, deliveries {chunk.label}"
        body = register_body(chunk.start, chunk.end, supplier_id)

        def once() -> bytes:
            if self.stop.is_set():
                raise _Cancelled()
            resp = http_get_or_post(
                self.sessions.get(), "POST", self.register_url, self.timeout, json=body, headers={"Accept": "application/json"}
            )
            return _decode_bytes_field(_json(resp, what), what)

        data = with_retries(
            once, what, "SIPRI may be busy or down: try again later (finished chunks are kept and reused)", self.retry
        )
        with temp_path(cache.parent, f".{cache.name}.") as tmp:
            write_synced(tmp, data)
            _check_chunk(tmp, what)
            os.replace(tmp, cache)


def _check_chunk(path: Path, what: str) -> importers.Imported:
    try:
        return importers.read(path, expected=API_FORMAT)
    except FormatError as exc:
        msg = str(exc).replace(path.name, "the CSV")
        raise FetchError(f"{what}: the answer is not the trade-register CSV expected ({msg})") from None


def fetch_sipri(
    src: sources.Source,
    *,
    base_url: str | None,
    first_year: int | None,
    last_year: int | None,
    chunk_years: int,
    workers: int,
    timeout: float,
    progress: bool,
    retry: RetryPolicy,
) -> Path:
    """Fetch a ``sipri_api`` source (see the module docstring; the arguments are
    :func:`analysis.fetch.fetch`'s) and return the stored file."""
    job = _Sipri(src, base_url or src.fetch.get("base_url") or SIPRI_API, timeout, retry)
    try:
        first = int(first_year if first_year is not None else src.fetch.get("first_year", 1950))
        last = int(last_year) if last_year is not None else job.max_year()
        if last < first:
            raise FetchError(f"source {src.id}: last year {last} is before first year {first}; give years in order")
        supplier = src.fetch.get("supplier")
        supplier_id = job.supplier_id(supplier) if supplier else None

        chunks = [Chunk(s, e) for s, e in year_chunks(first, last, chunk_years)]
        cache_dir = partial_dir(src.id)
        cache = {c: cache_dir / f"{c.label}.csv" for c in chunks}
        _run_chunks(job, chunks, cache, supplier_id, workers, progress)
        chunk_data = load_chunks(chunks, cache)
        # Never join two releases: refetch cached chunks of an older release once.
        stale = stale_chunks(chunk_data)
        if stale:
            log.warning("cached chunks %s are of an older SIPRI release; fetching them again", ", ".join(c.label for c in stale))
            for c in stale:
                cache[c].unlink(missing_ok=True)
            _run_chunks(job, stale, cache, supplier_id, workers, progress)
            chunk_data = load_chunks(chunks, cache)
            if stale_chunks(chunk_data):
                raise FetchError(
                    f"source {src.id}: SIPRI answered with two different releases while fetching; "
                    "a new release is being published: fetch again later"
                )

        merged, generated = merge(chunk_data, first, last)
        name = f"trade-register_api_{first}-{last}_generated-{generated:%Y-%m-%d}.csv"
        stored_as = dataclasses.replace(src, format=src.fetch.get("format", API_FORMAT))
        with temp_path(cache_dir, ".merged.") as tmp:
            write_synced(tmp, merged)
            try:
                dest = sources.store(stored_as, tmp, name, origin=job.register_url)
            except FormatError as exc:
                raise FetchError(
                    f"source {src.id}: the joined chunks do not read as a trade register ({exc}); "
                    f"delete {cache_dir} and fetch again"
                ) from None
        tidy_partial(src.id, remove=True)
        return dest
    except BaseException:
        tidy_partial(src.id, remove=False)
        raise
    finally:
        job.sessions.close()


def _run_chunks(
    job: _Sipri, chunks: list[Chunk], cache: dict[Chunk, Path], supplier_id: int | None, workers: int, progress: bool
) -> None:
    """Fetch every chunk not yet cached, ``workers`` at a time. On the first failure, no new
    chunk starts; the ones in flight finish (and are cached) before the error is raised."""
    todo = [c for c in chunks if not cache[c].is_file()]
    if not todo:
        return
    bar = _progress(len(chunks), len(chunks) - len(todo), job.src.id, progress)
    job.stop.clear()
    n = max(1, min(int(workers), MAX_WORKERS))
    pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix=f"fetch-{job.src.id}")
    futures: dict[Future[None], Chunk] = {}
    try:
        for c in todo:
            futures[pool.submit(job.fetch_chunk, c, supplier_id, cache[c])] = c
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            failed = [f for f in done if f.exception() is not None]
            for f in done:
                if f.exception() is None and bar is not None:
                    bar.update(1)
            if failed:
                job.stop.set()
                for f in pending:
                    f.cancel()
                wait(pending)
                errors = [f.exception() for f in sorted(failed, key=lambda f: futures[f].start)]
                real = [e for e in errors if not isinstance(e, _Cancelled)]
                raise (real or errors)[0]  # type: ignore[misc]
    except BaseException:
        job.stop.set()
        for f in futures:
            f.cancel()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if bar is not None:
            bar.close()


def _progress(total: int, done: int, label: str, enabled: bool):
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, initial=done, desc=f"fetch {label}", unit="chunk", leave=False)
