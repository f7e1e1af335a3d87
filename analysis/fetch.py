"""Fetch sources from their publishers into data/raw/<id>/ (``briefing data fetch``).

How each source is fetched is the catalogue's ``fetch`` table (data/sources.toml):

``sipri_api``
    SIPRI's backend API (https://atbackend.sipri.org/api/p). The trade register is asked for
    in year-range chunks (POST /trades/trade-register-csv/, a JSON body of filters); each answer
    is ``{"bytes": "<base64 of the CSV>"}``. Each chunk is checked with the
    ``sipri_register_api`` importer and cached atomically in data/raw/.partial/<id>/<start>-<end>.csv,
    so an interrupted fetch resumes where it stopped. When every chunk is there, they are
    joined (one preamble and header, the rows of every chunk, rows repeated across chunk edges
    dropped), stored with :func:`analysis.sources.store`, and the cache is removed.
``http``
    A plain download (streamed; Content-Length checked), optionally unzipping one member.
``manual``
    Cannot be fetched: :class:`~analysis.errors.FetchError` says where to get the file and how
    to import it.

Failed requests (429, 5xx, timeouts, dropped connections, truncated bodies) are retried with
exponential backoff (:data:`RETRY`); a 429's Retry-After is honoured. Every failure is a
one-line FetchError, and leaves data/raw/<id>/ exactly as it was.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import csv
import dataclasses
import difflib
import email.utils
import io
import logging
import os
import random
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
import tenacity

from analysis import importers, sources
from analysis.errors import BriefingError, FetchError, FormatError
from analysis.importers import sipri as sipri_importer

log = logging.getLogger(__name__)

USER_AGENT = "arms-briefings/0.1 (+research; polite)"
SIPRI_API = "https://atbackend.sipri.org/api/p"
REGISTER_PATH = "/trades/trade-register-csv/"
MAX_YEAR_PATH = "/trades/getMaxYear"
COUNTRIES_PATH = "/countries/getAllCountriesTrimmed"
MAX_WORKERS = 3  # never more requests in flight to SIPRI than this
PARTIAL = ".partial"  # data/raw/.partial/<id>/: finished chunks of an unfinished fetch
API_FORMAT = "sipri_register_api"


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all; waits ``backoff * 2**(n-1)`` seconds (capped at
    ``max_backoff``, with up to 10% jitter) after the n-th failure; a 429's Retry-After is
    honoured up to ``max_retry_after`` seconds."""

    attempts: int = 5
    backoff: float = 2.0
    max_backoff: float = 60.0
    max_retry_after: float = 300.0


#: The retry policy every request uses. Tests replace it with a tiny one.
RETRY = RetryPolicy()


# --------------------------------------------------------------------------- errors and retries
class _Transient(Exception):
    """A failure worth retrying: 429, 5xx, a timeout, a dropped connection, a short body."""

    def __init__(self, what: str, retry_after: float | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after


class _Cancelled(Exception):
    """Another chunk failed: stop before sending more requests."""


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _wait(state: tenacity.RetryCallState) -> float:
    policy = RETRY
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, _Transient) and exc.retry_after is not None:
        return min(exc.retry_after, policy.max_retry_after)
    base = min(policy.max_backoff, policy.backoff * 2 ** (state.attempt_number - 1))
    return base * (1 + 0.1 * random.random())


def _with_retries(call: Callable[[], Any], what: str, advice: str) -> Any:
    """Run ``call`` with :data:`RETRY`; FetchError naming the tries and the last failure when
    they run out."""
    policy = RETRY
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max(1, policy.attempts)),
        wait=_wait,
        retry=tenacity.retry_if_exception_type(_Transient),
        reraise=True,
    )
    try:
        return retrying(call)
    except _Transient as exc:
        tries = retrying.statistics.get("attempt_number", policy.attempts)
        raise FetchError(f"{what}: gave up after {tries} tries (last: {exc.what}); {advice}") from None


