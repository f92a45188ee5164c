# The README's two commands, `make run` and `make test`, and `make serve` for production.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run serve test test-sqlite test-postgres lint system-packages fonts messages catalogues \
  bench-load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# The Nu HTML Checker (vnu.jar) for the accessibility tests, at the version package-lock.json
# pins. Without vnu-jar's install script, which would download a Java of its own: Debian's
# runs it (system-packages).
node_modules/.installed: package.json package-lock.json | system-packages
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# A local, single-user setup: DEBUG so that the development server serves static files.
run: export DEBUG ?= 1
run: $(VENV)/.installed fonts messages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_delegations
	$(BIN)/python manage.py load_letters
	$(BIN)/python manage.py create_demo_users
	@echo "DebatePrep is at http://$(HOST)/ (Ctrl-C stops it and its export worker)"
	@$(BIN)/python manage.py export_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST)

# Production on one machine: gunicorn with WEB_CONCURRENCY workers (2 × cores + 1 unless set),
# EXPORT_WORKERS export workers, static files collected for WhiteNoise, DEBUG off. SECRET_KEY
# comes from the environment or, if unset, from .secret_key (made once, never committed).
# DATABASE_URL should name PostgreSQL (see the README's "Serving" section).
WEB_CONCURRENCY ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) + 1 )))
EXPORT_WORKERS ?= 1
serve: export DEBUG = 0
serve: $(VENV)/.installed fonts messages
	@test -n "$$SECRET_KEY" || test -s .secret_key || \
	  $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key
	@export SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}"; set -e; \
	  $(BIN)/python manage.py migrate --no-input; \
	  $(BIN)/python manage.py collectstatic --no-input --verbosity 0; \
	  workers=""; for n in $$(seq $(EXPORT_WORKERS)); do \
	    $(BIN)/python manage.py export_worker --no-reload --verbosity 0 & workers="$$workers $$!"; \
	  done; \
	  trap 'kill $$workers 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	  echo "DebatePrep is at http://$(HOST)/ with $(WEB_CONCURRENCY) web and $(EXPORT_WORKERS) export workers (Ctrl-C stops them)"; \
	  $(BIN)/gunicorn debateprep.wsgi --bind $(HOST) --workers $(WEB_CONCURRENCY) \
	    --timeout 60 --access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# Debian's Chromium for the browser tests, the serif the PDF exports are set in (the
# export tests count pages and lines, which another font's widths change), wrk for the load
# benchmark, and Java and npm for the Nu HTML Checker.
system-packages: fonts
	@missing=""; \
	  for pair in chromium:chromium wrk:wrk java:default-jre-headless npm:npm \
	    msgfmt:gettext; do \
	    command -v "$${pair%%:*}" >/dev/null || missing="$$missing $${pair#*:}"; \
	  done; \
	  [ -z "$$missing" ] || { $(SUDO) apt-get update -qq && \
	    $(SUDO) apt-get install -y -qq $$missing; }

# The interface's translations (locale/*/LC_MESSAGES/django.po), compiled for Django with
# GNU gettext's msgfmt.
messages: $(VENV)/.installed
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq gettext; }
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

# After marking new text: brings every catalogue up to date with the code, for translators.
catalogues: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages --all --no-obsolete --ignore=.venv \
	  --ignore=node_modules --ignore=tests --ignore=bench

# The fonts the PDF exports are set in: Times, or its metric twin Liberation Serif, then
# Debian's Noto for Arabic, Chinese and emoji (writers/pdf.typ), so that no character of the six
# languages is dropped; DejaVu for symbols.
FONT_PACKAGES := fonts-liberation fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
  fonts-noto-color-emoji
fonts:
	@fonts="$$(fc-list : family 2>/dev/null)"; \
	  for family in "Liberation Serif" "DejaVu Serif" "Noto Naskh Arabic" "Noto Serif CJK SC" \
	    "Noto Color Emoji"; do \
	    printf '%s\n' "$$fonts" | grep -q "$$family" || missing=1; \
	  done; \
	  [ -z "$$missing" ] || { $(SUDO) apt-get update -qq && \
	    $(SUDO) apt-get install -y -qq $(FONT_PACKAGES); }

# Autosave under load next to the floor of the stack, on a database it makes beside POSTGRES_URL's.
bench-load: $(VENV)/.installed system-packages
	BENCH_DATABASE_URL=$(POSTGRES_URL) $(BIN)/python bench/load.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test-sqlite: $(VENV)/.installed-dev system-packages node_modules/.installed messages
	@echo "== the suite on SQLite"
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: $(VENV)/.installed-dev system-packages node_modules/.installed messages
	@echo "== the suite on PostgreSQL ($(POSTGRES_URL))"
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest

test: lint test-sqlite test-postgres
