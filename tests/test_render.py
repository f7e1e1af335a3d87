"""The build: parameters checked first, notebooks run by papermill, one HTML page and a PDF.

A stand-in set of three tiny notebooks (parameters cell, Markdown, display(Markdown), a
matplotlib PNG, a warning on stderr, the key-figures JSON) is written into a temporary folder,
so these tests do not depend on the lead's notebooks or on the data: the builds are given every
parameter (nothing to resolve from the data), and the data-layer hooks (the release's coverage,
``params.defaults`` and ``render.pipeline.ledger_for``) are replaced by small stand-ins.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import params, paths, render
from analysis.errors import NotebookError, ParameterError, UnknownNameError
from analysis.render import pipeline
from tests.conftest import one_line

pytestmark = pytest.mark.slow

HOSTILE = "<script>alert(1)</script>"

#: Every parameter, so that the stand-in builds resolve nothing from the data.
STAND_IN = {
    "recipient": "Mali",
    "supplier": "China",
    "region": "Africa",
    "subregions": "Sub-Saharan Africa, West Africa, Sahel",
    "peers": "Burkina Faso, Niger",
    "rivals": "Russia, United States, France, Turkiye",
    "former_power": "France",
    "start": 2000,
    "end": 2024,
    "agreement_date": "2024-09-02",
    "lang": "en",
}
#: Every notebook takes the same full set of parameters (params.NAMES) plus ``outputs``.
PARAMETERS_CELL = "\n".join(f"{k} = {v!r}" for k, v in {**STAND_IN, "outputs": ""}.items())
PARAMS = {stem: PARAMETERS_CELL for stem in pipeline.NOTEBOOKS}
assert set(STAND_IN) == set(params.NAMES)

BODY = """\
import json, warnings
from pathlib import Path
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

