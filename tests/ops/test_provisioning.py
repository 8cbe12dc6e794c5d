"""ops/provision.sh, which `make test` runs before pytest: it installs what is missing when it may,
stops with one line naming the package when it may not, and chooses the tests' database.

The script runs for real, with PATH holding only the tools each case needs; `id`, `apt-get` and
PostgreSQL's cluster tools are stand-ins where a case needs another user or must not touch the
machine (no package is installed and no server started by these tests)."""

import os
import shutil
import socket
import subprocess
from pathlib import Path

from django.conf import settings

SCRIPT = Path(settings.BASE_DIR) / "ops" / "provision.sh"
# What the script itself calls, taken from the machine unless a case puts a stand-in first.
TOOLS = (
    "bash",
    "sh",
    "env",
    "id",
    "sed",
    "awk",
    "seq",
    "sleep",
    "mktemp",
    "rm",
    "cat",
    "printenv",
    "touch",
    "pg_isready",
)


def _machine(tmp_path: Path, uid: int | None = None, **stand_ins: str) -> Path:
    """A bin directory: the machine's TOOLS, `id -u` answering `uid`, and the given stand-ins."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        if found := shutil.which(tool):
            (bin_dir / tool).symlink_to(found)
    if uid is not None:
        stand_ins["id"] = f'[ "$1" = -u ] && echo {uid} || exec /usr/bin/id "$@"'
    for name, body in stand_ins.items():
        path = bin_dir / name
        path.unlink(missing_ok=True)
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return bin_dir


def _run(bin_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/root"), **env}
    return subprocess.run(  # noqa: S603 -- our own script, fixed arguments
        [str(SCRIPT), *args], env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


APT_GET = 'echo "$DEBIAN_FRONTEND apt-get $*" >> "{log}"'


def test_without_root_a_missing_chromium_stops_with_one_line_naming_the_package(tmp_path):
    log = tmp_path / "apt.log"
    bin_dir = _machine(tmp_path, uid=1000, **{"apt-get": APT_GET.format(log=log)})
    ran = tmp_path / "ran"
    result = _run(bin_dir, "chromium", "--", "touch", str(ran), CHROMIUM=str(tmp_path / "no" / "chromium"))
    assert result.returncode != 0
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "apt-get install chromium" in line and str(tmp_path / "no" / "chromium") in line
    assert not log.exists() and not ran.exists()


def test_without_root_missing_gettext_stops_with_one_line_naming_the_package(tmp_path):
    bin_dir = _machine(tmp_path, uid=1000)
    assert not (bin_dir / "msgfmt").exists()
    result = _run(bin_dir, "gettext", "--", "true")
    assert result.returncode != 0
    (line,) = result.stderr.splitlines()
    assert "apt-get install gettext" in line


def test_as_root_a_missing_chromium_is_installed_with_apt_get_before_the_command_runs(tmp_path):
    log = tmp_path / "apt.log"
    chromium = tmp_path / "usr" / "bin" / "chromium"
    # The stand-in puts an executable where the package would, at $CHROMIUM here.
    installs = f'[ "$1" = install ] && /bin/mkdir -p "{chromium.parent}" && /bin/cp /bin/true "{chromium}"'
    bin_dir = _machine(tmp_path, uid=0, **{"apt-get": APT_GET.format(log=log) + "\n" + installs + "\nexit 0"})
    ran = tmp_path / "ran"
    result = _run(bin_dir, "chromium", "--", "touch", str(ran), CHROMIUM=str(chromium))
    assert result.returncode == 0, result.stderr
    # This machine has no `fc-list` answering for Chinese, so the font comes too (once updated).
    assert log.read_text().splitlines() == [
        "noninteractive apt-get update -qq",
        "noninteractive apt-get install -y -qq chromium",
        "noninteractive apt-get install -y -qq fonts-noto-cjk",
    ]
    assert ran.exists()
    assert result.stderr.splitlines() == [
        "installing chromium with apt-get",
        "installing a Chinese font (fonts-noto-cjk) with apt-get",
    ]


def test_as_root_a_chinese_font_already_there_is_not_installed_again(tmp_path):
    log = tmp_path / "apt.log"
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    fonts = 'echo "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc: Noto Sans CJK SC"'
    bin_dir = _machine(tmp_path, uid=0, **{"apt-get": APT_GET.format(log=log), "fc-list": fonts})
    ran = tmp_path / "ran"
    result = _run(bin_dir, "chromium", "--", "touch", str(ran), CHROMIUM=str(chromium))
    assert result.returncode == 0, result.stderr
    assert ran.exists() and not log.exists()
    assert result.stderr == ""


def test_as_root_an_apt_get_that_fails_stops_the_run_naming_the_package(tmp_path):
    bin_dir = _machine(tmp_path, uid=0, **{"apt-get": 'echo "E: Unable to locate package $4" >&2; exit 100'})
    ran = tmp_path / "ran"
    result = _run(bin_dir, "chromium", "--", "touch", str(ran), CHROMIUM=str(tmp_path / "no" / "chromium"))
    assert result.returncode != 0 and not ran.exists()
    assert result.stderr.splitlines()[-1] == "apt-get could not install chromium"


def test_without_root_a_missing_nginx_stops_with_one_line_naming_the_package(tmp_path):
    bin_dir = _machine(tmp_path, uid=1000)
    ran = tmp_path / "ran"
    result = _run(bin_dir, "nginx", "--", "touch", str(ran), NGINX=str(tmp_path / "no" / "nginx"))
    assert result.returncode != 0 and not ran.exists()
    (line,) = result.stderr.splitlines()
    assert "apt-get install nginx" in line


def test_as_root_a_missing_nginx_is_installed_with_apt_get(tmp_path):
    log = tmp_path / "apt.log"
    nginx = tmp_path / "usr" / "sbin" / "nginx"
    installs = f'[ "$1" = install ] && /bin/mkdir -p "{nginx.parent}" && /bin/cp /bin/true "{nginx}"'
    bin_dir = _machine(tmp_path, uid=0, **{"apt-get": APT_GET.format(log=log) + "\n" + installs + "\nexit 0"})
    ran = tmp_path / "ran"
    result = _run(bin_dir, "nginx", "--", "touch", str(ran), NGINX=str(nginx))
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines()[-1] == "noninteractive apt-get install -y -qq nginx"
    assert ran.exists()


def test_with_no_postgresql_answering_replication_has_nothing_to_do(tmp_path):
    bin_dir = _machine(tmp_path, uid=1000)
    ran = tmp_path / "ran"
    result = _run(bin_dir, "replication", "--", "touch", str(ran), PGPORT=str(_free_port()))
    assert result.returncode == 0 and result.stderr == "" and ran.exists()


def test_postgresql_answering_on_the_port_is_the_tests_database(tmp_path):
    port = _free_port()
    asked = tmp_path / "asked"
    bin_dir = _machine(tmp_path, uid=1000, pg_isready=f'echo "$*" > "{asked}"; exit 0')
    result = _run(bin_dir, "database", "--", "printenv", "DATABASE_URL", PGPORT=str(port))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"postgres://postgres@127.0.0.1:{port}/concord"
    assert asked.read_text().split() == ["-q", "-h", "127.0.0.1", "-p", str(port)]
    (line,) = result.stderr.splitlines()
    assert line.startswith("tests on PostgreSQL: ")


def test_with_nothing_answering_on_the_port_the_tests_run_on_sqlite(tmp_path):
    port = _free_port()
    bin_dir = _machine(tmp_path)
    result = _run(bin_dir, "database", "--", "sh", "-c", 'echo "${DATABASE_URL-unset}"', PGPORT=str(port))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "unset"
    (line,) = result.stderr.splitlines()
    assert line.startswith("tests on SQLite: ") and f"127.0.0.1:{port}" in line
    assert "PostgreSQL-only tests are skipped" in line


def test_as_root_a_postgresql_cluster_that_is_down_is_started_and_used(tmp_path):
    port = _free_port()
    started = tmp_path / "started"
    bin_dir = _machine(
        tmp_path,
        uid=0,
        pg_lsclusters=f'echo "15 main {port} down postgres /var/lib/postgresql/15/main /dev/null"',
        pg_ctlcluster=f'echo "$*" > "{started}"',
        pg_isready=f'test -e "{started}"',
    )
    result = _run(bin_dir, "database", "--", "printenv", "DATABASE_URL", PGPORT=str(port))
    assert result.returncode == 0, result.stderr
    assert started.read_text().split() == ["--skip-systemctl-redirect", "15", "main", "start"]
    assert result.stdout.strip() == f"postgres://postgres@127.0.0.1:{port}/concord"


def test_database_url_when_set_is_used_as_it_is(tmp_path):
    bin_dir = _machine(tmp_path, uid=1000, pg_isready="exit 0")
    url = f"sqlite:///{tmp_path}/chosen.sqlite3"
    result = _run(bin_dir, "database", "--", "printenv", "DATABASE_URL", DATABASE_URL=url)
    assert result.stdout.strip() == url
    assert result.stderr.splitlines() == [
        f"tests on SQLite: {url} (DATABASE_URL); the PostgreSQL-only tests are skipped"
    ]
