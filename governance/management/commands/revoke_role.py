from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from governance.services import role_revoke


class Command(BaseCommand):
    help = "Take a role (Contributor, Curator or Moderator) from a user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role")

    def handle(self, *args, username, role, **options):
        try:
            user = role_revoke(actor=None, username=username, role=role)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        roles = ", ".join(user.groups.order_by("name").values_list("name", flat=True)) or "none"
        self.stdout.write(f"{user.username}: roles now {roles}")
