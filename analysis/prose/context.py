"""Section 2, context: conflict deaths (one UCDP series), military spending, who supplies the
recipient by 5-year window, its peers, the curated timeline."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis import fmt, i18n, regions
from analysis.i18n import N_, _, language, ngettext
from analysis.prose.core import CONFLICT_DEATHS, EMPTY, WAR_DEATHS, Block, figure, identified, leaders, plain

E = fmt.esc_md


def violence_level(deaths: pd.Series, recent: int | None = None) -> str:
    """'war' (a year with at least 1,000 deaths), 'conflict' (at least 25), or 'none' (deaths by
    year, one series); with ``recent``, over the last ``recent`` years of the series only."""
    if recent is not None and len(deaths):
        deaths = deaths[deaths.index > deaths.index.max() - recent]
    if deaths.empty or deaths.max() < CONFLICT_DEATHS:
        return "none"
    return "war" if deaths.max() >= WAR_DEATHS else "conflict"


def N(x: object) -> fmt.Named:
    """A name for a Markdown message (escaped); :func:`Np` for plain text (titles, key figures)."""
    return fmt.Named(x, E)


def Np(x: object) -> fmt.Named:
    return fmt.Named(x)


def semicolon() -> str:
    """'; ' in English, ' ; ' (a narrow no-break space before it) in French."""
    return "\u202f; " if language() == "fr" else "; "


def colon() -> str:
    """': ' in English, ' : ' (a no-break space before it) in French."""
    return "\u00a0: " if language() == "fr" else ": "


def number_cells(df: pd.DataFrame, digits: Mapping[str, int]) -> pd.DataFrame:
    """``df`` with the numbers of the named columns written in the current language, with
    ``digits`` decimals (an empty cell for a missing value), for a table."""
    out = df.copy()
    for c, d in digits.items():
        if c in out:
            out[c] = out[c].map(lambda x, d=d: "" if pd.isna(x) else fmt.num(x, d)).astype(object)
    return out


def release_name(release: object) -> str:
    """A SIPRI release as a sentence of the current language names it: 'March 2025' (French:
    'mars 2025', :func:`analysis.fmt.release_name`), '2025 release' (French: 'version 2025')."""
    text = str(release)
    if language() != "en" and re.fullmatch(r"\d{4} release", text):
        return _("{year} release").format(year=text[:4])
    return fmt.release_name(text)


def english_names(names: Sequence[object]) -> str:
    """The English display names, listed: a key figure's value is the same in every edition."""
    with i18n.use("en"):
        return fmt.listing([fmt.name(x) for x in names])


def context_heading(recipient: str, level: str) -> Block:
    if level == "war":
        return Block(
            "# 2. " + _("Context: {recipient:poss} security crisis and its arms suppliers").format(recipient=N(recipient))
        )
    if level == "conflict":
        return Block("# 2. " + _("Context: conflict {recipient:a} and its arms suppliers").format(recipient=N(recipient)))
    return Block("# 2. " + _("Context: {recipient:poss} arms suppliers").format(recipient=N(recipient)))


