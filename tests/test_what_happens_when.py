"""What happens when something goes wrong: one case per row of the table in README.md.

Each case runs the real command line (``briefing ...`` in a subprocess, as a user would) and
checks the exit code, that the error is one line naming what was wrong and how to fix it, that
no traceback is shown, and that nothing half-written is left behind. The last test checks that
the README's table and this file list the same cases.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from analysis import errors
from tests.test_render import write_notebooks

ROOT = Path(__file__).resolve().parents[1]
BRIEFING = str(Path(sys.executable).with_name("briefing"))
REGISTER = "sipri/trade-register_all_generated-2025-03-13.csv"
TIV = "sipri/tiv-table_china-exports_2000-2025_generated-2026-07-14.csv"

pytestmark = pytest.mark.slow


@dataclass
class Case:
    id: str
    when: str
    exit_code: int
    message: str  # a regex the one-line error must match
    run: Callable[[Path, Path, dict[str, str]], list[str]]  # (tmp, shared, env) -> argv; may prepare files


def _env(tmp: Path, shared: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    # The tidy-table cache is content-addressed (keyed by the sources' digests and the code), so the
    # project's own data/cache is shared: a build here must not recompute the calibrated tables.
    env.update(BRIEFING_RAW_DIR=str(tmp / "raw"), BRIEFING_DATA_DIR=str(shared))
    env.pop("BRIEFING_CACHE_DIR", None)
    return env


def _lines(shared: Path, rel: str) -> list[bytes]:
    return (shared / rel).read_bytes().splitlines(keepends=True)


def missing_source(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    env["BRIEFING_DATA_DIR"] = str(tmp / "no-exports-here")
    return ["build", "--out", str(tmp / "out")]


def truncated_csv(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    lines = _lines(shared, REGISTER)
    p = tmp / Path(REGISTER).name
    p.write_bytes(b"".join(lines[:2000]) + lines[2000][:40])
    return ["data", "import", str(p)]


def tiv_for_register(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    return ["data", "import", str(shared / TIV), "--source", "sipri_register"]


def renamed_column(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    lines = _lines(shared, REGISTER)
    lines[11] = lines[11].replace(b"Weapon description", b"Weapon type")
    p = tmp / Path(REGISTER).name
    p.write_bytes(b"".join(lines[:300]))
    return ["data", "import", str(p)]


def changed_after_import(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    subprocess.run([BRIEFING, "data", "import", str(shared / REGISTER)], env=env, check=True, capture_output=True)
    copy = tmp / "raw" / "sipri_register" / Path(REGISTER).name
    with open(copy, "ab") as fh:
        fh.write(b"Mali,China,2024,,1,,X,APC,1,,2024,New,,1,1,1\n")
    return ["build", "--out", str(tmp / "out")]


def unknown_country(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    return ["build", "--recipient", "Mail", "--out", str(tmp / "out")]


def script_as_country(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    return ["build", "--recipient", "<script>alert(1)</script>", "--out", str(tmp / "out")]


def bad_year(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    return ["build", "--start", "1900", "--out", str(tmp / "out")]


def notebook_fails(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    nbs = write_notebooks(tmp / "notebooks", fail="02_context")
    return ["build", "--notebooks", str(nbs), "--format", "html", "--out", str(tmp / "out")]


def fetch_fails(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    # Point the fetch at a closed port on this machine: the connection is refused at once.
    return ["data", "fetch", "owid_milex_gdp", "--quiet", "--base-url", "http://127.0.0.1:9", "--retries", "1"]


def unknown_source(tmp: Path, shared: Path, env: dict[str, str]) -> list[str]:
    return ["data", "fetch", "sipri_registry"]


CASES = [
    Case(
        "missing-source",
        "a source file is in neither data/raw nor the exports folder",
        errors.MissingSourceError.exit_code,
        r"not found in .*briefing data fetch",
        missing_source,
    ),
    Case("truncated-csv", "a downloaded CSV is cut short", errors.FormatError.exit_code, r"truncated", truncated_csv),
    Case(
        "wrong-file",
        "a TIV table is given where a trade register is expected",
        errors.FormatError.exit_code,
        r"expected a SIPRI trade register .* got a SIPRI TIV table",
        tiv_for_register,
    ),
    Case(
        "new-release-columns",
        "a new SIPRI release renames a column",
        errors.FormatError.exit_code,
        r"missing column\(s\) 'Weapon description'; new column\(s\) 'Weapon type'",
        renamed_column,
    ),
    Case(
        "checksum",
        "an imported file changed after its metadata record was written",
        errors.ChecksumError.exit_code,
        r"does not match its record",
        changed_after_import,
    ),
    Case(
        "unknown-country",
        "a country name is misspelt",
        errors.UnknownNameError.exit_code,
        r"unknown country or region 'Mail'; did you mean .*Mali",
        unknown_country,
    ),
    Case(
        "markup-as-country",
        "a parameter holds markup such as <script>",
        errors.UnknownNameError.exit_code,
        r"unknown country or region",
        script_as_country,
    ),
    Case("bad-year", "a year lies outside the SIPRI release", errors.ParameterError.exit_code, r"1900", bad_year),
    Case(
        "notebook-fails",
        "a notebook cell raises an error",
        errors.NotebookError.exit_code,
        r"02_context.*ValueError: stand-in failure",
        notebook_fails,
    ),
    Case(
        "fetch-fails",
        "a download fails (no network, server error)",
        errors.FetchError.exit_code,
        r"owid_milex_gdp|127\.0\.0\.1",
        fetch_fails,
    ),
    Case(
        "unknown-source",
        "a source id is misspelt",
        errors.MissingSourceError.exit_code,
        r"no source 'sipri_registry'.*known sources",
        unknown_source,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, shared: Path, tmp_path: Path) -> None:
    env = _env(tmp_path, shared)
    argv = case.run(tmp_path, shared, env)
    out = tmp_path / "out"
    r = subprocess.run([BRIEFING, *argv], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    err_lines = [l for l in r.stderr.splitlines() if l.startswith("error: ")]
    assert r.returncode == case.exit_code, (r.returncode, r.stderr[-2000:])
    assert len(err_lines) == 1, r.stderr
    assert re.search(case.message, err_lines[0]), err_lines[0]
    assert "Traceback" not in r.stderr
    if "<script>" in " ".join(argv):
        assert not out.exists() or not any(out.glob("*.html"))
    # Nothing half-written: no temp files, and no briefing from a failed build.
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".tmp-")]
    assert not leftovers, leftovers
    if out.exists():
        assert not list(out.glob("briefing*.html")) and not list(out.glob("briefing*.pdf"))


def test_debug_shows_the_traceback(shared: Path, tmp_path: Path) -> None:
    env = _env(tmp_path, shared)
    r = subprocess.run([BRIEFING, "--debug", "data", "import", "/no/such.csv"], env=env, capture_output=True, text=True)
    assert r.returncode == errors.MissingSourceError.exit_code and "Traceback" in r.stderr


# --------------------------------------------------------------------------- interrupted and concurrent builds
def _slow_notebooks(folder: Path, seconds: int) -> Path:
    nbs = write_notebooks(folder)
    for p in nbs.glob("*.ipynb"):
        nb = nbformat.read(p, as_version=4)
        nb.cells.insert(2, nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})"))
        nbformat.write(nb, p)
    return nbs


def _build(env: dict[str, str], nbs: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [BRIEFING, "build", "--notebooks", str(nbs), "--format", "html", "--out", str(out), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        start_new_session=True,
    )


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_build_leaves_the_old_briefing(shared: Path, tmp_path: Path, sig: int) -> None:
    env = _env(tmp_path, shared)
    out = tmp_path / "out"
    first = _build(env, write_notebooks(tmp_path / "fast"), out)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    before = (out / "briefing.html").read_bytes()
    slow = _build(env, _slow_notebooks(tmp_path / "slow", 60), out)
    deadline = time.time() + 120
    while not list(out.glob(".tmp-*")) and time.time() < deadline:  # wait until it is writing
        time.sleep(0.2)
    time.sleep(2)
    os.killpg(os.getpgid(slow.pid), sig) if sig == signal.SIGKILL else slow.send_signal(sig)
    slow.wait(timeout=60)
    assert slow.returncode != 0
    assert (out / "briefing.html").read_bytes() == before
    if sig == signal.SIGTERM:  # a clean stop also removes its temp folder
        assert not list(out.glob(".tmp-*"))


def test_two_builds_at_once_into_one_folder(shared: Path, tmp_path: Path) -> None:
    env = _env(tmp_path, shared)
    out = tmp_path / "out"
    nbs = write_notebooks(tmp_path / "nbs")
    a = _build(env, nbs, out)
    b = _build(env, nbs, out, "--recipient", "Niger", "--supplier", "Russia")
    assert a.wait(timeout=300) == 0, a.stderr.read()
    assert b.wait(timeout=300) == 0, b.stderr.read()
    mali, niger = (out / "briefing.html").read_text(), (out / "briefing-niger-russia.html").read_text()
    assert "Niger" in niger and "Russia" in niger and "Niger, Russia" not in mali
    assert not list(out.glob(".tmp-*"))


# --------------------------------------------------------------------------- the README's table
def test_readme_table_lists_every_case() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`([a-z-]+)`\s*\|.*\|\s*(\d+)\s*\|\s*$", text, re.M)
    assert rows, "README.md has no 'What happens when' table"
    assert dict(rows) == {c.id: str(c.exit_code) for c in CASES}
