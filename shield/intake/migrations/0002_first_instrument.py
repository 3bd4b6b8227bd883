"""Load the first screening instrument (data/instruments/border-gate-v1.json) as version 1."""

from typing import Any

from django.db import migrations
from django.utils import timezone

from shield.intake.instruments import FIRST_INSTRUMENT, read_file

SOURCE = "shield/intake/data/instruments/border-gate-v1.json"


def load(apps: Any, schema_editor: Any) -> None:
    Instrument = apps.get_model("intake", "ScreeningInstrument")
    definition = read_file(FIRST_INSTRUMENT)
    if Instrument.objects.filter(code=definition["code"], version=1).exists():
        return
    Instrument.objects.create(
        code=definition["code"],
        version=1,
        title_vi=definition["title"]["vi"],
        title_en=definition["title"]["en"],
        definition=definition,
        source=SOURCE,
        published_at=timezone.now(),
    )


def unload(apps: Any, schema_editor: Any) -> None:
    Instrument = apps.get_model("intake", "ScreeningInstrument")
    Instrument.objects.filter(source=SOURCE, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
