#!/usr/bin/env bash
# `make run`'s server: Django's development server with a real Celery worker
# and beat (two processes) beside it when Redis answers or can be started;
# without Redis the checks run inside the request (CELERY_TASK_ALWAYS_EAGER).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

# The virus scanner every upload goes through (archives.services.filechecks).
if sock=$(./scripts/clamd-dev.sh); then
  export ARCHIVE_CLAMD_SOCKET="$sock"
  trap 'kill $(cat var/clamav/clamd.pid 2>/dev/null) 2>/dev/null || true' EXIT
  echo "clamd running on $sock (var/clamav/clamd.log)"
fi
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && command -v redis-server >/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --logfile "$PWD/var/redis.log" >/dev/null && sleep 0.5
fi
if redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  # The worker and the scheduler are separate processes: a worker that dies
  # (or is restarted) leaves no scheduler behind, and there is one beat only.
  .venv/bin/celery -A config worker --pool=solo --loglevel=INFO \
    >var/celery.log 2>&1 &
  worker=$!
  # Its schedule is in the database (core.beat): change it in admin.
  .venv/bin/celery -A config beat --loglevel=INFO >var/celerybeat.log 2>&1 &
  beat=$!
  trap 'kill $worker $beat $(cat var/clamav/clamd.pid 2>/dev/null) 2>/dev/null || true' EXIT
  echo "Celery worker (var/celery.log) and beat (var/celerybeat.log) running"
else
  export CELERY_TASK_ALWAYS_EAGER=1
  echo "Redis is not available: checks run inside the request."
fi
$PY manage.py runserver 127.0.0.1:8000
