"""The briefing's appendix, in the language of the build: every catalogued source with its
licence and credit line (:func:`catalogue_rows`), the verdict rules (:func:`verdict_rules`),
the measured error of each allocation method (:func:`method_rows`) and how to cite the briefing
(:func:`citation`: plain text and BibTeX, from the cover's values).

The sources' titles, licences and credit lines come from ``data/sources.toml`` (``title_fr``,
``licence_fr``, ``credit_fr`` for French; :func:`analysis.sources.localised`); a credit line
without a translation stays as its publisher wrote it, marked as English.
The labels of :func:`analysis.calibrate.method_errors` are English data; :func:`method_label`
gives them in the current language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from analysis import fmt
from analysis.fmt import release_name
from analysis.i18n import N_, _, language
from analysis.params import slugify


def catalogue_rows() -> list[dict[str, str]]:
    """Every catalogued source for the appendix: title, publisher, role, URL, licence, credit
    (in the current language where the catalogue has them) and ``credit_lang``, the language
    the credit line is written in."""
    from analysis import sources

    rows = []
    for x in sources.catalogue().values():
        credit = sources.localised(x, "credit")
        rows.append(
            {
                "title": sources.localised(x, "title"),
                "publisher": x.publisher,
                "role": x.role,
                "url": x.url if re.match(r"https?://", x.url) else "",
                "licence": sources.localised(x, "licence"),
                "credit": credit,
                "credit_lang": language() if credit != x.credit else "en",
            }
        )
    return rows


def verdict_rules() -> list[str]:
    """The verdict rules of :mod:`analysis.checks`, one item per rule, for the appendix."""
    from analysis import checks

    items = re.split(r"(?m)^\d+\.\s+", checks.rules_text())
    return [" ".join(x.replace("*", "").split()) for x in items if x.strip()]


# --------------------------------------------------------------------------- method errors
_RELEASE = r"(?P<{}>[A-Z][a-z]+ \d{{4}})"
_YEARS = r"(?P<a>\d{4})-(?P<b>\d{2,4})"
#: The labels of :func:`analysis.calibrate.method_errors` (English data: a regular expression
#: each, its named groups a release or years) and their messages.
METHOD_LABELS: tuple[tuple[str, str], ...] = (
    (re.escape("same release (the table calibrated to)"), N_("same release (the table calibrated to)")),
    (re.escape("even spread"), N_("even spread")),
    (re.escape("default (shape, then calibrate)"), N_("default (shape, then calibrate)")),
    (re.escape("default (calibrate)"), N_("default (calibrate)")),
    (
        rf"held out: {_RELEASE.format('release')} China table, {_YEARS}; shape from the {_RELEASE.format('other')} tables",
        N_("held out: {release} China table, {years}; shape from the {other} tables"),
    ),
    (
        rf"held out: {_RELEASE.format('release')} China table, {_YEARS}; shape from the {_RELEASE.format('other')} totals "
        r"\(a one-supplier register\)",
        N_("held out: {release} China table, {years}; shape from the {other} totals (a one-supplier register)"),
    ),
    (
        rf"held out: {_RELEASE.format('release')} importer totals, {_YEARS}; shape from the {_RELEASE.format('other')} tables",
        N_("held out: {release} importer totals, {years}; shape from the {other} tables"),
    ),
    (
        rf"held out: {_RELEASE.format('release')} exporter totals, {_YEARS}; shape from the {_RELEASE.format('other')} tables",
        N_("held out: {release} exporter totals, {years}; shape from the {other} tables"),
    ),
    (rf"shape from the {_RELEASE.format('release')} bilateral tables", N_("shape from the {release} bilateral tables")),
    (
        rf"shape from the {_RELEASE.format('release')} tables summed to importer and exporter totals",
        N_("shape from the {release} tables summed to importer and exporter totals"),
    ),
    (
        rf"shape from the {_RELEASE.format('release')} importer and exporter totals",
        N_("shape from the {release} importer and exporter totals"),
    ),
)


def method_label(text: str) -> str:
    """A test or method label of :func:`analysis.calibrate.method_errors` in the current
    language ("even spread" -> "répartition uniforme"); a label not known here as it is."""
    if language() == "en":
        return text
    for pattern, message in METHOD_LABELS:
        m = re.fullmatch(pattern, text)
        if m is None:
            continue
        values = {k: release_name(v) for k, v in m.groupdict().items() if k in ("release", "other")}
        if m.groupdict().get("a"):
            a, b = m.group("a"), m.group("b")
            values["years"] = fmt.years(int(a), int(b if len(b) == 4 else a[: 4 - len(b)] + b))
        return _(message).format(**values)
    return text


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
                "release": _("{release} release").format(release=release_name(str(r["release"]))),
                "table": f"{r['table']} ({method_label(str(r['test']))})",
                "method": method_label(str(r["method"])),
                "matched": fmt.pct(100 * float(r["matched_share"])),
                "wrong_year": fmt.pct(100 * float(r["wrong_year_share"])),
            }
        )
    return rows


# --------------------------------------------------------------------------- citation
AUTHOR = N_("Arms-transfer briefings contributors")
PUBLISHER = "Arms-transfer briefings (arms-briefings)"
#: BibTeX's ``language`` field of a briefing not in English.
BIBTEX_LANGUAGES = {"fr": "french"}
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
    """``text`` safe inside a BibTeX field: TeX's special characters escaped, whitespace joined
    (a no-break space of French typography is a space to BibTeX)."""
    plain = str(text).replace("\u00a0", " ").replace("\u202f", " ")
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in " ".join(plain.split()))


def built_text(built: dt.datetime) -> str:
    """'2 December 2026, 03:56 UTC' (French: '2 décembre 2026 à 03:56 UTC')."""
    return _("{date}, {time} UTC").format(date=fmt.long_date(built.date()), time=built.strftime("%H:%M"))


def citation(
    title: str, built: dt.datetime, parameters: Sequence[tuple[str, str]], releases: Sequence[str], file_stem: str
) -> dict[str, str]:
    """How to cite the briefing, from the values its cover shows: ``text`` (one paragraph) and
    ``bibtex`` (a ``@misc`` entry keyed on the file and the build date). ``file_stem`` is the
    published name without extension (``briefing``, ``mali``); the page is ``<stem>.html`` and
    its PDF ``<stem>.pdf``."""
    when = built_text(built)
    author = _(AUTHOR)
    params_text = "; ".join(_("{label}: {value}").format(label=k, value=v) for k, v in parameters)
    rel_text = "; ".join(releases) or _("none named")
    files = _("{stem}.html or {stem}.pdf").format(stem=file_stem)
    values = dict(author=author, title=title, when=when, parameters=params_text, releases=rel_text, files=files)
    text = _(
        "{author}. \u201c{title}.\u201d Arms-transfer briefing, built {when}. Parameters: {parameters}. "
        "Data releases: {releases}. File: {files}."
    ).format(**values)
    key = f"{slugify(file_stem) or 'briefing'}-{built:%Y%m%d}"
    fields = [
        ("author", f"{{{bibtex_escape(author)}}}"),
        ("title", f"{{{bibtex_escape(title)}}}"),
        ("howpublished", bibtex_escape(_("Arms-transfer briefing, file {files}").format(files=files))),
        ("year", f"{built.year}"),
        ("month", built.strftime("%b").lower()),  # BibTeX's month macros (jan, feb, ...) in every language
        ("note", bibtex_escape(_("Built {when}. Parameters: {parameters}. Data releases: {releases}.").format(**values))),
    ]
    if language() in BIBTEX_LANGUAGES:
        fields.append(("language", BIBTEX_LANGUAGES[language()]))
    body = ",\n".join(f"  {k} = {v}" if k == "month" else f"  {k} = {{{v}}}" for k, v in fields)
    return {"text": text, "bibtex": f"@misc{{{key},\n{body}\n}}", "key": key}
