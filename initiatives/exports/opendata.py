"""The nightly open-data dump: every published record as CSV and JSON Lines, described by a
Frictionless Data Package (`datapackage.json`), under `OPENDATA_ROOT`.

A dump is written into a directory of its own under `dumps/`, and only once it is whole
does the `current` link turn to it (a rename, which readers see all at once or not at all);
the dumps before it are then removed. One dump runs at a time (a lock file); a second one
started meanwhile does nothing. Both files come from one reading of the database, so they
hold the same records.
"""

import csv
import datetime
import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ..selectors.catalogue import published_initiatives
from .columns import COLUMN_NAMES, COLUMNS, export_queryset, export_rows
from .writers import csv_cells, jsonl_line

logger = logging.getLogger(__name__)

CSV_FILE = "initiatives.csv"
JSONL_FILE = "initiatives.jsonl"
PACKAGE_FILE = "datapackage.json"
FILES = (CSV_FILE, JSONL_FILE, PACKAGE_FILE)
MEDIA_TYPES = {CSV_FILE: "text/csv", JSONL_FILE: "application/jsonl", PACKAGE_FILE: "application/json"}

TITLE = _("Concord: cyberspace cooperation initiatives")
DESCRIPTION = _(
    "Every published initiative recorded on Concord, filed under the four key tasks of building "
    "a community with a shared future in cyberspace. A cell that begins with =, +, -, @ or a tab "
    "in the CSV starts with an apostrophe that is not part of the value; JSON Lines holds every "
    "value as it is."
)
# Licences by SPDX identifier: title and where to read it.
LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODbL-1.0": (
        "Open Data Commons Open Database License 1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "PDDL-1.0": (
        "Open Data Commons Public Domain Dedication and License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
}
# An unfinished dump left by a process that died is removed once this old.
STALE_PARTIAL_SECONDS = 24 * 3600


def licence() -> dict:
    """The licence of the dump (OPENDATA_LICENCE) as a Data Package names it."""
    name = settings.OPENDATA_LICENCE
    title, path = LICENCES.get(name, (name, ""))
    return {"name": name, "title": title, **({"path": path} if path else {})}


def _root() -> Path:
    return Path(settings.OPENDATA_ROOT)


def _fields(*, text: bool) -> list[dict]:
    fields = []
    for column in COLUMNS:
        field = {
            "name": column.name,
            "type": column.text_type if text else column.type,
            "description": str(column.description),
        }
        if column.type == "datetime":
            # Moments carry fractions of a second, which the default format leaves out.
            field["format"] = "any"
        fields.append(field)
    return fields


def _file_facts(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 16):
            digest.update(block)
    return {"bytes": path.stat().st_size, "hash": f"sha256:{digest.hexdigest()}"}


def datapackage(directory: Path, *, created: datetime.datetime, count: int) -> dict:
    """The Data Package describing the files in `directory`: every column of each, with its
    type and what it holds (in English, the dump's one language)."""
    with translation.override("en"):
        return {
            "profile": "data-package",
            "name": "concord-initiatives",
            "title": str(TITLE),
            "description": str(DESCRIPTION),
            "homepage": settings.SITE_URL.rstrip("/") + reverse("initiatives:opendata"),
            "created": created.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
            "licenses": [licence()],
            "count": count,
            "resources": [
                {
                    "profile": "tabular-data-resource",
                    "name": "initiatives",
                    "path": CSV_FILE,
                    "format": "csv",
                    "mediatype": MEDIA_TYPES[CSV_FILE],
                    "encoding": "utf-8",
                    **_file_facts(directory / CSV_FILE),
                    "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
                    "schema": {"fields": _fields(text=True), "primaryKey": ["slug"]},
                },
                {
                    "profile": "data-resource",
                    "name": "initiatives-jsonl",
                    "path": JSONL_FILE,
                    "format": "jsonl",
                    "mediatype": MEDIA_TYPES[JSONL_FILE],
                    "encoding": "utf-8",
                    **_file_facts(directory / JSONL_FILE),
                    "schema": {"fields": _fields(text=False), "primaryKey": ["slug"]},
                },
            ],
        }


def _write_files(directory: Path) -> int:
    """Both files from one reading of the published records; the number of records."""
    rows = export_rows(export_queryset(published_initiatives().order_by("pk")))
    count = 0
    with (
        (directory / CSV_FILE).open("w", encoding="utf-8", newline="") as csv_file,
        (directory / JSONL_FILE).open("w", encoding="utf-8") as jsonl_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(COLUMN_NAMES)
        for row in rows:
            writer.writerow(csv_cells(row))
            jsonl_file.write(jsonl_line(row))
            count += 1
    return count


def opendata_dump() -> Path | None:
    """Write a new dump of every published record and make it the current one; its directory,
    or None when another dump was running."""
    root = _root()
    dumps = root / "dumps"
    dumps.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("open data dump already running; this one does nothing")
            return None
        created = timezone.now()
        name = f"{created.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"
        partial = dumps / f".partial-{name}"
        partial.mkdir()
        try:
            count = _write_files(partial)
            package = datapackage(partial, created=created, count=count)
            (partial / PACKAGE_FILE).write_text(json.dumps(package, ensure_ascii=False, indent=2), "utf-8")
            finished = dumps / name
            partial.rename(finished)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        link = root / f".current-{name}"
        link.symlink_to(Path("dumps") / name, target_is_directory=True)
        os.replace(link, root / "current")
        _remove_old(dumps, keep=name)
        logger.info("open data dump %s: %d published records", name, count)
        return finished


def _remove_old(dumps: Path, *, keep: str) -> None:
    for entry in dumps.iterdir():
        if entry.name == keep:
            continue
        if entry.name.startswith(".partial-") and time.time() - entry.stat().st_mtime < STALE_PARTIAL_SECONDS:
            continue
        shutil.rmtree(entry, ignore_errors=True)


def current_directory() -> Path | None:
    """The directory of the current dump (resolved once, so a reader keeps reading the same
    dump while a new one replaces it), or None before the first."""
    current = _root() / "current"
    if not current.is_dir():
        return None
    return current.resolve()


def current_dump() -> dict | None:
    """What the Open data page lists of the current dump: when it was made, its licence, its
    record count and each file with its size; None before the first dump."""
    directory = current_directory()
    if directory is None:
        return None
    try:
        package = json.loads((directory / PACKAGE_FILE).read_text("utf-8"))
        files = [
            {"name": name, "format": name.rpartition(".")[2], "bytes": (directory / name).stat().st_size}
            for name in FILES
        ]
    except (OSError, ValueError):
        # Replaced and removed between two reads: the next visit reads the new one.
        return None
    return {
        "created": datetime.datetime.fromisoformat(package["created"]),
        "count": package.get("count"),
        "licence": (package.get("licenses") or [licence()])[0],
        "files": files,
    }


def opendata_file(name: str) -> Path | None:
    """A file of the current dump by its name; None for any other name or before the first."""
    directory = current_directory()
    if name not in FILES or directory is None or not (directory / name).is_file():
        return None
    return directory / name
