"""A record in both languages through the API: `translations`, `?lang=`, Accept-Language,
partial writes, the original's text, the ETag and the kept answers by language."""

import pytest

from initiatives import services
from initiatives.models import InitiativeTranslation, PendingRevision
from tests import factories

LIST_URL = "/api/v1/initiatives/"

CHINESE = {
    "title": "中非数字丝路能力建设项目",
    "summary": "为非洲国家网络应急响应人员提供培训。",
    "body": "项目包括**研讨班**和联合演练。",
}
ENGLISH = {
    "title": "China-Africa Digital Silk Road capacity project",
    "summary": "Training for emergency response staff in African countries.",
    "body": "Workshops and **joint exercises**.",
}


def detail(slug: str) -> str:
    return f"{LIST_URL}{slug}/"


def chinese_record(client) -> dict:
    data = factories.initiative_data(language="zh-hans", **CHINESE)
    data["stakeholders"] = data.pop("participations")
    response = client.post(LIST_URL, data, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.django_db
def test_a_chinese_record_translated_to_english_round_trips_in_both_languages(client_for, contributor):
    client = client_for(contributor)
    created = chinese_record(client)
    assert created["language"] == "zh-hans"
    assert created["translations"]["zh-hans"] == {**CHINESE, "status": "original"}
    assert created["translations"]["en"] == {
        "title": None,
        "summary": None,
        "body": None,
        "status": "pending",
    }

    response = client.patch(detail(created["slug"]), {"translations": {"en": ENGLISH}}, format="json")
    assert response.status_code == 200, response.json()

    english = client.get(detail(created["slug"]), {"lang": "en"}).json()
    assert (english["title"], english["summary"], english["body"]) == tuple(ENGLISH.values())
    assert english["text_language"] == "en"
    assert english["translations"]["en"] == {**ENGLISH, "status": "person"}
    assert english["translations"]["zh-hans"]["status"] == "original"

    chinese = client.get(detail(created["slug"]), HTTP_ACCEPT_LANGUAGE="zh-Hans").json()
    assert (chinese["title"], chinese["text_language"]) == (CHINESE["title"], "zh-hans")
    # What was read is written back unchanged: nothing moves.
    again = client.patch(
        detail(created["slug"]),
        {"translations": {"en": {k: english["translations"]["en"][k] for k in ("title", "summary", "body")}}},
        format="json",
    ).json()
    assert again["version"] == english["version"]


@pytest.mark.django_db
def test_a_missing_translation_falls_back_to_the_original_and_says_so(client_for, contributor, api):
    client = client_for(contributor)
    created = chinese_record(client)
    english = client.get(detail(created["slug"]), {"lang": "en"}).json()
    assert english["title"] == CHINESE["title"]
    assert english["text_language"] == "zh-hans"


@pytest.mark.django_db
def test_a_patch_of_translations_replaces_only_the_fields_and_languages_it_names(client_for, curator):
    client = client_for(curator)
    created = chinese_record(client)
    client.patch(detail(created["slug"]), {"translations": {"en": ENGLISH}}, format="json")
    response = client.patch(
        detail(created["slug"]), {"translations": {"en": {"summary": "A shorter summary."}}}, format="json"
    )
    assert response.status_code == 200, response.json()
    entry = response.json()["translations"]["en"]
    assert entry["title"] == ENGLISH["title"] and entry["body"] == ENGLISH["body"]
    assert entry["summary"] == "A shorter summary."
    assert response.json()["translations"]["zh-hans"]["title"] == CHINESE["title"]

    # The original's entry writes the original; top-level fields write the original too.
    response = client.patch(
        detail(created["slug"]), {"translations": {"zh-hans": {"title": "新标题"}}}, format="json"
    )
    assert response.json()["translations"]["zh-hans"]["title"] == "新标题"
    response = client.patch(
        detail(created["slug"]), {"title": "再一个标题"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["translations"]["zh-hans"]["title"] == "再一个标题"
    assert response.json()["translations"]["en"]["title"] == ENGLISH["title"]

    # null removes a translation.
    response = client.patch(detail(created["slug"]), {"translations": {"en": None}}, format="json")
    assert response.json()["translations"]["en"]["status"] == "pending"
    assert not InitiativeTranslation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "Both at once", "translations": {"zh-hans": {"title": "两者"}}}, "translations"),
        ({"translations": {"fr": {"title": "Bonjour"}}}, "translations"),
        ({"translations": {"en": {"title": "X", "status": "original"}}}, "translations"),
        ({"translations": {"en": {"title": "X", "status": "machine"}}}, "translations"),
        ({"translations": {"en": {"summary": "Text without a title"}}}, "translations"),
        ({"translations": {"en": "just text"}}, "translations"),
        ({"translations": ["en"]}, "translations"),
        ({"translations": {"en": {"title": "x" * 301}}}, "translations"),
    ],
)
def test_bad_translations_are_a_400_on_the_field_and_change_nothing(client_for, curator, payload, field):
    client = client_for(curator)
    created = chinese_record(client)
    response = client.patch(detail(created["slug"]), payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    after = client.get(detail(created["slug"])).json()
    assert after["version"] == created["version"]
    assert after["translations"]["zh-hans"]["title"] == CHINESE["title"]


@pytest.mark.django_db
def test_making_a_translated_language_the_original_is_refused(client_for, curator):
    client = client_for(curator)
    created = chinese_record(client)
    client.patch(detail(created["slug"]), {"translations": {"en": ENGLISH}}, format="json")
    response = client.patch(detail(created["slug"]), {"language": "en"}, format="json")
    assert response.status_code == 400
    assert "language" in response.json()


@pytest.mark.django_db
def test_an_unknown_lang_is_a_400(api):
    response = api.get(LIST_URL, {"lang": "fr"})
    assert response.status_code == 400
    assert "lang" in response.json()


@pytest.mark.django_db
def test_the_etag_and_the_kept_answers_vary_with_the_language(api, client_for, curator):
    owner = factories.contributor()
    record = factories.make_initiative(owner=owner, state="published", language="zh-hans", **CHINESE)
    services.initiative_edit(actor=curator, initiative=record, data={"translations": {"en": {**ENGLISH}}})

    english = api.get(detail(record.slug), {"lang": "en"})
    chinese = api.get(detail(record.slug), {"lang": "zh-hans"})
    assert english["ETag"] != chinese["ETag"]
    assert english.json()["title"] == ENGLISH["title"]
    assert chinese.json()["title"] == CHINESE["title"]
    # Kept answers: the second read in each language is the same as the first, not the other's.
    assert api.get(detail(record.slug), {"lang": "en"}).json()["title"] == ENGLISH["title"]
    assert api.get(detail(record.slug), HTTP_ACCEPT_LANGUAGE="zh-Hans").json()["title"] == CHINESE["title"]
    assert api.get(detail(record.slug), HTTP_ACCEPT_LANGUAGE="en").json()["title"] == ENGLISH["title"]
    listed = api.get(LIST_URL, {"lang": "en"}).json()["results"][0]
    assert listed["title"] == ENGLISH["title"]
    assert api.get(LIST_URL, {"lang": "zh-hans"}).json()["results"][0]["title"] == CHINESE["title"]
    # The ETag read in one language is good for a write checked against it.
    writer = client_for(curator)
    etag = writer.get(detail(record.slug), {"lang": "zh-hans"})["ETag"]
    response = writer.patch(
        detail(record.slug), {"translations": {"en": {"summary": "New."}}}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.json()
    assert api.get(detail(record.slug), {"lang": "en"}).json()["summary"] == "New."


@pytest.mark.django_db
def test_a_contributors_translation_of_a_published_record_waits_for_a_moderator(client_for, api):
    owner = factories.contributor()
    record = factories.make_initiative(owner=owner, state="published", language="zh-hans", **CHINESE)
    response = client_for(owner).patch(detail(record.slug), {"translations": {"en": ENGLISH}}, format="json")
    assert response.status_code == 202
    assert api.get(detail(record.slug), {"lang": "en"}).json()["title"] == CHINESE["title"]
    revision = PendingRevision.objects.get(initiative=record)
    services.revision_approve(actor=factories.moderator(), revision=revision)
    assert api.get(detail(record.slug), {"lang": "en"}).json()["title"] == ENGLISH["title"]


@pytest.mark.django_db
def test_a_pending_translation_is_read_as_pending(client_for, curator):
    client = client_for(curator)
    created = chinese_record(client)
    response = client.patch(
        detail(created["slug"]), {"translations": {"en": {**ENGLISH, "status": "pending"}}}, format="json"
    )
    assert response.json()["translations"]["en"]["status"] == "pending"
    assert client.get(detail(created["slug"]), {"lang": "en"}).json()["title"] == ENGLISH["title"]


@pytest.mark.django_db
def test_a_record_created_with_both_languages_in_translations(client_for, contributor):
    data = factories.initiative_data(language="en")
    for field in ("title", "summary", "body"):
        data.pop(field)
    data["stakeholders"] = data.pop("participations")
    data["translations"] = {"en": ENGLISH, "zh-hans": CHINESE}
    response = client_for(contributor).post(LIST_URL, data, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["translations"]["en"] == {**ENGLISH, "status": "original"}
    assert body["translations"]["zh-hans"] == {**CHINESE, "status": "person"}
    # Without a title anywhere, creation is refused on title.
    data["translations"] = {"zh-hans": CHINESE}
    response = client_for(contributor).post(LIST_URL, data, format="json")
    assert response.status_code == 400 and "title" in response.json()


@pytest.mark.django_db
def test_search_finds_a_record_by_the_words_of_either_language(api, curator):
    chinese = factories.make_initiative(state="published", language="zh-hans", **CHINESE)
    services.initiative_edit(actor=curator, initiative=chinese, data={"translations": {"en": {**ENGLISH}}})
    english = factories.make_initiative(
        state="published",
        title="Pacific submarine cable resilience dialogue",
        summary="Operators and regulators plan repairs together.",
        body="",
    )
    services.initiative_edit(
        actor=curator,
        initiative=english,
        data={
            "translations": {
                "zh-hans": {"title": "太平洋海底光缆韧性对话", "summary": "运营商与监管机构共同规划维修。"}
            }
        },
    )

    def found(q: str) -> set[str]:
        return {row["slug"] for row in api.get(LIST_URL, {"q": q}).json()["results"]}

    # The Chinese original by its English translation (by stem: "exercise"), and by its own words.
    assert found("exercise") == {chinese.slug}
    assert found("Silk Road") == {chinese.slug}
    assert found("丝路") == {chinese.slug}
    # The English original by its Chinese translation, and by its own words.
    assert found("海底光缆") == {english.slug}
    assert found("submarine") == {english.slug}
    # A translation removed is no longer searched.
    services.initiative_edit(actor=curator, initiative=english, data={"translations": {}})
    assert found("海底光缆") == set()
