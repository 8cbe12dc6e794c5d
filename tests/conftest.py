import pytest

from tests import factories


@pytest.fixture
def contributor(db):
    return factories.contributor()


@pytest.fixture
def curator(db):
    return factories.curator()


@pytest.fixture
def moderator(db):
    return factories.moderator()


@pytest.fixture
def admin_user(db):
    return factories.admin()
