"""The claim ledger: news claims, kept as data in data/claims/*.toml, checked against the data.

One TOML file per article (format: data/claims/README.md). Each claim names a check type from
:mod:`analysis.checks` and that check's parameters; :func:`load` validates a file and
:func:`ledger` runs every claim, so a verdict changes when the data do. The verdict rules are
written once, in :mod:`analysis.checks` (``checks.rules_text()`` for the methods appendix).

    claims.ledger()                      # the Mali-Norinco article (the briefing's ledger)
    claims.ledger("data/claims/x.toml")  # any other article
    claims.files_about("Burkina Faso")   # claims files that name a recipient

Invalid files raise :class:`analysis.errors.ParameterError` (exit code 7) with one line naming
the file, the claim id and the field, and the closest valid values.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import checks, data, regions
from analysis import transfers as tr
from analysis.checks import CHECKS, VERDICTS, Inputs, Result  # noqa: F401  (re-exported)
from analysis.errors import ParameterError, UnknownNameError
from analysis.i18n import _
from analysis.verdicts import verdict_label

CLAIMS_DIR = data.ROOT / "data" / "claims"
DEFAULT_FILE = CLAIMS_DIR / "mali-norinco-2024-09.toml"
ARTICLE_FIELDS = {"title": str, "outlet": str, "date": str, "url": str, "language": str}
ARTICLE_OPTIONAL = {"basis", "author", "about"}
CLAIM_KEYS = {"id", "text", "paraphrase", "check", "parts", "note"}
LEDGER_COLUMNS = [
    "id",
    "claim",
    "verdict",
    "evidence",
    "sources",
    "check",
    "paraphrase",
    "figures",
    "parts",
    "article",
    "outlet",
    "url",
]


def default_inputs() -> Inputs:
    """The tables the checks read: the primary release, the March 2024 release, every register,
    the curated events, systems and users, and conflict deaths."""
    return _default_inputs()


@functools.lru_cache(maxsize=1)
def _default_inputs() -> Inputs:
    from analysis import context

    try:
        deaths = data.conflict_deaths()
    except Exception:  # context sources missing: conflict checks say so instead of failing the ledger
        deaths = None
    releases = {}
    try:
        t24 = data.transfers("sipri_register_2024")
        releases[tr.release_label(t24)] = t24
    except Exception:
        pass
    return Inputs(
        transfers=data.transfers(),
        orders=data.orders(),
        # English text whatever the reader's language: claims quote English words ("states")
        # and the inputs are cached across languages.
        events=context.events(None, lang="en"),
        deaths=deaths,
        credit=english_credit(),
        systems=context.systems(lang="en"),
        system_users=pd.read_csv(data.CURATED / "system_users.csv", dtype=str, keep_default_na=False),
        releases=releases,
    )


def english_credit() -> str:
    """The primary release's credit line in English: the inputs are cached across languages."""
    from analysis import i18n

    with i18n.use("en"):
        return data.release_of()["credit"]


# --------------------------------------------------------------------------- the file format
@dataclass(frozen=True)
class Article:
    title: str
    outlet: str
    date: str
    url: str
    language: str
    basis: dict[str, str]
    about: tuple[str, ...] = ()  # the states the article is about (SIPRI names): their briefings carry every claim


@dataclass(frozen=True)
class Claim:
    id: int
    text: str
    paraphrase: bool
    parts: tuple[tuple[str, dict[str, Any]], ...]
    note: str = ""

    @property
    def check(self) -> str:
        return "+".join(name for name, _ in self.parts)


@dataclass(frozen=True)
class ClaimsFile:
    path: Path
    article: Article
    claims: tuple[Claim, ...]

    def recipients(self) -> set[str]:
        """Every state the claims name as recipient, country, or member of a selection."""
        out: set[str] = set()
        for c in self.claims:
            for name, params in c.parts:
                kinds = CHECKS[name].kinds()
                for k, v in params.items():
                    if kinds.get(k) in ("country", "countries", "selection"):
                        for x in v if isinstance(v, list) else [v]:
                            with contextlib.suppress(Exception):
                                out.update(regions.resolve_selection(x))
        return out

    def names_directly(self, claim: Claim, recipient: str) -> bool:
        """Whether ``claim`` names ``recipient`` itself (as a country parameter or a list item),
        not only as a member of a region or group it names."""
        for name, params in claim.parts:
            kinds = CHECKS[name].kinds()
            for k, v in params.items():
                if kinds.get(k) not in ("country", "countries", "selection"):
                    continue
                for x in v if isinstance(v, list) else [v]:
                    try:
                        if not regions.is_region(str(x)) and regions.canonical_name(regions.resolve(str(x))) == recipient:
                            return True
                    except Exception:  # a value the checks accept that is no country (e.g. "SIPRI Africa")
                        continue
        return False


