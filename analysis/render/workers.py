"""Warm worker processes: a pool that runs callables in processes that have imported once.

One *group* process is started (a fresh interpreter running :func:`main`): it calls the pool's
``warm`` callable with ``"imports"`` once, then forks one worker per pair of pipes, so that the
workers start warm and share the imported code's memory; each worker then calls ``warm("data")``
(work that may start threads, which must not exist at a fork) and serves jobs. Fork happens only
while the group has one thread; otherwise each worker starts a fresh interpreter instead.
What the warm-up made is frozen out of the garbage collector's sight (``gc.freeze``, before the
fork and after ``warm("data")``): a collection then walks only what the jobs made. Once its
workers are forked, the group process becomes a bare interpreter (:data:`WAITER_CMD`) that passes
SIGTERM on to them and waits, so it no longer holds the warm-up's memory.

A job is a callable with its arguments (:meth:`WorkerPool.submit`), pickled as Python pickles
functions (by module and name, as :mod:`multiprocessing` does), sent over the worker's own pipe;
its result, a dict, comes back the same way. Nothing is forked from the calling process (which
may have threads) and no script's ``__main__`` is imported again, so a pool can be used from any
script, notebook or REPL. The group's settings (its pipes, the warm-up callable) are its
command-line argument, not environment variables.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import gc
import json
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.render.progress import one_line

#: The group process's program: its one argument is a JSON object (see :func:`main`).
GROUP_CMD = "from analysis.render.workers import main; main()"
STOP_GRACE = 15.0  # seconds a stopped worker gets before SIGKILL
_TERMINATED = False

Warm = Callable[[str], None]


def _raise_interrupt(signum: int, frame: Any) -> None:
    global _TERMINATED
    _TERMINATED = True
    raise KeyboardInterrupt(f"signal {signum}")


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory (VmHWM) of a process in MB, from /proc; None where unavailable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def failed(ename: str, evalue: str) -> dict[str, Any]:
    """A job's result when it could not run or did not finish."""
    return {"ok": False, "ename": ename, "evalue": evalue, "cell": None, "seconds": 0.0}


# --------------------------------------------------------------------------- the worker side
def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of a group of warm workers. ``argv[0]`` is a JSON object: ``pairs`` (the
    job and result pipes of each worker, as file descriptors) and ``warm`` (the warm-up
    callable, pickled and base64-encoded, or null)."""
    args = list(sys.argv[1:] if argv is None else argv)
    config = json.loads(args[0])
    serve_group([tuple(int(fd) for fd in pair) for pair in config["pairs"]], config.get("warm"))


def serve_group(pairs: list[tuple[int, ...]], warm_b64: str | None) -> None:
    """Warm up, fork one worker per pipe pair (with one pair, this process is the worker) and
    wait for them. Ctrl-C is ignored: the parent decides when to stop, with SIGTERM, which
    this process passes on to its workers. Never returns."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    os.dup2(2, 1)  # whatever is printed to fd 1 goes to stderr, never into a protocol pipe
    t0 = time.perf_counter()
    warm: Warm | None = None
    warm_error: BaseException | None = None
    try:
        warm = pickle.loads(base64.b64decode(warm_b64)) if warm_b64 else None
        if warm is not None:
            warm("imports")
    except KeyboardInterrupt:
        os._exit(143)
    except BaseException as exc:
        warm_error = exc
    # What warm-up made lives as long as the process: out of the garbage collector's sight, a
    # collection walks only what jobs make (IPython collects at every notebook's reset: 0.12 s
    # each with the warm heap in sight, 0.02 s without), and forked workers share those pages.
    gc.freeze()
    if len(pairs) == 1:
        _serve_worker(pairs[0], warm, t0, warm_error)
    fork = _threads() == 1
    children: list[int] = []
    for i, pair in enumerate(pairs):
        pid = os.fork()
        if pid == 0:
            for j, other in enumerate(pairs):
                if j != i:
                    for fd in other:
                        os.close(fd)
            if not fork:  # threads exist: a forked copy is unsafe, start a fresh worker instead
                for fd in pair:
                    os.set_inheritable(fd, True)
                os.execv(sys.executable, [sys.executable, "-c", GROUP_CMD, json.dumps({"pairs": [list(pair)], "warm": warm_b64})])
            _serve_worker(pair, warm, t0, warm_error)
        children.append(pid)
    for pair in pairs:
        for fd in pair:
            os.close(fd)
    # From here the group only passes SIGTERM on and waits. A bare interpreter does that, so
    # the warm-up's memory is given back: the pages its workers wrote to (reference counts)
    # are copies by now, and the group's originals were private to it (about 60 MB). SIGTERM
    # is blocked across the exec (a blocked signal stays pending) until the waiter handles it.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    os.execv(sys.executable, [sys.executable, "-I", "-S", "-c", WAITER_CMD, *map(str, children)])