@contextlib.contextmanager
def _request_errors(method: str, url: str, timeout: float) -> Any:
    """Map requests' exceptions: timeouts, dropped connections and cut bodies are transient
    (retried); anything else is a FetchError naming the request."""
    try:
        yield
    except requests.Timeout:
        raise _Transient(f"no answer within {timeout:g} s (timeout)") from None
    except requests.exceptions.ChunkedEncodingError as exc:
        raise _Transient(f"truncated download ({_short(exc)})") from None
    except requests.ConnectionError as exc:
        raise _Transient(f"connection failed ({_short(exc)})") from None
    except requests.RequestException as exc:
        raise FetchError(f"{method} {url} failed: {_short(exc)}; check the URL") from None


def _http_get_or_post(session: requests.Session, method: str, url: str, timeout: float, **kwargs: Any) -> requests.Response:
    """One request; transient failures become _Transient, a 4xx a FetchError."""
    with _request_errors(method, url, timeout):
        resp = session.request(method, url, timeout=timeout, **kwargs)
    _check_status(resp, method, url)
    return resp


def _check_status(resp: requests.Response, method: str, url: str) -> None:
    code = resp.status_code
    if code == 429:
        raise _Transient("HTTP 429 Too Many Requests", _retry_after(resp.headers.get("Retry-After")))
    if code >= 500 or code == 408:
        raise _Transient(f"HTTP {code} {resp.reason or ''}".strip())
    if code >= 400:
        raise FetchError(
            f"{method} {url} answered HTTP {code} {resp.reason or ''}; the address may have moved or "
            "the request is refused: check the catalogue's fetch table in data/sources.toml"
        )


