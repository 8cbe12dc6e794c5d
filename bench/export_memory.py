"""Exports stream in flat memory: the peak resident memory of a process exporting an eighth
of the catalogue, half of it and all of it, in each format, through the API as an anonymous
caller.

Each export runs in a fresh process, so one's peak does not hide another's; the process
first warms up (Django, the URLconf, one page of the list) and the figure is how far its
peak rose past that while the whole export was read.

    DATABASE_URL=postgres://…/concord_bench_100000 .venv/bin/python bench/export_memory.py

`make bench` data (or `manage.py generate_data --initiatives 100000`) is what it measures.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("csv", "jsonl", "xlsx")

CHILD = r"""
import json, os, resource, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()
from django.test import Client
from django.conf import settings
settings.ALLOWED_HOSTS = ["*"]
parameters = json.loads(sys.argv[1])
client = Client()
client.get("/api/v1/initiatives/", {"page_size": 50})
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
answer = client.get("/api/v1/initiatives/", parameters)
size = 0
lines = 0
for chunk in answer.streaming_content:
    size += len(chunk)
    lines += chunk.count(b"\n")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"status": answer.status_code, "bytes": size, "lines": lines,
                  "before_kb": before, "after_kb": after}))
"""


def published() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from initiatives.selectors.catalogue import published_initiatives

    return published_initiatives().count()


def measure(parameters: dict) -> dict:
    done = subprocess.run(  # noqa: S603 -- this interpreter and a fixed script
        [sys.executable, "-c", CHILD, json.dumps(parameters)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    total = published()
    print(f"published records: {total:,}")
    print(f"{'format':<6} {'records':>9} {'MB sent':>9} {'peak rise (MB)':>15} {'peak (MB)':>10}")
    for file_format in FORMATS:
        rises = []
        for share in (8, 2, 1):
            # The newest records: updated_since cuts the catalogue at the share's boundary.
            parameters = {"format": file_format}
            records = total
            if share > 1:
                parameters["updated_since"], records = _boundary(total // share)
            figure = measure(parameters)
            rise = (figure["after_kb"] - figure["before_kb"]) / 1024
            rises.append(rise)
            sent, peak = figure["bytes"] / 1e6, figure["after_kb"] / 1024
            print(f"{file_format:<6} {records:>9,} {sent:>9.1f} {rise:>15.1f} {peak:>10.1f}")
        print(f"{file_format:<6} peak rise, all ÷ an eighth: {rises[-1] / max(rises[0], 0.1):.2f}×")


def _boundary(newest: int) -> tuple[str, int]:
    """The moment from which about `newest` records were updated, and how many exactly."""
    from initiatives.selectors.catalogue import published_initiatives

    records = published_initiatives()
    moment = records.order_by("-updated_at").values_list("updated_at", flat=True)[newest - 1]
    return moment.isoformat(), records.filter(updated_at__gte=moment).count()


if __name__ == "__main__":
    main()
