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
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

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


def generated_png(title: str) -> bytes:
    """Return a round badge with the title's initials, drawn with Pillow."""
    image = Image.new("RGBA", (BADGE_SIZE, BADGE_SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, BADGE_SIZE - 4, BADGE_SIZE - 4), fill=GOLD)
    draw.ellipse((36, 36, BADGE_SIZE - 36, BADGE_SIZE - 36), fill=ACCENT)
    font = ImageFont.load_default(size=64)
    draw.text(
        (BADGE_SIZE / 2, BADGE_SIZE / 2), initials(title), fill="white", font=font, anchor="mm"
    )
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


@dataclass(frozen=True)
class Certificate:
    """What the certificate shows; the caller gathers it from the award."""

    title: str
    learner: str
    issuer: str
    issued_on: datetime
    url: str
    elements: list[tuple[str, str]]
    status_note: str = ""


def qr_matrix(url: str) -> list[list[bool]]:
    """Return the QR code's modules (True is dark), without the quiet zone."""
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def certificate_pdf(certificate: Certificate) -> bytes:
    """Return a one-page landscape A4 certificate with a QR code to the credential's page."""
    _register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT))
    canvas.setTitle(f"{certificate.title}: {certificate.learner}")
    canvas.setAuthor(certificate.issuer)
    canvas.setSubject(certificate.url)
    canvas.setStrokeColor(HexColor(ACCENT))
    canvas.setLineWidth(3)
    canvas.rect(MARGIN / 2, MARGIN / 2, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - MARGIN)

    width = PAGE_WIDTH - 2 * MARGIN
    top = PAGE_HEIGHT - MARGIN - 10
    top = _paragraph(canvas, escape(certificate.issuer), _style(16, ACCENT), width, top)
    top = _paragraph(canvas, "certifies that", _style(12, "#5b6475"), width, top - 18)
    top = _paragraph(
        canvas, escape(certificate.learner), _style(26, "#1d2433", bold=True), width, top - 6
    )
    top = _paragraph(canvas, "has achieved", _style(12, "#5b6475"), width, top - 6)
    top = _paragraph(
        canvas, escape(certificate.title), _style(22, ACCENT, bold=True), width, top - 6
    )
    issued = certificate.issued_on.strftime("%d %B %Y").lstrip("0")
    top = _paragraph(canvas, f"Issued on {issued}", _style(12, "#1d2433"), width, top - 6)
    if certificate.status_note:
        top = _paragraph(
            canvas,
            escape(certificate.status_note),
            _style(13, "#b42318", bold=True),
            width,
            top - 6,
        )

    rows = "<br/>".join(
        f"<b>{escape(label)}:</b> {escape(_shortened(value))}"
        for label, value in certificate.elements
    )
    _fitted_paragraph(canvas, rows, QR_X - MARGIN - 24, top - 18, bottom=MARGIN + 12)

    _draw_qr(canvas, certificate.url)
    canvas.setFont("Vera", 8)
    canvas.setFillColor(HexColor("#5b6475"))
    canvas.drawCentredString(QR_X + QR_SIZE / 2, QR_Y - 12, "Scan to verify")
    canvas.drawString(MARGIN, MARGIN - 4, certificate.url)
    canvas.linkURL(certificate.url, (QR_X, QR_Y, QR_X + QR_SIZE, QR_Y + QR_SIZE), relative=0)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


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


def _paragraph(canvas: Canvas, text: str, style: ParagraphStyle, width: float, top: float) -> float:
    """Draw ``text`` with its top at ``top``; return where the next line starts."""
    paragraph = Paragraph(text, style)
    _, height = paragraph.wrapOn(canvas, width, PAGE_HEIGHT)
    paragraph.drawOn(canvas, MARGIN, top - height)
    return top - height


def _fitted_paragraph(
    canvas: Canvas, text: str, width: float, top: float, *, bottom: float
) -> None:
    """Draw ``text`` in the largest size from 10 to 6 points that fits between top and bottom."""
    for size in (10, 9, 8, 7, 6):
        paragraph = Paragraph(text, _style(size, "#1d2433", align=0, leading=size * 1.4))
        _, height = paragraph.wrapOn(canvas, width, PAGE_HEIGHT)
        if top - height >= bottom:
            break
    paragraph.drawOn(canvas, MARGIN, top - height)


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