SECRET_CODE_MARKER = "this code must not appear in the briefing"
warnings.warn("a noisy warning that must not appear")
display(Markdown(f"Deliveries reached **{{1234.5:,.1f}}** million TIV in the stand-in {STEM}."))
fig, ax = plt.subplots(figsize=(4, 2.5))
ax.plot([2020, 2021, 2022], [1, 3, 2])
ax.set_title("stand-in chart")
plt.show()
"""

WRITE = """\
figures = [
    {{"id": "f1", "label": "Stand-in figure", "value": 1234.5, "unit": "million TIV", "years": [2020, 2024],
      "region": "Africa", "release": "March 2025", "text": "Headline of {STEM}: <b>bold</b> & co", "headline": True},
    {{"id": "f2", "label": "Not a headline", "value": 1, "unit": "", "years": [2020, 2024], "region": "Africa",
      "release": "March 2025", "text": "not a headline", "headline": False}},
]
Path(outputs).mkdir(parents=True, exist_ok=True)
Path(outputs, "{STEM}.json").write_text(json.dumps({{"notebook": "{STEM}", "title": "Section {STEM}",
    "parameters": {{}}, "releases": ["SIPRI Arms Transfers Database, March 2025 release"], "figures": figures}}))
"""


def write_notebooks(folder: Path, fail: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for stem, stem_params in PARAMS.items():
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        p = nbformat.v4.new_code_cell(stem_params)
        p.metadata["tags"] = ["parameters"]
        cells = [
            p,
            nbformat.v4.new_markdown_cell(f"# Section {stem}\n\nNarrative of the stand-in notebook {stem}."),
            nbformat.v4.new_code_cell(BODY.replace("{STEM}", stem).replace("{{", "{").replace("}}", "}")),
        ]
        if stem == fail:
            cells.append(nbformat.v4.new_code_cell('raise ValueError("stand-in failure: no deliveries\\nsecond line")'))
        cells.append(nbformat.v4.new_code_cell(WRITE.replace("{STEM}", stem).replace("{{", "{").replace("}}", "}")))
        nb.cells = cells
        nbformat.write(nb, folder / f"{stem}.ipynb")
    return folder


def fake_ledger() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": 1,
                "claim": "A claim",
                "verdict": "supported",
                "evidence": f"SIPRI comment {HOSTILE} & more",
                "sources": "https://example.org/a; SIPRI Arms Transfers Database, March 2025 release",
            },
            {"id": 2, "claim": "Another claim", "verdict": "contradicted", "evidence": "Evidence.", "sources": ""},
            {"id": 3, "claim": "Third claim", "verdict": "not checkable with these data", "evidence": "Evidence.", "sources": ""},
        ]
    )


def fake_ledger_for(p: params.Params, claims_files=None) -> pd.DataFrame | None:
    return fake_ledger() if p.recipient == "Mali" and p.supplier == "China" else None


def stand_in_params(**changes: object) -> params.Params:
    return params.check({**STAND_IN, **changes})


def install_data_hooks(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(params, "_coverage", lambda: (1950, 2024))
    mp.setattr(params, "defaults", lambda: params.check(STAND_IN))
    mp.setattr(pipeline, "ledger_for", fake_ledger_for)


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("render")
    with pytest.MonkeyPatch.context() as mp:
        install_data_hooks(mp)
        mp.setenv("BRIEFING_NO_CACHE", "1")  # these builds are about the build; tests/test_render_cache.py about the cache
        nbs = write_notebooks(base / "notebooks")
        out = base / "reports"
        t0 = time.perf_counter()
        written = render.build(STAND_IN, out_dir=out, progress=False, notebooks_dir=nbs)
        seconds = time.perf_counter() - t0
        yield {"base": base, "out": out, "written": written, "notebooks": nbs, "seconds": seconds, "mp": mp}


@pytest.fixture
def data_hooks(monkeypatch: pytest.MonkeyPatch) -> None:
    install_data_hooks(monkeypatch)
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")


# --------------------------------------------------------------------------- the rendered briefing
def test_build_writes_default_names_and_key_figures(stand_in) -> None:
    out, written = stand_in["out"], stand_in["written"]
    assert written["html"] == out / "briefing.html" and written["pdf"] == out / "briefing.pdf"
    assert sorted(p.name for p in (out / "key-figures").iterdir()) == [f"{s}.json" for s in render.NOTEBOOKS]
    assert not list(out.glob(".tmp-*")), "the temporary folder must be removed"


def test_html_has_no_code_no_scripts_and_embedded_images(stand_in) -> None:
    html = stand_in["written"]["html"].read_text(encoding="utf-8")
    assert "<pre" not in html and "SECRET_CODE_MARKER" not in html and "import json" not in html
    assert "In&nbsp;[" not in html and "Out[" not in html
    assert "noisy warning" not in html and "Traceback" not in html
    assert not re.search(r"<script\b", html, re.I), "no script at all"
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=["']?https?:""", html, re.I)
    assert not re.search(r"require\.js|mathjax|cdn\.", html, re.I)
    assert '<img src="data:image/png;base64,' in html
    for stem in render.NOTEBOOKS:
        assert f"Narrative of the stand-in notebook {stem}" in html
        assert f"Deliveries reached <strong>1,234.5</strong> million TIV in the stand-in {stem}" in html
    # order: cover, key findings, ledger, sections 01..03, appendix
    marks = [
        html.index(m)
        for m in (
            'id="key-findings"',
            'id="claim-ledger"',
            'id="section-01-the-deal"',
            'id="section-02-context"',
            'id="section-03-china-in-africa"',
            'id="appendix"',
        )
    ]
    assert marks == sorted(marks)
    assert "Mali, Norinco and China&#39;s arms in Africa" in html
    assert "March 2025 release" in html and "not a headline" not in html


def test_data_and_notebook_text_are_escaped(stand_in) -> None:
    html = stand_in["written"]["html"].read_text(encoding="utf-8")
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Headline of 01_the_deal: &lt;b&gt;bold&lt;/b&gt; &amp; co" in html
    assert 'class="label v-contradicted"' in html


def test_pdf_opens_and_has_the_parts(stand_in) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(stand_in["written"]["pdf"]))
    assert len(reader.pages) > 1
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    for heading in ("Key findings", "Claim ledger", "Sources", "Section 02_context"):
        assert heading in text
    assert re.search(r"page 2 of \d+", text)
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1  # A4


def test_the_pdf_s_data_links_open_the_published_files(stand_in) -> None:
    """Every link in the PDF is a web address or a path relative to the PDF that exists once
    published (never a file:// URL into the build's temporary folder)."""
    pypdf = pytest.importorskip("pypdf")
    written = stand_in["written"]["pdf"]
    uris = [
        str(a.get_object()["/A"]["/URI"])
        for page in pypdf.PdfReader(str(written)).pages
        for a in page.get("/Annots") or []
        if "/URI" in (a.get_object().get("/A") or {})
    ]
    local = [u for u in uris if not re.match(r"(https?|mailto):", u)]
    assert any(u.endswith("key-figures.csv") for u in local) and any(u.endswith(".zip") for u in local)
    assert [u for u in local if not (written.parent / u).exists()] == []


def test_build_is_quick_enough(stand_in) -> None:
    assert stand_in["seconds"] < 60


