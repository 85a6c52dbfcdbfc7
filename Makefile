# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres browser clean

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# Both databases at once, each suite's output printed whole when it ends. The browser step (apt-get)
# comes first so that it never runs beside scripts/with-postgres installing PostgreSQL.
test: $(VENV)/.installed browser
	$(MAKE) --no-print-directory --output-sync=target -j2 test-sqlite test-postgres

# The browser tests (tests/e2e) drive Debian's Chromium; they run once, with the SQLite suite.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test-sqlite: $(VENV)/.installed browser
	@echo "==================== test suite on SQLite (and the browser tests) ===================="
	env -u DATABASE_URL DEBUG=1 $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed
	@echo "==================== test suite on PostgreSQL ===================="
	DEBUG=1 scripts/with-postgres $(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
