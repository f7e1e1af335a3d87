"""Schema and consistency checks for the hand-curated tables in data/curated/.

Covers events.csv, systems.csv, system_users.csv, groups.csv, former_powers.csv,
armament_categories.csv and armament_categories_unmapped.csv (see data/curated/README.md). The tests that compare the
tables with the real SIPRI exports read them from ../shared/data (the `shared` fixture in
conftest.py): they run whenever that folder exists.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CURATED = ROOT / "data" / "curated"

REG_2025 = "sipri/trade-register_all_generated-2025-03-13.csv"
REG_2024 = "sipri/trade-register_all_generated-2024-10-21.csv"
REG_CHINA_2026 = "sipri/trade-register_china_2000-2025_generated-2026-07-14.csv"
API_SAMPLE = "sipri/api-sample_trade-register_deliveries-2000-2001_generated-2025-02-10.csv"

# SIPRI's Africa: every African state except Egypt, plus non-state actors in Africa and the
# African Union, spelled as in the SIPRI exports.
AFRICA = {
    "Algeria",
    "Angola",
    "Benin",
    "Botswana",
    "Burkina Faso",
    "Burundi",
    "Cabo Verde",
    "Cameroon",
    "Central African Republic",
    "Chad",
    "Comoros",
    "Congo",
    "Cote d'Ivoire",
    "DR Congo",
    "Djibouti",
    "Equatorial Guinea",
    "Eritrea",
    "Ethiopia",
    "Gabon",
    "Gambia",
    "Ghana",
    "Guinea",
    "Guinea-Bissau",
    "Kenya",
    "Lesotho",
    "Liberia",
    "Libya",
    "Madagascar",
    "Malawi",
    "Mali",
    "Mauritania",
    "Mauritius",
    "Morocco",
    "Mozambique",
    "Namibia",
    "Niger",
    "Nigeria",
    "Rwanda",
    "Senegal",
    "Seychelles",
    "Sierra Leone",
    "Somalia",
    "South Africa",
    "South Sudan",
    "Sudan",
    "Tanzania",
    "Togo",
    "Tunisia",
    "Uganda",
    "Zambia",
    "Zimbabwe",
    "eSwatini",
    "Western Sahara",
    "Biafra",
    "Katanga",
    "Libya GNC",
    "Libya HoR*",
    "ANC (South Africa)*",
    "Darfur rebels (Sudan)*",
    "ELF (Ethiopia)*",
    "EPLF (Ethiopia)*",
    "FAN (Chad)*",
    "FNLA (Angola)*",
    "GUNT (Chad)*",
    "LRA (Uganda)*",
    "NTC (Libya)*",
    "RPF (Rwanda)*",
    "RUF (Sierra Leone)*",
    "SNA (Somalia)*",
    "SPLA (Sudan)*",
    "UIC (Somalia)*",
    "UNITA (Angola)*",
    "ZAPU (Zimbabwe)*",
    "FRELIMO (Portugal)*",
    "MPLA (Portugal)*",
    "PAIGC (Portugal)*",
    "African Union**",
}
SIPRI_CATEGORIES = {
    "Aircraft",
    "Air defence systems",
    "Anti-submarine warfare weapons",
    "Armoured vehicles",
    "Artillery",
    "Engines",
    "Missiles",
    "Naval weapons",
    "Satellites",
    "Sensors",
    "Ships",
    "Other",
}
EVENT_COLUMNS = [
    "event_id",
    "date",
    "date_precision",
    "date_end",
    "country",
    "category",
    "supplier",
    "title",
    "description",
    "status",
    "conflict_note",
    "source_url",
    "source_url_2",
    "title_fr",
    "description_fr",
    "source_url_fr",
]
SYSTEM_COLUMNS = [
    "designation",
    "sipri_listed",
    "aliases",
    "supplier_country",
    "maker",
    "maker_source_url",
    "type",
    "notes",
    "source_url",
    "notes_fr",
]
USER_COLUMNS = ["designation", "user_country", "status", "evidence", "source_url"]
CATEGORY_COLUMNS = ["description", "category", "basis", "note"]
UNMAPPED_COLUMNS = ["description", "n_rows_africa", "why"]
URL = re.compile(r"^https?://\S+$")


def read_curated(name: str) -> tuple[list[str], list[dict[str, str]]]:
    path = CURATED / name
    assert path.is_file(), f"missing {path}"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def read_register(shared: Path, rel: str) -> list[dict[str, str]]:
    """Classic trade-register export: cp1252, 11 preamble lines, header on line 12."""
    text = (shared / rel).read_bytes().decode("cp1252")
    lines = text.splitlines()[11:]
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    header = rows[0]
    assert header[0] == "Recipient" and header[7] == "Weapon description", header
    return [dict(zip(header, r)) for r in rows[1:] if len(r) >= 8 and r[0]]


def parse_date(value: str) -> date:
    for pattern, fmt in ((r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"), (r"\d{4}-\d{2}", "%Y-%m"), (r"\d{4}", "%Y")):
        if re.fullmatch(pattern, value):
            from datetime import datetime

            return datetime.strptime(value, fmt).date()
    raise ValueError(f"not an ISO date: {value!r}")


# ---------------------------------------------------------------- events.csv


@pytest.fixture(scope="module")
def events() -> list[dict[str, str]]:
    cols, rows = read_curated("events.csv")
    assert cols == EVENT_COLUMNS
    assert rows
    return rows


def test_events_schema(events):
    ids = Counter(r["event_id"] for r in events)
    assert not [i for i, n in ids.items() if n > 1], "event_id must be unique"
    for r in events:
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", r["event_id"]), r["event_id"]
        assert r["date_precision"] in {"day", "month", "year", "approx"}, r
        assert r["category"] in {
            "coup",
            "foreign-forces",
            "withdrawal",
            "alliance",
            "delivery",
            "agreement",
            "summit",
            "attack",
            "other",
        }, r
        assert r["status"] in {"confirmed", "conflict", "unverified"}, r
        assert r["title"] and len(r["title"]) <= 70, r["title"]
        assert r["description"] and r["country"], r
        assert URL.match(r["source_url"]), r
        assert not r["source_url_2"] or URL.match(r["source_url_2"]), r
        if r["status"] == "conflict":
            assert r["conflict_note"], f"{r['event_id']}: a conflict must say what sources disagree on"
        if r["category"] == "delivery":
            assert r["supplier"], f"{r['event_id']}: deliveries name a supplier"


def test_event_dates_parse_and_lie_in_range(events):
    for r in events:
        start = parse_date(r["date"])
        assert 2012 <= start.year <= 2026, r
        if r["date_precision"] == "day":
            assert len(r["date"]) == 10, r
        if r["date_end"]:
            end = parse_date(r["date_end"])
            assert 2012 <= end.year <= 2026, r
            assert end >= start, r


def test_key_events_present(events):
    norinco = [
        r
        for r in events
        if r["date"] == "2024-09-02" and r["category"] == "agreement" and "norinco" in (r["title"] + r["description"]).lower()
    ]
    assert len(norinco) == 1
    partnership = [r for r in events if r["date"] == "2024-09-02" and "strategic partnership" in r["title"]]
    assert partnership
    focac = [r for r in events if r["category"] == "summit" and "FOCAC" in r["title"] and r["date"] == "2024-09-04"]
    assert len(focac) == 1 and focac[0]["date_end"] == "2024-09-06"
    assert any(r["date"] == "2024-09-17" and r["category"] == "attack" for r in events)
    coups = {r["date"][:7] for r in events if r["category"] == "coup"}
    assert {"2020-08", "2021-05"} <= coups


# ------------------------------------------------- systems.csv, system_users.csv


@pytest.fixture(scope="module")
def systems() -> list[dict[str, str]]:
    cols, rows = read_curated("systems.csv")
    assert cols == SYSTEM_COLUMNS
    return rows


@pytest.fixture(scope="module")
def users() -> list[dict[str, str]]:
    cols, rows = read_curated("system_users.csv")
    assert cols == USER_COLUMNS
    return rows


def test_systems_schema(systems):
    names = Counter(r["designation"] for r in systems)
    assert not [n for n, c in names.items() if c > 1]
    for r in systems:
        assert r["designation"] and r["type"], r
        assert r["sipri_listed"] in {"yes", "no"}, r
        assert URL.match(r["source_url"]), r
        assert r["maker"], "write 'unknown' where no source names the maker"
        if r["maker"] != "unknown":
            assert URL.match(r["maker_source_url"]), r
        else:
            assert not r["maker_source_url"], r
    for needed in [
        "VP-11",
        "CS/VP-14",
        "VN-22",
        "VN-22B",
        "WZ-551",
        "SR-5",
        "CS/SH-1 122mm",
        "CSSM-5 120mm",
        "Y-12",
        "Z-9",
        "ZFB-05",
        "Bayraktar TB2",
        "Akinci",
        "Teber",
        "Mi-17",
        "Mi-24P/Mi-35P",
        "Mi-8T",
        "L-39C Albatros",
        "Su-25",
        "An-28TD Bryza-1TD",
        "C-295",
    ]:
        assert names[needed] == 1, needed
    unlisted = {r["designation"] for r in systems if r["sipri_listed"] == "no"}
    assert {"VN2C", "Mi-171Sh"} <= unlisted and any(d.startswith("Lynx") for d in unlisted)


def test_vp11_note_flags_unverified_users(systems):
    vp11 = next(r for r in systems if r["designation"] == "VP-11")
    assert "Sri Lanka and Chad" in vp11["notes"] and "no source found" in vp11["notes"]
    assert "WZ-551" in vp11["notes"]


def test_system_users_schema(users):
    assert users
    for r in users:
        assert r["status"] in {"confirmed", "unverified", "contradicted"}, r
        assert r["designation"] and r["user_country"] and r["evidence"], r
        assert URL.match(r["source_url"]), r
    vp11 = {r["user_country"]: r["status"] for r in users if r["designation"] == "VP-11"}
    for country in ("Mali", "Gabon", "Sri Lanka", "Chad"):
        assert country in vp11, country
    assert any(c.startswith("China") for c in vp11)
    # The news claim "well received in Sri Lanka and Chad" has no source: must not read as confirmed.
    assert vp11["Sri Lanka"] != "confirmed" and vp11["Chad"] != "confirmed"
    assert vp11["Mali"] == vp11["Gabon"] == "confirmed"


def _years(text: str) -> list[int]:
    return [int(y) for y in re.findall(r"\d{4}", text or "")]


def test_systems_match_sipri_mali_rows(shared, systems):
    """Every SIPRI designation for Mali with an order or delivery year >= 2012 is listed, and every
    row marked sipri_listed=yes is spelled exactly as in at least one register."""
    mali: dict[str, set[str]] = {}
    for rel in (REG_2025, REG_2024, REG_CHINA_2026):
        for r in read_register(shared, rel):
            if r["Recipient"] != "Mali":
                continue
            years = _years(r["Year of order"]) + _years(r["Year(s) of delivery"])
            mali.setdefault(r["Weapon designation"], set()).update(str(y) for y in years)
    recent = {d for d, ys in mali.items() if ys and max(int(y) for y in ys) >= 2012}
    listed = {r["designation"] for r in systems if r["sipri_listed"] == "yes"}
    assert recent - listed == set(), f"missing SIPRI designations for Mali: {sorted(recent - listed)}"
    anywhere = {r["Weapon designation"] for rel in (REG_2025, REG_2024, REG_CHINA_2026) for r in read_register(shared, rel)}
    assert listed - anywhere == set(), f"not spelled as SIPRI does: {sorted(listed - anywhere)}"
    assert not ({r["designation"] for r in systems if r["sipri_listed"] == "no"} & set(mali))
    assert "Type-62" in listed, "Mali's Type-62 light tank (SIPRI deal China->Mali) needs a row"


def test_sipri_vp11_recipients_in_users(shared, users):
    vp11 = set()
    for rel in (REG_2025, REG_2024, REG_CHINA_2026):
        vp11 |= {r["Recipient"] for r in read_register(shared, rel) if r["Weapon designation"] == "VP-11"}
    assert vp11, "SIPRI lists VP-11 recipients"
    named = {r["user_country"] for r in users if r["designation"] == "VP-11"}
    assert vp11 <= named
    assert "Sri Lanka" not in vp11 and "Chad" not in vp11


# ------------------------------------------------------- armament_categories


@pytest.fixture(scope="module")
def categories() -> list[dict[str, str]]:
    cols, rows = read_curated("armament_categories.csv")
    assert cols == CATEGORY_COLUMNS
    return rows


@pytest.fixture(scope="module")
def unmapped() -> list[dict[str, str]]:
    cols, rows = read_curated("armament_categories_unmapped.csv")
    assert cols == UNMAPPED_COLUMNS
    return rows


def test_categories_schema(categories, unmapped):
    descs = Counter(r["description"] for r in categories)
    assert not [d for d, n in descs.items() if n > 1], "one category per description"
    for r in categories:
        assert r["category"] in SIPRI_CATEGORIES, r
        assert r["basis"] in {"api_sample", "sipri_definition"}, r
        if r["basis"] == "sipri_definition":
            assert r["note"], "say which definition or equivalent term supports the mapping"
    for r in unmapped:
        assert r["description"] and r["why"], r
        assert int(r["n_rows_africa"]) > 0, r
    assert not set(descs) & {r["description"] for r in unmapped}, "a description is either mapped or unmapped"


def test_api_sample_pairs_reproduced(shared, categories):
    text = (shared / API_SAMPLE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO("\n".join(text.splitlines()[11:]))))
    assert rows and "Armament category" in rows[0]
    pairs: dict[str, Counter] = {}
    for r in rows:
        pairs.setdefault(r["Description"], Counter())[r["Armament category"]] += 1
    api_rows = {r["description"]: r["category"] for r in categories if r["basis"] == "api_sample"}
    assert set(api_rows) == set(pairs)
    for desc, counter in pairs.items():
        assert api_rows[desc] == counter.most_common(1)[0][0], desc


def test_every_african_description_in_2025_register_is_covered(shared, categories, unmapped):
    africa_rows = [r for r in read_register(shared, REG_2025) if r["Recipient"] in AFRICA]
    assert len(africa_rows) > 1000
    seen = {r["Recipient"] for r in africa_rows}
    assert {"Mali", "Nigeria", "Algeria", "Morocco"} <= seen and "Egypt" not in seen
    covered = {r["description"] for r in categories} | {r["description"] for r in unmapped}
    missing = sorted({r["Weapon description"] for r in africa_rows} - covered)
    assert not missing, f"descriptions neither mapped nor listed as unmapped: {missing}"


def test_unmapped_counts_match_registers(shared, unmapped):
    counts: Counter = Counter()
    for rel in (REG_2025, REG_2024, REG_CHINA_2026):
        counts.update(r["Weapon description"] for r in read_register(shared, rel) if r["Recipient"] in AFRICA)
    for r in unmapped:
        assert int(r["n_rows_africa"]) == counts[r["description"]], r


# ------------------------------------------------ sources, dates, coverage (audit of 2026-12-02)

SOURCED_FILES = {
    "events.csv": "source_url",
    "systems.csv": "source_url",
    "system_users.csv": "source_url",
    "groups.csv": "source_url",
    "former_powers.csv": "source_url",
}
FORMER_POWER_COLUMNS = ["country", "former_power", "relationship", "source_url", "status", "note", "source_url_2"]
FOCUS_STATES = ["Burkina Faso", "Niger", "Chad", "Nigeria", "Ethiopia", "Senegal", "Côte d'Ivoire", "Angola"]


@pytest.mark.parametrize("name,column", sorted(SOURCED_FILES.items()))
def test_every_row_has_a_source_url(name, column):
    cols, rows = read_curated(name)
    assert column in cols and rows, name
    bad = [i + 2 for i, r in enumerate(rows) if not URL.match(r[column].strip())]
    assert not bad, f"{name}: rows (file line numbers) without a source URL: {bad[:10]}"


def test_event_dates_parse_and_end_not_before_start(events):
    for r in events:
        start = parse_date(r["date"])
        if r["date_end"]:
            assert parse_date(r["date_end"]) >= start, r["event_id"]


def test_no_internal_words_in_prose(events, systems, users):
    # Releases are named as SIPRI names them ("March 2024 release"), not by the export's file date.
    texts = [r["title"] + " " + r["description"] + " " + r["conflict_note"] for r in events]
    texts += [r["notes"] for r in systems] + [r["evidence"] for r in users]
    for text in texts:
        assert not re.search(r"2024-10-21|2025-03-13|2026-07-14|\bregister\b.*\(computed\)", text), text[:120]
        assert text.count("(") == text.count(")"), f"unbalanced parenthesis: {text[:120]}"


def test_mali_independence_parade_date(events):
    parade = [r for r in events if r["event_id"] == "independence-parade-2025"]
    assert len(parade) == 1 and parade[0]["date"] == "2025-09-22"
    notes = [r["notes"] for r in read_curated("systems.csv")[1] if r["designation"] in ("SR-5", "CS/SH-1 122mm", "CSSM-5 120mm")]
    assert notes and all("22 September 2025" in n and "23 Sep 2025" not in n for n in notes)


def test_tinzaouaten_drone_sequence(events):
    by_id = {r["event_id"]: r for r in events}
    first, later = by_id["drone-downed-tinzaouaten-2025-04"], by_id["aes-recall-ambassadors-algeria-2025-04"]
    assert "crash" in first["description"] and first["status"] == "conflict"
    assert later["date"] == "2025-04-06" and "ambassadors" in later["description"]


def test_focac_wording_matches_dates(events):
    summit = next(r for r in events if r["event_id"] == "focac-2024-summit")
    assert (summit["date"], summit["date_end"]) == ("2024-09-04", "2024-09-06")
    assert "5 September" in summit["description"]
    opening = next(r for r in events if r["event_id"] == "focac-2024-security-pledges")
    assert opening["date"] == "2024-09-05"


@pytest.mark.parametrize("state", FOCUS_STATES)
def test_focus_states_have_at_least_four_events(events, state):
    assert sum(r["country"] == state for r in events) >= 4, state


def test_agreements_and_deliveries_name_a_supplier(events):
    for r in events:
        if r["category"] in {"delivery", "agreement"}:
            assert r["supplier"], r["event_id"]


@pytest.fixture(scope="module")
def former_powers() -> list[dict[str, str]]:
    cols, rows = read_curated("former_powers.csv")
    assert cols == FORMER_POWER_COLUMNS
    return rows


def test_former_powers_cover_every_african_state(former_powers):
    _, countries = read_curated("countries.csv")
    need = {
        r["sipri_name"]
        for r in countries
        if r["kind"] == "state" and not r["same_as"] and (r["sipri_region"] == "Africa" or r["sipri_name"] == "Egypt")
    }
    assert "Egypt" in need and "Mali" in need and len(need) >= 53
    have = {r["country"] for r in former_powers}
    assert need - have == set(), f"states without a former_powers row: {sorted(need - have)}"
    assert have - need == set(), f"not SIPRI state names: {sorted(have - need)}"


def test_former_powers_rows(former_powers):
    pairs = Counter((r["country"], r["former_power"]) for r in former_powers)
    assert not [p for p, n in pairs.items() if n > 1]
    for r in former_powers:
        assert r["status"] in {"confirmed", "conflict", "unverified"}, r
        if r["relationship"] == "never colonised":
            assert r["former_power"] == "", r
        else:
            assert r["former_power"], r
    powers = {r["country"]: set() for r in former_powers}
    for r in former_powers:
        powers[r["country"]].add(r["former_power"])
    assert powers["Cameroon"] == {"France", "United Kingdom"}
    assert powers["Somalia"] == {"Italy", "United Kingdom"}
    assert powers["Ethiopia"] == {""} and powers["Liberia"] == {""}


# ---------------------------------------------------------------- audit of 2026-12-02 (second pass)


def test_wagner_condemnation_has_fifteen_signatories(events):
    # Reuters, RFI and AFP name 15 signatories (14 European states and Canada); UPI's "16" is kept as a conflict.
    row = next(r for r in events if r["event_id"] == "wagner-condemnation")
    assert "15 European states and Canada" not in row["title"]
    assert "14 European and Canada" in row["title"] and "13 other European states" in row["description"]
    assert row["status"] == "conflict" and "16" in row["conflict_note"]


def test_dates_disputed_by_a_second_source_stay_visible(events):
    by_id = {r["event_id"]: r for r in events}
    mi24 = by_id["mi24p-radars-2022-04"]
    assert mi24["date"] == "2022-04-18" and mi24["status"] == "conflict" and "17 April" in mi24["conflict_note"]
    chad = by_id["chad-hurkus-anka-2023-08"]
    assert chad["date"] == "2023-08-09" and chad["status"] == "conflict" and "8 August" in chad["conflict_note"]


def test_port_bouet_troop_number_follows_cited_source(events):
    row = next(r for r in events if r["event_id"] == "french-base-civ-returned-2025-02")
    assert "about 80 French soldiers stay" not in row["description"]
    assert row["status"] == "conflict" and "100" in row["conflict_note"] and "80" in row["conflict_note"]


def test_rows_verified_in_second_pass(events):
    by_id = {r["event_id"]: r for r in events}
    assert by_id["civ-us-apcs-2025-01"]["status"] == "confirmed" and by_id["civ-us-apcs-2025-01"]["source_url_2"]
    tb2 = by_id["ethiopia-tb2-2021"]
    assert tb2["status"] == "conflict" and tb2["source_url_2"].startswith("https://www.startmag.it/")
    assert by_id["wz551-vp11-batch-2023-06"]["status"] == "unverified"  # still a single source


def test_former_powers_previously_unverified_now_sourced(former_powers):
    rows = {r["country"]: r for r in former_powers}
    for country in ("Guinea-Bissau", "Zambia", "Zimbabwe", "South Sudan"):
        r = rows[country]
        assert r["status"] == "confirmed", country
        assert "africanpeace.org/african-profile" not in r["source_url"], country
    assert rows["Zambia"]["relationship"] == "protectorate"
    assert rows["Guinea-Bissau"]["former_power"] == "Portugal"
    for r in former_powers:
        assert not r["source_url_2"] or URL.match(r["source_url_2"]), r
