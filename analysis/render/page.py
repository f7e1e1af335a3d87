"""Page assembly: the briefing as one self-contained HTML page (Jinja, autoescaped).

Cover (title, subtitle, build date, parameters, data releases, contents), key findings (the
notebooks' headline key figures), the claim ledger where there is one, the notebooks' sections
(nbconvert fragments) and the appendix on sources, licences and methods and how to cite the
briefing (:func:`citation`, plain text and BibTeX, from the cover's values), with one embedded
stylesheet for screen and print. Templates: ``analysis/templates/page/`` (:data:`analysis.paths.PAGE_TEMPLATES`).

Prose goes through :mod:`analysis.fmt` (names, articles, possessives, dates); every value from
data or parameters is escaped by the templates; only the fragments and the stylesheet are Markup.
The appendix's parts (sources, methods, citation) are built in :mod:`analysis.render.appendix`.

Language: the page is written in ``p.lang`` (:func:`assemble` runs inside ``i18n.use``): its
messages are marked with ``_`` here and in the templates (``jinja2.ext.i18n``), and a French page
gets French typography (:mod:`analysis.typography`) on its text, sections included.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from analysis import fmt, i18n, params, paths
from analysis.fmt import Named as N
from analysis.fmt import release_name
from analysis.i18n import N_, _, ngettext
from analysis.params import Params, slugify
from analysis.render.appendix import (  # noqa: F401 - the appendix's parts, importable from here as before
    AUTHOR,
    PUBLISHER,
    bibtex_escape,
    built_text,
    catalogue_rows,
    citation,
    method_rows,
    verdict_rules,
)
from analysis.typography import french_html

VERDICT_CLASSES = {
    "supported": "v-supported",
    "partly supported": "v-partly",
    "contradicted": "v-contradicted",
    "not checkable with these data": "v-unchecked",
}
#: The ledger's legend: each verdict (its code), its class and what it means.
VERDICT_LEGEND = (
    ("supported", "v-supported", N_("the data or curated sources state it;")),
    ("partly supported", "v-partly", N_("it holds for part of what is claimed;")),
    ("contradicted", "v-contradicted", N_("the data say otherwise;")),
    ("not checkable with these data", "v-unchecked", N_("the evidence says what would settle it.")),
)
DASH = "\u2013"


# --------------------------------------------------------------------------- prose
def maker_of(p: Params) -> str | None:
    """The maker named by a curated agreement of ``recipient`` with ``supplier`` on the
    agreement date (e.g. Norinco), from the curated events and systems tables. Only an
    agreement with the supplier counts, and only a maker from the supplier's country."""
    from analysis import context

    if not p.agreement_date:
        return None
    with i18n.use("en"):  # the curated tables' English names and titles are what is matched
        supplier = {p.supplier, fmt.name(p.supplier), ""}
        systems = context.systems()
        e = context.events(p.recipient, category="agreement")
        recipient = {p.recipient, fmt.name(p.recipient)}
    makers = sorted(
        {
            m.strip()
            for m, country in zip(systems["maker"], systems["supplier_country"])
            if m.strip() and country.strip() in supplier
        },
        key=len,
        reverse=True,
    )
    e = e[e["date"].str.startswith(p.agreement_date) & e["country"].isin(recipient) & e["supplier"].str.strip().isin(supplier)]
    for title, event_id in zip(e["title"], e["event_id"]):
        text = f"{title} {event_id}".lower()
        for m in makers:
            if m.lower() in text:
                return m
    return None


def title_of(p: Params) -> str:
    """ "Mali, Norinco and China's arms in Africa" for the default parameters (French: "Le
    Mali, Norinco et les armes de la Chine en Afrique")."""
    values = dict(recipient=N(p.recipient), supplier=N(p.supplier), region=N(p.region))
    maker = maker_of(p)
    if maker:
        return _("{recipient:The}, {maker} and {supplier:poss} arms in {region:the}").format(maker=maker, **values)
    return _("{recipient:The} and {supplier:poss} arms in {region:the}").format(**values)


def subtitle_of(p: Params) -> str:
    return _(
        "{recipient:Poss} arms imports and {supplier:poss} arms transfers to {region:the}, {years}: "
        "a sourced briefing from SIPRI data and curated press sources"
    ).format(recipient=N(p.recipient), supplier=N(p.supplier), region=N(p.region), years=f"{p.start}{DASH}{p.end}")


def ledger_intro(p: Params) -> str:
    return _(
        "Claims published in the news about {recipient:the}, each checked against the data and the curated "
        "press sources. Verdicts are computed by the rules in the appendix, so they change when the data do."
    ).format(recipient=N(p.recipient))


