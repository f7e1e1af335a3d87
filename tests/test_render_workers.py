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


_WARM_OBJECTS: list[object] = []


def _warm_makes_objects(stage: str) -> None:
    _WARM_OBJECTS.append([{"stage": stage, "i": i} for i in range(1000)])  # tracked by the collector


def _garbage_collector(**kwargs):
    import gc

    held = _WARM_OBJECTS[-1] if _WARM_OBJECTS else None
    return {
        "ok": True,
        "frozen": gc.get_freeze_count(),
        "warm_data": held is not None and held[0]["stage"] == "data",
        "collected_warm": any(o is held for o in gc.get_objects()) if held is not None else None,
    }


def test_what_warm_up_made_is_out_of_the_collectors_sight() -> None:
    # A worker's collections (IPython runs one at every notebook's reset) must not walk the
    # warm heap: with it in sight each cost 0.12 s, frozen 0.02 s (measured on seven states).
    with render.WorkerPool(1, warm=_warm_makes_objects) as one, render.WorkerPool(2, warm=_warm_makes_objects) as two:
        results = [one.submit(_garbage_collector).result(timeout=60)] + [
            two.submit(_garbage_collector).result(timeout=60) for _ in range(2)
        ]
    for r in results:
        assert r["ok"] and r["warm_data"], r
        assert r["frozen"] >= 2000, f"the warm-up's objects are not frozen: {r}"
        assert r["collected_warm"] is False, "the warm-up's objects are still in the collector's generations"


def _warm_holds_memory(stage: str) -> None:
    if stage == "imports":  # as imported libraries do, before the fork
        _WARM_OBJECTS.append(bytearray(80 * 1024 * 1024))


def _nap(seconds: float) -> dict:
    import time

    time.sleep(seconds)
    return {"ok": True, "pid": os.getpid()}


def _alive(pid: int) -> bool:
    from pathlib import Path

    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_the_group_waits_in_a_bare_interpreter_and_passes_sigterm_on() -> None:
    import signal
    import time
    from pathlib import Path

    pool = render.WorkerPool(2, warm=_warm_holds_memory)
    try:
        jobs = [pool.submit(_nap, seconds=1.0) for _ in range(2)]  # one on each worker
        workers = sorted({j.result(timeout=60)["pid"] for j in jobs})
        group = pool.groups[0]
        assert len(workers) == 2 and len(pool.groups) == 1
        deadline = time.time() + 30
        while b"\0-S\0" not in Path(f"/proc/{group.pid}/cmdline").read_bytes() and time.time() < deadline:
            time.sleep(0.05)
        assert b"\0-S\0" in Path(f"/proc/{group.pid}/cmdline").read_bytes(), "the group did not hand over to the waiter"
        status = Path(f"/proc/{group.pid}/status").read_text()
        rss_mb = int(next(x for x in status.splitlines() if x.startswith("VmRSS:")).split()[1]) / 1024
        assert rss_mb < 40, f"the waiting group holds {rss_mb:.0f} MB: it did not give the warm-up's memory back"
        os.kill(group.pid, signal.SIGTERM)  # to the group only: it passes it on
        assert group.wait(timeout=30) == 0
        assert not any(_alive(pid) for pid in workers)
    finally:
        pool.stop()


def _arrow_pool(**kwargs) -> dict:
    import pyarrow

    return {"ok": True, "backend": pyarrow.default_memory_pool().backend_name}


def test_batch_workers_use_the_arrow_allocator_that_gives_memory_back(monkeypatch) -> None:
    # mimalloc (pyarrow's default here) kept ~110 MB more per batch worker than jemalloc; a
    # build's short-lived workers keep the faster default; the user's own setting wins.
    from analysis.render import batch, pipeline, stages

    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    with render.WorkerPool(1, env=stages.LEAN_ENV) as lean, render.WorkerPool(1) as plain:
        assert lean.submit(_arrow_pool).result(timeout=60)["backend"] == "jemalloc"
        assert plain.submit(_arrow_pool).result(timeout=60)["backend"] != "jemalloc"
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    with render.WorkerPool(1, env=stages.LEAN_ENV) as chosen:
        assert chosen.submit(_arrow_pool).result(timeout=60)["backend"] == "system"
    started = []
    monkeypatch.setattr(pipeline, "start_pool", lambda *a, **k: started.append(k) or render.WorkerPool(1))
    monkeypatch.setattr(batch, "_run", lambda *a, **k: {"written": [], "failed": []})
    batch.run("Mali", 2010, formats="html", progress=False)
    assert started and started[0].get("lean") is True
