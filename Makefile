# The verbs a newcomer needs. Everything runs inside .venv, created on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install messages migrate demo run test test-broker lint format typecheck check worker beat bench load e2e clean

help:
	@echo "make run        install, migrate, load the demo and serve http://127.0.0.1:$(PORT)"
	@echo "make test       install and run the whole test suite"
	@echo "make e2e        end-to-end and accessibility tests in Chromium (installs it if root)"
	@echo "make lint       ruff format check + ruff lint"
	@echo "make worker     a Celery worker (needs CELERY_BROKER_URL)"
	@echo "make beat       the Celery beat scheduler (needs CELERY_BROKER_URL)"
	@echo "make demo       (re)load the demo data"
	@echo "make bench      measure pages at scale (BENCH_SCALE=small|large|N, default large)"
	@echo "make load       gunicorn + wrk load test on PostgreSQL (DATABASE_URL)"

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

# Tests run in parallel (pytest-xdist), one worker per CPU: TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= auto
test: install
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not broker and not e2e" $(PYTEST_ARGS)

# The suite against a real broker and worker (CI's PostgreSQL/Redis leg). Tests that start Celery
# workers or stop Redis run afterwards, one at a time, so no other test shares their broker.
test-broker: install
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not broker and not e2e" $(PYTEST_ARGS)
	$(BIN)/pytest -m "broker and not e2e" $(PYTEST_ARGS)

# End-to-end journeys and accessibility checks in Debian's Chromium (headless), against the live
# test server. Screenshots and the axe report go to tests/e2e/artifacts/.
CHROMIUM ?= /usr/bin/chromium
e2e: install
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium with apt-get…"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing at $(CHROMIUM). Install it (sudo apt-get install chromium)," \
	      "or run make e2e CHROMIUM=/path/to/chromium."; exit 1; \
	  fi; \
	fi
	E2E_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -m e2e tests/e2e $(PYTEST_ARGS)

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

# Benchmark in a separate, temporary database (see README, Benchmark). The large scale takes
# minutes; BENCH_SCALE=small is quick. BENCH_JSON names the report file.
BENCH_SCALE ?= large
BENCH_JSON ?= bench-report.json
bench: install
	$(MANAGE) bench --scale $(BENCH_SCALE) --json $(BENCH_JSON)

# Load test: gunicorn (2 workers) on PostgreSQL under 32 clients for 30 s with wrk.
LOAD_SCALE ?= 5000
load: install
	command -v wrk >/dev/null || sudo apt-get install -y wrk || apt-get install -y wrk
	$(BIN)/python -m cms_pages.bench.load --scale $(LOAD_SCALE) --json bench-load.json

clean:
	rm -rf $(VENV) db.sqlite3 media private_media static_collected
