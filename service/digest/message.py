"""A digest as an email (pure): multipart/alternative with a text and an HTML part,
the charts attached to the HTML as inline (CID) images."""

from __future__ import annotations

import hashlib
import re
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


# Line breaks (and any other control character) would end the header or start another;
# lone surrogates cannot be encoded at all. Event titles come from feeds.
_UNSAFE_IN_HEADER = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]+")


def header_text(value: str) -> str:
    """``value`` as one header line: every run of control characters becomes a space."""
    return _UNSAFE_IN_HEADER.sub(" ", value).strip()


def build(digest: Digest, sender: str, recipient: str, msgid: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = header_text(subject(digest))
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
