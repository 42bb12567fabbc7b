"""Handing a message to the mail server (I/O), with failures sorted into temporary and
permanent so the caller knows whether to retry."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from service.config import Settings
from service.errors import DeliveryError


def send(message: EmailMessage, settings: Settings) -> None:
    """Send ``message``; raise :class:`DeliveryError` if the server did not accept it."""
    try:
        _send(message, settings)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        raise DeliveryError(f"recipient refused: {exc.recipients}",
                            temporary=all(400 <= c < 500 for c in codes)) from None
    except smtplib.SMTPResponseException as exc:
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        raise DeliveryError(f"{exc.smtp_code} {text}",
                            temporary=400 <= exc.smtp_code < 500) from None
    except (smtplib.SMTPException, OSError) as exc:  # refused, dropped, timed out, TLS
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        raise DeliveryError(f"mail server {where}: {exc.__class__.__name__}: {exc}",
                            temporary=True) from None


def _send(message: EmailMessage, settings: Settings) -> None:
    context = ssl.create_default_context()
    if settings.smtp_security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port,
                                                timeout=settings.smtp_timeout, context=context)
    else:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                              timeout=settings.smtp_timeout)
    with client:
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
        if settings.smtp_user:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            client.login(settings.smtp_user, password)
        client.send_message(message)
