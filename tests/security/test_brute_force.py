"""Password guessing against the three doors that take a password: the web sign-in, the admin
sign-in and the API's token endpoint. 100 wrong passwords against one account, from one
address and spread over twenty: none gets in, the account locks at AXES_FAILURE_LIMIT, the
right password is refused while it is locked, and other accounts keep working."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ATTEMPTS = 100


def wrong_passwords(count: int) -> list[str]:
    """Near misses of the real password first (case, spaces, one character off), then junk."""
    near = [
        PASSWORD.upper(),
        PASSWORD.capitalize(),
        PASSWORD + " ",
        " " + PASSWORD,
        PASSWORD[:-1],
        PASSWORD + "1",
        PASSWORD.replace("-", ""),
        PASSWORD.replace("-", " "),
        PASSWORD.replace("-", "_"),
        "' OR '1'='1",
    ]
    return (near + [f"guess-{n:03d}-{PASSWORD[::-1]}" for n in range(count)])[:count]


@dataclass
class Door:
    name: str
    url: str

    def attempt(self, client: Client, username: str, password: str, address: str) -> str:
        """'accepted', 'refused' (wrong password) or 'locked'."""
        data = {"username": username, "password": password}
        if self.name == "admin sign-in":
            data["next"] = "/admin/"
        if self.name == "token endpoint":
            response = client.post(self.url, data, content_type="application/json", REMOTE_ADDR=address)
            outcomes = {200: "accepted", 400: "refused", 429: "locked"}
        else:
            response = client.post(self.url, data, REMOTE_ADDR=address)
            outcomes = {302: "accepted", 200: "refused", 429: "locked"}
        assert response.status_code in outcomes, f"{self.name}: {response.status_code}"
        outcome = outcomes[response.status_code]
        if outcome == "locked":
            # The lockout, not the API's rate limit, which also answers 429.
            assert "Too many failed sign-ins" in response.content.decode(), response.content[:200]
        if outcome == "accepted" and self.name != "token endpoint":
            assert "_auth_user_id" in client.session
            client.logout()
        return outcome


DOORS = [
    Door("web sign-in", "/accounts/login/"),
    Door("admin sign-in", "/admin/login/"),
    Door("token endpoint", "/api/v1/auth/token/"),
]


@pytest.fixture(autouse=True)
def _fresh_counters():
    # API throttles count in the cache; axes counts in the database (rolled back per test).
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("spread", [1, 20], ids=["one-address", "twenty-addresses"])
@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.name.replace(" ", "-"))
def test_guessing_never_gets_in_and_locks_the_account(door, spread, report_figure):
    limit = settings.AXES_FAILURE_LIMIT
    victim = factories.curator()  # staff, so the admin door would let them in
    other = factories.curator()
    addresses = [f"198.51.100.{n + 1}" for n in range(spread)]
    client = Client()

    outcomes = [
        door.attempt(client, victim.username, guess, addresses[n % spread])
        for n, guess in enumerate(wrong_passwords(ATTEMPTS))
    ]

    assert "accepted" not in outcomes
    first_lock = outcomes.index("locked") + 1
    assert first_lock == limit
    assert outcomes[: limit - 1] == ["refused"] * (limit - 1)
    assert set(outcomes[limit - 1 :]) == {"locked"}
    # The right password is refused now, from the attackers' addresses and from a new one.
    for address in (addresses[0], addresses[-1], "192.0.2.200"):
        assert door.attempt(Client(), victim.username, PASSWORD, address) == "locked"
    # Another account signs in, from the very address that was guessing.
    assert door.attempt(Client(), other.username, PASSWORD, addresses[0]) == "accepted"
    report_figure(
        f"brute force, {door.name}, {spread} address(es): {ATTEMPTS} wrong passwords, "
        f"{outcomes.count('accepted')} accepted, {outcomes.count('refused')} refused, locked from attempt "
        f"{first_lock} (AXES_FAILURE_LIMIT={limit}), {outcomes.count('locked')} answered 'locked'; "
        "right password refused while locked; other account signs in"
    )


def test_a_success_before_the_limit_clears_the_count():
    """People who mistype a few times and then sign in are not edging toward a lockout."""
    door, user = DOORS[0], factories.contributor()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert door.attempt(Client(), user.username, "nearly-right", "192.0.2.1") == "refused"
    assert door.attempt(Client(), user.username, PASSWORD, "192.0.2.1") == "accepted"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert door.attempt(Client(), user.username, "nearly-right", "192.0.2.1") == "refused"
    assert door.attempt(Client(), user.username, PASSWORD, "192.0.2.1") == "accepted"
