"""WSGI entry of the API bench: the project with the floor view of floor_urls.py added, so
gunicorn serves both from the same workers in the same run."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from django.conf import settings

settings.ROOT_URLCONF = "scripts.bench.floor_urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
