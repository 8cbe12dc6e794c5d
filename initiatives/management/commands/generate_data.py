"""Synthetic initiatives and digest subscribers at scale, for benchmarks and load tests.

On PostgreSQL the rows are streamed in with COPY (psycopg 3), one transaction per batch,
so a million initiatives load in minutes. The services are bypassed on purpose: a
million service calls would take the better part of a day. What is written is what the
services would have left behind for a record created and taken through moderation: the
row with its search document, its countries, advocacies, stakeholders with roles, tags,
collaborators, and a first revision holding the snapshot in the history format.

Identifiers are reserved from the tables' sequences before a run, so the command can be
run again (it adds) while the site is serving. On SQLite the same rows go through
bulk_create, which is only meant for small numbers.
"""

import datetime
import functools
import itertools
import json
import queue
import random
import threading
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from governance.choices import Role, StakeholderKind
from governance.models import ActionLine, Advocacy, Country, KeyTask, Stakeholder
from initiatives.answers import catalogue_changed
from initiatives.choices import (
    HistoryAction,
    InitiativeKind,
    InitiativeStatus,
    ModerationState,
    ParticipationRole,
)
from initiatives.history import snapshot_diff
from initiatives.models import Initiative, Participation, Revision
from initiatives.search import search_document
from initiatives.slugs import slug_base

OWNER_COUNT = 500
YEARS = 5

