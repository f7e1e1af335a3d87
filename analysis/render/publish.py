"""Publishing a build: one build at a time per folder, a private staging folder, atomic moves.

Everything is rendered in ``<out>/.tmp-<pid>-<random>/`` (:func:`staging`) and each finished
file is moved into place with ``os.replace`` (:func:`publish`). A failed or interrupted build
leaves the previous briefing untouched and removes its temporary folder (SIGTERM unwinds like
Ctrl-C, :func:`sigterm_as_interrupt`). ``<out>/.build.lock`` serialises builds into one folder:
the second waits, and says so (:func:`build_lock`). :func:`session` is the three together.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from analysis.render.progress import Progress

LOCK_NAME = ".build.lock"


@contextlib.contextmanager
def build_lock(out_dir: Path, progress: Progress | None = None) -> Iterator[None]:
    """Hold ``out_dir``'s build lock; wait (and say so on stderr) while another build holds it."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(Path(out_dir) / LOCK_NAME))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(
            f"briefing: another build is writing to {out_dir}; waiting for it to finish (lock {lock.lock_file})",
            file=sys.stderr,
            flush=True,
        )
        lock.acquire()
        if progress is not None:
            progress.step("the other build finished")
    try:
        yield
    finally:
        lock.release()


@contextlib.contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A private temporary folder inside ``out`` for one build, removed when the build ends,
    whatever happens. Call it while holding ``out``'s build lock: stale temp folders left by a
    killed build are removed first, since no other build can be using them."""
    out = Path(out)
    for stale in out.glob(".tmp-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)
    tmp = out / f".tmp-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def raise_interrupt(signum: int, frame: Any) -> None:
    """A signal handler that unwinds like Ctrl-C."""
    raise KeyboardInterrupt(f"signal {signum}")


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM unwinds the build like Ctrl-C, so that its temporary folder is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def session(out: Path, progress: Progress | None = None) -> Iterator[Path]:
    """Build into ``out``: SIGTERM as Ctrl-C, ``out``'s lock held, a staging folder (yielded)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with sigterm_as_interrupt(), build_lock(out, progress), staging(out) as tmp:
        yield tmp


def publish(staged: Iterable[tuple[Path, Path]]) -> None:
    """Move each finished ``(staged file, destination)`` into place (fsync, then ``os.replace``)."""
    for src, dest in staged:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(src, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(src, dest)
