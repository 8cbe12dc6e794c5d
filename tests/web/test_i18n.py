"""The interface in English and Chinese, and the frame's names in the reader's language."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def _switch(client, language: str):
    return client.post("/i18n/setlang/", {"language": language, "next": "/initiatives/"})


def test_the_switcher_turns_the_interface_into_chinese_and_back(client):
    initiative = factories.make_initiative(state="published")
    response = _switch(client, "zh-hans")
    assert response.status_code == 302 and response["Location"] == "/initiatives/"
    page = client.get("/").content.decode()
    assert 'lang="zh-Hans"' in page
    for text in ("浏览", "四项重点任务", "最新发布", "全球南方", "登录"):
        assert text in page, text
    detail = client.get(initiative.get_absolute_url()).content.decode()
    for text in ("参与方", "联合国开发计划署", "肯尼亚", "牵头方", "动态", "历史"):
        assert text in detail, text
    browse = client.get("/initiatives/").content.decode()
    assert "应用筛选" in browse and "非洲" in browse
    _switch(client, "en")
    page = client.get("/").content.decode()
    assert "The four key tasks" in page and "四项重点任务" not in page


def test_every_page_of_the_site_renders_in_chinese(client, contributor):
    initiative = factories.make_initiative(owner=contributor, state="published")
    client.force_login(contributor)
    _switch(client, "zh-hans")
    for url in (
        "/",
        "/initiatives/",
        initiative.get_absolute_url(),
        "/key-tasks/global-south/",
        "/countries/",
        "/countries/KE/",
        "/stakeholders/",
        "/stakeholders/undp/",
        "/tags/",
        "/workspace/",
        "/workspace/new/",
        "/following/",
        "/accounts/profile/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "我的倡议" in response.content.decode(), url
