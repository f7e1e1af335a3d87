"""The ``http`` method: a plain download from the URL in the source's fetch table.

The body is streamed to a temporary file (its Content-Length checked: a short body is
retried), optionally one member of a zip archive is extracted (``member``, or the one whose
name starts with ``member_prefix``), and the file is stored with :func:`analysis.sources.store`,
which checks its format. ``base_url`` replaces the URL's scheme and host (a mirror).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

from analysis import sources
from analysis.errors import FetchError, FormatError
from analysis.fetch.core import (
    RetryPolicy,
    Sessions,
    Transient,
    check_status,
    partial_dir,
    request_errors,
    short,
    temp_path,
    tidy_partial,
    with_retries,
)


def _mirror(url: str, base_url: str | None) -> str:
    """``url`` with its scheme and host replaced by ``base_url``'s (path and query kept)."""
    if not base_url:
        return url
    b, u = urlsplit(base_url), urlsplit(url)
    path = b.path.rstrip("/") + u.path
    return urlunsplit((b.scheme, b.netloc, path, u.query, ""))


def _download(session: requests.Session, url: str, dest: Path, timeout: float, progress: bool, label: str) -> None:
    """Stream ``url`` into ``dest``; Transient on a short body or a dropped connection."""
    with request_errors("GET", url, timeout), session.get(url, stream=True, timeout=timeout) as resp:
        check_status(resp, "GET", url)
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
            raise Transient(f"truncated download: {got} of {expected_n} bytes")


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
            raise FetchError(f"{what}: the zip is damaged ({short(exc)}); fetch again") from None
        return Path(hits[0]).name


def fetch_http(src: sources.Source, *, base_url: str | None, timeout: float, progress: bool, retry: RetryPolicy) -> Path:
    """Fetch an ``http`` source (see the module docstring; the arguments are
    :func:`analysis.fetch.fetch`'s) and return the stored file."""
    url = src.fetch.get("url")
    if not url:
        raise FetchError(f"source {src.id}: method http but no url in its fetch table; add one to data/sources.toml")
    url = _mirror(url, base_url)
    what = f"download of {src.id}"
    member, prefix = src.fetch.get("member"), src.fetch.get("member_prefix")
    sessions = Sessions()
    folder = partial_dir(src.id)
    try:
        with temp_path(folder, ".download.") as tmp:
            with_retries(
                lambda: _download(sessions.get(), url, tmp, timeout, progress, src.id),
                what,
                f"the publisher may be busy or down: try again later, or download {url} by hand "
                f"and run `briefing data import PATH --source {src.id}`",
                retry,
            )
            if member or prefix:
                with temp_path(folder, ".member.") as extracted:
                    name = _unzip(tmp, extracted, member, prefix, what)
                    return _store(src, extracted, name, f"{url} ({name})")
            return _store(src, tmp, Path(src.path).name, url)
    finally:
        sessions.close()
        tidy_partial(src.id, remove=False)


def _store(src: sources.Source, tmp: Path, name: str, origin: str) -> Path:
    try:
        return sources.store(src, tmp, name, origin=origin)
    except FormatError as exc:
        raise FetchError(
            f"source {src.id}: the download is not the file expected ({exc}); the publisher may have changed it: check {origin}"
        ) from None
