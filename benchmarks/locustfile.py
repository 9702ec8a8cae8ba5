"""The load test's user (`make bench` starts locust headless against gunicorn on 127.0.0.1).

Each simulated user takes one of the signed-in sessions benchmarks.run made (BENCH_SESSIONS,
comma-separated session keys) and GETs BENCH_PATH again and again with no pause: a page that
redirects (to sign in) or fails counts as an error.
"""

import itertools
import os

from locust import HttpUser, constant, task

_SESSIONS = itertools.cycle(os.environ["BENCH_SESSIONS"].split(","))
_PATH = os.environ["BENCH_PATH"]
_COOKIE = os.environ.get("BENCH_SESSION_COOKIE", "sessionid")


class SignedInUser(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.cookies.set(_COOKIE, next(_SESSIONS))

    @task
    def page(self):
        with self.client.get(_PATH, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