def _closest(word: object, options: list[str], n: int = 3) -> str:
    opts = sorted({str(o) for o in options if str(o)})
    hits = difflib.get_close_matches(str(word), opts, n=n, cutoff=0.5)
    if not hits:
        lower = {o.lower(): o for o in opts}
        hits = [lower[h] for h in difflib.get_close_matches(str(word).lower(), list(lower), n=n, cutoff=0.5)]
    return f"; did you mean {', '.join(hits)}?" if hits else (f"; valid: {', '.join(opts[:12])}{'...' if len(opts) > 12 else ''}")


class _Ctx:
    def __init__(self, path: Path, inputs: Inputs | None) -> None:
        self.path, self._inputs = path, inputs

    @property
    def inputs(self) -> Inputs:
        if self._inputs is None:
            self._inputs = default_inputs()
        return self._inputs

    def fail(self, where: str, message: str) -> ParameterError:
        return ParameterError(f"{self.path.name}: {where}: {message}")


def _names() -> list[str]:
    c = regions.countries()
    out = list(c["sipri_name"]) + list(c["name"]) + regions.region_names()
    return out


def _check_value(ctx: _Ctx, where: str, key: str, kind: str, v: Any, params: dict[str, Any]) -> Any:
    w = f"{where}, field {key!r}"

    def typed(t: type | tuple[type, ...], label: str) -> Any:
        if isinstance(v, bool) or not isinstance(v, t):
            raise ctx.fail(w, f"must be {label}, got {v!r}")
        return v

    def name(x: Any, selection: bool) -> str:
        if not isinstance(x, str):
            raise ctx.fail(w, f"must be a name, got {x!r}")
        try:
            regions.resolve_selection(x) if selection else regions.resolve(x)
        except (UnknownNameError, ParameterError):
            raise ctx.fail(w, f"unknown {'region or country' if selection else 'country'} {x!r}{_closest(x, _names())}") from None
        return x

    if kind in ("country", "supplier"):
        return name(v, False)
    if kind == "selection":
        if isinstance(v, list):
            return [name(x, True) for x in v]
        return name(v, True)
    if kind in ("countries", "suppliers"):
        if not isinstance(v, list):
            raise ctx.fail(w, f"must be a list of names, got {v!r}")
        return [name(x, False) for x in v]
    if kind in ("designation", "designations"):
        vs = v if kind == "designations" else [v]
        if not isinstance(vs, list):
            raise ctx.fail(w, f"must be a list of designations, got {v!r}")
        valid = ctx.inputs.designations()
        for x in vs:
            if x not in valid:
                raise ctx.fail(w, f"unknown designation {x!r} (SIPRI's spelling or data/curated/systems.csv){_closest(x, valid)}")
        return v
    if kind == "release":
        labels = ctx.inputs.release_labels()
        if v not in labels:
            raise ctx.fail(w, f"unknown release {v!r}{_closest(v, labels)}")
        return v
    if kind in ("year", "years", "windows"):
        rel = params.get("release")
        i = ctx.inputs
        if kind == "year" and key == "year" and "designation" in params:
            lo, hi = i.delivery_span(rel) or tr.coverage(i.transfers)
        else:
            t = i.transfers_of(rel) if rel in ([i.release()] + list(i.releases)) or rel is None else i.transfers
            lo, hi = tr.coverage(t)
        label = rel or i.release()
        items = (
            [v]
            if kind == "year"
            else (
                v
                if kind == "years"
                else [y for p in (v if isinstance(v, list) else [None]) for y in (p if isinstance(p, list) else [None])]
            )
        )
        if kind == "years" and not (isinstance(v, list) and len(v) == 2):
            raise ctx.fail(w, f"must be a pair of years like [2020, 2024], got {v!r}")
        if kind == "windows" and not (
            isinstance(v, list) and len(v) == 2 and all(isinstance(p, list) and len(p) == 2 for p in v)
        ):
            raise ctx.fail(w, f"must be two windows like [[2015, 2019], [2020, 2024]], got {v!r}")
        for y in items:
            if isinstance(y, bool) or not isinstance(y, int):
                raise ctx.fail(w, f"must be a year (an integer), got {y!r}")
            if not lo <= y <= hi:
                raise ctx.fail(w, f"year {y} lies outside the {label} release's years {lo}-{hi}")
        return v
    if kind in ("event", "events"):
        vs = v if kind == "events" else [v]
        if not isinstance(vs, list):
            raise ctx.fail(w, f"must be a list of event ids, got {v!r}")
        ids = list(ctx.inputs.events["event_id"])
        for x in vs:
            if x not in ids:
                raise ctx.fail(w, f"event {x!r} is not in data/curated/events.csv{_closest(x, ids)}")
        return v
    if kind == "category":
        if v not in data.SIPRI_CATEGORIES:
            raise ctx.fail(w, f"unknown armament category {v!r}{_closest(v, list(data.SIPRI_CATEGORIES))}")
        return v
    if kind == "direction":
        if v not in ("rise", "fall"):
            raise ctx.fail(w, f"must be 'rise' or 'fall', got {v!r}{_closest(v, ['rise', 'fall'])}")
        return v
    if kind == "month":
        typed(int, "a month number 1-12")
        if not 1 <= v <= 12:
            raise ctx.fail(w, f"must be a month number 1-12, got {v}")
        return v
    if kind == "int":
        return typed(int, "an integer")
    if kind == "bool":
        if not isinstance(v, bool):
            raise ctx.fail(w, f"must be true or false, got {v!r}")
        return v
    if kind == "float":
        return float(typed((int, float), "a number"))
    if kind in ("str", "date"):
        return typed(str, "a string")
    if kind == "strs":
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ctx.fail(w, f"must be a list of strings, got {v!r}")
        return v
    raise AssertionError(kind)