def parameter_rows(p: Params) -> list[tuple[str, str]]:
    """The parameters as the cover and the appendix list them."""

    def names(xs: Sequence[str] | None) -> str:
        return ", ".join(fmt.name(x) for x in xs or ()) or _("none")

    return [
        (_("Recipient"), fmt.name(p.recipient)),
        (_("Supplier"), fmt.name(p.supplier)),
        (_("Region"), fmt.name(p.region)),
        (_("Sub-regions"), names(p.subregions)),
        (_("Peers"), names(p.peers)),
        (_("Rivals"), names(p.rivals)),
        (_("Former power"), names(p.former_power)),
        (_("Years"), f"{p.start}{DASH}{p.end}"),
        (_("Agreement date"), fmt.long_date(p.agreement_date or "") or _("none")),
    ]


def years_text(value: Any) -> str:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{value[0]}{DASH}{value[1]}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def is_release_label(label: object) -> bool:
    """Whether ``label`` is a SIPRI release label such as "March 2025" (not a source's name)."""
    return bool(
        re.fullmatch(
            r"(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}", str(label).strip()
        )
    )


def release_meta(label: object) -> str:
    """A key figure's release for its meta line: "March 2025 release" (French: "Version de
    mars 2025") for a SIPRI release label; another source's name (UCDP's, OWID's) as the
    sentences name it (:func:`analysis.fmt.source_name`)."""
    text = str(label or "").strip()
    if is_release_label(text):
        return _("{release} release").format(release=release_name(text))
    return fmt.source_name(text)


def release_text(r: Any) -> str:
    """A data release as the cover lists it: a key-figures ``releases`` entry (a dict with
    ``source``, ``release``, ``generated``; or a label such as "March 2025") -> its full title."""
    from analysis import sources

    if isinstance(r, dict):
        sid = str(r.get("source", ""))
        src = sources.catalogue().get(sid)
        head = sources.localised(src, "title").split(":")[0] if src else (sid or str(r.get("title", "")))
        rel = r.get("release") or r.get("label") or ""
        gen = r.get("generated")
        text = _("{source}: {release} release").format(source=head, release=release_name(str(rel))) if rel else head
        return _("{text}, data generated {date}").format(text=text, date=gen) if gen else text
    label = str(r)
    for src in sources.catalogue().values():  # "March 2025" -> the register release's full title
        if src.format.startswith("sipri_register") and f"({label} release" in src.title:
            return sources.localised(src, "title")
    return release_name(label)


def release_texts(releases: Sequence[Any]) -> list[str]:
    """:func:`release_text` of each, without repeats, in order."""
    out: list[str] = []
    for r in releases:
        t = release_text(r)
        if t and t not in out:
            out.append(t)
    return out


# --------------------------------------------------------------------------- parts
def findings_of(key_figures: Mapping[str, Mapping[str, Any]]) -> list[dict[str, str]]:
    """The headline key figures of the notebooks, in order, with their region, years and release."""
    findings: list[dict[str, str]] = []
    for kf in key_figures.values():
        for f in kf.get("figures", []) or []:
            if not isinstance(f, dict) or not f.get("headline"):
                continue
            text = f.get("text") or f"{f.get('label', '')}: {f.get('value', '')} {f.get('unit', '')}".strip()
            meta = " \u00b7 ".join(
                x
                for x in (fmt.capital(str(f.get("region") or "")), years_text(f.get("years")), release_meta(f.get("release")))
                if x
            )
            findings.append({"text": str(text), "meta": meta})
    return findings


def source_items(text: str) -> list[dict[str, str]]:
    """A ledger row's ``;``-separated sources: URLs as short links, other text as it is."""
    from urllib.parse import urlsplit

    items = []
    for s in (x.strip() for x in str(text or "").split(";")):
        if not s:
            continue
        if re.match(r"https?://", s, re.I):
            u = urlsplit(s)
            short = (u.netloc.removeprefix("www.") + u.path).rstrip("/")
            short = short if len(short) <= 48 else short[:47] + "\u2026"
            items.append({"href": s, "text": short})
        else:
            items.append({"href": "", "text": s})
    return items


def ledger_rows(frame: Any) -> list[dict[str, Any]]:
    """The claim ledger (a DataFrame: id, claim, verdict, evidence, sources) as template rows,
    each verdict as the reader's language names it ("supported" -> "étayé")."""
    from analysis.verdicts import verdict_label  # imports pandas: not at import time (briefing --help)

    rows = []
    for r in frame.to_dict("records"):
        verdict = str(r.get("verdict", ""))
        rows.append(
            {
                "id": r.get("id", ""),
                "claim": str(r.get("claim", "")),
                "verdict": verdict_label(verdict),
                "verdict_class": VERDICT_CLASSES.get(verdict, "v-unchecked"),
                "paraphrase": bool(r.get("paraphrase", False)),
                "evidence": str(r.get("evidence", "")),
                "sources": source_items(r.get("sources", "")),
            }
        )
    return rows


