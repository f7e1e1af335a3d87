"""Section 3, the supplier in a region: the verdict on its standing in the region and each
sub-region, how many states buy from it, its largest recipients, the newest deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis import fmt, i18n, regions
from analysis.i18n import N_, _, language, ngettext
from analysis.prose.context import colon, english_names, number_cells, release_name, semicolon
from analysis.prose.core import EMPTY, Block, figure, leaders, plain, share_of

E = fmt.esc_md


def N(x: object) -> fmt.Named:
    """A name for a Markdown message (escaped); :func:`Np` for plain text (titles, key figures)."""
    return fmt.Named(x, E)


def Np(x: object) -> fmt.Named:
    return fmt.Named(x)


class Region:
    """A region in a message template (:func:`analysis.fmt.region_name`); like
    :class:`analysis.fmt.Named`, the format spec picks its form: ``{r}`` the name (in French
    with its article: l’Afrique de l’Ouest), ``{r:de}`` (de l’Afrique, du Moyen-Orient, des
    États du G5 Sahel), ``{r:a}`` to (à l’Afrique, au Moyen-Orient, aux États du G5 Sahel),
    ``{r:en}`` in (en Afrique de l’Ouest, au Moyen-Orient, dans la CEDEAO). In English ``de``,
    ``a`` and ``en`` add "of", "to" and "in". Capitalised specs capitalise."""

    def __init__(self, region: str, escape: Any = None) -> None:
        self.region = region
        self.escape = escape or str

    def __format__(self, spec: str) -> str:
        low = spec.lower()
        text = fmt.region_name(self.region)
        if low == "label":
            text = fmt.region_label(self.region)
        elif low in ("de", "a", "en"):
            text = _french_form(text, low) if language() == "fr" else {"de": "of ", "a": "to ", "en": "in "}[low] + text
        elif low != "":
            raise ValueError(f"unknown region form {spec!r}: use de, a, en or label (capitalised at a sentence's start)")
        if spec[:1].isupper():
            text = fmt.capital(text)
        return str(self.escape(text))

    def __str__(self) -> str:
        return format(self, "")


def _french_form(text: str, form: str) -> str:
    """'l’Afrique de l’Ouest' -> 'de l’Afrique de l’Ouest', 'à l’Afrique…', 'en Afrique…'."""
    continents = ("l’Afrique", "l’Europe", "l’Asie", "l’Amérique")
    for article, de, a, en in (("le ", "du ", "au ", "au "), ("les ", "des ", "aux ", "dans les ")):
        if text.startswith(article):
            rest = text[len(article) :]
            return {"de": de, "a": a, "en": en}[form] + rest
    if form == "en":
        return "en " + text[2:] if text.startswith(continents) else "dans " + text
    return {"de": "de ", "a": "à "}[form] + text


def R(region: str) -> Region:
    return Region(region, E)


def region_heading(supplier: str, region: str) -> Block:
    return Block("# 3. " + _("{supplier:The} as an arms supplier to {region}").format(supplier=N(supplier), region=R(region)))


def region_reason(recipient: str, region: str) -> Block:
    """Why this region: said when it is not SIPRI's Africa (Egypt is in SIPRI's Middle East)."""
    if region == "Africa":
        return EMPTY
    from analysis import params

    home = params.home_region(recipient)
    if home == region and region != "Africa":
        return Block(
            _("SIPRI counts {recipient:the} {region:en}, not in Africa, so this section compares suppliers there.").format(
                recipient=N(recipient), region=R(region)
            )
        )
    return EMPTY


def standing_lines(standing: pd.DataFrame, supplier: str, regions_: Sequence[str], last: str, prev: str) -> list[str]:
    """One line per region: the supplier's share and rank in the last window, its move from the
    window before, and the leader when it is not the supplier. ``standing``:
    :func:`analysis.transfers.standing` (ranks among identified suppliers)."""
    lines = []
    for r in regions_:
        row = standing[(standing["recipients"] == r) & (standing["window"] == last)]
        if row.empty:
            continue
        row = row.iloc[0]
        before = standing[(standing["recipients"] == r) & (standing["window"] == prev)]
        rank = row["rank"]
        has_rank = bool(pd.notna(rank) and rank)
        leads = has_rank and int(rank) == 1
        shift = None
        if len(before) and prev != last:
            b = float(before["share"].iloc[0])
            if has_rank or b > 0:
                shift = fmt.shift(float(row["share"]), b)
        values: dict[str, Any] = dict(supplier=N(supplier), share=fmt.pct(row["share"]), window=last, shift=shift, previous=prev)
        if leads and shift:
            clause = _("{supplier:the} leads with {share} in {window} ({shift} in {previous})")
        elif leads:
            clause = _("{supplier:the} leads with {share} in {window}")
        elif has_rank and shift:
            clause = _("{supplier:the} ranks {rank} with {share} in {window} ({shift} in {previous})")
        elif has_rank:
            clause = _("{supplier:the} ranks {rank} with {share} in {window}")
        elif shift:
            clause = _("{supplier:the} supplied nothing in {window} ({shift} in {previous})")
        else:
            clause = _("{supplier:the} supplied nothing in {window}")
        line = f"- **{E(fmt.capital(fmt.region_name(r)))}**{colon()}" + clause.format(
            **values, rank=fmt.ordinal(int(rank)) if has_rank else ""
        )
        if not leads and row.get("leader") and pd.notna(row.get("leader")):
            line += semicolon() + _("the leader is {leader:the} with {share}").format(
                leader=N(row["leader"]), share=fmt.pct(row["leader_share"])
            )
        lines.append(line + ".")
    return lines


def region_verdict(
    supplier: str, region: str, standing: pd.DataFrame, regions_: Sequence[str], last: str, prev: str, release: str, end: int
) -> Block:
    """Is the supplier the region's leading supplier? Answered for the region and each
    sub-region, with the figures."""
    main = standing[(standing["recipients"] == region) & (standing["window"] == last)]
    if main.empty:
        return EMPTY
    m = main.iloc[0]
    rank = int(m["rank"]) if pd.notna(m["rank"]) and m["rank"] else None
    holds = [
        r
        for r in regions_[1:]
        if len(x := standing[(standing["recipients"] == r) & (standing["window"] == last)]) and x["rank"].iloc[0] == 1
    ]
    q = (
        "**"
        + _("Is {supplier:the} the leading arms supplier to {region}?").format(supplier=N(supplier), region=R(region))
        + "** "
    )
    if rank == 1:
        a = _("Yes, in {window}.").format(window=last)
    elif rank is None:
        a = _("No: it delivered no major arms {region:a} in {window}.").format(region=R(region), window=last)
    else:
        a = _("No: in {window} it ranked {rank}, behind {leader:the}.").format(
            window=last, rank=fmt.ordinal(rank), leader=N(m["leader"])
        )
    if holds and rank != 1:
        a += " " + _("It did lead in {regions}.").format(regions=E(fmt.listing([fmt.region_name(h) for h in holds])))
    lines = standing_lines(standing, supplier, regions_, last, prev)
    md = (
        "## "
        + _("The verdict")
        + f"\n\n{q}{a}\n\n"
        + "\n".join(lines)
        + "\n\n"
        + _("Shares of each region's imports of major arms, SIPRI {release} release; 5-year windows end in {end}.").format(
            release=release_name(release), end=end
        )
        + " "
        + _("Ranks count identified suppliers only.")
    )
    figs = []
    share = float(m["share"])
    values = dict(supplier=Np(supplier), share=fmt.pct(share), region=Region(region), window=last)
    if rank == 1:
        ft = _("{supplier:The} supplied {share} of the major arms imported by {region} in {window}, the largest share.").format(
            **values
        )
    elif rank is None:
        ft = _("{supplier:The} delivered no major arms {region:a} in {window}.").format(**values)
    else:
        ft = _(
            "{supplier:The} supplied {share} of the major arms imported by {region} in {window}, the {rank}-largest share; "
            "{leader:the} led with {leader_share}."
        ).format(**values, rank=fmt.ordinal(rank), leader=Np(m["leader"]), leader_share=fmt.pct(m["leader_share"]))
    rg = fmt.region_label(region)
    figs.append(
        figure(
            "share_region_last_window",
            _("{supplier:Poss} share of major-arms imports, {region:label}").format(supplier=Np(supplier), region=Region(region)),
            round(share, 1),
            "percent",
            ft,
            years=last,
            region=rg,
            release=release,
            headline=True,
        )
    )
    for i, r in enumerate(regions_[1:]):
        x = standing[(standing["recipients"] == r) & (standing["window"] == last)]
        if x.empty:
            continue
        xr = x.iloc[0]
        rk = int(xr["rank"]) if pd.notna(xr["rank"]) and xr["rank"] else None
        sub = dict(region=Region(r), supplier=Np(supplier), share=fmt.pct(float(xr["share"])), window=last)
        if rk == 1:
            t = _("{region:En}, {supplier:the} supplied {share} in {window}, more than any other supplier.").format(**sub)
        elif rk:
            t = _("{region:En}, {supplier:the} supplied {share} in {window}, the {rank}-largest share.").format(
                **sub, rank=fmt.ordinal(rk)
            )
        else:
            t = _("{region:En}, {supplier:the} supplied {share} in {window}.").format(**sub)
        figs.append(
            figure(
                f"share_{r.lower().replace(' ', '_').replace('-', '_')}",
                _("{supplier:Poss} share of imports, {region:label}").format(supplier=Np(supplier), region=Region(r)),
                round(float(xr["share"]), 1),
                "percent",
                t,
                years=last,
                region=fmt.name(r),
                release=release,
                headline=(i == 0),
            )
        )
    return Block(md, tuple(figs))


def region_chart_title(supplier: str, region: str, last_shares: pd.DataFrame, last: str) -> str:
    with i18n.use("en"):  # English display names: fmt.names puts them into any language
        lead = leaders(last_shares)
        is_leader = fmt.name(supplier) in lead
    s_share = fmt.pct(share_of(last_shares, supplier))
    if not lead:
        return _("Suppliers of major arms {region:a} by 5-year window").format(region=Region(region))
    if is_leader:
        return _("{supplier:The} led {region} in {window} with {share}").format(
            supplier=Np(supplier), region=Region(region), window=last, share=s_share
        )
    return fmt.capital(
        _("{leaders} led {region} in {window}; {supplier:the} had {share}").format(
            leaders=fmt.names(lead), region=Region(region), window=last, supplier=Np(supplier), share=s_share
        )
    )


def buyers_block(supplier: str, region: str, counts: Sequence[tuple[str, int]], release: str) -> Block:
    """How many states in the region received major arms from the supplier, by window."""
    if not counts:
        return EMPTY
    w, n = counts[-1]
    head = "## " + _("How many states buy from {supplier:the}").format(supplier=N(supplier)) + "\n\n"
    if n == 0 and all(c == 0 for _w, c in counts):
        return Block(
            head
            + _(
                "SIPRI records no deliveries of major arms from {supplier:the} to a state {region:en} in {first} to {last}."
            ).format(supplier=N(supplier), region=R(region), first=counts[0][0], last=w)
        )
    values = dict(n=fmt.num(n), region=R(region), supplier=N(supplier), window=w)
    if len(counts) > 1:
        by_window = ", ".join(_("{n} in {window}").format(n=c, window=x) for x, c in counts)
        text = ngettext(
            "{n} state {region:en} received major arms from {supplier:the} in {window}; by window: {counts}.",
            "{n} states {region:en} received major arms from {supplier:the} in {window}; by window: {counts}.",
            n,
        ).format(**values, counts=by_window)
    else:
        text = ngettext(
            "{n} state {region:en} received major arms from {supplier:the} in {window}.",
            "{n} states {region:en} received major arms from {supplier:the} in {window}.",
            n,
        ).format(**values)
    fig = figure(
        "recipient_states_last_window",
        _("States {region:en} receiving major arms from {supplier}").format(region=Region(region), supplier=Np(supplier)),
        n,
        "states",
        plain(fmt.capital(text)),
        years=w,
        region=fmt.region_name(region),
        release=release,
    )
    return Block(head + fmt.capital(text), (fig,))


def top_recipient_block(supplier: str, region: str, top: pd.DataFrame, last: str, release: str) -> tuple[str, Block]:
    """The chart title and key figure for the supplier's largest recipient."""
    if top.empty:
        return "", EMPTY
    first = top.iloc[0]
    values = dict(
        recipient=Np(first["recipient"]), share=fmt.pct(first["share"]), supplier=Np(supplier), region=Region(region), window=last
    )
    title = _("{recipient:The} took {share} of {supplier:poss} arms deliveries {region:a} in {window}").format(**values)
    fig = figure(
        "top_recipient",
        _("Largest recipient of {supplier:poss} arms {region:en}").format(**values),
        english_names([first["recipient"]]),
        "state",
        _("{recipient:The} received {share} of {supplier:poss} deliveries of major arms {region:a} in {window}.").format(
            **values
        ),
        years=last,
        region=fmt.region_name(region),
        release=release,
    )
    return title, Block("", (fig,))


