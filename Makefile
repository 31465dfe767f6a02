# Headroom — the two commands of the README, and the ones they are made of.
#   make demo   set up (runtime dependencies only), migrate the embedded SQLite database,
#               load the demo, serve on :5000; five numbered steps, each with its seconds
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
# Two stamps: the demo needs only the runtime dependencies (.installed-runtime); the tests
# add the test extra on top (.installed-test), so `make test` after `make demo` installs
# only schemathesis, playwright, ansible-core, snmpsim and the rest of `.[test]`.
RUNTIME_STAMP := $(VENV)/.installed-runtime
STAMP         := $(VENV)/.installed-test
# Wheels only: every dependency, test extra included, has a wheel for CPython 3.11 on
# x86_64 (checked with `pip install --dry-run --report`, issue 16), so a release without
# one fails here at once instead of compiling for minutes. pip still byte-compiles what it
# installs (16 s of the runtime install on a quiet machine): with --no-compile, where
# PYTHONDONTWRITEBYTECODE is set (it was where this was measured) every later command
# compiles its imports again — the demo's forecasts took 10.9 s instead of 5.3 s.
# No --quiet: pip's own progress is what a newcomer watches during the install.
PIP_INSTALL := $(BIN)/python -m pip install --only-binary=:all:
# Each step of the demo prints a header and, at its end, the seconds it took and the
# total since make started (HEADROOM_T0 is taken only when demo is asked for).
STEP := scripts/step.sh
ifneq ($(filter demo,$(MAKECMDGOALS)),)
export HEADROOM_T0 := $(shell date +%s%N)
endif
COMPILE_TRANSLATIONS := $(BIN)/pybabel compile --statistics -d web/translations

.PHONY: demo test test-fast lint venv system-deps bench clean translations translations-extract netbox-peer

# A plain `make` sets up the whole development environment, as it always did.
.DEFAULT_GOAL := venv

$(RUNTIME_STAMP): pyproject.toml
	@$(STEP) "[1/5] creating the virtualenv ($(VENV)) with a current pip" \
	  scripts/venv.sh $(PYTHON) $(VENV)
	@$(STEP) "[2/5] installing Headroom and its dependencies (wheels only)" $(PIP_INSTALL) -e .
	@touch $@

$(STAMP): $(RUNTIME_STAMP) pyproject.toml
	@$(STEP) "installing the test extra (wheels only)" $(PIP_INSTALL) -e ".[test]"
	@touch $@

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
translations: $(RUNTIME_STAMP)
	$(COMPILE_TRANSLATIONS)

# After adding text: refresh the .po files from the code and templates, then translate them.
translations-extract: $(STAMP)
	mkdir -p var
	$(BIN)/pybabel extract --no-location --sort-output -k _l -F babel.cfg -o var/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i var/messages.pot -d web/translations

# Run again, it skips steps 1-2 (the stamp is newer than pyproject.toml) and rebuilds the
# demo database.
demo: $(RUNTIME_STAMP)
	@if [ "$$(stat -c %Y $(RUNTIME_STAMP))" -lt "$$(($$HEADROOM_T0 / 1000000000))" ]; then \
	  echo "[1/5] [2/5] $(VENV) is installed ($(RUNTIME_STAMP) is newer than pyproject.toml)"; fi
	@$(STEP) "[3/5] compiling translations" $(COMPILE_TRANSLATIONS)
	@$(STEP) "[4/5] migrating the database" $(BIN)/cmdb db upgrade
	@$(STEP) "[5/5] loading the demo province" \
	  sh -c '$(BIN)/cmdb demo load --reset && $(BIN)/cmdb demo users'
	@echo
	@echo "Starting the server on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	CMDB_ANONYMOUS_READ=1 CMDB_SNMP_PROFILES=$${CMDB_SNMP_PROFILES:-$${CMDB_DATA_DIR:-var}/snmp-profiles.yaml} \
	  $(BIN)/cmdb serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# Set-up, lint, then the suite on two workers; a line of timing per tier at the end.
test: $(STAMP)
	@bash scripts/test.sh

# The quick tier while you work, on two workers: unit and SQLite integration of every
# package. Left to `make test`: PostgreSQL, the slow peers (NetBox, snmpsim, Chromium),
# end-to-end runs of real processes, the fuzzer (schemathesis) and the tests marked long.
FAST_TESTS := -m "not slow and not postgres and not long" tests/unit tests/integration -p no:schemathesis \
	--ignore=tests/integration/api/test_schemathesis.py
# Its files on tmpfs where there is one: the databases' commits (fsync) and the copies of
# the demo cost nothing there (fast tier 74.6 → 67.0 s, one run each, BENCHMARKS.md).
FAST_TMP := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && \
	echo --basetemp=/dev/shm/headroom-test-fast-$$(echo "$(CURDIR)" | md5sum | cut -c1-8))
# Compiled modules kept, as in scripts/test.sh (it says why).
test-fast: $(STAMP) translations
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n 2 --dist loadgroup --no-loadscope-reorder -q $(FAST_TESTS) $(FAST_TMP)

# Every benchmark with its defaults; bench_api.py builds its PostgreSQL database (100,000
# devices) once and reuses it, and needs wrk (system-deps). Its short run: --quick.
bench: $(STAMP) system-deps
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f; done

clean:
	rm -rf var .pytest_cache .ruff_cache .hypothesis .mypy_cache
