"""The frame is in a fresh database, exactly as the design lists it, and its migrations reverse."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder
from tests import factories

KEY_TASKS = {
    "multilateral-mechanisms": (1, "加强多边机制在网络空间全球治理中的中流砥柱作用", 5),
    "global-south": (2, "发挥“全球南方”在网络空间命运共同体建设中的基石作用", 4),
    "major-power-cooperation": (3, "提升网络空间大国在国际网络空间合作中的引领作用", 3),
    "multi-stakeholder": (4, "激发多利益攸关方在网络空间命运共同体建设中的主动性", 2),
}
ADVOCACIES = {"prosperity": "发展优先", "security": "安危与共", "inclusiveness": "文明互鉴"}
NAMED_BODIES = {
    "united-nations": "联合国",
    "un-gge": "联合国信息安全政府专家组",
    "oewg": "联合国信息安全开放式工作组",
    "unesco": "联合国教科文组织",
    "itu": "国际电信联盟",
    "undp": "联合国开发计划署",
    "world-bank": "世界银行",
    "undco": "联合国发展协调办公室",
    "hlp-digital-cooperation": "联合国秘书长数字合作高级别小组",
    "world-internet-conference": "世界互联网大会",
}
# ISO 3166-1 has 249 officially assigned alpha-2 codes; 134 of them are G77 members.
ISO_COUNTRIES = 249
G77_MEMBERS = 134


def frame_counts() -> dict:
    return {
        "key tasks": KeyTask.objects.count(),
        "action lines": ActionLine.objects.count(),
        "advocacies": Advocacy.objects.count(),
        "countries": Country.objects.count(),
        "global south": Country.objects.global_south().count(),
        "stakeholders": Stakeholder.objects.filter(slug__in=NAMED_BODIES).count(),
        "groups": Group.objects.filter(name__in=["Contributor", "Curator", "Moderator"]).count(),
    }


EXPECTED_COUNTS = {
    "key tasks": 4,
    "action lines": 14,
    "advocacies": 3,
    "countries": ISO_COUNTRIES,
    "global south": G77_MEMBERS,
    "stakeholders": 10,
    "groups": 3,
}


def test_four_key_tasks_with_the_article_headings(db):
    tasks = {task.slug: task for task in KeyTask.objects.all()}
    assert set(tasks) == set(KEY_TASKS)
    for slug, (number, heading, lines) in KEY_TASKS.items():
        task = tasks[slug]
        assert task.number == number
        assert task.heading_zh == heading
        assert task.name_en and task.name_zh and task.heading_en
        assert task.action_lines.count() == lines, slug
    assert [t.slug for t in KeyTask.objects.all()] == list(KEY_TASKS)


def test_action_lines_are_bilingual_and_ordered_within_their_task(db):
    for line in ActionLine.objects.all():
        assert line.name_en and line.name_zh, line.slug
    for task in KeyTask.objects.all():
        positions = list(task.action_lines.values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1))
    assert ActionLine.objects.get(slug="south-south-projects").key_task.slug == "global-south"


def test_three_advocacies(db):
    advocacies = {a.slug: a for a in Advocacy.objects.all()}
    assert set(advocacies) == set(ADVOCACIES)
    for slug, motto in ADVOCACIES.items():
        assert advocacies[slug].motto_zh.startswith(motto)
        assert advocacies[slug].name_en and advocacies[slug].motto_en


def test_every_iso_country_with_chinese_name_region_and_global_south_flag(db):
    assert Country.objects.count() == ISO_COUNTRIES
    assert not Country.objects.filter(name_zh="").exists()
    # UN M49 places Antarctica in no region; every other country has one.
    assert list(Country.objects.filter(region="").values_list("code", flat=True)) == ["AQ"]
    assert Country.objects.global_south().count() == G77_MEMBERS
    china = Country.objects.get(code="CN")
    assert (china.name_en, china.name_zh, china.region, china.alpha3, china.numeric) == (
        "China",
        "中国",
        "asia",
        "CHN",
        "156",
    )
    assert china.global_south
    assert Country.objects.get(code="KE").region == "africa"
    assert Country.objects.get(code="BR").global_south
    assert not Country.objects.get(code="DE").global_south
    assert not Country.objects.get(code="US").global_south


def test_the_bodies_the_article_names(db):
    seeded = dict(Stakeholder.objects.filter(slug__in=NAMED_BODIES).values_list("slug", "name_zh"))
    assert seeded == NAMED_BODIES
    assert Stakeholder.objects.get(slug="itu").kind == "un-body"
    assert Stakeholder.objects.get(slug="world-bank").kind == "intergovernmental"


def permissions_of(role: str) -> set[str]:
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


def test_role_groups_and_their_permissions(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {"Contributor", "Curator", "Moderator"}
    contributor, curator, moderator = (permissions_of(r) for r in ("Contributor", "Curator", "Moderator"))
    assert {"add_initiative", "view_initiative", "add_update"} <= contributor
    assert "change_initiative" not in contributor
    assert {"change_initiative", "change_stakeholder", "add_tag"} <= curator
    assert {"change_comment", "change_pendingrevision"} <= moderator
    # A moderator decides; they do not edit content or delete it.
    assert not {"change_initiative", "delete_initiative"} & moderator
    # Moderating and curating are the roles' rules permissions (initiatives/rules.py), not
    # Django permissions kept beside them.
    assert not {"moderate_initiative", "curate_initiative"} & (contributor | curator | moderator)
    a_curator, a_moderator = factories.curator(), factories.moderator()
    assert a_curator.has_perm("initiatives.curate") and not a_curator.has_perm("initiatives.moderate")
    assert a_moderator.has_perm("initiatives.moderate") and not a_moderator.has_perm("initiatives.curate")
    assert not any(p.startswith("delete_initiative") for p in contributor | curator | moderator)


def test_the_seed_counts(db):
    assert frame_counts() == EXPECTED_COUNTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrations_reverse_to_zero_and_forward_again():
    call_command("migrate", "initiatives", "zero", verbosity=0)
    call_command("migrate", "governance", "zero", verbosity=0)
    executor = MigrationExecutor(connection)
    applied = {app for app, _name in executor.loader.applied_migrations}
    assert "governance" not in applied
    assert "initiatives" not in applied
    assert "governance_keytask" not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)
    assert not MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    assert frame_counts() == EXPECTED_COUNTS
    assert "change_pendingrevision" in permissions_of("Moderator")
    assert not Permission.objects.filter(codename__in=["moderate_initiative", "curate_initiative"]).exists()
