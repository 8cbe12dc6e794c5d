import pytest

from tests import factories


@pytest.fixture
def published(db, contributor):
    return factories.make_initiative(owner=contributor, state="published", title="Published cyber dialogue")


@pytest.fixture
def draft(db, contributor):
    return factories.make_initiative(owner=contributor, title="Private draft of a CERT network")


@pytest.fixture
def stranger(db):
    return factories.contributor()
