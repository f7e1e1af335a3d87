# Two commands do all the setup on a fresh machine:
#   make briefing   render the default briefing into reports/ (HTML and PDF)
#   make test       run the test suite (the browser tests drive Debian's chromium)
#   make docs       the API reference from the docstrings, into docs/api/ (pdoc)
# Both create .venv, install the Python packages, and check the Debian libraries the PDF
# renderer needs (installed with apt-get when missing and run as root; otherwise the exact
# command is printed).

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
DEBS    = libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra poppler-utils
# the browser of tests/test_browser.py (Playwright drives /usr/bin/chromium; `playwright install` is never run)
TEST_DEBS = chromium

.PHONY: briefing test lint docs setup system-deps test-deps data-status benchmark mutation clean

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

system-deps:
	@bash .ci/system-deps $(DEBS)

test-deps:
	@bash .ci/system-deps $(TEST_DEBS)

briefing: setup
	$(BIN)/briefing data ensure
	$(BIN)/briefing build

test: setup test-deps lint
	$(BIN)/pytest -n 2 -q

lint: setup
	$(BIN)/ruff check analysis tests
	$(BIN)/ruff format --check analysis tests
	$(BIN)/mypy

# every public module: `analysis` (with the modules its __all__ names) and the others beside them
DOC_MODULES = analysis $$($(BIN)/python -c 'import analysis, pkgutil; print(*(f"analysis.{m.name}" for m in \
	pkgutil.iter_modules(analysis.__path__) if not m.name.startswith("_") and m.name not in analysis.__all__))')

docs: setup
	rm -rf docs/api
	$(BIN)/pdoc --docformat restructuredtext --output-directory docs/api $(DOC_MODULES) '!analysis\.importers\._'

data-status: setup
	$(BIN)/briefing data status --long

benchmark: setup
	$(BIN)/python benchmarks/run.py

# mutmut on each analysis module against its own unit tests, one module at a time, and each
# module's score: killed / (killed + survived), timeouts as killed, "no tests" and skipped
# counted apart. Takes many minutes, so it is not part of `make test`. MODULES=fmt for one.
mutation: setup
	nice -n 10 $(BIN)/python tests/mutation.py $(MODULES)

clean:
	rm -rf data/cache reports/.tmp*
