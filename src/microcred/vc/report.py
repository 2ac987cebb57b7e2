"""The verification report: what was checked, what passed, what failed and why.

Check ids never change once published; tools and people rely on them. The
ones in use:

``input.format``, ``structure.json``, ``structure.datamodel``, ``structure.ob3``,
``structure.clr``, ``contexts``, ``proof.present``, ``proof.signature``,
``issuer.key``, ``jwt.claims``, ``status.revocation``, ``status.suspension``,
``validity.expired``, ``validity.not_yet_valid``, ``schema``, ``clr.nested``;
for Open Badges 2.0: ``ob2.structure``, ``ob2.hosted``, ``ob2.signature``,
``ob2.revocation``, ``ob2.allowed_origins``, ``ob2.issued``, ``ob2.expiry``,
``ob2.extensions``, ``ob2.recipient``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from microcred.text import Sentence, capitalised, plural_sentence, sentence

# A credential is verified only if one of these passed: something vouches for its origin.
SIGNATURE_CHECKS = ("proof.signature", "ob2.hosted", "ob2.signature")


# What the verdict may claim, each only when its check passed (VerificationReport.summary).
SUMMARY_SENTENCES = (
    ("proof.signature", sentence("the signature is valid")),
    ("ob2.signature", sentence("the signature is valid")),
    ("ob2.hosted", sentence("the issuer hosts this very assertion")),
    ("issuer.key", sentence("the signing key belongs to the issuer")),
    ("status.revocation", sentence("the credential is not revoked")),
    ("status.suspension", sentence("it is not suspended")),
    ("validity.expired", sentence("it has not expired")),
    ("clr.nested", sentence("every credential inside it verifies")),
)


class CheckStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    SKIPPED = "skipped"


@dataclass
class Check:
    """One named check with its outcome and a sentence a person understands."""

    id: str
    status: CheckStatus
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": str(self.status), "message": self.message}
        if self.data:
            out["data"] = self.data
        return out


@dataclass
class VerificationReport:
    """The outcome of verifying one credential.

    ``verified`` is true when no check failed and at least one proof check
    passed: a credential nobody signed is not verified, however well formed.
    """

    format: str
    credential: Any = None
    issuer: str | None = None
    issuer_name: str | None = None
    subject: str | None = None
    name: str | None = None
    source: str | None = None
    checks: list[Check] = field(default_factory=list)
    nested: list[VerificationReport] = field(default_factory=list)

    def add(self, id: str, status: CheckStatus, message: str, **data: Any) -> Check:
        check = Check(id=id, status=status, message=message, data=data)
        self.checks.append(check)
        return check

    def passed(self, id: str, message: str, **data: Any) -> Check:
        return self.add(id, CheckStatus.PASSED, message, **data)

    def failed(self, id: str, message: str, **data: Any) -> Check:
        return self.add(id, CheckStatus.FAILED, message, **data)

    def warning(self, id: str, message: str, **data: Any) -> Check:
        return self.add(id, CheckStatus.WARNING, message, **data)

    def skipped(self, id: str, message: str, **data: Any) -> Check:
        return self.add(id, CheckStatus.SKIPPED, message, **data)

    def checks_with(self, id: str) -> list[Check]:
        return [check for check in self.checks if check.id == id]

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if check.status is CheckStatus.FAILED]

    @property
    def warnings(self) -> list[Check]:
        return [check for check in self.checks if check.status is CheckStatus.WARNING]

    @property
    def verified(self) -> bool:
        """True when nothing failed and a signature (or hosted copy) vouches for the credential.

        A signature check with a warning (a legacy suite, say) still vouches.
        """
        signed = any(
            check.id in SIGNATURE_CHECKS
            and check.status in (CheckStatus.PASSED, CheckStatus.WARNING)
            for check in self.checks
        )
        nested_ok = all(report.verified for report in self.nested)
        return signed and not self.failures and nested_ok

    @property
    def summary(self) -> Sentence:
        """Say in one sentence what passed: never more than the checks show.

        A verified credential may still carry warnings (an issuer key named
        only in a URL, an outdated context); the sentence then says how many
        points to read below, instead of claiming what was not shown.
        """
        if not self.verified:
            return plural_sentence(
                "%(count)s check failed. See below for what is wrong.",
                "%(count)s checks failed. See below for what is wrong.",
                count=len(self.failures),
            )
        passed = {check.id for check in self.checks if check.status is CheckStatus.PASSED}
        shown = [part for check_id, part in SUMMARY_SENTENCES if check_id in passed]
        if not shown:
            text = sentence("The credential verified.")
        else:
            # Each part is a sentence of its own, translated where shown, its first letter
            # made a capital in whatever language it is shown.
            text = shown[-1]
            for part in reversed(shown[:-1]):
                text = _join(part, text, last=text is shown[-1])
            text = sentence("%(findings)s.", findings=capitalised(text))
        count = len(self.warnings)
        if count:
            return sentence(
                "%(verdict)s %(warnings)s",
                verdict=text,
                warnings=plural_sentence(
                    "%(count)s warning below: read it before relying on the credential.",
                    "%(count)s warnings below: read them before relying on the credential.",
                    count=count,
                ),
            )
        return text

    def as_dict(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "format": self.format,
            "source": self.source,
            "name": self.name,
            "issuer": self.issuer,
            "issuerName": self.issuer_name,
            "subject": self.subject,
            "checks": [check.as_dict() for check in self.checks],
            "nested": [report.as_dict() for report in self.nested],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)


def _join(first: str, rest: str, *, last: bool) -> Sentence:
    """Join the parts of the summary: "a, b and c"."""
    if last:
        return sentence("%(first)s and %(last)s", first=first, last=rest)
    return sentence("%(first)s, %(rest)s", first=first, rest=rest)
