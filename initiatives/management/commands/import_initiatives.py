"""Import records from a CSV, XLSX or JSON Lines file in the export's columns, as a person,
through the same pipeline as the API and the workspace's import page (initiatives.imports)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from initiatives.imports.jobs import import_allowed
from initiatives.imports.pipeline import UNCHANGED, import_rows
from initiatives.imports.reading import FORMATS, ImportFileError, import_file_read, import_format


class Command(BaseCommand):
    help = (
        "Import initiatives from a CSV, XLSX or JSON Lines file in the export's columns, as drafts "
        "of the importing curator; rows are matched on external_id or source_url."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import (.csv, .xlsx or .jsonl).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")
        parser.add_argument(
            "--as",
            dest="username",
            help="The curator who imports (default: the first active administrator).",
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="The file's format, when its name does not say."
        )

    def handle(self, *args, **options):
        actor = self._actor(options["username"])
        path = Path(options["file"])
        try:
            file_format = import_format(path.name, options["format"])
            import_allowed(actor)
            content = path.read_bytes()
            file = import_file_read(content, file_format)
        except ImportFileError as error:
            raise CommandError(error.message) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        report = import_rows(
            actor=actor,
            file=file,
            dry_run=options["dry_run"],
            language=actor.preferred_language,
            filename=path.name,
        )
        for entry in report["rows"]:
            if entry["action"] != UNCHANGED or options["verbosity"] > 1:
                self.stdout.write(self._line(entry))
        counts = ", ".join(f"{count} {action}" for action, count in report["counts"].items())
        prefix = "Dry run, nothing written: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{report['total']} rows: {counts}.")

    def _actor(self, username):
        users = get_user_model().objects.filter(is_active=True)
        actor = (
            users.filter(username__iexact=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if actor is None:
            raise CommandError(
                f"No active account named {username}." if username else "Name the importer with --as."
            )
        return actor

    @staticmethod
    def _line(entry) -> str:
        record = f"{entry.get('slug') or ''} {entry.get('title') or ''}".strip()
        line = f"row {entry['row']}: {entry['action']} {record}".rstrip()
        if entry.get("changes"):
            line += f" ({', '.join(entry['changes'])})"
        if entry.get("held"):
            line += " [held for review]"
        for column, messages in (entry.get("errors") or {}).items():
            line += f"\n    {column}: {' '.join(messages)}"
        return line
