"""The content-addressed cache of build stages, under ``paths.cache_dir()/stages/``.

An *entry* is a folder of files (and a ``meta.json``) named by the sha256 of everything that
can change them. Three kinds share one store, one size limit and one eviction:

* ``stage``: one notebook's outputs (its HTML fragment, its key-figures JSON, its chart CSVs),
  keyed by :func:`stage_key`: the notebook file, the parameters it reads
  (``stages.NOTEBOOK_READS``), the engine, and the :class:`Fingerprint` of the inputs;
* ``pdf``: a PDF keyed by the sha256 of its HTML (and the PDF code and libraries);
* ``build``: a whole build's published files keyed by the request as given (unresolved
  parameters, formats, name, claims files) and the fingerprint, so that a build with nothing
  changed is a copy, without pandas, workers or WeasyPrint; and ``params``: the resolved
  parameters of a request (so a build knows its stage keys before any worker starts).

The :class:`Fingerprint` covers the code (``analysis/**/*.py`` and every template), the
notebooks, the curated tables, the claims files, the source catalogue, every source file in the
raw folder and the exports folder (content sha256, memoised by size, mtime and inode in
``stages/digests.json``), the installed distributions (the names of their ``*.dist-info``
folders carry the versions of pandas, matplotlib, nbconvert, WeasyPrint...), the Python version
and ``SOURCE_DATE_EPOCH``. A change to any of them gives new keys: old entries are never read
again and age out.

Concurrency: an entry is written in ``stages/.tmp/`` and renamed into place in one step, so a
reader sees a whole entry or none; a stage is computed under a per-key file lock
(:func:`computing`), so two workers that need the same stage compute it once; eviction holds
``stages/.evict.lock`` and renames an entry away before deleting it. A reader that loses a race
with eviction treats the entry as a miss. Size: at most ``BRIEFING_STAGE_CACHE_MB`` (default
500) MB; past it the least recently used entries are removed down to 80 % of it (a hit touches
the entry's ``meta.json``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import secrets
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from analysis import paths

DEFAULT_LIMIT_MB = 500
META = "meta.json"
#: What a stage entry's key is made of, besides the notebook and its parameters: bump to
#: invalidate every entry after a change in how entries are written.
FORMAT = 1


def root() -> Path:
    """The folder of the stage cache."""
    return paths.cache_dir() / "stages"


def limit_bytes() -> int:
    try:
        return int(float(os.environ.get("BRIEFING_STAGE_CACHE_MB", DEFAULT_LIMIT_MB)) * 1e6)
    except ValueError:
        return DEFAULT_LIMIT_MB * 1_000_000


def _sha(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- the fingerprint
class Digests:
    """Content sha256 of files, memoised on disk by (size, mtime, inode)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed = False
        try:
            self.memo: dict[str, list[Any]] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.memo = {}

    def of(self, p: Path) -> str:
        st = p.stat()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
        key = str(p)
        hit = self.memo.get(key)
        if hit and hit[:3] == stamp:
            return str(hit[3])
        h = hashlib.sha256()
        with open(p, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        self.memo[key] = [*stamp, h.hexdigest()]
        self.changed = True
        return h.hexdigest()

    def save(self) -> None:
        if self.changed:
            with contextlib.suppress(OSError):
                from analysis import atomic

                atomic.write_text(self.path, json.dumps(self.memo))
            self.changed = False


def _files(folder: Path | None, pattern: str = "**/*") -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("."))


def _hash_files(files: Iterable[Path], base: Path, digests: Digests | None = None) -> str:
    h = hashlib.sha256()
    for p in files:
        with contextlib.suppress(ValueError):
            p = p.relative_to(base)
        full = base / p if not p.is_absolute() else p
        h.update(str(p).encode("utf-8") + b"\0")
        h.update((digests.of(full) if digests else hashlib.sha256(full.read_bytes()).hexdigest()).encode("ascii"))
    return h.hexdigest()


