"""analysis.render.execute: the in-process engine gives what papermill's kernel gives."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from analysis import render
from analysis.errors import ParameterError
from analysis.render import execute

pytestmark = pytest.mark.slow


def test_engines_and_their_aliases() -> None:
    assert execute.check_engine("fast") == execute.check_engine(" InProcess ") == "inprocess"
    assert execute.check_engine("papermill") == "papermill"
    with pytest.raises(ParameterError, match="fast"):
        execute.check_engine("kernel")


def test_in_process_outputs_keep_their_order_and_types(tmp_path: Path) -> None:
    """Run one notebook through the in-process engine in a worker: streams are merged in order,
    an expression's value is an execute_result, display() a display_data, an open pyplot figure
    is shown as a PNG at the end of its cell, and execution counts follow papermill's."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    p = nbformat.v4.new_code_cell('x = 1\noutputs = ""')
    p.metadata["tags"] = ["parameters"]
    nb.cells = [
        p,
        nbformat.v4.new_code_cell(
            'print("a"); print("b")\nfrom IPython.display import display, HTML\ndisplay(HTML("<b>t</b>"))\nprint("c")\nx * 21'
        ),
        nbformat.v4.new_markdown_cell("text"),
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nNone"),
    ]
    nbformat.write(nb, tmp_path / "t.ipynb")
    with render.WorkerPool(1) as pool:
        r = pool.submit(
            render.run_notebook,
            stem="t",
            source=str(tmp_path / "t.ipynb"),
            executed=str(tmp_path / "out.ipynb"),
            parameters={"x": 2, "outputs": str(tmp_path)},
            cwd=str(tmp_path),
            fragment=str(tmp_path / "t.html"),
        ).result(timeout=120)
    assert r["ok"], r
    done = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert "injected-parameters" in done.cells[1].metadata["tags"]
    code = [c for c in done.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3, 4]
    outs = code[2].outputs
    assert [o.output_type for o in outs] == ["stream", "display_data", "stream", "execute_result"]
    assert outs[0].text == "a\nb\n" and outs[2].text == "c\n" and outs[3].data["text/plain"] == "42"
    assert [o.output_type for o in code[3].outputs] == ["display_data"] and "image/png" in code[3].outputs[0].data
    assert done.metadata["language_info"]["name"] == "python"


def test_in_process_notebooks_make_page_charts_and_start_clean(tmp_path: Path) -> None:
    """The in-process engine runs a notebook inside charts.page_charts (its charts are made at
    the page's width, and drawn once), and the next notebook in the same worker finds neither
    the last one's variables nor its chart profile or rcParams."""
    import matplotlib

    def notebook(name: str, code: str) -> Path:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nb.cells = [nbformat.v4.new_code_cell(code)]
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
        return tmp_path / f"{name}.ipynb"

    first = notebook(
        "a",
        "from analysis import charts\nfrom analysis.charts.style import PROFILE\n"
        "import matplotlib\nmatplotlib.rcParams['font.size'] = 31\nleft_over = 1\nprint(PROFILE.get())",
    )
    second = notebook("b", "import matplotlib\nprint('left_over' in dir(), matplotlib.rcParams['font.size'])")
    runner = execute.runner()
    outs = []
    for src in (first, second, first):
        done = execute.execute_notebook(str(src), str(tmp_path / "out.ipynb"), {}, str(tmp_path), 60, "inprocess")
        outs.append(done.cells[-1].outputs[0].text.strip())
    from analysis import charts

    assert outs[0] == outs[2] == str((charts.PAGE_WIDTH, charts.PAGE_FONT_SCALE))
    defined, size = outs[1].split()
    assert defined == "False" and float(size) == matplotlib.rcParams["font.size"] != 31
    from analysis.charts.style import PROFILE

    assert PROFILE.get() is None  # nothing of it outside the notebook
    assert runner is execute.runner()
