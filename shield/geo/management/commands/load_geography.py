"""`manage.py load_geography`: bring provinces and communes in line with the installed
vietnam-provinces package after it is upgraded. Safe to run again; rows are matched by code."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from shield.geo.services import divisions_sync


class Command(BaseCommand):
    help = "Re-sync the 34 provinces and 3,321 communes from the vietnam-provinces package (by code)."

    def handle(self, *args: Any, **options: Any) -> None:
        province_counts, commune_counts = divisions_sync()
        for label, counts in ((_("Provinces"), province_counts), (_("Communes"), commune_counts)):
            self.stdout.write(
                _(
                    "%(label)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
                    "%(kept)d in the database but not in the package (kept)"
                )
                % {
                    "label": label,
                    "created": counts.created,
                    "updated": counts.updated,
                    "unchanged": counts.unchanged,
                    "kept": counts.not_in_source,
                }
            )
