"""Every African state gets its own briefing: the batch for every African recipient (HTML), read
as a desk would read fifty pages it cannot proofread one by one.

Each briefing must be about its own state: no sentence outside the tables that list several
states names Mali, Norinco, Camara or Goïta in a briefing about another state; no "n/a", "none
was", "rank 2.0", "'s's" or "United States's"; no table with a header and no rows; no heading
without content.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from analysis import fmt, regions

pytestmark = pytest.mark.slow

MALI_STORY = re.compile(r"\b(Norinco|Camara|Goïta|Goita)\b")
BROKEN = re.compile(r"\bn/a\b|none was|\brank \d+\.0\b|'s's|\bStates's|\(\s*\)|\bthe the\b", re.I)


@pytest.fixture(scope="module")
def batch_dir(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from analysis.render import batch

    out = tmp_path_factory.mktemp("every-state")
    result = batch.run("Africa", 2010, "html", out, workers=2, progress=False)
    assert not result["failed"], result["failed"]
    return out


def briefings(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.html") if p.name != "index.html")


def recipient_of(soup: BeautifulSoup) -> str:
    row = next(th for th in soup.select("table.meta th") if th.get_text(strip=True) == "Recipient")
    return row.find_next("td").get_text(strip=True)


def prose_sentences(soup: BeautifulSoup) -> list[str]:
    """Sentences of the page's running text: paragraphs, list items and headings outside tables,
    outside the appendix (which lists every source) and outside the quoted titles of the
    articles whose claims the ledger checks (a Chad briefing may check a claim about Chad made
    in an article about Mali; the article is cited by its published title)."""
    body = BeautifulSoup(str(soup), "html.parser")
    for t in body.select("table, #appendix, nav, .toc, h2.article, p.article-meta"):
        t.decompose()
    out = []
    for el in body.select("p, li, h1, h2, h3, h4, figcaption"):
        text = " ".join(el.get_text(" ").split())
        out += [s for s in re.split(r"(?<=[.;:?!])\s+", text) if s]
    return out


AFRICAN = sorted({fmt.name(n) for n in regions.members("Africa", include_non_state=False)} | {"Egypt"}, key=len, reverse=True)


def states_named(sentence: str) -> set[str]:
    return {n for n in AFRICAN if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", sentence)}


def test_the_batch_covers_every_african_recipient(batch_dir: Path) -> None:
    from analysis import data
    from analysis.render import batch

    expected = batch.recipient_states(data.transfers(), "Africa", 2010)
    assert len(briefings(batch_dir)) == len(expected) >= 40


def test_each_briefing_is_about_its_own_state(batch_dir: Path) -> None:
    problems = []
    for page in briefings(batch_dir):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        state = recipient_of(soup)
        for s in prose_sentences(soup):
            if state != "Mali" and MALI_STORY.search(s):
                problems.append(f"{page.name}: Mali's story: {s}")
            named = states_named(s)
            if state != "Mali" and "Mali" in named and len(named - {state}) < 2:
                problems.append(f"{page.name}: names Mali alone: {s}")
            if BROKEN.search(s):
                problems.append(f"{page.name}: broken prose: {s}")
    assert not problems, "\n".join(problems[:40])


def test_no_empty_tables_and_no_empty_sections(batch_dir: Path) -> None:
    problems = []
    for page in briefings(batch_dir):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for t in soup.find_all("table"):
            if t.find("thead") and not t.select("tbody tr"):
                problems.append(f"{page.name}: empty table {t.find('caption').get_text() if t.find('caption') else ''}")
        for h in soup.find_all(["h2", "h3"]):
            nxt = h.find_next(
                lambda el: (
                    (
                        el.name in ("p", "ul", "ol", "table", "img", "figure", "dl", "h1", "h2", "h3", "div")
                        and el.get_text(strip=True) != ""
                    )
                    or el.name in ("img", "svg")
                )
            )
            level = int(h.name[1])
            if nxt is None or (nxt.name in ("h1", "h2", "h3") and int(nxt.name[1]) <= level):
                problems.append(f"{page.name}: heading without content: {h.get_text(strip=True)}")
    assert not problems, "\n".join(problems[:40])


def test_thin_data_briefings_say_what_the_data_hold(batch_dir: Path) -> None:
    """States with few imports or no conflict: the neutral context heading, no conflict section."""
    calm = []
    for page in briefings(batch_dir):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        heads = [h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2"])]
        ctx = next(h for h in heads if h.startswith("2. Context"))
        if "security crisis" not in ctx and "conflict in" not in ctx:
            calm.append(page.name)
            assert "Conflict deaths" not in heads or any(
                "highest yearly count" in s or "UCDP counts" in s for s in prose_sentences(soup)
            ), page.name
    assert calm, "some African states had no organised violence in the last five years"
