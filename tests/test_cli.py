"""The command line only turns arguments into a dict and calls the library; it fails loudly.

* ``briefing build`` has one option per parameter of analysis.params (default None: from the
  data) and hands render.build a plain dict, as papermill's command line hands one to
  execute_notebook: the library never sees argparse;
* ``--engine fast`` is the README's name for the in-process engine;
* a subcommand whose module cannot be imported is a one-line ``error:`` and a non-zero exit,
  never a command that silently disappears.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis import cli, params, paths, render

BROKEN_IMPORT = """
import importlib, sys
from analysis import cli
parent, _, child = {module!r}.rpartition(".")
importlib.import_module(parent)
sys.modules[{module!r}] = None  # importing it now raises ImportError, as a broken module would
if hasattr(sys.modules[parent], child):
    delattr(sys.modules[parent], child)
sys.exit(cli.main({argv!r}))
"""


def test_build_options_are_the_parameters() -> None:
    args = cli.parser().parse_args(["build"])
    for name in params.NAMES:
        assert getattr(args, name) is None, name  # from the data
    args = cli.parser().parse_args(
        [
            "build",
            "--recipient",
            "Niger",
            "--former-power",
            "France",
            "--peers",
            "",
            "--agreement-date",
            "2024-09-02",
            "--start",
            "2010",
        ]
    )
    assert cli.build_values(args) == {
        "recipient": "Niger",
        "former_power": "France",
        "peers": "",
        "agreement_date": "2024-09-02",
        "start": "2010",
    }


def test_build_hands_the_library_a_dict(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:
    calls: list[tuple[tuple, dict]] = []

    def fake_build(*args, **kwargs):
        calls.append((args, kwargs))
        return {"html": tmp_path / "x.html", "key_figures": tmp_path}

    monkeypatch.setattr(render, "build", fake_build)
    assert (
        cli.main(
            [
                "build",
                "--supplier",
                "Russia",
                "--out",
                str(tmp_path / "x.html"),
                "--format",
                "html",
                "--engine",
                "fast",
                "--quiet",
            ]
        )
        == 0
    )
    (values,), kwargs = calls[0]
    assert values == {"supplier": "Russia"} and type(values) is dict
    assert kwargs["out_dir"] == tmp_path and kwargs["name"] == "x" and kwargs["formats"] == "html"
    assert kwargs["engine"] == "fast" and kwargs["progress"] is False
    assert capsys.readouterr().out.strip() == str(tmp_path / "x.html")


def test_engine_fast_is_accepted() -> None:
    for command in ("build", "batch"):
        assert cli.parser().parse_args([command, "--engine", "fast"]).engine == "fast"
    assert render.check_engine("fast") == render.check_engine("inprocess") == "inprocess"
    assert "fast" in render.ENGINE_CHOICES


@pytest.mark.parametrize(
    "module, argv",
    [("analysis.render", ["build", "--help"]), ("analysis.render.batch", ["batch", "--quiet"])],
    ids=["render", "batch"],
)
def test_a_subcommand_that_cannot_be_imported_fails_loudly(module: str, argv: list[str]) -> None:
    code = BROKEN_IMPORT.format(module=module, argv=argv)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=paths.ROOT)
    assert r.returncode != 0, r.stdout
    errors = [line for line in r.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and r.stderr.strip() == errors[0], r.stderr
    assert module in errors[0] and "Traceback" not in r.stderr
    assert "usage:" not in r.stdout  # the command did not run without its module
