"""Handing a message to the mail server (I/O), with failures sorted into temporary and
permanent so the caller knows whether to retry."""

from __future__ import annotations

import smtplib
import socket
import ssl
import threading
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
    """One attempt, cut off after ``smtp_deadline`` seconds in all (a server answering
    a byte at a time never trips the per-read ``smtp_timeout``). The message counts as
    sent once the server accepts its DATA: what QUIT gets back after that (421, 500, a
    dropped connection) changes nothing, and must not make the caller send it again."""
    context = ssl.create_default_context()
    client = _Client(settings.smtp_timeout, context) if settings.smtp_security != "tls" else \
        _TlsClient(settings.smtp_timeout, context)
    timer = threading.Timer(settings.smtp_deadline, client.cut_off)
    timer.start()
    accepted = False
    try:
        client.connect(settings.smtp_host, settings.smtp_port)
        if client.was_cut_off:  # the deadline passed while connecting
            raise TimeoutError
        if settings.smtp_security == "starttls":
            client.starttls(context=context)
        if settings.smtp_user:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            client.login(settings.smtp_user, password)
        client.send_message(message)
        accepted = True
        client.quit()
    except (smtplib.SMTPException, OSError):
        if accepted:
            return  # how the server says goodbye after taking the message does not matter
        if client.was_cut_off:
            raise TimeoutError(f"no complete exchange within {settings.smtp_deadline:g}s") \
                from None
        raise
    finally:
        timer.cancel()
        client.close()


class _Deadline:
    """Lets a timer thread end the exchange: shutting the socket down wakes the read
    that is waiting on it."""

    sock: socket.socket | None
    was_cut_off = False

    def cut_off(self) -> None:
        self.was_cut_off = True
        sock = self.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Client(_Deadline, smtplib.SMTP):
    def __init__(self, timeout: float, context: ssl.SSLContext) -> None:
        smtplib.SMTP.__init__(self, timeout=timeout)


class _TlsClient(_Deadline, smtplib.SMTP_SSL):
    def __init__(self, timeout: float, context: ssl.SSLContext) -> None:
        smtplib.SMTP_SSL.__init__(self, timeout=timeout, context=context)
