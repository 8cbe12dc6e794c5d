"""Factories for the test suite: users in roles, frame rows, initiatives through services."""

import itertools

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from governance.choices import Role
from governance.models import Stakeholder
from initiatives import services

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=str(extracted)))
            if extracted in (Role.CURATOR, Role.MODERATOR):
                self.is_staff = True
        self.save()


def contributor(**kwargs):
    return UserFactory(role=Role.CONTRIBUTOR, **kwargs)


def curator(**kwargs):
    return UserFactory(role=Role.CURATOR, **kwargs)


def moderator(**kwargs):
    return UserFactory(role=Role.MODERATOR, **kwargs)


def admin(**kwargs):
    return UserFactory(is_superuser=True, is_staff=True, **kwargs)


class StakeholderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stakeholder

    slug = factory.Sequence(lambda n: f"stakeholder-{n}")
    name_en = factory.Sequence(lambda n: f"Stakeholder {n}")
    name_zh = factory.Sequence(lambda n: f"机构{n}")
    kind = "civil-society"


def initiative_data(**overrides) -> dict:
    """Valid content for initiative_create; override any field."""
    number = next(_numbers)
    data = {
        "title": f"Cyber capacity initiative {number}",
        "summary": "Training national CERT staff in incident response.",
        "body": "Details in **Markdown**.",
        "key_task": "global-south",
        "action_line": "south-south-projects",
        "kind": "project",
        "status": "active",
        "countries": ["KE", "CN"],
        "tags": ["capacity building"],
        "advocacies": ["security"],
        "participations": [{"stakeholder": "undp", "role": "lead"}],
        "links": [{"url": "https://example.org/source", "title": "Source"}],
    }
    data.update(overrides)
    return data


def make_initiative(*, owner=None, state="draft", moderator_user=None, partners=(), **overrides):
    """An initiative created (with these partners invited and accepting as collaborators, while a
    draft) and moved to `state` through the services."""
    owner = owner or contributor()
    initiative = services.initiative_create(actor=owner, data=initiative_data(**overrides))
    for person in partners:
        invitation = services.collaborator_invite(
            actor=owner, initiative=initiative, identifier=person.username
        )
        services.invitation_accept(actor=person, invitation_id=invitation.pk)
    if state in ("submitted", "published", "rejected", "archived"):
        services.initiative_submit(actor=owner, initiative=initiative)
    if state in ("published", "archived"):
        services.initiative_approve(actor=moderator_user or moderator(), initiative=initiative)
    if state == "rejected":
        services.initiative_reject(
            actor=moderator_user or moderator(), initiative=initiative, reason="Needs sources."
        )
    if state == "archived":
        services.initiative_archive(actor=curator(), initiative=initiative)
    initiative.refresh_from_db()
    return initiative


def follow(*, user, initiative):
    """`user` follows `initiative`, as the Follow button records it."""
    from initiatives.models import TopicFollow

    return TopicFollow.objects.create(
        user=user, kind="initiative", value=initiative.slug, initiative=initiative
    )
