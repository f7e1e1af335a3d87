"""Tests for analysis.regions and the curated tables data/curated/countries.csv and groups.csv.

The register checks read the real SIPRI exports from ../shared/data (relative to the repository
root); they run whenever that folder exists and are skipped only when it does not.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from analysis import regions
from analysis.errors import ParameterError, UnknownNameError

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO / ".." / "shared" / "data"
REGISTERS = (
    "trade-register_all_generated-2025-03-13.csv",
    "trade-register_all_generated-2024-10-21.csv",
    "trade-register_china_2000-2025_generated-2026-07-14.csv",
)
PRIMARY = REGISTERS[0]

needs_shared = pytest.mark.skipif(not (SHARED / "sipri").is_dir(), reason=f"{SHARED} not present")


def _register_names(filename: str) -> tuple[set[str], set[str]]:
    """(recipients, suppliers) of a SIPRI trade-register export (cp1252, header on line 12).

    SIPRI's comments can contain unquoted line breaks; the continuation lines they leave have an
    empty first field and are skipped.
    """
    recipients: set[str] = set()
    suppliers: set[str] = set()
    with open(SHARED / "sipri" / filename, encoding="cp1252", newline="") as fh:
        reader = csv.reader(fh)
        for _ in range(11):
            next(reader)
        header = next(reader)
        assert header[:2] == ["Recipient", "Supplier"], header[:2]
        for row in reader:
            if len(row) < 2 or not row[0]:
                continue
            recipients.add(row[0])
            suppliers.add(row[1])
    return recipients, suppliers


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return regions.countries()


# --- the table -------------------------------------------------------------------------------


def test_table_columns_and_unique_names(table: pd.DataFrame) -> None:
    for col in ("sipri_name", "name", "iso3", "kind", "sipri_region", "subregion", "aliases"):
        assert col in table.columns
    assert table["sipri_name"].is_unique
    assert set(table["kind"]) <= {"state", "non-state", "organisation", "unknown"}
    assert set(table["sipri_region"]) <= {"Africa", "Americas", "Asia and Oceania", "Europe", "Middle East", ""}


def test_iso3_unique_among_states(table: pd.DataFrame) -> None:
    # second SIPRI spellings of one state (same_as set, e.g. "United Arab Emirates" for "UAE") share its code
    states = table[(table["kind"] == "state") & (table["same_as"] == "") & (table["iso3"] != "")]
    dups = states[states["iso3"].duplicated(keep=False)]
    assert dups.empty, dups[["sipri_name", "iso3"]].to_string()
    assert states["iso3"].str.fullmatch(r"[A-Z]{3}").all()


def test_non_state_and_organisations_flagged(table: pd.DataFrame) -> None:
    single = table[table["sipri_name"].str.endswith("*") & ~table["sipri_name"].str.endswith("**")]
    double = table[table["sipri_name"].str.endswith("**")]
    assert len(single) > 40 and (single["kind"] == "non-state").all()
    assert len(double) >= 5 and (double["kind"] == "organisation").all()
    assert regions.kind("Libya HoR*") == "non-state"
    assert regions.kind("African Union**") == "organisation"
    assert regions.kind("Mali") == "state"
    assert regions.kind("unknown supplier(s)") == "unknown"
    # a non-state actor carries the ISO3 of the country where it operates
    assert regions.iso3("Libya HoR*") == "LBY"
    assert regions.iso3("African Union**") is None
    assert regions.iso3("Soviet Union") is None


def test_display_names() -> None:
    assert regions.display_name("Turkiye") == "Türkiye"
    assert regions.display_name("Cote d'Ivoire") == "Côte d'Ivoire"
    assert regions.display_name("ssa") == "Sub-Saharan Africa"


def test_known_display_name_is_none_for_text_that_names_nothing(monkeypatch) -> None:
    assert regions.known_display_name("Turkiye") == "Türkiye"
    assert regions.known_display_name(" ssa ") == "Sub-Saharan Africa"
    for text in ("Others", "armoured vehicles", "", "  ", None, 3):
        assert regions.known_display_name(text) is None  # type: ignore[arg-type]
    # it builds no error and no suggestions (formatting every "Others" cost 15 ms each)
    monkeypatch.setattr(regions, "_suggest", lambda *a, **k: pytest.fail("suggestions computed"))
    assert regions.known_display_name("Malli") is None


# --- SIPRI's Africa ----------------------------------------------------------------------------


def test_sipri_africa_excludes_egypt() -> None:
    africa = regions.members("Africa")
    assert "Egypt" not in africa
    for name in ("Algeria", "Libya", "Morocco", "Tunisia", "Mali"):
        assert name in africa
    assert "Egypt" in regions.members("Middle East")
    assert regions.members("North Africa", include_non_state=False) == ["Algeria", "Libya", "Libya GNC", "Morocco", "Tunisia"]
    assert "Mali" in regions.members("West Africa") and "Mali" in regions.members("Sub-Saharan Africa")
    assert "Mali" not in regions.members("North Africa")


def test_sub_saharan_is_africa_minus_north() -> None:
    africa = set(regions.members("Africa"))
    north = set(regions.members("North Africa"))
    ssa = set(regions.members("Sub-Saharan Africa"))
    assert ssa == africa - north and not ssa & north
    parts = [set(regions.members(s)) for s in ("West Africa", "Central Africa", "East Africa", "Southern Africa")]
    assert set().union(*parts) == ssa
    assert sum(len(p) for p in parts) == len(ssa)  # the four sub-regions do not overlap


def test_regions_exclude_organisations_and_optionally_non_state() -> None:
    africa = regions.members("Africa")
    assert "African Union**" not in africa
    assert "Libya HoR*" in africa and "UNITA (Angola)*" in africa
    states_only = regions.members("Africa", include_non_state=False)
    assert not [n for n in states_only if n.endswith("*")]
    for region in regions.region_names():
        assert not [n for n in regions.members(region) if n.endswith("**")], region


def test_groups() -> None:
    assert regions.members("AES") == ["Burkina Faso", "Mali", "Niger"]
    assert regions.members("Alliance of Sahel States") == ["Burkina Faso", "Mali", "Niger"]
    assert regions.members("Sahel", include_non_state=False) == ["Burkina Faso", "Chad", "Mali", "Mauritania", "Niger"]
    ecowas = regions.members("ECOWAS", include_non_state=False)
    assert len(ecowas) == 15 and "Mauritania" not in ecowas and "Mali" in ecowas
    g = regions.groups()
    assert (g["source_url"].str.startswith("https://")).all()
    assert g.loc[g["group"] == "ECOWAS", "note"].str.contains("2025").all()


def test_region_names_forgiving() -> None:
    for spelling in ("sub-saharan africa", "SSA", "Sub Saharan Africa", "SUB-SAHARAN AFRICA"):
        assert regions.is_region(spelling)
        assert regions.members(spelling) == regions.members("Sub-Saharan Africa")
    assert regions.is_region("ecowas") and regions.is_region("Middle East")
    assert not regions.is_region("Mali")
    assert "Sahel" in regions.region_names() and "Africa" in regions.region_names()


# --- resolving names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ivory Coast", "Cote d'Ivoire"),
        ("Côte d'Ivoire", "Cote d'Ivoire"),
        ("cote d’ivoire", "Cote d'Ivoire"),
        ("Turkey", "Turkiye"),
        ("Türkiye", "Turkiye"),
        ("turkiye", "Turkiye"),
        ("DRC", "DR Congo"),
        ("DR Congo", "DR Congo"),
        ("Democratic Republic of the Congo", "DR Congo"),
        ("Congo-Kinshasa", "DR Congo"),
        ("MLI", "Mali"),
        ("mali", "Mali"),
        ("USA", "United States"),
        ("United States of America", "United States"),
        ("UK", "United Kingdom"),
        ("Russian Federation", "Russia"),
        ("PRC", "China"),
        ("ARE", "UAE"),
        ("Swaziland", "eSwatini"),
        ("Libya HoR", "Libya HoR*"),
    ],
)
def test_resolve_aliases(typed: str, expected: str) -> None:
    assert regions.resolve(typed) == expected


def test_spelling_variants_across_releases() -> None:
    # the 2026 China export spells UAE out; a selection must match both spellings
    assert regions.resolve("United Arab Emirates") == "United Arab Emirates"
    assert regions.canonical_name("United Arab Emirates") == "UAE"
    assert regions.resolve_selection("UAE") == ["UAE", "United Arab Emirates"]
    assert regions.members("Libya") == ["Libya", "Libya GNC"]


def test_unknown_name_message() -> None:
    with pytest.raises(UnknownNameError) as err:
        regions.resolve("Mail")
    msg = str(err.value)
    assert "\n" not in msg
    assert "Mali" in msg and "'Mail'" in msg


def test_bad_parameters() -> None:
    for bad in ("", "   ", None, 3):
        with pytest.raises(ParameterError):
            regions.resolve(bad)  # type: ignore[arg-type]
        with pytest.raises(ParameterError):
            regions.members(bad)  # type: ignore[arg-type]
    with pytest.raises(ParameterError):
        regions.resolve_selection([])


def test_resolve_selection() -> None:
    assert regions.resolve_selection(["Mali", "niger", "Burkina Faso"]) == ["Burkina Faso", "Mali", "Niger"]
    assert regions.resolve_selection("Mali, Niger") == ["Mali", "Niger"]
    assert regions.resolve_selection(["AES", "Chad"]) == ["Burkina Faso", "Chad", "Mali", "Niger"]
    assert len(regions.resolve_selection(None)) == len(regions.countries())
    with pytest.raises(UnknownNameError):
        regions.resolve_selection(["Mali", "Atlantis"])


# --- against the real SIPRI registers ----------------------------------------------------------


@needs_shared
@pytest.mark.parametrize("filename", REGISTERS)
def test_every_register_name_is_in_countries(filename: str, table: pd.DataFrame) -> None:
    recipients, suppliers = _register_names(filename)
    assert len(recipients) > 50
    missing = sorted((recipients | suppliers) - set(table["sipri_name"]))
    assert not missing, f"{filename}: names missing from countries.csv: {missing}"


@needs_shared
def test_african_recipients_resolve_with_subregion(table: pd.DataFrame) -> None:
    recipients, _ = _register_names(PRIMARY)
    african = table[(table["sipri_region"] == "Africa") & table["sipri_name"].isin(recipients)]
    assert len(african) >= 50
    assert "Egypt" not in set(african["sipri_name"])
    for name in african["sipri_name"]:
        assert regions.resolve(name) == name
        assert regions.countries().set_index("sipri_name").loc[name, "subregion"] in {
            "North Africa",
            "West Africa",
            "Central Africa",
            "East Africa",
            "Southern Africa",
        }
    states = set(african.loc[african["kind"] == "state", "sipri_name"])
    assert {"Mali", "Burkina Faso", "Niger", "Algeria", "Nigeria", "South Africa"} <= states


@needs_shared
def test_milex_workbook_agrees_on_north_africa() -> None:
    """SIPRI's Milex workbook lists North Africa as Algeria, Libya, Morocco, Tunisia; Egypt under Middle East."""
    path = SHARED / "milex" / "SIPRI-Milex-data-1949-2024_2.xlsx"
    if not path.is_file():
        pytest.skip("milex workbook not present")
    col = pd.read_excel(path, sheet_name="Constant (2023) US$", header=None, usecols=[0]).iloc[:, 0].astype(str).str.strip()
    labels = col.tolist()
    north = labels[labels.index("North Africa") + 1 : labels.index("sub-Saharan Africa")]
    assert north == ["Algeria", "Libya", "Morocco", "Tunisia"]
    assert labels.index("Egypt") > labels.index("Middle East")
    assert regions.members("North Africa", include_non_state=False) == ["Algeria", "Libya", "Libya GNC", "Morocco", "Tunisia"]


