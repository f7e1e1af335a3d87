"""Invalid claims files: each error is one line naming the file, the claim id and the field,
with the closest valid values, raised as ParameterError (the CLI's exit code 7)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis import checks, claims
from analysis.errors import ParameterError
from tests.test_claims_checks import events, inputs, orders, transfers

HEAD = """[article]
title = "T"
outlet = "O"
date = "2024-01"
url = "https://example.org/a"
language = "en"
"""


def good(body: str) -> str:
    return HEAD + '\n[[claims]]\nid = 3\ntext = "A claim."\n' + body


def parse(text: str):
    i = inputs(transfers([("China", "Mali", 2020, 1.0)]), orders([{}]), events([{"event_id": "barkhane-end"}]))
    return claims.parse(text, Path("article.toml"), i)


def error(text: str) -> str:
    with pytest.raises(ParameterError) as e:
        parse(text)
    msg = str(e.value)
    assert "\n" not in msg and msg.startswith("article.toml: ")
    return msg


def test_a_valid_file_loads() -> None:
    f = parse(good('check = "delivery_in"\nrecipient = "Mali"\ndesignation = "VP-11"\nyear = 2023\n'))
    assert f.claims[0].id == 3 and f.claims[0].parts[0][0] == "delivery_in"


def test_unknown_check_type() -> None:
    msg = error(good('check = "delivery_on"\n'))
    assert "claim 3, field 'check'" in msg and "did you mean delivery_in" in msg


def test_misspelt_parameter() -> None:
    msg = error(good('check = "delivery_in"\nrecipent = "Mali"\ndesignation = "VP-11"\nyear = 2023\n'))
    assert "claim 3, field 'recipent'" in msg and "did you mean recipient" in msg


def test_missing_parameter() -> None:
    msg = error(good('check = "delivery_in"\nrecipient = "Mali"\nyear = 2023\n'))
    assert "claim 3, field 'designation'" in msg and "missing" in msg


def test_one_of_since_or_since_event() -> None:
    msg = error(good('check = "suppliers_since"\nrecipient = "Mali"\nsuppliers = ["Russia"]\n'))
    assert msg == "article.toml: claim 3: suppliers_since needs one of since or since_event; give one of them"
    assert parse(good('check = "suppliers_since"\nrecipient = "Mali"\nsuppliers = ["Russia"]\nsince = 2020\n')).claims


def test_unknown_country() -> None:
    msg = error(good('check = "delivery_in"\nrecipient = "Malli"\ndesignation = "VP-11"\nyear = 2023\n'))
    assert "claim 3, field 'recipient'" in msg and "Mali" in msg


def test_unknown_designation() -> None:
    msg = error(good('check = "delivery_in"\nrecipient = "Mali"\ndesignation = "VP11"\nyear = 2023\n'))
    assert "claim 3, field 'designation'" in msg and "did you mean VP-11" in msg


def test_year_outside_the_release() -> None:
    msg = error(good('check = "supplier_rank"\nsupplier = "China"\nrecipients = "Mali"\nyears = [2020, 2031]\n'))
    assert "claim 3, field 'years'" in msg and "2031" in msg and "March 2025 release's years 2015-2024" in msg


def test_event_that_is_not_curated() -> None:
    msg = error(good('check = "event"\nevent = "barkhane-ends"\n'))
    assert "claim 3, field 'event'" in msg and "did you mean barkhane-end" in msg


def test_parts_must_share_windows() -> None:
    body = (
        '[[claims.parts]]\ncheck = "import_change"\nrecipients = "Mali"\ndirection = "rise"\n'
        "windows = [[2015, 2019], [2020, 2024]]\n"
        '[[claims.parts]]\ncheck = "import_change"\nrecipients = "Niger"\ndirection = "rise"\n'
    )
    assert "same windows" in error(good(body))


def test_article_fields_and_toml_syntax() -> None:
    assert "article, field 'url'" in error(HEAD.replace('url = "https://example.org/a"\n', "") + "[[claims]]\nid = 1\n")
    assert "not valid TOML" in error("[article\n")
    assert "claim 3, field 'id'" in error(
        good('check = "event"\nevent = "barkhane-end"\n')
        + '\n[[claims]]\nid = 3\ntext = "x"\ncheck = "event"\nevent = "barkhane-end"\n'
    )


def test_shipped_files_are_valid(shared: Path) -> None:
    for f in claims.files():
        assert claims.load(f).claims


# --------------------------------------------------------------------------- every message, word for word
ALL_CHECKS = (
    "leading_supplier, supplier_rank, import_change, delivery_in, system_users, suppliers_since, "
    "orders_by_category, event, conflict_persistence, not_checkable"
)
DELIVERY = 'check = "delivery_in"\nrecipient = "Mali"\ndesignation = "VP-11"\nyear = 2023\n'
RANK = 'check = "supplier_rank"\nsupplier = "China"\nrecipients = "Mali"\n'
CHANGE = 'check = "import_change"\nrecipients = "Mali"\ndirection = "rise"\n'
SINCE = 'check = "suppliers_since"\nrecipient = "Mali"\nsuppliers = ["China"]\n'
USERS = 'check = "system_users"\ndesignation = "VP-11"\n'
EVENT = 'check = "event"\nevent = "barkhane-end"\n'
TWO_WINDOWS = "[[2015, 2019], [2020, 2024]]"

MESSAGES = [
    # the check and its parameters
    (good(""), f"claim 3: field 'check' is missing; give one of {ALL_CHECKS}"),
    (good(EVENT + "evnt = 1\n"), "claim 3, field 'evnt': not a parameter of event; did you mean event?"),
    (
        good('check = "delivery_in"\nrecipient = "Mali"\n'),
        "claim 3, field 'designation': missing; delivery_in needs recipient, designation, year",
    ),
    # names
    (good('check = "conflict_persistence"\ncountry = 5\n'), "claim 3, field 'country': must be a name, got 5"),
    (
        good('check = "conflict_persistence"\ncountry = "Malli"\n'),
        "claim 3, field 'country': unknown country 'Malli'; did you mean Mali, Malawi, Maldives?",
    ),
    (
        good('check = "conflict_persistence"\ncountry = "MALLI"\n'),
        "claim 3, field 'country': unknown country 'MALLI'; did you mean Mali, Malawi, Somalia?",
    ),
    (
        good('check = "conflict_persistence"\ncountry = "West Africa"\n'),
        "claim 3, field 'country': unknown country 'West Africa'; did you mean West Africa, East Africa, Central Africa?",
    ),
    (
        good('check = "leading_supplier"\nsupplier = "Chna"\nrecipients = "Mali"\n'),
        "claim 3, field 'supplier': unknown country 'Chna'; did you mean China, Chad, Ghana?",
    ),
    (
        good('check = "leading_supplier"\nsupplier = "China"\nrecipients = ["Mali", "West Afrika"]\n'),
        "claim 3, field 'recipients': unknown region or country 'West Afrika'; did you mean West Africa, East Africa, Central Africa?",
    ),
    (
        good('check = "leading_supplier"\nsupplier = "China"\nrecipients = "Sahel region"\n'),
        "claim 3, field 'recipients': unknown region or country 'Sahel region'; did you mean Sahel, Bahrain, Soviet Union?",
    ),
    (
        good('check = "leading_supplier"\nsupplier = "China"\nrecipients = [3]\n'),
        "claim 3, field 'recipients': must be a name, got 3",
    ),
    (good(USERS + 'users = "Mali"\n'), "claim 3, field 'users': must be a list of names, got 'Mali'"),
    (
        good(USERS + 'users = ["Mali", "Nigerr"]\n'),
        "claim 3, field 'users': unknown country 'Nigerr'; did you mean Niger, Nigeria?",
    ),
    (
        good('check = "suppliers_since"\nrecipient = "Mali"\nsince = 2021\nsuppliers = "China"\n'),
        "claim 3, field 'suppliers': must be a list of names, got 'China'",
    ),
    # designations, releases, events, categories
    (good(USERS + 'related = "VP-11"\n'), "claim 3, field 'related': must be a list of designations, got 'VP-11'"),
    (
        good(USERS + 'related = ["VP-11", "VN-2"]\n'),
        "claim 3, field 'related': unknown designation 'VN-2' (SIPRI's spelling or data/curated/systems.csv); valid: VP-11",
    ),
    (good(RANK + 'release = "March 2052"\n'), "claim 3, field 'release': unknown release 'March 2052'; did you mean March 2025?"),
    (
        good(RANK + 'years = [2020, 2031]\nrelease = "March 2052"\n'),
        "claim 3, field 'release': unknown release 'March 2052'; did you mean March 2025?",
    ),
    (
        good(EVENT.replace("barkhane-end", "barkhane")),
        "claim 3, field 'event': event 'barkhane' is not in data/curated/events.csv; did you mean barkhane-end?",
    ),
    (good(DELIVERY + 'events = "barkhane-end"\n'), "claim 3, field 'events': must be a list of event ids, got 'barkhane-end'"),
    (
        good(DELIVERY + 'events = ["barkhane-end", "x"]\n'),
        "claim 3, field 'events': event 'x' is not in data/curated/events.csv; valid: barkhane-end",
    ),
    (
        good(
            'check = "orders_by_category"\nrecipient = "Mali"\nsupplier = "China"\ncategory = "Armored vehicles"\nbefore = 2020\n'
        ),
        "claim 3, field 'category': unknown armament category 'Armored vehicles'; did you mean Armoured vehicles?",
    ),
    (
        good('check = "orders_by_category"\nrecipient = "Mali"\nsupplier = "China"\ncategory = "Qqq"\nbefore = 2020\n'),
        "claim 3, field 'category': unknown armament category 'Qqq'; valid: Air defence systems, Aircraft, Anti-submarine warfare weapons, Armoured vehicles, Artillery, Engines, Missiles, Naval weapons, Other, Satellites, Sensors, Ships",
    ),
    (
        good(CHANGE.replace("rise", "rose")),
        "claim 3, field 'direction': must be 'rise' or 'fall', got 'rose'; did you mean rise?",
    ),
    # years: the orders' delivery years where a designation is named, else the release's coverage
    (
        good(DELIVERY.replace("2023", "2022")),
        "claim 3, field 'year': year 2022 lies outside the March 2025 release's years 2023-2023",
    ),
    (
        good(DELIVERY.replace("2023", "2024")),
        "claim 3, field 'year': year 2024 lies outside the March 2025 release's years 2023-2023",
    ),
    (good(SINCE + "since = 2025\n"), "claim 3, field 'since': year 2025 lies outside the March 2025 release's years 2015-2024"),
    (good(USERS + "before = 2014\n"), "claim 3, field 'before': year 2014 lies outside the March 2025 release's years 2015-2024"),
    (good(SINCE + 'since = "2020"\n'), "claim 3, field 'since': must be a year (an integer), got '2020'"),
    (good(SINCE + "since = true\n"), "claim 3, field 'since': must be a year (an integer), got True"),
    (good(RANK + "years = [2020]\n"), "claim 3, field 'years': must be a pair of years like [2020, 2024], got [2020]"),
    (good(RANK + "years = 2020\n"), "claim 3, field 'years': must be a pair of years like [2020, 2024], got 2020"),
    (good(RANK + "years = [2020, 2021.0]\n"), "claim 3, field 'years': must be a year (an integer), got 2021.0"),
    (
        good(RANK + "years = [2014, 2020]\n"),
        "claim 3, field 'years': year 2014 lies outside the March 2025 release's years 2015-2024",
    ),
    (
        good(CHANGE + "windows = [[2015, 2019], 2020]\n"),
        f"claim 3, field 'windows': must be two windows like {TWO_WINDOWS}, got [[2015, 2019], 2020]",
    ),
    (
        good(CHANGE + "windows = [[2015, 2019], [2020, 2024, 2025]]\n"),
        f"claim 3, field 'windows': must be two windows like {TWO_WINDOWS}, got [[2015, 2019], [2020, 2024, 2025]]",
    ),
    (
        good(CHANGE + "windows = [[2015, 2019]]\n"),
        f"claim 3, field 'windows': must be two windows like {TWO_WINDOWS}, got [[2015, 2019]]",
    ),
    (good(CHANGE + "windows = 2015\n"), f"claim 3, field 'windows': must be two windows like {TWO_WINDOWS}, got 2015"),
    (
        good(CHANGE + "windows = [[2015, 2019], [2020, 2025]]\n"),
        "claim 3, field 'windows': year 2025 lies outside the March 2025 release's years 2015-2024",
    ),
    # numbers, flags and strings
    (good(DELIVERY + 'month = "May"\n'), "claim 3, field 'month': must be a month number 1-12, got 'May'"),
    (good(DELIVERY + "month = 13\n"), "claim 3, field 'month': must be a month number 1-12, got 13"),
    (good(DELIVERY + "month = 0\n"), "claim 3, field 'month': must be a month number 1-12, got 0"),
    (good(DELIVERY + "number = true\n"), "claim 3, field 'number': must be an integer, got True"),
    (good(DELIVERY + "number = 2.5\n"), "claim 3, field 'number': must be an integer, got 2.5"),
    (
        good('check = "conflict_persistence"\ncountry = "Mali"\nworsening = "yes"\n'),
        "claim 3, field 'worsening': must be true or false, got 'yes'",
    ),
    (good(RANK + 'share = "40%"\n'), "claim 3, field 'share': must be a number, got '40%'"),
    (good(RANK + "share = true\n"), "claim 3, field 'share': must be a number, got True"),
    (good('check = "not_checkable"\nneeds = 5\n'), "claim 3, field 'needs': must be a string, got 5"),
    (good(EVENT + "date = 2022\n"), "claim 3, field 'date': must be a string, got 2022"),
    (good(EVENT + 'states = "Mali"\n'), "claim 3, field 'states': must be a list of strings, got 'Mali'"),
    (good(EVENT + 'states = ["Mali", 5]\n'), "claim 3, field 'states': must be a list of strings, got ['Mali', 5]"),
    # the file, the article, the claims
    (HEAD + "[claimz]\n", "field 'claimz': unknown top-level table; did you mean claims?"),
    ("[[claims]]\nid = 1\n", "field 'article': missing: give [article] with title, outlet, date, url, language"),
    ('article = "x"\n', "field 'article': missing: give [article] with title, outlet, date, url, language"),
    (HEAD + 'auther = "X"\n', "article, field 'auther': unknown field; did you mean author, date, about?"),
    (HEAD.replace('title = "T"', 'title = "  "'), "article, field 'title': missing or empty"),
    (HEAD.replace('outlet = "O"', "outlet = 5"), "article, field 'outlet': missing or empty"),
    (HEAD.replace('language = "en"\n', ""), "article, field 'language': missing or empty"),
    (HEAD.replace("https://", "ftp://"), "article, field 'url': must be an http(s) address, got 'ftp://example.org/a'"),
    (HEAD + 'about = "Mali"\n', "article, field 'about': must be a list of country names, got 'Mali'"),
    (HEAD + 'about = ["Mali", 5]\n', "article, field 'about': must be a list of country names, got ['Mali', 5]"),
    (HEAD + 'about = ["Malli"]\n', "article, field 'about': unknown country 'Malli'; did you mean Mali, Malawi, Maldives?"),
    (HEAD, "field 'claims': missing: give one [[claims]] table per claim"),
    ("claims = []\n" + HEAD, "field 'claims': missing: give one [[claims]] table per claim"),
    (HEAD + "[claims]\nid = 1\n", "field 'claims': missing: give one [[claims]] table per claim"),
    (HEAD + '[[claims]]\ntext = "A."\n', "claim #1, field 'id': must be an integer, got None"),
    (good(EVENT) + '[[claims]]\ntext = "A."\n', "claim #2, field 'id': must be an integer, got None"),
    (HEAD + '[[claims]]\nid = true\ntext = "A."\n', "claim True, field 'id': must be an integer, got True"),
    (HEAD + '[[claims]]\nid = "1"\ntext = "A."\n', "claim 1, field 'id': must be an integer, got '1'"),
    (good(EVENT) + '[[claims]]\nid = 3\ntext = "B."\n', "claim 3, field 'id': duplicate id"),
    (
        HEAD + '[[claims]]\nid = 2\ntext = " "\n',
        "claim 2, field 'text': missing: the claim's words as published (or a paraphrase)",
    ),
    (HEAD + "[[claims]]\nid = 2\n", "claim 2, field 'text': missing: the claim's words as published (or a paraphrase)"),
    (good('paraphrase = "yes"\n' + EVENT), "claim 3, field 'paraphrase': must be true or false, got 'yes'"),
    # parts
    (
        good(EVENT + 'parts = [{check = "event", event = "barkhane-end"}]\n'),
        "claim 3, field 'check': give either check (one check) or [[claims.parts]], not both",
    ),
    (good("parts = []\n"), "claim 3, field 'parts': must be a list of check tables"),
    (good('parts = {check = "event"}\n'), "claim 3, field 'parts': must be a list of check tables"),
    (
        good(f"[[claims.parts]]\n{EVENT}[[claims.parts]]\n{EVENT.replace('barkhane-end', 'barkhan')}"),
        "claim 3, part 2, field 'event': event 'barkhan' is not in data/curated/events.csv; did you mean barkhane-end?",
    ),
    (
        good(f'[[claims.parts]]\n{EVENT}note = "x"\n'),
        "claim 3, part 1, field 'note': not a parameter of event; did you mean date?",
    ),
    (good('[[claims.parts]]\nevent = "barkhane-end"\n'), f"claim 3, part 1: field 'check' is missing; give one of {ALL_CHECKS}"),
    (
        good(f"[[claims.parts]]\n{CHANGE}windows = {TWO_WINDOWS}\n[[claims.parts]]\n{CHANGE}"),
        "claim 3, field 'windows': the parts of one claim must use the same windows",
    ),
]


@pytest.mark.parametrize(("text", "message"), MESSAGES)
def test_every_error_names_the_file_the_place_and_the_fix(text: str, message: str) -> None:
    assert error(text) == f"article.toml: {message}"


def test_invalid_toml_quotes_the_parser() -> None:
    assert error("[article\n") == (
        "article.toml: TOML: not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 9)"
    )


def test_without_a_close_name_the_first_twelve_valid_names_are_listed() -> None:
    msg = error(good('check = "conflict_persistence"\ncountry = "Qqq"\n'))
    head, listed = msg.split("; valid: ")
    assert head == "article.toml: claim 3, field 'country': unknown country 'Qqq'"
    names = listed.removesuffix("...").split(", ")
    assert listed.endswith("...") and len(names) == 12 and names == sorted(names) and "Afghanistan" in names


# --------------------------------------------------------------------------- what a valid file gives
def test_a_valid_file_keeps_every_field_and_converts_numbers() -> None:
    text = (
        HEAD
        + 'author = "A. Writer"\nabout = ["mali", "Ivory Coast"]\n[article.basis]\n3 = "the minister"\n'
        + '\n[[claims]]\nid = 3\ntext = """A claim\n   over two  lines."""\nparaphrase = true\nnote = "n"\n'
        + RANK
        + 'share = 40\nyears = [2020, 2024]\nrelease = "March 2025"\n'
        + '\n[[claims]]\nid = 5\ntext = "Imports rose."\n'
        + f"[[claims.parts]]\n{CHANGE}windows = {TWO_WINDOWS}\n[[claims.parts]]\n{CHANGE.replace('Mali', 'Niger')}windows = {TWO_WINDOWS}\n"
    )
    f = parse(text)
    assert f.path == Path("article.toml")
    assert f.article == claims.Article(
        "T", "O", "2024-01", "https://example.org/a", "en", basis={"3": "the minister"}, about=("Mali", "Cote d'Ivoire")
    )
    first, second = f.claims
    assert (first.id, first.text, first.paraphrase, first.note, first.check) == (
        3,
        "A claim over two lines.",
        True,
        "n",
        "supplier_rank",
    )
    ((name, params),) = first.parts
    assert name == "supplier_rank"
    assert params == {"supplier": "China", "recipients": "Mali", "share": 40.0, "years": [2020, 2024], "release": "March 2025"}
    assert list(params) == ["supplier", "recipients", "share", "years", "release"] and type(params["share"]) is float
    assert (second.id, second.paraphrase, second.note, second.check) == (5, False, "", "import_change+import_change")
    assert [p["recipients"] for _, p in second.parts] == ["Mali", "Niger"]


def test_an_article_without_basis_or_about() -> None:
    f = parse(good(EVENT))
    assert (f.article.basis, f.article.about) == ({}, ())
    assert f.claims[0].parts == (("event", {"event": "barkhane-end"}),)


def release_inputs() -> checks.Inputs:
    """March 2025 (2015-24) with March 2024 (2014-23) beside it; orders in March 2025, March
    2024 and March 2023 (a register without transfers); a curated system and an order with no
    designation."""
    t24 = transfers([("China", "Mali", 2014, 1.0), ("China", "Mali", 2023, 1.0)], release="March 2024").query(
        "delivery_year < 2024"
    )
    o = pd.concat(
        [
            orders([{}, {"designation": None}]),
            orders([{"delivery_years": "2020; 2021"}], release="March 2024"),
            orders([{"delivery_years": ""}], release="March 2023"),
        ],
        ignore_index=True,
    )
    i = inputs(transfers([("China", "Mali", 2020, 1.0)]), o, events([{"event_id": "barkhane-end"}]))
    return checks.Inputs(
        i.transfers,
        i.orders,
        i.events,
        None,
        "",
        systems=pd.DataFrame({"designation": ["Wing Loong II"]}),
        releases={"March 2024": t24},
    )


def parse_with_releases(body: str) -> str:
    try:
        claims.parse(good(body), Path("article.toml"), release_inputs())
    except ParameterError as e:
        return str(e).removeprefix("article.toml: claim 3, field ")
    return "valid"


def test_years_are_checked_against_the_release_named() -> None:
    assert parse_with_releases(RANK + 'years = [2014, 2023]\nrelease = "March 2024"\n') == "valid"
    assert (
        parse_with_releases(RANK + "years = [2014, 2023]\n")
        == "'years': year 2014 lies outside the March 2025 release's years 2015-2024"
    )
    assert parse_with_releases(RANK + 'years = [2015, 2024]\nrelease = "March 2024"\n') == (
        "'years': year 2024 lies outside the March 2024 release's years 2014-2023"
    )
    # a register without a transfers table: the primary release's years, under the register's name
    assert parse_with_releases(RANK + 'years = [2014, 2020]\nrelease = "March 2023"\n') == (
        "'years': year 2014 lies outside the March 2023 release's years 2015-2024"
    )
    assert parse_with_releases(RANK + 'release = "March 2022"\n') == (
        "'release': unknown release 'March 2022'; did you mean March 2025, March 2024, March 2023?"
    )


def test_a_delivery_year_is_checked_against_that_register_s_delivery_years() -> None:
    d = DELIVERY.replace("2023", "2021")
    assert parse_with_releases(d + 'release = "March 2024"\n') == "valid"
    assert parse_with_releases(d) == "'year': year 2021 lies outside the March 2025 release's years 2023-2023"
    assert parse_with_releases(DELIVERY + 'release = "March 2024"\n') == (
        "'year': year 2023 lies outside the March 2024 release's years 2020-2021"
    )
    # no delivery years in that register: the release's coverage
    assert parse_with_releases(DELIVERY.replace("2023", "2014") + 'release = "March 2023"\n') == (
        "'year': year 2014 lies outside the March 2023 release's years 2015-2024"
    )


def test_designations_come_from_the_registers_and_the_curated_systems() -> None:
    assert parse_with_releases(USERS.replace("VP-11", "Wing Loong II")) == "valid"
    assert parse_with_releases(USERS.replace("VP-11", "Wing Loong")) == (
        "'designation': unknown designation 'Wing Loong' (SIPRI's spelling or data/curated/systems.csv); did you mean Wing Loong II?"
    )
    assert parse_with_releases(USERS.replace("VP-11", "Qqq")) == (
        "'designation': unknown designation 'Qqq' (SIPRI's spelling or data/curated/systems.csv); valid: VP-11, Wing Loong II"
    )


# --------------------------------------------------------------------------- the ledger and its formats
LEDGER_FILE = (
    HEAD
    + '\n[[claims]]\nid = 1\ntext = "Mali took VP-11s in 2023."\n'
    + DELIVERY
    + '\n[[claims]]\nid = 2\ntext = "The agreement was signed in 2023."\nparaphrase = true\n'
    + EVENT
    + 'date = "2023"\n'
    + '\n[[claims]]\nid = 4\ntext = "Both."\n[[claims.parts]]\n'
    + DELIVERY
    + "[[claims.parts]]\n"
    + EVENT
)
SAHEL_FILE = (
    HEAD.replace('"T"', '"U"')
    + 'about = ["Niger"]\n'
    + (
        '\n[[claims]]\nid = 1\ntext = "China leads the Sahel."\ncheck = "leading_supplier"\nsupplier = "China"\nrecipients = "Sahel"\n'
    )
)
S25 = "SIPRI Arms Transfers Database, March 2025 release"
DELIVERED = "SIPRI's March 2025 release records 80 VP-11 delivered to Mali in 2023."
SIGNED = "Curated sources date \u201cAgreement signed\u201d to 2 September 2024."
NOT_2023 = SIGNED.replace("2024.", "2024, not 2023.")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.toml").write_text(LEDGER_FILE, encoding="utf-8")
    (tmp_path / "b.toml").write_text(SAHEL_FILE, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a claims file")
    return tmp_path


def small_inputs() -> checks.Inputs:
    return inputs(transfers([("China", "Mali", 2020, 1.0)]), orders([{}]), events([{"event_id": "barkhane-end"}]))


def test_the_ledger_has_one_row_per_claim_with_its_verdict_and_evidence(folder: Path) -> None:
    f = claims.ledger(folder / "a.toml", small_inputs())
    assert list(f.columns) == claims.LEDGER_COLUMNS
    assert f["id"].tolist() == [1, 2, 4] and f["claim"].tolist()[0] == "Mali took VP-11s in 2023."
    assert f["verdict"].tolist() == ["supported", "contradicted", "supported"]
    assert f["evidence"].tolist() == [DELIVERED, NOT_2023, f"{DELIVERED} {SIGNED}"]
    assert f["sources"].tolist() == [S25, "https://example.org/a", f"{S25}; https://example.org/a"]
    assert f["check"].tolist() == ["delivery_in", "event", "delivery_in+event"]
    assert f["paraphrase"].tolist() == [False, True, False]
    assert f["parts"].tolist()[1:] == [[("date 2023", "fails")], [("delivered in 2023", "holds"), ("event recorded", "holds")]]
    assert f["figures"].tolist()[2] == {
        "1. delivery years": [2023],
        "1. ordered": 80,
        "1. delivered": 80,
        "1. delivered in 2023": 80.0,
        "2. date": "2024-09-02",
    }
    assert set(f["article"]) == {"T"} and set(f["outlet"]) == {"O"} and set(f["url"]) == {"https://example.org/a"}
    assert f.attrs == {
        "article": "T",
        "outlet": "O",
        "date": "2024-01",
        "url": "https://example.org/a",
        "file": str(folder / "a.toml"),
    }


def test_the_ledger_in_each_format(folder: Path) -> None:
    f = claims.ledger(folder / "a.toml", small_inputs())
    assert claims.render(f) == (
        "T (O, 2024-01)\nhttps://example.org/a\n\n"
        f"[1] SUPPORTED\n    Claim: Mali took VP-11s in 2023.\n    Evidence: {DELIVERED}\n\n"
        f"[2] CONTRADICTED  (paraphrase)\n    Claim: The agreement was signed in 2023.\n    Evidence: {NOT_2023}\n\n"
        "[4] SUPPORTED\n    Claim: Both.\n"
        "    Evidence: SIPRI's March 2025 release records 80 VP-11 delivered to Mali in 2023. Curated sources\n"
        "      date \u201cAgreement signed\u201d to 2 September 2024.\n\n"
        "2 supported; 0 partly supported; 1 contradicted; 0 not checkable with these data\n"
    )
    assert claims.render(f, "csv").splitlines() == [
        "id,claim,verdict,evidence,sources,check,paraphrase,article,outlet,url",
        f'1,Mali took VP-11s in 2023.,supported,{DELIVERED},"{S25}",delivery_in,False,T,O,https://example.org/a',
        f'2,The agreement was signed in 2023.,contradicted,"{NOT_2023}",https://example.org/a,event,True,T,O,https://example.org/a',
        f'4,Both.,supported,{DELIVERED} {SIGNED},"{S25}; https://example.org/a",delivery_in+event,False,T,O,https://example.org/a',
    ]
    j = json.loads(claims.render(f, "json"))
    assert j["article"] == f.attrs and [c["verdict"] for c in j["claims"]] == ["supported", "contradicted", "supported"]
    assert j["claims"][1]["parts"] == [["date 2023", "fails"]] and j["claims"][1]["paraphrase"] is True
    assert "\u201c" in claims.render(f, "json") and claims.render(f, "json").startswith('{\n  "article": {\n    "article": "T",')
    assert claims.render(f.head(2), "html") == (
        '<table class="ledger"><thead><tr><th>#</th><th>Claim</th><th>Verdict</th><th>Evidence</th><th>Sources</th></tr></thead>\n'
        "<tbody>\n"
        f"<tr><td>1</td><td>Mali took VP-11s in 2023.</td><td>supported</td><td>{DELIVERED.replace(chr(39), '&#x27;')}</td><td>{S25}</td></tr>\n"
        f"<tr><td>2</td><td>The agreement was signed in 2023.</td><td>contradicted</td><td>{NOT_2023}</td><td>https://example.org/a</td></tr>\n"
        "</tbody></table>\n"
    )
    with pytest.raises(ParameterError) as e:
        claims.render(f, "xml")
    assert str(e.value) == "format must be table, csv, json or html, got 'xml'"


def test_check_file_prints_the_ledger(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(claims, "default_inputs", small_inputs)
    assert claims.check_file({"file": str(folder / "a.toml"), "format": "csv"}) == 0
    assert capsys.readouterr().out.splitlines()[0] == "id,claim,verdict,evidence,sources,check,paraphrase,article,outlet,url"
    assert claims.check_file({"file": str(folder / "a.toml")}) == 0
    assert capsys.readouterr().out.startswith("T (O, 2024-01)\nhttps://example.org/a\n\n[1] SUPPORTED\n")


def test_a_missing_file_is_named_with_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ParameterError) as e:
        claims.load(tmp_path / "none.toml", small_inputs())
    assert str(e.value) == f"{tmp_path / 'none.toml'}: no such claims file; the files are in {claims.CLAIMS_DIR}"


def test_which_files_and_claims_a_briefing_carries(folder: Path) -> None:
    i = small_inputs()
    a, b = folder / "a.toml", folder / "b.toml"
    assert claims.files(folder) == [a, b]
    assert claims.load(a, i).recipients() == {"Mali"}
    assert claims.load(b, i).recipients() == {
        "Burkina Faso",
        "Chad",
        "FAN (Chad)*",
        "GUNT (Chad)*",
        "Mali",
        "Mauritania",
        "Niger",
    }
    # files: a claim that names the state or a region holding it
    assert claims.files_about("Mali", folder, i) == [a, b]
    assert claims.files_about("Chad", folder, i) == [b]
    assert claims.files_about("Ghana", folder, i) == []
    # ledger: the article about the state, and elsewhere only the claims naming it directly
    mali = claims.ledger_about("mali", [a, b], i)
    assert (
        mali is not None and mali["id"].tolist() == [1, 4] and set(mali["file"]) == {str(a)} and set(mali["date"]) == {"2024-01"}
    )
    assert mali.attrs["recipient"] == "Mali" and mali.attrs["files"] == [str(a), str(b)]
    niger = claims.ledger_about("Niger", [a, b], i)
    assert (
        niger is not None
        and niger["id"].tolist() == [1]
        and niger["article"].tolist() == ["U"]
        and list(niger["file"]) == [str(b)]
    )
    assert claims.ledger_about("Chad", [a, b], i) is None
    both = claims.ledger_about("Niger", [b, b], i)
    assert both is not None and both["id"].tolist() == [1, 1] and both.index.tolist() == [0, 1]


def test_a_claim_names_a_state_directly_only_as_a_country() -> None:
    f = parse(
        good('check = "leading_supplier"\nsupplier = "China"\nrecipients = ["Sahel", "Ivory Coast"]\n')
        + '\n[[claims]]\nid = 4\ntext = "B."\ncheck = "system_users"\ndesignation = "VP-11"\nusers = ["Ghana"]\nonly = "Niger"\n'
    )
    first, second = f.claims
    assert [f.names_directly(first, s) for s in ("Cote d'Ivoire", "Mali", "China")] == [True, False, False]
    assert [f.names_directly(second, s) for s in ("Ghana", "Niger", "Mali")] == [True, True, False]
    assert f.recipients() >= {"Cote d'Ivoire", "Mali", "Chad", "Niger", "Ghana"} and "China" not in f.recipients()


def test_edges_of_the_accepted_values() -> None:
    assert parse(good(CHANGE.replace("rise", "fall"))).claims[0].parts[0][1]["direction"] == "fall"
    http = HEAD.replace("https://", "http://") + '\n[[claims]]\nid = 3\ntext = "A claim."\n' + EVENT
    assert parse(http).article.url == "http://example.org/a"
    for month in (1, 12):
        assert parse(good(DELIVERY + f"month = {month}\n")).claims[0].parts[0][1]["month"] == month
    assert error(good(CHANGE.replace("rise", "FAXX"))).endswith("got 'FAXX'; did you mean fall?")
    assert error(good(CHANGE.replace("rise", "fal"))).endswith("got 'fal'; did you mean fall?")
    assert error(HEAD + "[articel]\n").endswith("field 'articel': unknown top-level table; did you mean article?")
    # the release is checked first, whatever the order of the fields
    body = 'check = "supplier_rank"\nsupplier = "China"\nrecipients = "Nowhere"\nrelease = "March 2052"\n'
    assert error(good(body)).startswith("article.toml: claim 3, field 'release': unknown release 'March 2052'")


def test_thirteen_valid_values_are_cut_at_twelve() -> None:
    names = ["", *(f"D{k:02d}" for k in range(1, 14))]
    i = inputs(transfers([("China", "Mali", 2020, 1.0)]), orders([{"designation": d} for d in names]), events())
    with pytest.raises(ParameterError) as e:
        claims.parse(good(USERS.replace("VP-11", "Qqq")), Path("article.toml"), i)
    assert str(e.value).endswith("; valid: " + ", ".join(names[1:13]) + "...")


def test_render_of_a_frame_built_by_hand() -> None:
    claim = "a" * 88 + " b"  # 101 characters on its line: wrapped at 100
    frame = pd.DataFrame(
        [
            {
                "id": 1,
                "claim": claim,
                "verdict": "supported",
                "evidence": "e " * 46 + "ff g",
                "sources": "S",
                "paraphrase": False,
                "figures": {"when": pd.Timestamp("2024-01-02")},
                "parts": [],
            }
        ]
    )
    assert claims.render(frame) == (
        " (, )\n\n\n[1] SUPPORTED\n    Claim: " + "a" * 88 + "\n      b\n    Evidence: " + "e " * 42 + "e\n      e e e ff g\n\n"
        "1 supported; 0 partly supported; 0 contradicted; 0 not checkable with these data\n"
    )
    assert json.loads(claims.render(frame, "json"))["claims"][0]["figures"] == {"when": "2024-01-02 00:00:00"}


def test_the_default_file_and_folder(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    i = small_inputs()
    monkeypatch.setattr(claims, "DEFAULT_FILE", folder / "a.toml")
    monkeypatch.setattr(claims, "CLAIMS_DIR", folder)
    assert claims.ledger(i)["id"].tolist() == [1, 2, 4]  # the old signature, ledger(inputs)
    assert claims.ledger(inputs=i).attrs["file"] == str(folder / "a.toml")
    niger = claims.ledger_about("Niger", inputs=i)
    assert (
        niger is not None
        and niger["id"].tolist() == [1]
        and niger.attrs["files"] == [str(folder / "a.toml"), str(folder / "b.toml")]
    )
    monkeypatch.setattr(claims, "default_inputs", lambda: i)
    claims.check_file({"file": str(folder / "a.toml"), "format": "csv"})
    assert capsys.readouterr().out == claims.render(claims.ledger(folder / "a.toml", i), "csv")
