"""French names of states and organisations, with the articles and prepositions French needs.

Names: a state's French name is CLDR's territory name in Babel (``Locale("fr").territories``),
found through its ISO code (``data/curated/countries.csv`` -> ISO 3166 alpha-2 via pycountry);
:data:`NAMES` holds the few that CLDR shortens (``Congo-Kinshasa``) or does not have
(organisations, historical states, SIPRI's "unknown" entries). A non-state actor keeps the
name SIPRI gives it and takes no article.

Grammar (the rules taught in French grammars, e.g. Grevisse, *Le Bon Usage*, on country names):

* gender: a name whose head word ends in a mute ``e`` is feminine (la Chine, la Côte d'Ivoire,
  la République centrafricaine), others masculine (le Mali, le Niger); :data:`MASCULINE_E`
  lists the exceptions (le Mozambique, le Zimbabwe, le Royaume-Uni) and :data:`FEMININE`
  the feminine names without a final ``e`` (la Sierra Leone, l'Union européenne);
* number: :data:`PLURAL` names take ``les`` (les États-Unis, les Comores);
* article: island states and a few others take none (Madagascar, Maurice, Djibouti, Israël);
  :data:`NO_ARTICLE`;
* elision before a vowel: l'Égypte, l'Angola, d'Israël (never before an aspirated h: la Hongrie);
* "in/to": ``en`` before a feminine name or a masculine one that starts with a vowel (en Chine,
  en Angola, en Iran), ``au`` before other masculine names (au Mali), ``aux`` before plurals
  (aux Émirats arabes unis), ``à`` before names without an article (à Madagascar; but en Israël,
  en Haïti);
* "of": du Mali, de la Chine, de l'Égypte, des États-Unis, de Madagascar, d'Israël.

Typography: the apostrophe of elisions is the typographic one (l’Égypte), as in CLDR's names.
"""

from __future__ import annotations

import dataclasses
import functools

__all__ = ["FEMININE", "MASCULINE_E", "NAMES", "NO_ARTICLE", "PLURAL", "Forms", "forms", "forms_of", "name"]

APOSTROPHE = "\u2019"

#: French names that are not CLDR's short territory names, by the project's English display name.
NAMES: dict[str, str] = {
    "DR Congo": "République démocratique du Congo",
    "Republic of the Congo": "République du Congo",
    "Myanmar": "Myanmar",
    "Palestine": "Palestine",
    "Libya (GNC)": "Libye (GNC)",
    "Soviet Union": "Union soviétique",
    "Czechoslovakia": "Tchécoslovaquie",
    "East Germany": "Allemagne de l’Est",
    "Yugoslavia": "Yougoslavie",
    "North Yemen": "Yémen du Nord",
    "South Yemen": "Yémen du Sud",
    "South Vietnam": "Viêt Nam du Sud",
    "Kosovo": "Kosovo",
    "African Union": "Union africaine",
    "European Union": "Union européenne",
    "NATO": "OTAN",
    "OSCE": "OSCE",
    "United Nations": "Nations unies",
    "Regional Security System": "Système de sécurité régional",
    "unknown supplier(s)": "fournisseur(s) inconnu(s)",
    "Unknown recipient(s)": "destinataire(s) inconnu(s)",
    "Others": "Autres",
    "Other": "Autre",
    "Africa": "Afrique",
    "North Africa": "Afrique du Nord",
    "West Africa": "Afrique de l’Ouest",
    "Central Africa": "Afrique centrale",
    "East Africa": "Afrique de l’Est",
    "Southern Africa": "Afrique australe",
    "Sub-Saharan Africa": "Afrique subsaharienne",
    "Middle East": "Moyen-Orient",
    "Europe": "Europe",
    "Americas": "Amériques",
    "Asia and Oceania": "Asie et Océanie",
    "Sahel": "Sahel",
    "World": "Monde",
}

