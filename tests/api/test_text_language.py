"""The API reads and writes the language of progress notes and comments: given, it is kept;
left out, it is detected from the text; an unknown code is a 400 that changes nothing."""

import pytest

from initiatives import services
from initiatives.models import Comment, Update
from tests import factories

pytestmark = pytest.mark.django_db

CHINESE = "第二期培训班顺利结业,四十名应急响应人员参加了课程。"
ENGLISH = "The second cohort finished the incident response course."


@pytest.fixture
def record(contributor):
    return factories.make_initiative(owner=contributor, state="published")


def test_notes_carry_their_language_given_or_detected(api, client_for, curator, record):
    client = client_for(curator)
    url = f"/api/v1/initiatives/{record.slug}/updates/"
    detected = client.post(url, {"title": "第二期结业", "text": CHINESE}, format="json")
    assert detected.status_code == 201, detected.json()
    assert detected.json()["language"] == "zh-hans"
    given = client.post(url, {"title": "CERT 2024", "text": "UNDP", "language": "zh-hans"}, format="json")
    assert given.status_code == 201 and given.json()["language"] == "zh-hans"
    english = client.post(url, {"title": "Second cohort", "text": ENGLISH}, format="json")
    assert english.json()["language"] == "en"
    listed = {note["id"]: note["language"] for note in api.get(url).json()["results"]}
    assert listed == {
        detected.json()["id"]: "zh-hans",
        given.json()["id"]: "zh-hans",
        english.json()["id"]: "en",
    }


@pytest.mark.parametrize("code", ["fr", "zh-Hans", "", None, 7])
def test_a_note_in_an_unknown_language_is_a_400(client_for, curator, record, code):
    url = f"/api/v1/initiatives/{record.slug}/updates/"
    response = client_for(curator).post(url, {"title": "Hello", "language": code}, format="json")
    assert response.status_code == 400
    assert "language" in response.json()
    assert not Update.objects.filter(initiative=record).exists()


def test_comments_carry_their_language_given_or_detected(api, client_for, record):
    reader = factories.contributor(username="li")
    client = client_for(reader)
    url = f"/api/v1/initiatives/{record.slug}/comments/"
    detected = client.post(url, {"body": CHINESE}, format="json")
    assert detected.status_code == 201 and detected.json()["language"] == "zh-hans"
    given = client.post(url, {"body": "OK", "language": "zh-hans"}, format="json")
    assert given.status_code == 201 and given.json()["language"] == "zh-hans"
    reply = client.post(url, {"body": ENGLISH, "parent": detected.json()["id"]}, format="json")
    assert reply.status_code == 201
    threads = api.get(url).json()["results"]
    assert [(c["id"], c["language"]) for c in threads] == [
        (detected.json()["id"], "zh-hans"),
        (given.json()["id"], "zh-hans"),
    ]
    assert threads[0]["replies"][0]["language"] == "en"
    # An edit is read again, or takes the language it is given.
    one = f"{url}{given.json()['id']}/"
    edited = client.patch(one, {"body": ENGLISH}, format="json")
    assert edited.status_code == 200 and edited.json()["language"] == "en"
    corrected = client.patch(one, {"body": ENGLISH, "language": "zh-hans"}, format="json")
    assert corrected.status_code == 200 and corrected.json()["language"] == "zh-hans"


def test_a_comment_in_an_unknown_language_is_a_400_that_changes_nothing(client_for, record):
    reader = factories.contributor()
    client = client_for(reader)
    url = f"/api/v1/initiatives/{record.slug}/comments/"
    refused = client.post(url, {"body": "Bonjour", "language": "fr"}, format="json")
    assert refused.status_code == 400 and "language" in refused.json()
    assert not Comment.objects.filter(initiative=record).exists()
    comment = services.comment_create(actor=reader, initiative=record, body=ENGLISH)
    refused = client.patch(f"{url}{comment.pk}/", {"body": CHINESE, "language": "xx"}, format="json")
    assert refused.status_code == 400 and "language" in refused.json()
    comment.refresh_from_db()
    assert (comment.body, comment.language) == (ENGLISH, "en")


def test_the_schema_lists_the_languages_for_notes_and_comments(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert schema["LanguageEnum"]["enum"] == ["en", "zh-hans"]
    for name in (
        "Update",
        "UpdateRequest",
        "Comment",
        "CommentReply",
        "CommentCreateRequest",
        "PatchedCommentEditRequest",
    ):
        language = schema[name]["properties"]["language"]
        assert language["allOf"][0]["$ref"] == "#/components/schemas/LanguageEnum", name
    assert "language" not in schema["UpdateRequest"].get("required", [])
    assert "language" not in schema["CommentCreateRequest"].get("required", [])
