"""Quality gate for the German UI: refresh the catalogue from the source (``makemessages``)
and fail on any msgid without a German translation, and on fuzzy or obsolete entries."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LANGUAGES = ["de"]


class Command(BaseCommand):
    help = "Update the German catalogue from the source and fail on untranslated or fuzzy entries."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--no-update", action="store_true", help="Check the catalogue as it is (no makemessages).")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not options["no_update"]:
            if shutil.which("xgettext") is None:
                raise CommandError("xgettext is missing: install gettext (apt-get install gettext).")
            call_command(
                "makemessages",
                locale=LANGUAGES,
                ignore_patterns=[".venv/*", "node_modules/*", "var/*", "bench/*"],
                no_obsolete=True,
                add_location="file",
                verbosity=0,
            )
        problems: list[str] = []
        for language in LANGUAGES:
            po_path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                raise CommandError(f"{po_path} is missing.")
            catalogue = polib.pofile(str(po_path))
            for entry in catalogue:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags:
                    problems.append(f"{language}: fuzzy: {entry.msgid!r}")
                elif entry.msgid_plural:
                    if not all(entry.msgstr_plural.values()):
                        problems.append(f"{language}: untranslated plural: {entry.msgid!r}")
                elif not entry.msgstr:
                    problems.append(f"{language}: untranslated: {entry.msgid!r}")
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} translation problem(s); edit locale/*/LC_MESSAGES/django.po")
        self.stdout.write(self.style.SUCCESS("Translations complete."))
