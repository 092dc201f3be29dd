#!/usr/bin/env bash
# Serve the site for `make run`. With REDIS_URL set, a real Celery worker and beat run beside
# the web server (and stop with it); without it, tasks run in-process.
set -euo pipefail
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
cd "$(dirname "$0")/.."
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A config worker -l warning --concurrency 2 & pids+=($!)
  .venv/bin/celery -A config beat -l warning & pids+=($!)
  echo "Celery worker and beat started against $REDIS_URL"
else
  echo "REDIS_URL 未设置：后台任务在进程内执行。"
fi
echo "打开 http://$HOST:$PORT/admin/"
.venv/bin/python manage.py runserver "$HOST:$PORT"
