"""What a learner takes away: baked badge images, a PDF certificate, a LinkedIn link.

The images and the PDF are made from the award when asked for, never
stored: the baked credential is the stored signed text, byte for byte
(Open Badges 3.0, "Baking"), and the PDF's QR code leads to the
credential's page, where it is verified live.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import qrcode
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, ListFlowable, Paragraph
from svglib.svglib import svg2rlg

from microcred.core.words import long_date
from microcred.vc.baking import PNG_SIGNATURE, bake

ACCENT = "#2f5bd3"
GOLD = "#ffc400"
BADGE_SIZE = 256
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 48.0
# Where the QR code sits on the certificate (points from the bottom left), and its size.
QR_X, QR_Y, QR_SIZE = PAGE_WIDTH - MARGIN - 130.0, MARGIN + 20.0, 130.0
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


# -- badge images ----------------------------------------------------------------------------


def initials(title: str) -> str:
    """Return up to three initials of the title's words, for a generated badge."""
    words = [word for word in title.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:3]).upper() or "MC"


def generated_png(
    title: str, *, outer: str = GOLD, inner: str = ACCENT, text: str = "#ffffff"
) -> bytes:
    """Return a round badge with the title's initials, drawn with Pillow.

    The certificate draws the issuer's emblem the same way, in its own colours.
    """
    image = Image.new("RGBA", (BADGE_SIZE, BADGE_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, BADGE_SIZE - 4, BADGE_SIZE - 4), fill=outer)
    draw.ellipse((36, 36, BADGE_SIZE - 36, BADGE_SIZE - 36), fill=inner)
    font = ImageFont.load_default(size=64)
    draw.text((BADGE_SIZE / 2, BADGE_SIZE / 2), initials(title), fill=text, font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def generated_svg(title: str) -> bytes:
    """Return the same badge as SVG, with the title as its accessible name."""
    half = BADGE_SIZE // 2
    label = escape(title, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{BADGE_SIZE}" height="{BADGE_SIZE}" '
        f'viewBox="0 0 {BADGE_SIZE} {BADGE_SIZE}" role="img" aria-label="{label}">'
        f'<circle cx="{half}" cy="{half}" r="{half - 4}" fill="{GOLD}"/>'
        f'<circle cx="{half}" cy="{half}" r="{half - 36}" fill="{ACCENT}"/>'
        f'<text x="{half}" y="{half + 22}" font-size="64" text-anchor="middle" fill="#fff" '
        f'font-family="sans-serif">{escape(initials(title))}</text></svg>'
    ).encode()


def baked_image(*, kind: str, signed_credential: str, title: str, image: bytes | None) -> bytes:
    """Return a ``kind`` ("png" or "svg") badge with the signed credential baked in.

    ``image`` is the micro-credential's own badge; it is used when it is of
    the kind asked for, else a badge is generated.
    """
    if kind == "png":
        base = (
            image if image is not None and image.startswith(PNG_SIGNATURE) else generated_png(title)
        )
    else:
        base = image if image is not None and b"<svg" in image[:2048] else generated_svg(title)
    return bake(base, signed_credential)


# -- PDF certificate -------------------------------------------------------------------------

INK = "#1d2433"
MUTED = "#5b6475"
# The issuer's emblem (top left) and the badge (top right): their size and where their tops sit.
EMBLEM_SIZE = 96.0
EMBLEM_TOP = PAGE_HEIGHT - MARGIN - 8


@dataclass(frozen=True)
class Certificate:
    """What the certificate shows; the caller gathers it from the award.

    The caller's texts (the results' and elements' labels, the status note) come in the
    language the certificate is made in; its own labels are translated as it is drawn.
    """

    title: str
    learner: str
    issuer: str
    issued_on: datetime
    url: str
    outcomes: list[str]
    # (what, achieved) for each result: a rubric level with its scale, a score out of its maximum.
    results: list[tuple[str, str]]
    elements: list[tuple[str, str]]
    valid_until: datetime | None = None
    # The micro-credential's own badge (PNG or SVG); a badge is generated without one.
    badge: bytes | None = None
    status_note: str = ""


def qr_matrix(url: str) -> list[list[bool]]:
    """Return the QR code's modules (True is dark), without the quiet zone."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def certificate_pdf(certificate: Certificate) -> bytes:
    """Return a one-page landscape A4 certificate: a double border, the issuer's emblem and the
    badge at the top, who achieved what and when, the results and learning outcomes, and a QR
    code to the credential's page."""
    _register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    canvas.setTitle(f"{certificate.title}: {certificate.learner}")
    canvas.setAuthor(certificate.issuer)
    canvas.setSubject(certificate.url)
    _draw_border(canvas)
    emblem = generated_png(certificate.issuer, outer=INK, inner="#ffffff", text=INK)
    canvas.drawImage(
        ImageReader(io.BytesIO(emblem)),
        MARGIN,
        EMBLEM_TOP - EMBLEM_SIZE,
        EMBLEM_SIZE,
        EMBLEM_SIZE,
        mask="auto",
    )
    _draw_badge(canvas, certificate)

    # The centre column runs between the two images.
    side = MARGIN + EMBLEM_SIZE + 16
    width = PAGE_WIDTH - 2 * side
    top = PAGE_HEIGHT - MARGIN - 10
    top = _paragraph(canvas, escape(certificate.issuer), _style(16, ACCENT), side, width, top)
    top = _paragraph(
        canvas, escape(gettext("certifies that")), _style(12, MUTED), side, width, top - 14
    )
    top = _paragraph(
        canvas, escape(certificate.learner), _style(26, INK, bold=True), side, width, top - 6
    )
    top = _paragraph(
        canvas, escape(gettext("has achieved")), _style(12, MUTED), side, width, top - 6
    )
    top = _paragraph(
        canvas, escape(certificate.title), _style(22, ACCENT, bold=True), side, width, top - 6
    )
    if certificate.valid_until:
        dates = gettext("Issued on %(issued)s · valid until %(until)s") % {
            "issued": long_date(certificate.issued_on),
            "until": long_date(certificate.valid_until),
        }
    else:
        dates = gettext("Issued on %(issued)s") % {"issued": long_date(certificate.issued_on)}
    top = _paragraph(
        canvas, escape(dates), _style(12, INK), MARGIN, PAGE_WIDTH - 2 * MARGIN, top - 6
    )
    if certificate.status_note:
        top = _paragraph(
            canvas,
            escape(certificate.status_note),
            _style(13, "#b42318", bold=True),
            MARGIN,
            PAGE_WIDTH - 2 * MARGIN,
            top - 6,
        )

    _fitted_details(canvas, certificate, QR_X - MARGIN - 24, top - 14, bottom=MARGIN + 12)

    _draw_qr(canvas, certificate.url)
    canvas.setFont("Vera", 8)
    canvas.setFillColor(HexColor(MUTED))
    canvas.drawCentredString(QR_X + QR_SIZE / 2, QR_Y - 12, gettext("Scan to verify"))
    canvas.drawString(MARGIN, MARGIN - 4, certificate.url)
    canvas.linkURL(certificate.url, (QR_X, QR_Y, QR_X + QR_SIZE, QR_Y + QR_SIZE), relative=0)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_border(canvas: Canvas) -> None:
    """A thick outer frame in the accent colour and a thin gold one inside it."""
    canvas.setStrokeColor(HexColor(ACCENT))
    canvas.setLineWidth(4)
    canvas.rect(MARGIN / 2, MARGIN / 2, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN)
    canvas.setStrokeColor(HexColor(GOLD))
    canvas.setLineWidth(1.5)
    inset = MARGIN / 2 + 7
    canvas.rect(inset, inset, PAGE_WIDTH - 2 * inset, PAGE_HEIGHT - 2 * inset)


def _draw_badge(canvas: Canvas, certificate: Certificate) -> None:
    """Draw the badge at the top right: an SVG as vectors, a PNG as it is, else a generated one.

    Either way it is one XObject of the page: an image, or a form holding the drawing.
    """
    x, y = PAGE_WIDTH - MARGIN - EMBLEM_SIZE, EMBLEM_TOP - EMBLEM_SIZE
    drawing = _svg_drawing(certificate.badge) if certificate.badge else None
    if drawing is not None:
        scale = EMBLEM_SIZE / max(drawing.width, drawing.height, 1)
        canvas.beginForm("badge")
        canvas.scale(scale, scale)
        renderPDF.draw(drawing, canvas, 0, 0)
        canvas.endForm()
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm("badge")
        canvas.restoreState()
        return
    image = certificate.badge
    if image is None or not image.startswith(PNG_SIGNATURE):
        image = generated_png(certificate.title)
    canvas.drawImage(
        ImageReader(io.BytesIO(image)),
        x,
        y,
        EMBLEM_SIZE,
        EMBLEM_SIZE,
        mask="auto",
        preserveAspectRatio=True,
    )


def _svg_drawing(image: bytes) -> Drawing | None:
    """Return an SVG badge as a ReportLab drawing, or None when it is not a readable SVG.

    Stored badges were cleaned when uploaded (no scripts, entities or external references).
    """
    if b"<svg" not in image[:2048]:
        return None
    try:
        drawing = svg2rlg(io.BytesIO(image))
    except (ValueError, OSError):
        return None
    # svglib recovers what it can from broken XML: what has no size drew nothing.
    return drawing if drawing is not None and drawing.width > 0 and drawing.height > 0 else None


def _fitted_details(
    canvas: Canvas, certificate: Certificate, width: float, top: float, *, bottom: float
) -> None:
    """Draw the results, the learning outcomes as a list and the other elements, in the
    largest size from 10 to 6 points that fits between ``top`` and ``bottom``."""
    for size in (10, 9, 8, 7, 6):
        flowables = _details(certificate, size)
        height = sum(flowable.wrapOn(canvas, width, PAGE_HEIGHT)[1] for flowable in flowables)
        if top - height >= bottom:
            break
    for flowable in flowables:
        _, flowable_height = flowable.wrapOn(canvas, width, PAGE_HEIGHT)
        flowable.drawOn(canvas, MARGIN, top - flowable_height)
        top -= flowable_height


def _details(certificate: Certificate, size: int) -> list[Flowable]:
    style = _style(size, INK, align=0, leading=size * 1.4)
    flowables: list[Flowable] = [
        Paragraph(f"<b>{escape(what)}:</b> {escape(achieved)}", style)
        for what, achieved in certificate.results
    ]
    if certificate.outcomes:
        heading = escape(gettext("Learning outcomes"))
        flowables.append(Paragraph(f"<b>{heading}</b>", style))
        flowables.append(
            ListFlowable(
                [Paragraph(escape(_shortened(text)), style) for text in certificate.outcomes],
                bulletType="bullet",
                bulletFontName="Vera",
                bulletFontSize=size,
                leftIndent=size * 1.5,
            )
        )
    rows = "<br/>".join(
        f"<b>{escape(label)}:</b> {escape(_shortened(value))}"
        for label, value in certificate.elements
    )
    if rows:
        flowables.append(Paragraph(rows, style))
    return flowables


def _draw_qr(canvas: Canvas, url: str) -> None:
    """Draw the QR code as vector squares, so it stays sharp at any zoom and print size."""
    matrix = qr_matrix(url)
    module = QR_SIZE / len(matrix)
    canvas.setFillColor(HexColor("#000000"))
    for row_number, row in enumerate(matrix):
        for column, dark in enumerate(row):
            if dark:
                x = QR_X + column * module
                y = QR_Y + QR_SIZE - (row_number + 1) * module
                canvas.rect(x, y, module, module, stroke=0, fill=1)


def _paragraph(
    canvas: Canvas, text: str, style: ParagraphStyle, left: float, width: float, top: float
) -> float:
    """Draw ``text`` from ``left`` with its top at ``top``; return where the next line starts."""
    paragraph = Paragraph(text, style)
    _, height = paragraph.wrapOn(canvas, width, PAGE_HEIGHT)
    paragraph.drawOn(canvas, left, top - height)
    return top - height


def _shortened(text: str, limit: int = 300) -> str:
    """Keep a long element to a few lines; the credential's page has it in full."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _style(
    size: int,
    color: str,
    *,
    bold: bool = False,
    align: Literal[0, 1, 2] = 1,
    leading: float | None = None,
) -> ParagraphStyle:
    return ParagraphStyle(
        name=f"s{size}{bold}{align}",
        fontName="VeraBd" if bold else "Vera",
        fontSize=size,
        leading=leading or size * 1.25,
        textColor=HexColor(color),
        alignment=align,
    )


def _register_fonts() -> None:
    """Register Bitstream Vera (shipped with ReportLab): unlike Helvetica it is embedded."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in (("Vera", "Vera.ttf"), ("VeraBd", "VeraBd.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, file))
    pdfmetrics.registerFontFamily("Vera", normal="Vera", bold="VeraBd")


# -- LinkedIn ------------------------------------------------------------------------------


def linkedin_url(
    *,
    name: str,
    organisation_name: str,
    issued_on: datetime,
    url: str,
    credential_id: str,
    expires_on: datetime | None = None,
) -> str:
    """Return LinkedIn's "Add to profile" link for a certification (never fetched)."""
    parameters: dict[str, Any] = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organisation_name,
        "issueYear": issued_on.year,
        "issueMonth": issued_on.month,
    }
    if expires_on is not None:
        parameters.update(expirationYear=expires_on.year, expirationMonth=expires_on.month)
    parameters.update(certUrl=url, certId=credential_id)
    return f"{LINKEDIN_ADD}?{urlencode(parameters)}"
