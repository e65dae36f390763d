# One command surface for people and CI. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/bianmin

.DEFAULT_GOAL := help
.PHONY: help install run demo serve test test-postgres test-browser lint format check messages ci bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed ## Create .venv and install the project with its dev tools

messages: install ## Compile translations (locale/)
	@if [ -n "$$(find locale -name '*.po' 2>/dev/null)" ]; then $(MANAGE) compilemessages -v0; fi

run: install messages ## Migrate, load the demo if empty, build the search indexes, serve on http://127.0.0.1:8000
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_demo --if-empty
	$(MANAGE) search_seed_synonyms --if-empty
	$(MANAGE) update_index -v0
	$(MANAGE) search_reindex
	BASE_URL=$${BASE_URL:-http://$(HOST):$(PORT)} $(MANAGE) ensure_admin
	BASE_URL=$${BASE_URL:-http://$(HOST):$(PORT)} $(MANAGE) runserver $(HOST):$(PORT)

demo: install ## Load (or refresh) the demo county
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_demo
	$(MANAGE) search_seed_synonyms --if-empty
	$(MANAGE) search_reindex

test: install messages ## The whole suite on SQLite (shuffled; the seed is printed), browser journeys last
	$(BIN)/pytest -q -n 2 --dist loadfile -m "not browser"
	$(BIN)/pytest -q -m browser

test-browser: install messages ## Only the browser journeys (Debian's chromium)
	$(BIN)/pytest -q -m browser

test-postgres: install messages ## The whole suite on PostgreSQL ($(PG_URL))
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n 2 --dist loadfile -m "not browser"
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m browser

lint: install ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Django system checks and missing migrations
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

ci: lint check test test-postgres ## What CI runs

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
