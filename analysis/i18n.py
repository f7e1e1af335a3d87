"""Languages: which one a briefing is written in, and its messages.

Conventions:

* English (``en``) is the default and the source language: a message's English text is its
  msgid, so an English briefing never reads a catalog.
* The language of the current build is a context variable (:func:`language`, :func:`use`);
  the notebooks set it from their ``lang`` parameter (:func:`analysis.params.from_notebook`),
  the page assembly sets it for its own work. Functions that format numbers, dates and names
  (:mod:`analysis.fmt`) read it, so callers never pass a language around.
* Messages are marked with :func:`_` (``_("Top suppliers")``), :func:`ngettext` for counts,
  and :func:`N_` for module-level constants that are translated where they are used. Placeholders
  are named (``{recipient}``), so a translation can reorder them; a name placeholder carries
  its grammatical form in the format spec (``{recipient:the}``, ``{recipient:de}``; see
  :class:`analysis.fmt.Named`).
* Catalogs: ``analysis/locale/<lang>/LC_MESSAGES/*.po``, one file per area of the code
  (:data:`DOMAINS`); all files of a language form one catalog. They are compiled to ``.mo``
  under ``data/cache/locale/`` on first use, named by the ``.po`` file's content (so a changed
  catalog is compiled anew), with Babel. ``python -m analysis.i18n extract`` updates the ``.po`` files from the code.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as _gettext
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis.errors import ParameterError

__all__ = [
    "DOMAINS",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "catalog_files",
    "check_language",
    "extract",
    "language",
    "ngettext",
    "set_language",
    "translations",
    "use",
]

#: The languages a briefing can be written in (English first: the default and the msgids).
LANGUAGES: tuple[str, ...] = ("en", "fr")
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "français"}
LOCALE_DIR: Path = Path(__file__).resolve().parent / "locale"

#: The catalog files of each language and the code whose messages each holds (glob patterns
#: relative to the project root). Every message lives in the file of the first pattern that
#: matches where it is written.
DOMAINS: dict[str, tuple[str, ...]] = {
    "deal": ("analysis/prose/deal.py", "analysis/prose/core.py", "analysis/prose/__init__.py"),
    "context": ("analysis/prose/context.py", "analysis/prose/region.py", "analysis/prose/*.py"),
    "charts": ("analysis/charts/**.py", "analysis/charts.py", "analysis/chartinfo.py"),
    "checks": ("analysis/checks/**.py", "analysis/checks.py", "analysis/verdicts.py", "analysis/claims.py"),
    "page": ("analysis/render/**.py", "analysis/briefing.py", "analysis/templates/**.j2"),
    "core": ("analysis/*.py",),
}

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("briefing_language", default=None)
#: The process's language where no :func:`use` block is open: a notebook kernel's, set by
#: :func:`set_language` (a kernel may run each cell in a fresh context, so a context variable
#: set in one cell is not seen by the next).
_process_language = "en"


def check_language(lang: object) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`; else a ParameterError saying which are."""
    if isinstance(lang, str) and lang.strip().lower() in LANGUAGES:
        return lang.strip().lower()
    raise ParameterError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}; e.g. --lang fr")


def language() -> str:
    """The language of the text being built now (``en`` unless set)."""
    return _current.get() or _process_language


def set_language(lang: str) -> None:
    """Set the language of this process outside :func:`use` blocks (a notebook's kernel)."""
    global _process_language
    _process_language = check_language(lang)


@contextlib.contextmanager
def use(lang: str) -> Iterator[str]:
    """Build text in ``lang`` inside the block; the previous language is restored after it."""
    token = _current.set(check_language(lang))
    try:
        yield lang
    finally:
        _current.reset(token)


def catalog_files(lang: str) -> list[Path]:
    """The ``.po`` files of ``lang``, sorted."""
    return sorted((LOCALE_DIR / lang / "LC_MESSAGES").glob("*.po"))


@functools.lru_cache(maxsize=8)
def _compiled(lang: str, stamp: tuple[tuple[str, int, int], ...]) -> _gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    from analysis import paths

    out = paths.cache_dir() / "locale" / lang
    out.mkdir(parents=True, exist_ok=True)
    merged: Translations | None = None
    for po in catalog_files(lang):
        digest = hashlib.sha256(po.read_bytes()).hexdigest()[:16]
        mo = out / f"{po.stem}-{digest}.mo"  # named by the .po's content: never a stale catalog
        if not mo.exists():
            with po.open("rb") as f:
                cat = read_po(f, locale=lang)
            tmp = mo.with_suffix(f".mo.{os.getpid()}.tmp")
            with tmp.open("wb") as f:
                write_mo(f, cat, use_fuzzy=False)
            tmp.replace(mo)
        with mo.open("rb") as f:
            t = Translations(f, domain=po.stem)
        if merged is None:
            merged = t
        else:
            merged.merge(t)
    return merged if merged is not None else _gettext.NullTranslations()