# (English, Chinese) pairs; text is drawn from these so that some words are common and,
# through the Zipf-distributed tags, others are rare: search sees both kinds of query.
TOPICS = [
    ("cyber capacity building", "网络能力建设"),
    ("incident response", "网络安全应急响应"),
    ("data governance", "数据治理"),
    ("digital inclusion", "数字包容"),
    ("cloud infrastructure", "云基础设施"),
    ("smart cities", "智慧城市"),
    ("cross-border e-commerce", "跨境电子商务"),
    ("digital agriculture", "数字农业"),
    ("norms of responsible state behaviour", "负责任国家行为规范"),
    ("critical infrastructure protection", "关键信息基础设施保护"),
    ("artificial intelligence governance", "人工智能治理"),
    ("internet exchange points", "互联网交换中心"),
    ("broadband access", "宽带接入"),
    ("digital skills", "数字技能"),
    ("cybercrime cooperation", "打击网络犯罪合作"),
    ("child online protection", "未成年人网络保护"),
    ("submarine cables", "海底光缆"),
    ("5G networks", "第五代移动通信网络"),
    ("open source software", "开源软件"),
    ("digital public goods", "数字公共产品"),
    ("cross-border data flows", "数据跨境流动"),
    ("e-government services", "电子政务服务"),
    ("telemedicine", "远程医疗"),
    ("online education", "在线教育"),
    ("mobile payments", "移动支付"),
    ("satellite internet", "卫星互联网"),
    ("digital trade rules", "数字贸易规则"),
    ("cyber threat intelligence", "网络威胁情报"),
    ("personal data protection", "个人信息保护"),
    ("internet governance", "互联网治理"),
    ("technical standards", "技术标准"),
    ("talent training", "人才培养"),
    ("digital literacy", "数字素养"),
    ("cloud computing", "云计算"),
    ("big data platforms", "大数据平台"),
    ("blockchain applications", "区块链应用"),
    ("internet of things", "物联网"),
    ("digital economy", "数字经济"),
    ("poverty reduction", "减贫"),
    ("disaster early warning", "灾害预警"),
]
PREFIXES = [
    ("Regional", "区域"),
    ("Joint", "联合"),
    ("National", "国家"),
    ("South-South", "南南"),
    ("Open", "开放"),
    ("Global", "全球"),
    ("Bilateral", "双边"),
    ("Multilateral", "多边"),
    ("Community", "社区"),
    ("Youth", "青年"),
]
KIND_WORDS = {
    InitiativeKind.PROJECT: ("Project", "项目"),
    InitiativeKind.DIALOGUE: ("Dialogue", "对话"),
    InitiativeKind.MECHANISM: ("Mechanism", "机制"),
    InitiativeKind.EVENT: ("Forum", "论坛"),
    InitiativeKind.NETWORK: ("Alliance", "联盟"),
    InitiativeKind.MEASURE: ("Confidence-Building Measure", "建立信任措施"),
    InitiativeKind.PROGRAMME: ("Programme", "计划"),
}
SENTENCES_EN = [
    "The partners share experience on {topic} and publish their results openly.",
    "Workshops in {country} train officials and engineers in {topic}.",
    "A joint working group meets twice a year to review progress on {topic}.",
    "The initiative supports the United Nations framework of responsible state behaviour in cyberspace.",
    "Small and medium enterprises in {country} receive technical assistance and mentoring.",
    "Universities contribute research and a shared curriculum on {topic}.",
    "An annual report tracks indicators agreed by all participants.",
    "Pilot deployments in {country} are evaluated before being scaled up across the region.",
    "Civil society organisations take part in the steering committee.",
    "Funding comes from the participating governments and development banks.",
    "The work narrows the digital divide between urban and rural communities.",
    "Experts exchange threat information through a secure channel.",
]
SENTENCES_ZH = [
    "各方围绕{topic}分享经验，并公开发布成果。",
    "在{country}举办的研讨班为官员和工程师提供{topic}培训。",
    "联合工作组每年召开两次会议，评估{topic}的进展。",
    "该倡议支持联合国网络空间负责任国家行为框架。",
    "{country}的中小企业获得技术援助和指导。",
    "高校围绕{topic}开展研究并共建课程。",
    "年度报告跟踪各方商定的指标。",
    "在{country}开展的试点经过评估后在地区推广。",
    "民间社会组织参与指导委员会的工作。",
    "资金来自参与国政府和开发银行。",
    "这项工作缩小城乡之间的数字鸿沟。",
    "专家通过安全渠道交流威胁信息。",
]
TAG_QUALIFIERS = [
    ("cloud", "云端"),
    ("data", "数据"),
    ("network", "网络"),
    ("cyber", "赛博"),
    ("digital", "数字"),
    ("AI", "智能"),
    ("mobile", "移动"),
    ("open", "开放"),
    ("smart", "智慧"),
    ("secure", "安全"),
    ("rural", "乡村"),
    ("urban", "城市"),
    ("public", "公共"),
    ("cross-border", "跨境"),
    ("green", "绿色"),
    ("quantum", "量子"),
    ("satellite", "卫星"),
    ("payment", "支付"),
    ("identity", "身份"),
    ("health", "健康"),
]
TAG_NOUNS = [
    ("security", "保障"),
    ("policy", "政策"),
    ("standards", "标准"),
    ("skills", "技能"),
    ("infrastructure", "设施"),
    ("governance", "治理"),
    ("research", "研究"),
    ("training", "培训"),
    ("inclusion", "普惠"),
    ("trade", "贸易"),
    ("privacy", "隐私"),
    ("resilience", "韧性"),
    ("innovation", "创新"),
    ("literacy", "素养"),
    ("diplomacy", "外交"),
    ("law", "法治"),
    ("ethics", "伦理"),
    ("startups", "创业"),
    ("finance", "金融"),
    ("sovereignty", "主权"),
    ("cooperation", "合作"),
    ("exchange", "交流"),
    ("capacity", "能力"),
    ("services", "服务"),
    ("platforms", "平台"),
    ("connectivity", "互联"),
    ("forensics", "取证"),
    ("norms", "规范"),
    ("audits", "审计"),
    ("labs", "实验室"),
    ("hubs", "枢纽"),
    ("communities", "社群"),
    ("testing", "测评"),
    ("procurement", "采购"),
    ("education", "教育"),
    ("agriculture", "农业"),
    ("logistics", "物流"),
    ("tourism", "旅游"),
    ("media", "媒体"),
    ("statistics", "统计"),
    ("archives", "档案"),
    ("maps", "地图"),
    ("sensors", "传感器"),
    ("certification", "认证"),
    ("incubation", "孵化"),
    ("mentoring", "辅导"),
    ("regulation", "监管"),
    ("transparency", "透明度"),
    ("accountability", "问责"),
    ("interoperability", "互操作"),
]
# Made-up organisations, a few per country: (slug prefix, English, Chinese, kind).
STAKEHOLDER_TEMPLATES = [
    ("ministry-digital", "Ministry of Digital Affairs of {en}", "{zh}数字事务部", StakeholderKind.GOVERNMENT),
    ("cert", "National CERT of {en}", "{zh}国家计算机应急响应组", StakeholderKind.TECHNICAL_COMMUNITY),
    (
        "policy-institute",
        "{en} Institute for Internet Policy",
        "{zh}互联网政策研究院",
        StakeholderKind.ACADEMIA,
    ),
    (
        "industry-association",
        "{en} Digital Industry Association",
        "{zh}数字产业协会",
        StakeholderKind.PRIVATE_SECTOR,
    ),
    ("digital-rights", "{en} Digital Rights Forum", "{zh}数字权利论坛", StakeholderKind.CIVIL_SOCIETY),
]
STAKEHOLDER_COUNTRIES = 60

