# Payung: `make demo` installs and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo install test lint messages serve bench clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	# (this machine's pip.conf names local mirrors that may not exist: hide only those warnings)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock 2>&1 | { grep -v 'is ignored' || true; }
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/python -m payung.i18n
	touch $@

install: $(STAMP)

demo: install
	mkdir -p var
	$(BIN)/payung migrate --noinput
	$(BIN)/payung demo-data
	$(BIN)/payung demo-coverage
	$(BIN)/payung demo-claims
	$(BIN)/payung demo-province
	$(BIN)/payung demo-users
	$(BIN)/payung runserver 127.0.0.1:8000

# SQLite always; PostgreSQL too when PAYUNG_TEST_POSTGRES names a reachable server (CI sets it, and there
# an unreachable one is a failure, not a skip).
PG_REACHABLE := $(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=5).close()"
test: install
	$(BIN)/pytest
	@if [ -z "$$PAYUNG_TEST_POSTGRES" ]; then exit 0; \
	elif $(PG_REACHABLE) "$$PAYUNG_TEST_POSTGRES" 2>/dev/null; then \
	  echo "PostgreSQL: $$PAYUNG_TEST_POSTGRES"; DATABASE_URL="$$PAYUNG_TEST_POSTGRES" $(BIN)/pytest; \
	elif [ "$$CI" = true ]; then echo "PostgreSQL at $$PAYUNG_TEST_POSTGRES is unreachable" >&2; exit 1; \
	else echo "PostgreSQL at $$PAYUNG_TEST_POSTGRES is unreachable: its run is skipped"; fi

lint: install
	$(BIN)/ruff check .

messages: install
	cd src/payung && ../../$(BIN)/payung makemessages -l en --no-obsolete
	$(BIN)/python -m payung.i18n

clean:
	rm -rf $(VENV) var