def _part(ctx: _Ctx, where: str, table: dict[str, Any], reserved: set[str]) -> tuple[str, dict[str, Any]]:
    name = table.get("check")
    if name is None:
        raise ctx.fail(where, f"field 'check' is missing; give one of {', '.join(CHECKS)}")
    if name not in CHECKS:
        raise ctx.fail(f"{where}, field 'check'", f"unknown check type {name!r}{_closest(name, list(CHECKS))}")
    spec = CHECKS[name]
    params = {k: v for k, v in table.items() if k not in reserved}
    kinds = spec.kinds()
    for k in params:
        if k not in kinds:
            raise ctx.fail(f"{where}, field {k!r}", f"not a parameter of {name}{_closest(k, list(kinds))}")
    for k in spec.required:
        if k not in params:
            raise ctx.fail(f"{where}, field {k!r}", f"missing; {name} needs {', '.join(spec.required)}")
    if spec.one_of and not any(k in params for k in spec.one_of):
        raise ctx.fail(where, f"{name} needs one of {' or '.join(spec.one_of)}; give one of them")
    # release first: year checks depend on it
    order = sorted(params, key=lambda k: k != "release")
    out = {}
    for k in order:
        out[k] = _check_value(ctx, where, k, kinds[k], params[k], params)
    return name, {k: out[k] for k in params}


