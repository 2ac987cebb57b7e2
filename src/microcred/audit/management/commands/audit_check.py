"""``microcred manage audit_check``: check that the audit log's hash chain is intact."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from microcred.audit.services import check_chain


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain. Print the number of events and 'intact', or the "
        "first broken event and why (exit code 1)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        chain = check_chain()
        events = f"{chain.events} audit event{'' if chain.events == 1 else 's'}"
        if not chain.intact:
            raise CommandError(
                f"{events}: the chain is broken at event #{chain.broken_at}: {chain.reason}",
                returncode=1,
            )
        self.stdout.write(f"{events}: intact")