# --------------------------------------------------------------------------- failures
@pytest.mark.parametrize("engine", render.ENGINES)
def test_failing_notebook_leaves_previous_briefing(stand_in, data_hooks, tmp_path: Path, engine: str) -> None:
    out = tmp_path / "reports"
    shutil.copytree(stand_in["out"], out)
    before = (out / "briefing.html").read_bytes()
    before_kf = (out / "key-figures" / "02_context.json").read_bytes()
    bad = write_notebooks(tmp_path / "notebooks", fail="02_context")
    with pytest.raises(NotebookError) as err:
        render.build(STAND_IN, formats=("html",), out_dir=out, progress=False, notebooks_dir=bad, engine=engine)
    msg = str(err.value)
    assert one_line(msg)
    assert "02_context" in msg and "ValueError" in msg and "stand-in failure: no deliveries" in msg
    # the same cell number with either engine: parameters (1), injected parameters (2), body (3), failure (4)
    assert "cell 4" in msg
    assert (out / "briefing.html").read_bytes() == before
    assert (out / "key-figures" / "02_context.json").read_bytes() == before_kf
    assert not list(out.glob(".tmp-*"))


def test_unknown_country_fails_before_any_kernel(data_hooks, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import papermill

    calls: list[object] = []
    monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(pipeline, "run_on_pool", lambda *a, **k: calls.append(a))
    nbs = write_notebooks(tmp_path / "notebooks")
    with pytest.raises(UnknownNameError) as err:
        render.build({**STAND_IN, "recipient": "Mlai"}, out_dir=tmp_path / "out", progress=False, notebooks_dir=nbs)
    assert one_line(str(err.value)) and "Mali" in str(err.value) and "recipient" in str(err.value)
    with pytest.raises(UnknownNameError):
        render.build({**STAND_IN, "recipient": HOSTILE}, out_dir=tmp_path / "out", progress=False, notebooks_dir=nbs)
    with pytest.raises(UnknownNameError):
        render.build({**STAND_IN, "rivals": "Russia, Atlantis"}, out_dir=tmp_path / "out", progress=False, notebooks_dir=nbs)
    assert calls == []
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "changes, error, words",
    [
        ({"start": 1900}, ParameterError, "outside"),
        ({"end": 2030}, ParameterError, "outside"),
        ({"start": 2022, "end": 2024}, ParameterError, "5-year"),
        ({"start": "20x0"}, ParameterError, "year"),
        ({"start": 2020, "end": 2010}, ParameterError, "after"),
        ({"agreement_date": "2024-02-30"}, ParameterError, "YYYY-MM-DD"),
        ({"region": "Mali"}, ParameterError, "country"),
        ({"region": "Westeros"}, UnknownNameError, "Westeros"),
        ({"peers": " , "}, ParameterError, "empty"),
    ],
)
def test_bad_parameters(data_hooks, changes, error, words) -> None:
    with pytest.raises(error) as err:
        params.check({**STAND_IN, **changes})
    assert one_line(str(err.value)) and words in str(err.value)


def test_bad_format_and_missing_notebooks(data_hooks, tmp_path: Path) -> None:
    with pytest.raises(ParameterError):
        render.build(STAND_IN, formats=("docx",), out_dir=tmp_path, progress=False)
    with pytest.raises(NotebookError, match="01_the_deal"):
        render.build(STAND_IN, out_dir=tmp_path / "o", progress=False, notebooks_dir=tmp_path / "none")


# --------------------------------------------------------------------------- names, options, imports
def test_output_names(data_hooks) -> None:
    d = params.defaults()
    assert params.output_name(stand_in_params(recipient="mali", supplier="CHN"), d) == "briefing"
    ci = stand_in_params(recipient="Ivory Coast")
    assert params.output_name(ci, d) == "briefing-cote-divoire-china"
    other = stand_in_params(region="West Africa", start=2010)
    assert params.output_name(other, d) == "briefing-mali-china-west-africa-2010-2024"
    assert render.check_formats("pdf, html") == ("html", "pdf")


def test_build_options_and_engines() -> None:
    from analysis import cli

    args = cli.parser().parse_args(["build", "--quiet", "--verbose", "--engine", "papermill"])
    assert args.quiet and args.verbose and args.engine == "papermill"
    assert cli.parser().parse_args(["build"]).engine == render.DEFAULT_ENGINE == "inprocess"
    with pytest.raises(ParameterError):
        render.check_engine("kernel")


def test_help_does_not_import_heavy_modules() -> None:
    import subprocess

    code = (
        "import sys; from analysis import cli; cli.parser().format_help(); "
        "print(sorted(m for m in ('papermill', 'nbconvert', 'weasyprint', 'pandas', 'matplotlib') if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]"
