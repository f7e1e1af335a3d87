"""Languages: the catalogs are complete, the French rules for names hold, numbers and dates
follow the locale, and a wrong language is refused with a clear message."""

from __future__ import annotations

import string

import pytest
from babel.messages.pofile import read_po

from analysis import fmt, french, i18n, params
from analysis.errors import ParameterError
from tests.conftest import reads_source


def _fields(text: str) -> set[str]:
    return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f is not None}


def _french_catalog() -> dict[object, object]:
    out: dict[object, object] = {}
    for po in i18n.catalog_files("fr"):
        with po.open("rb") as f:
            for m in read_po(f, locale="fr"):
                if m.id:
                    assert m.id not in out, f"{m.id!r} is in two catalog files"
                    out[m.id] = (m.string, "fuzzy" in m.flags, po.name)
    return out


@reads_source
def test_every_message_of_the_code_has_a_french_translation():
    catalog = _french_catalog()
    missing, fuzzy = [], []
    for domain, template in i18n.extract().items():
        for m in template:  # type: ignore[attr-defined]
            if not m.id:
                continue
            entry = catalog.get(m.id)
            where = f"{m.locations[0][0]}:{m.locations[0][1]}"
            if entry is None:
                missing.append(f"{where} {m.id!r} (not in fr/{domain}.po: run python -m analysis.i18n extract)")
                continue
            string_, is_fuzzy, _file = entry
            forms = string_ if isinstance(string_, tuple) else (string_,)
            if not all(forms):
                missing.append(f"{where} {m.id!r} (untranslated)")
            if is_fuzzy:
                fuzzy.append(where)
    assert not missing, f"{len(missing)} messages without French: " + "; ".join(missing[:15])
    assert not fuzzy, f"fuzzy translations: {fuzzy[:10]}"


@reads_source
def test_the_catalogs_hold_no_message_the_code_no_longer_has():
    in_code = {m.id for t in i18n.extract().values() for m in t if m.id}  # type: ignore[attr-defined]
    stale = [k for k in _french_catalog() if k not in in_code]
    assert not stale, f"catalog messages not in the code (run python -m analysis.i18n extract): {stale[:10]}"


def test_translations_use_the_placeholders_of_their_message():
    bad = []
    for msgid, (msgstr, _fuzzy, file) in _french_catalog().items():
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strs = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        want = set().union(*(_fields(i) for i in ids))
        for s in strs:
            if s and _fields(s) - want:
                bad.append(f"{file}: {msgid!r} -> {s!r} uses {_fields(s) - want}")
            if s and not isinstance(msgid, tuple) and _fields(s) != want:
                bad.append(f"{file}: {msgid!r} -> {s!r} drops {want - _fields(s)}")
    assert not bad, "; ".join(bad[:10])


@pytest.mark.parametrize(
    ("english", "le", "de", "a"),
    [
        ("Mali", "le Mali", "du Mali", "au Mali"),
        ("China", "la Chine", "de la Chine", "en Chine"),
        ("Côte d'Ivoire", "la Côte d’Ivoire", "de la Côte d’Ivoire", "en Côte d’Ivoire"),
        ("Egypt", "l’Égypte", "de l’Égypte", "en Égypte"),
        ("Angola", "l’Angola", "de l’Angola", "en Angola"),  # masculine, but a vowel: en
        ("United Arab Emirates", "les Émirats arabes unis", "des Émirats arabes unis", "aux Émirats arabes unis"),
        ("Comoros", "les Comores", "des Comores", "aux Comores"),
        ("Madagascar", "Madagascar", "de Madagascar", "à Madagascar"),
        ("Israel", "Israël", "d’Israël", "en Israël"),
        ("Mozambique", "le Mozambique", "du Mozambique", "au Mozambique"),  # masculine in -e
        (
            "Central African Republic",
            "la République centrafricaine",
            "de la République centrafricaine",
            "en République centrafricaine",
        ),
        (
            "DR Congo",
            "la République démocratique du Congo",
            "de la République démocratique du Congo",
            "en République démocratique du Congo",
        ),
        ("Hungary", "la Hongrie", "de la Hongrie", "en Hongrie"),  # aspirated h: no elision
        ("Sierra Leone", "la Sierra Leone", "de la Sierra Leone", "en Sierra Leone"),
        ("South Sudan", "le Soudan du Sud", "du Soudan du Sud", "au Soudan du Sud"),
        ("Cabo Verde", "le Cap-Vert", "du Cap-Vert", "au Cap-Vert"),
        ("Türkiye", "la Turquie", "de la Turquie", "en Turquie"),
        ("Soviet Union", "l’Union soviétique", "de l’Union soviétique", "en Union soviétique"),
    ],
)
def test_french_articles_and_prepositions_of_country_names(english, le, de, a):
    f = french.forms_of(english)
    assert (f.le, f.de, f.a) == (le, de, a)


