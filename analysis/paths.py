"""Every path the project reads or writes, in one place (as Our World in Data's ``etl/paths.py``).

Folders that a user may move are read from environment variables here and nowhere else:

* ``BRIEFING_RAW_DIR``: imported and fetched source files (default ``data/raw``);
* ``BRIEFING_DATA_DIR``: a folder of publisher exports read where it is (default
  ``../shared/data`` beside the checkout);
* ``BRIEFING_CACHE_DIR``: the Parquet cache of tidy tables (default ``data/cache``).

Nothing else in ``analysis/`` builds a path from ``__file__``.
"""

from __future__ import annotations

import os
from pathlib import Path

#: The checkout: the folder that holds pyproject.toml, analysis/, data/, notebooks/, reports/.
ROOT: Path = Path(__file__).resolve().parent.parent
PACKAGE: Path = ROOT / "analysis"

# data/: what the project curates, and where fetched sources land
DATA: Path = ROOT / "data"
CATALOGUE: Path = DATA / "sources.toml"
CURATED: Path = DATA / "curated"
CLAIMS: Path = DATA / "claims"

# the path of the data: notebooks narrate, reports are what readers get
NOTEBOOKS: Path = ROOT / "notebooks"
REPORTS: Path = ROOT / "reports"
BATCH: Path = REPORTS / "batch"

# templates: nbconvert's (one notebook -> one HTML fragment) and the page's (fragments -> one page)
TEMPLATES: Path = PACKAGE / "templates"
NBCONVERT_TEMPLATES: Path = TEMPLATES / "nbconvert"
NBCONVERT_TEMPLATE: str = "briefing"
PAGE_TEMPLATES: Path = TEMPLATES / "page"

#: The link prefix of a chart's data file in a notebook's output; the build replaces it with the
#: folder it publishes the data into (``<briefing>-data/``).
DATA_PREFIX: str = "briefing-data:"


def raw_dir() -> Path:
    """Imported and fetched source files, each beside its ``.meta.json`` record."""
    env = os.environ.get("BRIEFING_RAW_DIR")
    return Path(env) if env else DATA / "raw"


def exports_dir() -> Path | None:
    """A folder of publisher exports that the project reads in place (never copies into git):
    BRIEFING_DATA_DIR, else ``../shared/data`` beside the checkout if it exists, else None."""
    env = os.environ.get("BRIEFING_DATA_DIR")
    if env:
        return Path(env)
    default = ROOT.parent / "shared" / "data"
    return default if default.is_dir() else None


def cache_dir() -> Path:
    """The Parquet cache of tidy tables."""
    env = os.environ.get("BRIEFING_CACHE_DIR")
    return Path(env) if env else DATA / "cache"
