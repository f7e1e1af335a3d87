"""``briefing batch``: the plan from the data, the worker pool, a real batch, a failing country,
and the in-process engine against papermill's on the real notebooks.

The batch tests run two or three countries (HTML only) so that they stay quick; the failing
country uses stand-in notebooks (tests/test_render.py) whose first notebook raises for Niger.
"""

from __future__ import annotations

import dataclasses
import html as html_lib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from analysis import params, render
from analysis.errors import NotebookError, ParameterError, UnknownNameError
from analysis.render import batch
from tests.test_render import write_notebooks

ROOT = Path(__file__).resolve().parents[1]
BRIEFING = str(Path(sys.executable).with_name("briefing"))
HOSTILE = "<script>alert(1)</script>"


# --------------------------------------------------------------------------- the plan
def test_plan_follows_the_data(shared: Path) -> None:
    from analysis import data, regions
    from analysis import transfers as tr

    t = data.transfers()
    lo, hi = tr.coverage(t)
    recent = (hi - 9, hi)
    countries, skipped = batch.plan("Africa", 2010, t)
    by_name = {c.recipient: c for c in countries}
    assert len(countries) > 30 and not {c.recipient for c in countries} & {s["recipient"] for s in skipped}
    # Mali's main supplier is the largest state supplier over the release's last ten years
    expected = [s for s in tr.main_suppliers(t, "Mali", recent, n=20) if regions.kind(s) == "state"][0]
    assert by_name["Mali"].supplier == expected == "Russia" and by_name["Mali"].years == recent
    # peers: up to two other states of Mali's smallest curated group (the AES) or else of its
    # sub-region, largest imports first, as params.resolve chooses them for `briefing build`
    peers = by_name["Mali"].peers
    assert 1 <= len(peers) <= 2 and "Mali" not in peers
    west = set(regions.members("West Africa", include_non_state=False))
    assert set(peers) <= west
    aes = set(regions.members("AES")) - {"Mali"}
    imports = {p: tr.select(t, recipients=p, years=recent)["tiv_delivered"].sum() for p in aes}
    assert list(peers) == sorted(imports, key=imports.get, reverse=True)[: len(peers)]
    # the same parameters as `briefing build --recipient Mali --supplier Russia`
    assert by_name["Mali"].params == params.resolve(params.check({"recipient": "Mali", "supplier": "Russia"}))
    # every planned recipient is an African state with a delivery recorded since 2010
    for c in countries:
        assert regions.kind(c.recipient) == "state" and c.recipient in regions.members("Africa")
        assert (t.loc[t["recipient"].isin(regions.variants(c.recipient)), "delivery_year"] >= 2010).any()
        assert regions.kind(c.supplier) == "state" and c.supplier != c.recipient
    # a list of countries is planned the same way, and not-a-year is refused
    only = batch.plan("Mali, Niger", 2010, t)[0]
    assert [c.recipient for c in only] == ["Mali", "Niger"] and only[0] == by_name["Mali"]
    with pytest.raises(ParameterError):
        batch.plan("Africa", 1800, t)


def test_summary_line_and_empty_peers() -> None:
    p = params.Params(recipient="Mali", supplier="Russia", peers=())
    kf = {
        "01_the_deal": {
            "figures": [
                {"id": "supplier_share_last_window", "value": 43.6, "years": "2020-24", "text": "long sentence", "headline": True}
            ]
        }
    }
    assert batch.summary_of(kf, p) == "Russia supplied 43.6% of Mali's major-arms imports in 2020-24"
    kf["01_the_deal"]["figures"][0]["value"] = 0.0  # no deliveries from it in those years: the notebook's sentence
    assert batch.summary_of(kf, p) == "long sentence"
    assert batch.summary_of({}, p) == ""
    # the Norinco agreement names the maker only in a briefing about China as the supplier
    default = params.Params(region="Africa", agreement_date="2024-09-02")
    assert render.title_of(default) == "Mali, Norinco and China's arms in Africa"
    assert (
        render.title_of(params.Params(supplier="Russia", region="Africa", agreement_date="2024-09-02"))
        == "Mali and Russia's arms in Africa"
    )
    coverage = lambda: (1950, 2024)  # noqa: E731
    assert params.check({"peers": ""}, coverage=coverage).peers == ()
    with pytest.raises(ParameterError):
        params.check({"peers": " , "}, coverage=coverage)


