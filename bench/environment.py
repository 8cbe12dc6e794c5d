"""What a `make bench` run is set to: paths, ports, the BENCH_* environment variables.

Also the two ways every part of the run talks to the outside: a log line, and a command.
"""

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DOC = ROOT / "docs" / "performance.md"

BASE_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/concord_bench")
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "100000").split()]
SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "100000"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
REUSE = os.environ.get("BENCH_REUSE") == "1"
DIGEST = os.environ.get("BENCH_DIGEST", "1") == "1"
# How long to wait for gunicorn to work off what wrk left queued before restarting it.
DRAIN_SECONDS = float(os.environ.get("BENCH_DRAIN_SECONDS", "30"))

DJANGO_PORT, POSTGREST_PORT, SMTP_PORT = 8101, 8102, 8125

DJANGO = f"http://127.0.0.1:{DJANGO_PORT}"
POSTGREST_URL = f"http://127.0.0.1:{POSTGREST_PORT}"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], *, env=None, capture=False, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- fixed commands, no shell
        command, env=env, cwd=ROOT, check=check, text=True, capture_output=capture
    )
