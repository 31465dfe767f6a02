# Headroom — the two commands of the README, and the ones they are made of.
#   make demo   set up, migrate the embedded SQLite database, load the demo, serve on :5000
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: demo test test-fast lint venv system-deps bench clean translations translations-extract netbox-peer

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

venv: $(STAMP)

# System packages the tests talk to (real peers); installed only when missing and root.
system-deps:
	@bash scripts/system-deps.sh

# The real NetBox the sync tests talk to: a cached Python 3.12 venv with the pinned wheel
# under ~/.cache/headroom/peers/ (the test fixture builds it too when missing; this only
# does it ahead).
netbox-peer: $(STAMP)
	$(BIN)/python -m tests.peers.netbox_peer

# Compiled catalogues (.mo) are build output, never committed; the .po files are the source.
translations: $(STAMP)
	$(BIN)/pybabel compile --statistics -d web/translations

# After adding text: refresh the .po files from the code and templates, then translate them.
translations-extract: $(STAMP)
	mkdir -p var
	$(BIN)/pybabel extract --no-location --sort-output -k _l -F babel.cfg -o var/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i var/messages.pot -d web/translations

demo: $(STAMP) translations
	$(BIN)/cmdb db upgrade
	$(BIN)/cmdb demo load --reset
	$(BIN)/cmdb demo users
	CMDB_ANONYMOUS_READ=1 $(BIN)/cmdb serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Set-up, lint, then the suite on two workers; a line of timing per tier at the end.
test: $(STAMP)
	@bash scripts/test.sh

# The quick tier while you work: no PostgreSQL, no slow peers.
test-fast: $(STAMP) translations
	$(BIN)/pytest -m "not slow and not postgres" -q -x

# Every benchmark with its defaults; bench_api.py builds its PostgreSQL database (100,000
# devices) once and reuses it, and needs wrk (system-deps). Its short run: --quick.
bench: $(STAMP) system-deps
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done

clean:
	rm -rf var .pytest_cache .ruff_cache .hypothesis .mypy_cache
