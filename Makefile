# The two commands of the quick start: `make run` and `make test`.
# Both create (or reuse) a virtual environment in .venv and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench messages clean

# `make run PORT=8010` serves on another port.
PORT ?= 8000

# Each step says what it does: the first install takes about a minute, and pip shows its
# progress package by package.
$(BIN)/python:
	@echo "Creating the virtual environment in $(VENV)..."
	@$(PYTHON) -m venv $(VENV)
	@echo "Updating pip..."
	@$(BIN)/pip install --quiet --upgrade pip

# pip compiles what it installs but not the editable source; compiling it here spares each
# command (and test process) compiling it again where Python may not write its bytecode
# caches (PYTHONDONTWRITEBYTECODE): a tenth of `microcred verify`'s start.
COMPILE := $(BIN)/python -m compileall -q src

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing microcred and its dependencies (about a minute)..."
	@$(BIN)/pip install --progress-bar on -e .
	@$(COMPILE)
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing microcred with its test and lint tools (about two minutes)..."
	@$(BIN)/pip install --progress-bar on -e '.[dev]'
	@$(COMPILE)
	@touch $@ $(STAMP)

run: $(STAMP)
	@echo "Starting microcred with the demo data at http://127.0.0.1:$(PORT)/ ..."
	$(BIN)/microcred serve --demo --port $(PORT)

# The platform's tests run again on PostgreSQL when one answers (CI starts it).
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/microcred
# Tests run in one process per core (pytest-xdist); `make test TEST_WORKERS=0` runs them in one.
TEST_WORKERS ?= 2

test: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS)
	@if pg_isready -q -h 127.0.0.1 2>/dev/null; then \
		echo "Platform tests on PostgreSQL"; \
		DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest -q -n $(TEST_WORKERS) tests/platform tests/security tests/test_verify_page.py; \
	else \
		echo "PostgreSQL is not running here: platform tests ran on SQLite only"; \
	fi

# mypy reads its settings (and its cache in .venv) from pyproject.toml.
lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(DEV_STAMP)
	$(BIN)/python benchmarks/canonicalize.py
	$(BIN)/python benchmarks/signing.py
	$(BIN)/python benchmarks/hostile_inputs.py
	$(BIN)/python benchmarks/ob3_builders.py
	$(BIN)/python benchmarks/elm_export.py
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(BIN)/python benchmarks/bulk_issue.py
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(BIN)/python benchmarks/bulk_issuing.py
	$(BIN)/python benchmarks/verification.py
	$(BIN)/python benchmarks/verify_api.py
	$(BIN)/python benchmarks/pages.py
	$(BIN)/python benchmarks/near_duplicates.py

# Refreshes each app's German catalogue from its templates and code, then compiles it
# (needs GNU gettext: the Debian package gettext). Translate what is new in the .po files,
# then run it again to compile them. `make messages APPS_WITH_TEXT="catalogue awards"` refreshes some.
# The engine (frameworks, vc) has no templates but writes sentences pages show.
APPS_WITH_TEXT ?= $(sort $(patsubst src/microcred/%/templates/,%,$(wildcard src/microcred/*/templates/))) frameworks vc
messages: $(DEV_STAMP)
	@for app in $(APPS_WITH_TEXT); do \
		mkdir -p src/microcred/$$app/locale && \
		(cd src/microcred/$$app && DJANGO_SETTINGS_MODULE=microcred.site.settings MICROCRED_DATA_DIR=$(CURDIR)/var \
			$(abspath $(BIN))/django-admin makemessages --locale de --no-obsolete --no-location) || exit 1; \
	done
	cd src/microcred && DJANGO_SETTINGS_MODULE=microcred.site.settings MICROCRED_DATA_DIR=$(CURDIR)/var $(abspath $(BIN))/django-admin compilemessages --locale de

clean:
	rm -rf $(VENV) var .pytest_cache
