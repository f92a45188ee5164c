# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-sqlite test-postgres lint system-packages bench-load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# A local, single-user setup: DEBUG so that the development server serves static files.
run: export DEBUG ?= 1
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_delegations
	$(BIN)/python manage.py load_letters
	$(BIN)/python manage.py create_demo_users
	@echo "DebatePrep is at http://$(HOST)/ (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver $(HOST)

# Debian's Chromium for the browser tests, the serif the PDF exports are set in (the
# export tests count pages and lines, which another font's widths change), and wrk for the
# load benchmark.
system-packages:
	@command -v chromium >/dev/null && command -v wrk >/dev/null && \
	  fc-list | grep -q "Liberation Serif" || { \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium fonts-liberation wrk; }

# Autosave under load next to the floor of the stack, on a database it makes beside POSTGRES_URL's.
bench-load: $(VENV)/.installed system-packages
	BENCH_DATABASE_URL=$(POSTGRES_URL) $(BIN)/python bench/load.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: $(VENV)/.installed-dev system-packages
	@echo "== the suite on SQLite"
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: $(VENV)/.installed-dev system-packages
	@echo "== the suite on PostgreSQL ($(POSTGRES_URL))"
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

test: lint test-sqlite test-postgres
