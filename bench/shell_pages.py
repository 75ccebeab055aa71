"""Benchmark of the foundation's pages on the demo data: server-side time and query count per
request for each role's dashboard and the admin lists, plus the cost of one Argon2 password
check with production parameters.

Runs in-process through Django's test client against a scratch SQLite database (or the
database in DATABASE_URL), so it measures Lotse's own work per request — routing, access
layer, queries, templates — without network or WSGI server overhead.

    .venv/bin/python bench/shell_pages.py [--requests 300]

Prints a Markdown table; the figures in docs/benchmarks.md come from this script.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page (default 300)")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="lotse-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lotse.settings.local")
    os.environ["LOTSE_DATA_DIR"] = scratch
    os.environ["LOTSE_DEMO_MODE"] = "1"
    os.environ["LOTSE_LOG_LEVEL"] = "WARNING"

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import Argon2PasswordHasher
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # collects queries and template contexts like the test suite
    settings.DEBUG = True  # query logging for the count column
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    call_command("demo_data", verbosity=0, force=True, stdout=io.StringIO())

    pages = [
        ("demo.casemanager", "/kreis-wesel/"),
        ("demo.coordinator", "/kreis-wesel/"),
        ("demo.providerlead", "/kreis-wesel/"),
        ("demo.funding", "/kreis-wesel/"),
        ("demo.committee", "/kreis-wesel/"),
        ("demo.dpo", "/kreis-wesel/"),
        ("demo.admin", "/kreis-wesel/"),
        ("demo.state", "/land-nrw/"),
        ("demo.admin", "/kreis-wesel/staff/"),
        ("demo.admin", "/kreis-wesel/staff/?q=oz"),
        ("demo.admin", "/kreis-wesel/providers/"),
        ("demo.dpo", "/kreis-wesel/audit/"),
    ]
    print(f"Database: {connection.vendor}; {args.requests} requests per page after 20 warm-up requests\n")
    print("| user | page | p50 ms | p95 ms | max ms | queries |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for username, path in pages:
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": "Lotse-Demo-2026"})
        assert response.status_code == 302, (username, response.status_code)
        for _ in range(20):
            assert client.get(path).status_code == 200, path
        timings = []
        queries = 0
        for _ in range(args.requests):
            reset_queries()
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            queries = len(connection.queries)
            assert response.status_code == 200
        print(
            f"| {username} | `{path}` | {statistics.median(timings):.1f} | {percentile(timings, 0.95):.1f} "
            f"| {max(timings):.1f} | {queries} |"
        )

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("Lotse-Demo-2026", hasher.salt())
    checks = []
    for _ in range(20):
        started = time.perf_counter()
        hasher.verify("Lotse-Demo-2026", encoded)
        checks.append((time.perf_counter() - started) * 1000)
    print(
        f"\nArgon2id password check (time_cost={hasher.time_cost}, memory_cost={hasher.memory_cost} KiB, "
        f"parallelism={hasher.parallelism}): median {statistics.median(checks):.1f} ms"
    )


if __name__ == "__main__":
    main()
