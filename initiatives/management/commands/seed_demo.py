"""Demo accounts and initiatives for `make run`; running it again changes nothing.

The records are data, in initiatives/data/demo.json: accounts with their roles, the
stakeholders the records name beyond those the migrations seed, the initiatives with the
moderation state each is taken to, their translation, results, source details and progress
notes (a note may report against one of the record's indicators, named), and the tag
vocabulary: merges, then each tag's English and Chinese labels with its synonyms. This
command only reads that file and goes through the services, as a person at the keyboard
would (the owner writes the record, the moderator decides it, the curator checks sources
and keeps the vocabulary), so the demo shows what the rules of the site produce.

Each step is taken once: a record whose title exists is left as it is, a merge whose tag is
gone is done, and a tag whose labels someone has set keeps them.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from taggit.models import Tag

from governance.models import Stakeholder
from governance.services import role_grant, user_create
from initiatives import services
from initiatives.choices import UpdateState
from initiatives.models import Indicator, Initiative, TagChange

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo.json"
DEMO_PASSWORD = "concord-demo-2026"  # noqa: S105 -- printed for local demo accounts only
MODERATOR = "moderator"
# Who checks the demo's sources and keeps its tag vocabulary.
CURATOR = "curator"
# The states a demo record can be taken to, from its owner and the moderator alone.
MODERATION_STATES = ("draft", "submitted", "published", "rejected")
REJECTION_REASON = "Please name the lead partner and add a public source."


def demo_records() -> dict:
    """The accounts, stakeholders and initiatives of the demo, as the data file holds them."""
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def demo_body(*, language: str, title: str, summary: str, key_task: str, year: int) -> str:
    """A demo record's description in Markdown, in the language of its title and summary."""
    if language == "zh-hans":
        return f"## {title}\n\n{summary}\n\n- 重点任务：{key_task}\n- 始于 {year} 年"
    return f"## {title}\n\n{summary}\n\n- Key task: {key_task}\n- Since {year}"


def demo_language(text: str) -> str:
    return "zh-hans" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


class Command(BaseCommand):
    help = "Create demo accounts and initiatives (idempotent) and print the sign-in details."

    def handle(self, *args, **options):
        records = demo_records()
        with transaction.atomic():
            users = self._accounts(records["accounts"])
            self._stakeholders(records["stakeholders"])
            created = sum(self._initiative(record, users) for record in records["initiatives"])
            self._vocabulary(records, users[CURATOR])
        self.stdout.write(f"Demo initiatives created now: {created}; in all: {Initiative.objects.count()}")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in records["accounts"]:
            label = "administrator" if account["superuser"] else account["role"]
            self.stdout.write(f"  {account['username']:<13} {label}")

    def _accounts(self, accounts: list[dict]) -> dict:
        User = get_user_model()
        users = {}
        for account in accounts:
            username, role = account["username"], account["role"]
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    username=username, email=f"{username}@concord.example", password=DEMO_PASSWORD, role=role
                )
                if account["superuser"]:
                    user.is_superuser = user.is_staff = True
                    user.save(update_fields=["is_superuser", "is_staff"])
            else:
                role_grant(actor=None, username=username, role=role)
            users[username] = user
        return users

    def _stakeholders(self, stakeholders: list[dict]) -> None:
        for stakeholder in stakeholders:
            Stakeholder.objects.get_or_create(
                slug=stakeholder["slug"],
                defaults={
                    "name_en": stakeholder["name_en"],
                    "name_zh": stakeholder["name_zh"],
                    "acronym": stakeholder["acronym"],
                    "kind": stakeholder["kind"],
                    "country_id": stakeholder["country"],
                },
            )

    def _initiative(self, record: dict, users: dict) -> bool:
        """Create one record and take it through moderation; False if it exists already."""
        title, summary = record["title"], record["summary"]
        if Initiative.objects.filter(title=title).exists():
            return False
        state = record["moderation"]
        if state not in MODERATION_STATES:
            raise CommandError(f"{title}: moderation must be one of {', '.join(MODERATION_STATES)}")
        owner, moderator = users[record["owner"]], users[MODERATOR]
        start = datetime.date.fromisoformat(record["start_date"])
        language = demo_language(title)
        data = {
            "title": title,
            "summary": summary,
            "body": demo_body(
                language=language, title=title, summary=summary, key_task=record["key_task"], year=start.year
            ),
            "language": language,
            "key_task": record["key_task"],
            "action_line": record["action_line"],
            "kind": record["kind"],
            "status": record["status"],
            "start_date": start,
            "countries": record["countries"],
            "participations": record["participations"],
            "tags": record["tags"],
            "advocacies": record["advocacies"],
            # Whether a source was checked is the curator's to say, below.
            "links": [{k: v for k, v in link.items() if k != "checked"} for link in record["links"]],
            "results": record.get("results", []),
        }
        if translation := record.get("translation"):
            data["translations"] = {
                translation["language"]: {
                    "title": translation["title"],
                    "summary": translation["summary"],
                    "body": demo_body(
                        language=translation["language"],
                        title=translation["title"],
                        summary=translation["summary"],
                        key_task=record["key_task"],
                        year=start.year,
                    ),
                    "status": translation["status"],
                }
            }
        initiative = services.initiative_create(actor=owner, data=data)
        if state != "draft":
            services.initiative_submit(actor=owner, initiative=initiative)
        if state == "published":
            services.initiative_approve(actor=moderator, initiative=initiative)
        if state == "rejected":
            services.initiative_reject(actor=moderator, initiative=initiative, reason=REJECTION_REASON)
        for link in record["links"]:
            if link.get("checked"):
                services.source_check(
                    actor=users[CURATOR], initiative=initiative, url=link["url"], checked=True
                )
        for update in record["updates"]:
            indicator = None
            if update.get("indicator"):
                # A note reports against one of the record's indicators, named in the file.
                indicator = Indicator.objects.get(result__initiative=initiative, name=update["indicator"])
            note = services.update_create(
                actor=owner,
                initiative=initiative,
                data={
                    "kind": update["kind"],
                    "title": update["title"],
                    "text": update["text"],
                    "date": datetime.date.today() - datetime.timedelta(days=update["days_ago"]),
                    "indicator": indicator,
                },
            )
            if note.state == UpdateState.HELD:
                # The owner's note on a published record waits for a moderator, as on the site.
                services.update_approve(actor=moderator, update=note)
        return True

    def _vocabulary(self, records: dict, curator) -> None:
        """The curator's tag vocabulary: merges first (a merged tag's name lives on as a
        synonym of the tag that took its records), then labels and synonyms, each once."""
        for merge in records.get("tag_merges", []):
            source = Tag.objects.filter(name=merge["source"]).first()
            if source is not None:
                services.tag_merge(actor=curator, source=source, target=merge["target"])
        for entry in records.get("tag_labels", []):
            tag = Tag.objects.filter(name=entry["tag"]).first()
            if tag is None or TagChange.objects.filter(tag=tag, action=TagChange.Action.LABELS).exists():
                continue
            services.tag_labels_set(
                actor=curator,
                tag=tag,
                label_en=entry["label_en"],
                label_zh=entry["label_zh"],
                synonyms=entry["synonyms"],
            )
