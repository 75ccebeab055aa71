"""schemathesis against the REST API on a local server (issue 6, acceptance).

Builds its own fresh SQLite database in a temporary directory (or ``--database-url`` for
PostgreSQL: the database must exist and be empty), migrates it, loads the demo data
(``manage.py demo_data --force``), creates API tokens for

* the owner: ``demo.casemanager`` (Kreis Wesel),
* peer 1: another case manager of Kreis Wesel (same tenant, other caseload),
* peer 2: a case manager of Kreis Coesfeld (other tenant),

starts ``manage.py runserver --noreload`` and runs ``schemathesis run`` (all checks, all
phases) with the owner's token, the peers registered for its ``object_level_authorization``
check (Web Fuzzing Commons auth file). Then an explicit pass: every object id the owner can
read in any list is requested with each peer's token and must answer 403 or 404, and the
owner's cases' identity with each peer's token too.

    .venv/bin/python bench/api_schemathesis.py [--max-examples 60] [--workers 2] [--keep]

Prints a summary (requests, status-code histogram, failures per check) and exits non-zero on
any 5xx or any cross-user read.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SCHEMATHESIS = str(ROOT / ".venv" / "bin" / "schemathesis")
LISTS = ["cases", "contacts", "goals", "referrals", "barriers", "themes", "agencies", "positions"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


TOKEN_SCRIPT = """
import json
from lotse.api.tokens import token_create
from lotse.tenants.models import Membership, Role

def token(username=None, tenant=None, exclude=None):
    qs = Membership.objects.filter(role=Role.CASE_MANAGER, is_active=True, accepted_at__isnull=False,
                                   user__is_active=True).select_related("user", "tenant")
    if username:
        qs = qs.filter(user__username=username)
    if tenant:
        qs = qs.filter(tenant__slug=tenant)
    if exclude:
        qs = qs.exclude(user__username=exclude)
    m = qs.order_by("user__username").first()
    return {"user": m.user.username, "tenant": m.tenant.slug,
            "secret": token_create(actor=m.user, membership=m, name="schemathesis").secret}

owner = token(username="demo.casemanager")
print(json.dumps({"owner": owner,
                  "peer-wesel": token(tenant=owner["tenant"], exclude=owner["user"]),
                  "peer-coesfeld": token(tenant="kreis-coesfeld")}))
