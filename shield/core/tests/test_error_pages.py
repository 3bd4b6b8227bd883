"""`make demo` runs with DEBUG off, so a visitor sees Shield's own 404/500 pages, never Django's debug
page listing every URL pattern."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

ROOT = Path(__file__).resolve().parents[3]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom)]


def demo_debug_default() -> str:
    """The DEBUG value `make demo` serves with: its recipe runs scripts/demo_serve.sh, which
    exports DEBUG before it starts runserver."""
    recipe = (ROOT / "Makefile").read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "scripts/demo_serve.sh" in recipe, f"make demo no longer runs the demo launcher: {recipe!r}"
    launcher = (ROOT / "scripts" / "demo_serve.sh").read_text()
    assert "runserver" in launcher.split("export DEBUG=", 1)[1], "DEBUG is set after the server starts"
    found = re.search(r"^export DEBUG=\$\{DEBUG:-(\w+)\}$", launcher, re.MULTILINE)
    assert found, "scripts/demo_serve.sh does not set DEBUG"
    return found.group(1)


def test_make_demo_serves_with_debug_off():
    assert demo_debug_default() == "False"


def test_a_missing_page_under_the_demo_settings_is_the_friendly_404():
    """The demo's own settings module and environment, in a fresh process (settings load once)."""
    script = (
        "import django, os; django.setup();"
        "from django.conf import settings; from django.test import Client;"
        "r = Client(HTTP_HOST='127.0.0.1').get('/no-such-page/', HTTP_ACCEPT_LANGUAGE='en');"
        "s = Client(HTTP_HOST='127.0.0.1').get('/static/css/shield.css');"
        "print(settings.DEBUG, r.status_code, s.status_code);"
        "print(r.content.decode())"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": demo_debug_default(),
        "DATABASE_URL": "sqlite:////nonexistent/never-opened.sqlite3",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    first, page = done.stdout.split("\n", 1)
    assert first == "False 404 200"
    assert "There is nothing here, or it is not in your scope." in page
    assert "URLconf" not in page
    assert "admin/" not in page


@pytest.mark.urls(__name__)
def test_a_server_error_renders_the_standalone_500_page():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "a bug" not in body
    assert "Traceback" not in body


def test_a_bad_request_renders_the_400_page():
    response = Client().get("/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