MODERATION_WEIGHTS = {
    ModerationState.PUBLISHED: 82,
    ModerationState.DRAFT: 6,
    ModerationState.SUBMITTED: 4,
    ModerationState.REJECTED: 2,
    ModerationState.ARCHIVED: 6,
}
STATUS_WEIGHTS = {
    InitiativeStatus.PLANNED: 15,
    InitiativeStatus.ACTIVE: 50,
    InitiativeStatus.COMPLETED: 30,
    InitiativeStatus.SUSPENDED: 5,
}
SUPPORTING_ROLES = [ParticipationRole.PARTNER] * 4 + [
    ParticipationRole.FUNDER,
    ParticipationRole.HOST,
    ParticipationRole.OBSERVER,
]

INITIATIVE_COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "body",
    "language",
    "key_task_id",
    "action_line_id",
    "kind",
    "status",
    "start_date",
    "end_date",
    "owner_id",
    "moderation_state",
    "version",
    "created_at",
    "updated_at",
    "submitted_at",
    "published_at",
    "search_document",
)
REVISION_COLUMNS = (
    "initiative_id",
    "version",
    "action",
    "actor_id",
    "created_at",
    "change_message",
    "snapshot",
    "changes",
)


@dataclass
class Batch:
    """The rows of one batch, per table, as tuples in the order of the column lists."""

    initiatives: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    advocacies: list = field(default_factory=list)
    collaborators: list = field(default_factory=list)
    participations: list = field(default_factory=list)
    tagged: list = field(default_factory=list)
    revisions: list = field(default_factory=list)

    def row_count(self) -> int:
        return sum(len(rows) for rows in vars(self).values())


def _cumulative(weights) -> list[float]:
    return list(itertools.accumulate(weights))


def _distinct(rng: random.Random, population: list, cum_weights: list, k: int) -> list:
    """k distinct draws, weighted; a few extra draws absorb repeats."""
    picked = []
    for index in rng.choices(range(len(population)), cum_weights=cum_weights, k=k * 3):
        if index not in picked:
            picked.append(index)
            if len(picked) == k:
                break
    return [population[index] for index in picked]


@functools.lru_cache(maxsize=10_000)
def _slug_part(text: str) -> str:
    # Romanising Chinese costs ~0.1 ms a title, so titles are romanised by their parts,
    # which repeat.
    return slug_base(text)


class Frame:
    """The frame rows and vocabularies a run draws from, loaded once."""

    def __init__(self, *, owners: list, tags: list, rng: random.Random):
        self.key_tasks = list(KeyTask.objects.order_by("number"))
        if len(self.key_tasks) != 4:
            raise CommandError("The four key tasks are missing: run `manage.py migrate` first.")
        self.lines = {task.id: [] for task in self.key_tasks}
        for line in ActionLine.objects.all():
            self.lines[line.key_task_id].append(line)
        self.countries = list(Country.objects.all())
        # China and the Global South appear more often, as in the article's examples.
        self.country_cum = _cumulative(
            8 if c.code == "CN" else 3 if c.global_south else 1 for c in self.countries
        )
        self.stakeholders = list(Stakeholder.objects.all())
        self.advocacies = list(Advocacy.objects.all())
        self.owners = owners
        self.tags_en = [t for t in tags if t.name.isascii()]
        self.tags_zh = [t for t in tags if not t.name.isascii()]
        # Zipf-like: a few tags are everywhere, most are rare (selective searches).
        self.tags_en_cum = _cumulative(1 / (rank + 1) ** 1.1 for rank in range(len(self.tags_en)))
        self.tags_zh_cum = _cumulative(1 / (rank + 1) ** 1.1 for rank in range(len(self.tags_zh)))
        self.kinds = list(KIND_WORDS)
        self.states = list(MODERATION_WEIGHTS)
        self.states_cum = _cumulative(MODERATION_WEIGHTS.values())
        self.statuses = list(STATUS_WEIGHTS)
        self.statuses_cum = _cumulative(STATUS_WEIGHTS.values())
        self.rng = rng