# --- the curated tables' checks, on small hand-made tables ----------------------------------------
from analysis.errors import MissingSourceError, ValidationError  # noqa: E402

GOOD = [
    {
        "sipri_name": "Mali",
        "name": "Mali",
        "iso3": "MLI",
        "kind": "state",
        "sipri_region": "Africa",
        "subregion": "West Africa",
        "aliases": "Republic of Mali",
        "same_as": "",
    },
    {
        "sipri_name": "Libya HoR*",
        "name": "Libya HoR",
        "iso3": "LBY",
        "kind": "non-state",
        "sipri_region": "Africa",
        "subregion": "North Africa",
        "aliases": "",
        "same_as": "",
    },
    {
        "sipri_name": "African Union**",
        "name": "African Union",
        "iso3": "",
        "kind": "organisation",
        "sipri_region": "",
        "subregion": "",
        "aliases": "AU",
        "same_as": "",
    },
    {
        "sipri_name": "UAE",
        "name": "United Arab Emirates",
        "iso3": "ARE",
        "kind": "state",
        "sipri_region": "Middle East",
        "subregion": "",
        "aliases": "",
        "same_as": "",
    },
    {
        "sipri_name": "United Arab Emirates",
        "name": "United Arab Emirates",
        "iso3": "ARE",
        "kind": "state",
        "sipri_region": "Middle East",
        "subregion": "",
        "aliases": "",
        "same_as": "UAE",
    },
]


