"""Every address and admin action, for every kind of person, with the status code they get.

One table: a row per address, a column per role. 404 where the thing is outside the person's
reach (a delegate never learns that another delegation's statement exists), 403 where they may
see it but not do this, 302 to the login page for anonymous people (and for delegates, to the
admin's login page in the admin).
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from debateprep.debates.models import RelatedQuestion
from debateprep.delegations.models import Membership
from debateprep.drafting.models import Statement
from tests.factories import (
    make_debate,
    make_delegation,
    make_editor,
    make_member,
    make_ready,
    open_statement,
    write_statement,
)

ROLES = ["anonymous", "outsider", "reviewer", "drafter", "lead", "editor", "superuser"]


@dataclass
class World:
    users: dict
    debate: object
    statement: Statement
    answer: object
    other_editor: User
    comment: object
    suggestion: object
    earlier: object


@pytest.fixture
def world(db) -> World:
    romania, france = make_delegation("Romania", "ROU"), make_delegation("France", "FRA")
    debate = make_debate(invited_only=True)
    debate.invited_delegations.add(romania)
    statement = make_ready(open_statement(debate, romania))
    users = {
        "anonymous": None,
        "outsider": make_member(france, username="outsider"),
        "reviewer": make_member(romania, Membership.Role.REVIEWER, username="reviewer"),
        "drafter": make_member(romania, username="drafter"),
        "lead": make_member(romania, Membership.Role.LEAD, username="lead"),
        "editor": make_editor(),
        "superuser": User.objects.create_superuser("root", password="x"),
    }
    # The lead has logged in before; the drafter's account is new.
    User.objects.filter(username="lead").update(last_login=timezone.now())
    answer = statement.answers.get(question__order=1)
    answer.save_text("First wording", base_version=0, by=users["drafter"])
    answer.save_text("Second wording", base_version=1, by=users["drafter"])
    comment = answer.add_comment("Shorter?", by=users["reviewer"])
    suggestion = answer.add_suggestion(
        "Third wording", by=users["reviewer"], base_version=2, base_text="Second wording"
    )
    # Romania's answer in an earlier debate to a question an editor related to this one.
    before = make_debate()
    earlier = write_statement(before, romania, "Our position of old.").answers.get(
        question__order=1
    )
    first, second = sorted([answer.question_id, earlier.question_id])
    RelatedQuestion.objects.create(
        question_id=first, related_id=second, status=RelatedQuestion.Status.CONFIRMED
    )
    other_editor = make_editor("other-editor")
    return World(users, debate, statement, answer, other_editor, comment, suggestion, earlier)


def statement_args(w):
    return [w.debate.slug, "ROU"]


def answer_args(w):
    return w.answer.url_args


# name: (method, url(world), data(world), expected codes in ROLES order)
SITE = {
    "debate list": ("get", lambda w: reverse("drafting:debate-list"), None,
                    (302, 200, 200, 200, 200, 200, 200)),
    "debate as circulated": ("get", lambda w: w.debate.get_absolute_url(), None,
                             (302, 404, 302, 302, 302, 200, 200)),
    "statement page": ("get", lambda w: reverse("drafting:statement", args=statement_args(w)),
                       None, (302, 404, 200, 200, 200, 200, 200)),
    "send for review": ("post", lambda w: reverse("drafting:statement-status",
                                                  args=statement_args(w)),
                        lambda w: {"status": "in_review"}, (302, 404, 403, 302, 302, 403, 403)),
    "change the language": ("post", lambda w: reverse("drafting:statement-language",
                                                      args=statement_args(w)),
                            lambda w: {"language": "fr"}, (302, 404, 403, 302, 302, 403, 403)),
    "mark final": ("post", lambda w: reverse("drafting:statement-status", args=statement_args(w)),
                   lambda w: {"status": "final", "override": "on", "reason": "As agreed"},
                   (302, 404, 403, 403, 302, 403, 403)),
    "export": ("get", lambda w: reverse("jobs:statement",
                                        args=[*statement_args(w), "md"]),
               None, (302, 404, 200, 200, 200, 200, 200)),
    "preview": ("get", lambda w: reverse("drafting:statement-preview", args=statement_args(w)),
                None, (302, 404, 200, 200, 200, 200, 200)),
    "save an answer": ("post", lambda w: reverse("drafting:answer-save", args=answer_args(w)),
                       lambda w: {"text": "Changed", "version": 2},
                       (302, 404, 403, 302, 302, 403, 403)),
    "history": ("get", lambda w: reverse("drafting:answer-history", args=answer_args(w)), None,
                (302, 404, 200, 200, 200, 200, 200)),
    "restore": ("post", lambda w: reverse("drafting:answer-restore", args=answer_args(w)),
                lambda w: {"version": 1, "base_version": 2}, (302, 404, 403, 302, 302, 403, 403)),
    "mark no position": ("post", lambda w: reverse("drafting:answer-position",
                                                   args=answer_args(w)),
                         lambda w: {"no_position": "on"}, (302, 404, 403, 302, 302, 403, 403)),
    # A delegation's comments, suggestions and presence are its own: editors do not learn of them.
    "comments and suggestions": ("get", lambda w: reverse("drafting:answer-review",
                                                          args=answer_args(w)),
                                 None, (302, 404, 200, 200, 200, 404, 404)),
    "comment": ("post", lambda w: reverse("drafting:comment-add", args=answer_args(w)),
                lambda w: {"text": "Agreed"}, (302, 404, 302, 302, 302, 404, 404)),
    "resolve a comment": ("post", lambda w: reverse("drafting:comment-resolve",
                                                    args=[*answer_args(w), w.comment.pk]),
                          lambda w: {"resolved": "on"}, (302, 404, 302, 302, 302, 404, 404)),
    "suggest": ("post", lambda w: reverse("drafting:suggestion-add", args=answer_args(w)),
                lambda w: {"text": "Fourth wording", "base_version": 2},
                (302, 404, 302, 302, 302, 404, 404)),
    "accept a suggestion": ("post", lambda w: reverse("drafting:suggestion-decide",
                                                      args=[*answer_args(w), w.suggestion.pk]),
                            lambda w: {"decision": "accept"},
                            (302, 404, 403, 302, 302, 404, 404)),
    # The delegation's earlier positions: read by whoever reads the statement, used by writers.
    "compare an earlier position": ("get", lambda w: reverse("drafting:earlier-compare",
                                                             args=[*answer_args(w), w.earlier.pk]),
                                    None, (302, 404, 200, 200, 200, 200, 200)),
    "start from an earlier position": ("post", lambda w: reverse("drafting:earlier-insert",
                                                                 args=answer_args(w)),
                                       lambda w: {"version": 2, "source": w.earlier.pk},
                                       (302, 404, 403, 302, 302, 403, 403)),
    "who is here": ("post", lambda w: reverse("drafting:statement-pulse", args=statement_args(w)),
                    lambda w: {"slot": "opening"}, (302, 404, 200, 200, 200, 404, 404)),
    "compendium": ("get", lambda w: reverse("jobs:compendium", args=[w.debate.slug, "csv"]),
                   None, (302, 404, 404, 404, 404, 200, 200)),
    "overview": ("get", lambda w: reverse("drafting:debate-overview", args=[w.debate.slug]),
                 None, (302, 404, 404, 404, 404, 200, 200)),
    # Everyone logged in searches; what each finds is theirs (tests/test_search.py).
    "search": ("get", lambda w: reverse("search:search") + "?q=wording", None,
               (302, 200, 200, 200, 200, 200, 200)),
}  # fmt: skip

EDITOR = (302, 302, 302, 302, 302, 200, 200)  # the admin sends non-staff to its own login page
SUPERUSER_ONLY = (302, 302, 302, 302, 302, 403, 200)
NOBODY = (302, 302, 302, 302, 302, 403, 403)


def admin(name, *args):
    return lambda w: reverse(f"admin:{name}", args=[arg(w) for arg in args])


ADMIN = {
    "admin index": ("get", admin("index"), None, EDITOR),
    "debates": ("get", admin("debates_debate_changelist"), None, EDITOR),
    "add a debate": ("get", admin("debates_debate_add"), None, EDITOR),
    "change a debate": ("get", admin("debates_debate_change", lambda w: w.debate.pk), None, EDITOR),
    "load a letter": ("get", admin("debates_debate_load_letter"), None, EDITOR),
    # Publishing is a POST; a GET shows who reaches it (405) and who is sent to log in.
    "publish a debate": ("get", admin("debates_debate_publish", lambda w: w.debate.pk), None,
                         (302, 302, 302, 302, 302, 405, 405)),
    "unpublish a debate": ("get", admin("debates_debate_unpublish", lambda w: w.debate.pk),
                           None, (302, 302, 302, 302, 302, 405, 405)),
    "compendium action": ("post", admin("debates_debate_changelist"),
                          lambda w: {"action": "export_compendium_csv",
                                     "_selected_action": [w.debate.pk]}, EDITOR),
    "statements": ("get", admin("drafting_statement_changelist"), None, EDITOR),
    "read a statement": ("get", admin("drafting_statement_change", lambda w: w.statement.pk),
                         None, EDITOR),
    "change a statement's status": ("post", admin("drafting_statement_change",
                                                  lambda w: w.statement.pk),
                                    lambda w: {"status": "final"}, NOBODY),
    "delete a statement": ("post", admin("drafting_statement_delete", lambda w: w.statement.pk),
                           lambda w: {"post": "yes"}, NOBODY),
    "revisions": ("get", admin("drafting_revision_changelist"), None, EDITOR),
    "delete a revision": ("post", admin("drafting_revision_delete",
                                        lambda w: w.answer.revisions.first().pk),
                          lambda w: {"post": "yes"}, NOBODY),
    "delegations": ("get", admin("delegations_delegation_changelist"), None, EDITOR),
    "add a membership": ("get", admin("delegations_membership_add"), None, EDITOR),
    "people": ("get", admin("auth_user_changelist"), None, EDITOR),
    "change a delegate": ("get", admin("auth_user_change", lambda w: w.users["drafter"].pk),
                          None, EDITOR),
    "set a new delegate's password": ("get", admin("auth_user_password_change",
                                                   lambda w: w.users["drafter"].pk), None, EDITOR),
    "set an active delegate's password": ("get", admin("auth_user_password_change",
                                                       lambda w: w.users["lead"].pk), None,
                                          SUPERUSER_ONLY),
    "set another editor's password": ("get", admin("auth_user_password_change",
                                                   lambda w: w.other_editor.pk), None,
                                      SUPERUSER_ONLY),
    "change another editor": ("post", admin("auth_user_change", lambda w: w.other_editor.pk),
                              lambda w: {"username": "other-editor", "is_superuser": "on"},
                              (*SUPERUSER_ONLY[:5], 403, 200)),
    "groups": ("get", admin("auth_group_changelist"), None, SUPERUSER_ONLY),
    "failed log-ins": ("get", admin("axes_accessattempt_changelist"), None, EDITOR),
    "failed log-in records of others": ("get", admin("axes_accessfailurelog_changelist"), None,
                                        SUPERUSER_ONLY),
    "change the Editors group": ("get", admin("auth_group_change",
                                              lambda w: Group.objects.get(name="Editors").pk),
                                 None, SUPERUSER_ONLY),
}  # fmt: skip

TABLE = {**SITE, **ADMIN}
CASES = [
    pytest.param(name, role, expected[index], id=f"{name} | {role}")
    for name, (_, _, _, expected) in TABLE.items()
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("name", "role", "expected"), CASES)
def test_who_may_reach_what(client, world, name, role, expected):
    method, url, data, _ = TABLE[name]
    if world.users[role]:
        client.force_login(world.users[role])
    response = getattr(client, method)(url(world), data(world) if data else None)
    assert response.status_code == expected


def test_the_table_covers_every_drafting_address():
    from debateprep.drafting.urls import urlpatterns

    covered = {
        "debate-list", "statement", "statement-status", "statement-preview",
        "answer-save", "answer-history", "answer-restore", "answer-position",
        "answer-review", "comment-add", "comment-resolve", "suggestion-add", "suggestion-decide",
        "statement-pulse", "statement-language", "earlier-compare", "earlier-insert",
        "debate-overview",
    }  # fmt: skip
    assert {pattern.name for pattern in urlpatterns} == covered


def test_the_table_covers_every_search_address():
    from debateprep.search.urls import urlpatterns

    assert {pattern.name for pattern in urlpatterns} == {"search"}


@pytest.mark.parametrize("role", ROLES[1:])
def test_search_finds_a_statement_for_those_who_may_open_it(client, world, role):
    client.force_login(world.users[role])
    page = client.get(reverse("search:search"), {"q": "wording"}).content.decode()
    reaches = role != "outsider"
    assert (world.answer.get_absolute_url() in page) is reaches
    assert ("Second <mark>wording</mark>" in page) is reaches


def test_a_refused_write_changes_nothing(client, world):
    for role in ("outsider", "reviewer", "editor", "superuser"):
        client.force_login(world.users[role])
        client.post(
            reverse("drafting:answer-save", args=answer_args(world)), {"text": "x", "version": 2}
        )
        client.post(
            reverse("drafting:statement-status", args=statement_args(world)), {"status": "final"}
        )
    world.answer.refresh_from_db()
    world.statement.refresh_from_db()
    assert world.answer.text == "Second wording"
    assert world.statement.status == Statement.Status.DRAFT


@pytest.mark.parametrize("place", ["question", "opening"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("debate_state", ["open", "unpublished", "not invited"])
def test_an_autosave_is_decided_as_a_save_without_javascript(
    client, world, role, place, debate_state
):
    """An autosave finds and saves its answer by a faster road (Answer.objects.saved_at); who may
    write where is still the policy's to say, and both roads give the same answer."""
    if debate_state == "unpublished":
        world.debate.status = world.debate.Status.DRAFT
        world.debate.save()
    elif debate_state == "not invited":
        world.debate.invited_delegations.clear()
    answer = world.answer
    if place == "opening":
        answer = world.statement.answers.get(part="opening")
        answer.save_text("Mr. President,", base_version=0, by=world.users["drafter"])
    if world.users[role]:
        client.force_login(world.users[role])
    url = reverse("drafting:answer-save", args=answer.url_args)
    allowed = role in ("drafter", "lead") and debate_state == "open"
    plain = client.post(url, {"text": "Without JavaScript", "version": answer.version})
    answer.refresh_from_db()
    assert (answer.text == "Without JavaScript") == allowed
    autosave = client.post(
        url, {"text": "Autosaved", "version": answer.version}, HTTP_HX_REQUEST="true"
    )
    answer.refresh_from_db()
    assert (answer.text == "Autosaved") == allowed
    if role == "anonymous":
        assert (plain.status_code, autosave.status_code) == (302, 401)
    elif allowed:
        assert (plain.status_code, autosave.status_code) == (302, 200)
    else:
        assert autosave.status_code == plain.status_code
