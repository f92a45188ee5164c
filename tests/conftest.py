import pytest

from debateprep.delegations.models import Membership
from tests.factories import make_debate, make_delegation, make_editor, make_member


@pytest.fixture
def romania(db):
    return make_delegation("Romania", "ROU")


@pytest.fixture
def france(db):
    return make_delegation("France", "FRA")


@pytest.fixture
def debate(db):
    return make_debate(questions=3)


@pytest.fixture
def drafter(romania):
    return make_member(romania, username="drafter")


@pytest.fixture
def lead(romania):
    return make_member(romania, Membership.Role.LEAD, username="lead")


@pytest.fixture
def other_drafter(france):
    """A drafter of another delegation, who must never see Romania's drafts."""
    return make_member(france, username="other")


@pytest.fixture
def editor(db):
    return make_editor()
