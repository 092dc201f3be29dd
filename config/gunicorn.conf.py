"""Gunicorn settings of the web service. The Docker image, docker-compose and the API bench
(scripts/bench/api_load.py) all start gunicorn with this file, so the bench times the
configuration that is deployed. Environment variables override each value."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers, two per core and one more. A request is Python work between short database
# round trips, and threads of one process share one interpreter lock: on 2 cores with 20
# clients, 5 sync workers served the department list at 267 req/s, 5 workers of 4 threads
# at 210 (`make bench`, section api).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Exports and imports that outgrow a request go to Celery (issue 14); two minutes is the
# ceiling for what stays in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
