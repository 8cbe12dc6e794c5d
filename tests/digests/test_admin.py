import pytest
from django.urls import reverse
from django.utils import timezone

from digests.choices import DeliveryStatus
from digests.models import DigestDelivery, DigestRun, Subscription

from .conftest import subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_delivery():
    user = subscriber()
    run = DigestRun.objects.create(kind="daily", period_key="daily:2030-01-01", window_end=timezone.now())
    return DigestDelivery.objects.create(
        run=run,
        kind="daily",
        period_key=run.period_key,
        subscription=Subscription.objects.get(user=user),
        recipient=user,
        email=user.email,
        window_end=run.window_end,
        status=DeliveryStatus.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )


def test_failed_deliveries_are_listed_and_can_be_queued_again(
    client, admin_user, failed_delivery, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    url = reverse("admin:digests_digestdelivery_changelist")
    page = client.get(url, {"status__exact": "failed"})
    assert page.status_code == 200
    assert (
        failed_delivery.email in page.content.decode() and "SMTPServerDisconnected" in page.content.decode()
    )
    assert client.get(reverse("admin:digests_digestrun_changelist")).status_code == 200
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(url, {"action": "retry", "_selected_action": [failed_delivery.pk]})
    assert response.status_code == 302
    failed_delivery.refresh_from_db()
    assert failed_delivery.status == DeliveryStatus.PENDING
    ((run_id, ids),) = [callback.args for callback in callbacks]
    assert (run_id, ids) == (failed_delivery.run_id, [failed_delivery.subscription_id])
