"""Production settings: HTTPS-only cookies and headers, and no running without a secret."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DUMMY_KEY = "a-test-only-secret-key-long-and-random-enough-0123456789-abcdefghij"

PROBE = """
import json
import django
from django.conf import settings
django.setup()
names = [
    "DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "CSRF_COOKIE_SAMESITE",
    "X_FRAME_OPTIONS", "SECRET_KEY", "SECRET_KEY_FALLBACKS", "ALLOWED_HOSTS",
    "CONTENT_SECURITY_POLICY", "MIDDLEWARE",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def _run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(  # noqa: S603 -- our own interpreter on our own code
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def production():
    result = _run(PROBE, SECRET_KEY=DUMMY_KEY, ALLOWED_HOSTS="concord.example")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_is_enforced_and_remembered(production):
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is True


def test_cookies_are_secure_httponly_and_same_site(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert production["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")


def test_headers_refuse_sniffing_and_framing(production):
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["X_FRAME_OPTIONS"] == "DENY"
    directives = production["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "csp.middleware.CSPMiddleware" in production["MIDDLEWARE"]


def test_secret_comes_from_the_environment(production):
    assert production["SECRET_KEY"] == DUMMY_KEY
    assert production["ALLOWED_HOSTS"] == ["concord.example"]


def test_old_keys_are_accepted_during_a_rotation():
    result = _run(PROBE, SECRET_KEY=DUMMY_KEY, SECRET_KEY_FALLBACKS="old,older", ALLOWED_HOSTS="x.example")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["SECRET_KEY_FALLBACKS"] == ["old", "older"]


@pytest.mark.parametrize("secret", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_production_refuses_to_start_without_a_secret_key(secret):
    env = {"ALLOWED_HOSTS": "concord.example"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = _run(PROBE, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run(PROBE, SECRET_KEY=DUMMY_KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("database", ["as configured", "not there yet"])
def test_deploy_check_passes_at_warning_level(report_figure, database):
    # A deployment has neither the settings module of the tests nor the browser tests'
    # permission to run database calls from Playwright's event loop; a build host checks
    # before the database exists (the API schema, built by the check, must not need it).
    excluded = ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in excluded}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings.production")
    if database == "not there yet":
        environment.update(DATABASE_URL="postgres://postgres@127.0.0.1:5432/concord_not_created_yet")
    environment.update(SECRET_KEY=DUMMY_KEY, ALLOWED_HOSTS="concord.example")
    result = subprocess.run(  # noqa: S603 -- our own interpreter on our own code
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    if database == "as configured":
        report_figure(
            f"check --deploy (production settings): {result.stdout.strip() or result.stderr.strip()}"
        )