def parse(text: str, path: Path, inputs: Inputs | None = None) -> ClaimsFile:
    """Validate the TOML text of a claims file; see :func:`load`."""
    ctx = _Ctx(path, inputs)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ctx.fail("TOML", f"not valid TOML: {exc}") from None
    for k in doc:
        if k not in ("article", "claims"):
            raise ctx.fail(f"field {k!r}", f"unknown top-level table{_closest(k, ['article', 'claims'])}")
    art = doc.get("article")
    if not isinstance(art, dict):
        raise ctx.fail("field 'article'", "missing: give [article] with title, outlet, date, url, language")
    for k in art:
        if k not in ARTICLE_FIELDS and k not in ARTICLE_OPTIONAL:
            raise ctx.fail(f"article, field {k!r}", f"unknown field{_closest(k, [*ARTICLE_FIELDS, *ARTICLE_OPTIONAL])}")
    for k in ARTICLE_FIELDS:
        if not isinstance(art.get(k), str) or not art[k].strip():
            raise ctx.fail(f"article, field {k!r}", "missing or empty")
    if not art["url"].startswith(("http://", "https://")):
        raise ctx.fail("article, field 'url'", f"must be an http(s) address, got {art['url']!r}")
    about_raw = art.get("about", [])
    if not isinstance(about_raw, list) or not all(isinstance(x, str) for x in about_raw):
        raise ctx.fail("article, field 'about'", f"must be a list of country names, got {about_raw!r}")
    about = []
    for x in about_raw:
        try:
            about.append(regions.canonical_name(regions.resolve(x)))
        except UnknownNameError:
            raise ctx.fail("article, field 'about'", f"unknown country {x!r}{_closest(x, _names())}") from None
    article = Article(**{k: art[k] for k in ARTICLE_FIELDS}, basis=dict(art.get("basis", {})), about=tuple(about))
    raw = doc.get("claims")
    if not isinstance(raw, list) or not raw:
        raise ctx.fail("field 'claims'", "missing: give one [[claims]] table per claim")
    claims, seen = [], set()
    for n, c in enumerate(raw, 1):
        cid = c.get("id")
        where = f"claim {cid}" if cid is not None else f"claim #{n}"
        if isinstance(cid, bool) or not isinstance(cid, int):
            raise ctx.fail(f"{where}, field 'id'", f"must be an integer, got {cid!r}")
        if cid in seen:
            raise ctx.fail(f"{where}, field 'id'", "duplicate id")
        seen.add(cid)
        if not isinstance(c.get("text"), str) or not c["text"].strip():
            raise ctx.fail(f"{where}, field 'text'", "missing: the claim's words as published (or a paraphrase)")
        para = c.get("paraphrase", False)
        if not isinstance(para, bool):
            raise ctx.fail(f"{where}, field 'paraphrase'", f"must be true or false, got {para!r}")
        if "parts" in c:
            if "check" in c:
                raise ctx.fail(f"{where}, field 'check'", "give either check (one check) or [[claims.parts]], not both")
            if not isinstance(c["parts"], list) or not c["parts"]:
                raise ctx.fail(f"{where}, field 'parts'", "must be a list of check tables")
            parts = tuple(_part(ctx, f"{where}, part {k}", p, {"check"}) for k, p in enumerate(c["parts"], 1))
            wins = {repr(p.get("windows")) for name, p in parts if name == "import_change"}
            if len(wins) > 1:
                raise ctx.fail(f"{where}, field 'windows'", "the parts of one claim must use the same windows")
        else:
            parts = (_part(ctx, where, c, CLAIM_KEYS),)
        claims.append(Claim(cid, " ".join(c["text"].split()), para, parts, str(c.get("note", ""))))
    return ClaimsFile(path, article, tuple(claims))


def load(path: str | Path, inputs: Inputs | None = None) -> ClaimsFile:
    """Read and validate one claims file. Names, designations, years and event ids are checked
    against ``inputs`` (default: :func:`default_inputs`)."""
    p = Path(path)
    if not p.is_file():
        raise ParameterError(f"{p}: no such claims file; the files are in {CLAIMS_DIR}")
    return parse(p.read_text(encoding="utf-8"), p, inputs)


def files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or CLAIMS_DIR).glob("*.toml"))


def files_about(recipient: str, directory: Path | None = None, inputs: Inputs | None = None) -> list[Path]:
    """The claims files whose claims name ``recipient`` (directly or as a member of a region
    or group they name)."""
    name = regions.resolve(recipient)
    return [p for p in files(directory) if name in load(p, inputs).recipients()]


def ledger_about(recipient: str, paths: Sequence[str | Path] | None = None, inputs: Inputs | None = None) -> pd.DataFrame | None:
    """The claims a briefing about ``recipient`` carries, from every claims file (or ``paths``):
    all the claims of an article about that state (its ``about`` field), and from other
    articles the claims that name the state itself. None where there are none, so the briefing
    has no ledger section. Columns as :func:`ledger`, rows grouped by article."""
    name = regions.canonical_name(regions.resolve(recipient))
    i = inputs or default_inputs()
    frames = []
    for p in paths if paths is not None else files():
        f = load(p, i)
        ids = [c.id for c in f.claims if name in f.article.about or f.names_directly(c, name)]
        if ids:
            full = ledger(p, i)
            frames.append(full[full["id"].isin(ids)].assign(file=str(p), date=f.article.date))
    if not frames:
        return None
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update({"recipient": name, "files": [str(p) for p in (paths if paths is not None else files())]})
    return out