#: SIPRI's armament categories as the curated table names them (translated by :func:`category_name`).
CATEGORIES = {
    c: c
    for c in (
        N_("Air defence systems"),
        N_("Aircraft"),
        N_("Armoured vehicles"),
        N_("Artillery"),
        N_("Engines"),
        N_("Missiles"),
        N_("Naval weapons"),
        N_("Other"),
        N_("Satellites"),
        N_("Sensors"),
        N_("Ships"),
        N_("Unmapped"),
    )
}


def category_name(category: object) -> str:
    """An armament category in the current language (a category the table does not know as it is)."""
    return _(str(category)) if str(category) in CATEGORIES else str(category)


def category_title(supplier: str, region: str, cats: pd.DataFrame, last: str) -> str:
    mapped = cats[cats["category"] != "Unmapped"]
    first = mapped.iloc[0] if len(mapped) else cats.iloc[0]
    return _("{category} made up {share} of {supplier:poss} deliveries {region:a}, {window}").format(
        category=category_name(first["category"]),
        share=fmt.pct(first["share"]),
        supplier=Np(supplier),
        region=Region(region),
        window=last,
    )


def unmapped_note(cats: pd.DataFrame) -> Block:
    unm = float(cats.loc[cats["category"] == "Unmapped", "share"].sum()) if len(cats) else 0.0
    if unm <= 0:
        return EMPTY
    return Block(
        fmt.capital(
            _(
                "{share} of the volume comes from weapon descriptions without a curated SIPRI "
                "category (listed in data/curated/armament_categories_unmapped.csv)."
            ).format(share=fmt.pct(unm))
        )
    )


