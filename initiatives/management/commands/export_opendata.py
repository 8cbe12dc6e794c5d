"""Write the open-data dump now, as the nightly job does (initiatives.exports.opendata)."""

from django.core.management.base import BaseCommand, CommandError

from initiatives.exports.opendata import opendata_dump


class Command(BaseCommand):
    help = (
        "Write every published initiative as CSV and JSON Lines with a datapackage.json (the Open data page)."
    )

    def handle(self, *args, **options):
        directory = opendata_dump()
        if directory is None:
            raise CommandError("Another open data dump is running; try again when it has finished.")
        self.stdout.write(f"Open data written to {directory}")
