"""Demo accounts and initiatives for `make run`; running it again changes nothing.

The records are data, in initiatives/data/demo.json: accounts with their roles, the
stakeholders the records name beyond those the migrations seed, and the initiatives with
the moderation state each is taken to and their progress notes. This command only reads
that file and goes through the services, as a person at the keyboard would, so the demo
shows what the rules of the site produce.
"""

import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from governance.models import Stakeholder
from governance.services import role_grant, user_create
from initiatives import services
from initiatives.choices import UpdateState
from initiatives.models import Initiative

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo.json"
DEMO_PASSWORD = "concord-demo-2026"  # noqa: S105 -- printed for local demo accounts only
MODERATOR = "moderator"
# The states a demo record can be taken to, from its owner and the moderator alone.
MODERATION_STATES = ("draft", "submitted", "published", "rejected")
REJECTION_REASON = "Please name the lead partner and add a public source."


def demo_records() -> dict:
    """The accounts, stakeholders and initiatives of the demo, as the data file holds them."""
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


class Command(BaseCommand):
    help = "Create demo accounts and initiatives (idempotent) and print the sign-in details."

    def handle(self, *args, **options):
        records = demo_records()
        with transaction.atomic():
            users = self._accounts(records["accounts"])
            self._stakeholders(records["stakeholders"])
            created = sum(self._initiative(record, users) for record in records["initiatives"])
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
        initiative = services.initiative_create(
            actor=owner,
            data={
                "title": title,
                "summary": summary,
                "body": f"## {title}\n\n{summary}\n\n- Key task: {record['key_task']}\n- Since {start.year}",
                "language": "zh-hans" if any("\u4e00" <= ch <= "\u9fff" for ch in title) else "en",
                "key_task": record["key_task"],
                "action_line": record["action_line"],
                "kind": record["kind"],
                "status": record["status"],
                "start_date": start,
                "countries": record["countries"],
                "participations": record["participations"],
                "tags": record["tags"],
                "advocacies": record["advocacies"],
                "links": record["links"],
            },
        )
        if state != "draft":
            services.initiative_submit(actor=owner, initiative=initiative)
        if state == "published":
            services.initiative_approve(actor=moderator, initiative=initiative)
        if state == "rejected":
            services.initiative_reject(actor=moderator, initiative=initiative, reason=REJECTION_REASON)
        for update in record["updates"]:
            note = services.update_create(
                actor=owner,
                initiative=initiative,
                data={
                    "kind": update["kind"],
                    "title": update["title"],
                    "text": update["text"],
                    "date": datetime.date.today() - datetime.timedelta(days=update["days_ago"]),
                },
            )
            if note.state == UpdateState.HELD:
                # The owner's note on a published record waits for a moderator, as on the site.
                services.update_approve(actor=moderator, update=note)
        return True
