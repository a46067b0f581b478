import os

from django.core.wsgi import get_wsgi_application

from payung import deploy

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.settings")
deploy.WSGI_SERVER = True  # runserver gets here only after the settings: it decides by its address
try:
    application = get_wsgi_application()
except deploy.Refused as refused:  # e.g. the demo key on a served instance: one line for the server's log
    raise SystemExit(f"payung: {refused}") from None
