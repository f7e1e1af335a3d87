"""Page assembly: the briefing as one self-contained HTML page (Jinja, autoescaped).

Cover (title, subtitle, build date, parameters, data releases, contents), key findings (the
notebooks' headline key figures), the claim ledger where there is one, the notebooks' sections
(nbconvert fragments) and the appendix on sources, licences and methods and how to cite the
briefing (:func:`citation`, plain text and BibTeX, from the cover's values), with one embedded
stylesheet for screen and print. Templates: ``analysis/templates/page/`` (:data:`analysis.paths.PAGE_TEMPLATES`).

Prose goes through :mod:`analysis.fmt` (names, articles, possessives, dates); every value from
data or parameters is escaped by the templates; only the fragments and the stylesheet are Markup.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from analysis import fmt, params, paths
from analysis.params import Params, slugify

VERDICT_CLASSES = {
    "supported": "v-supported",
    "partly supported": "v-partly",
    "contradicted": "v-contradicted",
    "not checkable with these data": "v-unchecked",
}
VERDICT_LEGEND = (
    ("supported", "v-supported", "the data or curated sources state it;"),
    ("partly supported", "v-partly", "it holds for part of what is claimed;"),
    ("contradicted", "v-contradicted", "the data say otherwise;"),
    ("not checkable with these data", "v-unchecked", "the evidence says what would settle it."),
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
    supplier = {p.supplier, fmt.name(p.supplier), ""}
    systems = context.systems()
    makers = sorted(
        {
            m.strip()
            for m, country in zip(systems["maker"], systems["supplier_country"])
            if m.strip() and country.strip() in supplier
        },
        key=len,
        reverse=True,
    )
    e = context.events(p.recipient, category="agreement")
    e = e[
        e["date"].str.startswith(p.agreement_date)
        & e["country"].isin({p.recipient, fmt.name(p.recipient)})
        & e["supplier"].str.strip().isin(supplier)
    ]
    for title, event_id in zip(e["title"], e["event_id"]):
        text = f"{title} {event_id}".lower()
        for m in makers:
            if m.lower() in text:
                return m
    return None


def title_of(p: Params) -> str:
    """ "Mali, Norinco and China's arms in Africa" for the default parameters."""
    maker = maker_of(p)
    who = f"{fmt.the(p.recipient, capital=True)}, {maker} and" if maker else f"{fmt.the(p.recipient, capital=True)} and"
    return f"{who} {fmt.possessive(p.supplier)} arms in {fmt.the(p.region)}"


def subtitle_of(p: Params) -> str:
    return (
        f"{fmt.possessive(p.recipient, capital=True)} arms imports and {fmt.possessive(p.supplier)} arms transfers "
        f"to {fmt.the(p.region)}, {p.start}{DASH}{p.end}: a sourced briefing from SIPRI data and curated press sources"
    )


def ledger_intro(p: Params) -> str:
    return (
        f"Claims published in the news about {fmt.the(p.recipient)}, each checked against the data and the curated "
        "press sources. Verdicts are computed by the rules in the appendix, so they change when the data do."
    )


def parameter_rows(p: Params) -> list[tuple[str, str]]:
    """The parameters as the cover and the appendix list them."""

    def names(xs: Sequence[str] | None) -> str:
        return ", ".join(fmt.name(x) for x in xs or ()) or "none"

    return [
        ("Recipient", fmt.name(p.recipient)),
        ("Supplier", fmt.name(p.supplier)),
        ("Region", str(p.region)),
        ("Sub-regions", names(p.subregions)),
        ("Peers", names(p.peers)),
        ("Rivals", names(p.rivals)),
        ("Former power", names(p.former_power)),
        ("Years", f"{p.start}{DASH}{p.end}"),
        ("Agreement date", fmt.long_date(p.agreement_date or "") or "none"),
    ]


def years_text(value: Any) -> str:
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{value[0]}{DASH}{value[1]}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def release_text(r: Any) -> str:
    """A data release as the cover lists it: a key-figures ``releases`` entry (a dict with
    ``source``, ``release``, ``generated``; or a label such as "March 2025") -> its full title."""
    from analysis import sources

    if isinstance(r, dict):
        sid = str(r.get("source", ""))
        src = sources.catalogue().get(sid)
        head = src.title.split(":")[0] if src else (sid or str(r.get("title", "")))
        rel = r.get("release") or r.get("label") or ""
        gen = r.get("generated")
        text = f"{head}: {rel} release" if rel else head
        return f"{text}, data generated {gen}" if gen else text
    label = str(r)
    for src in sources.catalogue().values():  # "March 2025" -> the register release's full title
        if src.format.startswith("sipri_register") and f"({label} release" in src.title:
            return src.title
    return label


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
                for x in (
                    str(f.get("region") or ""),
                    years_text(f.get("years")),
                    (f"{f['release']} release" if f.get("release") else ""),
                )
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
    """The claim ledger (a DataFrame: id, claim, verdict, evidence, sources) as template rows."""
    rows = []
    for r in frame.to_dict("records"):
        verdict = str(r.get("verdict", ""))
        rows.append(
            {
                "id": r.get("id", ""),
                "claim": str(r.get("claim", "")),
                "verdict": verdict,
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
        return [{"title": "", "outlet": "", "date": "", "url": "", "rows": ledger_rows(frame)}]
    for title, part in frame.groupby("article", sort=False):
        first = part.iloc[0]
        out.append(
            {
                "title": str(title),
                "outlet": str(first.get("outlet", "")),
                "date": fmt.long_date(str(first.get("date", ""))),
                "url": str(first.get("url", "")),
                "rows": ledger_rows(part),
            }
        )
    return out


def verdict_rules() -> list[str]:
    """The verdict rules of :mod:`analysis.checks`, one item per rule, for the appendix."""
    import re as _re

    from analysis import checks

    items = _re.split(r"(?m)^\d+\.\s+", checks.rules_text())
    return [" ".join(x.replace("*", "").split()) for x in items if x.strip()]


def method_rows() -> list[dict[str, str]]:
    """The measured error of each allocation method, in sample (the tables the method used or
    is compared with), for the appendix; [] when the tables are not held."""
    from analysis import calibrate
    from analysis.errors import BriefingError

    try:
        m = calibrate.method_errors()
    except BriefingError:
        return []
    rows = []
    for r in m.to_dict("records"):
        rows.append(
            {
                "release": f"{r['release']} release",
                "table": f"{r['table']} ({r['test']})",
                "method": str(r["method"]),
                "matched": fmt.pct(100 * float(r["matched_share"])),
                "wrong_year": fmt.pct(100 * float(r["wrong_year_share"])),
            }
        )
    return rows


def catalogue_rows() -> list[dict[str, str]]:
    """Every catalogued source for the appendix: title, publisher, role, URL, licence, credit."""
    from analysis import sources

    return [
        {
            "title": x.title,
            "publisher": x.publisher,
            "role": x.role,
            "url": x.url if re.match(r"https?://", x.url) else "",
            "licence": x.licence,
            "credit": x.credit,
        }
        for x in sources.catalogue().values()
    ]


# --------------------------------------------------------------------------- citation
AUTHOR = "Arms-transfer briefings contributors"
PUBLISHER = "Arms-transfer briefings (arms-briefings)"
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text: str) -> str:
    """``text`` safe inside a BibTeX field: TeX's special characters escaped, whitespace joined."""
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in " ".join(str(text).split()))


