"""Which database a read goes to: the replica only for reading requests of callers who have not
just written, never inside a transaction, never for who the caller is, never outside a request.
tests/ops/test_replica.py shows the same against a real replica."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from config.db_routers import PrimaryReplicaRouter
from governance import replica
from governance.models import ApiToken, KeyTask
from initiatives.models import Initiative

router = PrimaryReplicaRouter()


@pytest.fixture
def configured(monkeypatch, settings):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    settings.DATABASE_REPLICA_PIN_SECONDS = 5
    cache.clear()
    yield
    cache.clear()


def _through_middleware(request, status=200):
    """The alias the router gives a read of the initiatives while the view runs, and the response."""
    seen = {}

    def view(request):
        seen["alias"] = router.db_for_read(Initiative)
        return HttpResponse(status=status)

    response = replica.ReplicaReadsMiddleware(view)(request)
    return seen["alias"], response


def test_outside_a_request_everything_reads_the_primary():
    # Celery tasks and management commands: digests never read a lagging copy.
    assert router.db_for_read(Initiative) == "default"
    assert router.db_for_write(Initiative) == "default"


def test_a_reading_request_reads_the_replica_and_a_writing_one_the_primary(configured):
    factory = RequestFactory()
    assert _through_middleware(factory.get("/initiatives/"))[0] == "replica"
    assert _through_middleware(factory.head("/api/v1/initiatives/"))[0] == "replica"
    assert _through_middleware(factory.post("/api/v1/initiatives/"))[0] == "default"
    # The request is over: back to the primary.
    assert router.db_for_read(Initiative) == "default"


# Outside a test's own transaction, as a request runs.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inside_a_request_transactions_and_who_the_caller_is_read_the_primary(configured):
    def view(request):
        with transaction.atomic():
            inside = router.db_for_read(KeyTask)
        outside = [router.db_for_read(model) for model in (Session, ApiToken, KeyTask)]
        return HttpResponse(" ".join([inside, *outside]))

    response = replica.ReplicaReadsMiddleware(view)(RequestFactory().get("/"))
    assert response.content.decode() == "default default default replica"


def test_a_browser_that_wrote_reads_the_primary_while_its_cookie_lasts(configured):
    factory = RequestFactory()
    _alias, written = _through_middleware(factory.post("/initiatives/x/comments/"), status=302)
    pin = written.cookies[replica.PIN_COOKIE]
    assert pin["max-age"] == 5
    after = factory.get("/initiatives/x/")
    after.COOKIES[replica.PIN_COOKIE] = pin.value
    assert _through_middleware(after)[0] == "default"
    # A refused write changed nothing: no pin.
    _alias, refused = _through_middleware(factory.post("/initiatives/x/comments/"), status=403)
    assert replica.PIN_COOKIE not in refused.cookies


def test_a_token_that_wrote_reads_the_primary_and_other_callers_do_not(configured):
    factory = RequestFactory()
    _through_middleware(factory.patch("/api/v1/initiatives/x/", HTTP_AUTHORIZATION="Token writer"))
    writer = factory.get("/api/v1/initiatives/x/", HTTP_AUTHORIZATION="Token writer")
    assert _through_middleware(writer)[0] == "default"
    other = factory.get("/api/v1/initiatives/x/", HTTP_AUTHORIZATION="Token other")
    assert _through_middleware(other)[0] == "replica"
    assert _through_middleware(factory.get("/api/v1/initiatives/x/"))[0] == "replica"


def test_without_a_replica_nothing_changes(settings):
    assert "replica" not in settings.DATABASES
    alias, response = _through_middleware(RequestFactory().post("/initiatives/x/comments/"))
    assert alias == "default" and not response.cookies
