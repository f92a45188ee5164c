from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResearchConfig(AppConfig):
    name = "debateprep.research"
    verbose_name = _("Search and overview")
