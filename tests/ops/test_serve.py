"""ops/serve.sh, what `make run` runs: the site, a Celery worker and beat, all stopped by one
signal, whichever a person or a process manager sends, without echoing it back to itself.

Real processes: the script serves a migrated SQLite database on a free port with the
filesystem broker, as `make run` does with nothing configured."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SCRIPT = BASE_DIR / "ops" / "serve.sh"
# Not a speed target: long enough for Celery's warm shutdown on a busy machine, short enough that
# a stop which never comes (the signal deferred or echoed back) fails.
STOP_SECONDS = 15


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """What `make run` gives its three processes, over a database migrated once for the module."""
    database = tmp_path_factory.mktemp("serve") / "concord.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CELERY_BROKER_URL", "CACHE_URL", "API_ANSWER_CACHE_URL", "EMAIL_URL")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        BIN=str(Path(sys.executable).parent),
        PYTHONUNBUFFERED="1",
    )
    for folder in ("queue", "processed", "control"):
        (BASE_DIR / "var" / "broker" / folder).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env, check=True
    )
    return env


def _descendants(pid: int) -> dict[int, str]:
    """The running processes below `pid`, each with its command line."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = {}, [pid]
    while frontier:
        parent = frontier.pop()
        for child, its_parent in parents.items():
            if its_parent == parent and child not in found:
                found[child] = _command(child)
                frontier.append(child)
    return {child: command for child, command in found.items() if _running(child)}


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting for a parent that is gone (nothing left to stop)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _site_answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


@pytest.mark.integration
def _default_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("signal_number", "to_group"),
    [
        pytest.param(signal.SIGTERM, False, id="kill-sends-TERM-to-the-script"),
        pytest.param(signal.SIGTERM, True, id="a-process-manager-sends-TERM-to-the-group"),
        pytest.param(signal.SIGINT, False, id="INT-to-the-script"),
        pytest.param(signal.SIGINT, True, id="ctrl-c-sends-INT-to-the-group"),
    ],
)
def test_one_signal_stops_the_site_worker_and_beat_quietly(environment, tmp_path, signal_number, to_group):
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        # A session of its own, as a terminal gives `make run`: its process group is not pytest's.
        script = subprocess.Popen(  # noqa: S603 -- our own script, fixed arguments
            [str(SCRIPT), f"127.0.0.1:{port}"],
            cwd=BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # As from a terminal: a suite started in the background (nohup … &) ignores INT,
            # and a shell cannot trap a signal ignored when it starts.
            preexec_fn=_default_interrupt,
        )
    try:
        for _ in range(240):
            text = log.read_text(errors="replace")
            if _site_answers(port) and " ready." in text and "beat: Starting" in text:
                break
            assert script.poll() is None, text
            time.sleep(0.5)
        else:
            pytest.fail(f"the site, worker and beat did not all start:\n{log.read_text()}")
        processes = _descendants(script.pid)
        commands = " | ".join(processes.values())
        assert "worker" in commands and "beat" in commands and "runserver" in commands, commands

        if to_group:
            os.killpg(script.pid, signal_number)
        else:
            os.kill(script.pid, signal_number)
        # The script waits for its children, so once it has exited they have too.
        script.wait(timeout=STOP_SECONDS)
        left = {pid: command for pid, command in processes.items() if _running(pid)}
        assert left == {}
        assert not _site_answers(port)
    finally:
        # Whatever a failed stop left behind: the script's session is its own process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(script.pid, signal.SIGKILL)
        script.wait()

    text = log.read_text(errors="replace")
    assert "Traceback" not in text and "RecursionError" not in text, text
    assert text.count("Warm shutdown") <= 2, text
    assert script.returncode == 0