def _initiative(frame: Frame, pk: int, now: datetime.datetime, batch: Batch, content_type_id: int) -> None:
    """Append one initiative and everything that hangs off it to the batch."""
    rng = frame.rng
    chinese = rng.random() < 0.4
    key_task = frame.key_tasks[rng.randrange(4)]
    lines = frame.lines[key_task.id]
    action_line = lines[rng.randrange(len(lines))] if lines and rng.random() < 0.9 else None
    kind = frame.kinds[rng.randrange(len(frame.kinds))]
    countries = _distinct(rng, frame.countries, frame.country_cum, rng.choice((1, 2, 3, 3, 3, 4, 5)))
    stakeholders = rng.sample(
        frame.stakeholders, min(len(frame.stakeholders), rng.choice((1, 2, 3, 3, 4, 5)))
    )
    roles = [ParticipationRole.LEAD] + [rng.choice(SUPPORTING_ROLES) for _ in stakeholders[1:]]
    advocacies = rng.sample(frame.advocacies, rng.choice((1, 1, 2, 3)))
    if chinese:
        tags = _distinct(rng, frame.tags_zh, frame.tags_zh_cum, 3) + _distinct(
            rng, frame.tags_en, frame.tags_en_cum, 1
        )
    else:
        tags = _distinct(rng, frame.tags_en, frame.tags_en_cum, 3) + _distinct(
            rng, frame.tags_zh, frame.tags_zh_cum, 1
        )
    topic_en, topic_zh = TOPICS[rng.randrange(len(TOPICS))]
    prefix_en, prefix_zh = PREFIXES[rng.randrange(len(PREFIXES))]
    kind_en, kind_zh = KIND_WORDS[kind]
    lead = stakeholders[0]
    first = countries[0]

    if chinese:
        title = f"{first.name_zh or first.name_en}{prefix_zh}{topic_zh}{kind_zh}"
        slug = f"{_slug_part(first.name_zh or first.name_en)}-{_slug_part(prefix_zh + topic_zh + kind_zh)}"
        places = "、".join(c.name_zh or c.name_en for c in countries)
        summary = (
            f"{lead.name_zh or lead.name_en}与{places}的伙伴合作开展{topic_zh}工作，"
            f"服务于“{key_task.name_zh or key_task.name_en}”。"
        )
        sentences = rng.sample(SENTENCES_ZH, 4)
        body = "\n\n".join(
            [
                "## 目标",
                "".join(s.format(topic=topic_zh, country=first.name_zh or first.name_en) for s in sentences),
                "## 重点领域",
                "\n".join(f"- {tag.name}" for tag in tags),
                "## 参与方",
                "\n".join(f"- {s.name_zh or s.name_en}" for s in stakeholders),
            ]
        )
    else:
        title = f"{prefix_en} {topic_en} {kind_en.lower()} in {first.name_en}"
        slug = slug_base(title)
        places = ", ".join(c.name_en for c in countries)
        summary = (
            f"{lead.name_en} and partners in {places} work together on {topic_en}, "
            f"under the key task “{key_task.name_en}”."
        )
        sentences = rng.sample(SENTENCES_EN, 4)
        body = "\n\n".join(
            [
                "## Objectives",
                " ".join(s.format(topic=topic_en, country=first.name_en) for s in sentences),
                "## Focus areas",
                "\n".join(f"- {tag.name}" for tag in tags),
                "## Participants",
                "\n".join(f"- {s.name_en}" for s in stakeholders),
            ]
        )

    state = rng.choices(frame.states, cum_weights=frame.states_cum)[0]
    status = rng.choices(frame.statuses, cum_weights=frame.statuses_cum)[0]
    age = datetime.timedelta(seconds=rng.random() * YEARS * 365 * 86400)
    created = now - age
    updated = created + age * rng.random() ** 2
    submitted = published = None
    if state != ModerationState.DRAFT:
        submitted = min(created + datetime.timedelta(hours=rng.random() * 72), updated)
    if state in (ModerationState.PUBLISHED, ModerationState.ARCHIVED):
        published = min(submitted + datetime.timedelta(hours=rng.random() * 120), updated)
    start = created.date() + datetime.timedelta(days=rng.randrange(-120, 240))
    end = None
    if status == InitiativeStatus.COMPLETED or rng.random() < 0.4:
        end = start + datetime.timedelta(days=rng.randrange(30, 1500))
    owner = frame.owners[rng.randrange(len(frame.owners))]
    collaborators = []
    if rng.random() < 0.2:
        other = frame.owners[rng.randrange(len(frame.owners))]
        if other.id != owner.id:
            collaborators.append(other)
    tag_names = [tag.name for tag in tags]
    language = "zh-hans" if chinese else "en"

    batch.initiatives.append(
        (
            pk,
            f"{slug[:100]}-{pk}",
            title,
            summary,
            body,
            language,
            key_task.id,
            action_line.id if action_line else None,
            kind,
            status,
            start,
            end,
            owner.id,
            state,
            1,
            created,
            updated,
            submitted,
            published,
            search_document(title=title, summary=summary, body=body, extra=" ".join(tag_names)),
        )
    )
    batch.countries.extend((pk, c.code) for c in countries)
    batch.advocacies.extend((pk, a.id) for a in advocacies)
    batch.collaborators.extend((pk, u.id) for u in collaborators)
    batch.participations.extend((pk, s.id, role) for s, role in zip(stakeholders, roles, strict=True))
    batch.tagged.extend((pk, content_type_id, tag.id) for tag in tags)
    snapshot = {
        "title": title,
        "summary": summary,
        "body": body,
        "language": language,
        "kind": str(kind),
        "status": str(status),
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
        "key_task": key_task.slug,
        "action_line": action_line.slug if action_line else None,
        "countries": sorted(c.code for c in countries),
        "advocacies": sorted(a.slug for a in advocacies),
        "tags": sorted(tag_names),
        "participations": sorted(
            ({"stakeholder": s.slug, "role": str(role)} for s, role in zip(stakeholders, roles, strict=True)),
            key=lambda p: p["stakeholder"],
        ),
        "links": [],
        "collaborators": sorted(u.username for u in collaborators),
    }
    batch.revisions.append(
        (pk, 1, HistoryAction.CREATE.value, owner.id, created, "", snapshot, snapshot_diff({}, snapshot))
    )


