"""``microcred manage import_esco FILE``: use the official ESCO skills CSV in this installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from microcred.catalogue import services
from microcred.errors import InvalidInput


class Command(BaseCommand):
    help = (
        "Replace the vendored ESCO skills with those of the official ESCO CSV download "
        "(skills_en.csv: conceptUri, preferredLabel, altLabels, description)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The skills CSV file of an ESCO download.")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            count = services.import_esco(actor=None, path=file)
        except InvalidInput as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Imported {count} ESCO skills; suggestions now use them.")
