"""Joining SIPRI's year chunks into one trade register: the text work of the ``sipri_api``
method (:mod:`analysis.fetch.sipri`), without the network.

* :class:`Chunk`: the delivery years one request asks for; :class:`ChunkData`: its cached
  CSV split into preamble, header and records, keyed by (deal id, delivery year).
* :func:`load_chunks`: the cached chunks, read and split.
* :func:`stale_chunks`: the chunks of an older release than the newest chunk's, to be fetched
  again: two releases are never joined.
* :func:`merge`: one preamble (the newest chunk's, its year range set to the whole range) and
  header, then every chunk's rows in order; rows repeated across chunk edges are dropped.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import re
from datetime import datetime
from pathlib import Path

from analysis.errors import FetchError
from analysis.fetch.core import short
from analysis.importers import sipri as sipri_importer

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Chunk:
    """The delivery years [start, end] that one request asks for."""

    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}"


@dataclasses.dataclass
class ChunkData:
    """A cached chunk's CSV, split into its preamble, header and records."""

    chunk: Chunk
    text: str
    preamble: list[str]  # lines with their ends, up to the 'Data generated' line
    header: str
    records: list[tuple[tuple[str, str], list[str], str]]  # (deal id, delivery year), fields, raw text
    generated: datetime | None
    release_label: str | None


def load_chunks(chunks: list[Chunk], cache: dict[Chunk, Path]) -> list[ChunkData]:
    """Each chunk's cached CSV (``cache[chunk]``), read and split; FetchError if one cannot be."""
    out = []
    for c in chunks:
        what = f"cached SIPRI chunk {cache[c]}"
        try:
            raw = cache[c].read_bytes()
        except OSError as exc:
            raise FetchError(f"{what} cannot be read ({short(exc)}); delete it and fetch again") from None
        out.append(_split_chunk(c, sipri_importer.decode(raw), what))
    return out


_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def _split_chunk(chunk: Chunk, text: str, what: str) -> ChunkData:
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
    return ChunkData(
        chunk, text, preamble, header, records, generated, sipri_importer.release_label(generated) if generated else None
    )


def stale_chunks(data: list[ChunkData]) -> list[Chunk]:
    """Chunks whose release differs from that of the most recently generated chunk."""
    dated = [d for d in data if d.generated is not None]
    if not dated:
        return []
    newest = max(dated, key=lambda d: d.generated)  # type: ignore[arg-type, return-value]
    return [d.chunk for d in data if d.release_label is not None and d.release_label != newest.release_label]


_RANGE = re.compile(r"year range '\d{4}' to '\d{4}'")


def merge(data: list[ChunkData], first: int, last: int) -> tuple[bytes, datetime]:
    """One preamble (the newest chunk's, its year range set to first..last) and header, then
    every chunk's rows in order; a row whose (deal id, delivery year) an earlier chunk already
    gave is dropped."""
    dated = [d for d in data if d.generated is not None]
    if not dated:
        raise FetchError("SIPRI's answers have no 'Data generated' line; the API changed: update analysis/fetch/chunks.py")
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
