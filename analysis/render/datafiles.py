"""The data behind a briefing, published beside it: ``<name>-data/`` holds the CSV of every
chart (written by the notebooks as ``<notebook>-chart-<n>.csv``), the key figures as JSON and
CSV, and a README of sources and licences; ``<name>-data.zip`` holds the same files.

Derived figures only: a chart's data are the values it draws, never a whole source file (the
sources' licences forbid re-publishing them whole). Links in the notebooks' fragments use the
prefix :data:`analysis.paths.DATA_PREFIX`, replaced here by the folder's relative path.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.i18n import _
from analysis.paths import DATA_PREFIX

KEY_FIGURE_COLUMNS = ("notebook", "id", "label", "value", "unit", "years", "region", "release", "headline", "text")


def folder_name(stem: str) -> str:
    """``briefing`` -> ``briefing-data``."""
    return f"{stem}-data"


def link_fragment(html: str, stem: str) -> str:
    """Point a fragment's data links at the published folder."""
    return html.replace(DATA_PREFIX, folder_name(stem) + "/")


def key_figures_csv(key_figures: Mapping[str, Mapping[str, Any]]) -> str:
    """Every notebook's key figures as one CSV (one row per figure)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=KEY_FIGURE_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for stem, kf in key_figures.items():
        for f in kf.get("figures", []) or []:
            row = {**f, "notebook": stem}
            if isinstance(row.get("years"), (list, tuple)):
                row["years"] = "-".join(str(y) for y in row["years"])
            w.writerow(row)
    return buf.getvalue()


def readme(title: str, sources: list[dict[str, str]], files: list[str]) -> str:
    """The README of the data folder, in the current language: what each file is, and every
    source with its licence and the credit line its publisher asks for."""
    lines = [
        _("# Data behind: {title}").format(title=title),
        "",
        _("Derived figures computed by this project from the sources below (never a whole source file)."),
        _("SIPRI's trend-indicator value (TIV) is a volume index in millions, not money."),
        "",
        _("## Files"),
        "",
    ]
    lines += [
        f"- `{f}`"
        + (
            _(": the key figures of the briefing")
            if f.startswith("key-figures")
            else _(": the values one chart draws, with units, years, region and release")
        )
        for f in files
    ]
    lines += ["", _("## Sources, licences and credit lines"), ""]
    for s in sources:
        lines.append(
            _("- {title} ({url}). Licence: {licence}. Credit: {credit}").format(
                title=s["title"], url=s.get("url") or _("no URL"), licence=s["licence"], credit=s["credit"]
            )
        )
    return "\n".join(lines) + "\n"


def write(
    work: Path, tmp: Path, stem: str, title: str, key_figures: Mapping[str, Mapping[str, Any]], sources: list[dict[str, str]]
) -> list[tuple[Path, Path]]:
    """Write the data folder and its zip into the staging folder ``tmp``; return (staged file,
    published name relative to the output folder) pairs for :func:`analysis.render.publish.publish`."""
    name = folder_name(stem)
    folder = tmp / name
    folder.mkdir()
    files: dict[str, bytes] = {}
    for p in sorted(work.glob("*-chart-*.csv")):
        files[p.name] = p.read_bytes()
    files["key-figures.csv"] = key_figures_csv(key_figures).encode("utf-8")
    files["key-figures.json"] = json.dumps(key_figures, ensure_ascii=False, indent=1).encode("utf-8")
    files["README.md"] = readme(title, sources, [f for f in files if f != "README.md"]).encode("utf-8")
    staged = []
    for fname, data in files.items():
        (folder / fname).write_bytes(data)
        staged.append((folder / fname, Path(name) / fname))
    zpath = tmp / f"{name}.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
        for fname, data in files.items():
            info = zipfile.ZipInfo(f"{name}/{fname}", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    staged.append((zpath, Path(f"{name}.zip")))
    return staged
