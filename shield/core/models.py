"""Abstract bases every Shield model builds on."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """UUID primary key and creation/update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(BaseModel):
    """A record people edit: `version` rises by one on every write so stale writes can be refused."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True
