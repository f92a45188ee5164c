from django.core.management.base import BaseCommand

from debateprep.debates.related import suggest_related


class Command(BaseCommand):
    help = "Suggest related guiding questions across debates, for editors to confirm or dismiss."

    def handle(self, *args, **options):
        made = suggest_related()
        self.stdout.write(f"{made} new suggestion(s) of related questions.")
