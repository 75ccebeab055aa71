"""Benchmark of ``manage.py backup`` and ``manage.py restore`` on PostgreSQL at district scale.

Builds the synthetic database of ``bench/steering.py`` (default 54 tenants, 200,000 cases, with
themes, committees and feedback; own database ``lotse_bench_backup``) with each tenant's audit
chain begun as ``tenant_create`` begins it, then measures, each as
the real command in a process of its own, as an operator would run it:

1. ``manage.py backup <file> --encrypt`` (``pg_dump -Fc`` in a snapshot, per-table checksums,
   AES-256-GCM);
2. ``manage.py restore <file> --verify-only`` on the unchanged database (authenticate the
   archive, recompute every table's count and checksum);
3. wipe: every table dropped (``DROP SCHEMA public CASCADE``);
4. ``manage.py restore <file> --yes`` into the empty database (``pg_restore --clean
   --single-transaction``, then the verification of every table and the audit hash chains).

Prints the database size, the archive size and the time of each step with the peak memory
of the largest process run so far (``RUSAGE_CHILDREN``: the command or its ``pg_dump`` /
``pg_restore``). The restore must report "checksums equal", else the
script fails. Drops the database at the end unless ``--keep``.

    .venv/bin/python bench/backup.py [--cases 200000] [--keep] [--reuse]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.api_schemathesis import manage  # noqa: E402  (after the path set-up above)
from bench.cases import run  # noqa: E402
from bench.steering import add_data_arguments, generate  # noqa: E402


def command(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Run ``manage.py *args``; (seconds, peak RSS in MB of the largest child process so far, stdout)."""
    started = time.perf_counter()
    out = manage(env, *args)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, peak, out.strip()


def database_size(url: str) -> tuple[int, int]:
    """(bytes on disk, rows in all tables) of the database at ``url``."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        count = sql.SQL("SELECT count(*) FROM {}")
        rows = sum(conn.execute(count.format(sql.Identifier(table))).fetchone()[0] for table in tables)
    return int(size), int(rows)


def wipe(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
        left = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    if left:
        sys.exit(f"wipe left {left} tables")


def measure(args: argparse.Namespace) -> None:
    from django.db import connections

    connections.close_all()
    url = f"{args.server}/{args.database}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "lotse.settings.test"}
    size, rows = database_size(url)
    with tempfile.TemporaryDirectory(prefix="lotse-bench-backup-") as tmp:
        key_file, archive = Path(tmp) / "backup.key", Path(tmp) / "lotse.bak"
        key_file.write_text(command(env, "backup", "--generate-key")[2] + "\n")
        key_file.chmod(0o600)
        steps: list[tuple[str, float, float]] = []

        seconds, peak, out = command(env, "backup", str(archive), "--encrypt", "--key-file", str(key_file))
        steps.append(("backup --encrypt", seconds, peak))
        archive_size = archive.stat().st_size

        seconds, peak, out = command(env, "restore", str(archive), "--key-file", str(key_file), "--verify-only")
        if "live database equals it" not in out:
            sys.exit(f"verify-only did not confirm the database: {out}")
        steps.append(("restore --verify-only (unchanged database)", seconds, peak))

        started = time.perf_counter()
        wipe(url)
        steps.append(("wipe (DROP SCHEMA public CASCADE)", time.perf_counter() - started, 0.0))

        seconds, peak, out = command(env, "restore", str(archive), "--key-file", str(key_file), "--yes")
        if "checksums equal" not in out:
            sys.exit(f"restore did not verify: {out}")
        steps.append(("restore --yes (incl. verification)", seconds, peak))
        restored_size, restored_rows = database_size(url)

    print(f"\nDatabase: {size / 2**20:,.0f} MB on disk, {rows:,} rows; archive {archive_size / 2**20:,.1f} MB")
    print(f"After the restore: {restored_rows:,} rows ({restored_size / 2**20:,.0f} MB on disk)\n")
    print("| step | seconds | peak RSS of the largest process so far (MB) |")
    print("| --- | ---: | ---: |")
    for name, seconds, peak in steps:
        print(f"| {name} | {seconds:.1f} | {peak:,.0f} |" if peak else f"| {name} | {seconds:.1f} | – |")
    if restored_rows != rows:
        sys.exit(f"row count differs after the restore: {restored_rows:,} vs {rows:,}")


def generate_with_chains(args: argparse.Namespace) -> object:
    """The data of ``steering.py``, plus what its bulk writes leave out and a restore checks: each
    tenant's audit chain starts with its creation (``tenant_create`` writes it; a tenant without
    a chain counts as one whose chain was removed)."""
    from lotse.audit.services import audit_record
    from lotse.tenants.models import Tenant

    gen = generate(args)
    for tenant in Tenant.objects.order_by("pk"):
        audit_record(action="tenant.created", tenant=tenant, obj=tenant)
    return gen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--database", default="lotse_bench_backup")
    args = parser.parse_args()
    run(args, lambda: generate_with_chains(args), measure)


if __name__ == "__main__":
    main()
