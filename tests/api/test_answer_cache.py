"""Anonymous API answers are kept and served again, and never outlive a change readers could see."""

import pytest
from django.db import connection

from api import answers
from governance.models import KeyTask
from initiatives import services
from initiatives.models import Initiative
from initiatives.selectors import counting
from tests import factories
from tests.api.reading import LIST_URL, slugs
from tests.api.reading import get_with_sql as _get


def _reads_initiatives(sql) -> bool:
    return any("initiatives_initiative" in statement for statement in sql)


@pytest.mark.django_db
def test_a_repeated_anonymous_read_is_served_from_the_kept_answer(api):
    initiative = factories.make_initiative(state="published", title="Ocean data exchange")
    detail = f"{LIST_URL}{initiative.slug}/"
    for url in (LIST_URL, f"{LIST_URL}?q=ocean&page_size=5", detail):
        first, first_sql = _get(api, url)
        again, again_sql = _get(api, url)
        assert first.status_code == again.status_code == 200
        assert _reads_initiatives(first_sql)
        assert not _reads_initiatives(again_sql), url
        assert len(again_sql) == 1, again_sql  # the catalogue generation
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]
        assert again["Content-Type"] == "application/json"
        # A kept answer still answers If-None-Match with an empty 304.
        unchanged, sql = _get(api, url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert unchanged.status_code == 304 and unchanged.content == b""
        assert not _reads_initiatives(sql)


@pytest.mark.django_db
def test_every_kind_of_change_shows_at_once(api, curator, admin_user):
    kept = factories.make_initiative(state="published", title="Kept record")
    detail = f"{LIST_URL}{kept.slug}/"
    assert slugs(api.get(LIST_URL)) == [kept.slug]
    api.get(detail)

    # A new record published through the services.
    newcomer = factories.make_initiative(state="published", title="Newcomer")
    assert set(slugs(api.get(LIST_URL))) == {kept.slug, newcomer.slug}

    # An edit through the services.
    services.initiative_edit(actor=curator, initiative=kept, data={"summary": "Edited summary."})
    assert api.get(detail).json()["summary"] == "Edited summary."

    # A save outside the services (the admin's change form saves the model).
    kept.refresh_from_db()
    kept.title = "Renamed in the admin"
    kept.save()
    assert api.get(detail).json()["title"] == "Renamed in the admin"

    # A curator's bulk change of status.
    services.initiatives_set_status(
        actor=curator, initiatives=Initiative.objects.filter(pk=kept.pk), status="completed"
    )
    assert api.get(detail).json()["status"] == "completed"

    # The frame: a key task's slug is part of every record's answer.
    key_task = KeyTask.objects.get(pk=kept.key_task_id)
    key_task.slug = "renamed-key-task"
    key_task.save()
    assert api.get(detail).json()["key_task"] == "renamed-key-task"

    # Withdrawn from the public: archived, then deleted.
    services.initiative_archive(actor=curator, initiative=newcomer, reason="Ended.")
    assert slugs(api.get(LIST_URL)) == [kept.slug]
    services.initiative_delete(actor=admin_user, initiative=Initiative.objects.get(pk=kept.pk))
    assert api.get(detail).status_code == 404
    assert slugs(api.get(LIST_URL)) == []


@pytest.mark.django_db
def test_signed_in_callers_are_never_served_the_anonymous_answer(api, client_for, contributor):
    public = factories.make_initiative(state="published")
    draft = factories.make_initiative(owner=contributor, state="draft")
    assert slugs(api.get(LIST_URL)) == [public.slug]
    own = client_for(contributor)
    assert set(slugs(own.get(LIST_URL))) == {public.slug, draft.slug}
    assert own.get(f"{LIST_URL}{draft.slug}/").status_code == 200
    assert api.get(f"{LIST_URL}{draft.slug}/").status_code == 404
    # Nor is what a signed-in caller read kept for the anonymous.
    assert slugs(api.get(LIST_URL)) == [public.slug]
    assert api.get(f"{LIST_URL}{draft.slug}/").status_code == 404


@pytest.mark.django_db
def test_errors_csv_and_cursor_walks_are_not_kept(api):
    factories.make_initiative(state="published")
    for url in (f"{LIST_URL}?page=99", f"{LIST_URL}?format=csv", f"{LIST_URL}?mode=cursor"):
        first, _ = _get(api, url)
        # The count is kept per generation whatever the answer: without it, a page past the
        # end reads the initiatives only if the view runs again.
        counting.forget_counts()
        again, sql = _get(api, url)
        assert first.status_code == again.status_code
        assert _reads_initiatives(sql), url


@pytest.mark.django_db
def test_languages_are_kept_apart_and_a_zero_lifetime_turns_the_cache_off(api, settings):
    factories.make_initiative(state="published")
    english, _ = _get(api, LIST_URL, HTTP_ACCEPT_LANGUAGE="en")
    chinese, sql = _get(api, LIST_URL, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.status_code == chinese.status_code == 200
    assert _reads_initiatives(sql)
    settings.API_ANSWER_CACHE_SECONDS = 0
    _, sql = _get(api, LIST_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert _reads_initiatives(sql)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_change_retires_the_answers_read_while_it_was_in_flight(api, curator):
    """The generation moves again after the commit: an answer read before it is not served."""
    initiative = factories.make_initiative(state="published", title="Before")
    detail = f"{LIST_URL}{initiative.slug}/"
    before = answers.generation()
    assert api.get(detail).json()["title"] == "Before"
    services.initiative_edit(actor=curator, initiative=initiative, data={"title": "After"})
    assert answers.generation() > before + 1
    assert api.get(detail).json()["title"] == "After"


@pytest.mark.django_db
def test_a_filter_follows_a_country_moved_to_another_region(api):
    from governance.models import Country

    initiative = factories.make_initiative(state="published", countries=["KE"])
    kenya = Country.objects.get(code="KE")
    elsewhere = "asia" if kenya.region != "asia" else "europe"
    url = f"{LIST_URL}?region={elsewhere}"
    assert slugs(api.get(url)) == []
    kenya.region = elsewhere
    kenya.save()
    assert slugs(api.get(url)) == [initiative.slug]


@pytest.mark.django_db
def test_kept_answers_are_still_throttled(api, settings):
    factories.make_initiative(state="published")
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "100/minute"},
    }
    codes = [api.get(LIST_URL).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    throttled = api.get(LIST_URL)
    assert throttled.json()["detail"] and throttled["Retry-After"]


@pytest.mark.django_db
def test_a_kept_answer_carries_the_headers_of_the_one_built(api):
    initiative = factories.make_initiative(state="published")
    for url in (LIST_URL, f"{LIST_URL}{initiative.slug}/"):
        built, _ = _get(api, url)
        kept, sql = _get(api, url)
        assert not _reads_initiatives(sql)
        for name in ("Content-Type", "ETag", "Allow", "Vary", "Content-Language", "X-Frame-Options"):
            assert kept.get(name) == built.get(name), (url, name)
        assert kept.has_header("Content-Security-Policy") == built.has_header("Content-Security-Policy")


@pytest.mark.django_db
def test_an_anonymous_caller_with_a_session_cookie_is_served_the_kept_answer(api):
    """A session that signs nobody in is anonymous to the API too."""
    factories.make_initiative(state="published")
    api.get(LIST_URL)
    api.cookies["sessionid"] = "not-a-session"
    again, sql = _get(api, LIST_URL)
    assert again.status_code == 200
    assert not _reads_initiatives(sql)
    # A browser asking for HTML gets the browsable page, never a kept JSON answer.
    page = api.get(LIST_URL, HTTP_ACCEPT="text/html")
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_change_from_another_process_shows_within_the_recheck_time(api, settings, monkeypatch, curator):
    """Another process's change is a row this process did not write: seen once it reads again."""
    from initiatives.models import CatalogueChange

    settings.API_ANSWER_RECHECK_SECONDS = 1.0
    clock = [1000.0]
    monkeypatch.setattr(answers.time, "monotonic", lambda: clock[0])
    initiative = factories.make_initiative(state="published", title="Before")
    detail = f"{LIST_URL}{initiative.slug}/"
    assert api.get(detail).json()["title"] == "Before"
    _, sql = _get(api, detail)
    assert sql == []  # kept, and the generation read a moment ago
    # Another process edits the record and adds its rows (raw SQL: no signal here).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE initiatives_initiative SET title = 'After' WHERE id = %s", [initiative.pk])
        cursor.execute(f"INSERT INTO {CatalogueChange._meta.db_table} DEFAULT VALUES")
    clock[0] += 0.5
    assert api.get(detail).json()["title"] == "Before"
    clock[0] += 0.6
    assert api.get(detail).json()["title"] == "After"
    # A change made in this process shows at once.
    services.initiative_edit(actor=curator, initiative=initiative, data={"title": "Changed here"})
    assert api.get(detail).json()["title"] == "Changed here"


@pytest.mark.django_db
def test_a_conditional_read_that_finds_nothing_kept_keeps_the_answer_it_builds(api):
    initiative = factories.make_initiative(state="published")
    for url in (LIST_URL, f"{LIST_URL}{initiative.slug}/"):
        etag = api.get(url)["ETag"]
        answers.forget_all()  # evicted, or kept by another worker only
        first, _ = _get(api, url, HTTP_IF_NONE_MATCH=etag)
        assert first.status_code == 304 and first.content == b"" and first["ETag"] == etag
        again, sql = _get(api, url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and not _reads_initiatives(sql), url
        full, sql = _get(api, url)
        assert full.status_code == 200 and full.json() and not _reads_initiatives(sql)


def test_the_memory_store_keeps_the_most_recently_used_within_its_bytes():
    store = answers.MemoryStore(limit_bytes=3 * (1000 + 512))
    for name in "abc":
        store.set(name, ({}, b"x" * 1000), 60)
    assert store.get("a") is not None  # now the most recently used
    store.set("d", ({}, b"x" * 1000), 60)
    assert store.get("b") is None  # the least recently used went out
    assert [store.get(name) is not None for name in "acd"] == [True, True, True]
    assert store.size <= store.limit
    store.set("huge", ({}, b"x" * 10_000), 60)  # larger than the whole store: not kept
    assert store.get("huge") is None and store.get("d") is not None
    store.set("stale", ({}, b"x"), 0)
    assert store.get("stale") is None


@pytest.mark.django_db
def test_answers_larger_than_the_memory_limit_are_built_every_time(api, settings):
    factories.make_initiative(state="published")
    settings.API_ANSWER_CACHE_MB = 0.0001  # about 100 bytes
    for _ in range(2):
        response, sql = _get(api, LIST_URL)
        assert response.status_code == 200 and _reads_initiatives(sql)


@pytest.mark.django_db
@pytest.mark.integration
def test_answers_can_be_shared_through_redis(api, settings):
    settings.CACHES = {
        **settings.CACHES,
        "answers": {"BACKEND": "config.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/14"},
    }
    settings.API_ANSWER_CACHE = "answers"
    answers.forget_all()
    initiative = factories.make_initiative(state="published")
    detail = f"{LIST_URL}{initiative.slug}/"
    built, _ = _get(api, detail)
    kept, sql = _get(api, detail)
    assert kept.content == built.content and not _reads_initiatives(sql)
    answers.forget_all()


@pytest.mark.django_db
def test_links_in_a_kept_answer_are_those_of_the_host_and_scheme_asked(api):
    for _ in range(2):
        factories.make_initiative(state="published")
    asked = [
        ({"HTTP_HOST": "localhost"}, "http://localhost/"),
        ({"HTTP_HOST": "127.0.0.1"}, "http://127.0.0.1/"),
        ({"HTTP_HOST": "localhost", "secure": True}, "https://localhost/"),
    ]
    for _round in range(2):  # the second round is served from what the first kept
        for extra, base in asked:
            response = api.get(LIST_URL, {"page_size": 1}, **extra)
            assert response.json()["next"] == f"{base}api/v1/initiatives/?page=2&page_size=1", extra


@pytest.mark.django_db
def test_renaming_a_user_retires_the_answers_that_show_the_old_name(api, admin_user, client):
    owner = factories.contributor(username="old-name")
    record = factories.make_initiative(owner=owner, state="published")
    detail = f"{LIST_URL}{record.slug}/"
    assert api.get(detail).json()["owner"] == "old-name"
    assert api.get(LIST_URL).json()["results"][0]["owner"] == "old-name"

    # Renamed in the admin, which saves every field of the user.
    client.force_login(admin_user)
    change = client.get(f"/admin/governance/user/{owner.pk}/change/").context["adminform"].form
    data = {name: value for name, value in change.initial.items() if value is not None}
    data.update(
        username="new-name",
        groups=[group.pk for group in change.initial["groups"]],
        user_permissions=[],
        last_login_0="",
        last_login_1="",
        date_joined_0="2026-01-01",
        date_joined_1="00:00:00",
    )
    assert client.post(f"/admin/governance/user/{owner.pk}/change/", data).status_code == 302
    assert api.get(detail).json()["owner"] == "new-name"
    assert api.get(LIST_URL).json()["results"][0]["owner"] == "new-name"

    # Saved through the ORM, as a script would.
    owner.refresh_from_db()
    owner.username = "newer-name"
    owner.save()
    assert api.get(detail).json()["owner"] == "newer-name"


@pytest.mark.django_db
def test_saving_a_user_without_renaming_keeps_the_answers(api):
    owner = factories.contributor()
    record = factories.make_initiative(owner=owner, state="published")
    detail = f"{LIST_URL}{record.slug}/"
    api.get(detail)
    owner.set_password("another-long-passphrase")
    owner.save()  # a password change saves every field
    owner.first_name = "Amina"
    owner.save(update_fields=["first_name"])
    again, sql = _get(api, detail)
    assert not _reads_initiatives(sql)