def citation(
    title: str, built: dt.datetime, parameters: Sequence[tuple[str, str]], releases: Sequence[str], file_stem: str
) -> dict[str, str]:
    """How to cite the briefing, from the values its cover shows: ``text`` (one paragraph) and
    ``bibtex`` (a ``@misc`` entry keyed on the file and the build date). ``file_stem`` is the
    published name without extension (``briefing``, ``mali``); the page is ``<stem>.html`` and
    its PDF ``<stem>.pdf``."""
    when = built_text(built)
    params_text = "; ".join(f"{k}: {v}" for k, v in parameters)
    rel_text = "; ".join(releases) or "none named"
    files = f"{file_stem}.html or {file_stem}.pdf"
    text = (
        f"{AUTHOR}. \u201c{title}.\u201d Arms-transfer briefing, built {when}. Parameters: {params_text}. "
        f"Data releases: {rel_text}. File: {files}."
    )
    key = f"{slugify(file_stem) or 'briefing'}-{built:%Y%m%d}"
    fields = [
        ("author", f"{{{bibtex_escape(AUTHOR)}}}"),
        ("title", f"{{{bibtex_escape(title)}}}"),
        ("howpublished", bibtex_escape(f"Arms-transfer briefing, file {files}")),
        ("year", f"{built.year}"),
        ("month", built.strftime("%b").lower()),
        ("note", bibtex_escape(f"Built {when}. Parameters: {params_text}. Data releases: {rel_text}.")),
    ]
    body = ",\n".join(f"  {k} = {v}" if k == "month" else f"  {k} = {{{v}}}" for k, v in fields)
    return {"text": text, "bibtex": f"@misc{{{key},\n{body}\n}}", "key": key}


# --------------------------------------------------------------------------- templates
def jinja() -> Any:
    """The Jinja environment of the page templates (autoescape on, undefined names fail)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.PAGE_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


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


def built_text(built: dt.datetime) -> str:
    """'2 December 2026, 03:56 UTC'."""
    return f"{built.day} {built.strftime('%B %Y, %H:%M')} UTC"


def assemble(
    p: Params,
    sections: list[dict[str, Any]],
    key_figures: Mapping[str, Mapping[str, Any]],
    ledger: Any | None,
    built: dt.datetime | None = None,
    data_folder: str = "",
) -> str:
    """The briefing as one self-contained HTML page.

    ``p``: resolved parameters; ``sections``: dicts with stem and html (nbconvert fragments,
    trusted), in order; ``key_figures``: the notebooks' JSON by stem, in the same order;
    ``ledger``: the claim ledger (a DataFrame) or None for no ledger section. Every other value
    is escaped by the template."""
    from markupsafe import Markup

    built = built or build_time()
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
    toc = [("key-findings", "Key findings")]
    if ledger is not None:
        toc.append(("claim-ledger", "Claim ledger"))
    toc += [(x["id"], x["title"]) for x in secs]
    toc.append(("appendix", "Sources, licences and methods"))
    title, parameters = title_of(p), parameter_rows(p)
    stem = data_folder.removesuffix("-data") if data_folder else params.output_name(p)
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
            verdict_legend=VERDICT_LEGEND,
            sections=secs,
            sources=catalogue_rows(),
            verdict_rules=verdict_rules() if ledger is not None else [],
            methods=method_rows(),
            data_folder=data_folder,
            window_example=f"{p.years[1] - 4}{DASH}{p.years[1]} against {p.years[1] - 9}{DASH}{p.years[1] - 5}",
            css=stylesheet(),
        )
    )
