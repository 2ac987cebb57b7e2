"""Checks on uploaded evidence files, by their content.

A file's name and the browser's Content-Type are whatever the uploader says they are, so
neither is trusted: the first bytes must carry the signature of an accepted type (images
must also open in Pillow, zip packages must hold the parts of an office document), and the
name must then agree with what the content is. A file that passes can be served to
reviewers as the type it claims without handing them something else (an executable in a
``.pdf``, HTML in a ``.png``).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.base import File
from django.core.files.storage import storages
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

from microcred.errors import InvalidInput

__all__ = ["FILE_TYPES", "check_upload", "evidence_storage"]

# Media types a plan may accept, with the file name extensions each may carry.
FILE_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "text/plain": (".txt", ".md"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (".xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (".pptx",),
    "application/vnd.oasis.opendocument.text": (".odt",),
}
# The folder inside an Office Open XML package that tells its kind.
_OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
MAX_NAME = 200


class _EvidenceStorage:
    """``STORAGES["evidence"]``, looked up on every use: a field's storage is otherwise fixed
    when the model is defined, and a deployment or a test could not move the evidence."""

    @property  # type: ignore[misc]  # standing in for the storage's class is the point
    def __class__(self) -> type:
        return type(storages["evidence"])

    def __getattr__(self, name: str) -> Any:
        return getattr(storages["evidence"], name)


_evidence_storage = _EvidenceStorage()


def evidence_storage() -> Any:
    """Return the storage of learners' evidence: outside the web root, with no public URL.

    Here, beside the checks on uploads, so that every app that keeps learners' files
    (assessment, recognition) uses the one storage of ADR 0004.
    """
    return _evidence_storage


def check_upload(
    file: File, *, allowed_types: list[str], max_bytes: int, field: str = "file"
) -> tuple[bytes, str, str]:
    """Return the file's bytes, its media type (by content) and a safe name (no folders).

    ``allowed_types`` are keys of :data:`FILE_TYPES` (empty: all of them). Raises
    :class:`InvalidInput` naming ``field`` when the file is empty (``evidence.empty``),
    larger than ``max_bytes`` (``evidence.too_large``), of no accepted type
    (``evidence.type_not_allowed``) or named as another type (``evidence.type_mismatch``).
    """
    name = (getattr(file, "name", "") or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    name = name[:MAX_NAME]
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(name, max_bytes, field)
    content = file.read(max_bytes + 1)
    if not content:
        raise InvalidInput(
            gettext("%(name)s is empty.") % {"name": name}, code="evidence.empty", field=field
        )
    if len(content) > max_bytes:
        raise _too_large(name, max_bytes, field)
    accepted = allowed_types or list(FILE_TYPES)
    detected = _sniff(content)
    if detected is None or detected not in accepted:
        raise InvalidInput(
            gettext("%(name)s is not an accepted type of file; accepted: %(extensions)s.")
            % {
                "name": name,
                "extensions": ", ".join(ext for t in accepted for ext in FILE_TYPES[t]),
            },
            code="evidence.type_not_allowed",
            field=field,
            data={"detected": detected},
        )
    if not name.lower().endswith(FILE_TYPES[detected]):
        raise InvalidInput(
            gettext(
                "%(name)s holds %(type)s content, which its name does not say; "
                "name it with %(extensions)s."
            )
            % {
                "name": name,
                "type": detected,
                "extensions": gettext(" or ").join(FILE_TYPES[detected]),
            },
            code="evidence.type_mismatch",
            field=field,
            data={"detected": detected},
        )
    return content, detected, name


def _too_large(name: str, max_bytes: int, field: str) -> InvalidInput:
    return InvalidInput(
        gettext("%(name)s is larger than %(size)s MB.")
        % {"name": name, "size": f"{max_bytes / (1024 * 1024):g}"},
        code="evidence.too_large",
        field=field,
    )


def _sniff(content: bytes) -> str | None:
    """Return the media type the content really is (by its signature), or None."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return _image_type(content)
    if content.startswith(b"PK\x03\x04"):
        return _package_type(content)
    if b"\x00" not in content:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return None


def _image_type(content: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return {"PNG": "image/png", "JPEG": "image/jpeg"}.get(kind or "")


def _package_type(content: bytes) -> str | None:
    """Tell Office Open XML and OpenDocument files from other zip archives."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = package.namelist()
            if "mimetype" in names:
                declared = package.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in FILE_TYPES else None
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for folder, media_type in _OOXML_PARTS.items():
        if any(name.startswith(folder) for name in names):
            return media_type
    return None
