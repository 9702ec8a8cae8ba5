"""`make bench`: generate a synthetic local authority, measure Harbour against its floor, and
write bench/results.json and the results part of docs/benchmarks.md.

    python -m benchmarks.run --scale small|full [--no-load]

Runs against the database in DATABASE_URL (scripts/bench.sh starts a throwaway PostgreSQL and
Redis, exactly as `make test` does, and stops them afterwards). Pages are measured in this
process with Django's test client (warm; the median of ``page_rounds`` requests; the SQL
queries of one request); the load test starts gunicorn on 127.0.0.1 and locust headless.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import json
import os
import pkgutil
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_JSON = ROOT / "bench" / "results.json"
RESULTS_MD = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:results -->", "<!-- /bench:results -->"
NOT_BUILT = "not built yet"
PAGE_RATIO_TARGET, PAGE_QUERY_TARGET, SWEEP_SECONDS, PDF_SECONDS, IMPORT_RATIO = 5, 30, 10, 5, 3


def _discover() -> None:
    import benchmarks.generators
    import benchmarks.measures

    for package in (benchmarks.generators, benchmarks.measures):
        for module in pkgutil.iter_modules(package.__path__):
            if module.name != "placeholders":
                importlib.import_module(f"{package.__name__}.{module.name}")
    # Last, so an app's own registration wins over its placeholder.
    importlib.import_module("benchmarks.measures.placeholders")


def _say(message: str) -> None:
    print(f"    {message}", flush=True)


# --- Data ------------------------------------------------------------------------------------
def generate(ctx) -> dict:
    from django.db import connection

    from benchmarks.registry import generators_in_order

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    for gen in generators_in_order():
        t = time.perf_counter()
        gen.function(ctx)
        seconds[gen.name] = round(time.perf_counter() - t, 2)
        _say(f"generated {gen.name} in {seconds[gen.name]} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum would have done by the morning after
    total = round(time.perf_counter() - started, 2)
    return {"seconds": total, "by_generator": seconds, "rows": ctx.counts}


# --- Measurements ------------------------------------------------------------------------------
def _timed_queries(function):
    """The function's value, seconds and SQL statements. Counted with an execute wrapper, not
    CaptureQueriesContext: Django keeps only the last 9,000 queries, so a sweep bigger than
    that would read as 0 (the first full run's sweep counts after the first were)."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        value = function()
        seconds = time.perf_counter() - started
    return value, seconds, count


def measure_page(ctx, m, client, floor_ms: float | None) -> dict:
    url = m.function(ctx)
    if not isinstance(url, str):
        client, url = url
    for _ in range(3):  # warm: templates compiled, connections open, caches filled
        response = client.get(url)
        assert response.status_code == 200, f"{m.name}: {url} gave {response.status_code}"
    times = []
    for _ in range(ctx.scale.page_rounds):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    _, _, queries = _timed_queries(lambda: client.get(url))
    median = statistics.median(times)
    result = {
        "url": url,
        "median_ms": round(median, 2),
        "p90_ms": round(statistics.quantiles(times, n=10)[-1], 2),
        "rounds": len(times),
        "queries": queries,
    }
    if floor_ms is not None:
        result["ratio_to_floor"] = round(median / floor_ms, 2)
        # A whole-school download has no ratio target, only the query one.
        within = "x floor" not in m.target or result["ratio_to_floor"] <= PAGE_RATIO_TARGET
        result["met"] = within and queries < PAGE_QUERY_TARGET
    return result


def measure_timed(ctx, m, rounds: int = 1) -> dict:
    runs = []
    for _ in range(rounds):
        value, seconds, queries = _timed_queries(lambda: m.function(ctx))
        runs.append({"seconds": round(seconds, 3), "queries": queries, "outcome": value})
    result = (
        dict(runs[0])
        if rounds == 1
        else {
            "seconds": round(statistics.median(r["seconds"] for r in runs), 3),
            "queries": runs[0]["queries"],
            "rounds": rounds,
        }
    )
    if m.kind == "sweep" and m.options.get("repeat"):
        value, seconds, queries = _timed_queries(lambda: m.function(ctx))
        result["repeat"] = {"seconds": round(seconds, 3), "queries": queries, "outcome": value}
    limit = SWEEP_SECONDS if m.kind == "sweep" else PDF_SECONDS
    result["met"] = result["seconds"] < limit
    return result


def measure_import(ctx, m) -> dict:
    result = m.function(ctx)
    result["rows_per_second"] = round(result["rows"] / result["seconds"])
    result["floor_rows_per_second"] = round(result["rows"] / result["floor_seconds"])
    result["ratio_to_copy"] = round(result["seconds"] / result["floor_seconds"], 1)
    for key in ("seconds", "floor_seconds", "preview_seconds"):
        if key in result:
            result[key] = round(result[key], 3)
    if m.target:
        result["met"] = result["ratio_to_copy"] <= IMPORT_RATIO
    return result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not listen on 127.0.0.1:{port}")


def _warm(port: int, paths: list[str], session: str, workers: int) -> None:
    """A few requests per worker first, so the first seconds of load do not time each
    worker's imports and template compilation."""
    import urllib.request

    from django.conf import settings

    for path in paths:
        for _ in range(4 * workers):
            request = urllib.request.Request(  # noqa: S310 (loopback, http)
                f"http://127.0.0.1:{port}{path}",
                headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
            )
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()


def measure_load(ctx, loads) -> dict:
    from django.conf import settings

    from benchmarks.sessions import session_key

    bin_dir = Path(sys.executable).parent
    workers = os.cpu_count() or 1
    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="benchmarks.settings")
    users = max(ctx.scale.load_users)
    sessions = [
        session_key(ctx.dt_user_id, ctx.dt_device_id, ctx.largest_school_id) for _ in range(users)
    ]
    server = subprocess.Popen(  # noqa: S603
        [
            str(bin_dir / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    results: dict = {}
    try:
        _wait_for(port, 30)
        _warm(port, [m.function(ctx) for m in loads], sessions[0], workers)
        with tempfile.TemporaryDirectory() as folder:
            for m in loads:
                path = m.function(ctx)
                for n in ctx.scale.load_users:
                    prefix = f"{folder}/{m.name}-{n}"
                    _say(f"load: {n} users on {m.name} for {ctx.scale.load_seconds} s")
                    subprocess.run(  # noqa: S603
                        [
                            str(bin_dir / "locust"),
                            "-f",
                            str(ROOT / "benchmarks/locustfile.py"),
                            "--headless",
                            "-u",
                            str(n),
                            "-r",
                            str(n),
                            "-t",
                            f"{ctx.scale.load_seconds}s",
                            "--host",
                            f"http://127.0.0.1:{port}",
                            "--csv",
                            prefix,
                            "--only-summary",
                            "--stop-timeout",
                            "5",
                            "--loglevel",
                            "WARNING",
                        ],
                        cwd=ROOT,
                        timeout=ctx.scale.load_seconds + 90,
                        check=False,
                        stdout=subprocess.DEVNULL,
                        env=dict(
                            env,
                            BENCH_SESSIONS=",".join(sessions[:n]),
                            BENCH_PATH=path,
                            BENCH_SESSION_COOKIE=settings.SESSION_COOKIE_NAME,
                        ),
                    )
                    with open(f"{prefix}_stats.csv", newline="") as f:
                        row = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
                    results.setdefault(m.name, {"url": path})[str(n)] = {
                        "users": n,
                        "seconds": ctx.scale.load_seconds,
                        "requests": int(row["Request Count"]),
                        "errors": int(row["Failure Count"]),
                        "requests_per_second": round(float(row["Requests/s"]), 1),
                        "p50_ms": float(row["50%"]),
                        "p95_ms": float(row["95%"]),
                    }
                results[m.name]["met"] = all(
                    v["errors"] == 0 for k, v in results[m.name].items() if k.isdigit()
                )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    results["_server"] = {"workers": workers, "bind": "127.0.0.1", "server": "gunicorn (sync)"}
    return results


# --- The run -------------------------------------------------------------------------------------
def machine() -> dict:
    from django.db import connection

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        memory_kb = 0
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "hostname": platform.node(),
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "note": "shared with other engineers' work: figures vary from run to run",
    }


def run(scale_name: str, *, load_test: bool) -> dict:
    import django
    from django.core.management import call_command

    django.setup()
    _discover()
    from benchmarks.context import SCALES, Context
    from benchmarks.registry import KINDS, MEASUREMENTS
    from benchmarks.sessions import signed_in_client

    ctx = Context(SCALES[scale_name])
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "scale": scale_name,
        "scale_parameters": {k: v for k, v in vars(ctx.scale).items() if k != "name"},
        "today": ctx.today.isoformat(),
    }
    results["machine"] = machine()
    _say("generating the local authority")
    results["data"] = generate(ctx)
    from benchmarks.measures.placeholders import DATA_NOT_BUILT

    results["data"]["not_built_yet"] = DATA_NOT_BUILT
    client = signed_in_client(ctx.dt_user_id, ctx.dt_device_id, ctx.largest_school_id)
    by_kind = {k: [m for m in MEASUREMENTS.values() if m.kind == k] for k in KINDS}
    floor = MEASUREMENTS[("page", "floor")]
    floor_result = measure_page(ctx, floor, client, None)
    floor_ms = floor_result["median_ms"]
    for kind in KINDS:
        section = results.setdefault(kind + "s", {})
        built = [m for m in by_kind[kind] if m.built]
        if kind == "load" and built:
            if load_test:
                section.update(measure_load(ctx, built))
            else:
                for m in built:
                    section[m.name] = {"skipped": "--no-load"}
        for m in by_kind[kind]:
            if not m.built:
                section[m.name] = {"status": NOT_BUILT, "app": m.app}
            elif kind == "page":
                _say(f"page {m.name}")
                section[m.name] = (
                    (floor_result | {"ratio_to_floor": 1.0})
                    if m is floor
                    else (measure_page(ctx, m, client, floor_ms))
                )
            elif kind in ("pdf", "sweep"):
                _say(f"{kind} {m.name}")
                section[m.name] = measure_timed(
                    ctx, m, rounds=ctx.scale.pdf_rounds if kind == "pdf" else 1
                )
            elif kind == "import":
                _say(f"import {m.name}")
                section[m.name] = measure_import(ctx, m)
            section[m.name]["description"] = m.description
            if m.target:
                section[m.name]["target"] = m.target
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


# --- Writing -------------------------------------------------------------------------------------
def _met(entry: dict) -> str:
    if entry.get("status") == NOT_BUILT:
        return NOT_BUILT
    if "met" not in entry:
        return ""
    return "met" if entry["met"] else "**missed**"


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"Run on **{results['date']}**, scale **{results['scale']}** "
        f"({results['scale_parameters']['schools']} schools, "
        f'{results["scale_parameters"]["children"]:,} children), "today" {results["today"]}, '
        f"{results['seconds']} s in all.",
        "",
        f"Machine: {m['cpu'] or 'unknown CPU'}, {m['cores']} cores, {m['memory_gb']} GB, "
        f"{m['os']}, Python {m['python']}, PostgreSQL {m['postgresql']} "
        f"({m['note']}).",
        "",
        f"### Data: generated in {results['data']['seconds']} s",
        "",
        "| Rows | Count |",
        "|---|---:|",
    ]
    lines += [f"| {k} | {v:,} |" for k, v in results["data"]["rows"].items()]
    lines += [
        "",
        "Generators (s): "
        + ", ".join(f"{k} {v}" for k, v in results["data"]["by_generator"].items())
        + ".",
        "",
    ]
    if results["data"].get("not_built_yet"):
        lines += [
            "Not generated yet (their apps are not in this tree): "
            + "; ".join(f"{v} ({k})" for k, v in results["data"]["not_built_yet"].items())
            + ".",
            "",
        ]
    floor = results["pages"]["floor"]
    lines += [
        f"### Pages (median of {floor.get('rounds', '?')} warm requests; floor "
        f"{floor['median_ms']} ms)",
        "",
        "| Page | Median (ms) | x floor | SQL queries | Target | |",
        "|---|---:|---:|---:|---|---|",
    ]
    for name, e in results["pages"].items():
        if e.get("status") == NOT_BUILT:
            lines.append(f"| {name} ({e['app']}) | | | | {e.get('target', '')} | {NOT_BUILT} |")
        else:
            lines.append(
                f"| {name} | {e['median_ms']} | {e['ratio_to_floor']} | {e['queries']} "
                f"| {e.get('target', '')} | {_met(e)} |"
            )
    for section, title in (("pdfs", "PDFs"), ("sweeps", "Sweeps")):
        lines += [
            "",
            f"### {title}",
            "",
            "| | Seconds | SQL queries | Target | | Outcome |",
            "|---|---:|---:|---|---|---|",
        ]
        for name, e in results[section].items():
            if e.get("status") == NOT_BUILT:
                lines.append(f"| {name} ({e['app']}) | | | {e.get('target', '')} | {NOT_BUILT} | |")
                continue
            outcome = e.get("outcome") or ""
            lines.append(
                f"| {name} | {e['seconds']} | {e['queries']} | {e.get('target', '')} "
                f"| {_met(e)} | {json.dumps(outcome) if outcome else ''} |"
            )
            if "repeat" in e:
                r = e["repeat"]
                lines.append(
                    f"| {name}, repeated | {r['seconds']} | {r['queries']} | | | "
                    f"{json.dumps(r['outcome'])} |"
                )
    lines += [
        "",
        "### Imports",
        "",
        "| | Rows | Seconds | Rows/s | COPY rows/s | x COPY | Target | |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, e in results["imports"].items():
        if e.get("status") == NOT_BUILT:
            lines.append(f"| {name} ({e['app']}) | | | | | | {e.get('target', '')} | {NOT_BUILT} |")
        else:
            lines.append(
                f"| {name} | {e['rows']:,} | {e['seconds']} | {e['rows_per_second']:,} "
                f"| {e['floor_rows_per_second']:,} | {e['ratio_to_copy']} | "
                f"{e.get('target', 'none')} | {_met(e)} |"
            )
    loads = results["loads"]
    server = loads.get("_server", {})
    lines += [
        "",
        "### Load"
        + (
            f" ({server['server']}, {server['workers']} workers on "
            f"{server['bind']}, locust headless on the same machine)"
            if server
            else ""
        ),
        "",
        "| Page | Users | Seconds | Requests | Req/s | p50 (ms) | p95 (ms) | Errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, e in loads.items():
        if name == "_server":
            continue
        if e.get("status") == NOT_BUILT:
            lines.append(f"| {name} ({e['app']}) | | | | | | | {NOT_BUILT} |")
        elif "skipped" in e:
            lines.append(f"| {name} | | | | | | | skipped |")
        else:
            for key, v in e.items():
                if key.isdigit():
                    lines.append(
                        f"| {name} | {v['users']} | {v['seconds']} | {v['requests']:,} "
                        f"| {v['requests_per_second']} | {v['p50_ms']:.0f} | "
                        f"{v['p95_ms']:.0f} | {v['errors']} |"
                    )
    return "\n".join(lines) + "\n"


def write(results: dict) -> None:
    RESULTS_JSON.parent.mkdir(exist_ok=True)
    RESULTS_JSON.write_text(json.dumps(results, indent=2, default=str) + "\n")
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    RESULTS_MD.write_text(f"{head}{BEGIN}\n{markdown(results)}{END}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "full"], default="full")
    parser.add_argument("--no-load", action="store_true", help="skip gunicorn and locust")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    # whitenoise looks for collected static files; the pages are measured without them (as in
    # pyproject.toml's pytest filterwarnings).
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    results = run(args.scale, load_test=not args.no_load)
    write(results)
    print(markdown(results))
    missed = [
        f"{section} {name}"
        for section in ("pages", "pdfs", "sweeps", "imports", "loads")
        for name, e in results[section].items()
        if isinstance(e, dict) and e.get("met") is False
    ]
    print(f"Wrote {RESULTS_JSON.relative_to(ROOT)} and {RESULTS_MD.relative_to(ROOT)}.")
    if missed:
        print("Targets missed: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
