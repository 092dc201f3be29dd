"""The Celery application: Redis broker in production, in-process when REDIS_URL is unset."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("socialorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
