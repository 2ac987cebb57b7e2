"""``makemessages`` that also collects the standards engine's sentences.

The engine writes ``sentence("...")`` and ``plural_sentence("...", "...", count=...)``
(:mod:`microcred.text`) where the apps write ``gettext``; xgettext finds them only when
told those names.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=sentence",
        "--keyword=plural_sentence:1,2",
    ]