#: Masculine names whose head word ends in a mute e.
MASCULINE_E: frozenset[str] = frozenset(
    {"Mozambique", "Zimbabwe", "Mexique", "Cambodge", "Belize", "Royaume-Uni", "Zaïre", "Monde", "Sahel"}
)
#: Feminine names whose head word does not end in e.
FEMININE: frozenset[str] = frozenset(
    {"Sierra Leone", "Union soviétique", "Union africaine", "Union européenne", "OTAN", "OSCE", "Palestine", "Allemagne de l’Est"}
)
#: Names that take the plural article.
PLURAL: frozenset[str] = frozenset(
    {
        "États-Unis",
        "Émirats arabes unis",
        "Comores",
        "Seychelles",
        "Philippines",
        "Pays-Bas",
        "Maldives",
        "Bahamas",
        "Fidji",
        "Îles Marshall",
        "Îles Salomon",
        "Nations unies",
        "Territoires palestiniens",
        "Amériques",
        "Autres",
        "fournisseur(s) inconnu(s)",
        "destinataire(s) inconnu(s)",
    }
)
#: Names used without an article.
NO_ARTICLE: frozenset[str] = frozenset(
    {
        "Madagascar",
        "Maurice",
        "Sao Tomé-et-Principe",
        "Djibouti",
        "Cuba",
        "Chypre",
        "Malte",
        "Singapour",
        "Bahreïn",
        "Israël",
        "Oman",
        "Haïti",
        "Taïwan",
        "Monaco",
        "Saint-Marin",
        "Sainte-Lucie",
        "Nauru",
        "Tuvalu",
        "Kiribati",
        "Vanuatu",
        "Samoa",
        "Tonga",
        "Trinité-et-Tobago",
        "Antigua-et-Barbuda",
        "Saint-Christophe-et-Niévès",
        "Saint-Vincent-et-les Grenadines",
        "Brunei",
        "Aruba",
        "Palaos",
    }
)
#: Names without an article that still take "en" (en Israël, en Haïti).
EN_WITHOUT_ARTICLE: frozenset[str] = frozenset({"Israël", "Haïti"})
_VOWELS = set("AEIOUYÂÀÉÈÊËÎÏÔÖÛÙÜŒaeiouyâàéèêëîïôöûùüœ")


@dataclasses.dataclass(frozen=True)
class Forms:
    """A French name in the forms a sentence needs: ``name`` (Mali), ``le`` (le Mali),
    ``de`` (du Mali), ``a`` (au Mali)."""

    name: str
    le: str
    de: str
    a: str
    gender: str  # "m" or "f"
    plural: bool


def _head(name_fr: str) -> str:
    return name_fr.replace("-", " ").split(" ")[0]


def forms(name_fr: str, *, article: bool | None = None) -> Forms:
    """The forms of a French name by the rules above; ``article=False`` for a name that takes
    none whatever the rules say (a non-state actor's own name)."""
    n = name_fr
    plural = n in PLURAL
    if n in FEMININE:
        gender = "f"
    elif n in MASCULINE_E:
        gender = "m"
    else:
        gender = "f" if _head(n).lower().endswith("e") else "m"
    has_article = (n not in NO_ARTICLE) if article is None else article
    vowel = n[:1] in _VOWELS
    if not has_article:
        de = f"d{APOSTROPHE}{n}" if vowel else f"de {n}"
        a = f"en {n}" if n in EN_WITHOUT_ARTICLE else f"à {n}"
        return Forms(n, n, de, a, gender, plural)
    if plural:
        return Forms(n, f"les {n}", f"des {n}", f"aux {n}", gender, True)
    if vowel:
        return Forms(n, f"l{APOSTROPHE}{n}", f"de l{APOSTROPHE}{n}", f"en {n}", gender, False)
    if gender == "f":
        return Forms(n, f"la {n}", f"de la {n}", f"en {n}", "f", False)
    return Forms(n, f"le {n}", f"du {n}", f"au {n}", "m", False)


@functools.lru_cache(maxsize=1024)
def name(display: str) -> str:
    """The French name of an English display name (``Côte d'Ivoire`` -> ``Côte d’Ivoire``,
    ``DR Congo`` -> ``République démocratique du Congo``); the display name itself for what
    neither :data:`NAMES` nor CLDR knows (a non-state actor, an armament category)."""
    if display in NAMES:
        return NAMES[display]
    from analysis import regions
    from analysis.errors import BriefingError

    try:
        code = regions.iso3(display) if regions.kind(display) == "state" else None
    except BriefingError:
        return display
    if not code:
        return display
    import pycountry
    from babel import Locale

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return display
    return Locale("fr").territories.get(country.alpha_2, display)


@functools.lru_cache(maxsize=1024)
def forms_of(display: str) -> Forms:
    """The French forms of an English display name; a non-state actor (SIPRI's ``kind``) and a
    name CLDR does not know take no article."""
    fr = name(display)
    article: bool | None = None
    if fr == display and display not in NAMES:
        from analysis import regions
        from analysis.errors import BriefingError

        try:
            kind = regions.kind(display)
        except BriefingError:
            kind = "unknown-name"
        if kind not in ("state", "organisation", "region"):
            article = False
    return forms(fr, article=article)
