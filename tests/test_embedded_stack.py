"""`make run`'s embedded stack, started the way `make run` starts it: SQLite, Celery's filesystem
broker, gunicorn and one worker with beat inside, from scripts/run.sh. A head signs in over real
HTTP, invites a member of staff, and sees the invitation sent by the worker on the outbox page.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, and the CSRF token Django asks forms to carry."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.status, response.read().decode()

    def post(self, path: str, data: dict) -> tuple[int, str]:
        self.get(path)  # sets the CSRF cookie
        token = next(c.value for c in self.cookies if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(
            self.base + path, data=body.encode(), headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.read().decode()


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        time.sleep(0.5)
    pytest.fail(f"gave up waiting for {what}")


_NOT_INHERITED = {
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "EMAIL_BACKEND",
    "HARBOUR_ALLOW_DEV_KEY",
}


@pytest.fixture
def embedded_stack(tmp_path):
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        # The embedded default is what is left when no server is configured, and make run
        # itself must say it is a demo (HARBOUR_ALLOW_DEV_KEY), not inherit it from the tests.
        if key not in _NOT_INHERITED
    }
    env.update(HARBOUR_VAR_DIR=str(tmp_path / "var"), PORT=str(port), TWO_FACTOR_REQUIRED="false")
    log = (tmp_path / "run.log").open("w")
    process = subprocess.Popen(
        ["bash", "scripts/run.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, as a terminal gives `make run`
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: Browser(base).get("/healthz")[0] == 200, 120, "Harbour to start")
        yield base, tmp_path / "var"
    finally:
        # Ctrl-C in the terminal: SIGINT to the whole group.
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("make run did not stop on Ctrl-C:\n" + (tmp_path / "run.log").read_text())
        log.close()
        # Every process `make run` started (gunicorn, its workers, celery) has gone too.
        _wait_for(lambda: not _group_alive(process.pid), 20, "every process to stop")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_run_serves_the_demo_and_its_worker_sends_email(embedded_stack):
    base, var = embedded_stack
    head = Browser(base)
    status, page = head.post(
        "/accounts/login/",
        {"username": "head@fenbridge.example", "password": "harbour-demo-password"},
    )
    assert status == 200
    assert "Fenbridge Academy" in page
    assert "Two-factor sign-in is turned off" in page

    status, _ = head.post(
        "/accounts/staff/invite/",
        {
            "email": "new.teacher@fenbridge.example",
            "full_name": "Nia Evans",
            "roles": ["staff"],
        },
    )
    assert status == 200

    def outbox_shows_sent():
        _, outbox = head.get("/outbox/")
        row = re.search(r"new\.teacher@fenbridge\.example.*?</tr>", outbox, re.S)
        return row and "Sent" in row.group(0)

    _wait_for(outbox_shows_sent, 60, "the worker to send the invitation")
    sent = list((var / "mail").glob("*.log"))
    assert any("new.teacher@fenbridge.example" in f.read_text() for f in sent)
