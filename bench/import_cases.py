"""Benchmark of the case-list import and of the streamed list exports (issue 6).

Generates a 100,000-row XLSX case list with identity columns (German dates, umlauts, every
intake channel, open and closed cases), then for PostgreSQL (a fresh database
``lotse_bench_import`` on 127.0.0.1:5432, dropped afterwards unless ``--keep``) and SQLite (a
fresh file) in a subprocess each: migrates, creates a district with providers and case
managers, and imports the file through :func:`lotse.transfer.services.cases_import` (the code
the import page and ``manage.py import_cases`` run): read with openpyxl in read-only mode, all
rows checked, then written in one transaction. Reports the seconds of the check and of the
write, and the peak RSS of the process. Target: ≤ 90 s for 100,000 rows.

Then the exports: a second district gets 10,000 rows of the same kind; for each district the
coordinator downloads the case list as CSV and as XLSX through the real views (Django test
client, streamed content consumed chunk by chunk), each in a process of its own; reported is
the RSS growth during the download. Constant memory means the growth for 100,000 rows is about
that for 10,000.

    .venv/bin/python bench/import_cases.py [--rows 100000] [--small 10000] [--engines postgresql,sqlite] [--keep]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHANNELS = ["Persönliche Vorsprache", "Telefon", "Aufsuchende Arbeit", "Online oder E-Mail", "Sonstige"]
GIVEN = ["Amina", "Yusuf", "Olena", "Mohammed", "Fatma", "Dmytro", "Aylin", "Samir", "Irina", "Hassan"]
FAMILY = ["Haddad", "Yilmaz", "Kovalenko", "Rahimi", "Öztürk", "Petrenko", "Nasser", "Kaya", "Ahmadi", "Bauer"]
PROVIDERS = 4
MANAGERS_PER_PROVIDER = 10


def rss_mb() -> float:
    """Current resident set size of this process."""
    with Path("/proc/self/statm").open() as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(path: Path, rows: int, *, slug: str, seed: int = 6) -> None:
    import openpyxl

    from lotse.transfer.case_import import COLUMNS

    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Fälle")
    header = [c.header for c in COLUMNS]
    sheet.append(header)
    today = datetime.date(2025, 12, 31)
    for i in range(rows):
        provider = i % PROVIDERS
        manager = f"{slug}-cm-{provider}-{i % MANAGERS_PER_PROVIDER}"
        opened = today - datetime.timedelta(days=rng.randrange(30, 2000))
        closed = i % 3 == 0
        values = {
            "Pseudonym": f"Familie {rng.choice(FAMILY)} {i}",
            "Fallverantwortung": manager,
            "Träger": f"Träger {provider}",
            "Zugangsweg": rng.choice(CHANNELS),
            "Sprachen": "Arabisch, Kurmanci",
            "Dolmetschbedarf": "ja" if i % 4 == 0 else "nein",
            "Dolmetschsprache": "Arabisch" if i % 4 == 0 else None,
            "Eröffnet am": opened.strftime("%d.%m.%Y") if i % 2 else datetime.datetime.combine(opened, datetime.time()),
            "Status": "abgeschlossen" if closed else "offen",
            "Geschlossen am": (opened + datetime.timedelta(days=20)).strftime("%d.%m.%Y") if closed else None,
            "Abschlussgrund": "Ziele erreicht" if closed else None,
            "Vorname": rng.choice(GIVEN),
            "Nachname": rng.choice(FAMILY),
            "Geburtsdatum": f"{rng.randrange(1, 28):02d}.{rng.randrange(1, 13):02d}.{rng.randrange(1950, 2005)}",
            "Staatsangehörigkeit": "syrisch",
            "Straße": f"Hauptstraße {i % 200 + 1}",
            "PLZ": 46483,
            "Ort": "Wesel",
            "Telefon": f"0281 {100000 + i}",
            "E-Mail": f"person{i}@example.org",
        }
        sheet.append([values.get(h) for h in header])
    workbook.save(path)


# --- worker (one per database, Django set up for that database) --------------------------------


def setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "lotse.settings.test"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("LOTSE_DATABASE_URL", None)
    os.environ["LOTSE_LOG_LEVEL"] = "WARNING"
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()


def district(slug: str) -> Any:
    from django.utils import timezone

    from lotse.accounts.models import User
    from lotse.tenants.models import Membership, Provider, Role, Tenant

    tenant = Tenant.objects.create(name=f"Kreis {slug}", slug=slug, kind="district")
    coordinator = User.objects.create(username=f"{slug}-co")
    Membership.objects.create(user=coordinator, tenant=tenant, role=Role.COORDINATOR, accepted_at=timezone.now())
    for p in range(PROVIDERS):
        provider = Provider.objects.create(tenant=tenant, name=f"Träger {p}", kind="welfare")
        for m in range(MANAGERS_PER_PROVIDER):
            user = User.objects.create(username=f"{slug}-cm-{p}-{m}")
            Membership.objects.create(
                user=user, tenant=tenant, role=Role.CASE_MANAGER, provider=provider, accepted_at=timezone.now()
            )
    return tenant, coordinator


def worker_import(args: argparse.Namespace) -> None:
    setup_django(args.url)
    from django.core.management import call_command

    from lotse.cases.models import Case, Identity
    from lotse.transfer import case_import

    call_command("migrate", verbosity=0)
    result: dict[str, Any] = {}
    for slug, path in ((args.slug, args.file), (args.small_slug, args.small_file)):
        tenant, coordinator = district(slug)
        data = Path(path).read_bytes()
        before = rss_mb()
        t = time.perf_counter()
        report, rows = case_import.validate(data, tenant=tenant)
        checked = time.perf_counter() - t
        assert report.ok, report.problems[:5]
        t = time.perf_counter()
        written = case_import.write(rows, tenant=tenant, actor=coordinator)
        wrote = time.perf_counter() - t
        del rows
        result[slug] = {
            "rows": written,
            "check_s": round(checked, 1),
            "write_s": round(wrote, 1),
            "total_s": round(checked + wrote, 1),
            "rss_before_mb": round(before, 0),
            "peak_rss_mb": round(peak_mb(), 0),
            "cases": Case.objects.filter(tenant=tenant).count(),
            "identities": Identity.objects.filter(tenant=tenant).count(),
        }
    print(json.dumps(result))


def worker_export(args: argparse.Namespace) -> None:
    setup_django(args.url)
    from django.test import Client
    from django.urls import reverse

    from conftest import sign_in
    from lotse.accounts.models import User

    client = sign_in(Client(), User.objects.get(username=f"{args.slug}-co"))
    url = reverse("transfer:export_cases", kwargs={"tenant": args.slug}) + f"?format={args.format}"
    before = rss_mb()
    t = time.perf_counter()
    response = client.get(url)  # XLSX: the file is written here; CSV: nothing yet
    size = 0
    highest = rss_mb()
    for chunk in response.streaming_content:
        size += len(chunk)
        highest = max(highest, rss_mb())
    seconds = time.perf_counter() - t
    highest = max(highest, peak_mb())
    print(
        json.dumps(
            {"seconds": round(seconds, 1), "mb": round(size / 1e6, 1), "rss_growth_mb": round(highest - before, 1)}
        )
    )


# --- orchestration ---------------------------------------------------------------------------


def run_worker(*extra: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *extra], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--engines", default="postgresql,sqlite")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="lotse_bench_import")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--worker", choices=["import", "export"])
    parser.add_argument("--url")
    parser.add_argument("--file")
    parser.add_argument("--small-file")
    parser.add_argument("--slug", default="kreis-gross")
    parser.add_argument("--small-slug", default="kreis-klein")
    parser.add_argument("--format", default="csv")
    args = parser.parse_args()
    if args.worker == "import":
        return worker_import(args)
    if args.worker == "export":
        return worker_export(args)

    setup_django("sqlite:///:memory:")  # only to build the files with the column definitions
    workdir = Path(tempfile.mkdtemp(prefix="lotse-bench-import-"))
    big, small = workdir / "gross.xlsx", workdir / "klein.xlsx"
    t = time.perf_counter()
    generate(big, args.rows, slug=args.slug)
    generate(small, args.small, slug=args.small_slug)
    print(
        f"Generated {args.rows:,} + {args.small:,} rows in {time.perf_counter() - t:.0f} s "
        f"({big.stat().st_size / 1e6:.1f} MB XLSX)"
    )
    for engine in args.engines.split(","):
        if engine == "postgresql":
            from bench.cases import drop_database, recreate_database

            recreate_database(args.server, args.database)
            url = f"{args.server}/{args.database}"
        else:
            url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        try:
            imported = run_worker(
                "--worker",
                "import",
                "--url",
                url,
                "--file",
                str(big),
                "--small-file",
                str(small),
                "--slug",
                args.slug,
                "--small-slug",
                args.small_slug,
            )
            print(f"\n## {engine}\n")
            print("| district | rows | check (s) | write (s) | total (s) | peak RSS (MB) |")
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
            for slug, r in imported.items():
                cols = [f"{r['rows']:,}", r["check_s"], r["write_s"], r["total_s"], f"{r['peak_rss_mb']:.0f}"]
                print(f"| {slug} | " + " | ".join(str(c) for c in cols) + " |")
                assert r["cases"] == r["rows"] == r["identities"], r
            print("\n| export | rows | seconds | size (MB) | RSS growth (MB) |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for fmt in ("csv", "xlsx"):
                for slug, rows in ((args.small_slug, args.small), (args.slug, args.rows)):
                    e = run_worker("--worker", "export", "--url", url, "--slug", slug, "--format", fmt)
                    print(f"| cases {fmt.upper()} | {rows:,} | {e['seconds']} | {e['mb']} | {e['rss_growth_mb']} |")
        finally:
            if engine == "postgresql" and not args.keep:
                drop_database(args.server, args.database)


if __name__ == "__main__":
    main()
