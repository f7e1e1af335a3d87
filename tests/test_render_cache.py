"""The stage cache (analysis/render/cache.py) and its use by the build.

Never a stale result: every kind of input (the notebook, a parameter it reads, a code file, a
curated table, a source file's digest) changes the key and the stage is run again; a parameter a
notebook does not read does not. The store is atomic, bounded (least recently used entries go),
and ``briefing cache clear`` empties it. Section 3 (notebook 03) is the same for two recipients
with the same supplier, region, sub-regions and rivals, so a batch shares it.

The stand-in notebooks of tests/test_render.py keep the pipeline tests quick; the section 3 test
runs the real notebook on the real data.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from analysis import params, paths
from analysis.render import cache, pipeline
from tests import test_render as tr


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty stage cache (the tidy tables' Parquet cache stays shared)."""
    root = tmp_path / "stages"
    monkeypatch.setattr(cache, "root", lambda: root)
    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    return root


# --------------------------------------------------------------------------- the store
def test_store_restore_and_clear(store: Path, tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("alpha")
    key = "ab" + "0" * 62
    assert cache.lookup(key) is None
    assert cache.store(key, {"x/a.txt": src}, "stage", stem="s")
    dest = tmp_path / "dest"
    meta = cache.restore(key, dest)
    assert meta is not None and (dest / "x" / "a.txt").read_text() == "alpha" and meta["stem"] == "s"
    assert not list((store / ".tmp").iterdir())  # written aside, renamed into place, nothing left over
    # a partial entry (a file gone) is a miss, never a partial result
    (cache.entry(key) / "x" / "a.txt").unlink()
    assert cache.lookup(key) is None and cache.restore(key, tmp_path / "d2") is None
    assert cache.clear()[0] == 1 and cache.entries() == []


def test_eviction_removes_least_recently_used(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blob = tmp_path / "blob"
    blob.write_bytes(b"x" * 400_000)
    keys = [f"{i:02d}" + "1" * 62 for i in range(3)]
    monkeypatch.setenv("BRIEFING_STAGE_CACHE_MB", "100")
    for i, k in enumerate(keys):
        cache.store(k, {"blob": blob}, "stage")
        os.utime(cache.entry(k) / cache.META, (1000 + i, 1000 + i))
    cache.lookup(keys[0])  # a use: now the most recent
    monkeypatch.setenv("BRIEFING_STAGE_CACHE_MB", "1.0")  # 1.2 MB held, 1 MB allowed: down to 0.8 MB
    assert cache.evict() == 1
    assert cache.lookup(keys[1]) is None and cache.lookup(keys[0]) and cache.lookup(keys[2])


# --------------------------------------------------------------------------- keys
def _tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Copies of the package, the curated tables, the claims, and a raw and an exports folder."""
    pkg = tmp_path / "analysis"
    shutil.copytree(paths.PACKAGE, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    data = tmp_path / "data"
    shutil.copytree(paths.CURATED, data / "curated")
    shutil.copytree(paths.CLAIMS, data / "claims")
    shutil.copyfile(paths.CATALOGUE, data / "sources.toml")
    exports = tmp_path / "exports"
    (exports / "sipri").mkdir(parents=True)
    (exports / "sipri" / "trade-register.csv").write_text("deal,year\n1,2020\n")
    raw = tmp_path / "raw"
    raw.mkdir()
    nbs = tr.write_notebooks(tmp_path / "notebooks")
    for name, value in (
        ("PACKAGE", pkg),
        ("TEMPLATES", pkg / "templates"),
        ("DATA", data),
        ("CURATED", data / "curated"),
        ("CLAIMS", data / "claims"),
        ("CATALOGUE", data / "sources.toml"),
    ):
        monkeypatch.setattr(paths, name, value)
    monkeypatch.setattr(params, "_coverage", lambda: (1950, 2024))
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(exports))
    monkeypatch.setenv("BRIEFING_RAW_DIR", str(raw))
    return {"pkg": pkg, "data": data, "exports": exports, "notebooks": nbs}


def _keys(t: dict[str, Path], p: params.Params) -> dict[str, str]:
    fp = cache.fingerprint(pipeline.notebook_paths(t["notebooks"]))
    return pipeline.stage_keys(p, pipeline.NOTEBOOKS, fp, "inprocess")


def test_every_input_changes_the_keys(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    t = _tree(tmp_path, monkeypatch)
    p = tr.stand_in_params()
    base = _keys(t, p)
    assert base == _keys(t, p)  # stable

    def changed(edit) -> set[str]:
        edit()
        now = _keys(t, p)
        return {s for s in base if now[s] != base[s]}

    everything = set(pipeline.NOTEBOOKS)
    nb = t["notebooks"] / "02_context.ipynb"
    assert changed(lambda: nb.write_text(nb.read_text().replace("Narrative", "A new narrative"))) == {"02_context"}
    base = _keys(t, p)
    code = t["pkg"] / "transfers.py"
    assert changed(lambda: code.write_text(code.read_text() + "\n# changed\n")) == everything
    base = _keys(t, p)
    tpl = next((t["pkg"] / "templates").rglob("*.j2"))
    assert changed(lambda: tpl.write_text(tpl.read_text() + " ")) == everything
    base = _keys(t, p)
    table = next((t["data"] / "curated").glob("*.csv"))
    assert changed(lambda: table.write_text(table.read_text() + "\n")) == everything
    base = _keys(t, p)
    claim = next((t["data"] / "claims").glob("*"))
    assert changed(lambda: claim.write_text(claim.read_text() + "\n")) == everything
    base = _keys(t, p)
    export = t["exports"] / "sipri" / "trade-register.csv"
    assert changed(lambda: export.write_text("deal,year\n1,2021\n")) == everything  # the data digest
    base = _keys(t, p)
    monkeypatch.setattr(cache, "_distributions", lambda: ["pandas-9.9.dist-info"])
    assert changed(lambda: None) == everything  # a library version


@pytest.mark.parametrize(
    "change, stems",
    [
        ({"recipient": "Niger"}, {"01_the_deal", "02_context"}),  # section 3 is shared
        ({"rivals": "Russia, France"}, {"03_china_in_africa"}),
        ({"supplier": "Russia"}, set(pipeline.NOTEBOOKS)),
        ({"peers": "Chad"}, {"02_context"}),
        ({"agreement_date": ""}, {"01_the_deal"}),
        ({"end": 2023}, set(pipeline.NOTEBOOKS)),
        ({"region": "Middle East", "subregions": ""}, {"03_china_in_africa"}),
        ({"lang": "fr"}, set(pipeline.NOTEBOOKS)),  # every section is written in the language
    ],
)
def test_a_parameter_changes_only_the_notebooks_that_read_it(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, stems
) -> None:
    monkeypatch.setattr(params, "_coverage", lambda: (1950, 2024))
    t = {"notebooks": tr.write_notebooks(tmp_path / "notebooks")}
    base = _keys(t, tr.stand_in_params())
    now = _keys(t, tr.stand_in_params(**change))
    assert {s for s in base if now[s] != base[s]} == stems


def test_outside_africa_the_recipient_is_in_section_3s_key(store: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(params, "_coverage", lambda: (1950, 2024))
    t = {"notebooks": tr.write_notebooks(tmp_path / "notebooks")}
    me = {"region": "Middle East", "subregions": ""}
    a, b = _keys(t, tr.stand_in_params(**me)), _keys(t, tr.stand_in_params(**me, recipient="Niger"))
    assert a["03_china_in_africa"] != b["03_china_in_africa"]


def test_declared_reads_cover_what_the_notebooks_read() -> None:
    """Each notebook's P.<name> is in NOTEBOOK_READS (``years`` is start-end; the recipient of
    section 3 is read only through prose.region_reason, outside Africa)."""
    for stem in pipeline.NOTEBOOKS:
        nb = nbformat.read(paths.NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        src = "\n".join(c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []))
        used = set(re.findall(r"\bP\.(\w+)", src)) - {"years"}
        declared = set(pipeline.NOTEBOOK_READS[stem])
        if stem == "03_china_in_africa":
            assert set(re.findall(r"\bP\.recipient\b.*", src)) == {"P.recipient, P.region))"}
            used -= {"recipient"}
        assert used <= declared, (stem, used - declared)


# --------------------------------------------------------------------------- the build
def _build(nbs: Path, out: Path, **changes) -> pipeline.Built:
    p = tr.stand_in_params(**changes)
    return pipeline.build_one(p, formats="html", out_dir=out, notebooks_dir=nbs, claims=())


def test_the_build_reruns_exactly_the_changed_stages(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tr.install_data_hooks(monkeypatch)
    monkeypatch.delenv("BRIEFING_NO_CACHE", raising=False)
    t = _tree(tmp_path, monkeypatch)
    nbs, out = t["notebooks"], tmp_path / "out"
    first = _build(nbs, out)
    assert first.timings["cached_stages"] == 0
    html = first.files["html"].read_text()
    again = _build(nbs, out)
    assert again.timings["cached_stages"] == 3
    strip = lambda s: re.sub(r"\d+ \w+ \d{4}, \d\d:\d\d UTC|\d{4}-\d\d-\d\dT[\d:+]+", "", s)  # noqa: E731
    assert strip(again.files["html"].read_text()) == strip(html)
    assert [kf["figures"] for kf in again.key_figures.values()] == [kf["figures"] for kf in first.key_figures.values()]
    # a parameter
    niger = _build(nbs, out, recipient="Niger")
    assert niger.timings["cached_stages"] == 1  # section 3 shared
    assert niger.key_figures["03_china_in_africa"]["parameters"]["recipient"] == "Niger"  # stamped with its own
    # the notebook, a code file, a curated table, the data
    nb = nbs / "01_the_deal.ipynb"
    nb.write_text(nb.read_text().replace("Narrative", "Changed narrative"))
    assert _build(nbs, out).timings["cached_stages"] == 2
    for edit in (
        lambda: (t["pkg"] / "fmt.py").write_text((t["pkg"] / "fmt.py").read_text() + "\n# x\n"),
        lambda: next((t["data"] / "curated").glob("*.csv")).open("a").write("\n"),
        lambda: (t["exports"] / "sipri" / "trade-register.csv").write_text("deal,year\n2,2022\n"),
    ):
        edit()
        assert _build(nbs, out).timings["cached_stages"] == 0
    # --no-cache: every stage runs, nothing is read
    assert (
        pipeline.build_one(
            tr.stand_in_params(), formats="html", out_dir=out, notebooks_dir=nbs, claims=(), use_cache=False
        ).timings["cached_stages"]
        == 0
    )


def test_an_unchanged_build_starts_no_worker(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tr.install_data_hooks(monkeypatch)
    nbs, out = tr.write_notebooks(tmp_path / "notebooks"), tmp_path / "out"
    started: list[int] = []
    monkeypatch.setattr(pipeline, "start_pool", lambda n, **k: started.append(n))  # no pool: notebooks run here
    first = pipeline.build(tr.STAND_IN, formats="html", out_dir=out, progress=False, notebooks_dir=nbs, claims="")
    assert len(started) == 1
    html = first["html"].read_bytes()
    first["html"].unlink()
    again = pipeline.build(tr.STAND_IN, formats="html", out_dir=out, progress=False, notebooks_dir=nbs, claims="")
    assert len(started) == 1 and again["html"].read_bytes() == html  # the same files, published again
    # every stage cached, but another format: no worker either
    pipeline.build(tr.STAND_IN, formats="html", out_dir=out, progress=False, notebooks_dir=nbs, claims="", name="other")
    assert len(started) == 1


class _IdlePool:
    size = 2

    def close(self, wait: bool = True) -> None: ...

    def stop(self) -> None: ...


@pytest.mark.parametrize("formats", ["html,pdf", "html"])
def test_weasyprint_is_imported_while_the_workers_warm_up(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, formats: str
) -> None:
    # Importing WeasyPrint costs 0.7 s of a core: done while the workers import, not while two
    # notebooks hold both cores (and not at all for an HTML-only build).
    tr.install_data_hooks(monkeypatch)
    nbs = tr.write_notebooks(tmp_path / "notebooks")
    order: list[str] = []
    monkeypatch.setattr(pipeline, "start_pool", lambda n, **k: order.append("pool") or _IdlePool())
    monkeypatch.setattr(pipeline.pdf, "preload", lambda: order.append("preload"))

    def build_one(p, **kw):
        order.append("notebooks")
        return pipeline.Built(files={}, key_figures={})

    monkeypatch.setattr(pipeline, "build_one", build_one)
    pipeline.build(tr.STAND_IN, formats=formats, out_dir=tmp_path / "out", progress=False, notebooks_dir=nbs, claims="")
    assert order == (["pool", "preload", "notebooks"] if "pdf" in formats else ["pool", "notebooks"])


# --------------------------------------------------------------------------- section 3, real data
@pytest.mark.slow
def test_section_3_is_the_same_for_two_recipients(shared, tmp_path: Path) -> None:
    a = pipeline.parameters({"recipient": "Mali", "supplier": "China"})
    b = pipeline.parameters({"recipient": "Niger", "supplier": "China"})
    assert (a.region, a.subregions, a.rivals) == (b.region, b.subregions, b.rivals)
    stem = "03_china_in_africa"
    outs = {}
    for p in (a, b):
        work = tmp_path / p.recipient
        work.mkdir()
        r = pipeline.run_notebook(
            stem,
            str(paths.NOTEBOOKS / f"{stem}.ipynb"),
            str(work / f"{stem}.ipynb"),
            params.notebook_values(p, outputs=str(work)),
            str(paths.NOTEBOOKS),
            str(work / "fragment.html"),
        )
        assert r["ok"], r
        kf = json.loads((work / f"{stem}.json").read_text())
        assert kf.pop("parameters") == pipeline.stamp_parameters(p)  # what a cached stage is stamped with
        outs[p.recipient] = {"kf": kf, **{f.name: f.read_bytes() for f in work.glob("*") if f.suffix in (".csv", ".html")}}
    assert outs["Mali"] == outs["Niger"]
    values = {p.recipient: pipeline.stage_reads(stem, params.notebook_values(p)) for p in (a, b)}
    assert values["Mali"] == values["Niger"]
