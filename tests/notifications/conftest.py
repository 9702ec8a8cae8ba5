"""Real infrastructure for the outbox's tests: the Redis broker from the environment, Celery
workers running in threads of this process, and an SMTP server (aiosmtpd) on a free port.

Workers read and write the database from their own threads, so every test that starts one uses
``transactional_db``: rows must be committed for a worker to see them. Celery's Django fixup
closes each worker thread's database connection after every task, so none is left open when
the test database is dropped.
"""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.db import connections
from kombu.asynchronous import set_event_loop

from config.celery import app as celery_app

WAIT_SECONDS = 15


def wait_until(condition: Callable[[], object], *, timeout: float = WAIT_SECONDS, what: str = ""):
    """Poll ``condition`` until it returns something truthy, for at most ``timeout`` seconds.
    Returns that value; fails the test with ``what`` if it never comes."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"Waited {timeout} s for {what or condition}")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- SMTP ------------------------------------------------------------------------------------


@dataclass
class SmtpInbox:
    """What the SMTP server received: one envelope per message accepted."""

    envelopes: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def __len__(self) -> int:
        with self.lock:
            return len(self.envelopes)


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpInbox]:
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    inbox = SmtpInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def refusing_smtp(settings) -> int:
    """Django's SMTP backend pointed at a port where nothing listens: connection refused."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    return port


# --- Celery ----------------------------------------------------------------------------------


@pytest.fixture
def broker():
    """Harbour's Celery app on the Redis broker of the environment, its task queue empty before
    and after the test (a stopped worker hands unstarted tasks back to the queue)."""
    url = celery_app.conf.broker_url or ""
    if not url.startswith("redis://"):
        pytest.fail(f"The outbox tests need the Redis broker (`make test`), not {url!r}")
    # Leave pytest's log capture alone: by default a worker replaces the root logger's handlers.
    hijack = celery_app.conf.worker_hijack_root_logger
    celery_app.conf.worker_hijack_root_logger = False
    celery_app.control.purge()
    try:
        yield celery_app
    finally:
        celery_app.control.purge()
        celery_app.conf.worker_hijack_root_logger = hijack


def queued_task_count(app) -> int:
    """Tasks waiting in the default queue (none has been taken by a worker)."""
    with app.connection_for_read() as conn:
        return conn.default_channel.client.llen(app.conf.task_default_queue)


@dataclass
class TaskRun:
    name: str
    args: tuple
    retval: object
    thread: str  # which worker thread ran it, for reading a failure


@dataclass
class TaskLog:
    """Every task that finished in a worker of this process during the test."""

    runs: list[TaskRun] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, sender=None, args=None, retval=None, **kwargs) -> None:
        with self.lock:
            self.runs.append(
                TaskRun(sender.name, tuple(args or ()), retval, threading.current_thread().name)
            )

    def of(self, name: str) -> list[TaskRun]:
        with self.lock:
            return [run for run in self.runs if run.name == name]

    def wait_for(self, name: str, count: int) -> list[TaskRun]:
        wait_until(lambda: len(self.of(name)) >= count, what=f"{count} runs of {name}")
        return self.of(name)


@pytest.fixture
def task_log() -> Iterator[TaskLog]:
    log = TaskLog()
    signals.task_postrun.connect(log.record, weak=False)
    try:
        yield log
    finally:
        signals.task_postrun.disconnect(log.record)


@pytest.fixture
def workers(broker, transactional_db):
    """``with workers(2):`` runs that many Celery workers, each with two threads, on the
    broker until the block ends."""

    @contextmanager
    def run(count: int = 1, concurrency: int = 2):
        with ExitStack() as stack:
            for number in range(count):
                # A worker adopts kombu's process-wide event loop if one exists: two workers on
                # one loop, driven from two threads, now and then hang in a blocking read of
                # Redis. Each worker gets its own loop, as it would in its own process.
                set_event_loop(None)
                stack.enter_context(
                    start_worker(
                        broker,
                        pool="threads",
                        concurrency=concurrency,
                        perform_ping_check=False,
                        hostname=f"outbox-test-{number}@localhost",
                        shutdown_timeout=30,
                    )
                )
            yield
        set_event_loop(None)
        # The worker threads closed their own connections after each task; this is the test's.
        connections.close_all()

    return run
