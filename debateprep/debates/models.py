from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _

from debateprep.lib.languages import Language, facts
from debateprep.lib.managers import DeferringManager

DEFAULT_SPEAKING_LIMIT_SECONDS = 5 * 60


def _rate_field(language: Language) -> models.PositiveSmallIntegerField:
    """A debate's speaking rate for statements in one language, in that language's unit, by
    default the one lib/languages.py gives with its source."""
    known = facts(language)
    return models.PositiveSmallIntegerField(
        format_lazy(
            _("{language}: {unit} a minute"), language=language.label, unit=known.unit.label
        ),
        default=known.rate,
        help_text=known.rate_note,
    )


# The field holding each language's rate.
RATE_FIELDS = {language: f"rate_{language.replace('-', '_')}" for language in Language}

# Debates, letters and guiding questions are circulated in English: search reads them so. Their
# lexemes are worked out by the database whenever they are written (migration 0006).
LETTER_SEARCH_CONFIG = "english"


class Debate(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (editors only)")
        PUBLISHED = "published", _("Published to delegations")

    slug = models.SlugField(max_length=100, unique=True, verbose_name=_("slug"))
    title = models.CharField(max_length=500, verbose_name=_("title"))
    organ = models.CharField(max_length=100, default="Security Council", verbose_name=_("organ"))
    meeting_kind = models.CharField(
        max_length=100,
        default="debate",
        help_text=_('How the meeting is announced, e.g. "open debate", "thematic debate".'),
        verbose_name=_("meeting kind"),
    )
    meeting_date = models.DateField(null=True, blank=True, verbose_name=_("meeting date"))
    presidency = models.CharField(max_length=200, blank=True, verbose_name=_("presidency"))
    letter_heading = models.CharField(
        max_length=500,
        blank=True,
        help_text=_("The letter's heading, as the Council circulated it."),
        verbose_name=_("letter heading"),
    )
    sender = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Who the letter is from, as its heading names them, e.g. Malta."),
        verbose_name=_("sender"),
    )
    symbol = models.CharField(
        _("document symbol"),
        max_length=50,
        blank=True,
        help_text=_('The symbol the letter was circulated under, e.g. "S/2024/321".'),
    )
    letter_date = models.DateField(null=True, blank=True, verbose_name=_("letter date"))
    distribution_date = models.DateField(null=True, blank=True, verbose_name=_("distribution date"))
    signatory = models.CharField(max_length=200, blank=True, verbose_name=_("signatory"))
    outcome = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Expected outcome, e.g. a presidential statement."),
        verbose_name=_("outcome"),
    )
    letter_text = models.TextField(blank=True, verbose_name=_("letter text"))
    source_name = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("File the letter was loaded from."),
        verbose_name=_("source name"),
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.PUBLISHED, verbose_name=_("status")
    )
    invited_only = models.BooleanField(
        default=False,
        help_text=_("Only the invited delegations below may prepare statements for this debate."),
        verbose_name=_("invited only"),
    )
    invited_delegations = models.ManyToManyField(
        "delegations.Delegation",
        blank=True,
        related_name="invited_debates",
        verbose_name=_("invited delegations"),
    )
    # How fast a statement in each language is delivered, to estimate its speaking time.
    rate_ar = _rate_field(Language.ARABIC)
    rate_zh_hans = _rate_field(Language.CHINESE)
    rate_en = _rate_field(Language.ENGLISH)
    rate_fr = _rate_field(Language.FRENCH)
    rate_ru = _rate_field(Language.RUSSIAN)
    rate_es = _rate_field(Language.SPANISH)
    speaking_limit_seconds = models.PositiveIntegerField(
        default=DEFAULT_SPEAKING_LIMIT_SECONDS,
        help_text=_("Time each delegation is asked to keep to, in seconds (300 is 5 minutes)."),
        verbose_name=_("speaking limit seconds"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # For search, on PostgreSQL: the title, presidency, symbol and heading, and the letter.
    search = SearchVectorField(null=True, editable=False, verbose_name=_("search vector"))
    letter_search = SearchVectorField(
        null=True, editable=False, verbose_name=_("letter's search vector")
    )

    objects = DeferringManager("search", "letter_search")

    class Meta:
        verbose_name = _("debate")
        verbose_name_plural = _("debates")
        ordering = ["-meeting_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{field}__gt": 0 for field in RATE_FIELDS.values()}),
                name="debate_rates_positive",
            ),
            models.CheckConstraint(
                condition=Q(speaking_limit_seconds__gt=0), name="debate_speaking_limit_positive"
            ),
        ]
        indexes = [
            GinIndex(fields=["search"], name="debate_search"),
            GinIndex(fields=["letter_search"], name="debate_letter_search"),
        ]

    def __str__(self) -> str:
        when = f" ({self.meeting_date:%-d %B %Y})" if self.meeting_date else ""
        return f"{self.title}{when}"

    def get_absolute_url(self) -> str:
        return reverse("debates:detail", args=[self.slug])

    def clean(self) -> None:
        # Statements name the meeting by its date, and delegations plan their work by it.
        if self.status == self.Status.PUBLISHED and self.meeting_date is None:
            raise ValidationError(
                {
                    "meeting_date": "A debate is published with its meeting date: set it, "
                    "or keep the debate a draft."
                }
            )

    def rate_for(self, language: str) -> int:
        """Units a minute (words, or characters for Chinese) of a statement in the language."""
        return getattr(self, RATE_FIELDS[language])

    @property
    def meeting_line(self) -> str:
        """How a statement names its meeting: "Security Council, open debate, 20 July 2004"."""
        when = f"{self.meeting_date:%-d %B %Y}" if self.meeting_date else ""
        return ", ".join(part for part in [self.organ, self.meeting_kind, when] if part)


