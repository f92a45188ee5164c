from io import StringIO

from django.core.management import call_command

from debateprep.delegations.models import Delegation


def test_the_seed_delegations_load_with_every_member_state(db):
    out = StringIO()
    call_command("load_delegations", stdout=out)
    kinds = Delegation.Kind
    assert Delegation.objects.filter(kind=kinds.MEMBER_STATE).count() == 193
    assert Delegation.objects.filter(kind=kinds.OBSERVER_STATE).count() == 2
    assert Delegation.objects.get(code="CIV").name == "Côte d'Ivoire"
    assert Delegation.objects.get(code="AU").kind == kinds.REGIONAL_ORGANIZATION
    call_command("load_delegations", stdout=out)
    assert "0 new" in out.getvalue()