def _validate(
    changes: dict[int, dict[str, str]] | None = None, drop: str | None = None, extra: list[dict[str, str]] | None = None
) -> None:
    rows_ = [dict(r) for r in GOOD] + [dict(r) for r in (extra or [])]
    for k, change in (changes or {}).items():
        rows_[k].update(change)
    df = pd.DataFrame(rows_, columns=list(regions.COLUMNS))
    if drop:
        df = df.drop(columns=drop)
    regions._validate_countries(df, Path("countries.csv"))


def test_a_valid_country_table_passes() -> None:
    _validate()


@pytest.mark.parametrize(
    "changes, extra, drop, message",
    [
        (None, None, "aliases", "countries.csv: missing columns aliases"),
        (None, [GOOD[0]], None, "countries.csv: duplicate sipri_name Mali"),
        ({0: {"name": ""}}, None, None, "countries.csv: empty sipri_name or name"),
        ({0: {"sipri_name": ""}}, None, None, "countries.csv: empty sipri_name or name"),
        ({0: {"kind": "country"}}, None, None, "countries.csv: unknown kind country"),
        ({0: {"sipri_region": "Sahara", "subregion": ""}}, None, None, "countries.csv: unknown sipri_region Sahara"),
        ({0: {"subregion": "East Asia"}}, None, None, "countries.csv: Mali: subregion 'East Asia' is not in 'Africa'"),
        ({0: {"subregion": ""}}, None, None, "countries.csv: Mali: African entity without a subregion"),
        ({2: {"sipri_region": "Europe"}}, None, None, "countries.csv: African Union**: organisations have no region"),
        ({0: {"iso3": "ML"}}, None, None, "countries.csv: Mali: bad iso3 'ML'"),
        ({0: {"iso3": "mli"}}, None, None, "countries.csv: Mali: bad iso3 'mli'"),
        ({2: {"kind": "non-state"}}, None, None, "countries.csv: African Union**: a '**' name must be an organisation"),
        ({1: {"kind": "state"}}, None, None, "countries.csv: Libya HoR*: a '*' name must be non-state"),
        (
            {4: {"same_as": "Emirates"}},
            None,
            None,
            "countries.csv: United Arab Emirates: same_as 'Emirates' is not another sipri_name",
        ),
        (
            {4: {"same_as": "United Arab Emirates"}},
            None,
            None,
            "countries.csv: United Arab Emirates: same_as 'United Arab Emirates' is not another sipri_name",
        ),
        ({4: {"same_as": ""}}, None, None, "countries.csv: iso3 used by more than one state: ARE"),
    ],
)
def test_country_table_errors_name_the_row_and_the_rule(changes, extra, drop, message) -> None:
    with pytest.raises(ValidationError) as err:
        _validate(changes, drop, extra)
    assert str(err.value) == message


