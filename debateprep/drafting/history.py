"""An answer's history as its authors read it: saves grouped by person and time, and the
differences between any two versions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator

from debateprep.drafting.models import Answer, Revision
from debateprep.lib.diff import Change, word_diff

READ_FIELDS = [
    "answer",
    "version",
    "author",
    "created_at",
    "words",
    "kind",
    "restored_from",
    "accepted_by",
]


@dataclass
class RevisionGroup:
    """One person's consecutive saves within a few minutes, newest first: shown as one entry
    whose earlier saves stay one click away."""

    revisions: list[Revision] = field(default_factory=list)

    @property
    def latest(self) -> Revision:
        return self.revisions[0]

    @property
    def earlier(self) -> list[Revision]:
        return self.revisions[1:]

    def takes(self, revision: Revision, window: timedelta) -> bool:
        """Whether `revision`, saved just before this group began, belongs in it. A save that
        deleted much of the text before it starts an entry of its own, so that the text it
        replaced is in plain view, one click from being restored."""
        first = self.revisions[-1]
        large_deletion = first.words < revision.words - max(2, revision.words // 5)
        return (
            revision.kind == first.kind == Revision.Kind.EDIT
            and revision.author_id == first.author_id
            and first.created_at - revision.created_at < window
            and not large_deletion
        )


def group_revisions(revisions: list[Revision]) -> list[RevisionGroup]:
    window = timedelta(seconds=settings.REVISION_COALESCE_SECONDS)
    groups: list[RevisionGroup] = []
    for revision in revisions:
        if not (groups and groups[-1].takes(revision, window)):
            groups.append(RevisionGroup())
        groups[-1].revisions.append(revision)
    return groups


@dataclass
class Comparison:
    old: Revision | None  # None: the new version is the first one
    new: Revision
    changes: list[Change]


@dataclass
class History:
    answer: Answer
    groups: Page | list[RevisionGroup]
    comparison: Comparison | None

    GROUPS_PER_PAGE = 20

    @classmethod
    def of(
        cls, answer: Answer, *, old: int | None = None, new: int | None = None, page: int = 1
    ) -> History:
        """One page of the answer's revisions, newest first, and the words changed between
        versions `old` and `new`: by default, the changes of the latest entry (all of one
        person's quick saves). Two queries however many revisions there are."""
        if not answer.pk:
            return cls(answer, [], None)
        people = ["username", "first_name", "last_name"]
        revisions = list(
            answer.revisions.select_related("author", "accepted_by").only(
                *READ_FIELDS,
                *(f"{who}__{name}" for who in ("author", "accepted_by") for name in people),
            )
        )
        grouped = group_revisions(revisions)
        versions = [revision.version for revision in revisions]
        new = new if new in versions else (versions[0] if versions else None)
        if old not in versions:
            since = new
            if grouped and new == grouped[0].latest.version:
                since = grouped[0].revisions[-1].version
            older = [version for version in versions if since is not None and version < since]
            old = older[0] if older else None
        comparison = None
        if new is not None:
            texts = dict(
                answer.revisions.filter(version__in=[old, new]).values_list("version", "text")
            )
            by_version = {revision.version: revision for revision in revisions}
            comparison = Comparison(
                by_version.get(old), by_version[new], word_diff(texts.get(old, ""), texts[new])
            )
        groups = Paginator(grouped, cls.GROUPS_PER_PAGE).get_page(page)
        return cls(answer, groups, comparison)
