"""Seed the article's four key tasks, their action lines and the three advocacies."""

from django.db import migrations

KEY_TASKS = [
    {
        "number": 1,
        "slug": "multilateral-mechanisms",
        "name_en": "Multilateral mechanisms",
        "name_zh": "多边机制",
        "heading_zh": "加强多边机制在网络空间全球治理中的中流砥柱作用",
        "heading_en": "Strengthen the mainstay role of multilateral mechanisms in the global governance of cyberspace",
        "action_lines": [
            (
                "un-gge-oewg-law-and-norms",
                "UN GGE / OEWG: international law and norms",
                "联合国信息安全政府专家组和开放式工作组：国际法与规范",
            ),
            (
                "unesco-itu-access-digital-divide",
                "UNESCO / ITU: universal access and the digital divide",
                "联合国教科文组织和国际电信联盟：普遍接入与数字鸿沟",
            ),
            (
                "regional-thematic-cooperation",
                "Regional and thematic cooperation (security defence, emergency response, data flows, digital economy)",
                "区域与专题合作（安全防护、应急响应、数据流动、数字经济）",
            ),
            (
                "rules-standards-negotiation",
                "Rules and standards negotiation (sovereignty and jurisdiction, responsibilities, mutual trust)",
                "规则与标准协商（主权与管辖、责任义务、相互信任）",
            ),
            (
                "new-multilateral-platforms",
                "New multilateral platforms (forum, organisation, rule-negotiation mechanism)",
                "多边合作新平台（治理论坛、合作组织、规则协商机制）",
            ),
        ],
    },
    {
        "number": 2,
        "slug": "global-south",
        "name_en": "The Global South",
        "name_zh": "全球南方",
        "heading_zh": "发挥“全球南方”在网络空间命运共同体建设中的基石作用",
        "heading_en": "Let the Global South play its cornerstone role in building a community with a shared future in cyberspace",
        "action_lines": [
            (
                "un-digital-cooperation",
                "UN digital cooperation (Secretary-General's High-level Panel, UNDCO)",
                "联合国数字合作（秘书长数字合作高级别小组、联合国发展协调办公室）",
            ),
            (
                "poverty-reduction-education",
                "Poverty reduction and education (UNDP, World Bank)",
                "减贫与教育（联合国开发计划署、世界银行）",
            ),
            ("south-south-initiatives-summits", "South-South initiatives and summits", "南南合作倡议与峰会"),
            (
                "south-south-projects",
                "South-South cooperation projects (smart cities, digital agriculture, e-commerce)",
                "南南合作项目（智慧城市、数字农业、电子商务）",
            ),
        ],
    },
    {
        "number": 3,
        "slug": "major-power-cooperation",
        "name_en": "Major-power cooperation",
        "name_zh": "大国合作",
        "heading_zh": "提升网络空间大国在国际网络空间合作中的引领作用",
        "heading_en": "Raise the leading role of major cyber powers in international cyberspace cooperation",
        "action_lines": [
            (
                "bilateral-frameworks",
                "Bilateral cooperation frameworks (committee, dialogue, coordination mechanism)",
                "双边合作框架（委员会、对话、协调机制）",
            ),
            (
                "confidence-building-measures",
                "Confidence-building measures (security, development, human rights)",
                "建立信任措施（安全、发展、人权）",
            ),
            (
                "bilateral-plans",
                "Bilateral cooperation plans (technical exchange, talent training, project cooperation)",
                "双边合作计划（技术交流、人才培养、项目合作）",
            ),
        ],
    },
    {
        "number": 4,
        "slug": "multi-stakeholder",
        "name_en": "Multi-stakeholder participation",
        "name_zh": "多利益攸关方",
        "heading_zh": "激发多利益攸关方在网络空间命运共同体建设中的主动性",
        "heading_en": "Spark the initiative of multiple stakeholders in building a community with a shared future in cyberspace",
        "action_lines": [
            (
                "multi-stakeholder-networks",
                "Multi-stakeholder networks (alliance, association, community)",
                "多元合作网络（联盟、协会、社区）",
            ),
            (
                "multi-stakeholder-projects",
                "Multi-stakeholder projects (research, service, creative)",
                "多元合作项目（研究、服务、创意）",
            ),
        ],
    },
]

ADVOCACIES = [
    (
        "prosperity",
        "Development first: an inclusive and prosperous cyberspace",
        "发展优先",
        "普惠繁荣",
        "Development first; inclusive prosperity",
    ),
    (
        "security",
        "Shared security: a peaceful and secure cyberspace",
        "安危与共",
        "和平安全",
        "Security shared by all; peace and security",
    ),
    (
        "inclusiveness",
        "Mutual learning among civilisations: an equal and inclusive cyberspace",
        "文明互鉴",
        "平等包容",
        "Mutual learning among civilisations; equality and inclusiveness",
    ),
]


def seed(apps, schema_editor):
    KeyTask = apps.get_model("governance", "KeyTask")
    ActionLine = apps.get_model("governance", "ActionLine")
    Advocacy = apps.get_model("governance", "Advocacy")
    for task in KEY_TASKS:
        fields = {k: v for k, v in task.items() if k != "action_lines"}
        key_task, _ = KeyTask.objects.update_or_create(slug=task["slug"], defaults=fields)
        for position, (slug, name_en, name_zh) in enumerate(task["action_lines"], start=1):
            ActionLine.objects.update_or_create(
                slug=slug,
                defaults={"key_task": key_task, "name_en": name_en, "name_zh": name_zh, "position": position},
            )
    for position, (slug, name_en, name_zh, motto_zh, motto_en) in enumerate(ADVOCACIES, start=1):
        Advocacy.objects.update_or_create(
            slug=slug,
            defaults={
                "name_en": name_en,
                "name_zh": f"倡导{name_zh}，构建更加{motto_zh}的网络空间",
                "motto_zh": f"{name_zh}，{motto_zh}",
                "motto_en": motto_en,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("governance", "ActionLine").objects.filter(
        slug__in=[slug for task in KEY_TASKS for slug, *_ in task["action_lines"]]
    ).delete()
    apps.get_model("governance", "KeyTask").objects.filter(slug__in=[t["slug"] for t in KEY_TASKS]).delete()
    apps.get_model("governance", "Advocacy").objects.filter(slug__in=[a[0] for a in ADVOCACIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