def newest_year_block(supplier: str, region: str, newer: pd.DataFrame, year: int, newer_release: str, release: str) -> Block:
    """Deliveries of the newest year, from a newer release that covers only this supplier."""
    if newer.empty:
        return EMPTY
    tot = float(newer["tiv_delivered"].sum())
    top = newer.groupby("recipient")["tiv_delivered"].sum().sort_values(ascending=False).head(3)
    top = top[top > 0]
    values = dict(
        newer_release=release_name(newer_release),
        supplier=N(supplier),
        tiv=fmt.tiv(tot),
        region=R(region),
        year=year,
        release=release_name(release),
    )
    if len(top):
        led = fmt.listing([f"{E(fmt.the(r))} ({fmt.num(v, 1)})" for r, v in top.items()])
        first = _(
            "SIPRI's {newer_release} release, which covers {supplier:the} as a supplier only, records {tiv} of deliveries "
            "{region:a} in {year}, led by {recipients}."
        ).format(**values, recipients=led)
    else:
        first = _(
            "SIPRI's {newer_release} release, which covers {supplier:the} as a supplier only, records {tiv} of deliveries "
            "{region:a} in {year}."
        ).format(**values)
    md = (
        "## "
        + _("{year}: the newest deliveries").format(year=year)
        + "\n\n"
        + first
        + " "
        + _(
            "No all-supplier release with {year} deliveries is held, so {supplier:poss} {year} share cannot be computed "
            "and these values are not added to the {release} series."
        ).format(**values)
    )
    fig = figure(
        "newest_year_tiv",
        _("{supplier:Poss} deliveries {region:a} in {year}").format(supplier=Np(supplier), region=Region(region), year=year),
        round(tot, 1),
        "TIV millions",
        _("SIPRI's {newer_release} release records {tiv} of deliveries from {supplier:the} {region:a} in {year}.").format(
            newer_release=release_name(newer_release), tiv=fmt.tiv(tot), supplier=Np(supplier), region=Region(region), year=year
        ),
        years=str(year),
        region=fmt.region_name(region),
        release=newer_release,
    )
    return Block(md, (fig,))


