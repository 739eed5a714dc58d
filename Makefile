# QuoteTracker's front door. `make run` to use it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Tests run against PostgreSQL and Redis on this machine unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/quotetracker
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: help install run serve worker beat test test-fast lint bench-extraction bench-identity bench-scale lock clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

# The pip that `python3 -m venv` ships installs the locks as they are: no pip upgrade first.
# A production install takes requirements.txt alone: pip install --require-hashes -r requirements.txt
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed  ## create .venv and install the pinned requirements, development and test tools included

run: install  ## migrate, seed, start a Celery worker, Celery beat and the web server on 127.0.0.1:$$PORT (8000)
	./scripts/run.sh

# Production serving: needs QUOTETRACKER_ENV=production, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS
# (settings.py refuses to start without them); whitenoise serves the collected static files.
serve: install  ## collectstatic, then gunicorn (2 workers, $$WEB_WORKERS) on 127.0.0.1:$$PORT (8000)
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/gunicorn quotetracker.wsgi --workers $${WEB_WORKERS:-2} --bind 127.0.0.1:$${PORT:-8000} \
	  --access-logfile -

worker: install  ## a Celery worker alone
	$(VENV)/bin/celery -A quotetracker worker --loglevel=INFO --without-mingle --without-gossip

beat: install  ## the Celery beat scheduler alone (one per deployment): sends the periodic recovery sweep
	mkdir -p $${QUOTETRACKER_VAR_DIR:-var}
	$(VENV)/bin/celery -A quotetracker beat --loglevel=INFO --pidfile=$${QUOTETRACKER_VAR_DIR:-var}/celerybeat.pid

test: install  ## ruff, then the whole suite, on PostgreSQL and Redis
	$(VENV)/bin/ruff check .
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
	  $(PY) -m pytest

test-fast: install  ## the suite without the browser and worker tests, on SQLite
	env -u DATABASE_URL $(PY) -m pytest -m "not browser and not integration"

lint: install  ## ruff
	$(VENV)/bin/ruff check .

bench-extraction: install  ## score the engine on PolNeAR dev and measure its speed
	$(PY) scripts/bench_extraction.py

bench-identity: install  ## issue #13: re-reported statements per pattern (tests/data/identity), plus PolNeAR dev
	$(PY) scripts/bench_identity.py

bench-scale: install  ## issue #12: a 1M-statement corpus, gunicorn under load, ingestion (STATEMENTS=N to shrink)
	$(PY) scripts/bench_scale.py --statements $${STATEMENTS:-1000000} --interleave

lock:  ## recompile requirements.txt and requirements-dev.txt (every package pinned, with hashes) from the .in files
	$(PY) scripts/lock_requirements.py requirements.in requirements.txt
	$(PY) scripts/lock_requirements.py requirements-dev.in requirements-dev.txt --constraint requirements.txt

clean:  ## remove the local database, broker queue and caches (not .venv)
	rm -rf var .pytest_cache .ruff_cache

.PHONY: bench-ingest
bench-ingest: install  ## issue #14: the PolNeAR dev texts as pages in a local feed, fetched and extracted by 2 workers
	$(PY) scripts/bench_ingest.py
