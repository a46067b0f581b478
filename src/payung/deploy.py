"""Start-up decisions settings.py takes from the environment (docs/decisions/0012, "Deployment").

The rule: the demo SECRET_KEY may only sign cookies where nobody else can reach the server, so ``make demo``
and the test suite need no configuration while a production start without a real key stops at once.
Settings load before Django's translation machinery, so the refusal is a plain Indonesian line (the
language of LANGUAGE_CODE) that ``payung`` and ``payung.wsgi`` print without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ImproperlyConfigured

DEMO_SECRET_KEY = "payung-demo-only-change-me-in-production-0123456789"
# Django's own deploy check calls a key weak below these (security.W009).
MIN_KEY_LENGTH = 50
MIN_KEY_CHARACTERS = 5
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# runserver options that take the next argument as their value (the rest are flags).
_RUNSERVER_VALUE_OPTIONS = frozenset({"--settings", "--pythonpath", "--verbosity", "-v"})
# Set by payung.wsgi, before the settings load, when a WSGI server imports it.
WSGI_SERVER = False
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class Refused(ImproperlyConfigured):
    """A setting that must not start Payung; its message is the one line the operator sees."""


def _loopback_address(host: str) -> bool:
    host = host.strip("[]")
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def _runserver_address(arguments: Sequence[str]) -> str:
    """The host `payung runserver [options] [addrport]` binds; runserver's default is 127.0.0.1."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument in _RUNSERVER_VALUE_OPTIONS:
            skip = True
        elif not argument.startswith("-"):
            return "127.0.0.1" if argument.isdigit() else argument.rsplit(":", 1)[0]
    return "::1" if {"-6", "--ipv6"} & set(arguments) else "127.0.0.1"


def reachable_beyond_loopback(
    argv: Sequence[str], allowed_hosts: Sequence[str], *, wsgi_server: bool
) -> bool:
    """Whether this process may answer other machines.

    A host name in ALLOWED_HOSTS says so; so does a WSGI server (gunicorn, uWSGI, mod_wsgi: payung.wsgi
    sets WSGI_SERVER before the settings load; runserver loads it only after them); and so does runserver
    bound to a non-loopback address: ALLOWED_HOSTS alone does not keep a request with a forged Host out.
    Other commands (migrate, import, the test suite) listen to nobody.
    """
    if any(not _loopback_address(host.strip()) for host in allowed_hosts):
        return True
    if wsgi_server:
        return True
    if list(argv[1:2]) == ["runserver"]:
        return not _loopback_address(_runserver_address(argv[2:]))
    return False


def weak_secret_key(key: str) -> bool:
    return key == DEMO_SECRET_KEY or len(key) < MIN_KEY_LENGTH or len(set(key)) < MIN_KEY_CHARACTERS


def secret_key(configured: str, *, local: bool) -> str:
    """The key to sign sessions and CSRF tokens with; Refused when a served instance has none."""
    key = configured or DEMO_SECRET_KEY
    if weak_secret_key(key) and not local:
        raise Refused(
            "Payung tidak dijalankan: PAYUNG_SECRET_KEY kosong, terlalu pendek, atau masih kunci demo, "
            f"padahal server ini dapat dijangkau dari luar. Isi PAYUNG_SECRET_KEY dengan {MIN_KEY_LENGTH} "
            "karakter acak atau lebih (lihat bagian Deployment di README)."
        )
    return key


def flag(environ: dict, name: str, default: bool) -> bool:
    value = environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise Refused(f"Payung tidak dijalankan: {name} harus 1 atau 0, bukan {value!r}.")


def number(environ: dict, name: str, default: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    if value.isdigit():
        return int(value)
    raise Refused(f"Payung tidak dijalankan: {name} harus bilangan bulat, bukan {value!r}.")


def proxy_ssl_header(header: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto` -> Django's META key and the value a TLS-terminating proxy sets; unset: None."""
    header = header.strip()
    if not header:
        return None
    return "HTTP_" + header.upper().replace("-", "_"), "https"