#: The group process once its workers are forked (``argv[1:]``: their pids): passes SIGTERM on
#: to them, ignores Ctrl-C (the parent decides when to stop) and exits when they have.
WAITER_CMD = """
import os, signal, sys
kids = [int(x) for x in sys.argv[1:]]
def forward(signum, frame):
    for pid in kids:
        try:
            os.kill(pid, signum)
        except OSError:
            pass
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, forward)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
for pid in kids:
    while True:
        try:
            os.waitpid(pid, 0)
            break
        except ChildProcessError:
            break
        except InterruptedError:
            continue
"""


def _serve_worker(pair: tuple[int, ...], warm: Warm | None, t0: float, warm_error: BaseException | None) -> None:
    """One worker: finish warming up, say so, run jobs until the parent closes the job pipe.
    SIGTERM ends the worker after the job it is running (and unwinds papermill, so that a
    kernel is shut down). Never returns."""
    from multiprocessing.connection import Connection

    signal.signal(signal.SIGTERM, _raise_interrupt)
    jobs = Connection(pair[0], writable=False)
    proto = Connection(pair[1], readable=False)

    def send(obj: dict[str, Any]) -> None:
        try:
            data = pickle.dumps(obj)
        except Exception as exc:  # a result that cannot travel is the job's failure
            data = pickle.dumps(failed(f"unpicklable result: {type(exc).__name__}", one_line(exc)))
        proto.send_bytes(data)

    try:
        try:
            if warm_error is not None:
                raise warm_error
            if warm is not None:
                warm("data")
                gc.freeze()  # the tidy tables and the rest of the warm-up, as before the fork
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            send({"ready": False, "ename": type(exc).__name__, "evalue": one_line(exc)})
        else:
            send({"ready": True, "pid": os.getpid(), "seconds": time.perf_counter() - t0})
            _serve_jobs(jobs, send)
    except (KeyboardInterrupt, BrokenPipeError, EOFError):
        pass
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    os._exit(0)  # skip tearing down the interpreter's modules: nothing is left to write


def _serve_jobs(jobs: Any, send: Callable[[dict[str, Any]], None]) -> None:
    while not _TERMINATED:
        try:
            data = jobs.recv_bytes()
        except EOFError:
            return
        t1 = time.perf_counter()
        try:
            fn, args, kwargs = pickle.loads(data)  # a function that cannot be found fails here
            result = dict(fn(*args, **kwargs))
        except KeyboardInterrupt:
            return
        except BaseException as exc:
            result = {**failed(type(exc).__name__, one_line(exc)), "seconds": time.perf_counter() - t1}
        result["worker"] = {"pid": os.getpid(), "peak_rss_mb": peak_rss_mb()}
        send(result)


# --------------------------------------------------------------------------- the parent side
@dataclasses.dataclass
class Worker:
    """The parent's end of one worker."""

    group: Any  # the Popen of the worker group process
    send: Any  # job pipe (a multiprocessing Connection, write end)
    recv: Any  # result pipe (a multiprocessing Connection, read end)
    err: Any  # the group's stderr (a temporary file)
    pid: int | None = None


