"""Demo accounts and initiatives for `make run`; running it again changes nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from governance.choices import Role
from governance.models import Stakeholder
from governance.services import role_grant, user_create
from initiatives import services
from initiatives.choices import UpdateState
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
    (
        "China-Arab States summit digital cooperation action plan",
        "Commitments from the summit on data centres, cloud services and cyber capacity in Arab states.",
        "global-south",
        "south-south-initiatives-summits",
        "programme",
        "active",
        ["CN", "SA", "EG", "AE", "DZ"],
        [("cac", "partner")],
        ["summit", "south-south"],
        ["prosperity"],
        "published",
        2022,
    ),
    (
        "中非数字创新伙伴计划",
        "中非双方在数字基础设施、数字经济、数字教育和数字安全领域深化合作。",
        "global-south",
        "south-south-initiatives-summits",
        "programme",
        "active",
        ["CN", "ZA", "NG", "KE", "ET"],
        [("au-commission", "partner"), ("cac", "partner")],
        ["数字创新", "中非合作"],
        ["prosperity", "inclusiveness"],
        "published",
        2021,
    ),
    (
        "Smart city pilot in Nairobi and Kigali",
        "Traffic, water and lighting sensors with open data portals, built with local universities.",
        "global-south",
        "south-south-projects",
        "project",
        "active",
        ["KE", "RW", "CN"],
        [("huawei", "partner"), ("undp", "funder")],
        ["smart cities", "open data"],
        ["prosperity"],
        "published",
        2023,
    ),
    (
        "Cross-border e-commerce training for Pacific islands",
        "Online-shop, logistics and payments training for small businesses in Pacific island states.",
        "global-south",
        "south-south-projects",
        "programme",
        "completed",
        ["FJ", "WS", "TO", "PG"],
        [("undp", "lead")],
        ["e-commerce", "small business"],
        ["prosperity", "inclusiveness"],
        "published",
        2021,
    ),
    (
        "UN Secretary-General's Roadmap for Digital Cooperation consultations",
        "Regional consultations feeding the roadmap's recommendations on connectivity and digital trust.",
        "global-south",
        "un-digital-cooperation",
        "mechanism",
        "completed",
        ["CN", "IN", "BR", "ZA", "EG"],
        [("hlp-digital-cooperation", "host"), ("undco", "partner")],
        ["digital cooperation", "roadmap"],
        ["inclusiveness"],
        "published",
        2019,
    ),
    (
        "World Bank digital public infrastructure programme",
        "Financing for digital identity, payments and data-exchange systems in low-income countries.",
        "global-south",
        "poverty-reduction-education",
        "programme",
        "active",
        ["ET", "BD", "PK", "GH"],
        [("world-bank", "lead"), ("undp", "partner")],
        ["digital public infrastructure", "finance"],
        ["prosperity"],
        "published",
        2023,
    ),
    (
        "UN GGE report implementation workshop for Latin America",
        "Workshop on applying international law to state use of ICTs, for diplomats of the region.",
        "multilateral-mechanisms",
        "un-gge-oewg-law-and-norms",
        "event",
        "completed",
        ["BR", "AR", "MX", "CL"],
        [("un-gge", "host"), ("brazil-mcti", "partner")],
        ["international law", "norms"],
        ["security"],
        "published",
        2022,
    ),
    (
        "UNESCO Internet Universality indicators assessment",
        "National assessments of rights, openness, access and multi-stakeholder participation online.",
        "multilateral-mechanisms",
        "unesco-itu-access-digital-divide",
        "project",
        "active",
        ["KE", "SN", "TH", "BR"],
        [("unesco", "lead"), ("digital-rights-africa", "partner")],
        ["internet universality", "access"],
        ["inclusiveness"],
        "published",
        2020,
    ),
    (
        "全球数据安全倡议",
        "倡议各国以事实为依据全面客观看待数据安全问题，维护全球信息技术产品和服务的供应链开放、安全、稳定。",
        "multilateral-mechanisms",
        "rules-standards-negotiation",
        "measure",
        "active",
        ["CN", "PK", "RU"],
        [("cac", "lead")],
        ["数据安全", "供应链"],
        ["security"],
        "published",
        2020,
    ),
    (
        "Regional data-flow dialogue for the Belt and Road",
        "Dialogue on interoperable rules for cross-border data flows and personal-data protection.",
        "multilateral-mechanisms",
        "regional-thematic-cooperation",
        "dialogue",
        "planned",
        ["CN", "KZ", "UZ", "TR"],
        [("cac", "host")],
        ["data flows", "privacy"],
        ["prosperity", "security"],
        "submitted",
        2026,
    ),
    (
        "World Internet Conference Wuzhen Summit",
        "Annual forum of governments, firms and experts on the governance of cyberspace.",
        "multilateral-mechanisms",
        "new-multilateral-platforms",
        "event",
        "active",
        ["CN", "RU", "BR", "ZA", "IN"],
        [("world-internet-conference", "host"), ("cac", "partner")],
        ["forum", "internet governance"],
        ["inclusiveness", "prosperity"],
        "published",
        2014,
    ),
    (
        "中俄信息安全磋商机制",
        "双方就网络空间国际规则、信息安全合作等议题定期开展磋商。",
        "major-power-cooperation",
        "bilateral-frameworks",
        "dialogue",
        "active",
        ["CN", "RU"],
        [("cac", "partner")],
        ["双边磋商", "信息安全"],
        ["security"],
        "published",
        2015,
    ),
    (
        "China-EU digital dialogue on trusted data flows",
        "High-level digital dialogue covering platform regulation, data flows and standards.",
        "major-power-cooperation",
        "bilateral-frameworks",
        "dialogue",
        "suspended",
        ["CN", "DE", "FR", "BE"],
        [("cac", "partner")],
        ["data flows", "standards"],
        ["prosperity"],
        "published",
        2020,
    ),
    (
        "Cyber incident hotline between national CERTs",
        "A standing channel for national CERTs to exchange indicators during major incidents.",
        "major-power-cooperation",
        "confidence-building-measures",
        "measure",
        "active",
        ["CN", "GB"],
        [("cncert", "lead")],
        ["CBM", "incident response"],
        ["security"],
        "published",
        2019,
    ),
    (
        "Bilateral AI and cyber talent exchange",
        "Scholarships and joint labs for students and young researchers in AI safety and security.",
        "major-power-cooperation",
        "bilateral-plans",
        "programme",
        "planned",
        ["CN", "BR"],
        [("tsinghua-cyber", "lead"), ("brazil-mcti", "partner")],
        ["talent", "AI"],
        ["prosperity", "security"],
        "rejected",
        2026,
    ),
    (
        "China-Indonesia technical exchange on 5G security testing",
        "Joint test methods for telecom equipment and shared lab visits.",
        "major-power-cooperation",
        "bilateral-plans",
        "project",
        "completed",
        ["CN", "ID"],
        [("cncert", "partner"), ("huawei", "partner")],
        ["5G", "testing"],
        ["security"],
        "published",
        2021,
    ),
    (
        "BRICS Partnership on New Industrial Revolution network",
        "Alliance of firms and universities sharing practice on industrial internet and digital skills.",
        "multi-stakeholder",
        "multi-stakeholder-networks",
        "network",
        "active",
        ["CN", "BR", "IN", "RU", "ZA"],
        [("tsinghua-cyber", "partner"), ("huawei", "partner")],
        ["alliance", "industry"],
        ["prosperity"],
        "published",
        2020,
    ),
    (
        "African digital rights defenders association",
        "An association of civil-society groups that monitors shutdowns and offers legal help.",
        "multi-stakeholder",
        "multi-stakeholder-networks",
        "network",
        "active",
        ["KE", "NG", "UG", "GH", "ZA"],
        [("digital-rights-africa", "lead")],
        ["digital rights", "shutdowns"],
        ["inclusiveness"],
        "published",
        2018,
    ),
    (
        "Open-source community for multilingual content moderation",
        "Volunteers build datasets and tools for moderating content in under-served languages.",
        "multi-stakeholder",
        "multi-stakeholder-projects",
        "project",
        "active",
        ["IN", "KE", "ID", "PH"],
        [("digital-rights-africa", "partner"), ("tsinghua-cyber", "partner")],
        ["open source", "languages"],
        ["inclusiveness"],
        "published",
        2024,
    ),
    (
        "网络空间命运共同体案例研究项目",
        "高校与研究机构联合整理全球数字合作实践案例，形成年度报告。",
        "multi-stakeholder",
        "multi-stakeholder-projects",
        "project",
        "active",
        ["CN", "MY", "EG"],
        [("tsinghua-cyber", "lead"), ("world-internet-conference", "partner")],
        ["案例研究", "年度报告"],
        ["inclusiveness", "prosperity"],
        "published",
        2022,
    ),
    (
        "Creative commons for digital heritage in Central Asia",
        "Museums, artists and engineers digitise heritage collections under open licences.",
        "multi-stakeholder",
        "multi-stakeholder-projects",
        "project",
        "planned",
        ["KZ", "UZ", "KG", "TJ"],
        [("unesco", "partner")],
        ["heritage", "open licences"],
        ["inclusiveness"],
        "draft",
        2026,
    ),
]

# Progress notes for some published records: title -> [(kind, days ago, title, text)].
UPDATES = {
    "ITU Partner2Connect rural broadband pledges": [
        ("milestone", 400, "1,000 pledges registered", "Pledges passed one thousand across 100 countries."),
        (
            "progress",
            60,
            "Annual progress report",
            "Half of the pledged connectivity projects report progress.",
        ),
    ],
    "Digital agriculture pilots in the Sahel": [
        ("meeting", 120, "Partners meet in Dakar", "Review of the first growing season."),
        (
            "outcome",
            20,
            "Yields up in pilot villages",
            "Farmers using the advisory service report higher yields.",
        ),
    ],
    "China-Brazil cyberspace dialogue": [
        (
            "meeting",
            300,
            "Fifth round held in Brasília",
            "Talks on incident cooperation and the digital economy.",
        ),
    ],
    "World Internet Conference Wuzhen Summit": [
        ("meeting", 380, "2025 summit", "Sessions on AI governance and data security."),
        (
            "outcome",
            370,
            "Summit declaration published",
            "Participants adopted the summit's joint statement.",
        ),
    ],
    "Smart city pilot in Nairobi and Kigali": [
        ("milestone", 90, "Open data portal live", "Traffic and water data published under an open licence."),
    ],
    "UNESCO Internet Universality indicators assessment": [
        (
            "progress",
            150,
            "Three national reports finished",
            "Kenya, Senegal and Thailand published reports.",
        ),
    ],
    "Cyber incident hotline between national CERTs": [
        ("progress", 200, "Annual test of the hotline", "Both sides answered within the agreed hour."),
    ],
    "African digital rights defenders association": [
        ("outcome", 45, "Shutdown tracker report", "The association's yearly report lists 21 shutdowns."),
    ],
    "中国—东盟数字经济合作伙伴关系": [
        ("meeting", 100, "数字部长会议召开", "双方通过年度数字合作计划。"),
    ],
    "World Bank digital public infrastructure programme": [
        ("milestone", 30, "Second country goes live", "Digital identity launched in a second country."),
    ],
}


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
            if state in ("submitted", "published", "rejected"):
                services.initiative_submit(actor=owner, initiative=initiative)
            if state == "published":
                services.initiative_approve(actor=users["moderator"], initiative=initiative)
            if state == "rejected":
                services.initiative_reject(
                    actor=users["moderator"],
                    initiative=initiative,
                    reason="Please name the lead partner and add a public source.",
                )
            for kind, days_ago, update_title, text in UPDATES.get(title, []):
                update = services.update_create(
                    actor=owner,
                    initiative=initiative,
                    data={
                        "kind": kind,
                        "title": update_title,
                        "text": text,
                        "date": datetime.date.today() - datetime.timedelta(days=days_ago),
                    },
                )
                if update.state == UpdateState.HELD:
                    # The owner's note on a published record waits for a moderator, as on the site.
                    services.update_approve(actor=users["moderator"], update=update)
        return created
