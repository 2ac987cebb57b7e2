"""``microcred manage qa_due``: tell organisations which versions are due for re-review."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from microcred.quality import services


class Command(BaseCommand):
    help = (
        "Email each organisation (owners and QA reviewers) the published micro-credentials whose "
        "review date has come; each is notified once. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="The date to judge by (YYYY-MM-DD); default today.")

    def handle(self, *args: Any, today: str | None = None, **options: Any) -> None:
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"--today {today!r}: give the date as YYYY-MM-DD") from None
        told = services.notify_reviews_due(today=day)
        due = len(services.get_reviews_due(day))
        self.stdout.write(
            f"{due} published version(s) due for re-review; notified {len(told)} organisation(s)."
        )
