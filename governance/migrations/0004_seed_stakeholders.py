"""Seed the bodies the article names."""

from django.db import migrations

STAKEHOLDERS = [
    ("united-nations", "United Nations", "联合国", "UN", "un-body", "https://www.un.org/"),
    (
        "un-gge",
        "UN Group of Governmental Experts on ICT security",
        "联合国信息安全政府专家组",
        "UN GGE",
        "un-body",
        "",
    ),
    (
        "oewg",
        "UN Open-ended Working Group on ICT security",
        "联合国信息安全开放式工作组",
        "OEWG",
        "un-body",
        "",
    ),
    (
        "unesco",
        "United Nations Educational, Scientific and Cultural Organization",
        "联合国教科文组织",
        "UNESCO",
        "un-body",
        "https://www.unesco.org/",
    ),
    (
        "itu",
        "International Telecommunication Union",
        "国际电信联盟",
        "ITU",
        "un-body",
        "https://www.itu.int/",
    ),
    (
        "undp",
        "United Nations Development Programme",
        "联合国开发计划署",
        "UNDP",
        "un-body",
        "https://www.undp.org/",
    ),
    ("world-bank", "World Bank", "世界银行", "", "intergovernmental", "https://www.worldbank.org/"),
    (
        "undco",
        "United Nations Development Coordination Office",
        "联合国发展协调办公室",
        "UNDCO",
        "un-body",
        "https://un-dco.org/",
    ),
    (
        "hlp-digital-cooperation",
        "UN Secretary-General's High-level Panel on Digital Cooperation",
        "联合国秘书长数字合作高级别小组",
        "",
        "un-body",
        "",
    ),
    (
        "world-internet-conference",
        "World Internet Conference",
        "世界互联网大会",
        "WIC",
        "intergovernmental",
        "https://www.wicinternet.org/",
    ),
]


def seed(apps, schema_editor):
    Stakeholder = apps.get_model("governance", "Stakeholder")
    for slug, name_en, name_zh, acronym, kind, website in STAKEHOLDERS:
        Stakeholder.objects.update_or_create(
            slug=slug,
            defaults={
                "name_en": name_en,
                "name_zh": name_zh,
                "acronym": acronym,
                "kind": kind,
                "website": website,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("governance", "Stakeholder").objects.filter(slug__in=[s[0] for s in STAKEHOLDERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0003_seed_countries")]
    operations = [migrations.RunPython(seed, unseed)]
