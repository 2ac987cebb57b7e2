"""``microcred manage audit_check``: check that the audit log's keyed hash chain is intact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from microcred.audit.services import check_chain, write_checkpoint


class Command(BaseCommand):
    help = (
        "Recompute the audit log's keyed hash chain and hold it against the checkpoints. Print "
        "the number of events and 'intact', or the first broken event and why (exit code 1). "
        "With --checkpoint, append the head of an intact chain to the checkpoints file: run it "
        "regularly (hourly, say) and copy the file's lines off the machine."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            action="store_true",
            help="when the chain is intact, record its head as a new checkpoint",
        )
        parser.add_argument(
            "--checkpoints",
            type=Path,
            default=None,
            help="the checkpoints file to hold the chain against (default: "
            "MICROCRED_AUDIT_CHECKPOINTS, in the data folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chain = check_chain(options["checkpoints"])
        events = f"{chain.events} audit event{'' if chain.events == 1 else 's'}"
        if not chain.intact:
            raise CommandError(
                f"{events}: the chain is broken at event #{chain.broken_at}: {chain.reason}",
                returncode=1,
            )
        self.stdout.write(f"{events}: intact")
        if options["checkpoint"] and (head := write_checkpoint(chain, options["checkpoints"])):
            self.stdout.write(f"checkpoint {head.as_line()}")
