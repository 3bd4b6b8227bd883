"""`manage.py demo_data`: fill a development database with synthetic agencies, users and records.

Each app that has demo data provides a `demo` module (`shield/<app>/demo.py`) with
`load(*, options, out) -> None` and optionally `add_arguments(parser)` and
`summary(*, options, out) -> None` (printed after every app has loaded). They run in
INSTALLED_APPS order, so an app's demo data can rely on the apps below it. `--up-to LABEL` stops
after that app (its tests need only the apps below it, and the whole demo takes half a minute).
"""

import importlib
from argparse import ArgumentParser
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def demo_modules(up_to: str | None = None) -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shield."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
        if config.label == up_to:
            break
    return found


class Command(BaseCommand):
    help = "Load synthetic demo data (never real people). Refuses to run unless DEBUG is on."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--password",
            default="shield-demo-2026",
            help="Password for every demo account (default: shield-demo-2026).",
        )
        parser.add_argument(
            "--up-to",
            dest="up_to",
            choices=[c.label for c in apps.get_app_configs() if c.name.startswith("shield.")],
            help="Load the demo data of the apps up to this one only (in INSTALLED_APPS order).",
        )
        for module in demo_modules():
            if hasattr(module, "add_arguments"):
                module.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "demo_data refuses to run with DEBUG off: it creates accounts with a known password. "
                "Use it only on a development machine (config.settings.local)."
            )
        modules = demo_modules(options.get("up_to"))
        for module in modules:
            with transaction.atomic():
                module.load(options=options, out=self.stdout)
        # Summaries last, so what a newcomer needs (the accounts) ends the output.
        for module in modules:
            if hasattr(module, "summary"):
                module.summary(options=options, out=self.stdout)
