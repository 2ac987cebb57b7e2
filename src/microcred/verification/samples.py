"""The verification page's samples, created by ``microcred serve --demo``.

A small set of signed sample credentials under ``MICROCRED_DATA_DIR/demo``
that the verification page offers to try: valid ones in every format, a
tampered one and an expired one, signed with a did:key so they verify
anywhere. The key is generated once and kept, so the samples stay valid across restarts.
"""

from __future__ import annotations

import io
import json
import secrets
import uuid
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import png
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from microcred.datafiles import generated_secret
from microcred.errors import InvalidInput
from microcred.vc import ob3_builders as ob3
from microcred.vc import sign
from microcred.vc.baking import bake
from microcred.vc.keys import Ed25519Multikey, generate_key_file, read_key_file

# What the page says of each, in the visitor's language.
SAMPLES = {
    "assessment-literacy.json": _("A valid Open Badges 3.0 credential (eddsa-rdfc-2022)"),
    "assessment-literacy-jcs.json": _("The same, signed with eddsa-jcs-2022"),
    "assessment-literacy.jwt": _("The same, as a VC-JWT"),
    "assessment-literacy-badge.png": _("The same, baked into a PNG badge"),
    "assessment-literacy-badge.svg": _("The same, baked into an SVG badge"),
    "tampered.json": _("A credential changed after it was signed"),
    "expired.json": _("A credential past its validUntil date"),
}


def demo_dir() -> Path:
    return settings.DATA_DIR / "demo"


def load_samples() -> Iterator[str]:
    """Create the demo issuer key and sample credentials if missing; yield what was done."""
    folder = demo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    key = read_key_file(
        generated_secret(folder / "issuer-key.json", lambda: generate_key_file("ed25519"))
    )
    if all((folder / name).exists() for name in SAMPLES):
        yield f"Demo samples are in {folder}"
        return
    now = datetime.now(UTC).replace(microsecond=0)
    if not isinstance(key, Ed25519Multikey):
        raise InvalidInput(
            "The demo issuer key must be an Ed25519 key: the samples are issued by its did:key.",
            field="issuer-key.json",
        )
    issuer = key.public.did_key
    credential = sample_credential(issuer=issuer, valid_from=now - timedelta(days=1))
    signed = sign(credential, key=key)
    _write_json(folder / "assessment-literacy.json", signed)
    _write_json(
        folder / "assessment-literacy-jcs.json", sign(credential, key=key, suite="eddsa-jcs-2022")
    )
    (folder / "assessment-literacy.jwt").write_text(sign(credential, key=key, suite="vc-jwt"))
    payload = json.dumps(signed, ensure_ascii=False)
    (folder / "assessment-literacy-badge.png").write_bytes(bake(badge_png(), payload))
    (folder / "assessment-literacy-badge.svg").write_bytes(bake(badge_svg(), payload))
    tampered = json.loads(payload)
    tampered["credentialSubject"]["achievement"]["name"] = "Assessment Literacy (Distinction)"
    _write_json(folder / "tampered.json", tampered)
    expired = sample_credential(
        issuer=issuer, valid_from=now - timedelta(days=400), valid_until=now - timedelta(days=35)
    )
    _write_json(folder / "expired.json", sign(expired, key=key))
    yield f"Demo samples written to {folder}"


def sample_credential(
    *, issuer: str, valid_from: datetime, valid_until: datetime | None = None
) -> dict[str, Any]:
    """Return an unsigned Open Badges 3.0 credential for the educator micro-credential."""
    return ob3.build_achievement_credential(
        id=f"urn:uuid:{uuid.uuid4()}",
        name="Assessment Literacy for Educators",
        issuer=ob3.build_profile(id=issuer, name="Demo Institute for Professional Learning"),
        achievement=ob3.build_achievement(
            id="urn:uuid:4f6f8e53-4d3b-4b36-9c59-7d3a5c1f0a11",
            achievement_type="MicroCredential",
            name="Assessment Literacy for Educators",
            description="Designs valid, reliable classroom assessments and uses their results "
            "to improve learning.",
            criteria_narrative="A portfolio of three assessments designed and used in the "
            "participant's own teaching, with a reflection on the evidence they produced, "
            "judged against the programme rubric.",
        ),
        identifiers=[ob3.build_email_identity("learner@example.org", salt=secrets.token_hex(8))],
        valid_from=valid_from,
        valid_until=valid_until,
    )


def badge_png(size: int = 128) -> bytes:
    """Return a small round badge image (PNG) drawn without any image library."""
    rows = []
    centre, radius = (size - 1) / 2, size / 2 - 2
    for y in range(size):
        row = bytearray()
        for x in range(size):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if distance <= radius * 0.72:
                row += bytes((47, 91, 211, 255))
            elif distance <= radius:
                row += bytes((255, 196, 0, 255))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(row)
    out = io.BytesIO()
    png.Writer(size, size, greyscale=False, alpha=True, compression=zlib.Z_BEST_COMPRESSION).write(
        out, rows
    )
    return out.getvalue()


def badge_svg() -> bytes:
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">'
        b'<circle cx="64" cy="64" r="62" fill="#ffc400"/><circle cx="64" cy="64" r="45" '
        b'fill="#2f5bd3"/><text x="64" y="72" font-size="22" text-anchor="middle" fill="#fff" '
        b'font-family="sans-serif">AL</text></svg>'
    )


def _write_json(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
