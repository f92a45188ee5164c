from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchAppConfig(AppConfig):
    name = "debateprep.search"
    verbose_name = _("Search")
