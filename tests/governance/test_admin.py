"""Every registered model's admin pages answer for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests import factories


@pytest.fixture
def admin_client_with_data(client, admin_user):
    factories.make_initiative(state="published")
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_every_registered_model_has_working_changelist_and_change_form(admin_client_with_data):
    client = admin_client_with_data
    checked = 0
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert response.status_code == 200, f"{model.__name__} changelist: {response.status_code}"
        obj = model_admin.get_queryset(response.wsgi_request).first()
        if obj is not None:
            response = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            assert response.status_code == 200, f"{model.__name__} change form: {response.status_code}"
        if model_admin.has_add_permission(response.wsgi_request):
            response = client.get(reverse("admin:{}_{}_add".format(*info)))
            assert response.status_code == 200, f"{model.__name__} add form: {response.status_code}"
        checked += 1
    assert checked >= 15


@pytest.mark.django_db
def test_country_autocomplete_finds_chinese_names(admin_client_with_data):
    response = admin_client_with_data.get(
        reverse("admin:autocomplete"),
        {"term": "肯尼亚", "app_label": "initiatives", "model_name": "initiative", "field_name": "countries"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == ["KE"]


@pytest.mark.django_db
def test_frame_is_read_only_for_curators(client, curator):
    client.force_login(curator)
    response = client.get(reverse("admin:governance_keytask_changelist"))
    assert response.status_code == 200
    response = client.get(reverse("admin:governance_keytask_change", args=[1]))
    assert b'name="name_en"' not in response.content


@pytest.mark.django_db
def test_unticking_active_in_the_admin_ends_sessions_and_tokens(client, admin_user):
    from django.contrib.sessions.models import Session
    from django.test import Client

    from governance.models import ApiToken
    from governance.services import api_token_create

    person = factories.contributor()
    person_client = Client()
    person_client.force_login(person)
    api_token_create(user=person, name="laptop")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:governance_user_changelist"),
        {"action": "deactivate_selected", "_selected_action": [person.pk]},
        follow=True,
    )
    assert "sessions ended: 1; API tokens revoked: 1" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active
    assert not ApiToken.objects.filter(user=person).exists()
    assert all(s.get_decoded().get("_auth_user_id") != str(person.pk) for s in Session.objects.all())