def deaths_block(recipient: str, deaths: pd.Series, source: str, start: int) -> Block:
    """UCDP deaths in organised violence: the last year and the worst year since ``start``.
    ``deaths``: one series, by year. Empty where it records no conflict."""
    if violence_level(deaths) == "none":
        return EMPTY
    last_year, last = int(deaths.index.max()), float(deaths.loc[deaths.index.max()])
    peak_year, peak = int(deaths.idxmax()), float(deaths.max())
    values = dict(deaths=fmt.num(last), recipient=N(recipient), year=last_year, start=start)
    if last == 0:
        text = _(
            "UCDP counts no deaths in organised violence {recipient:a} in {year}; "
            "the highest yearly count since {start} was {peak}, in {peak_year}."
        ).format(**values, peak=fmt.num(peak), peak_year=peak_year)
    elif peak_year == last_year:
        text = ngettext(
            "UCDP counts {deaths} deaths in organised violence {recipient:a} in {year}, the most in any year since {start}.",
            "UCDP counts {deaths} deaths in organised violence {recipient:a} in {year}, the most in any year since {start}.",
            round(last),
        ).format(**values)
    else:
        text = ngettext(
            "UCDP counts {deaths} deaths in organised violence {recipient:a} in {year}; "
            "the highest yearly count since {start} was {peak}, in {peak_year}.",
            "UCDP counts {deaths} deaths in organised violence {recipient:a} in {year}; "
            "the highest yearly count since {start} was {peak}, in {peak_year}.",
            round(last),
        ).format(**values, peak=fmt.num(peak), peak_year=peak_year)
    text += " " + _("Source: {source}.").format(source=E(fmt.source_name(source)))
    fig = figure(
        "conflict_deaths_last_year",
        _("Conflict deaths in {recipient}, {year}").format(recipient=Np(recipient), year=last_year),
        last,
        "deaths",
        plain(text),
        years=str(last_year),
        region=fmt.name(recipient),
        release=source,
        headline=True,
    )
    return Block("## " + _("Conflict deaths") + "\n\n" + text, (fig,))


def deaths_title(recipient: str, deaths: pd.Series, imports: pd.Series) -> str:
    py = int(deaths.idxmax())
    if imports.max() > 0:
        return _("Conflict deaths {recipient:a} peaked in {year}; its arms imports peaked in {imports_year}").format(
            recipient=Np(recipient), year=py, imports_year=int(imports.idxmax())
        )
    return _("Conflict deaths {recipient:a} peaked in {year}").format(recipient=Np(recipient), year=py)


def acled_block(recipient: str, fatalities: pd.Series, source: str, as_of: str) -> Block:
    """ACLED's reported fatalities in the last year it covers (partial when ``as_of`` falls in
    that year). Empty without ACLED rows or with none reported."""
    if fatalities.empty or fatalities.max() <= 0:
        return EMPTY
    y = int(fatalities.index.max())
    partial = bool(as_of) and as_of.startswith(str(y))
    n = fmt.num(fatalities.loc[y])
    if partial:
        text = _(
            "ACLED, which counts reported fatalities from news and local sources and so differs from UCDP, "
            "records {fatalities} in {year} up to {date}, a partial year."
        ).format(fatalities=n, year=y, date=fmt.long_date(as_of))
    else:
        text = _(
            "ACLED, which counts reported fatalities from news and local sources and so differs from UCDP, "
            "records {fatalities} in {year}."
        ).format(fatalities=n, year=y)
    return Block(text + " " + _("Source: {source}.").format(source=E(fmt.source_name(source))))


def spending_block(recipient: str, spend: pd.DataFrame) -> Block:
    """The latest military spending (money: US$ millions, constant 2023 prices) and its real
    change over ten years. ``spend``: :func:`analysis.context.military_spending` rows with values."""
    if spend.empty:
        return EMPTY
    y = spend.iloc[-1]
    year = int(y["year"])
    base = spend[spend["year"] == year - 10]
    values = dict(
        recipient=N(recipient),
        amount=fmt.num(y["constant_2023_usd_m"]),
        year=year,
        release=E(release_name(str(y["release"]).split(" (")[0])),
        base_year=year - 10,
    )
    growth = len(base) > 0 and float(base["constant_2023_usd_m"].iloc[0]) > 0
    if growth:
        values["change"] = fmt.change(100 * (float(y["constant_2023_usd_m"]) / float(base["constant_2023_usd_m"].iloc[0]) - 1))
    gdp = pd.notna(y.get("share_of_gdp_pct"))
    if gdp:
        values["gdp"] = fmt.pct(float(y["share_of_gdp_pct"]), 2)
    if gdp and growth:
        msg = _(
            "{recipient:The} spent US${amount} million (constant 2023 prices) on its military in {year}, {gdp} of GDP; "
            "{change} in real terms since {base_year} (SIPRI Military Expenditure Database, {release})."
        )
    elif gdp:
        msg = _(
            "{recipient:The} spent US${amount} million (constant 2023 prices) on its military in {year}, {gdp} of GDP "
            "(SIPRI Military Expenditure Database, {release})."
        )
    elif growth:
        msg = _(
            "{recipient:The} spent US${amount} million (constant 2023 prices) on its military in {year}; "
            "{change} in real terms since {base_year} (SIPRI Military Expenditure Database, {release})."
        )
    else:
        msg = _(
            "{recipient:The} spent US${amount} million (constant 2023 prices) on its military in {year} "
            "(SIPRI Military Expenditure Database, {release})."
        )
    first = msg.format(**values)
    text = first + " " + _("Spending is money; SIPRI's arms-transfer figures (TIV) are not, and the two are never compared.")
    fig = figure(
        "milex_last_year",
        _("Military spending of {recipient}, {year}").format(recipient=Np(recipient), year=year),
        round(float(y["constant_2023_usd_m"]), 1),
        "US$ m, constant 2023",
        plain(first),
        years=str(year),
        region=fmt.name(recipient),
        release=str(y["release"]),
    )
    return Block("## " + _("Military spending") + "\n\n" + text, (fig,))