class WorkerPool:
    """Warm worker processes for jobs (a notebook, a whole briefing).

    ``warm``: a picklable callable taking the stage (``"imports"`` before the fork, ``"data"``
    in each worker after it), or None. :meth:`submit` sends a callable and its arguments to
    whichever worker is free and returns a Future for its result dict (a job that raises gives
    ``ok`` False, ``ename`` and a one-line ``evalue``). A worker that dies fails its job (with
    the last line of its stderr) and is replaced. :meth:`stop` ends the workers (SIGTERM, then
    SIGKILL after 15 s); leaving the ``with`` block on an exception stops them too. ``env``:
    environment variables the workers' libraries should see (a variable the user has set keeps
    the user's value)."""

    def __init__(
        self,
        size: int,
        warm: Warm | None = None,
        on_ready: Callable[[dict[str, Any]], None] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        import queue

        self.size = max(1, int(size))
        self.warm_b64 = base64.b64encode(pickle.dumps(warm)).decode("ascii") if warm is not None else None
        # The environment of the libraries the workers use, not settings of the pool.
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(x for x in (str(paths.ROOT), self.env.get("PYTHONPATH", "")) if x)
        self.env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        # One thread per worker process: the workers already use every core, and a process that
        # starts no thread while importing can fork its workers safely (see serve_group).
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            self.env.setdefault(var, "1")
        self.env.setdefault("JE_ARROW_MALLOC_CONF", "background_thread:false")  # pyarrow's jemalloc
        for var, value in (env or {}).items():  # the caller's settings; the user's own win
            self.env.setdefault(var, value)
        self.on_ready = on_ready
        self.jobs: Any = queue.Queue()
        self.stopping = threading.Event()
        self.closed = False
        self.guard = threading.Lock()
        self.groups: list[Any] = []
        self.workers: list[Worker] = []
        self.peaks: dict[int, float] = {}
        self.ready_seconds: list[float] = []
        self.broken = ""
        try:
            first = self._spawn(self.size)
        except OSError as exc:
            first, self.broken = [], one_line(exc)
        self.threads = [
            threading.Thread(
                target=self._serve, args=(first[i] if i < len(first) else None,), name=f"briefing-worker-{i}", daemon=True
            )
            for i in range(self.size)
        ]
        for t in self.threads:
            t.start()

    # -- jobs ------------------------------------------------------------------------------
    def submit(self, fn: Callable[..., dict[str, Any]], /, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn(*args, **kwargs)`` on a worker; a Future for its result dict. ``fn`` must be
        picklable (a module-level function, or a functools.partial of one)."""
        import concurrent.futures as cf

        payload = pickle.dumps((fn, args, kwargs))
        fut: cf.Future[dict[str, Any]] = cf.Future()
        if self.stopping.is_set():
            fut.set_result(failed("Interrupted", "the build was stopped"))
        else:
            self.jobs.put((fut, payload))
        return fut

    def close(self, wait: bool = True) -> None:
        """Let the workers finish their jobs, then end them (``wait``: until they have exited).
        Calling it again is harmless."""
        if not self.closed:
            self.closed = True
            for _ in self.threads:
                self.jobs.put(None)
        if wait:
            for t in self.threads:
                t.join()
            self._reap(self.groups, STOP_GRACE)

    def stop(self) -> None:
        """Stop now: pending jobs fail, running workers get SIGTERM, then SIGKILL after 15 s."""
        import queue

        self.stopping.set()
        while True:
            try:
                item = self.jobs.get_nowait()
            except queue.Empty:
                break
            if item is not None:
                item[0].set_result(failed("Interrupted", "the build was stopped"))
        with self.guard:
            groups, pids = list(self.groups), [w.pid for w in self.workers if w.pid]
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        for g in groups:
            with contextlib.suppress(OSError):
                g.terminate()
        if not self.closed:
            self.closed = True
            for _ in self.threads:
                self.jobs.put(None)
        if not self._reap(groups, STOP_GRACE):
            for pid in pids:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            for g in groups:
                with contextlib.suppress(OSError):
                    g.kill()
            self._reap(groups, 5)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, etype: Any, exc: Any, tb: Any) -> None:
        if etype is None:
            self.close()
        else:
            self.stop()

    @property
    def peak_rss_mb(self) -> dict[int, float]:
        """Peak resident memory (VmHWM) of each worker process seen so far, by pid. Forked
        workers share their imported code, so the sum over-counts what they used together."""
        return dict(self.peaks)

    # -- processes -------------------------------------------------------------------------
    @staticmethod
    def _reap(groups: list[Any], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        for g in groups:
            try:
                g.wait(timeout=max(0.05, deadline - time.monotonic()))
            except Exception:
                return False
        return True

    def _spawn(self, n: int) -> list[Worker]:
        """Start a group process with ``n`` workers; their pipes, ready to use."""
        import subprocess
        import tempfile
        from multiprocessing.connection import Connection

        with self.guard:
            if self.stopping.is_set():
                raise InterruptedError("stopped")
            pairs = [(os.pipe(), os.pipe()) for _ in range(n)]  # (jobs r, w), (results r, w)
            child_fds = [fd for (jr, _), (_, rw) in pairs for fd in (jr, rw)]
            config = json.dumps({"pairs": [[jr, rw] for (jr, _), (_, rw) in pairs], "warm": self.warm_b64})
            err = tempfile.TemporaryFile()  # noqa: SIM115 - the group's stderr, closed when the pool stops
            try:
                group = subprocess.Popen(
                    [sys.executable, "-c", GROUP_CMD, config],
                    stdin=subprocess.DEVNULL,
                    stdout=err,
                    stderr=err,
                    env=self.env,
                    cwd=str(paths.ROOT),
                    pass_fds=child_fds,
                )
            finally:
                for fd in child_fds:
                    os.close(fd)
            self.groups.append(group)
            workers = [
                Worker(group, Connection(jw, readable=False), Connection(rr, writable=False), err) for (_, jw), (rr, _) in pairs
            ]
            self.workers += workers
        return workers

    @staticmethod
    def _read(w: Worker) -> dict[str, Any] | None:
        try:
            return pickle.loads(w.recv.recv_bytes())
        except Exception:
            return None  # end of file: the worker died

    def _last_error(self, w: Worker) -> str:
        if w.pid is None:
            with contextlib.suppress(Exception):
                w.group.wait(timeout=5)
        time.sleep(0.05)
        try:
            w.err.seek(0)
            lines = [x for x in w.err.read().decode("utf-8", "replace").splitlines() if x.strip()]
        except (OSError, ValueError):
            lines = []
        return one_line(lines[-1] if lines else "the worker process ended without a word")

    @staticmethod
    def _retire(w: Worker) -> None:
        for conn in (w.send, w.recv):
            with contextlib.suppress(OSError, ValueError):
                conn.close()

    def _start(self, w: Worker | None) -> tuple[Worker | None, str]:
        """Wait until a worker is warm: (worker, "") or (None, why it failed)."""
        if w is None:
            try:
                w = self._spawn(1)[0]
            except InterruptedError:
                return None, "the build was stopped"
            except OSError as exc:
                return None, one_line(exc)
        ready = self._read(w)
        if not ready or not ready.get("ready"):
            why = f"{ready['ename']}: {ready['evalue']}" if ready else self._last_error(w)
            self._retire(w)
            return None, why
        w.pid = int(ready["pid"])
        self.ready_seconds.append(float(ready.get("seconds", 0.0)))
        if self.on_ready:
            self.on_ready(ready)
        return w, ""

    def _serve(self, first: Worker | None) -> None:
        """One worker thread: waits for its worker to be warm, then feeds it jobs one at a time."""
        w, broken = self._start(first) if first is not None else (None, self.broken)
        try:
            while True:
                item = self.jobs.get()
                if item is None:
                    return
                fut, payload = item
                if self.stopping.is_set():
                    fut.set_result(failed("Interrupted", "the build was stopped"))
                    continue
                if w is None and not broken:
                    w, broken = self._start(None)
                if w is None:
                    fut.set_result(failed("worker process failed to start", broken))
                    continue
                t0 = time.perf_counter()
                try:
                    w.send.send_bytes(payload)
                    result = self._read(w)
                except (OSError, ValueError):
                    result = None
                if result is None:
                    why = "the build was stopped" if self.stopping.is_set() else self._last_error(w)
                    fut.set_result({**failed("worker process failed", why), "seconds": time.perf_counter() - t0})
                    self._retire(w)
                    w = None
                    continue
                info = result.get("worker") or {}
                if info.get("peak_rss_mb") is not None:
                    self.peaks[int(info["pid"])] = float(info["peak_rss_mb"])
                fut.set_result(result)
        finally:
            if w is not None:
                self._retire(w)
