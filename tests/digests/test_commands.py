import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from digests.models import DigestDelivery, Subscription
from tests import factories

from .conftest import subscriber

pytestmark = pytest.mark.django_db


def test_send_digests_dry_run_lists_and_sends_nothing(capsys):
    user = subscriber()
    quiet = subscriber(key_tasks=["major-power-cooperation"])
    factories.make_initiative(state="published", key_task="global-south")
    call_command("send_digests", "--frequency", "daily", "--dry-run")
    out = capsys.readouterr().out
    assert f"would send  {user.email}  1 items" in out and quiet.email not in out
    assert "1 digests would be sent, 1 subscribers have nothing new." in out
    assert mail.outbox == [] and not DigestDelivery.objects.exists()


def test_send_digests_sends_once_per_period(capsys):
    user = subscriber()
    factories.make_initiative(state="published")
    call_command("send_digests", "--frequency", "daily")
    out = capsys.readouterr().out
    assert f"sent  {user.email}" in out and "1 sent, 0 with nothing new, 0 failed" in out
    call_command("send_digests", "--frequency", "daily")
    assert "0 sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "args, reason",
    [
        ([], "--frequency must be daily or weekly."),
        (["--frequency", "hourly"], "--frequency must be daily or weekly."),
        (["--frequency", "weekly", "--period", "2026-11-27"], "Give the period as 2026-W48."),
    ],
)
def test_send_digests_bad_arguments_give_one_line_reason(args, reason):
    with pytest.raises(CommandError) as caught:
        call_command("send_digests", *args)
    assert str(caught.value) == reason


def test_make_demo_subscribers_creates_each_once(capsys):
    call_command("make_demo_subscribers", "--count", "7", "--prefix", "bench")
    call_command("make_demo_subscribers", "--count", "7", "--prefix", "bench")
    assert Subscription.objects.filter(user__username__startswith="bench-", frequency="daily").count() == 7
    assert "0 demo subscribers created (7 existed already)" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("make_demo_subscribers", "--count", "0")