def test_a_non_state_actor_keeps_its_name_and_takes_no_article_in_french():
    f = french.forms_of("Hezbollah (Lebanon)")
    assert (f.name, f.le, f.de) == ("Hezbollah (Lebanon)", "Hezbollah (Lebanon)", "de Hezbollah (Lebanon)")


def test_names_in_templates_take_the_form_their_spec_asks_for():
    r, s = fmt.Named("Mali"), fmt.Named("United States")
    assert f"{s:The} overtook {r:poss} rivals" == "The United States overtook Mali's rivals"
    with i18n.use("fr"):
        assert f"{s:Le} et les rivaux {r:de}, {s:a}" == "Les États-Unis et les rivaux du Mali, aux États-Unis"
    with pytest.raises(ValueError, match="unknown name form 'gen'"):
        format(r, "gen")


def test_french_numbers_and_dates_follow_the_locale():
    with i18n.use("fr"):
        assert fmt.pct(21.6013) == "21,6\u202f%"
        assert fmt.pct(0.02) == "moins de 0,1\u202f%"
        assert fmt.pct(0) == "0\u202f%"
        assert fmt.num(1234.5) == "1\u202f234"
        assert fmt.tiv(1363.18) == "1\u202f363 millions de TIV"
        assert fmt.tiv(1.5) == "1,5 million de TIV"
        assert fmt.change(242.2) == "+242\u202f%"
        assert fmt.change(-12.0) == "\u221212\u202f%"
        assert fmt.long_date("2024-09-02") == "2 septembre 2024"
        assert fmt.long_date("2024-09-01") == "1er septembre 2024"
        assert fmt.long_date("2024-09") == "septembre 2024"
        assert (fmt.ordinal(1), fmt.ordinal(2)) == ("1er", "2e")
        assert fmt.years(2020, 2024) == "2020-2024"
        assert fmt.names(["United States", "China", "Russia"]) == "les États-Unis, la Chine et la Russie"
        assert fmt.shift(4.4, 4.4) == "inchangée par rapport à 4,4\u202f%"
    # and English is as it was
    assert (fmt.pct(21.6013), fmt.num(1234.5), fmt.long_date("2024-09-02"), fmt.years(2020, 2024)) == (
        "21.6%",
        "1,234",
        "2 September 2024",
        "2020-24",
    )


def test_the_language_is_restored_after_a_block():
    assert i18n.language() == "en"
    with i18n.use("fr"):
        assert i18n.language() == "fr"
    assert i18n.language() == "en"


def test_an_unknown_language_is_refused_with_the_choices():
    with pytest.raises(ParameterError, match=r"lang must be one of en, fr, got 'de'; e.g. --lang fr"):
        params.check({"lang": "de"}, coverage=lambda: (1950, 2025))


def test_a_french_briefing_gets_its_own_file_name():
    d = params.Params(end=2025)
    fr = params.Params(end=2025, lang="fr")
    import dataclasses

    assert params.output_name(dataclasses.replace(d, region="Africa"), dataclasses.replace(d, region="Africa")) == "briefing"
    assert params.output_name(dataclasses.replace(fr, region="Africa"), dataclasses.replace(d, region="Africa")) == "briefing-fr"


