# The two commands of the README: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
SECRET_FILE := var/secret_key
FIELD_KEY_FILE := var/field_key
DEV_ENV = ARCHIVE_2FA_ROLES= ARCHIVE_CLAMD_SOCKET="$(CURDIR)/var/clamav/clamd.sock" DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat $(SECRET_FILE))" ARCHIVE_FIELD_KEY="$$(cat $(FIELD_KEY_FILE))"

.PHONY: run test deps system-deps lint messages bench bench-audit bench-checks bench-import bench-restore clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	./scripts/system-deps.sh  # python-ldap builds against libldap2-dev
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

deps: $(VENV)/.installed system-deps tests/browser/node_modules/.installed

# axe-core for the accessibility run of the browser tests, from the npm
# registry into tests/browser/node_modules (served by the test, never a CDN).
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd tests/browser && npm ci --no-audit --no-fund --silent && touch node_modules/.installed; \
	else echo "npm not found: the accessibility test will say so (apt-get install npm)"; fi

system-deps:
	./scripts/system-deps.sh

$(SECRET_FILE) $(FIELD_KEY_FILE):
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

## make run: install, migrate the SQLite database, load demo data, serve on :8000
run: deps $(SECRET_FILE) $(FIELD_KEY_FILE)
	./scripts/clamd-dev.sh >/dev/null || true
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py seed_demo
	$(DEV_ENV) $(PY) manage.py seed_demo_lending
	$(DEV_ENV) $(PY) manage.py seed_demo_usage
	$(DEV_ENV) ./scripts/run-dev.sh

## make test: the whole test suite (SQLite unless DATABASE_URL is set), one
## worker per core (TEST_WORKERS to change; 0 runs it in this process)
TEST_WORKERS ?= auto
test: deps
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: deps
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint
	DJANGO_SECRET_KEY=lint ARCHIVE_FIELD_KEY=lint $(VENV)/bin/mypy
	DJANGO_SECRET_KEY=lint ARCHIVE_FIELD_KEY=lint $(PY) manage.py makemigrations --check --dry-run

## make messages: refresh the translation catalogues and compile them
messages: deps
	DJANGO_SECRET_KEY=msg ARCHIVE_FIELD_KEY=msg $(PY) manage.py makemessages -l zh_Hans -l zh_Hant -l en --no-obsolete --ignore=.venv --ignore=tests
	$(PY) scripts/fill_translations.py
	DJANGO_SECRET_KEY=msg ARCHIVE_FIELD_KEY=msg $(PY) manage.py compilemessages --ignore=.venv

## make bench: the archive at BENCH_RECORDS records (default 1,000,000) in a
## scratch PostgreSQL database, measured over HTTP against gunicorn; the table
## goes to bench/results/<date>-<records>.md
bench: deps
	$(PY) bench/run.py

## make bench-checks: time and peak memory of the monthly inspection and the
## yearly stocktake on 100,000 records (PostgreSQL; BENCH_RECORDS to change)
bench-checks: deps
	$(PY) bench/retention_checks.py

## make bench-audit: the audit entry of a record view written by 1, 2, 4, 8
## processes at once, with the chain's lock of 1.5.0 and without (issue 22)
bench-audit: deps
	$(PY) bench/audit_writes.py

## make bench-restore: the RTO, measured: backup, its proof, and a restore of
## the database and the whole archive store (PostgreSQL; BENCH_RECORDS)
bench-restore: deps
	$(PY) bench/restore.py

## make bench-import: time and peak memory of a 100,000-row import of GT records
## (PostgreSQL; BENCH_IMPORT_ROWS to change)
bench-import: deps
	$(PY) bench/import_records.py

clean:
	rm -rf $(VENV) staticfiles
