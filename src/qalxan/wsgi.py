import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qalxan.settings")
application = get_wsgi_application()

# Load every module's URLs and views when the worker starts rather than on its first request, so that
# no request waits a second or two behind the imports after a (re)start.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
