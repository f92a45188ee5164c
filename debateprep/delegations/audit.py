"""The audit log: who did what to which object, for editors to trace later.

Any app records an action with one call, inside the transaction that does it, so that the
entry is written if and only if the action is::

    from debateprep.delegations import audit

    audit.record(request.user, audit.Action.STATUS_CHANGED, statement,
                 changes={"status": ["draft", "final"], "reason": "Agreed in capital"})
    audit.record(request.user, audit.Action.EXPORTED, statement, changes={"format": "docx"})

The delegation and the debate an entry concerns are read from the object's `delegation` and
`debate` attributes (a debate is its own), unless given. Entries are never changed or deleted.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from debateprep.delegations.models import AuditEntry, Delegation

Action = AuditEntry.Action
DEBATE = "debates.debate"  # named, not imported: this app sits below the debates app


def record(
    actor,
    action: Action,
    target: Model | None,
    *,
    delegation: Delegation | None = None,
    debate: object = None,
    changes: dict | None = None,
) -> AuditEntry:
    """Write one entry: `actor` (a user, or None for the system) did `action` to `target`.

    `debate` may be any object; its text is kept. `changes` is what changed, as JSON: a field's
    old and new values as a pair ({"role": ["drafter", "lead"]}), anything else by name
    ({"format": "pdf"}). Never put a password, a hash or a secret link in it.
    """
    if target is not None:
        delegation = delegation or _delegation_of(target)
        debate = debate or _debate_of(target)
    named = actor is not None and actor.is_authenticated
    return AuditEntry.objects.create(
        actor=actor if named else None,
        actor_name=actor.get_username() if named else "",
        action=action,
        delegation=delegation,
        debate=str(debate)[:300] if debate else "",
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        changes=changes or {},
    )


def _delegation_of(target: Model) -> Delegation | None:
    if isinstance(target, Delegation):
        return target
    delegation = getattr(target, "delegation", None)
    return delegation if isinstance(delegation, Delegation) else None


def _debate_of(target: Model) -> Model | None:
    if target._meta.label_lower == DEBATE:
        return target
    return getattr(target, "debate", None)
