# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres tools clean

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

run: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# Both databases at once, each suite's output printed whole when both have ended. The tools step
# (apt-get) comes first so that it never runs beside scripts/with-postgres installing PostgreSQL.
# Two shell jobs rather than `make -j2`: GNU make 4.3 (Debian 12) was seen holding the SQLite suite
# back until the PostgreSQL one had ended, which made the run their sum.
test: $(VENV)/.installed tools
	@logs=$$(mktemp -d); \
	$(MAKE) --no-print-directory test-sqlite > $$logs/sqlite 2>&1 & sqlite=$$!; \
	$(MAKE) --no-print-directory test-postgres > $$logs/postgres 2>&1; postgres=$$?; \
	wait $$sqlite; sqlite=$$?; \
	cat $$logs/sqlite $$logs/postgres; rm -rf $$logs; \
	echo "SQLite: $$([ $$sqlite = 0 ] && echo passed || echo FAILED); PostgreSQL: $$([ $$postgres = 0 ] && echo passed || echo FAILED)"; \
	[ $$sqlite = 0 ] && [ $$postgres = 0 ]

# The browser tests (tests/e2e) drive Debian's Chromium; they run once, with the SQLite suite. The
# letters', reports' and catalogues' files are opened with LibreOffice (Writer and Calc, with the CJK
# fonts their text needs), as the people who receive them would: without it those tests skip.
tools:
	@{ command -v chromium && command -v soffice; } >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libreoffice-writer libreoffice-calc fonts-noto-cjk >/dev/null; }

test-sqlite: $(VENV)/.installed tools
	@echo "==================== test suite on SQLite (and the browser tests) ===================="
	env -u DATABASE_URL DEBUG=1 $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed
	@echo "==================== test suite on PostgreSQL ===================="
	DEBUG=1 scripts/with-postgres $(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
