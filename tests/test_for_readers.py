"""What readers get besides the page: a tagged PDF with its title and language, no half-empty
pages before long tables, and chart data whose numbers are the ones the text states."""

from __future__ import annotations

import csv
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis import render

pytestmark = pytest.mark.slow

SECTION_STARTS = re.compile(r"^\s*(Key findings|Claim ledger|\d\. |Sources, licences and methods)")


@pytest.fixture(scope="module")
def built(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("readers")
    files = render.build({"recipient": "Cote d'Ivoire", "supplier": "China"}, out_dir=out, progress=False)
    return {**files, "out": out}


def test_the_pdf_is_tagged_with_title_and_language(built: dict[str, Path]) -> None:
    info = subprocess.run(["pdfinfo", str(built["pdf"])], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.M), info
    assert re.search(r"^Title:\s+Côte d'Ivoire and China's arms in Africa", info, re.M), info
    from pypdf import PdfReader

    root = PdfReader(str(built["pdf"])).trailer["/Root"]
    assert str(root.get("/Lang", "")).lower().startswith("en")
    assert root.get("/Outlines") is not None  # bookmarks from the headings


def page_fill(pdf: Path) -> list[tuple[float, str]]:
    """For each page: how far down its text reaches (0-1, the footer left out) and its first line."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r"<page width=\"[\d.]+\" height=\"([\d.]+)\">(.*?)</page>", xml, re.S):
        height, body = float(page[0]), page[1]
        words = [(float(y1), w) for y1, w in re.findall(r'yMax="([\d.]+)">([^<]*)</word>', body)]
        # the running header (title and section) and the footer ("page 3 of 26") left out
        body_words = [(y, w) for y, w in words if height * 0.08 < y < height * 0.92]
        first = " ".join(w for _, w in body_words[:8])
        pages.append(((max(y for y, _ in body_words) / height) if body_words else 0.0, first))
    return pages


def half_empty_pages(pdf: Path) -> list[tuple[int, tuple[float, str]]]:
    fill = page_fill(pdf)
    return [
        (i + 1, fill[i]) for i, (reach, _) in enumerate(fill[:-1]) if reach < 0.5 and not SECTION_STARTS.match(fill[i + 1][1])
    ]


def test_no_page_is_more_than_half_empty_except_before_a_new_section(built: dict[str, Path], tmp_path: Path) -> None:
    assert not half_empty_pages(built["pdf"])  # Côte d'Ivoire: long deal and timeline tables
    default = render.build(None, formats="pdf", out_dir=tmp_path, progress=False)
    assert not half_empty_pages(default["pdf"])


def test_chart_data_holds_the_numbers_the_text_states(built: dict[str, Path]) -> None:
    text = " ".join(BeautifulSoup(built["html"].read_text(encoding="utf-8"), "html.parser").get_text(" ").split())
    folder = built["out"] / "briefing-cote-divoire-china-data"
    rows = []
    for f in sorted(folder.glob("02_context-chart-*.csv")):
        with open(f, encoding="utf-8") as fh:
            rows += [
                r for r in csv.DictReader(fh) if r.get("years") == "2020-24" and r.get("supplier") not in (None, "", "Others")
            ]
    assert rows, "the shares-by-window chart wrote its data"
    top = max(rows, key=lambda r: float(r["value"]))
    assert top["unit"].startswith("percent") and top["release"]
    assert f"{top['supplier']} {float(top['value']):.1f}% in 2020-24" in text or f"({float(top['value']):.1f}%" in text, (
        top,
        text[:500],
    )
    links = BeautifulSoup(built["html"].read_text(encoding="utf-8"), "html.parser").select("figure.chart a.data-link")
    assert links and all((built["out"] / a["href"]).is_file() for a in links)