# --------------------------------------------------------------------------- real batches
@pytest.mark.slow
def test_batch_of_real_countries(shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from analysis import data

    def not_here(*a, **k):
        raise AssertionError("the batch's own process read the transfers table: planning belongs in its own process")

    monkeypatch.setattr(data, "transfers", not_here)  # the planner and the workers are other processes
    out = tmp_path / "batch"
    result = batch.run("Mali, Niger", 2010, formats="html", out_dir=out, workers=2, progress=False)
    assert not result["failed"] and len(result["written"]) == 2
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" aria-label="[^"]+ briefing \(HTML\)">', index)
    assert sorted(links) == ["mali.html", "niger.html"]
    assert sorted(re.findall(r'<a href="([^"]+)" class="state"', index)) == ["mali.html", "niger.html"]
    for link in links:
        assert (out / link).is_file()
        kf = out / "key-figures" / Path(link).stem / "01_the_deal.json"
        share = {f["id"]: f for f in json.loads(kf.read_text())["figures"]}["supplier_share_last_window"]
        row = next(r for r in result["written"] if r["slug"] == Path(link).stem)
        assert f"{share['value']:.1f}%" in row["summary"] and row["summary"] in index.replace("&#39;", "'")
    mali = next(r for r in result["written"] if r["slug"] == "mali")
    assert mali["supplier"] == "Russia" and mali["summary"].startswith("Russia supplied")
    assert "March 2025 release" in index and "<script" not in index
    assert not list(out.glob(".tmp-*"))


def _failing_notebooks(folder: Path) -> Path:
    nbs = write_notebooks(folder)
    p = nbs / "01_the_deal.ipynb"
    nb = nbformat.read(p, as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell('if recipient == "Niger":\n    raise ValueError("stand-in failure for Niger")'))
    for cell in nb.cells:  # a hostile headline: the index must show it as text
        cell.source = cell.source.replace(
            '"Headline of 01_the_deal: <b>bold</b> & co"', f'"Headline for " + recipient + " {HOSTILE} & co"'
        )
    nbformat.write(nb, p)
    return nbs


@pytest.mark.slow
def test_one_failing_country_does_not_stop_the_others(shared: Path, tmp_path: Path) -> None:
    nbs = _failing_notebooks(tmp_path / "notebooks")
    out = tmp_path / "out"
    r = subprocess.run(
        [
            BRIEFING,
            "batch",
            "--recipients",
            "Mali, Niger, Chad",
            "--notebooks",
            str(nbs),
            "--format",
            "html",
            "--out",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert r.returncode == NotebookError.exit_code, r.stderr[-2000:]
    errors = [line for line in r.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "1 of 3 briefings failed (Niger)" in errors[0], r.stderr
    failed = [line for line in r.stderr.splitlines() if "failed: Niger" in line]
    assert len(failed) == 1 and "01_the_deal" in failed[0] and "stand-in failure for Niger" in failed[0]
    assert "Traceback" not in r.stderr
    assert (out / "mali.html").is_file() and (out / "chad.html").is_file() and not (out / "niger.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)" aria-label=', index) == ["chad.html", "mali.html"]
    assert 'id="failures"' in index and "stand-in failure for Niger" in index
    assert HOSTILE not in index and "Headline for Mali &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in index
    assert not list(out.glob(".tmp-*"))


# --------------------------------------------------------------------------- the engines
@pytest.mark.slow
def test_inprocess_engine_matches_papermill(shared: Path, tmp_path: Path) -> None:
    """The default briefing's key figures and its sections' charts and tables are the same
    whether the notebooks run in warm workers or each in its own Jupyter kernel."""
    built = {}
    for engine in render.ENGINES:
        out = tmp_path / engine
        render.build(formats="html", out_dir=out, progress=False, engine=engine)
        html = (out / "briefing.html").read_text(encoding="utf-8")
        sections = re.findall(r'<section class="part nb-section".*?</section>', html, re.S)
        built[engine] = (
            {s: json.loads((out / "key-figures" / f"{s}.json").read_text()) for s in render.NOTEBOOKS},
            [(x.count("<img"), x.count("<table")) for x in sections],
        )
    assert built["inprocess"][0] == built["papermill"][0]
    assert built["inprocess"][1] == built["papermill"][1] and len(built["inprocess"][1]) == 3


# --------------------------------------------------------------------------- the index page
INDEX_ROWS = [
    {
        "slug": "chad",
        "recipient": "Chad",
        "supplier": "China",
        "supplier_years": "",
        "peers": "Niger",
        "end": 2024,
        "region": "Africa",
        "summary": "China supplied 40.0% of Chad's major-arms imports in 2020-2024",
        "files": [("HTML", "chad.html"), ("PDF", "chad.pdf")],
    },
    {
        "slug": "cote-d-ivoire",
        "recipient": "Côte d'Ivoire",
        "supplier": "France",
        "supplier_years": "",
        "peers": "",
        "end": 2024,
        "region": "Africa",
        "summary": "S",
        "files": [("HTML", "cote-d-ivoire.html")],
    },
    {
        "slug": "mauritius",
        "recipient": "Mauritius",
        "supplier": "India",
        "supplier_years": "",
        "peers": "",
        "end": 2024,
        "region": "Africa",
        "summary": "S",
        "files": [("HTML", "mauritius.html")],
    },
    {
        "slug": "nigeria",
        "recipient": "Nigeria",
        "supplier": "China",
        "supplier_years": "",
        "peers": "",
        "end": 2024,
        "region": "Africa",
        "summary": f"Headline {HOSTILE}",
        "files": [("HTML", "nigeria.html")],
    },
]


def test_index_opens_with_a_map_of_linked_states(shared: Path, tmp_path: Path) -> None:
    from analysis import charts

    path = tmp_path / "index.html"
    batch.write_index(path, INDEX_ROWS, [], ["March 2025"], "Chad, Côte d'Ivoire, Mauritius, Nigeria", 2010, (2015, 2024))
    html = path.read_text(encoding="utf-8")
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert html.index("<svg") < html.index('<table class="batch')  # the map comes first
    states = re.findall(
        r'<a href="([^"]+)" class="state" data-iso3="([A-Z]{3})"><title>([^<]+)</title>'
        r'<path id="map-[A-Z]{3}" fill="(#[0-9a-f]{6})"',
        svg,
    )
    assert sorted((h, c) for h, c, _, _ in states) == [
        ("chad.html", "TCD"),
        ("cote-d-ivoire.html", "CIV"),
        ("nigeria.html", "NGA"),
    ]
    by_href = {h: (html_lib.unescape(t), f) for h, _, t, f in states}
    assert by_href["chad.html"] == ("Chad: main supplier China", charts.supplier_colour("China"))
    assert by_href["cote-d-ivoire.html"] == ("Côte d'Ivoire: main supplier France", charts.supplier_colour("France"))
    assert len(re.findall(r"<path ", svg)) > 50  # every African state is drawn, linked or not
    # the legend names each supplier, most states first; Mauritius is too small for the map
    legend = re.findall(
        r'<li><span class="swatch" style="background: (#[0-9a-f]{6})" aria-hidden="true"></span>([^<]+)</li>', html
    )
    assert legend[0] == (charts.supplier_colour("China"), "China (2): Chad, Nigeria")
    assert "Not on the map (too small at this scale): Mauritius" in html
    # self-contained, escaped, and one row per state in the table after the map
    assert not re.search(r'(src|href)="(https?:)?//', html.replace('xmlns="http://www.w3.org/2000/svg"', ""))
    assert HOSTILE not in html and "<script" not in html
    table = html[html.index('<table class="batch') :]
    assert re.findall(r'<tr id="([^"]+)">', table) == ["chad", "cote-d-ivoire", "mauritius", "nigeria"]
    assert 'class="skip-link" href="#briefings"' in html and 'id="briefings"' in html


def test_index_without_the_base_map(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from analysis.errors import MissingSourceError
    from analysis.render import sitemap

    def missing(path: object = None) -> None:
        raise MissingSourceError("source naturalearth_110m not found")

    monkeypatch.setattr(sitemap, "shapes", missing)
    batch.write_index(tmp_path / "index.html", INDEX_ROWS[:1], [], ["March 2025"], "Chad", 2010, (2015, 2024))
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<svg" not in html and "No map: source naturalearth_110m not found" in html and 'id="chad"' in html


# --------------------------------------------------------------------------- the French batch
def test_the_summary_line_in_french() -> None:
    from analysis import i18n

    p = params.Params(recipient="Mali", supplier="Russia", peers=(), lang="fr")
    kf = {"01_the_deal": {"figures": [{"id": "supplier_share_last_window", "value": 43.6, "years": "2020-2024"}]}}
    with i18n.use("fr"):
        assert (
            batch.summary_of(kf, p)
            == "43,6\u202f% des importations d’armes majeures du Mali en 2020-2024 provenaient de la Russie"
        )
        # no verb agrees with the supplier: a plural name reads as well as a singular one
        us = dataclasses.replace(p, recipient="Niger", supplier="United States")
        assert batch.summary_of(kf, us).endswith("du Niger en 2020-2024 provenaient des États-Unis")
    # summary_in writes in the briefing's language, summary_of in the current one
    assert batch.summary_in(kf, p).startswith("43,6\u202f% des importations")
    assert batch.summary_of(kf, p) == "Russia supplied 43.6% of Mali's major-arms imports in 2020-2024"
    assert batch.summary_in(kf, dataclasses.replace(p, lang="en")) == batch.summary_of(kf, p)


def test_the_french_plan_names_its_files_as_build_does(shared: Path) -> None:
    from analysis import data

    countries, _ = batch.plan("Mali, Senegal", 2010, data.transfers(), lang="fr")
    assert [(c.params.lang, c.slug, c.name) for c in countries] == [("fr", "mali", "mali-fr"), ("fr", "senegal", "senegal-fr")]
    assert params.output_name(countries[0].params).endswith("-fr")
    assert batch.index_stem("index", "fr") == "index-fr" and batch.index_stem("index", "en") == "index"


def _french_index_checks(html: str) -> BeautifulSoup:
    from tests.test_french_edition import english_words, running_text

    soup = BeautifulSoup(html, "html.parser")
    assert soup.html.get("lang") == "fr"
    headings = [h.get_text(" ", strip=True) for h in soup.select("h1, h2")]
    assert "Carte des destinataires" in headings and "Versions des données" in headings
    assert any(h.startswith("Notes (") for h in headings)
    assert [th.get_text(strip=True) for th in soup.select("table.batch thead th")][0] == "Destinataire"
    hits = english_words(running_text(soup))
    assert not hits, hits[:8]
    return soup


def test_the_french_index(shared: Path, tmp_path: Path) -> None:
    from analysis import charts

    failures = [{"recipient": "Eritrea", "supplier": "none", "error": "SIPRI names no state supplier of Eritrea"}]
    path = tmp_path / "index-fr.html"
    batch.write_index(path, INDEX_ROWS, failures, ["March 2025"], "Africa", 2010, (2015, 2024), lang="fr")
    html = path.read_text(encoding="utf-8")
    soup = _french_index_checks(html)
    assert (
        soup.select_one("h1.doc-title").get_text()
        == "Notes sur les transferts d’armes\u00a0: tous les destinataires en Afrique depuis 2010"
    )
    # the map: French names in its titles and legend, the suppliers' own colours
    titles = [t.get_text() for t in soup.select("svg a.state title")]
    assert (
        "Tchad\u00a0: principal fournisseur, Chine" in titles and "Côte d’Ivoire\u00a0: principal fournisseur, France" in titles
    )
    legend = [li.get_text() for li in soup.select("ul.map-legend li")]
    assert legend[0] == "Chine (2)\u00a0: Tchad, Nigeria"
    swatch = soup.select_one("ul.map-legend li span.swatch")["style"]
    assert swatch == f"background: {charts.supplier_colour('China')}"
    # the rows and the failures with French names; an error stays as written, marked English
    rows = [th.get_text(" ", strip=True) for th in soup.select("table.batch tbody th")]
    assert rows[0] == "Tchad comparé à\u00a0: Niger" and "Maurice" in rows
    failed = soup.select_one("ul.failures li")
    assert failed.get_text(" ", strip=True).startswith("Érythrée (fournisseur\u00a0: néant)")
    assert failed.select_one(".error")["lang"] == "en"
    assert "Absents de la carte (trop petits à cette échelle)\u00a0: Maurice" in html
    # the English index of the same rows is as it was
    batch.write_index(tmp_path / "index.html", INDEX_ROWS, failures, ["March 2025"], "Africa", 2010, (2015, 2024))
    en = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in en and "Eritrea</strong> (supplier none):" in en and "\u202f" not in en
    assert "Arms-transfer briefings: every recipient in Africa since 2010" in en


@pytest.mark.slow
def test_a_french_batch(shared: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    result = batch.run("Mali, Senegal", 2010, formats="html", out_dir=out, workers=2, limit=2, progress=False, lang="fr")
    assert not result["failed"] and result["index"] == out / "index-fr.html"
    assert sorted(p.name for p in out.glob("*.html")) == ["index-fr.html", "mali-fr.html", "senegal-fr.html"]
    soup = _french_index_checks(result["index"].read_text(encoding="utf-8"))
    assert sorted(a["href"] for a in soup.select("td.files a")) == ["mali-fr.html", "senegal-fr.html"]
    summaries = [td.get_text() for td in soup.select("td.summary")]
    assert summaries[0].endswith(" provenaient de la Russie") and "des importations d’armes majeures du Mali" in summaries[0]
    mali = BeautifulSoup((out / "mali-fr.html").read_text(encoding="utf-8"), "html.parser")
    assert mali.html.get("lang") == "fr" and mali.select_one("h1.doc-title").get_text().startswith("Le Mali")
    assert (out / "key-figures" / "mali-fr" / "01_the_deal.json").is_file()


def test_a_plan_made_apart_is_the_plan_and_keeps_its_error(shared: Path) -> None:
    from analysis import data

    countries, skipped, recent = batch.plan_apart("Mali, Niger", 2010)
    assert (countries, skipped) == batch.plan("Mali, Niger", 2010, data.transfers())
    assert recent[1] - recent[0] == batch.SUPPLIER_YEARS - 1
    with pytest.raises(UnknownNameError, match="Atlantis") as err:
        batch.plan_apart("Atlantis", 2010)
    assert "\n" not in str(err.value)


def test_a_bad_language_is_one_line_and_fails() -> None:
    r = subprocess.run(
        [BRIEFING, "batch", "--lang", "xx", "--recipients", "Mali", "--out", "/nonexistent/batch", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert r.returncode == ParameterError.exit_code and r.stdout == ""
    assert r.stderr.splitlines() == ["error: lang must be one of en, fr, got 'xx'; e.g. --lang fr"]
