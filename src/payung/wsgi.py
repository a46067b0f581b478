import os

from django.core.wsgi import get_wsgi_application

from payung.deploy import Refused

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
try:
    application = get_wsgi_application()
except Refused as refused:  # e.g. the demo key on a served instance: one line for the server's log
    raise SystemExit(f"payung: {refused}") from None
