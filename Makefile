# The verbs a newcomer needs. Everything runs inside .venv, created on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install messages migrate demo run test test-broker lint format typecheck check worker beat bench e2e clean

help:
	@echo "make run        install, migrate, load the demo and serve http://127.0.0.1:$(PORT)"
	@echo "make test       install and run the whole test suite"
	@echo "make lint       ruff format check + ruff lint"
	@echo "make worker     a Celery worker (needs CELERY_BROKER_URL)"
	@echo "make beat       the Celery beat scheduler (needs CELERY_BROKER_URL)"
	@echo "make demo       (re)load the demo data"

# The stamp is rebuilt whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed messages

# Message catalogues are committed as .po and compiled here (pure Python: no gettext needed).
messages: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d locale -D django

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) seed_demo

run: demo
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest -m "not broker" $(PYTEST_ARGS)

# The suite against a real broker and worker (CI's PostgreSQL/Redis leg).
test-broker: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy lms certification courses vae cms_pages

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

worker: install
	$(BIN)/celery -A lms worker --loglevel=INFO

beat: install
	$(BIN)/celery -A lms beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 media private_media static_collected
