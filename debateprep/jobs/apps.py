from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "debateprep.jobs"
    verbose_name = "Export jobs"