def mappable(region: str) -> bool:
    """Whether the region lies in Africa, which the share map draws."""
    try:
        inside = set(regions.members(region, include_non_state=False))
    except Exception:
        return False
    return bool(inside) and inside <= set(regions.members("Africa", include_non_state=False))


def map_title(supplier: str, region: str, last: str) -> str:
    return _("{supplier:Poss} share of each state's arms imports, {region}, {window}").format(
        supplier=Np(supplier), region=Region(region), window=last
    )


def region_title(supplier: str, region: str) -> str:
    return _("{supplier:The} {region:en}").format(supplier=Np(supplier), region=Region(region))


def standing_columns(supplier: str, rivals: Sequence[str]) -> dict[str, str]:
    cols = {
        "recipients": _("Region"),
        "window": _("Years"),
        "share": f"{fmt.name(supplier)} (%)",
        "rank": _("Rank"),
        "leader": _("Leader"),
        "leader_share": _("Leader (%)"),
    }
    cols.update({f"share_{regions.display_name(r)}": f"{fmt.name(r)} (%)" for r in rivals})  # standing()'s columns
    cols["share_unknown"] = _("Unidentified suppliers (%)")
    return cols


def standing_table(standing: pd.DataFrame) -> pd.DataFrame:
    """The standing table's rows for the reader (:func:`standing_columns`): regions as a
    sentence names them, leaders' names and numbers in the current language."""
    out = standing.assign(recipients=standing["recipients"].map(fmt.region_name).map(fmt.capital))
    if language() != "en":
        out["leader"] = out["leader"].map(lambda x: fmt.name(x) if isinstance(x, str) and x else x)
    return number_cells(out, {**{c: 1 for c in standing.columns if "share" in c}, "rank": 0})
