"""``microcred manage issue_awaiting_awards``: issue the awards of passes whose signing failed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from microcred.assessment import services
from microcred.errors import NotFound
from microcred.organisations import services as organisations


class Command(BaseCommand):
    help = (
        "Issue the award of every recorded pass that has none yet, because signing failed when "
        "it was decided (a key that could not be read, say). Each pass is its own authority; "
        "a retry never issues twice. Exit code 1 when some still fail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="only this organisation's passes (its slug)")

    def handle(self, *args: Any, organisation: str | None = None, **options: Any) -> None:
        chosen = None
        if organisation:
            try:
                chosen = organisations.get_organisation(organisation)
            except NotFound as error:
                raise CommandError(f"--organisation: {error.message}") from None
        issued, failed = services.issue_awaiting_awards(chosen)
        self.stdout.write(f"{len(issued)} award(s) issued.")
        if failed:
            raise CommandError(
                f"{len(failed)} award(s) still not issued: "
                + "; ".join(error.message for error in failed),
                returncode=1,
            )
