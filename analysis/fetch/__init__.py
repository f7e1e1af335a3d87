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

One module per job; the public names below are re-exported here, so callers write
``fetch.fetch(source_id)``:

* :mod:`~analysis.fetch.core`: requests with retries, sessions, temporary files;
* :mod:`~analysis.fetch.sipri`: the ``sipri_api`` method (chunked requests, resumable);
* :mod:`~analysis.fetch.chunks`: joining SIPRI's chunks into one register (no network);
* :mod:`~analysis.fetch.downloads`: the ``http`` method.

This module holds :func:`fetch` (one source, by its method), :func:`fetch_all` and
:data:`RETRY`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from analysis import sources
from analysis.errors import BriefingError, FetchError
from analysis.fetch.core import PARTIAL, USER_AGENT, RetryPolicy
from analysis.fetch.downloads import fetch_http
from analysis.fetch.sipri import (
    API_FORMAT,
    COUNTRIES_PATH,
    MAX_WORKERS,
    MAX_YEAR_PATH,
    REGISTER_PATH,
    SIPRI_API,
    fetch_sipri,
    register_body,
    year_chunks,
)

__all__ = [
    "API_FORMAT",
    "COUNTRIES_PATH",
    "MAX_WORKERS",
    "MAX_YEAR_PATH",
    "PARTIAL",
    "REGISTER_PATH",
    "RETRY",
    "SIPRI_API",
    "USER_AGENT",
    "RetryPolicy",
    "fetch",
    "fetch_all",
    "register_body",
    "year_chunks",
]

log = logging.getLogger(__name__)

#: The retry policy every request uses, read when a fetch starts (``briefing data fetch
#: --retries`` sets it). Tests replace it with a tiny one.
RETRY = RetryPolicy()


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
        return fetch_sipri(
            src,
            base_url=base_url,
            first_year=first_year,
            last_year=last_year,
            chunk_years=chunk_years,
            workers=workers,
            timeout=timeout,
            progress=progress,
            retry=RETRY,
        )
    if method == "http":
        return fetch_http(src, base_url=base_url, timeout=timeout, progress=progress, retry=RETRY)
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
