"""A digest as an email (pure): multipart/alternative with a text and an HTML part,
the charts attached to the HTML as inline (CID) images."""

from __future__ import annotations

import hashlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from service.digest.compose import Digest, render_html, render_text, subject


def message_id(digest_day: str, recipient: str, sender: str) -> str:
    """The same for every attempt at one (day, recipient), so that a resend after a crash
    can be recognised and dropped by mail systems as a duplicate."""
    digest = hashlib.sha256(f"{digest_day}\0{recipient.lower()}".encode()).hexdigest()[:16]
    domain = sender.rpartition("@")[2] or "tollwatch"
    return f"<digest-{digest_day}-{digest}@{domain}>"


def build(digest: Digest, sender: str, recipient: str, msgid: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject(digest)
    message["From"] = Address("tollwatch", addr_spec=sender)
    message["To"] = recipient
    message["Date"] = format_datetime(digest.end)
    message["Message-ID"] = msgid
    message.set_content(render_text(digest))
    message.add_alternative(render_html(digest), subtype="html")
    html = next(part for part in message.iter_parts()
                if part.get_content_type() == "text/html")
    for event in digest.events:
        if event.chart_png:
            html.add_related(event.chart_png, maintype="image", subtype="png",
                             cid=f"<{event.chart_cid}>", filename=f"event-{event.id}.png")
    return message