def ledger(path: str | Path | None = None, inputs: Inputs | None = None) -> pd.DataFrame:
    """One row per claim: id, claim, verdict (one of VERDICTS), evidence (built from computed
    figures, naming region, years and release), sources ("; "-separated), then check (type, "+"
    between parts), paraphrase, figures (dict), parts (list of (part, status)), article, outlet,
    url. ``path`` defaults to the Mali-Norinco article."""
    if isinstance(path, Inputs):  # the old signature, ledger(inputs)
        path, inputs = None, path
    i = inputs or default_inputs()
    f = load(path or DEFAULT_FILE, i)
    rows = []
    for c in f.claims:
        res = checks.run(i, list(c.parts))
        assert res.verdict in VERDICTS, res.verdict
        rows.append(
            {
                "id": c.id,
                "claim": c.text,
                "verdict": res.verdict,
                "evidence": res.evidence,
                "sources": "; ".join(res.sources),
                "check": c.check,
                "paraphrase": c.paraphrase,
                "figures": res.figures,
                "parts": [(p.label, p.status) for p in res.parts],
                "article": f.article.title,
                "outlet": f.article.outlet,
                "url": f.article.url,
            }
        )
    out = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    out.attrs.update(
        {
            "article": f.article.title,
            "outlet": f.article.outlet,
            "date": f.article.date,
            "url": f.article.url,
            "file": str(f.path),
        }
    )
    return out


# --------------------------------------------------------------------------- output formats
def render(frame: pd.DataFrame, format: str = "table") -> str:
    """The ledger as text: ``table`` (readable on a terminal), ``csv``, ``json`` or ``html``."""
    import json
    import textwrap

    if format == "csv":
        return frame.drop(columns=["figures", "parts"]).to_csv(index=False)
    if format == "json":
        return json.dumps(
            {"article": dict(frame.attrs), "claims": frame.to_dict("records")}, ensure_ascii=False, indent=2, default=str
        )
    if format == "html":
        from analysis import fmt

        rows = "".join(
            f"<tr><td>{r.id}</td><td>{fmt.esc_html(r.claim)}</td><td>{fmt.esc_html(verdict_label(r.verdict))}</td>"
            f"<td>{fmt.esc_html(r.evidence)}</td><td>{fmt.esc_html(r.sources)}</td></tr>\n"
            for r in frame.itertuples()
        )
        head = "".join(f"<th>{fmt.esc_html(h)}</th>" for h in ("#", _("Claim"), _("Verdict"), _("Evidence"), _("Sources")))
        return f'<table class="ledger"><thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody></table>\n'
    if format != "table":
        raise ParameterError(f"format must be table, csv, json or html, got {format!r}")
    a = frame.attrs
    lines = [f"{a.get('article', '')} ({a.get('outlet', '')}, {a.get('date', '')})", a.get("url", ""), ""]
    for r in frame.itertuples():
        lines.append(f"[{r.id}] {verdict_label(r.verdict).upper()}" + ("  ({})".format(_("paraphrase")) if r.paraphrase else ""))
        lines += textwrap.wrap(_("Claim: {claim}").format(claim=r.claim), 100, initial_indent="    ", subsequent_indent="      ")
        lines += textwrap.wrap(
            _("Evidence: {evidence}").format(evidence=r.evidence), 100, initial_indent="    ", subsequent_indent="      "
        )
        lines.append("")
    counts = frame["verdict"].value_counts()
    lines.append("; ".join(f"{counts.get(v, 0)} {verdict_label(v)}" for v in VERDICTS))
    return "\n".join(lines) + "\n"


def check_file(params: dict[str, Any]) -> int:
    """What ``briefing check FILE`` runs: validate, check, print. Never fails on a verdict."""
    frame = ledger(params["file"])
    print(render(frame, params.get("format", "table")), end="")
    return 0
