"""`python bench/browse_form.py`: the browse page with its filter form kept, against the same
page rendering the form every time.

The form offers every key task, action line, kind, status, country, region, stakeholder and
tag (a few thousand options on a large catalogue, two thousand tags in generated data). The
page keeps it, as it keeps the results, under the address, the kind of reader (anonymous,
signed in, curator), the language and the catalogue generation. This runs the page in
process (Django's test client, the test settings' local-memory cache) against the database in
DATABASE_URL, which `manage.py generate_data` should have filled, and times each address
for an anonymous reader and a curator, once with the form kept and once with the view told
to render it every time; the median of 25 warm requests each, read as a ratio.

Writes bench/browse_form.md, which bench/report.py appends to docs/performance.md, and prints it.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDRESSES = ("/initiatives/", "/initiatives/?kind=project&tag=cloud%20security")
REQUESTS = 25


def _timed(client, address: str) -> float:
    client.get(address)  # warm: the fragments and the options kept
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(address)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.test.utils import setup_test_environment
    from taggit.models import Tag

    from governance.models import User
    from initiatives.models import Initiative
    from initiatives.views import browse

    setup_test_environment()
    records, tags = Initiative.objects.count(), Tag.objects.count()
    if not records:
        print("No records: fill the database first (manage.py generate_data --initiatives 20000).")
        return 2
    curator, _ = User.objects.get_or_create(username="bench-browse-curator")
    curator.groups.add(Group.objects.get(name="Curator"))
    keeping = browse.render

    def rendering_the_form(request, template, context):
        return keeping(request, template, {**context, "filters_key": None})

    rows = []
    for reader in ("anonymous", "curator"):
        for address in ADDRESSES:
            client = Client()
            if reader == "curator":
                client.force_login(curator)
            browse.render = rendering_the_form
            fresh = _timed(client, address)
            browse.render = keeping
            kept = _timed(client, address)
            rows.append((reader, address, fresh, kept))
    out = [
        "### The browse page's filter form",
        "",
        f"Written by `python bench/browse_form.py` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}) "
        f"on {records:,} records and {tags:,} tags: the page in process (Django's test client), "
        f"the median of {REQUESTS} warm requests, the form rendered every time against kept.",
        "",
        "| reader | address | form rendered every time, ms | form kept, ms | ratio |",
        "|---|---|---:|---:|---:|",
        *(
            f"| {reader} | `{address}` | {fresh:.1f} | {kept:.1f} | {fresh / kept:.1f}× |"
            for reader, address, fresh, kept in rows
        ),
        "",
    ]
    text = "\n".join(out)
    Path(__file__).with_name("browse_form.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
