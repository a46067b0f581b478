"""Production settings come from the environment, and a served instance refuses to start on the demo key.

Each case starts `payung` (or imports payung.wsgi, as a WSGI server does) in a fresh process with a given
environment: the settings are read once per process, so this is the only honest way to see them.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from payung import deploy

SOURCE = str(Path(deploy.__file__).resolve().parents[1])  # the child imports the code under test
STRONG_KEY = secrets.token_urlsafe(50)
PRODUCTION = {"PAYUNG_ALLOWED_HOSTS": "payung.kupangkota.go.id"}
REFUSAL = "Payung tidak dijalankan: PAYUNG_SECRET_KEY kosong, terlalu pendek, atau masih kunci demo"


def run(tmp_path: Path, *argv: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PAYUNG_", "DJANGO_", "DATABASE_URL"))}
    clean |= {"PYTHONPATH": SOURCE, "PAYUNG_VAR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db"}
    return subprocess.run(
        [sys.executable, *argv], env=clean | env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def payung(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(tmp_path, "-m", "payung.cli", *args, env=env)


def assert_refused(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one line
    assert REFUSAL in result.stderr


@pytest.mark.parametrize(
    "key", ["", deploy.DEMO_SECRET_KEY, "pendek-sekali", "a" * 60], ids=["empty", "demo", "short", "one-char"]
)
def test_a_production_host_with_a_weak_key_is_refused_in_one_indonesian_line(tmp_path, key):
    assert_refused(payung(tmp_path, "check", "--deploy", env={**PRODUCTION, "PAYUNG_SECRET_KEY": key}))


def test_a_wsgi_server_with_the_demo_key_is_refused_even_with_local_hosts(tmp_path):
    # gunicorn & co. import payung.wsgi; a proxy may forward Host: 127.0.0.1, so local hosts prove nothing.
    assert_refused(run(tmp_path, "-c", "import payung.wsgi", env={}))


def test_runserver_on_every_interface_with_the_demo_key_is_refused(tmp_path):
    assert_refused(payung(tmp_path, "runserver", "--noreload", "0.0.0.0:8765", env={}))


@pytest.mark.parametrize(
    ("argv", "reachable"),
    [
        (["payung", "runserver"], False),
        (["payung", "runserver", "127.0.0.1:8000"], False),  # make demo
        (["payung", "runserver", "8000"], False),
        (["payung", "runserver", "--noreload", "[::1]:8000"], False),
        (["payung", "runserver", "--settings", "payung.settings", "localhost:8000"], False),
        (["payung", "runserver", "0.0.0.0:8000"], True),
        (["payung", "runserver", "--noreload", "10.0.0.5:8000"], True),
        (["payung", "runserver", "-6"], False),
        (["payung", "migrate"], False),
        (["pytest", "tests"], False),
    ],
)
def test_which_starts_are_reachable_from_other_machines(argv, reachable):
    assert deploy.reachable_beyond_loopback(argv, ["127.0.0.1", "localhost"], wsgi_server=False) is reachable


def test_the_demo_and_the_test_suite_need_no_configuration(tmp_path):
    result = payung(tmp_path, "check", env={})
    assert result.returncode == 0, result.stderr


def test_debug_allows_the_demo_key_anywhere(tmp_path):
    result = payung(tmp_path, "check", env={**PRODUCTION, "PAYUNG_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_a_mistyped_switch_is_refused_rather_than_read_as_off(tmp_path):
    env = {**PRODUCTION, "PAYUNG_SECRET_KEY": STRONG_KEY, "PAYUNG_HTTPS": "ya"}
    result = payung(tmp_path, "check", env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "PAYUNG_HTTPS harus 1 atau 0" in result.stderr


def test_check_deploy_is_clean_with_a_production_environment(tmp_path):
    env = {
        **PRODUCTION,
        "PAYUNG_SECRET_KEY": STRONG_KEY,
        "PAYUNG_HSTS_INCLUDE_SUBDOMAINS": "1",
        "PAYUNG_HSTS_PRELOAD": "1",
    }
    result = payung(tmp_path, "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


# Runs inside `payung shell`: the login page over HTTPS and over plain HTTP, as the production settings
# answer them; prints what the browser would get.
PROBE = """
import json
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="payung.kupangkota.go.id")
page = client.get("/masuk/", secure=True)
plain = client.get("/masuk/")
proxied = client.get("/masuk/", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "status": page.status_code,
    "headers": dict(page.headers),
    "csrf_cookie": page.cookies["csrftoken"].output(),
    "plain": [plain.status_code, plain.headers.get("Location")],
    "proxied": proxied.status_code,
    "session": [
        settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_AGE
    ],
}))
"""


def probe(tmp_path: Path, env: dict[str, str]) -> dict:
    env = {**PRODUCTION, "PAYUNG_SECRET_KEY": STRONG_KEY, **env}
    result = payung(tmp_path, "shell", "-c", PROBE, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_production_start_sends_hsts_secure_cookies_and_redirects_to_https(tmp_path):
    seen = probe(tmp_path, {})
    assert seen["status"] == 200
    headers = seen["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Secure" in seen["csrf_cookie"] and "SameSite=Lax" in seen["csrf_cookie"]
    assert seen["plain"] == [301, "https://payung.kupangkota.go.id/masuk/"]
    assert seen["proxied"] == 301  # a client's X-Forwarded-Proto is not trusted unless configured
    assert seen["session"] == [True, True, 8 * 3600]


def test_hsts_options_and_a_proxy_header_come_from_the_environment(tmp_path):
    env = {
        "PAYUNG_HSTS_SECONDS": "600",
        "PAYUNG_HSTS_INCLUDE_SUBDOMAINS": "1",
        "PAYUNG_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "PAYUNG_SESSION_HOURS": "4",
    }
    seen = probe(tmp_path, env)
    assert seen["headers"]["Strict-Transport-Security"] == "max-age=600; includeSubDomains"
    assert seen["proxied"] == 200 and seen["plain"][0] == 301
    assert seen["session"][2] == 4 * 3600


def test_a_local_demo_gets_plain_http_cookies_and_no_hsts(tmp_path):
    seen = probe(tmp_path, {"PAYUNG_ALLOWED_HOSTS": "payung.kupangkota.go.id", "PAYUNG_HTTPS": "0"})
    assert "Strict-Transport-Security" not in seen["headers"]
    assert seen["plain"][0] == 200 and seen["session"][0] is False