def _distributions() -> list[str]:
    names: set[str] = set()
    for entry in sys.path:
        if entry.endswith(("site-packages", "dist-packages")) and os.path.isdir(entry):
            with contextlib.suppress(OSError):
                names.update(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
    return sorted(names)


@dataclasses.dataclass(frozen=True)
class Fingerprint:
    """Digests of every input of a build but the parameters (see the module's docstring)."""

    code: str
    curated: str
    claims: str
    data: str
    libraries: str
    notebooks: Mapping[str, str]

    @property
    def inputs(self) -> str:
        """One digest of everything but the notebooks."""
        return _sha(self.code, self.curated, self.claims, self.data, self.libraries)


def fingerprint(notebooks: Iterable[Path]) -> Fingerprint:
    """The inputs' digests now (a few milliseconds when the source files' digests are memoised)."""
    digests = Digests(root() / "digests.json")
    pkg = paths.PACKAGE
    code = _hash_files(_files(pkg), pkg)  # the modules, the templates, any data file beside them
    curated = _hash_files([paths.CATALOGUE, *_files(paths.CURATED)], paths.DATA)
    claims = _hash_files(_files(paths.CLAIMS), paths.DATA)
    data = _sha([(str(d), _hash_files(_files(d), d, digests)) for d in (paths.raw_dir(), paths.exports_dir()) if d])
    libraries = _sha(sys.version, _distributions(), os.environ.get("SOURCE_DATE_EPOCH"))
    nbs = {Path(n).stem: hashlib.sha256(Path(n).read_bytes()).hexdigest() for n in notebooks}
    digests.save()
    return Fingerprint(code, curated, claims, data, libraries, nbs)


# --------------------------------------------------------------------------- keys
def stage_key(stem: str, fp: Fingerprint, reads: Mapping[str, Any], engine: str) -> str:
    """The key of a notebook's outputs: the notebook, the parameters it reads, the engine, the
    inputs."""
    return _sha("stage", FORMAT, stem, fp.notebooks[stem], dict(reads), engine, fp.inputs)


def params_key(request: Mapping[str, Any], fp: Fingerprint) -> str:
    """The key of the resolved parameters of ``request`` (the values as given)."""
    return _sha("params", FORMAT, dict(request).get("values"), fp.inputs)


def build_key(request: Mapping[str, Any], fp: Fingerprint) -> str:
    """The key of a whole build's outputs: the request as given (values, formats, name,
    engine, claims files with their content) and every input."""
    return _sha("build", FORMAT, dict(request), fp.inputs, dict(fp.notebooks))


def pdf_key(html: str) -> str:
    """The key of a PDF: its HTML, and the code and libraries that lay it out."""
    pdf_code = (Path(__file__).parent / "pdf.py").read_bytes()
    return _sha(
        "pdf",
        FORMAT,
        hashlib.sha256(html.encode("utf-8")).hexdigest(),
        hashlib.sha256(pdf_code).hexdigest(),
        sys.version,
        _distributions(),
    )


# --------------------------------------------------------------------------- entries
def entry(key: str) -> Path:
    return root() / key[:2] / key


def lookup(key: str) -> dict[str, Any] | None:
    """The entry's meta (with ``dir``) if it is whole, else None; a hit counts as a use."""
    d = entry(key)
    meta_path = d / META
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not all((d / f).is_file() for f in meta.get("files", [])):
            return None
        os.utime(meta_path)  # least recently used eviction goes by this time
    except (OSError, ValueError):
        return None
    meta["dir"] = d
    return meta


def restore(key: str, dest: Path, rename: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """Copy the entry's files into ``dest`` (``rename``: cached name -> name in ``dest``);
    its meta, or None (a miss) when there is no whole entry."""
    meta = lookup(key)
    if meta is None:
        return None
    rename = rename or {}
    try:
        for f in meta.get("files", []):
            target = Path(dest) / rename.get(f, f)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(meta["dir"] / f, target)
    except OSError:
        return None  # evicted while being read
    return meta


def store(key: str, files: Mapping[str, Path], kind: str, **info: Any) -> bool:
    """Store ``files`` (name in the entry -> file now) as the entry ``key``, atomically;
    False when the cache cannot be written (the build goes on uncached)."""
    final = entry(key)
    if (final / META).is_file():
        return True
    tmp = root() / ".tmp" / f"{key[:16]}-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        tmp.mkdir(parents=True)
        size = 0
        for name, src in files.items():
            target = tmp / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
            size += target.stat().st_size
        meta = {"kind": kind, "key": key, "files": sorted(files), "bytes": size, "created": time.time(), **info}
        (tmp / META).write_text(json.dumps(meta, default=str), encoding="utf-8")
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(tmp, final)
        except OSError:  # written meanwhile by another process: the same content
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return False
    evict()
    return True


def entries() -> list[tuple[float, int, Path]]:
    """(last use, bytes, folder) of every entry."""
    out: list[tuple[float, int, Path]] = []
    base = root()
    if not base.is_dir():
        return out
    for shard in base.iterdir():
        if not shard.is_dir() or shard.name.startswith("."):
            continue
        for d in shard.iterdir():
            with contextlib.suppress(OSError, ValueError):
                m = d / META
                out.append((m.stat().st_mtime, int(json.loads(m.read_text(encoding="utf-8")).get("bytes", 0)), d))
    return out


def size_bytes() -> int:
    return sum(b for _, b, _ in entries())


def _remove(d: Path) -> None:
    trash = root() / ".tmp" / f"trash-{d.name[:16]}-{secrets.token_hex(4)}"
    try:
        trash.parent.mkdir(parents=True, exist_ok=True)
        os.rename(d, trash)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)


def evict(limit: int | None = None) -> int:
    """Remove the least recently used entries while the cache is over ``limit`` bytes (down
    to 80 % of it); the number removed."""
    limit = limit_bytes() if limit is None else limit
    found = entries()
    total = sum(b for _, b, _ in found)
    if total <= limit:
        return 0
    from filelock import FileLock, Timeout

    removed = 0
    try:
        with FileLock(str(root() / ".evict.lock"), timeout=10):
            found = sorted(entries())
            total = sum(b for _, b, _ in found)
            for _, b, d in found:
                if total <= 0.8 * limit:
                    break
                _remove(d)
                total -= b
                removed += 1
    except Timeout:
        pass
    return removed


def clear() -> tuple[int, int]:
    """Empty the stage cache: (entries removed, bytes freed)."""
    found = entries()
    for _, _, d in found:
        _remove(d)
    shutil.rmtree(root() / ".tmp", ignore_errors=True)
    with contextlib.suppress(OSError):
        (root() / "digests.json").unlink()
    return len(found), sum(b for _, b, _ in found)


@contextlib.contextmanager
def computing(key: str) -> Iterator[None]:
    """Hold the key's lock while its entry is computed, so that another process needing the
    same entry waits for it instead of computing it again."""
    from filelock import FileLock

    locks = root() / ".locks"
    try:
        locks.mkdir(parents=True, exist_ok=True)
        lock: Any = FileLock(str(locks / f"{key[:24]}.lock"))
        lock.acquire()
    except OSError:
        yield
        return
    try:
        yield
    finally:
        lock.release()
