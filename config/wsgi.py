import os

from django.core.wsgi import get_wsgi_application

# Safe default: a server started without saying otherwise runs the production settings
# (which refuse to start without a real SECRET_KEY); `make run` chooses dev explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()
