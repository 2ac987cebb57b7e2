"""Badge images: a PNG, or an SVG cleaned down to drawing, small enough for a credential's page.

The image is served from the platform's own address (it is the Achievement's
``image``) and baked into every SVG credential, so an SVG is never kept as
uploaded: it is parsed as XML without entities or external references, cleaned
by ammonia (through ``nh3``) against an allow-list of SVG drawing elements and
attributes, and re-serialized. Scripts, event attributes, ``foreignObject``
(and with it any XHTML), animations that could set a link, style sheets and
references to anything outside the image are gone from what is stored.
"""

from __future__ import annotations

import uuid
from typing import Any
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree
import nh3
from defusedxml import DefusedXmlException
from django.core.files.base import ContentFile
from django.utils.translation import gettext

from microcred.errors import InvalidInput

MAX_IMAGE_BYTES = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"

# Static drawing only: no script, foreignObject, animation (set/animate can write an
# href), feImage or style sheet; ``a`` is left out too, a badge links nowhere.
SVG_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc", "switch",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textPath", "image",
        "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
        "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
        "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight",
        "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
        "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology", "feOffset",
        "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
    }
)  # fmt: skip
# Removed together with everything inside them, not just unwrapped.
SVG_REMOVED_WITH_CONTENT = frozenset({"script", "style", "foreignObject", "iframe", "metadata"})
# Geometry, paint and text presentation; no event (on*) attribute is here.
SVG_ATTRIBUTES = frozenset(
    {
        "id", "class", "style", "transform", "version", "role", "aria-label", "aria-hidden",
        "viewBox", "preserveAspectRatio", "width", "height", "x", "y", "x1", "x2", "y1", "y2",
        "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "d", "points", "pathLength",
        "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing",
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
        "stroke-opacity", "opacity", "color", "display", "visibility", "overflow",
        "clip-path", "clip-rule", "mask", "filter", "paint-order", "vector-effect",
        "shape-rendering", "text-rendering", "image-rendering", "color-interpolation",
        "color-interpolation-filters", "mix-blend-mode", "isolation",
        "font-family", "font-size", "font-weight", "font-style", "font-variant",
        "font-stretch", "text-anchor", "dominant-baseline", "alignment-baseline",
        "baseline-shift", "letter-spacing", "word-spacing", "text-decoration", "writing-mode",
        "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform",
        "spreadMethod", "patternUnits", "patternContentUnits", "patternTransform",
        "clipPathUnits", "maskUnits", "maskContentUnits", "markerWidth", "markerHeight",
        "markerUnits", "refX", "refY", "orient", "marker-start", "marker-mid", "marker-end",
        "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode",
        "operator", "k1", "k2", "k3", "k4", "values", "type", "tableValues", "slope",
        "intercept", "amplitude", "exponent", "flood-color", "flood-opacity",
        "lighting-color", "scale", "xChannelSelector", "yChannelSelector", "baseFrequency",
        "numOctaves", "seed", "stitchTiles", "radius", "order", "kernelMatrix", "divisor",
        "bias", "targetX", "targetY", "edgeMode", "preserveAlpha", "surfaceScale",
        "diffuseConstant", "specularConstant", "specularExponent", "azimuth", "elevation",
        "z", "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle",
        # References, checked by _keep_attribute: ``href`` (and ``xlink:href``) to an
        # element of the same image, the namespace declarations to their one namespace.
        "href", "xmlns", "xlink",
    }
)  # fmt: skip
# Raster pictures an ``<image>`` may carry inline (never SVG, never a fetched URL).
INLINE_IMAGE_PREFIXES = tuple(
    f"data:image/{kind};base64," for kind in ("png", "jpeg", "gif", "webp")
)


