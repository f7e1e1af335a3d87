"""Parameters in: the checks a build makes before any notebook runs (formats, counts, names,
notebooks, parameters, claims files) and the claim ledger it will carry."""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from analysis import params
from analysis.errors import NotebookError, ParameterError
from analysis.params import Params

#: The notebooks, in the order their sections appear.
NOTEBOOKS: tuple[str, ...] = ("01_the_deal", "02_context", "03_china_in_africa")
FORMATS: tuple[str, ...] = ("html", "pdf")


def check_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """Normalise ``formats`` ("html,pdf" or a sequence) to a tuple in FORMATS order."""
    items = re.split(r"[,\s]+", formats) if isinstance(formats, str) else list(formats)
    wanted = {str(f).strip().lower().lstrip(".") for f in items if str(f).strip()}
    if not wanted:
        raise ParameterError(f"no output format given: choose from {', '.join(FORMATS)}")
    bad = sorted(wanted - set(FORMATS))
    if bad:
        raise ParameterError(f"unknown output format(s) {', '.join(bad)}: choose from {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in wanted)


def check_count(value: Any, what: str) -> int | None:
    """A positive number (of notebooks or processes run at once, of countries) or None."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ParameterError(f"{what} must be a positive number, got {value!r}")
    return value


def check_name(name: str) -> str:
    """An output file stem: letters, digits, '.', '_' or '-'."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name or ""):
        raise ParameterError(f"output name {name!r} must be letters, digits, '.', '_' or '-'")
    return name


def notebook_paths(notebooks_dir: str | os.PathLike[str]) -> list[Path]:
    """The notebooks in ``notebooks_dir``, in order; NotebookError if one is missing."""
    folder = Path(notebooks_dir)
    found = [folder / f"{stem}.ipynb" for stem in NOTEBOOKS]
    missing = [p.name for p in found if not p.is_file()]
    if missing:
        raise NotebookError(f"notebook(s) {', '.join(missing)} not found in {folder}; the briefing needs {', '.join(NOTEBOOKS)}")
    return found


def parameters(values: Mapping[str, Any] | Params | None = None) -> Params:
    """The briefing's parameters from ``values`` (any of params.NAMES; None for "from the
    data"): ``params.resolve(params.check(values))``."""
    if isinstance(values, Params):
        values = {k: v for k, v in dataclasses.asdict(values).items() if v is not None}
    return params.resolve(params.check(values or {}))


def key_figures_dir(out_dir: Path, name: str) -> Path:
    """``<out>/key-figures`` for the default briefing, ``<out>/key-figures/<name>`` otherwise."""
    return out_dir / "key-figures" if name == "briefing" else out_dir / "key-figures" / name


def check_claims(value: str | Sequence[str] | None) -> tuple[Path, ...] | None:
    """``--claims``: None (the claims files that concern the recipient), "" (no ledger), or
    claims files (comma-separated or a list), each read and validated now, before any notebook
    runs (an invalid file is a one-line ParameterError naming the file, claim and field)."""
    if value is None:
        return None
    items = [x.strip() for x in value.split(",")] if isinstance(value, str) else [str(x).strip() for x in value]
    out = []
    for item in (x for x in items if x):
        path = Path(item)
        if not path.is_file():
            raise ParameterError(
                f"claims file {item} not found; give a path to a claims file such as "
                f"data/claims/mali-norinco-2024-09.toml, or an empty string for no ledger"
            )
        from analysis import claims

        claims.load(path)
        out.append(path)
    return tuple(out)


def ledger_for(p: Params, claims_files: Sequence[Path] | None = None) -> Any | None:
    """The claim ledger of the briefing, or None where there is none: with ``claims_files``
    None, the claims that concern the recipient from every file in data/claims/
    (:func:`analysis.claims.ledger_about`); otherwise the whole ledgers of the files given
    (none for an empty list)."""
    from analysis import claims, i18n

    if claims_files is not None and not claims_files:
        return None
    with i18n.use(p.lang):  # the verdicts and evidence in the briefing's language (also in a side thread)
        if claims_files is None:
            return claims.ledger_about(p.recipient)
        import pandas as pd

        frames = [claims.ledger(f).assign(file=str(f), date=claims.load(f).article.date) for f in claims_files]
        return pd.concat(frames, ignore_index=True)
