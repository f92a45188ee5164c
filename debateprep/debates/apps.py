from django.apps import AppConfig
from django.db.models.signals import post_save


class DebatesConfig(AppConfig):
    name = "debateprep.debates"

    def ready(self) -> None:
        from debateprep.debates.models import Question
        from debateprep.debates.related import suggest_for_saved_question

        post_save.connect(suggest_for_saved_question, sender=Question)
