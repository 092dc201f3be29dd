"""The Celery application: Redis broker in production, in-process when REDIS_URL is unset."""

import os

from celery import Celery

# Safe default, as in wsgi.py: workers run production settings unless told otherwise
# (`make worker`, `make beat` and scripts/serve.sh pass DJANGO_SETTINGS_MODULE).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("socialorg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
