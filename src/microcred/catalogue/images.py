"""Badge images: a PNG or an SVG without scripts, small enough to put in a credential's page.

The image is served from the platform's own address (it is the
Achievement's ``image``), so an SVG that could run script there is refused.
"""

from __future__ import annotations

import uuid
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree
from defusedxml import DefusedXmlException
from django.core.files.base import ContentFile

from microcred.errors import InvalidInput

MAX_IMAGE_BYTES = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def clean_image(upload: Any) -> ContentFile:
    """Return the uploaded image under a new name, or raise naming the ``image`` field."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise InvalidInput(
            f"The image is {size} bytes; at most {MAX_IMAGE_BYTES} are allowed.", field="image"
        )
    try:
        data = upload.read(MAX_IMAGE_BYTES + 1)
    except (AttributeError, OSError):
        raise InvalidInput("image must be an uploaded PNG or SVG file.", field="image") from None
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(f"The image is larger than {MAX_IMAGE_BYTES} bytes.", field="image")
    if data.startswith(PNG_SIGNATURE):
        kind = "png"
    elif _is_safe_svg(data):
        kind = "svg"
    else:
        raise InvalidInput(
            "The image must be a PNG, or an SVG without scripts or event handlers.", field="image"
        )
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{kind}")


def _is_safe_svg(data: bytes) -> bool:
    try:
        root = defusedxml.ElementTree.fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return False
    return _local(root.tag) == "svg" and all(_is_safe(element) for element in root.iter())


def _is_safe(element: Element) -> bool:
    if _local(element.tag) in ("script", "foreignObject"):
        return False
    for name, value in element.attrib.items():
        if _local(name).lower().startswith("on"):
            return False
        if _local(name) == "href" and not value.strip().startswith("#"):
            return False
    return True


def _local(name: Any) -> str:
    return str(name).rsplit("}", 1)[-1]


def content_type(name: str) -> str:
    """Return the media type of a stored badge image, from its extension."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
