"""The WSGI application gunicorn serves: ``gunicorn -w 2 shop.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application  # type: ignore[import-untyped]

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
application = get_wsgi_application()