def clean_image(upload: Any) -> ContentFile:
    """Return the uploaded image under a new name, or raise naming the ``image`` field.

    A PNG is kept as it is; an SVG is kept as :func:`clean_svg` returns it.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise InvalidInput(
            gettext("The image is %(size)s bytes; at most %(most)s are allowed.")
            % {"size": size, "most": MAX_IMAGE_BYTES},
            field="image",
        )
    try:
        data = upload.read(MAX_IMAGE_BYTES + 1)
    except (AttributeError, OSError):
        raise InvalidInput(
            gettext("image must be an uploaded PNG or SVG file."), field="image"
        ) from None
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(
            gettext("The image is larger than %(most)s bytes.") % {"most": MAX_IMAGE_BYTES},
            field="image",
        )
    if data.startswith(PNG_SIGNATURE):
        return ContentFile(data, name=f"{uuid.uuid4().hex}.png")
    return ContentFile(clean_svg(data), name=f"{uuid.uuid4().hex}.svg")


def clean_svg(data: bytes) -> bytes:
    """Return the SVG image reduced to the allow-listed drawing, re-serialized as UTF-8.

    Raise :class:`InvalidInput` (field ``image``) when ``data`` is not UTF-8 SVG
    XML, declares entities or external references, or does not come out of the
    cleaning as well-formed SVG.
    """
    _parse_svg(data, "The image must be a PNG or an SVG")
    text = data.decode("utf-8-sig")
    cleaned = nh3.clean(
        text,
        tags=set(SVG_ELEMENTS),
        clean_content_tags=set(SVG_REMOVED_WITH_CONTENT),
        attributes={"*": set(SVG_ATTRIBUTES)},
        attribute_filter=_keep_attribute,
        url_schemes={"data"},
        strip_comments=True,
        link_rel=None,
    )
    # The cleaner writes HTML; its one named character reference XML lacks is &nbsp;.
    svg = cleaned.strip().replace("&nbsp;", "&#160;").encode("utf-8")
    root = _parse_svg(svg, "The SVG could not be cleaned into a well-formed image")
    if any(not str(element.tag).startswith(f"{{{SVG_NAMESPACE}}}") for element in root.iter()):
        raise InvalidInput("The SVG mixes other XML into the image.", field="image")
    return svg


def _parse_svg(data: bytes, problem: str) -> Any:
    """Parse ``data`` as XML without entities; return the root, which must be an SVG ``svg``."""
    try:
        data.decode("utf-8-sig")
        root = defusedxml.ElementTree.fromstring(data)
    except UnicodeDecodeError:
        raise InvalidInput(f"{problem}: the SVG is not UTF-8 text.", field="image") from None
    except DefusedXmlException:
        raise InvalidInput(
            f"{problem}: the SVG declares entities or external references.", field="image"
        ) from None
    except (ParseError, ValueError) as error:
        raise InvalidInput(
            f"{problem}: the SVG is not well-formed ({error}).", field="image"
        ) from None
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise InvalidInput(
            f"{problem}: its root must be an <svg> element in the namespace {SVG_NAMESPACE}.",
            field="image",
        )
    return root


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Return ``value`` if the allow-listed attribute may keep it, else None (drop it).

    References stay inside the image: ``href`` names an element of it (``#id``),
    or an ``<image>`` carries a raster picture inline; ``url(...)`` in paint and
    style likewise. Namespace declarations may only declare SVG and XLink.
    """
    if attribute == "xmlns":
        return value if value == SVG_NAMESPACE else None
    if attribute == "xlink":
        return value if value == XLINK_NAMESPACE else None
    if attribute == "href":
        local = value.startswith("#")
        inline = element == "image" and value.lower().startswith(INLINE_IMAGE_PREFIXES)
        return value if local or inline else None
    if "\\" in value or _refers_outside(value):
        return None
    return value


def _refers_outside(value: str) -> bool:
    """Whether a ``url(...)`` in the value (paint, style) names anything but ``#id``."""
    after_each_url = "".join(value.split()).lower().split("url(")[1:]
    return any(not rest.lstrip("'\"").startswith("#") for rest in after_each_url)


def content_type(name: str) -> str:
    """Return the media type of a stored badge image, from its extension."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