def spending_table(spend: pd.DataFrame) -> pd.DataFrame:
    """The spending table's rows with their numbers written for the reader (:func:`spending_columns`)."""
    return number_cells(spend, {"constant_2023_usd_m": 1, "share_of_gdp_pct": 2})


def spending_columns() -> dict[str, str]:
    return {"year": _("Year"), "constant_2023_usd_m": _("US$ m (constant 2023)"), "share_of_gdp_pct": _("% of GDP")}


def spending_caption(recipient: str) -> str:
    return _("Military expenditure {recipient:de} (SIPRI Military Expenditure Database)").format(recipient=Np(recipient))


def context_title(recipient: str, level: str) -> str:
    return plain(context_heading(recipient, level).md.removeprefix("# 2. "))


def window_leaders(longw: pd.DataFrame) -> dict[str, list[str]]:
    """The identified leader(s) of each window of a long :func:`shares_by_window` table."""
    out: dict[str, list[str]] = {}
    for w, part in longw.groupby("window", sort=False):
        lead = leaders(part)
        if lead:
            out[str(w)] = lead
    return out


def leader_runs(lead: dict[str, list[str]], windows: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    """The leaders of ``windows`` (in order) as runs: consecutive windows led by the same
    supplier(s) make one run, ``(leaders, [window, ...])``; a window with no identified
    leader (missing from ``lead``) breaks a run and is left out."""
    runs: list[tuple[list[str], list[str]]] = []
    previous: str | None = None
    for w in windows:
        if w not in lead:
            previous = None
            continue
        if previous is not None and runs and runs[-1][0] == lead[w]:
            runs[-1][1].append(w)
        else:
            runs.append((list(lead[w]), [w]))
        previous = w
    return runs


def watch_list(longw: pd.DataFrame, supplier: str, former: Sequence[str], n: int = 5) -> list[str]:
    """The suppliers whose shares the context paragraph follows: the former power(s), the
    supplier, then the largest identified suppliers of the last window; ``n`` at most, and
    only those with deliveries in some window."""
    windows = longw.attrs.get("windows") or sorted(longw["window"].unique())
    last = longw[longw["window"] == windows[-1]] if len(windows) else longw.iloc[0:0]
    top = list(identified(last).sort_values("share", ascending=False)["supplier"])
    first = longw[longw["window"] == windows[0]] if len(windows) else longw.iloc[0:0]
    present = pd.concat([first.loc[first["share"] > 0, "supplier"], last.loc[last["share"] > 0, "supplier"]])
    present_keys = set(regions.canonical_names(present))
    out: list[str] = []
    keys: set[str] = set()
    for s in [*former, supplier, *top]:
        key = regions.canonical_names(pd.Series([s], dtype="object")).iloc[0]
        if key in present_keys and key not in keys and not str(s).lower().startswith("unknown"):
            out.append(s)
            keys.add(key)
    return out[:n]


def suppliers_block(recipient: str, supplier: str, longw: pd.DataFrame, former: Sequence[str], release: str) -> Block:
    """Who supplied the recipient by 5-year window, and how the main suppliers' shares moved
    between the first and the last window. ``longw``: long :func:`shares_by_window`."""
    head = "## " + _("Who supplies {recipient:the}").format(recipient=N(recipient)) + "\n\n"
    windows = list(longw.attrs.get("windows") or [])
    lead = english_leaders(longw)  # names to put in the current language's sentences
    if not lead:
        width = int(longw.attrs.get("width", 5))
        span = fmt.years(int(windows[0][:4]), int(windows[-1][:4]) + width - 1) if windows else ""
        return Block(
            head
            + _(
                "SIPRI records no imports of major arms by {recipient:the} from an identified supplier in {years} "
                "({release} release)."
            ).format(recipient=N(recipient), years=span, release=release_name(release))
        )
    first_w, last_w = windows[0], windows[-1]
    runs = leader_runs(lead, windows)
    parts = [_("{suppliers} in {window}").format(suppliers=E(fmt.names(who)), window=fmt.listing(ws, "and")) for who, ws in runs]
    joined = semicolon().join(parts) if any(len(ws) > 1 for _who, ws in runs) else fmt.listing(parts, "and")
    text = _("The largest supplier of major arms by 5-year window: {leaders}.").format(leaders=joined)

    def share_in(w: str, s: str) -> float:
        row = longw[(longw["window"] == w) & regions.same_entity(longw["supplier"], s)]
        return float(row["share"].iloc[0]) if len(row) else 0.0

    moves = [
        _("{supplier:the} {first} in {first_window} and {last} in {last_window}").format(
            supplier=N(s),
            first=fmt.pct(share_in(first_w, s)),
            first_window=first_w,
            last=fmt.pct(share_in(last_w, s)),
            last_window=last_w,
        )
        for s in watch_list(longw, supplier, former)
    ]
    if last_w not in lead:
        text += " " + _(
            "SIPRI records no imports of major arms by {recipient:the} from an identified supplier in {window}."
        ).format(recipient=N(recipient), window=last_w)
    elif moves and first_w != last_w:
        text += " " + _("Shares of {recipient:poss} imports: {moves} (SIPRI {release} release).").format(
            recipient=N(recipient), moves=semicolon().join(moves), release=release_name(release)
        )
    figures = []
    if last_w in lead:
        lw = lead[last_w]
        top_share = float(identified(longw[longw["window"] == last_w])["share"].max())
        ftext = ngettext(
            "{suppliers} was {recipient:poss} largest supplier of major arms in {window} ({share}).",
            "{suppliers} were {recipient:poss} largest suppliers of major arms in {window} ({share} each).",
            len(lw),
        ).format(suppliers=fmt.names(lw), recipient=Np(recipient), window=last_w, share=fmt.pct(top_share))
        for fp in former:
            fr = longw[regions.same_entity(longw["supplier"], fp)]
            if len(fr):
                peak = fr.loc[fr["share"].idxmax()]
                values = dict(power=Np(fp), peak=fmt.pct(float(peak["share"])), peak_window=peak["window"])
                if peak["window"] != last_w:
                    ftext += " " + _(
                        "{power:Poss} share, as the former colonial power, peaked at {peak} in {peak_window} "
                        "and was {share} in {window}."
                    ).format(**values, share=fmt.pct(share_in(last_w, fp)), window=last_w)
                else:
                    ftext += " " + _(
                        "{power:Poss} share, as the former colonial power, peaked at {peak} in {peak_window}."
                    ).format(**values)
        figures.append(
            figure(
                "leader_last_window",
                _("Largest supplier of {recipient}, {window}").format(recipient=Np(recipient), window=last_w),
                english_names(lw),
                "supplier",
                fmt.capital(ftext),
                years=last_w,
                region=fmt.name(recipient),
                release=release,
                headline=True,
            )
        )
    return Block(head + text, tuple(figures))


def english_leaders(longw: pd.DataFrame) -> dict[str, list[str]]:
    """:func:`window_leaders` with English display names: the names :func:`analysis.fmt.names`
    puts into a sentence of any language, and a key figure's value (the same in every edition)."""
    with i18n.use("en"):
        return window_leaders(longw)


def suppliers_title(recipient: str, longw: pd.DataFrame) -> str:
    windows = list(longw.attrs.get("windows") or [])
    lead = english_leaders(longw)
    if not windows or windows[-1] not in lead:
        return _("{recipient:Poss} arms suppliers by 5-year window").format(recipient=Np(recipient))
    lw = lead[windows[-1]]
    return fmt.capital(
        ngettext(
            "{suppliers} was {recipient:poss} largest arms supplier in {window}",
            "{suppliers} were {recipient:poss} largest arms suppliers in {window}",
            len(lw),
        ).format(suppliers=fmt.names(lw), recipient=Np(recipient), window=windows[-1])
    )


def peers_heading(recipient: str, peers: Sequence[str]) -> Block:
    if not peers:
        return EMPTY
    return Block("### " + _("{recipient:The} beside {peers}").format(recipient=N(recipient), peers=E(fmt.names(peers))))


def peers_rows(shares_by_state: Mapping[str, Mapping[str, pd.DataFrame]]) -> pd.DataFrame:
    """The peers table: state, years, top three identified suppliers with shares. Input: for
    each state, for each window label, its :func:`supplier_shares`."""
    rows = []
    for state, by_w in shares_by_state.items():
        for w, sh in by_w.items():
            ident = identified(sh).head(3)
            top = semicolon().join(f"{fmt.name(s)} {fmt.pct(v)}" for s, v in zip(ident["supplier"], ident["share"]))
            rows.append({"state": fmt.name(state), "window": w, "top suppliers": top or _("no imports recorded")})
    return pd.DataFrame(rows, columns=["state", "window", "top suppliers"])


def peers_columns() -> dict[str, str]:
    return {"state": _("State"), "window": _("Years"), "top suppliers": _("Top three suppliers (share of imports)")}


def peers_caption(release: str) -> str:
    return _("Top identified suppliers of major arms, SIPRI {release} release").format(release=release_name(release))


def timeline_intro(recipient: str, n_events: int, release: str) -> Block:
    if n_events == 0:
        return EMPTY
    return Block(
        "## "
        + _("Timeline: events beside deliveries")
        + "\n\n"
        + _(
            "Each event comes from the curated timeline with its source; "
            "deliveries are SIPRI TIV millions that year by supplier (top three, {release} release)."
        ).format(release=release_name(release))
    )


#: The timeline table's columns and their headings (translated by :func:`timeline_columns`).
TIMELINE_COLUMNS = {
    "date": N_("Date"),
    "title": N_("Event"),
    "status": N_("Caveat"),
    "deliveries": N_("Deliveries that year (TIV m)"),
    "source_url": N_("Source"),
}


def timeline_columns() -> dict[str, str]:
    return {k: _(v) for k, v in TIMELINE_COLUMNS.items()}


def timeline_rows(events: pd.DataFrame, by_year: pd.DataFrame) -> pd.DataFrame:
    """The timeline table: each curated event with the top three suppliers' deliveries that year
    (``by_year``: :func:`annual_tiv` by supplier)."""
    tl = events.assign(year=events["start"].dt.year)
    tl["deliveries"] = tl["year"].map(lambda y: deliveries_that_year(by_year, int(y)) if pd.notna(y) else "")
    tl["status"] = tl["status"].replace({"confirmed": "", "conflict": _("sources disagree"), "unverified": _("unverified")})
    tl["date"] = tl["date"].map(fmt.long_date)
    return tl[list(TIMELINE_COLUMNS)]


def deliveries_that_year(by_year: pd.DataFrame, year: int) -> str:
    """'Russia 12.0; China 3.0' for one year of :func:`annual_tiv` by supplier; '(after the
    release)' for a year it does not hold; 'none recorded' for a year without deliveries."""
    if year not in by_year.index:
        return _("(after the release)")
    row = by_year.loc[year]
    row = row[row > 0].sort_values(ascending=False).head(3)
    return semicolon().join(f"{fmt.name(s)} {fmt.num(v, 1)}" for s, v in row.items()) or _("none recorded")
