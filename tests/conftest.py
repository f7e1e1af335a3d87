"""Shared test setup.

The real exports in ../shared/data are required: importer and real-data tests read them where
they are. Without that folder the tests that need it skip on a developer's machine and fail in
CI (CI=true), so a CI run never passes by skipping.

Every test runs with an empty data/raw (BRIEFING_RAW_DIR in a temporary folder) so that files a
developer imported by hand cannot change a result.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("BRIEFING_DATA_DIR", ROOT.parent / "shared" / "data"))

#: the local HTTP server and the fixtures of the fetch tests (api, sample, previous)
pytest_plugins = ["tests.fetch_server"]


def require_shared() -> Path:
    if not SHARED.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the real exports at {SHARED}")
        pytest.skip(f"real exports not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def shared() -> Path:
    return require_shared()


@pytest.fixture(autouse=True)
def _isolated_raw(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path_factory.getbasetemp() / "empty-raw"
    raw.mkdir(exist_ok=True)
    monkeypatch.setenv("BRIEFING_RAW_DIR", str(raw))
    if SHARED.is_dir():
        monkeypatch.setenv("BRIEFING_DATA_DIR", str(SHARED))


def one_line(message: str) -> bool:
    return "\n" not in message and len(message) > 0


def property_settings(max_examples: int) -> settings:
    """Hypothesis settings for a property test: ``max_examples`` examples in the normal suite.

    Under mutation testing (tests/mutation.py sets BRIEFING_MUTATION) the test runs once per
    mutant it reaches, so it gets a few derandomized examples: the run stays cheap and its score
    reproducible. The normal suite is not weakened.
    """
    if os.environ.get("BRIEFING_MUTATION"):
        return settings(max_examples=4, deadline=None, derandomize=True, database=None)
    return settings(max_examples=max_examples, deadline=None)


#: for a test that reads analysis/'s source text (message extraction): under mutation testing
#: that source is mutmut's rewrite, holding every mutant's strings, so such a test skips there.
reads_source = pytest.mark.skipif(
    bool(os.environ.get("BRIEFING_MUTATION")), reason="reads the source, which mutation testing rewrites"
)
