"""The catalogue of sources, where each source's file is found, and its metadata records.

Where a source is looked for, in order:

1. ``data/raw/<id>/``: a copy imported with ``briefing data import`` or fetched with
   ``briefing data fetch``, beside its metadata record ``<file>.meta.json`` (the newest record
   wins). Its sha256 is checked against the record: a file changed since is refused.
2. The exports folder: ``$BRIEFING_DATA_DIR``, or ``../shared/data`` beside the checkout when
   that folder exists, at the catalogue's ``path``. Files there are read in place, never copied
   into the repository.

``BRIEFING_RAW_DIR`` moves ``data/raw`` (the tests use it to work in a temporary folder).
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from analysis import atomic, importers, paths
from analysis.errors import ChecksumError, FormatError, MissingSourceError

ROOT = paths.ROOT
CATALOGUE = paths.CATALOGUE
META_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class Source:
    """One catalogue entry (see data/sources.toml)."""

    id: str
    publisher: str
    title: str
    role: str
    url: str
    licence: str
    credit: str
    path: str
    format: str
    sha256: str
    fetch: dict[str, Any]
    version: str = ""
    #: The title and licence in French, for a French briefing's appendix (empty: as in English).
    title_fr: str = ""
    licence_fr: str = ""
    credit_fr: str = ""


@dataclass(frozen=True)
class Located:
    """Where a source's file was found: ``origin`` is "raw" or "exports"; ``record`` is the
    metadata record for a raw copy (None for a file read in place)."""

    source: Source
    path: Path
    origin: str
    record: dict[str, Any] | None


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Source]:
    """All sources, by id, in catalogue order."""
    with open(CATALOGUE, "rb") as fh:
        raw = tomllib.load(fh)
    return {
        sid: Source(
            id=sid,
            publisher=e["publisher"],
            title=e["title"],
            role=e.get("role", ""),
            url=e["url"],
            licence=e["licence"],
            credit=e["credit"],
            path=e["path"],
            format=e["format"],
            sha256=e.get("sha256", ""),
            fetch=dict(e.get("fetch", {})),
            version=e.get("version", ""),
            title_fr=e.get("title_fr", ""),
            licence_fr=e.get("licence_fr", ""),
            credit_fr=e.get("credit_fr", ""),
        )
        for sid, e in raw.items()
    }


def localised(entry: Source, field: str) -> str:
    """A catalogue entry's ``title``, ``licence`` or ``credit`` in the current language
    (``title_fr`` in French), or as written where the catalogue has no translation."""
    from analysis.i18n import language

    if language() != "en":
        text = getattr(entry, f"{field}_{language()}", "")
        if text:
            return str(text)
    return str(getattr(entry, field))


def source(source_id: str) -> Source:
    """The catalogue entry for ``source_id``; MissingSourceError naming the known ids if absent."""
    cat = catalogue()
    if source_id not in cat:
        raise MissingSourceError(f"no source {source_id!r} in data/sources.toml; known sources: {', '.join(cat)}")
    return cat[source_id]


raw_dir = paths.raw_dir
exports_dir = paths.exports_dir


def records(source_id: str) -> list[tuple[Path, dict[str, Any]]]:
    """The metadata records in data/raw/<id>/, newest first, as (data file, record)."""
    folder = raw_dir() / source_id
    if not folder.is_dir():
        return []
    out = []
    for meta in folder.glob(f"*{META_SUFFIX}"):
        try:
            rec = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise FormatError(f"{meta}: unreadable metadata record ({exc}); delete it and import the source again") from None
        out.append((meta.with_name(meta.name[: -len(META_SUFFIX)]), rec))
    # Newest first: by retrieval time, then by the record file's modification time.
    out.sort(key=lambda pr: (pr[1].get("retrieved", ""), _mtime(pr[0].with_name(pr[0].name + META_SUFFIX))), reverse=True)
    return out


def _mtime(p: Path) -> int:
    try:
        return p.stat().st_mtime_ns
    except OSError:
        return 0


def formats_for(src: Source) -> set[str]:
    """Formats a source may come in: the export's, and the fetched copy's when the publisher
    serves another layout (SIPRI's API)."""
    return {src.format, src.fetch.get("format", src.format)}


def verify(path: Path, record: dict[str, Any]) -> None:
    """ChecksumError if ``path`` is missing or its sha256 differs from ``record``."""
    if not path.exists():
        raise MissingSourceError(
            f"{path} is listed in its metadata record but missing; run `briefing data import` or `briefing data fetch {record.get('source', '')}` again"
        )
    digest = atomic.sha256_file(path)
    if digest != record.get("sha256"):
        raise ChecksumError(
            f"{path.name}: sha256 {digest[:12]}... does not match its record {str(record.get('sha256'))[:12]}...; "
            f"the file changed after it was imported: import or fetch {record.get('source', 'it')} again"
        )


def locate(source_id: str, check: bool = True) -> Located:
    """Find the file for ``source_id`` (data/raw first, then the exports folder)."""
    src = source(source_id)
    recs = records(source_id)
    if recs:
        path, rec = recs[0]
        if check:
            verify(path, rec)
        return Located(src, path, "raw", rec)
    exp = exports_dir()
    if exp is not None:
        candidate = exp / src.path
        if candidate.exists():
            return Located(src, candidate, "exports", None)
    where = f"{exp}" if exp is not None else "no exports folder (set BRIEFING_DATA_DIR)"
    how = (
        f"run `briefing data fetch {source_id}`"
        if src.fetch.get("method") not in (None, "manual")
        else f"download it from {src.url} and run `briefing data import PATH --source {source_id}`"
    )
    raise MissingSourceError(
        f"source {source_id} ({src.path}) not found in {raw_dir()} or {where}; {how}, or set BRIEFING_DATA_DIR to a folder of exports"
    )


def make_record(
    src: Source, path: Path, imported: importers.Imported, origin: str, retrieved: datetime | None = None
) -> dict[str, Any]:
    """A metadata record in the style of Our World in Data's snapshot files."""
    return {
        "source": src.id,
        "file": path.name,
        "format": imported.format,
        "publisher": src.publisher,
        "title": src.title,
        "url": src.url,
        "licence": src.licence,
        "credit": src.credit,
        "release": imported.release,
        "release_label": imported.meta.get("release_label"),
        "retrieved": (retrieved or datetime.now(UTC)).isoformat(timespec="microseconds"),
        "origin": origin,
        "sha256": atomic.sha256_file(path),
        "size": path.stat().st_size,
        "rows": imported.rows,
    }


def match_source(path: Path, fmt: str) -> str:
    """Guess the source id of an export by its file name, else by its format when only one
    source has that format."""
    cat = catalogue()
    by_name = [s.id for s in cat.values() if Path(s.path).name == path.name]
    if len(by_name) == 1:
        return by_name[0]
    by_format = [s.id for s in cat.values() if s.format == fmt]
    if len(by_format) == 1:
        return by_format[0]
    raise FormatError(
        f"{path.name}: cannot tell which source this {fmt} file is; name it with --source (one of: {', '.join(by_format or cat)})"
    )


def store(src: Source, tmp_file: Path, name: str, origin: str) -> Path:
    """Validate ``tmp_file`` with the source's importer, then move it to data/raw/<id>/<name>
    and write its record. The data file and its record are each replaced atomically; nothing
    is written if the file does not parse."""
    imported = importers.read(tmp_file, expected=src.format)
    dest_dir = raw_dir() / src.id
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / name
    staged = dest_dir / f".{name}.staged"
    shutil.copyfile(tmp_file, staged)
    os.replace(staged, dest)
    rec = make_record(src, dest, imported, origin)
    atomic.write_json(dest.with_name(dest.name + META_SUFFIX), rec)
    return dest


def import_file(path: str | os.PathLike[str], source_id: str | None = None) -> Path:
    """Copy an export into data/raw/<id>/ with its metadata record; return the stored path.

    The file is read and validated first; a file of the wrong shape is refused before anything
    is written."""
    p = Path(path)
    if not p.is_file():
        raise MissingSourceError(f"{p}: no such file; give the path of a downloaded export")
    fmt = importers.detect(p)
    sid = source_id or match_source(p, fmt)
    src = source(sid)
    if fmt not in formats_for(src):
        raise FormatError(f"{p.name}: expected {importers.describe(src.format)} for source {sid}, got {importers.describe(fmt)}")
    return store(dataclasses.replace(src, format=fmt), p, p.name, str(p.resolve()))


def status() -> list[dict[str, Any]]:
    """One row per catalogue source: present or missing, where, file, release, rows, sha256,
    whether it matches the catalogue's checksum, licence and credit line."""
    rows = []
    for sid, src in catalogue().items():
        row: dict[str, Any] = {"source": sid, "publisher": src.publisher, "licence": src.licence, "credit": src.credit}
        try:
            loc = locate(sid)
        except MissingSourceError as exc:
            row.update(
                state="missing", file=src.path, release=None, rows=None, sha256=None, matches_catalogue=None, note=str(exc)
            )
            rows.append(row)
            continue
        except (ChecksumError, FormatError) as exc:
            row.update(
                state="damaged", file=src.path, release=None, rows=None, sha256=None, matches_catalogue=None, note=str(exc)
            )
            rows.append(row)
            continue
        if loc.record is not None:
            rec = loc.record
            row.update(
                state="raw",
                file=str(loc.path),
                release=rec.get("release"),
                rows=rec.get("rows"),
                sha256=rec.get("sha256"),
                note=rec.get("origin"),
            )
        else:
            try:
                imp = importers.read(loc.path, expected=src.format)
                row.update(
                    state="exports",
                    file=str(loc.path),
                    release=imp.release,
                    rows=imp.rows,
                    sha256=atomic.sha256_file(loc.path) if loc.path.is_file() else None,
                    note="read in place",
                )
            except FormatError as exc:
                row.update(state="damaged", file=str(loc.path), release=None, rows=None, sha256=None, note=str(exc))
        row["matches_catalogue"] = (row.get("sha256") == src.sha256) if src.sha256 and row.get("sha256") else None
        rows.append(row)
    return rows
