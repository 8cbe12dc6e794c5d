from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from governance.services import role_grant


class Command(BaseCommand):
    help = "Give a user a role (Contributor, Curator or Moderator)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role")

    def handle(self, *args, username, role, **options):
        try:
            user = role_grant(actor=None, username=username, role=role)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        roles = ", ".join(user.groups.order_by("name").values_list("name", flat=True)) or "none"
        self.stdout.write(f"{user.username}: roles now {roles}")
