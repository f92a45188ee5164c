"""Managers shared by the apps' models."""

from __future__ import annotations

from django.db import models


class DeferringManager(models.Manager):
    """A manager that leaves some columns out of every query unless asked for: search vectors,
    as long as the texts they come from, which only search reads, inside the database."""

    def __init__(self, *deferred: str):
        super().__init__()
        self.deferred = deferred

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().defer(*self.deferred)