def test_a_notebook_kernel_keeps_its_language_from_cell_to_cell(monkeypatch: pytest.MonkeyPatch):
    """set_language holds for the process (each cell may run in a fresh context); use() blocks
    still take precedence and restore it."""
    import contextvars

    monkeypatch.setattr(i18n, "_process_language", "en")
    contextvars.copy_context().run(i18n.set_language, "fr")  # as a cell run in its own context
    assert contextvars.copy_context().run(i18n.language) == "fr"  # the next cell
    with i18n.use("en"):
        assert fmt.pct(21.6) == "21.6%"
    assert i18n.language() == "fr"


def test_source_labels_and_release_stamps_in_french(shared) -> None:
    """A conflict series' label and a release's credit line read as French sentences; the
    English ones are as they were (and the labels themselves stay the data's)."""
    from analysis import data, sources

    ucdp, acled = "UCDP GED via Our World in Data (1989-2024 download)", "ACLED aggregate, as of 24 Oct 2025"
    assert (fmt.source_name(ucdp), fmt.source_name(acled), fmt.release_name("March 2025")) == (ucdp, acled, "March 2025")
    en = data.release_of()
    src = sources.source("sipri_register")
    assert en["credit"] == f"{src.credit}; {en['release']} release, data generated {en['generated']}"
    with i18n.use("fr"):
        assert fmt.source_name(ucdp) == "UCDP GED via Our World in Data (téléchargement 1989-2024)"
        assert fmt.source_name(acled) == "données agrégées d’ACLED au 24 octobre 2025"
        assert fmt.source_name("V-Dem") == "V-Dem" and fmt.release_name("2025 release") == "2025 release"
        assert fmt.release_name("March 2025") == "mars 2025"
        fr = data.release_of()
        assert fr["credit"] == (
            "Source : base de données du SIPRI sur les transferts d’armes, https://www.sipri.org/databases/armstransfers "
            "(DOI 10.55163/SAFC1241) ; version de mars 2025, données générées le 13 mars 2025"
        )
        assert (fr["release"], fr["generated"]) == (en["release"], en["generated"])
        assert sources.localised(src, "title").startswith("Base de données du SIPRI sur les transferts d’armes : ")
        assert sources.localised(sources.source("ucdp_prio_acd"), "credit") == sources.source("ucdp_prio_acd").credit
    assert data.release_of()["credit"] == en["credit"]


def test_every_source_has_a_french_title() -> None:
    from analysis import sources

    missing = [s.id for s in sources.catalogue().values() if not s.title_fr]
    assert not missing, missing


@reads_source
def test_no_message_hides_inside_an_f_string() -> None:
    """Babel's extractor (on Python 3.11) reads an f-string as one token: a ``_("...")`` inside
    one is never extracted, so it would stay English in every other language."""
    import ast
    from pathlib import Path

    hidden = []
    for f in Path(i18n.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for sub in ast.walk(node):
                    if (
                        isinstance(sub, ast.Call)
                        and isinstance(sub.func, ast.Name)
                        and sub.func.id in ("_", "ngettext", "N_")
                        and any(isinstance(a, ast.Constant) for a in sub.args)
                    ):
                        hidden.append(f"{f.name}:{sub.lineno}")
    assert not hidden, hidden


@pytest.mark.parametrize("x", [0.05, 0.15, 2.25, 12.345, 21.65, 1234.5, 0.95, 99.95])
def test_both_editions_round_a_figure_the_same_way(x: float) -> None:
    """A key figure must show the same digits in English and French (Babel alone rounds half
    to even on the decimal text: 0.05 -> '0,0' against English '0.1')."""
    en_pct, en_num = fmt.pct(x), fmt.num(x, 1)
    with i18n.use("fr"):
        fr_pct, fr_num = fmt.pct(x), fmt.num(x, 1)

    def digits(s: str) -> str:
        return "".join(c for c in s if c.isdigit())

    assert digits(fr_pct) == digits(en_pct) and digits(fr_num) == digits(en_num), (en_pct, fr_pct, en_num, fr_num)
