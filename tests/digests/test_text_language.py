"""A digest's HTML marks each progress note's title with the note's own language."""

import pytest
from django.core import mail

from initiatives import services as initiative_services
from tests import factories

from .conftest import run_digests, subscriber

pytestmark = pytest.mark.django_db


def test_the_digest_marks_a_chinese_note_chinese_in_an_english_e_mail():
    user = subscriber()
    record = factories.make_initiative(state="published", title="Capacity building hub")
    run_digests(period="2030-01-01")
    curator = factories.curator()
    initiative_services.update_create(actor=curator, initiative=record, data={"title": "第二期培训班结业"})
    initiative_services.update_create(actor=curator, initiative=record, data={"title": "Third cohort opens"})
    mail.outbox.clear()
    run_digests(period="2030-01-02")
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    html = next(content for content, kind in message.alternatives if kind == "text/html")
    assert '<html lang="en">' in html
    assert '<span lang="zh-Hans">第二期培训班结业</span>' in html
    assert '<span lang="en">Third cohort opens</span>' in html


def test_each_subscriber_reads_a_translated_record_in_their_language():
    english_reader, chinese_reader = subscriber(), subscriber(language="zh-hans")
    run_digests(period="2030-01-01")
    record = factories.make_initiative(
        state="published", title="Pacific cable dialogue", summary="Operators meet."
    )
    initiative_services.initiative_edit(
        actor=factories.curator(),
        initiative=record,
        data={"translations": {"zh-hans": {"title": "太平洋海缆对话", "summary": "运营商会面。"}}},
    )
    mail.outbox.clear()
    run_digests(period="2030-01-02")
    by_reader = {m.to[0]: m for m in mail.outbox}
    english, chinese = by_reader[english_reader.email], by_reader[chinese_reader.email]
    assert "Pacific cable dialogue" in english.body and "太平洋海缆对话" not in english.body
    assert "太平洋海缆对话" in chinese.body and "运营商会面。" in chinese.body
    html = next(content for content, kind in chinese.alternatives if kind == "text/html")
    assert 'lang="zh-Hans">太平洋海缆对话</a>' in html