class Writer:
    """Puts a batch into the database: COPY on PostgreSQL, bulk_create elsewhere."""

    TABLES = (
        ("initiatives", Initiative, INITIATIVE_COLUMNS),
        ("countries", Initiative.countries.through, ("initiative_id", "country_id")),
        ("advocacies", Initiative.advocacies.through, ("initiative_id", "advocacy_id")),
        ("collaborators", Initiative.collaborators.through, ("initiative_id", "user_id")),
        ("participations", Participation, ("initiative_id", "stakeholder_id", "role")),
        ("tagged", TaggedItem, ("object_id", "content_type_id", "tag_id")),
        ("revisions", Revision, REVISION_COLUMNS),
    )
    JSON_COLUMNS = {"snapshot", "changes"}

    def __init__(self):
        self.postgresql = connection.vendor == "postgresql"
        self.superuser = False
        if self.postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SHOW is_superuser")
                self.superuser = cursor.fetchone()[0] == "on"

    def _fast_load_settings(self) -> None:
        with connection.cursor() as cursor:
            # A lost batch after a crash is harmless here: nothing else depends on it.
            cursor.execute("SET LOCAL synchronous_commit = off")
            # A longer pending list lets the search indexes (GIN) merge new entries in
            # larger, cheaper steps; VACUUM at the end folds in what is left.
            cursor.execute("SET LOCAL gin_pending_list_limit = '64MB'")
            if self.superuser:
                # As pg_restore --disable-triggers: the rows reference ids read from the
                # database a moment ago, so the deferred foreign-key checks, about a third
                # of the load time, would only repeat that.
                cursor.execute("SET LOCAL session_replication_role = replica")

    def write(self, batch: Batch) -> None:
        with transaction.atomic():
            if self.postgresql:
                self._fast_load_settings()
            for attribute, model, columns in self.TABLES:
                rows = getattr(batch, attribute)
                if not rows:
                    continue
                if self.postgresql:
                    self._copy(model._meta.db_table, columns, rows)
                else:
                    model.objects.bulk_create(
                        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
                    )

    def _copy(self, table: str, columns, rows) -> None:
        json_at = [i for i, column in enumerate(columns) if column in self.JSON_COLUMNS]
        names = ", ".join(f'"{column}"' for column in columns)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                    copy.write_row(row)

    def copy_models(self, objects: list) -> None:
        """Instances of one model, every concrete field but an unset primary key."""
        if not objects:
            return
        model = type(objects[0])
        if not self.postgresql:
            model.objects.bulk_create(objects, batch_size=500)
            return
        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and objects[0].pk is None)]
        rows = []
        for obj in objects:
            row = []
            for f in fields:
                value = f.get_db_prep_save(getattr(obj, f.attname), connection)
                if f.get_internal_type() == "JSONField":
                    value = json.dumps(getattr(obj, f.attname), ensure_ascii=False)
                row.append(value)
            rows.append(row)
        self._copy(model._meta.db_table, [f.column for f in fields], rows)