def ledger_articles(frame: Any) -> list[dict[str, Any]]:
    """The ledger grouped by article, in order: title, outlet, date (as written), url, rows."""
    out: list[dict[str, Any]] = []
    if "article" not in frame:
        return [{"title": "", "outlet": "", "date": "", "url": "", "lang": "en", "rows": ledger_rows(frame)}]
    for title, part in frame.groupby("article", sort=False):
        first = part.iloc[0]
        out.append(
            {
                "title": str(title),
                "outlet": str(first.get("outlet", "")),
                "date": fmt.long_date(str(first.get("date", ""))),
                "url": str(first.get("url", "")),
                "lang": article_language(first.get("file")),
                "rows": ledger_rows(part),
            }
        )
    return out


def article_language(path: object) -> str:
    """The language of a claims file's article (its ``language`` field): the language of its
    title and of the claims' words as the ledger quotes them; "en" where the file does not say."""
    import tomllib
    from pathlib import Path

    try:
        with Path(str(path)).open("rb") as f:
            return str(tomllib.load(f).get("article", {}).get("language") or "en")
    except (OSError, ValueError, TypeError):
        return "en"


# --------------------------------------------------------------------------- templates
def jinja() -> Any:
    """The Jinja environment of the page templates (autoescape on, undefined names fail), with
    ``jinja2.ext.i18n``: ``_()``, ``ngettext()`` and ``{% trans %}`` translate into the current
    language of :mod:`analysis.i18n` when a template renders."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.PAGE_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=False)  # type: ignore[attr-defined]
    return env


def stylesheet() -> Any:
    """The one print stylesheet, as Markup for a ``<style>`` element."""
    from markupsafe import Markup

    return Markup((paths.PAGE_TEMPLATES / "briefing.css").read_text(encoding="utf-8"))


def build_time() -> dt.datetime:
    """Now in UTC, or ``SOURCE_DATE_EPOCH`` for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(dt.UTC)


def typeset(html: str, lang: str) -> str:
    """A finished page in ``lang``'s typography: French no-break spaces in a French page
    (:func:`analysis.typography.french_html`); an English page as it is."""
    return french_html(html) if lang == "fr" else html


def assemble(
    p: Params,
    sections: list[dict[str, Any]],
    key_figures: Mapping[str, Mapping[str, Any]],
    ledger: Any | None,
    built: dt.datetime | None = None,
    data_folder: str = "",
) -> str:
    """The briefing as one self-contained HTML page, in the language of ``p`` (its frame's
    words, numbers and dates, and French typography in French).

    ``p``: resolved parameters; ``sections``: dicts with stem and html (nbconvert fragments,
    trusted), in order; ``key_figures``: the notebooks' JSON by stem, in the same order;
    ``ledger``: the claim ledger (a DataFrame) or None for no ledger section. Every other value
    is escaped by the template."""
    with i18n.use(p.lang):
        return typeset(_assemble(p, sections, key_figures, ledger, built or build_time(), data_folder), p.lang)


def _assemble(
    p: Params,
    sections: list[dict[str, Any]],
    key_figures: Mapping[str, Mapping[str, Any]],
    ledger: Any | None,
    built: dt.datetime,
    data_folder: str,
) -> str:
    from markupsafe import Markup

    from analysis.verdicts import verdict_label

    releases = release_texts([rel for kf in key_figures.values() for rel in kf.get("releases", []) or []])
    secs = []
    for sec in sections:
        kf = key_figures.get(sec["stem"], {})
        html = str(sec["html"])
        secs.append(
            {
                "stem": sec["stem"],
                "id": f"section-{slugify(sec['stem'])}",
                "title": str(kf.get("title") or sec["stem"]),
                "has_h1": bool(re.search(r"<h1[\s>]", html)),
                "html": Markup(html),
            }
        )
    toc = [("key-findings", _("Key findings"))]
    if ledger is not None:
        toc.append(("claim-ledger", _("Claim ledger")))
    toc += [(x["id"], x["title"]) for x in secs]
    toc.append(("appendix", _("Sources, licences and methods")))
    title, parameters = title_of(p), parameter_rows(p)
    stem = data_folder.removesuffix("-data") if data_folder else params.output_name(p)
    end = p.years[1]
    window = _("{recent} against {earlier}").format(recent=f"{end - 4}{DASH}{end}", earlier=f"{end - 9}{DASH}{end - 5}")
    return (
        jinja()
        .get_template("briefing.html.j2")
        .render(
            lang=p.lang,  # the HTML's language, and so the PDF's (WeasyPrint reads it) and its hyphenation
            title=title,
            subtitle=subtitle_of(p),
            citation=citation(title, built, parameters, releases, stem),
            built=built_text(built),
            built_iso=built.isoformat(timespec="seconds"),
            parameters=parameters,
            releases=releases,
            toc=toc,
            findings=findings_of(key_figures),
            ledger=ledger_articles(ledger) if ledger is not None else None,
            ledger_intro=ledger_intro(p),
            verdict_legend=[(verdict_label(v), cls, _(meaning)) for v, cls, meaning in VERDICT_LEGEND],
            sections=secs,
            sources=catalogue_rows(),
            verdict_rules=verdict_rules() if ledger is not None else [],
            methods=method_rows(),
            data_folder=data_folder,
            window_example=window,
            css=stylesheet(),
        )
    )
