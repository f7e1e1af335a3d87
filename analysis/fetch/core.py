"""The HTTP core every fetcher shares: requests with retries, one session per thread, and
temporary files that never land half-written.

* :class:`RetryPolicy` and :func:`with_retries`: failed requests (429, 5xx, timeouts, dropped
  connections, truncated bodies: :class:`Transient`) are tried again with exponential backoff;
  a 429's Retry-After is honoured. When the tries run out, a one-line
  :class:`~analysis.errors.FetchError` names them and the last failure.
* :func:`http_get_or_post`, :func:`request_errors`, :func:`check_status`: one request, and
  how requests' exceptions and HTTP status codes become Transient or FetchError.
* :class:`Sessions`: one ``requests.Session`` per worker thread, sent with :data:`USER_AGENT`.
* :func:`partial_dir`, :func:`tidy_partial`: data/raw/.partial/<id>/, where an unfinished
  fetch keeps what it has; :func:`temp_path`, :func:`write_synced`: temporary files, removed
  whatever happens.
"""

from __future__ import annotations

import contextlib
import dataclasses
import email.utils
import functools
import os
import random
import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import tenacity

from analysis import sources
from analysis.errors import FetchError

USER_AGENT = "arms-briefings/0.1 (+research; polite)"
PARTIAL = ".partial"  # data/raw/.partial/<id>/: finished chunks of an unfinished fetch


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    """``attempts`` tries in all; waits ``backoff * 2**(n-1)`` seconds (capped at
    ``max_backoff``, with up to 10% jitter) after the n-th failure; a 429's Retry-After is
    honoured up to ``max_retry_after`` seconds."""

    attempts: int = 5
    backoff: float = 2.0
    max_backoff: float = 60.0
    max_retry_after: float = 300.0


# --------------------------------------------------------------------------- errors and retries
class Transient(Exception):
    """A failure worth retrying: 429, 5xx, a timeout, a dropped connection, a short body."""

    def __init__(self, what: str, retry_after: float | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after = retry_after


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


def _wait(policy: RetryPolicy, state: tenacity.RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, Transient) and exc.retry_after is not None:
        return min(exc.retry_after, policy.max_retry_after)
    base = min(policy.max_backoff, policy.backoff * 2 ** (state.attempt_number - 1))
    return base * (1 + 0.1 * random.random())


def with_retries(call: Callable[[], Any], what: str, advice: str, policy: RetryPolicy) -> Any:
    """Run ``call`` with ``policy`` (:data:`analysis.fetch.RETRY`, read when a fetch starts);
    FetchError naming the tries and the last failure when they run out."""
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(max(1, policy.attempts)),
        wait=functools.partial(_wait, policy),
        retry=tenacity.retry_if_exception_type(Transient),
        reraise=True,
    )
    try:
        return retrying(call)
    except Transient as exc:
        tries = retrying.statistics.get("attempt_number", policy.attempts)
        raise FetchError(f"{what}: gave up after {tries} tries (last: {exc.what}); {advice}") from None


@contextlib.contextmanager
def request_errors(method: str, url: str, timeout: float) -> Any:
    """Map requests' exceptions: timeouts, dropped connections and cut bodies are transient
    (retried); anything else is a FetchError naming the request."""
    try:
        yield
    except requests.Timeout:
        raise Transient(f"no answer within {timeout:g} s (timeout)") from None
    except requests.exceptions.ChunkedEncodingError as exc:
        raise Transient(f"truncated download ({short(exc)})") from None
    except requests.ConnectionError as exc:
        raise Transient(f"connection failed ({short(exc)})") from None
    except requests.RequestException as exc:
        raise FetchError(f"{method} {url} failed: {short(exc)}; check the URL") from None


def http_get_or_post(session: requests.Session, method: str, url: str, timeout: float, **kwargs: Any) -> requests.Response:
    """One request; transient failures become Transient, a 4xx a FetchError."""
    with request_errors(method, url, timeout):
        resp = session.request(method, url, timeout=timeout, **kwargs)
    check_status(resp, method, url)
    return resp


def check_status(resp: requests.Response, method: str, url: str) -> None:
    code = resp.status_code
    if code == 429:
        raise Transient("HTTP 429 Too Many Requests", _retry_after(resp.headers.get("Retry-After")))
    if code >= 500 or code == 408:
        raise Transient(f"HTTP {code} {resp.reason or ''}".strip())
    if code >= 400:
        raise FetchError(
            f"{method} {url} answered HTTP {code} {resp.reason or ''}; the address may have moved or "
            "the request is refused: check the catalogue's fetch table in data/sources.toml"
        )


def short(exc: BaseException, limit: int = 160) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------- sessions
class Sessions:
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


# --------------------------------------------------------------------------- temp files
def _partial_root() -> Path:
    return sources.raw_dir() / PARTIAL


def partial_dir(source_id: str) -> Path:
    return _partial_root() / source_id


def tidy_partial(source_id: str, remove: bool) -> None:
    """Remove the chunk cache of ``source_id`` (``remove``) or only an empty one; then the
    .partial folder itself if nothing else is in it."""
    d = partial_dir(source_id)
    if remove:
        shutil.rmtree(d, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            d.rmdir()  # only if empty
    with contextlib.suppress(OSError):
        _partial_root().rmdir()


@contextlib.contextmanager
def temp_path(folder: Path, prefix: str):
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


def write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
