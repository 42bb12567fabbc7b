"""The daily digest, sent to a real SMTP server on 127.0.0.1 (aiosmtpd), over a store the
real pipeline filled; failures of the server, and workers racing for the same digest."""

from __future__ import annotations

import base64
import email
import email.policy
import re
import socket
import threading
from datetime import date, datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import Session, select

from service import db
from service.config import load_settings
from service.digest.compose import render_html
from service.digest.deliver import Sender, assemble, due_days
from service.models import DigestDelivery
from tests.test_cli_foundation import tollwatch
from tests.test_pages import screenshot, shots_dir

DAY = date(2016, 5, 24)  # covers 23 May 07:00 to 24 May 07:00 UTC: the day of the bombings
AT = datetime(2016, 5, 24, 7, 1, tzinfo=timezone.utc)


class Inbox:
    """An SMTP handler: takes messages, or answers with the codes queued in ``replies``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.replies: list[str] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        if self.replies:
            return self.replies.pop(0)
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():  # type: ignore[no-untyped-def]
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def settings_for(engine: Engine, port: int, **extra: object):  # type: ignore[no-untyped-def]
    defaults = {"smtp_retry_backoff": 0, "digest_catch_up_days": 0}
    return load_settings(database_url=str(engine.url), smtp_port=port, smtp_timeout=5,
                         digest_to=["analyst@example.org"], digest_from="digest@tollwatch.test",
                         **{**defaults, **extra})


def sender(engine: Engine, port: int, worker: str = "w1", sleep=lambda s: None,  # type: ignore[no-untyped-def]
           **extra: object) -> Sender:
    settings = settings_for(engine, port, worker_id=worker, **extra)
    return Sender(settings, engine, clock=lambda: AT, sleep=sleep)


def rows(engine: Engine) -> list[DigestDelivery]:
    with Session(engine) as session:
        return list(session.exec(select(DigestDelivery)).all())


def test_digest_is_sent_once_with_text_html_and_charts(demo_copy: Engine, smtp_server,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    inbox, port = smtp_server
    results = sender(demo_copy, port).send_due()
    assert [r.status for r in results] == ["sent"]
    assert [r.summary for r in sender(demo_copy, port, "w2").send_due()] == ["already sent"]
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert "24 May 2016" in message["Subject"] and "Jableh" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert "AFP / SOHR" in part and "148 (17:20) killed" in part
        assert "Outlets disagree" in part and "/events/" in part
    # the day's sequence per outlet, each step at its time; the Observatory's own figures
    # (it credits itself in words) in one series under its own name
    assert "SOHR: at least 46 (07:40) → at least 101 (12:00) → 148 (17:00) killed" in text
    assert "SOHR / no source given" not in text
    # the dispute that evening: state media's 78 against the Observatory's 148
    assert re.search(r"Outlets disagree on the death toll: 78 \([^)]*state media[^)]*\) "
                     r"against 148 ", text)
    images = [p for p in message.walk() if p.get_content_type() == "image/png"]
    cids = set(re.findall(r'src="cid:([^"]+)"', html))
    assert images and {p["Content-ID"].strip("<>") for p in images} == cids
    assert all(p.get_content()[:8] == b"\x89PNG\r\n\x1a\n" for p in images)
    [row] = rows(demo_copy)
    assert (row.status, row.attempts, row.message_id) == ("sent", 1, message["Message-ID"])

    # and as a reader sees it: the HTML part with its images, in Chromium
    for part in images:
        data = base64.b64encode(part.get_content()).decode()
        html = html.replace(f"cid:{part['Content-ID'].strip('<>')}", f"data:image/png;base64,{data}")
    page = tmp_path / "digest.html"
    page.write_text(html, encoding="utf-8")
    png = screenshot(page.as_uri(), shots_dir(tmp_path) / "digest.png", "700,2200")
    assert png.stat().st_size > 50_000


def test_resend_sends_again_with_the_same_message_id(demo_copy: Engine, smtp_server) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    sender(demo_copy, port).send(DAY)
    assert [r.status for r in sender(demo_copy, port).send(DAY, resend=True)] == ["sent"]
    assert len(inbox.messages) == 2
    assert inbox.messages[0]["Message-ID"] == inbox.messages[1]["Message-ID"]


def test_server_down_then_up_is_retried_and_sent_once(demo_copy: Engine) -> None:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    waits: list[float] = []

    def sleep(seconds: float) -> None:  # the server comes up during the second wait
        waits.append(seconds)
        if len(waits) == 2:
            controller.start()

    try:
        results = sender(demo_copy, port, sleep=sleep, smtp_retry_backoff=1.0).send_due()
    finally:
        controller.stop(no_assert=True)
    assert [r.status for r in results] == ["sent"] and len(inbox.messages) == 1
    assert waits == [1.0, 2.0]  # backoff doubles
    assert rows(demo_copy)[0].attempts == 3


def test_temporary_refusal_then_success(demo_copy: Engine, smtp_server) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    inbox.replies = ["451 4.3.0 try again later"]
    assert [r.status for r in sender(demo_copy, port).send_due()] == ["sent"]
    assert len(inbox.messages) == 1 and rows(demo_copy)[0].attempts == 2


def test_retries_exhausted_leave_it_pending_for_the_next_round(demo_copy: Engine,  # type: ignore[no-untyped-def]
                                                               smtp_server) -> None:
    inbox, port = smtp_server
    inbox.replies = ["421 4.7.0 busy"] * 3
    [first] = sender(demo_copy, port, smtp_retries=2).send_due()
    assert first.status == "pending" and "421" in first.detail and not inbox.messages
    [second] = sender(demo_copy, port, smtp_retries=2).send_due()  # the next round
    assert second.status == "sent" and len(inbox.messages) == 1


def test_permanent_failure_is_recorded_and_not_retried(demo_copy: Engine, smtp_server) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    inbox.replies = ["550 5.1.1 mailbox unavailable"] * 5
    [result] = sender(demo_copy, port).send_due()
    assert result.status == "failed" and "550" in result.detail
    [row] = rows(demo_copy)
    assert (row.status, row.attempts) == ("failed", 1) and "550" in (row.last_error or "")
    assert [r.summary for r in sender(demo_copy, port).send_due()] == ["already failed"]
    assert len(inbox.replies) == 4  # asked once, never again


def test_a_crashed_sender_is_taken_over_with_the_same_message_id(demo_copy: Engine,  # type: ignore[no-untyped-def]
                                                                 smtp_server) -> None:
    inbox, port = smtp_server
    with db.session_scope(demo_copy) as session:  # a worker claimed it, then died
        session.add(DigestDelivery(digest_date=DAY, recipient="analyst@example.org",
                                   status="claimed", message_id="<crashed@tollwatch.test>",
                                   claimed_by="dead", claimed_at=AT - timedelta(minutes=1)))
    assert [r.summary for r in sender(demo_copy, port).send_due()] == ["already claimed"]
    later = sender(demo_copy, port)
    later.clock = lambda: AT + timedelta(minutes=20)
    assert [r.status for r in later.send_due()] == ["sent"]
    assert inbox.messages[0]["Message-ID"] == "<crashed@tollwatch.test>"


def test_two_workers_at_the_digest_time_send_one(engine: Engine, smtp_server) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    barrier = threading.Barrier(4)
    results: list[str] = []

    def run(worker: str) -> None:
        one = sender(engine, port, worker)
        barrier.wait()
        results.extend(r.summary for r in one.send_due())

    threads = [threading.Thread(target=run, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["already claimed"] * 3 + ["sent"] or \
        results.count("sent") == 1 and len(results) == 4
    assert len(inbox.messages) == 1
    assert "quiet day" in inbox.messages[0]["Subject"]  # an empty store: a short digest


def test_quiet_day_can_be_skipped(sqlite_engine: Engine, smtp_server) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    assert [r.status for r in sender(sqlite_engine, port, digest_skip_quiet=True).send_due()
            ] == ["skipped"]
    assert not inbox.messages and rows(sqlite_engine)[0].status == "skipped"


def test_due_days_follow_the_local_time_and_catch_up(tmp_path: Path) -> None:
    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'x.db'}",
                             digest_time="08:30", digest_timezone="Asia/Damascus",
                             digest_catch_up_days=1)
    before = datetime(2016, 5, 24, 5, 0, tzinfo=timezone.utc)  # 08:00 in Damascus (UTC+3)
    after = datetime(2016, 5, 24, 5, 45, tzinfo=timezone.utc)
    assert due_days(before, settings) == [date(2016, 5, 23)]
    assert due_days(after, settings) == [date(2016, 5, 23), date(2016, 5, 24)]


def test_preview_renders_without_sending(demo_engine: Engine) -> None:
    settings = load_settings(database_url=str(demo_engine.url))
    with Session(demo_engine) as session:
        digest = assemble(session, DAY, settings, charts_on=False)
    assert digest.events[0].outlets and "Jableh" in digest.events[0].title
    assert "<script" not in render_html(digest)


def test_html_preview_carries_its_charts_for_a_browser(demo_copy: Engine, tmp_path: Path) -> None:
    """A browser opening the preview file has no message to look Content-IDs up in: the
    charts must be inside the page, as images a person sees."""
    page = tmp_path / "digest.html"
    result = tollwatch("digest", "preview", "--date", DAY.isoformat(), "--out", str(page),
                       cwd=tmp_path, env={"TOLLWATCH_DATABASE_URL": str(demo_copy.url)})
    assert result.returncode == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    charts = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    assert charts and "cid:" not in html
    assert all(base64.b64decode(c)[:8] == b"\x89PNG\r\n\x1a\n" for c in charts)
    # as a reader sees it (kept under TOLLWATCH_SCREENSHOTS when set, to look at)
    png = screenshot(page.as_uri(), shots_dir(tmp_path) / "digest-preview.png", "700,1600")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
