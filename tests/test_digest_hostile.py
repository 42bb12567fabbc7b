"""The digest against hostile titles and misbehaving mail servers (aiosmtpd and a raw
tarpit on 127.0.0.1): every recipient is served exactly once as far as SMTP allows,
no delivery is left "claimed", and no attempt outlives the claim that covers it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, update

from service import db
from service.digest import message
from service.models import Event
from tests.test_digest import Inbox, free_port, rows, sender


class RudeInbox(Inbox):
    """Takes the message, then answers QUIT with ``quit_reply``."""

    def __init__(self, quit_reply: str) -> None:
        super().__init__()
        self.quit_reply = quit_reply

    async def handle_QUIT(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        return self.quit_reply


@pytest.mark.parametrize("quit_reply", ["421 4.4.2 closing, bye", "500 5.5.1 what QUIT?"])
def test_a_bad_answer_to_quit_after_data_is_still_one_sent_message(
        demo_copy: Engine, quit_reply: str) -> None:
    inbox, port = RudeInbox(quit_reply), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        [result] = sender(demo_copy, port).send_due()
        assert result.status == "sent", result
        [row] = rows(demo_copy)
        assert (row.status, row.attempts) == ("sent", 1)
        assert len(inbox.messages) == 1
        assert [r.summary for r in sender(demo_copy, port).send_due()] == ["already sent"]
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def test_a_line_break_in_a_title_cannot_break_or_forge_headers(
        demo_copy: Engine, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    with db.session_scope(demo_copy) as session:
        session.exec(update(Event).values(  # type: ignore[call-overload]
            title="Blasts in Jableh\r\nBcc: victim@example.org\n\x00\u2028 and Tartus"))
    [result] = sender(demo_copy, port).send_due()
    assert result.status == "sent", result
    [mail] = inbox.messages
    assert "Blasts in Jableh Bcc: victim@example.org" in mail["Subject"]
    assert "\n" not in mail["Subject"] and "\r" not in mail["Subject"]
    assert mail["Bcc"] is None and mail.defects == []


def test_a_digest_that_cannot_be_built_is_released_not_left_claimed(
        demo_copy: Engine, smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, port = smtp_server

    def broken(*args: object) -> None:
        raise RuntimeError("a bug in the message")

    monkeypatch.setattr(message, "build", broken)
    [result] = sender(demo_copy, port).send_due()
    assert result.status == "pending" and "a bug in the message" in result.detail
    [row] = rows(demo_copy)
    assert row.status == "pending" and row.attempts == 1 and row.last_error
    monkeypatch.undo()
    assert [r.status for r in sender(demo_copy, port).send_due()] == ["sent"]
    assert len(inbox.messages) == 1


class Tarpit:
    """Accepts connections and drips an endless greeting, a byte every 0.2 s: each read
    succeeds, so only a deadline on the whole attempt ends it."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.sendall(b"220-")
                while not self._stop.wait(0.2):
                    conn.sendall(b"x")
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self._listener.close()


def test_a_tarpit_cannot_hold_an_attempt_past_its_deadline(demo_copy: Engine) -> None:
    tarpit = Tarpit()
    results: list[str] = []
    one = sender(demo_copy, tarpit.port, smtp_deadline=1.0, smtp_retries=1)
    runner = threading.Thread(target=lambda: results.extend(r.status for r in one.send_due()),
                              daemon=True)
    started = time.monotonic()
    try:
        runner.start()
        runner.join(60)  # per-read timeout (5 s) never trips: without a deadline, forever
        assert not runner.is_alive(), "the attempt outlived its deadline"
    finally:
        tarpit.close()
    assert results == ["pending"] and tarpit.connections == 2
    [row] = rows(demo_copy)
    assert row.status == "pending" and "within 1s" in (row.last_error or "")
    assert time.monotonic() - started < 60


def test_retries_stop_before_the_claim_could_go_stale(demo_copy: Engine) -> None:
    """Twenty retries with long waits would outlast the 15-minute claim; the sender gives
    the delivery back (pending) before the attempts and waits could add up to that."""
    waits: list[float] = []
    port = free_port()  # nothing listens: every attempt is refused at once
    one = sender(demo_copy, port, sleep=waits.append, smtp_retries=20, smtp_retry_backoff=60,
                 smtp_deadline=120)
    [result] = one.send_due()
    assert result.status == "pending"
    [row] = rows(demo_copy)
    assert sum(waits) + row.attempts * 120 <= 15 * 60
    assert row.attempts >= 2
