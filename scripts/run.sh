#!/usr/bin/env bash
# `make run`: migrate, seed, print the admin login, start a Celery worker, Celery beat and the web server.
# With no DATABASE_URL / CELERY_BROKER_URL: SQLite and a filesystem broker under var/.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
mkdir -p var "${QUOTETRACKER_VAR_DIR:-var}"  # beat writes its schedule file there

$PY manage.py migrate --noinput
$PY manage.py loaddata fixtures/speakers.json
$PY manage.py ensure_local_admin

# The worker first, so the seed article's extraction starts as soon as it is queued.
.venv/bin/celery -A quotetracker worker --loglevel=INFO --concurrency=1 \
    --without-mingle --without-gossip --pidfile= >var/worker.log 2>&1 &
WORKER=$!
# Beat sends the periodic recovery sweep (README: Recovering stuck extractions), so stuck
# articles are queued again with no cron; its schedule file is celerybeat-schedule under var/.
# Its pidfile there keeps a second beat from starting on the same data (it exits with an error).
.venv/bin/celery -A quotetracker beat --loglevel=INFO --pidfile="${QUOTETRACKER_VAR_DIR:-var}/celerybeat.pid" \
    >var/beat.log 2>&1 &
BEAT=$!
trap 'kill $WORKER $BEAT 2>/dev/null; wait $WORKER $BEAT 2>/dev/null || true' EXIT INT TERM
echo "celery worker started (pid $WORKER, log var/worker.log)"
echo "celery beat started (pid $BEAT, log var/beat.log)"

$PY manage.py load_seed_articles
echo "QuoteTracker on http://127.0.0.1:$PORT/  (admin: /admin/, API: /api/, docs: /api/docs/)"
$PY manage.py runserver "127.0.0.1:$PORT" --noreload