def test_what_the_country_checks_allow() -> None:
    # a second spelling shares its state's code; non-state actors and organisations may share codes
    _validate(
        extra=[
            {
                "sipri_name": "Mali rebels*",
                "name": "Mali rebels",
                "iso3": "MLI",
                "kind": "non-state",
                "sipri_region": "Africa",
                "subregion": "West Africa",
                "aliases": "",
                "same_as": "",
            },
            {
                "sipri_name": "unknown supplier(s)",
                "name": "unknown supplier(s)",
                "iso3": "",
                "kind": "unknown",
                "sipri_region": "",
                "subregion": "",
                "aliases": "",
                "same_as": "",
            },
        ]
    )


@pytest.fixture
def curated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of data/curated that a test may break; the cached tables are rebuilt around it."""
    for f in ("countries.csv", "groups.csv"):
        (tmp_path / f).write_bytes((regions.CURATED_DIR / f).read_bytes())
    caches = (regions._load_countries, regions._load_groups, regions._index)

    def clear() -> None:
        for c in caches:
            c.cache_clear()

    clear()
    monkeypatch.setattr(regions, "CURATED_DIR", tmp_path)
    yield tmp_path
    monkeypatch.undo()
    clear()


def test_the_shipped_tables_load_from_their_folder(curated: Path) -> None:
    assert regions.members("AES") == ["Burkina Faso", "Mali", "Niger"]
    assert regions.resolve("Ivory Coast") == "Cote d'Ivoire" and regions.iso3("Mali") == "MLI"


def test_missing_curated_tables_are_named(curated: Path) -> None:
    (curated / "groups.csv").unlink()
    with pytest.raises(MissingSourceError, match=r"groups.csv is missing: the curated groups table ships with the repository"):
        regions.groups()
    (curated / "countries.csv").unlink()
    with pytest.raises(
        MissingSourceError, match=r"countries.csv is missing: the curated country table ships with the repository"
    ):
        regions.countries()


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.replace("group,member,source_url,note", "group,member,source_url"), "groups.csv: missing columns note"),
        (lambda t: t + "AES,Atlantis,https://example.org,\n", "groups.csv: members not in countries.csv: Atlantis"),
        (lambda t: t + "AES,Mali,https://example.org,\n", "groups.csv: a member is listed twice in one group"),
    ],
)
def test_group_table_errors(curated: Path, edit, message: str) -> None:
    path = curated / "groups.csv"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        regions.groups()
    assert str(err.value) == message


def test_tables_are_copies_the_caller_may_change(curated: Path) -> None:
    c = regions.countries()
    c.loc[:, "name"] = "x"
    assert regions.countries()["name"].ne("x").all()
    g = regions.groups()
    g.loc[:, "group"] = "x"
    assert "x" not in set(regions.groups()["group"])
    # the countries file is read with empty strings, not NaN, and keeps its UTF-8 names
    assert regions.countries().set_index("sipri_name").loc["Turkiye", "name"] == "Türkiye"
    assert (regions.countries()["same_as"] == "").sum() > 200


# --- forgiving matches and selections --------------------------------------------------------------
@pytest.mark.parametrize(
    "typed, expected",
    [
        ("Bosnia & Herzegovina", "Bosnia-Herzegovina"),
        ("the Gambia", "Gambia"),
        ("Gambia, The", "Gambia"),
        ("guinea bissau", "Guinea-Bissau"),
        ("Trinidad_and_Tobago", "Trinidad and Tobago"),
        ("Congo, Rep.", "Congo"),
        ("  Mali  ", "Mali"),
        ("SouthAfrica", "South Africa"),
        ("cotedivoire", "Cote d'Ivoire"),
        ("mli", "Mali"),
        ("United  Arab   Emirates", "United Arab Emirates"),
        ("LIBYA HOR", "Libya HoR*"),
        ("AU", "African Union**"),
    ],
)
def test_normalised_spellings_resolve(typed: str, expected: str) -> None:
    assert regions.resolve(typed) == expected


def test_region_given_where_a_country_is_expected() -> None:
    with pytest.raises(UnknownNameError) as err:
        regions.resolve("ssa")
    assert str(err.value) == (
        "'ssa' is a region or group (Sub-Saharan Africa), not a single country; use members() or resolve_selection()"
    )
    assert regions.kind("ssa") == "region" and regions.kind("Sahel") == "region"
    with pytest.raises(UnknownNameError, match="unknown country or region 'Atlantis'"):
        regions.kind("Atlantis")
    with pytest.raises(UnknownNameError, match="unknown country or region 'Atlantis'"):
        regions.display_name("Atlantis")


def test_unknown_name_suggestions() -> None:
    with pytest.raises(UnknownNameError) as err:
        regions.resolve("Nigerr")
    msg = str(err.value)
    assert msg.startswith("unknown country or region 'Nigerr'; did you mean Niger, Nigeria")
    assert msg.endswith("? (see `briefing data countries`)") and msg.count(",") <= 2
    with pytest.raises(UnknownNameError) as err:
        regions.resolve("Qqqqqqq")
    assert str(err.value) == "unknown country or region 'Qqqqqqq' (see `briefing data countries`)"
    with pytest.raises(UnknownNameError, match="did you mean Sahel"):
        regions.resolve("Sahell")
    assert regions._suggest("Nigerr", n=1) == ["Niger"]


def test_bad_parameters_say_what_was_given() -> None:
    with pytest.raises(ParameterError, match="^name must be a string, got int$"):
        regions.resolve(3)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="^name is empty: give a country, region or group name$"):
        regions.resolve("  ")
    with pytest.raises(ParameterError, match="^selection is empty: give a country, region or group name$"):
        regions.resolve_selection(" ")
    with pytest.raises(ParameterError, match="^selection item is empty"):
        regions.resolve_selection(["Mali", ""])
    with pytest.raises(ParameterError, match="^selection must be a name, a list of names or None, got int$"):
        regions.resolve_selection(7)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="^selection is an empty list: give at least one country, region or group$"):
        regions.resolve_selection(())


def test_selections_split_only_where_the_whole_text_is_no_name() -> None:
    assert regions.resolve_selection("Mali; Niger ,") == ["Mali", "Niger"]
    assert regions.resolve_selection("Gambia, The") == ["Gambia"]  # an alias with a comma stays whole
    assert regions.resolve_selection("Congo, Rep.") == ["Congo"]
    assert regions.resolve_selection("Sahel") == regions.members("Sahel")
    assert regions.resolve_selection(("UAE", "Mali")) == ["Mali", "UAE", "United Arab Emirates"]


def test_members_of_each_kind_of_region() -> None:
    assert regions.members("Middle East", include_non_state=False)[:3] == ["Bahrain", "Egypt", "Iran"]
    assert "Libya HoR*" in regions.members("North Africa") and "Libya HoR*" not in regions.members(
        "North Africa", include_non_state=False
    )
    assert set(regions.members("Sahel")) - set(regions.members("Sahel", include_non_state=False)) == {
        n for n in regions.members("Sahel") if n.endswith("*")
    }
    assert all(
        regions.kind(n) == "non-state"
        for n in set(regions.members("Sahel")) - set(regions.members("Sahel", include_non_state=False))
    )
    assert regions.members("Europe", include_non_state=False) == sorted(regions.members("Europe", include_non_state=False))
    assert "UAE" in regions.members("Middle East") and "United Arab Emirates" in regions.members("Middle East")
    names = regions.region_names()
    assert names[:7] == [
        "Africa",
        "Sub-Saharan Africa",
        "North Africa",
        "West Africa",
        "Central Africa",
        "East Africa",
        "Southern Africa",
    ]
    assert names[-3:] == ["Sahel", "AES", "ECOWAS"] and len(names) == len(set(names))


def test_variants_and_codes() -> None:
    assert regions.variants("United Arab Emirates") == ["UAE", "United Arab Emirates"]
    assert regions.variants("Mali") == ["Mali"] and regions.canonical_name("Libya GNC") == "Libya"
    assert regions.iso3("Libya GNC") == "LBY" and regions.iso3("ARE") == "ARE"
    assert regions.display_name("united arab emirates") == "United Arab Emirates"
    assert regions.display_name("AES") == "AES" and regions.display_name("g5") == "Sahel"
    assert regions.is_region("Alliance des Etats du Sahel") and regions.is_region("Southeast Asia")


def test_groups_count_non_state_actors_operating_in_member_states() -> None:
    assert set(regions.members("Sahel")) - set(regions.members("Sahel", include_non_state=False)) == {
        "FAN (Chad)*",
        "GUNT (Chad)*",
    }
    assert {"RUF (Sierra Leone)*", "PAIGC (Portugal)*"} <= set(regions.members("ECOWAS"))


@pytest.mark.parametrize(
    "changes, extra, drop, message",
    [
        (None, None, ["aliases", "same_as"], "countries.csv: missing columns aliases, same_as"),
        (None, [GOOD[0]] * 6 + [GOOD[1]], None, "countries.csv: duplicate sipri_name Mali, Mali, Mali, Mali, Mali"),
        ({0: {"kind": "country"}, 3: {"kind": "nation"}}, None, None, "countries.csv: unknown kind country, nation"),
        (
            {0: {"sipri_region": "Sahara", "subregion": ""}, 3: {"sipri_region": "Arabia"}},
            None,
            None,
            "countries.csv: unknown sipri_region Arabia, Sahara",
        ),
        (
            {3: {"subregion": "West Africa", "sipri_region": ""}},
            None,
            None,
            "countries.csv: UAE: subregion 'West Africa' is not in ''",
        ),
        (
            {4: {"same_as": ""}},
            [
                {
                    "sipri_name": "Mali Republic",
                    "name": "Mali Republic",
                    "iso3": "MLI",
                    "kind": "state",
                    "sipri_region": "Africa",
                    "subregion": "West Africa",
                    "aliases": "",
                    "same_as": "",
                }
            ],
            None,
            "countries.csv: iso3 used by more than one state: ARE, MLI",
        ),
    ],
)
def test_country_table_errors_list_every_offender(changes, extra, drop, message) -> None:
    rows_ = [dict(r) for r in GOOD] + [dict(r) for r in (extra or [])]
    for k, change in (changes or {}).items():
        rows_[k].update(change)
    df = pd.DataFrame(rows_, columns=list(regions.COLUMNS)).drop(columns=drop or [])
    with pytest.raises(ValidationError) as err:
        regions._validate_countries(df, Path("countries.csv"))
    assert str(err.value) == message


def test_an_alias_two_entities_share_is_ambiguous(curated: Path) -> None:
    with (curated / "countries.csv").open("a", encoding="utf-8") as fh:
        fh.write("Twin A,Twin A,,non-state,,,The Twins,\nTwin B,Twin B,,non-state,,,The Twins;Bee,\n")
    with pytest.raises(UnknownNameError) as err:
        regions.resolve("the twins")
    assert str(err.value) == (
        "ambiguous name 'the twins': it could be Twin A, Twin B; give the SIPRI name (see `briefing data countries`)"
    )
    assert regions.resolve("Bee") == "Twin B" and regions.resolve("twina") == "Twin A"


def test_spellings_that_only_match_without_spaces_and_suggestions_from_aliases() -> None:
    assert regions.resolve("Cote Divoire") == "Cote d'Ivoire" and regions.resolve("South  Sudan") == "South Sudan"
    with pytest.raises(UnknownNameError, match=r"did you mean Côte d'Ivoire\?"):
        regions.resolve("Ivory Coastt")  # close to an alias only
    with pytest.raises(UnknownNameError, match=r"did you mean Guinea, Ukraine\? "):
        regions.resolve("Guinee")
    many = regions._suggest("Congoo")
    assert len(many) == 3 and many[0] == "Republic of the Congo"
    assert len(regions._suggest("Congoo", n=5)) > 3


# --------------------------------------------------------------------------- names in result columns
def test_with_display_names_keeps_sipri_spelling_beside_the_display_name() -> None:
    df = pd.DataFrame(
        {"supplier": ["UAE", "Turkiye", "European Union**", "unknown supplier(s)", "Others", None], "tiv": range(6)}
    )
    df.attrs["unit"] = "TIV millions"
    out = regions.with_display_names(df, ["supplier", "absent"])
    assert list(out.columns) == ["supplier", "supplier_sipri", "tiv"] and out.attrs == {"unit": "TIV millions"}
    assert out["supplier"].tolist()[:5] == ["United Arab Emirates", "Türkiye", "European Union", "unknown supplier(s)", "Others"]
    assert out["supplier_sipri"].tolist()[:5] == ["UAE", "Turkiye", "European Union**", "unknown supplier(s)", "Others"]
    assert pd.isna(out["supplier"].iloc[5]) and df["supplier"].iloc[0] == "UAE"  # the input is not changed
    assert regions.with_display_names(out, ["supplier"]).equals(out)  # applied once only


def test_every_display_name_leads_back_to_its_entity() -> None:
    names = regions.countries()["sipri_name"]
    shown = regions.display_names(names)
    assert (regions.canonical_names(shown) == regions.canonical_names(names)).all()
    assert regions.canonical_names(pd.Series(["Türkiye", "United Arab Emirates", "Côte d'Ivoire", "Others"])).tolist() == [
        "Turkiye",
        "UAE",
        "Cote d'Ivoire",
        "Others",
    ]


def test_same_entity_matches_any_spelling() -> None:
    s = pd.Series(["Türkiye", "UAE", "United Arab Emirates", "Russia", None, "Others"])
    assert regions.same_entity(s, "Turkiye").tolist() == [True, False, False, False, False, False]
    assert regions.same_entity(s, "ARE").tolist() == [False, True, True, False, False, False]
    assert regions.same_entity(s, "Others").tolist() == [False, False, False, False, False, True]
