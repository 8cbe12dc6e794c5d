"""Real nginx, configured from ops/nginx/concord.conf.template as docs/deployment.md shows, in
front of a real gunicorn serving the test database: repeat anonymous readers are answered by
nginx without reaching Django, signed-in callers never are, and a change shows once the
answer's max-age has passed."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from governance import services as governance_services
from initiatives import services
from tests import factories
from tests.ops.servers import BASE_DIR, Gunicorn, free_port, get

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Debian's nginx, where ops/provision.sh (make test) checks for it and installs it.
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
MAX_AGE = 2
# Answers nginx gives from a stored copy that is past its max-age.
STALE = {"STALE", "UPDATING", "EXPIRED", "REVALIDATED"}


class Nginx:
    """nginx in the foreground with a prefix of its own, the site config rendered from ops/."""

    def __init__(self, upstream_port: int):
        self.port = free_port()
        # Readable by nginx's workers, which drop root for nobody.
        self.prefix = Path(tempfile.mkdtemp(prefix="concord-nginx-"))
        self.prefix.chmod(0o755)
        self.error_log = self.prefix / "error.log"
        site = subprocess.run(  # noqa: S603 -- our own script, fixed arguments
            [
                str(BASE_DIR / "ops" / "nginx" / "render.sh"),
                f"127.0.0.1:{upstream_port}",
                f"127.0.0.1:{self.port}",
                str(self.prefix / "cache"),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        (self.prefix / "concord.conf").write_text(site)
        temp_paths = "\n".join(
            f"    {kind}_temp_path {self.prefix / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (self.prefix / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 1;\npid {self.prefix / 'nginx.pid'};\n"
            f"error_log {self.prefix / 'error.log'} warn;\n"
            "events { worker_connections 64; }\n"
            f"http {{\n    access_log off;\n{temp_paths}\n    include {self.prefix / 'concord.conf'};\n}}\n"
        )
        self.process = subprocess.Popen(  # noqa: S603 -- the system's nginx, our config
            [
                NGINX,
                "-p",
                str(self.prefix),
                "-c",
                str(self.prefix / "nginx.conf"),
                "-e",
                str(self.prefix / "error.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx stopped: {(self.prefix / 'error.log').read_text()}")
            try:
                get(self.port, "/api/v1/")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        shutil.rmtree(self.prefix, ignore_errors=True)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn serves the PostgreSQL test database")
    if not os.path.exists(NGINX):
        pytest.fail(f"{NGINX} is missing: `make test` installs it as root, or apt-get install nginx")
    django = Gunicorn(
        tmp_path_factory.mktemp("shared-cache"), HTTP_CACHE_MAX_AGE=str(MAX_AGE), HTTP_CACHE_STALE_SECONDS="5"
    )
    try:
        proxy = Nginx(django.port)
    except Exception:
        django.stop()
        raise
    yield proxy, django
    proxy.stop()
    django.stop()


def test_repeat_anonymous_reads_are_answered_by_nginx_without_reaching_django(site):
    proxy, django = site
    initiative = factories.make_initiative(state="published", title="Submarine cable dialogue")
    for path in (
        "/",
        "/initiatives/",
        "/initiatives/?q=cable",
        f"/initiatives/{initiative.slug}/",
        "/api/v1/initiatives/",
        f"/api/v1/initiatives/{initiative.slug}/",
    ):
        first = get(proxy.port, path)
        assert first.status == 200, (path, first.body[:300])
        assert first.header("X-Cache-Status") == "MISS", path
        assert first.header("Cache-Control").startswith("public"), path
        reached = django.requests(path)
        again = get(proxy.port, path)
        assert again.header("X-Cache-Status") == "HIT", path
        assert again.body == first.body and again.header("ETag") == first.header("ETag"), path
        assert django.requests(path) == reached == 1, path


def test_each_language_is_cached_apart(site):
    proxy, django = site
    english = get(proxy.port, "/tags/", {"Accept-Language": "en"})
    chinese = get(proxy.port, "/tags/", {"Accept-Language": "zh-hans"})
    assert english.header("X-Cache-Status") == chinese.header("X-Cache-Status") == "MISS"
    assert english.header("Content-Language") == "en" and '<html lang="en">' in english.body
    assert chinese.header("Content-Language") == "zh-hans" and '<html lang="zh-Hans">' in chinese.body
    # The switcher's cookie wins over the browser's languages, and is a page of its own too.
    switched = get(proxy.port, "/tags/", {"Accept-Language": "en", "Cookie": "django_language=zh-hans"})
    assert switched.header("X-Cache-Status") == "MISS" and '<html lang="zh-Hans">' in switched.body
    for headers, lang in (({"Accept-Language": "en"}, "en"), ({"Accept-Language": "zh-hans"}, "zh-Hans")):
        again = get(proxy.port, "/tags/", headers)
        assert again.header("X-Cache-Status") == "HIT" and f'<html lang="{lang}">' in again.body
    assert django.requests("/tags/") == 3


def test_signed_in_callers_are_never_served_from_the_cache_nor_stored_in_it(site):
    proxy, django = site
    owner = factories.contributor()
    factories.make_initiative(state="published", title="Published cooperation plan")
    draft = factories.make_initiative(owner=owner, title="Owner's unpublished draft")
    _token, key = governance_services.api_token_create(user=owner, name="test", write=False)
    browser = Client()
    browser.force_login(owner)
    session = f"sessionid={browser.cookies['sessionid'].value}"

    # Addresses no other test here reads: nginx's cache lives as long as the module's servers.
    path = "/api/v1/initiatives/?page_size=7"
    assert get(proxy.port, path).header("X-Cache-Status") == "MISS"
    for _ in range(2):
        mine = get(proxy.port, path, {"Authorization": f"Token {key}"})
        assert mine.header("X-Cache-Status") == "BYPASS"
        assert mine.header("Cache-Control").startswith("private")
        assert draft.slug in mine.body
    page = "/initiatives/?page=1"
    for _ in range(2):
        signed_in = get(proxy.port, page, {"Cookie": session})
        assert signed_in.header("X-Cache-Status") == "BYPASS"
        assert owner.username in signed_in.body and "private" in signed_in.header("Cache-Control")
    assert django.requests(path) == 3 and django.requests(page) == 2
    # Nothing a signed-in caller saw was stored for the next anonymous reader.
    anonymous = get(proxy.port, path)
    assert anonymous.header("X-Cache-Status") == "HIT" and draft.slug not in anonymous.body
    anonymous_page = get(proxy.port, page)
    assert anonymous_page.header("X-Cache-Status") == "MISS"
    assert owner.username not in anonymous_page.body and draft.title not in anonymous_page.body


def test_a_change_shows_once_the_max_age_has_passed(site):
    proxy, django = site
    curator = factories.curator()
    initiative = factories.make_initiative(state="published", summary="Before the change.")
    path = f"/api/v1/initiatives/{initiative.slug}/"
    assert get(proxy.port, path).header("X-Cache-Status") == "MISS"
    services.initiative_edit(actor=curator, initiative=initiative, data={"summary": "After the change."})
    # Within max-age nginx still answers with what it stored, without asking Django.
    held = get(proxy.port, path)
    assert held.header("X-Cache-Status") == "HIT" and "Before the change." in held.body
    assert django.requests(path) == 1

    # nginx counts whole seconds and a copy expires once its last second has passed.
    time.sleep(MAX_AGE + 1.5)
    seen = []
    for _ in range(50):
        answer = get(proxy.port, path)
        seen.append(answer.header("X-Cache-Status"))
        if "After the change." in answer.body:
            break
        # Past max-age, a reader may still get the stored copy while nginx fetches a fresh one
        # (stale-while-revalidate), never a fresh-looking one.
        assert seen[-1] in STALE, seen
        time.sleep(0.1)
    assert "After the change." in answer.body, seen
    assert django.requests(path) == 2
