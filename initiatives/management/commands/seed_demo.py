"""Demo accounts and initiatives for `make run`; running it again changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from governance.choices import Role
from governance.models import Stakeholder
from governance.services import role_grant, user_create
from initiatives import services
from initiatives.models import Initiative

DEMO_PASSWORD = "concord-demo-2026"  # noqa: S105 -- printed for local demo accounts only
ACCOUNTS = [
    ("admin", Role.CURATOR, True),
    ("contributor", Role.CONTRIBUTOR, False),
    ("contributor2", Role.CONTRIBUTOR, False),
    ("curator", Role.CURATOR, False),
    ("moderator", Role.MODERATOR, False),
]

STAKEHOLDERS = [
    ("cac", "Cyberspace Administration of China", "国家互联网信息办公室", "CAC", "government", "CN"),
    (
        "brazil-mcti",
        "Ministry of Science, Technology and Innovation of Brazil",
        "巴西科技创新部",
        "MCTI",
        "government",
        "BR",
    ),
    ("au-commission", "African Union Commission", "非洲联盟委员会", "AUC", "intergovernmental", "ET"),
    ("asean-secretariat", "ASEAN Secretariat", "东盟秘书处", "ASEAN", "intergovernmental", "ID"),
    (
        "tsinghua-cyber",
        "Tsinghua University Institute for Internet Governance",
        "清华大学网络治理研究院",
        "",
        "academia",
        "CN",
    ),
    ("digital-rights-africa", "Digital Rights Network Africa", "非洲数字权利网络", "", "civil-society", "KE"),
    ("cncert", "CNCERT/CC", "国家计算机网络应急技术处理协调中心", "CNCERT", "technical-community", "CN"),
    ("huawei", "Huawei Technologies", "华为技术有限公司", "", "private-sector", "CN"),
]

# Each row: title, summary, key task, action line, kind, status, countries,
# participants, tags, advocacies, moderation state, start year.
INITIATIVES = [
    (
        "Open-ended Working Group consultations on ICT security norms",
        "States negotiate the implementation of the eleven voluntary norms of responsible State behaviour.",
        "multilateral-mechanisms",
        "un-gge-oewg-law-and-norms",
        "mechanism",
        "active",
        ["CN", "BR", "KE", "ID"],
        [("oewg", "host"), ("cac", "partner")],
        ["norms", "international law"],
        ["security"],
        "published",
        2021,
    ),
    (
        "ITU Partner2Connect rural broadband pledges",
        "Pledges to connect the hardest-to-reach communities, with yearly progress reports.",
        "multilateral-mechanisms",
        "unesco-itu-access-digital-divide",
        "programme",
        "active",
        ["ET", "KE", "NG"],
        [("itu", "lead"), ("huawei", "partner")],
        ["connectivity", "digital divide"],
        ["prosperity"],
        "published",
        2022,
    ),
    (
        "ASEAN-China cyber emergency response drill",
        "Annual joint exercise of national CERTs on cross-border incident handling.",
        "multilateral-mechanisms",
        "regional-thematic-cooperation",
        "event",
        "completed",
        ["CN", "ID", "TH", "VN"],
        [("asean-secretariat", "host"), ("cncert", "partner")],
        ["incident response", "CERT"],
        ["security"],
        "published",
        2023,
    ),
    (
        "中国—东盟数字经济合作伙伴关系",
        "围绕跨境电子商务、智慧城市和数字人才培养开展务实合作。",
        "global-south",
        "south-south-projects",
        "programme",
        "active",
        ["CN", "ID", "MY", "PH"],
        [("asean-secretariat", "partner"), ("cac", "lead")],
        ["数字经济", "电子商务"],
        ["prosperity", "inclusiveness"],
        "published",
        2020,
    ),
    (
        "Digital agriculture pilots in the Sahel",
        "South-South project bringing farm-data services and mobile advisory tools to smallholders.",
        "global-south",
        "south-south-projects",
        "project",
        "active",
        ["ML", "NE", "SN", "CN"],
        [("undp", "funder"), ("au-commission", "partner")],
        ["agriculture", "south-south"],
        ["prosperity"],
        "published",
        2024,
    ),
    (
        "UNDP digital skills for teachers",
        "Teacher-training programme on digital literacy in least developed countries.",
        "global-south",
        "poverty-reduction-education",
        "programme",
        "planned",
        ["BD", "NP", "KH"],
        [("undp", "lead"), ("world-bank", "funder")],
        ["education", "digital skills"],
        ["prosperity", "inclusiveness"],
        "published",
        2025,
    ),
    (
        "China-Brazil cyberspace dialogue",
        "Regular bilateral dialogue on cybersecurity cooperation and the digital economy.",
        "major-power-cooperation",
        "bilateral-frameworks",
        "dialogue",
        "active",
        ["CN", "BR"],
        [("cac", "partner"), ("brazil-mcti", "partner")],
        ["bilateral", "dialogue"],
        ["security", "prosperity"],
        "published",
        2019,
    ),
    (
        "Confidence-building measures on critical infrastructure",
        "Points of contact and notification procedures for incidents affecting critical infrastructure.",
        "major-power-cooperation",
        "confidence-building-measures",
        "measure",
        "planned",
        ["CN", "RU", "US"],
        [("cncert", "partner")],
        ["CBM", "critical infrastructure"],
        ["security"],
        "submitted",
        2025,
    ),
    (
        "世界互联网大会数字丝路发展论坛",
        "汇聚各方共商数字丝绸之路建设，推动网络空间命运共同体理念落地。",
        "multi-stakeholder",
        "multi-stakeholder-networks",
        "event",
        "completed",
        ["CN", "KZ", "PK"],
        [("world-internet-conference", "host")],
        ["数字丝路", "论坛"],
        ["inclusiveness"],
        "published",
        2023,
    ),
    (
        "Global South internet governance research network",
        "Universities and civil society share research on platform governance and data protection.",
        "multi-stakeholder",
        "multi-stakeholder-projects",
        "network",
        "active",
        ["KE", "IN", "BR", "ZA", "CN"],
        [("tsinghua-cyber", "lead"), ("digital-rights-africa", "partner")],
        ["research", "data protection"],
        ["inclusiveness"],
        "published",
        2022,
    ),
    (
        "Youth cyber-hygiene campaign",
        "Volunteer trainers teach safe online habits in secondary schools.",
        "multi-stakeholder",
        "multi-stakeholder-projects",
        "project",
        "planned",
        ["KE", "UG"],
        [("digital-rights-africa", "lead")],
        ["education", "awareness"],
        ["security"],
        "draft",
        2026,
    ),
]


class Command(BaseCommand):
    help = "Create demo accounts and initiatives (idempotent) and print the sign-in details."

    def handle(self, *args, **options):
        with transaction.atomic():
            users = self._accounts()
            self._stakeholders()
            created = self._initiatives(users)
        self.stdout.write(f"Demo initiatives created now: {created}; in all: {Initiative.objects.count()}")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role, superuser in ACCOUNTS:
            label = "administrator" if superuser else str(role)
            self.stdout.write(f"  {username:<13} {label}")

    def _accounts(self) -> dict:
        User = get_user_model()
        users = {}
        for username, role, superuser in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username, email=f"{username}@concord.example", password=DEMO_PASSWORD, role=role
                )
                if superuser:
                    user.is_superuser = user.is_staff = True
                    user.save(update_fields=["is_superuser", "is_staff"])
            else:
                role_grant(actor=None, username=username, role=role)
            users[username] = user
        return users

    def _stakeholders(self) -> None:
        for slug, name_en, name_zh, acronym, kind, country in STAKEHOLDERS:
            Stakeholder.objects.get_or_create(
                slug=slug,
                defaults={
                    "name_en": name_en,
                    "name_zh": name_zh,
                    "acronym": acronym,
                    "kind": kind,
                    "country_id": country,
                },
            )

    def _initiatives(self, users) -> int:
        created = 0
        for index, row in enumerate(INITIATIVES):
            (
                title,
                summary,
                key_task,
                action_line,
                kind,
                status,
                countries,
                participants,
                tags,
                advocacies,
                state,
                start,
            ) = row
            if Initiative.objects.filter(title=title).exists():
                continue
            owner = users["contributor" if index % 2 == 0 else "contributor2"]
            initiative = services.initiative_create(
                actor=owner,
                data={
                    "title": title,
                    "summary": summary,
                    "body": f"## {title}\n\n{summary}\n\n- Key task: {key_task}\n- Since {start}",
                    "language": "zh-hans" if any("\u4e00" <= ch <= "\u9fff" for ch in title) else "en",
                    "key_task": key_task,
                    "action_line": action_line,
                    "kind": kind,
                    "status": status,
                    "start_date": datetime.date(start, 1, 15),
                    "countries": countries,
                    "participations": [{"stakeholder": s, "role": r} for s, r in participants],
                    "tags": tags,
                    "advocacies": advocacies,
                    "links": [{"url": "https://example.org/" + str(index), "title": "Source"}],
                },
            )
            created += 1
            if state in ("submitted", "published"):
                services.initiative_submit(actor=owner, initiative=initiative)
            if state == "published":
                services.initiative_approve(actor=users["moderator"], initiative=initiative)
        return created
