# Qalxan — `make run` starts the platform with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: run install dev test test-sqlite test-postgres lint typecheck checks openapi messages bench clean

run: install
	$(BIN)/qalxan demo --if-empty
	$(BIN)/qalxan serve --host $(HOST) --port $(PORT)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml setup.py src/qalxan/intel/sweep/_scan.c
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

dev: $(VENV)/.dev-installed

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The whole suite: static checks, then every test on SQLite, then on PostgreSQL when one is reachable
# (CI sets QALXAN_REQUIRE_POSTGRES=1 and QALXAN_REQUIRE_BROWSER=1 so that neither can be skipped).
test: dev checks test-sqlite test-postgres

checks: lint typecheck
	QALXAN_VAR_DIR=var/test $(BIN)/qalxan manage makemigrations --check --dry-run
	QALXAN_VAR_DIR=var/test $(BIN)/python scripts/check_openapi.py
	$(BIN)/python scripts/check_messages.py

lint:
	$(BIN)/ruff check src tests bench scripts conftest.py
	$(BIN)/ruff format --check src tests bench scripts conftest.py

typecheck:
	QALXAN_VAR_DIR=var/test $(BIN)/mypy

test-sqlite:
	$(BIN)/pytest -q

test-postgres:
	@if $(BIN)/python scripts/pg_ready.py "$(PG_TEST_URL)"; then \
		QALXAN_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest -q; \
	elif [ "$$QALXAN_REQUIRE_POSTGRES" = "1" ]; then \
		echo "PostgreSQL is required but not reachable at $(PG_TEST_URL)"; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(PG_TEST_URL): PostgreSQL run skipped"; \
	fi

openapi: dev
	QALXAN_VAR_DIR=var/test $(BIN)/qalxan manage spectacular --format openapi-json --file docs/openapi.json --validate

messages: dev
	bash scripts/messages.sh

bench: dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf var/test .mypy_cache .ruff_cache
