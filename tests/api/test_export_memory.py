"""An export's memory is flat in the number of rows: the peak while four times the records
are exported stays about what it is for one time, in every format (measured with
tracemalloc, which counts every Python allocation, not with a clock)."""

import tracemalloc
from io import StringIO

import pytest
from django.core.management import call_command

from initiatives.exports import columns
from initiatives.models import Initiative
from tests import factories

LIST_URL = "/api/v1/initiatives/"
N = 500
FORMATS = ("csv", "xlsx", "jsonl")


def generate(count: int, seed: int) -> None:
    call_command("generate_data", initiatives=count, subscribers=0, batch=500, seed=seed, stdout=StringIO())


def export_peak(client, file_format: str) -> tuple[int, int]:
    """The peak of memory allocated while the whole export is made and sent, and its size."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = client.get(LIST_URL, {"format": file_format})
        assert response.status_code == 200
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


@pytest.mark.django_db
def test_exporting_four_times_the_rows_does_not_take_four_times_the_memory(client_for, monkeypatch):
    # Chunks of 100 rows: N rows are five chunks, 4N twenty.
    monkeypatch.setattr(columns, "CHUNK_ROWS", 100)
    client = client_for(factories.admin())
    generate(N, seed=11)
    assert Initiative.objects.count() == N
    for file_format in FORMATS:
        export_peak(client, file_format)  # first use: imports, URL resolver, translations
    small = {file_format: export_peak(client, file_format) for file_format in FORMATS}

    generate(3 * N, seed=12)
    assert Initiative.objects.count() == 4 * N
    large = {file_format: export_peak(client, file_format) for file_format in FORMATS}

    for file_format in FORMATS:
        (small_peak, small_size), (large_peak, large_size) = small[file_format], large[file_format]
        # Four times the records were really written ...
        assert large_size > 3 * small_size, file_format
        # ... with about the memory of one time: a chunk, not the whole set.
        assert large_peak < 1.5 * small_peak, (file_format, small_peak, large_peak)
