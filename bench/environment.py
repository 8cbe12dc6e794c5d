"""What a `make bench` run is set to: paths, ports, the BENCH_* environment variables.

Also the two ways every part of the run talks to the outside: a log line, and a command.
"""

import base64
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
# The interpreter running the bench (`make bench` runs the project's virtualenv) and its gunicorn.
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
DOC = ROOT / "docs" / "performance.md"

BASE_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/concord_bench")
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "100000 1000000").split()]
SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "100000"))
# wrk -t1 -c8, 5 s per endpoint, 2 interleaved rounds: the harness the targets were set with,
# and both sizes within about 25 minutes on two cores once their data are kept (BENCH_REUSE=1).
DURATION = int(os.environ.get("BENCH_DURATION", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
DIGEST = os.environ.get("BENCH_DIGEST", "1") == "1"
# How long to wait for gunicorn to work off what wrk left queued before restarting it.
DRAIN_SECONDS = float(os.environ.get("BENCH_DRAIN_SECONDS", "30"))

# Ports: the site (answers kept, as deployed), PostgREST, the site with kept answers off, the
# SMTP sink. BENCH_PORT_BASE moves them all, so that two runs can share the machine.
PORT_BASE = int(os.environ.get("BENCH_PORT_BASE", "8100"))
DJANGO_PORT, POSTGREST_PORT, NOT_KEPT_PORT, SMTP_PORT = (
    PORT_BASE + 1,
    PORT_BASE + 2,
    PORT_BASE + 3,
    PORT_BASE + 25,
)

DJANGO = f"http://127.0.0.1:{DJANGO_PORT}"
NOT_KEPT = f"http://127.0.0.1:{NOT_KEPT_PORT}"
POSTGREST_URL = f"http://127.0.0.1:{POSTGREST_PORT}"

# One secret for the whole run: the sessions made for the signed-in rows are signed with it,
# and every process of the run (gunicorn, manage.py) must check them with the same.
SECRET_KEY = "bench-only-" + base64.b64encode(os.urandom(24)).decode()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], *, env=None, capture=False, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- fixed commands, no shell
        command, env=env, cwd=ROOT, check=check, text=True, capture_output=capture
    )