class Question(models.Model):
    debate = models.ForeignKey(
        Debate, on_delete=models.CASCADE, related_name="questions", verbose_name=_("debate")
    )
    order = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1)], verbose_name=_("order")
    )
    marker = models.CharField(
        max_length=10,
        blank=True,
        help_text=_('Numbering as the letter gives it, e.g. "(1)".'),
        verbose_name=_("marker"),
    )
    label = models.CharField(
        max_length=200, blank=True, help_text=_('e.g. "Subsidiarity".'), verbose_name=_("label")
    )
    text = models.TextField(verbose_name=_("text"))
    # The wording as last loaded from the letter: a reload updates questions whose text still
    # matches it and keeps an editor's rewording otherwise.
    letter_label = models.CharField(
        max_length=200, blank=True, editable=False, verbose_name=_("letter label")
    )
    letter_text = models.TextField(blank=True, editable=False, verbose_name=_("letter text"))
    source_paragraph = models.TextField(
        blank=True, editable=False, verbose_name=_("source paragraph")
    )
    # For search, on PostgreSQL: the label and the text.
    search = SearchVectorField(null=True, editable=False, verbose_name=_("search vector"))

    objects = DeferringManager("search")

    class Meta:
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")
        ordering = ["debate", "order"]
        constraints = [
            models.UniqueConstraint(fields=["debate", "order"], name="question_order_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="question_order_positive"),
        ]
        indexes = [GinIndex(fields=["search"], name="question_search")]

    def __str__(self) -> str:
        return f"{self.order}. {self.label or Truncator(self.text).words(12)}"

    def get_absolute_url(self) -> str:
        return f"{self.debate.get_absolute_url()}#question-{self.order}"

    @property
    def heading(self) -> str:
        """The label the letter gives, or "Question (2)": a question's opening words cut off
        make a poor heading in a speech."""
        return self.label or f"Question {self.marker or self.order}"

    @property
    def edited_since_loaded(self) -> bool:
        return (self.text, self.label) != (self.letter_text, self.letter_label)


class Theme(models.Model):
    """A subject the Council returns to, debate after debate, that editors tag questions with."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    questions = models.ManyToManyField(
        Question, blank=True, related_name="themes", verbose_name=_("guiding questions")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class RelatedQuestionQuerySet(models.QuerySet["RelatedQuestion"]):
    def confirmed_for(self, question: Question | int) -> models.QuerySet[Question]:
        """The questions an editor confirmed as asking what this one asks, either way round."""
        pairs = self.filter(status=RelatedQuestion.Status.CONFIRMED)
        return Question.objects.filter(
            Q(pk__in=pairs.filter(question=question).values("related"))
            | Q(pk__in=pairs.filter(related=question).values("question"))
        )


class RelatedQuestion(models.Model):
    """Two guiding questions of different debates that ask about the same thing: suggested by
    the similarity of their texts (debates.related), then confirmed or dismissed by an editor.
    Each pair is kept once, the question with the smaller key first."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("question")
    )
    related = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("related question")
    )
    similarity = models.FloatField(_("similarity"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.SUGGESTED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = RelatedQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-similarity"]
        verbose_name = _("related question")
        verbose_name_plural = _("related questions")
        constraints = [
            models.UniqueConstraint(fields=["question", "related"], name="related_pair_once"),
            models.CheckConstraint(
                condition=Q(question__lt=F("related")), name="related_pair_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} ↔ {self.related}"

    def decide(self, status: str, *, by) -> None:
        self.status, self.decided_by, self.decided_at = status, by, timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at"])