"""  # noqa: S105


def get(url: str, secret: str) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http://127.0.0.1 only)
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None


def owner_ids(base: str, secret: str) -> dict[str, list[int]]:
    """Every object id the owner can read, page by page."""
    found: dict[str, list[int]] = {}
    for name in LISTS:
        ids: list[int] = []
        url: str | None = f"{base}/api/v1/{name}/?page_size=200"
        while url:
            status, body = get(url, secret)
            if status != 200:
                break
            ids += [row["id"] for row in body["results"]]
            url = body["next"]
        found[name] = ids
    return found


def cross_user_pass(base: str, tokens: dict[str, dict[str, str]]) -> tuple[int, list[str], collections.Counter[int]]:
    ids = owner_ids(base, tokens["owner"]["secret"])
    violations: list[str] = []
    codes: collections.Counter[int] = collections.Counter()
    requests = 0
    for peer in ("peer-wesel", "peer-coesfeld"):
        secret = tokens[peer]["secret"]
        for name, pks in ids.items():
            peer_list = set(owner_ids(base, secret).get(name, [])) if name in ("agencies", "themes") else set()
            for pk in pks:
                if pk in peer_list:
                    continue  # the tenant's shared directory: both may read it
                status, _ = get(f"{base}/api/v1/{name}/{pk}/", secret)
                requests += 1
                codes[status] += 1
                if status not in (403, 404):
                    violations.append(f"{peer} read {name}/{pk}: {status}")
        for pk in ids["cases"]:
            status, _ = get(f"{base}/api/v1/cases/{pk}/identity/", secret)
            requests += 1
            codes[status] += 1
            if status not in (403, 404):
                violations.append(f"{peer} read cases/{pk}/identity: {status}")
    owned = sum(len(v) for v in ids.values())
    print(
        f"\nCross-user pass: {owned} objects readable by the owner "
        f"({', '.join(f'{k} {len(v)}' for k, v in ids.items())}); {requests} requests with peer tokens"
    )
    return requests, violations, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="lotse-schemathesis-"))
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="lotse.settings.test",
        DATABASE_URL=args.database_url or f"sqlite:///{workdir / 'db.sqlite3'}",
        LOTSE_DATA_DIR=str(workdir),
        LOTSE_LOG_LEVEL="ERROR",
        PYTHONUNBUFFERED="1",
    )
    env.pop("LOTSE_DATABASE_URL", None)
    server = None
    try:
        t = time.perf_counter()
        manage(env, "migrate", "--verbosity", "0")
        manage(env, "demo_data", "--force")
        tokens = json.loads(manage(env, "shell", "-c", TOKEN_SCRIPT).strip().splitlines()[-1])
        print(f"Database built with demo data in {time.perf_counter() - t:.0f} s")
        for key, value in tokens.items():
            print(f"  {key}: {value['user']} ({value['tenant']})")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (workdir / "server.log").open("w")
        server = subprocess.Popen(
            [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)

        auth = {
            "auth": [
                {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {value['secret']}"}]}
                for name, value in tokens.items()
            ]
        }
        (workdir / "auth.json").write_text(json.dumps(auth))
        (workdir / "schemathesis.toml").write_text(
            '[auth.wfc]\npath = "auth.json"\nuser = "owner"\npeers = ["owner", "peer-wesel", "peer-coesfeld"]\n'
        )
        har = workdir / "run.har"
        t = time.perf_counter()
        command = [
            SCHEMATHESIS,
            "--config-file",
            str(workdir / "schemathesis.toml"),
            "run",
            f"{base}/api/v1/schema/?format=json",
            "--url",
            base,
            "--checks",
            "all",
            "--max-examples",
            str(args.max_examples),
            "--workers",
            str(args.workers),
            "--seed",
            str(args.seed),
            "--report",
            "har",
            "--report-har-path",
            str(har),
            "--request-timeout",
            "30",
            "--no-color",
        ]
        result = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, check=False)
        duration = time.perf_counter() - t
        (workdir / "schemathesis.out").write_text(result.stdout + result.stderr)
        print("\n--- schemathesis output (tail) ---")
        print("\n".join((result.stdout + result.stderr).splitlines()[-60:]))

        entries = json.loads(har.read_text())["log"]["entries"] if har.exists() else []
        histogram = collections.Counter(entry["response"]["status"] for entry in entries)
        server_errors = [e for e in entries if e["response"]["status"] >= 500]

        cross_requests, violations, cross_codes = cross_user_pass(base, tokens)

        print("\n=== Summary ===")
        print(f"schemathesis: {len(entries)} requests in {duration:.0f} s (exit code {result.returncode})")
        print("status codes: " + ", ".join(f"{code}: {n}" for code, n in sorted(histogram.items())))
        print(f"5xx responses: {len(server_errors)}")
        for entry in server_errors[:10]:
            print(f"  {entry['request']['method']} {entry['request']['url']} -> {entry['response']['status']}")
        print(
            f"cross-user pass: {cross_requests} requests, codes "
            + ", ".join(f"{code}: {n}" for code, n in sorted(cross_codes.items()))
            + f", violations: {len(violations)}"
        )
        for line in violations[:20]:
            print(f"  {line}")
        print("schemathesis findings (operation: check):")
        operation = ""
        for line in (result.stdout + result.stderr).splitlines():
            if line.startswith("___") and line.endswith("___"):
                operation = line.strip("_ ")
            elif line.startswith("- ST"):
                print(f"  {operation}: {line[2:]}")
        print(f"whole run: {time.perf_counter() - started:.0f} s; files in {workdir}")
        if len(entries) < 2000 or server_errors or violations:
            sys.exit(1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
