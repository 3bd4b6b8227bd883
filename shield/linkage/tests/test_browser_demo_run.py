"""In the demo, a linkage run started from the page finishes: the real launcher (scripts/demo_serve.sh)
runs the server and the task worker against a temporary SQLite file (the test database, in memory,
cannot be shared with another process); stopping the launcher leaves no worker behind."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

PASSWORD = "shield-demo-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _processes_with(marker: str) -> list[int]:
    """Processes whose environment holds `marker` (the temporary database's path)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _wait_for(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the demo server did not listen on {port} within {seconds}s")


def test_a_linkage_run_in_the_demo_finishes(chromium, tmp_path):
    from playwright.sync_api import expect

    database = tmp_path / "demo.sqlite3"
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{database}",
        "SHIELD_DEMO_ADDR": f"127.0.0.1:{port}",
        "PYTHON": sys.executable,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    root = Path(settings.BASE_DIR)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=root, env=env, check=True, capture_output=True)
    subprocess.run(
        [*manage, "demo_data", "--persons", "40", "--screenings", "0", "--no-linkage"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    launcher = subprocess.Popen(
        ["bash", "scripts/demo_serve.sh"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        _wait_for(port, 30)
        base = f"http://127.0.0.1:{port}"
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}/linkage/runs/new/")
        page.locator("input[name=confirm]").check()
        page.get_by_test_id("run-confirm").click()
        # The page polls every 2 s; the worker takes the run within a second or two.
        expect(page.get_by_test_id("run-status")).to_have_text("Finished", timeout=40000)
        expect(page.get_by_test_id("run-summary")).to_be_visible()
    finally:
        context.close()
        launcher.send_signal(signal.SIGTERM)
        try:
            launcher.wait(timeout=20)
        finally:
            left = _processes_with(str(database))
            for pid in left:
                os.kill(pid, signal.SIGKILL)
    assert left == [], "the launcher left processes behind"
