#!/usr/bin/env bash
# `make run`: migrate, seed, print the admin login, start a Celery worker and the web server.
# With no DATABASE_URL / CELERY_BROKER_URL: SQLite and a filesystem broker under var/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
mkdir -p var

$PY manage.py migrate --noinput
$PY manage.py loaddata fixtures/speakers.json
$PY manage.py ensure_local_admin

# The worker first, so the seed article's extraction starts as soon as it is queued.
.venv/bin/celery -A quotetracker worker --loglevel=INFO --concurrency=1 \
    --without-mingle --without-gossip --pidfile= >var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null || true' EXIT INT TERM
echo "celery worker started (pid $WORKER, log var/worker.log)"

$PY manage.py load_seed_articles
echo "QuoteTracker on http://127.0.0.1:$PORT/  (admin: /admin/, API: /api/, docs: /api/docs/)"
$PY manage.py runserver "127.0.0.1:$PORT" --noreload
