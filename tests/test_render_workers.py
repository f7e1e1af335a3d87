"""analysis.render.workers: a pool of warm processes that run callables and survive a death."""

from __future__ import annotations

import os

from analysis import render
from tests.conftest import one_line


def _echo(**kwargs):
    return {"ok": True, "pid": os.getpid(), **kwargs}


def _die(**kwargs):
    os._exit(3)


class _Jobs:
    """Where the job below looks for its function in the worker."""


class _NoSuchFunction:
    """A job whose function the worker cannot find: unpickling it looks up a missing name."""

    def __reduce__(self):
        return (getattr, (_Jobs, "no_such_function"))

    def __call__(self, **kwargs):  # never runs
        raise AssertionError


def test_worker_pool_survives_a_dying_worker() -> None:
    with render.WorkerPool(1) as pool:
        first = pool.submit(_echo, x=1).result(timeout=60)
        died = pool.submit(_die).result(timeout=60)
        again = pool.submit(_echo, x=2).result(timeout=60)
        bad = pool.submit(_NoSuchFunction()).result(timeout=60)
    assert first["ok"] and first["x"] == 1
    assert not died["ok"] and died["ename"] == "worker process failed" and one_line(died["evalue"])
    assert again["ok"] and again["x"] == 2 and again["pid"] != first["pid"]
    assert not bad["ok"] and bad["ename"] == "AttributeError"


def _warm_marker(stage: str, path: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(stage + "\n")


def test_workers_are_warmed_by_a_callable(tmp_path) -> None:
    import functools

    marker = tmp_path / "stages.txt"
    with render.WorkerPool(2, warm=functools.partial(_warm_marker, path=str(marker))) as pool:
        pids = {pool.submit(_echo).result(timeout=60)["pid"] for _ in range(4)}
    stages = marker.read_text().split()
    assert stages.count("imports") == 1, "imports once, before the fork"
    assert stages.count("data") == 2 and len(pids) <= 2
