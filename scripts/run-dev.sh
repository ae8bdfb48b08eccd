#!/usr/bin/env bash
# `make run`'s server: Django's development server with a real Celery worker
# (and beat) beside it when Redis answers or can be started; without Redis the
# checks run inside the request instead (CELERY_TASK_ALWAYS_EAGER).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && command -v redis-server >/dev/null; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --logfile "$PWD/var/redis.log" >/dev/null && sleep 0.5
fi
if redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  .venv/bin/celery -A config worker -B --pool=solo --loglevel=INFO \
    --schedule=var/celerybeat-schedule >var/celery.log 2>&1 &
  worker=$!
  trap 'kill $worker 2>/dev/null || true' EXIT
  echo "Celery worker and beat running (log: var/celery.log)"
else
  export CELERY_TASK_ALWAYS_EAGER=1
  echo "Redis is not available: checks run inside the request."
fi
$PY manage.py runserver 127.0.0.1:8000
