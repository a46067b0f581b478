"""Django settings. Everything a deployment changes comes from the environment."""

import datetime as dt
import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from payung import deploy

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("PAYUNG_VAR", "var")).resolve()

DEBUG = deploy.flag(os.environ, "PAYUNG_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("PAYUNG_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
# Local: the demo, the test suite, commands; not local: anything other machines can reach (see deploy.py).
PAYUNG_LOCAL = DEBUG or not deploy.reachable_beyond_loopback(
    sys.argv, ALLOWED_HOSTS, wsgi_server=deploy.WSGI_SERVER
)
SECRET_KEY = deploy.secret_key(os.environ.get("PAYUNG_SECRET_KEY", ""), local=PAYUNG_LOCAL)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "payung.regions",
    "payung.accounts",
    "payung.audit",
    "payung.registry",
    "payung.rules",
    "payung.coverage",
    "payung.contributions",
    "payung.reconcile",
    "payung.claims",
    "payung.budget",
    "payung.monitoring",
    "payung.web",
    "payung.demo",
    "ninja",  # serves Swagger UI's files from the package: the API docs page loads nothing from a CDN
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "payung.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "payung.web.acting.ActingRegionMiddleware",  # a national admin's chosen kab/kota (decision 0018)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout flagged during the request into its page
]

ROOT_URLCONF = "payung.urls"
WSGI_APPLICATION = "payung.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "payung.web.acting.context",
            ]
        },
    }
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "sqlite:///var/payung.sqlite3")
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"].endswith("sqlite3"):
        if config["NAME"] and config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets readers run during an import; IMMEDIATE avoids "database is locked" on upgrade.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
            "transaction_mode": "IMMEDIATE",
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username + address before any check
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttle: after AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair
# is refused for the cool-off time (right password or not); `payung axes_reset_username NAME` lifts it.
AXES_FAILURE_LIMIT = deploy.number(os.environ, "PAYUNG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=deploy.number(os.environ, "PAYUNG_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "payung.web.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "payung.security.client_ip"
# Behind a reverse proxy every request comes from the proxy: name the header it sets to the client's address.
PAYUNG_CLIENT_IP_HEADER = os.environ.get("PAYUNG_CLIENT_IP_HEADER", "")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA: NTT's time zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the packages by WhiteNoise; production may collect them with collectstatic.
STATIC_ROOT = os.environ.get("PAYUNG_STATIC_ROOT") or None
MEDIA_ROOT = VAR_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PAYUNG_MAX_UPLOAD_BYTES = deploy.number(os.environ, "PAYUNG_MAX_UPLOAD_BYTES", 60 * 1024 * 1024)

# A working day, and gone with the browser: offices share computers.
SESSION_COOKIE_AGE = deploy.number(os.environ, "PAYUNG_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # a browser script calling the API reads it for X-CSRFToken (no secret)
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"

# HTTPS: on by default wherever other machines can reach the server (a local demo has no certificate).
PAYUNG_HTTPS = deploy.flag(os.environ, "PAYUNG_HTTPS", not PAYUNG_LOCAL)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PAYUNG_HTTPS
SECURE_SSL_REDIRECT = deploy.flag(os.environ, "PAYUNG_SSL_REDIRECT", PAYUNG_HTTPS)
SECURE_HSTS_SECONDS = deploy.number(os.environ, "PAYUNG_HSTS_SECONDS", 365 * 24 * 3600 if PAYUNG_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = deploy.flag(os.environ, "PAYUNG_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = deploy.flag(os.environ, "PAYUNG_HSTS_PRELOAD", False)
# Only behind a proxy that terminates TLS and always sets this header; trusting it elsewhere lets a
# client claim HTTPS.
SECURE_PROXY_SSL_HEADER = deploy.proxy_ssl_header(os.environ.get("PAYUNG_PROXY_SSL_HEADER", ""))
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page loads only its own static files (no inline script or style; Swagger UI from the package).
PAYUNG_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PAYUNG_LOG_LEVEL", "WARNING")},
}