def _short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------- sessions
class _Sessions:
    """One requests.Session per worker thread (a Session is not safe to share across threads)."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._all: list[requests.Session] = []
        self._lock = threading.Lock()

    def get(self) -> requests.Session:
        s = getattr(self._local, "session", None)
        if s is None:
            s = requests.Session()
            s.headers.update({"User-Agent": USER_AGENT})
            self._local.session = s
            with self._lock:
                self._all.append(s)
        return s

    def close(self) -> None:
        with self._lock:
            for s in self._all:
                s.close()
            self._all.clear()


# --------------------------------------------------------------------------- public API
def fetch(
    source_id: str,
    *,
    base_url: str | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
    chunk_years: int = 5,
    workers: int = 2,
    timeout: float = 120,
    progress: bool = True,
) -> Path:
    """Fetch ``source_id`` from its publisher into data/raw/<id>/ and return the stored file.

    ``base_url``: for ``sipri_api`` sources, the API base (default :data:`SIPRI_API`); for
    ``http`` sources, a scheme and host that replace the catalogue URL's (a mirror).
    ``first_year``/``last_year`` (SIPRI): the delivery years asked for (default: the catalogue's
    ``first_year`` and SIPRI's latest year). ``chunk_years``: years per request. ``workers``:
    requests in flight (at most 3). ``timeout``: seconds to wait for an answer, per request.
    """
    src = sources.source(source_id)
    method = src.fetch.get("method", "manual")
    if method == "sipri_api":
        return _fetch_sipri(
            src,
            base_url=base_url,
            first_year=first_year,
            last_year=last_year,
            chunk_years=chunk_years,
            workers=workers,
            timeout=timeout,
            progress=progress,
        )
    if method == "http":
        return _fetch_http(src, base_url=base_url, timeout=timeout, progress=progress)
    if method == "manual":
        note = src.fetch.get("note", "")
        raise FetchError(
            f"source {src.id} cannot be fetched automatically"
            + (f" ({note})" if note else "")
            + f"; download {Path(src.path).name} from {src.url} and run "
            f"`briefing data import PATH --source {src.id}`"
        )
    raise FetchError(f"source {src.id}: unknown fetch method {method!r} in data/sources.toml; use sipri_api, http or manual")


def fetch_all(ids: Iterable[str] | None = None, **kwargs: Any) -> dict[str, Path | BriefingError]:
    """Fetch several sources (default: every source whose method is not ``manual``), one after
    the other. Returns each id's stored path, or the error that stopped it; one failure does
    not stop the others. ``kwargs`` go to :func:`fetch`."""
    if ids is None:
        ids = [sid for sid, s in sources.catalogue().items() if s.fetch.get("method", "manual") != "manual"]
    out: dict[str, Path | BriefingError] = {}
    for sid in ids:
        try:
            out[sid] = fetch(sid, **kwargs)
        except BriefingError as exc:
            log.warning("fetch %s failed: %s", sid, exc)
            out[sid] = exc
    return out


# --------------------------------------------------------------------------- temp files
def _partial_root() -> Path:
    return sources.raw_dir() / PARTIAL


def _partial_dir(source_id: str) -> Path:
    return _partial_root() / source_id


def _tidy_partial(source_id: str, remove: bool) -> None:
    """Remove the chunk cache of ``source_id`` (``remove``) or only an empty one; then the
    .partial folder itself if nothing else is in it."""
    d = _partial_dir(source_id)
    if remove:
        shutil.rmtree(d, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            d.rmdir()  # only if empty
    with contextlib.suppress(OSError):
        _partial_root().rmdir()


@contextlib.contextmanager
def _temp_path(folder: Path, prefix: str):
    """A temporary file path in ``folder`` (ends in .tmp), removed on exit whatever happens."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


# --------------------------------------------------------------------------- SIPRI API
@dataclasses.dataclass(frozen=True)
class _Chunk:
    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}"


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
            "update analysis/fetch.py, or download the trade register by hand and run `briefing data import`"
        )
    value = payload["bytes"]
    if not isinstance(value, str):
        raise FetchError(
            f"{what}: SIPRI's 'bytes' field is {type(value).__name__}, not base64 text; the API changed: update analysis/fetch.py"
        )
    try:
        return base64.b64decode(re.sub(r"\s+", "", value), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FetchError(
            f"{what}: SIPRI's 'bytes' field is not valid base64 ({_short(exc)}); the answer is damaged: fetch again"
        ) from None


class _Sipri:
    """One fetch of one SIPRI source."""

    def __init__(self, src: sources.Source, base_url: str, timeout: float) -> None:
        self.src = src
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.sessions = _Sessions()
        self.stop = threading.Event()

    @property
    def register_url(self) -> str:
        return self.base + REGISTER_PATH

    def get_json(self, path: str, what: str) -> Any:
        url = self.base + path

        def once() -> Any:
            resp = _http_get_or_post(self.sessions.get(), "GET", url, self.timeout, headers={"Accept": "application/json"})
            return _json(resp, what)

        return _with_retries(once, what, "SIPRI may be busy or down: try again later")

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
            log.warning("could not ask SIPRI for its latest year (%s); assuming %d", _short(exc), year)
            return year

    def supplier_id(self, name: str) -> int:
        """SIPRI's entity id for ``name`` (GET /countries/getAllCountriesTrimmed)."""
        what = "SIPRI getAllCountriesTrimmed"
        entries = self.get_json(COUNTRIES_PATH, what)
        if not isinstance(entries, list):
            raise FetchError(
                f"{what}: expected a list of {{Name, EntityId}}, got {type(entries).__name__}; the API changed: update analysis/fetch.py"
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

    def fetch_chunk(self, chunk: _Chunk, supplier_id: int | None, cache: Path) -> None:
        """POST one chunk, check it, and cache it atomically at ``cache``."""
        what = f"SIPRI API, deliveries {chunk.label}"
        body = register_body(chunk.start, chunk.end, supplier_id)

        def once() -> bytes:
            if self.stop.is_set():
                raise _Cancelled()
            resp = _http_get_or_post(
                self.sessions.get(), "POST", self.register_url, self.timeout, json=body, headers={"Accept": "application/json"}
            )
            return _decode_bytes_field(_json(resp, what), what)

        data = _with_retries(once, what, "SIPRI may be busy or down: try again later (finished chunks are kept and reused)")
        with _temp_path(cache.parent, f".{cache.name}.") as tmp:
            _write_synced(tmp, data)
            _check_chunk(tmp, what)
            os.replace(tmp, cache)


def _check_chunk(path: Path, what: str) -> importers.Imported:
    try:
        return importers.read(path, expected=API_FORMAT)
    except FormatError as exc:
        msg = str(exc).replace(path.name, "the CSV")
        raise FetchError(f"{what}: the answer is not the trade-register CSV expected ({msg})") from None


def _fetch_sipri(
    src: sources.Source,
    *,
    base_url: str | None,
    first_year: int | None,
    last_year: int | None,
    chunk_years: int,
    workers: int,
    timeout: float,
    progress: bool,
) -> Path:
    job = _Sipri(src, base_url or src.fetch.get("base_url") or SIPRI_API, timeout)
    try:
        first = int(first_year if first_year is not None else src.fetch.get("first_year", 1950))
        last = int(last_year) if last_year is not None else job.max_year()
        if last < first:
            raise FetchError(f"source {src.id}: last year {last} is before first year {first}; give years in order")
        supplier = src.fetch.get("supplier")
        supplier_id = job.supplier_id(supplier) if supplier else None

        chunks = [_Chunk(s, e) for s, e in year_chunks(first, last, chunk_years)]
        cache_dir = _partial_dir(src.id)
        cache = {c: cache_dir / f"{c.label}.csv" for c in chunks}
        _run_chunks(job, chunks, cache, supplier_id, workers, progress)
        chunk_data = _load_chunks(chunks, cache)
        # Never join two releases: refetch cached chunks of an older release once.
        stale = _stale_chunks(chunk_data)
        if stale:
            log.warning("cached chunks %s are of an older SIPRI release; fetching them again", ", ".join(c.label for c in stale))
            for c in stale:
                cache[c].unlink(missing_ok=True)
            _run_chunks(job, stale, cache, supplier_id, workers, progress)
            chunk_data = _load_chunks(chunks, cache)
            if _stale_chunks(chunk_data):
                raise FetchError(
                    f"source {src.id}: SIPRI answered with two different releases while fetching; "
                    "a new release is being published: fetch again later"
                )

        merged, generated = _merge(chunk_data, first, last)
        name = f"trade-register_api_{first}-{last}_generated-{generated:%Y-%m-%d}.csv"
        stored_as = dataclasses.replace(src, format=src.fetch.get("format", API_FORMAT))
        with _temp_path(cache_dir, ".merged.") as tmp:
            _write_synced(tmp, merged)
            try:
                dest = sources.store(stored_as, tmp, name, origin=job.register_url)
            except FormatError as exc:
                raise FetchError(
                    f"source {src.id}: the joined chunks do not read as a trade register ({exc}); "
                    f"delete {cache_dir} and fetch again"
                ) from None
        _tidy_partial(src.id, remove=True)
        return dest
    except BaseException:
        _tidy_partial(src.id, remove=False)
        raise
    finally:
        job.sessions.close()


def _run_chunks(
    job: _Sipri, chunks: list[_Chunk], cache: dict[_Chunk, Path], supplier_id: int | None, workers: int, progress: bool
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
    futures: dict[Future[None], _Chunk] = {}
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


@dataclasses.dataclass
class _ChunkData:
    chunk: _Chunk
    text: str
    preamble: list[str]  # lines with their ends, up to the 'Data generated' line
    header: str
    records: list[tuple[tuple[str, str], list[str], str]]  # (deal id, delivery year), fields, raw text
    generated: datetime | None
    release_label: str | None


def _load_chunks(chunks: list[_Chunk], cache: dict[_Chunk, Path]) -> list[_ChunkData]:
    out = []
    for c in chunks:
        what = f"cached SIPRI chunk {cache[c]}"
        try:
            raw = cache[c].read_bytes()
        except OSError as exc:
            raise FetchError(f"{what} cannot be read ({_short(exc)}); delete it and fetch again") from None
        out.append(_split_chunk(c, sipri_importer.decode(raw), what))
    return out


_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def _split_chunk(chunk: _Chunk, text: str, what: str) -> _ChunkData:
    lines = _LINE.findall(text)
    hi = next((i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID,")), None)
    if hi is None:
        raise FetchError(f"{what} has no trade-register header; delete it and fetch again")
    preamble = lines[:hi]
    generated = None
    for ln in preamble:
        m = sipri_importer.GENERATED.match(ln.rstrip("\r\n"))
        if m:
            generated = sipri_importer.parse_generated(m.group(1))
    eol = "\r\n" if lines[hi].endswith("\r\n") else "\n"
    body = lines[hi + 1 :]
    records: list[tuple[tuple[str, str], list[str], str]] = []
    reader = csv.reader(iter(body))
    consumed = 0
    for fields in reader:
        raw = "".join(body[consumed : reader.line_num])
        consumed = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        if not raw.endswith("\n"):
            raw += eol
        key = (fields[0].strip(), fields[10].strip() if len(fields) > 10 else "")
        records.append((key, fields, raw))
    header = lines[hi] if lines[hi].endswith("\n") else lines[hi] + eol
    return _ChunkData(
        chunk, text, preamble, header, records, generated, sipri_importer.release_label(generated) if generated else None
    )


def _stale_chunks(data: list[_ChunkData]) -> list[_Chunk]:
    """Chunks whose release differs from that of the most recently generated chunk."""
    dated = [d for d in data if d.generated is not None]
    if not dated:
        return []
    newest = max(dated, key=lambda d: d.generated)  # type: ignore[arg-type, return-value]
    return [d.chunk for d in data if d.release_label is not None and d.release_label != newest.release_label]


_RANGE = re.compile(r"year range '\d{4}' to '\d{4}'")


def _merge(data: list[_ChunkData], first: int, last: int) -> tuple[bytes, datetime]:
    """One preamble (the newest chunk's, its year range set to first..last) and header, then
    every chunk's rows in order; a row whose (deal id, delivery year) an earlier chunk already
    gave is dropped."""
    dated = [d for d in data if d.generated is not None]
    if not dated:
        raise FetchError("SIPRI's answers have no 'Data generated' line; the API changed: update analysis/fetch.py")
    newest = max(dated, key=lambda d: d.generated)  # type: ignore[arg-type, return-value]
    preamble = [_RANGE.sub(f"year range '{first}' to '{last}'", ln) for ln in newest.preamble]
    out = io.StringIO()
    out.writelines(preamble)
    out.write(newest.header)
    seen: dict[tuple[str, str], list[str]] = {}
    dropped = conflicts = 0
    for d in data:
        mine: set[tuple[str, str]] = set()
        for key, fields, raw in d.records:
            if key in seen and key not in mine:
                dropped += 1
                if [f.strip() for f in seen[key]] != [f.strip() for f in fields]:
                    conflicts += 1
                continue
            seen.setdefault(key, fields)
            mine.add(key)
            out.write(raw)
    if dropped:
        log.info("dropped %d rows repeated across chunk edges", dropped)
    if conflicts:
        log.warning("%d rows repeated across chunk edges differed from the first copy; kept the first", conflicts)
    return out.getvalue().encode("utf-8"), newest.generated  # type: ignore[return-value]


# --------------------------------------------------------------------------- plain downloads
def _mirror(url: str, base_url: str | None) -> str:
    """``url`` with its scheme and host replaced by ``base_url``'s (path and query kept)."""
    if not base_url:
        return url
    b, u = urlsplit(base_url), urlsplit(url)
    path = b.path.rstrip("/") + u.path
    return urlunsplit((b.scheme, b.netloc, path, u.query, ""))


def _download(session: requests.Session, url: str, dest: Path, timeout: float, progress: bool, label: str) -> None:
    """Stream ``url`` into ``dest``; _Transient on a short body or a dropped connection."""
    with _request_errors("GET", url, timeout), session.get(url, stream=True, timeout=timeout) as resp:
        _check_status(resp, "GET", url)
        expected = resp.headers.get("Content-Length")
        expected_n = int(expected) if expected and expected.isdigit() else None
        bar = None
        if progress:
            with contextlib.suppress(ImportError):
                from tqdm import tqdm

                bar = tqdm(total=expected_n, desc=f"fetch {label}", unit="B", unit_scale=True, leave=False)
        try:
            with open(dest, "wb") as fh:
                for block in resp.iter_content(1 << 16):
                    fh.write(block)
                    if bar is not None:
                        bar.update(len(block))
                fh.flush()
                os.fsync(fh.fileno())
        finally:
            if bar is not None:
                bar.close()
        got = resp.raw.tell() if hasattr(resp.raw, "tell") else dest.stat().st_size
        if expected_n is not None and got < expected_n:
            raise _Transient(f"truncated download: {got} of {expected_n} bytes")


def _unzip(archive: Path, out: Path, member: str | None, prefix: str | None, what: str) -> str:
    """Extract one member of ``archive`` into ``out``; return the member's base name."""
    if not zipfile.is_zipfile(archive):
        raise FetchError(f"{what}: expected a zip archive, got something else; the download address may have changed")
    with zipfile.ZipFile(archive) as zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        if member:
            hits = [n for n in names if n == member or Path(n).name == member]
        else:
            hits = [n for n in names if Path(n).name.startswith(prefix or "")]
        if len(hits) != 1:
            want = member or f"{prefix}*"
            raise FetchError(
                f"{what}: the zip holds {len(hits)} files matching {want!r} (it has: {', '.join(names[:6])}); "
                "fix member/member_prefix in data/sources.toml"
            )
        try:
            with zf.open(hits[0]) as fin, open(out, "wb") as fout:
                shutil.copyfileobj(fin, fout)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise FetchError(f"{what}: the zip is damaged ({_short(exc)}); fetch again") from None
        return Path(hits[0]).name


def _fetch_http(src: sources.Source, *, base_url: str | None, timeout: float, progress: bool) -> Path:
    url = src.fetch.get("url")
    if not url:
        raise FetchError(f"source {src.id}: method http but no url in its fetch table; add one to data/sources.toml")
    url = _mirror(url, base_url)
    what = f"download of {src.id}"
    member, prefix = src.fetch.get("member"), src.fetch.get("member_prefix")
    sessions = _Sessions()
    folder = _partial_dir(src.id)
    try:
        with _temp_path(folder, ".download.") as tmp:
            _with_retries(
                lambda: _download(sessions.get(), url, tmp, timeout, progress, src.id),
                what,
                f"the publisher may be busy or down: try again later, or download {url} by hand "
                f"and run `briefing data import PATH --source {src.id}`",
            )
            if member or prefix:
                with _temp_path(folder, ".member.") as extracted:
                    name = _unzip(tmp, extracted, member, prefix, what)
                    return _store(src, extracted, name, f"{url} ({name})")
            return _store(src, tmp, Path(src.path).name, url)
    finally:
        sessions.close()
        _tidy_partial(src.id, remove=False)


def _store(src: sources.Source, tmp: Path, name: str, origin: str) -> Path:
    try:
        return sources.store(src, tmp, name, origin=origin)
    except FormatError as exc:
        raise FetchError(
            f"source {src.id}: the download is not the file expected ({exc}); the publisher may have changed it: check {origin}"
        ) from None
