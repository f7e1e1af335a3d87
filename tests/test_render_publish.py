"""analysis.render.publish: one build at a time per folder, a staging folder that never stays."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import pytest

from analysis.render import publish
from analysis.render.progress import Progress


def test_second_build_waits_for_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from filelock import FileLock; "
            f"lock = FileLock({str(tmp_path / '.build.lock')!r}); lock.acquire(); print('held', flush=True); time.sleep(1.0)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        err = io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        t0 = time.perf_counter()
        with publish.build_lock(tmp_path, Progress(False)):
            waited = time.perf_counter() - t0
    finally:
        holder.wait(timeout=30)
    assert waited >= 0.3
    assert "waiting" in err.getvalue()


def test_staging_is_removed_whatever_happens(tmp_path: Path) -> None:
    stale = tmp_path / ".tmp-1-dead"
    stale.mkdir()
    with pytest.raises(RuntimeError), publish.staging(tmp_path) as tmp:
        (tmp / "half.html").write_text("half")
        assert not stale.exists(), "a killed build's folder is removed under the lock"
        raise RuntimeError("build failed")
    assert not list(tmp_path.glob(".tmp-*"))


def test_publish_moves_each_file_into_place(tmp_path: Path) -> None:
    src = tmp_path / "staged.html"
    src.write_text("new")
    dest = tmp_path / "out" / "sub" / "briefing.html"
    publish.publish([(src, dest)])
    assert dest.read_text() == "new" and not src.exists()