def _reserve_ids(model, count: int) -> int:
    """The first of `count` consecutive primary keys nobody else will be given."""
    table = model._meta.db_table
    if connection.vendor != "postgresql":
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return last + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
        sequence = cursor.fetchone()[0]
        # Move the sequence past the block in one statement; concurrent inserts get later ids.
        # The names come from the model and from pg_get_serial_sequence, not from input.
        statement = (
            f'SELECT setval(%s, GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{table}"),'  # noqa: S608
            f" (SELECT last_value FROM {sequence})) + %s) - %s"
        )
        cursor.execute(statement, [sequence, count, count])
        return cursor.fetchone()[0] + 1


class Command(BaseCommand):
    help = "Fill the database with synthetic initiatives and digest subscribers (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--initiatives", type=int, default=1000, help="How many initiatives to add.")
        parser.add_argument("--subscribers", type=int, default=0, help="How many subscribed users to add.")
        parser.add_argument("--batch", type=int, default=10_000, help="Rows of initiatives per transaction.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for a repeatable run.")

    def handle(self, *args, initiatives: int, subscribers: int, batch: int, seed, **options):
        if initiatives < 0 or subscribers < 0 or batch < 1:
            raise CommandError("--initiatives and --subscribers must be >= 0 and --batch >= 1.")
        if connection.vendor != "postgresql" and initiatives + subscribers > 50_000:
            raise CommandError("Without PostgreSQL (COPY) keep --initiatives + --subscribers under 50000.")
        rng = random.Random(seed)  # noqa: S311 -- synthetic data, not secrets
        started = time.monotonic()
        writer = Writer()
        stakeholders = self._stakeholders()
        owners = self._owners(writer)
        tags = self._tags(writer)
        self.stdout.write(
            f"Frame: {stakeholders} generated stakeholders, {len(owners)} owners, {len(tags)} tags "
            f"({time.monotonic() - started:.1f} s)."
        )
        if initiatives:
            self._initiatives(writer, Frame(owners=owners, tags=tags, rng=rng), initiatives, batch)
            # COPY sends no signals: retire the API answers kept before these rows.
            catalogue_changed()
        if subscribers:
            self._subscribers(writer, subscribers, tags, rng, batch)
        if connection.vendor == "postgresql":
            self._vacuum(subscribers=bool(subscribers))
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s."))

    def _vacuum(self, *, subscribers: bool) -> None:
        """Statistics for the planner, and the search indexes' pending entries merged."""
        started = time.monotonic()
        models = [
            Initiative,
            Initiative.countries.through,
            Initiative.advocacies.through,
            Initiative.collaborators.through,
            Participation,
            TaggedItem,
            Tag,
            Revision,
            Stakeholder,
            get_user_model(),
        ]
        if subscribers and (subscription := self._subscription_model()) is not None:
            models += [subscription, subscription.key_tasks.through, subscription.countries.through]
        # VACUUM cannot run inside a transaction (as when called from a test); ANALYZE can.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f'{command} "{model._meta.db_table}"')
        self.stdout.write(f"{command}: {time.monotonic() - started:.1f} s.")

    def _stakeholders(self) -> int:
        """A few hundred organisations across sixty countries; reused on later runs."""
        countries = list(Country.objects.order_by("-global_south", "code")[:STAKEHOLDER_COUNTRIES])
        objects = [
            Stakeholder(
                slug=f"{slug}-{country.code.lower()}",
                name_en=name_en.format(en=country.name_en),
                name_zh=name_zh.format(zh=country.name_zh or country.name_en),
                kind=kind,
                country=country,
            )
            for slug, name_en, name_zh, kind in STAKEHOLDER_TEMPLATES
            for country in countries
        ]
        Stakeholder.objects.bulk_create(objects, ignore_conflicts=True, batch_size=500)
        return len(objects)

    def _owners(self, writer: Writer) -> list:
        """Contributors who own the generated records; created once, reused later."""
        User = get_user_model()
        names = [f"author{number}" for number in range(1, OWNER_COUNT + 1)]
        existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
        now = timezone.now()
        missing = [
            User(
                username=name,
                email=f"{name}@example.org",
                password=make_password(None),
                date_joined=now,
                preferred_language="zh-hans" if number % 3 == 0 else "en",
            )
            for number, name in enumerate(names)
            if name not in existing
        ]
        if missing:
            User.objects.bulk_create(missing, batch_size=500)
            group = Group.objects.get(name=Role.CONTRIBUTOR)
            created = User.objects.filter(username__in=[u.username for u in missing])
            group.user_set.add(*created)
        return list(User.objects.filter(username__in=names).only("id", "username").order_by("id"))

    def _tags(self, writer: Writer) -> list:
        """About two thousand tags, half English and half Chinese; reused on later runs."""
        names = [f"{q} {n}" for q, _ in TAG_QUALIFIERS for n, _ in TAG_NOUNS]
        names += [f"{q}{n}" for _, q in TAG_QUALIFIERS for _, n in TAG_NOUNS]
        existing = {
            name.lower() for name in Tag.objects.filter(name__in=names).values_list("name", flat=True)
        }
        taken = set(Tag.objects.values_list("slug", flat=True))
        missing = []
        for name in names:
            if name.lower() in existing:
                continue
            base = slug_base(name)
            slug = base
            for number in itertools.count(2):
                if slug not in taken:
                    break
                slug = f"{base}-{number}"
            taken.add(slug)
            missing.append(Tag(name=name, slug=slug))
        Tag.objects.bulk_create(missing, batch_size=1000)
        by_name = {tag.name: tag for tag in Tag.objects.filter(name__in=names).only("id", "name")}
        # Keep the vocabulary's order: it decides which tags are common and which are rare.
        return [by_name[name] for name in names if name in by_name]

    def _initiatives(self, writer: Writer, frame: Frame, count: int, batch_size: int) -> None:
        first = _reserve_ids(Initiative, count)
        content_type_id = ContentType.objects.get_for_model(Initiative).pk
        now = timezone.now()
        started = time.monotonic()
        rows = 0
        # Rows are made in a second thread while PostgreSQL takes in the previous batch:
        # the server's work (indexes, text search vectors) then overlaps with Python's.
        batches = queue.Queue(maxsize=2)

        def produce():
            try:
                for offset in range(0, count, batch_size):
                    batch = Batch()
                    for pk in range(first + offset, first + min(offset + batch_size, count)):
                        _initiative(frame, pk, now, batch, content_type_id)
                    batches.put(batch)
            finally:
                batches.put(None)

        producer = threading.Thread(target=produce, daemon=True)
        producer.start()
        done = 0
        while (batch := batches.get()) is not None:
            writer.write(batch)
            rows += batch.row_count()
            done += len(batch.initiatives)
            elapsed = time.monotonic() - started
            self.stdout.write(
                f"  initiatives {done}/{count}: {elapsed:.1f} s, "
                f"{done / elapsed:,.0f} initiatives/s, {rows / elapsed:,.0f} rows/s"
            )
        producer.join()
        if done != count:
            raise CommandError(f"Stopped after {done} of {count} initiatives; see the error above.")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Initiatives: {count} in {elapsed:.1f} s ({count / elapsed:,.0f}/s, {rows:,} rows, "
            f"{rows / elapsed:,.0f} rows/s)."
        )

    def _subscribers(
        self, writer: Writer, count: int, tags: list, rng: random.Random, batch_size: int
    ) -> None:
        """Users with an e-mail address, and a digest subscription when the digests app has one."""
        User = get_user_model()
        started = time.monotonic()
        first = _reserve_ids(User, count)
        now = timezone.now()
        # One unusable password for all: hashing a hundred thousand would take minutes.
        password = make_password(None)
        subscription_model = self._subscription_model()
        key_tasks = list(KeyTask.objects.values_list("pk", flat=True))
        countries = list(Country.objects.values_list("code", flat=True))
        tag_names = [tag.name for tag in tags[:200]]
        for offset in range(0, count, batch_size):
            ids = range(first + offset, first + min(offset + batch_size, count))
            users = [
                User(
                    id=pk,
                    username=f"reader{pk}",
                    email=f"reader{pk}@example.org",
                    password=password,
                    date_joined=now - datetime.timedelta(days=rng.randrange(1, YEARS * 365)),
                    preferred_language="zh-hans" if rng.random() < 0.4 else "en",
                )
                for pk in ids
            ]
            with transaction.atomic():
                writer.copy_models(users)
                if subscription_model is not None:
                    self._subscriptions(writer, subscription_model, ids, rng, key_tasks, countries, tag_names)
        elapsed = time.monotonic() - started
        what = "users with subscriptions" if subscription_model is not None else "users"
        self.stdout.write(f"Subscribers: {count} {what} in {elapsed:.1f} s ({count / elapsed:,.0f}/s).")
        if subscription_model is None:
            self.stdout.write(
                "No digests.Subscription model: subscribers were created without subscriptions."
            )

    @staticmethod
    def _subscription_model():
        try:
            model = apps.get_model("digests", "Subscription")
        except LookupError:
            return None
        # The app may be installed before its migrations exist.
        return model if model._meta.db_table in connection.introspection.table_names() else None

    def _subscriptions(self, writer, model, user_ids, rng, key_tasks, countries, tag_names) -> None:
        """Profile subscriptions, daily or weekly, watching a key task, a few countries and tags."""
        now = timezone.now()
        first = _reserve_ids(model, len(user_ids))
        subscriptions = []
        task_rows, country_rows = [], []
        for offset, user_id in enumerate(user_ids):
            pk = first + offset
            daily = rng.random() < 0.6
            subscriptions.append(
                model(
                    id=pk,
                    user_id=user_id,
                    frequency="daily" if daily else "weekly",
                    tags=rng.sample(tag_names, rng.randrange(0, 3)),
                    # As if the last digest went out one period ago.
                    cursor=now - datetime.timedelta(days=1 if daily else 7),
                    created_at=now,
                    updated_at=now,
                )
            )
            task_rows.extend(
                model.key_tasks.through(subscription_id=pk, keytask_id=task)
                for task in rng.sample(key_tasks, rng.randrange(1, 3))
            )
            country_rows.extend(
                model.countries.through(subscription_id=pk, country_id=code)
                for code in rng.sample(countries, rng.randrange(0, 4))
            )
        writer.copy_models(subscriptions)
        writer.copy_models(task_rows)
        writer.copy_models(country_rows)