def translations(lang: str | None = None) -> _gettext.NullTranslations:
    """The compiled catalog of ``lang`` (default: the current language); English has none."""
    lang = check_language(lang or language())
    if lang == "en":
        return _gettext.NullTranslations()
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in catalog_files(lang))
    return _compiled(lang, stamp)


def _(message: str) -> str:
    """``message`` in the current language (the English text itself in English, or where a
    catalog lacks it: the catalog-completeness test keeps that from reaching a French page)."""
    if language() == "en":
        return message
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for a count ``n``: ``ngettext("{n} system", "{n} systems", n)``
    (then ``.format(n=...)``). French uses the singular for 0 and 1."""
    if language() == "en":
        return singular if n == 1 else plural
    return translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a module-level message for extraction; translate it with :func:`_` where it is used."""
    return message


# --------------------------------------------------------------------------- catalogs
CATALOG_DATE = __import__("datetime").datetime(2026, 12, 2, tzinfo=__import__("datetime").timezone.utc)
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2)}


def _domain_of(path: str) -> str | None:
    from fnmatch import fnmatch

    for domain, patterns in DOMAINS.items():
        if any(fnmatch(path, p) or fnmatch(path, p.replace("**", "*/**")) for p in patterns):
            return domain
    return None


def extract(root: Path | None = None) -> dict[str, object]:
    """The messages of the code under ``root`` (default: the project), one Babel catalog per
    domain of :data:`DOMAINS`: Python files with :data:`KEYWORDS`, Jinja templates with
    their ``_()`` calls and ``{% trans %}`` blocks."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file

    root = root or LOCALE_DIR.parent.parent
    catalogs: dict[str, Catalog] = {d: Catalog(project="arms-briefing", domain=d) for d in DOMAINS}
    files = sorted([*root.glob("analysis/**/*.py"), *root.glob("analysis/templates/**/*.j2")])
    by_domain: dict[str, list[tuple[str, Path]]] = {d: [] for d in DOMAINS}
    for f in files:
        rel = f.relative_to(root).as_posix()
        domain = _domain_of(rel)
        if domain is not None and "/locale/" not in rel:
            by_domain[domain].append((rel, f))
    seen: set[object] = set()  # a message used in several areas lives in the first area's file
    for domain, members in by_domain.items():
        for rel, f in members:
            method = "jinja2.ext:babel_extract" if f.suffix == ".j2" else "python"
            options = {"extensions": "jinja2.ext.i18n"} if method != "python" else {}
            # a template's {% trans %} block is a gettext() call to Jinja's extractor
            keywords = KEYWORDS if method == "python" else {**KEYWORDS, "gettext": None}
            for lineno, message, comments, _ctx in extract_from_file(
                method, str(f), keywords=keywords, comment_tags=("i18n:",), options=options
            ):
                key = message[0] if isinstance(message, tuple) else message
                if key in seen and key not in catalogs[domain]:
                    continue
                seen.add(key)
                catalogs[domain].add(message, locations=[(rel, lineno)], auto_comments=comments)
    return dict(catalogs)


def update_catalogs(lang: str = "fr", root: Path | None = None) -> dict[str, tuple[int, int]]:
    """Update ``lang``'s ``.po`` files from the code: new messages are added untranslated,
    messages the code no longer has are dropped. Returns {domain: (messages, untranslated)}."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    out: dict[str, tuple[int, int]] = {}
    for domain, template in extract(root).items():
        assert isinstance(template, Catalog)
        path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as f:
                cat = read_po(f, locale=lang)
        else:
            cat = Catalog(locale=lang, domain=domain, project="arms-briefing")
        cat.update(template, no_fuzzy_matching=True)
        cat.obsolete.clear()
        cat.creation_date = cat.revision_date = CATALOG_DATE  # no churn in the header
        if lang == "fr":  # the usual French rule (0 and 1 singular), not CLDR's three forms
            cat._num_plurals, cat._plural_expr = 2, "(n > 1)"  # type: ignore[assignment]  # Babel has no setter
        tmp = path.with_suffix(".po.tmp")
        with tmp.open("wb") as f:
            write_po(f, cat, width=100, omit_header=False, sort_output=False, include_previous=False, include_lineno=False)
        tmp.replace(path)
        msgs = [m for m in cat if m.id]
        out[domain] = (len(msgs), sum(1 for m in msgs if not m.string or (isinstance(m.string, tuple) and not all(m.string))))
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m analysis.i18n extract [LANG]``: update the catalogs and print what is untranslated."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] != "extract":
        print("usage: python -m analysis.i18n extract [LANG]", file=sys.stderr)
        return 2
    lang = args[1] if len(args) > 1 else "fr"
    for domain, (n, missing) in update_catalogs(check_language(lang)).items():
        print(f"{lang}/{domain}.po: {n} messages, {missing} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
