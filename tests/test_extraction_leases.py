"""Every analysis process reads figures, each revision exactly once: leases taken FOR
UPDATE SKIP LOCKED on PostgreSQL (a plain claim on SQLite), retaken when they expire,
and a text without any cue word skips the reader without losing a figure."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, insert, text
from sqlmodel import col, select

from service import db
from service.analyze import Analyzer
from service.casualties import extract
from service.casualties.prefilter import may_report_casualties
from service.models import CasualtyReport, Item, ItemRevision, Outlet
from service.store.analysis import claim_unread, save_figures

ECBPLUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-dev.jsonl"
CASUALTY = ECBPLUS.with_name("casualty-dev.jsonl")
T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)

QUIET = ("The ministry said talks on the port would resume next week. Officials in {place} "
         "met delegates from the agency on Tuesday. Residents said the market reopened.")
CASUALTY_TEXT = ("Shelling in {place} killed {n} people and injured {m}, medics said. "
                 "Officials in {place} met delegates from the agency on Tuesday.")


def _texts(count: int, repeat: int = 1) -> list[str]:
    """Items of news-like text; every third names no casualty at all."""
    return [" ".join([(QUIET if i % 3 == 0 else CASUALTY_TEXT).format(
        place=f"Town{i % 97}", n=i % 50 + 2, m=i % 80 + 5)] * repeat) for i in range(count)]


def _store(engine: Engine, texts: list[str]) -> None:
    with engine.begin() as connection:
        connection.execute(insert(Outlet), [{"id": 1, "name": "Outlet"}])
        connection.execute(insert(Item), [
            {"id": i + 1, "outlet_id": 1, "identity": f"g{i}", "title": f"Story {i}",
             "text": body, "first_seen_at": T0, "last_seen_at": T0, "published_at": T0}
            for i, body in enumerate(texts)])
        connection.execute(insert(ItemRevision), [
            {"item_id": i + 1, "number": 1, "title": f"Story {i}", "text": body,
             "content_hash": hashlib.sha256(body.encode()).hexdigest(), "seen_at": T0,
             "published_at": T0} for i, body in enumerate(texts)])


def _figures_per_revision(engine: Engine) -> dict[int, int]:
    with db.session_scope(engine) as session:
        counts = dict(session.exec(select(CasualtyReport.revision_id, func.count())
                                   .group_by(CasualtyReport.revision_id)).all())
        ids = session.exec(select(ItemRevision.id).order_by(ItemRevision.id)).all()
    return {i: counts.get(i, 0) for i in ids}  # type: ignore[misc]


def _expected(texts: list[str]) -> dict[int, int]:
    return {n + 1: len(extract(t, reference_year=T0.year)) for n, t in enumerate(texts)}


def test_claims_are_disjoint_expire_and_a_lost_lease_stores_nothing(engine: Engine) -> None:
    texts = _texts(10)
    _store(engine, texts)
    now = datetime.now(timezone.utc)
    with db.session_scope(engine) as session:
        a = claim_unread(session, "a", now, 4, lease_seconds=60)
    with db.session_scope(engine) as session:
        b = claim_unread(session, "b", now, 100, lease_seconds=60)
    assert [r.id for r in a] == [1, 2, 3, 4] and [r.id for r in b] == list(range(5, 11))
    with db.session_scope(engine) as session:  # every lease live: nothing to take
        assert claim_unread(session, "c", now + timedelta(seconds=59), 100, 60) == []
    with db.session_scope(engine) as session:  # a's expired (a died, or is too slow)
        c = claim_unread(session, "c", now + timedelta(seconds=61), 2, lease_seconds=60)
    assert [r.id for r in c] == [1, 2]

    def read(batch):  # type: ignore[no-untyped-def]
        return [(r, extract(r.text, reference_year=T0.year)) for r in batch]

    with db.session_scope(engine) as session:  # a comes back: only 3 and 4 are still its own
        assert save_figures(session, "a", read(a))[0] == 2
    with db.session_scope(engine) as session:
        assert save_figures(session, "c", read(c))[0] == 2
        assert save_figures(session, "b", read(b))[0] == 6
    with db.session_scope(engine) as session:  # saving twice stores nothing more
        assert save_figures(session, "b", read(b)) == (0, 0)
    assert _figures_per_revision(engine) == _expected(texts)
    with db.session_scope(engine) as session:
        owners = dict(session.exec(select(ItemRevision.id, ItemRevision.lease_owner)).all())
    assert owners == {1: "c", 2: "c", 3: "a", 4: "a", **{i: "b" for i in range(5, 11)}}


def test_the_analyzer_skips_texts_without_a_cue_and_loses_no_figure(sqlite_engine: Engine
                                                                     ) -> None:
    texts = _texts(30)
    _store(sqlite_engine, texts)
    progress = Analyzer(sqlite_engine).run()
    assert (progress.extracted, progress.skipped, progress.clustered) == (30, 10, 30)
    assert _figures_per_revision(sqlite_engine) == _expected(texts)


def test_a_reader_only_analyzer_reads_every_figure_and_decides_no_event(engine: Engine
                                                                        ) -> None:
    """A worker's extra analysis processes read figures and never cluster (on SQLite there
    is no clustering lock to keep them from it); the clustering one then reads none twice."""
    texts = _texts(30)
    _store(engine, texts)
    reader = Analyzer(engine, cluster=False).run()
    assert (reader.extracted, reader.clustered) == (30, 0)
    with db.session_scope(engine) as session:
        assert session.exec(select(func.count()).where(col(ItemRevision.clustered))).one() == 0
    both = Analyzer(engine).run()
    assert (both.extracted, both.clustered) == (0, 30)
    assert _figures_per_revision(engine) == _expected(texts)


def test_the_prefilter_never_hides_a_figure_on_real_news() -> None:
    """On the ECB+ dev articles and the labelled sentences: whatever the prefilter turns
    away, the reader finds nothing in; and it does turn many articles away."""
    if not ECBPLUS.exists():
        pytest.skip(f"{ECBPLUS} is not there")
    articles = [json.loads(line) for line in ECBPLUS.read_text().splitlines() if line.strip()]
    texts = [a["title"] + "\n" + a["text"] for a in articles]
    if CASUALTY.exists():
        texts += [json.loads(line)["text"] for line in CASUALTY.read_text().splitlines()
                  if line.strip()]
    skipped = [t for t in texts if not may_report_casualties(t)]
    assert all(extract(t) == [] for t in skipped)
    assert len(skipped) > len(articles) // 5
    # the same words in any case, and glued to digits or marks, still count
    assert may_report_casualties("3 KILLED.") and may_report_casualties("x_killed2")
    assert not may_report_casualties("The unkilledness of the skilled")


WORKERS = 3
ITEMS = 3000
LEASE = 10  # seconds: the dead process's revisions are taken over after this
MOST = 240.0


def _worker(url: str, cwd: Path, n: int) -> subprocess.Popen:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TOLLWATCH_")},
           "TOLLWATCH_DATABASE_URL": url, "TOLLWATCH_POLL_TICK": "1",
           "TOLLWATCH_ANALYSIS_TICK": "0.2", "TOLLWATCH_LEASE_SECONDS": str(LEASE),
           "TOLLWATCH_WORKER_ID": f"w{n}", "TOLLWATCH_SOURCES_FILE": str(cwd / "sources.toml")}
    (cwd / "sources.toml").write_text("")
    with open(cwd / f"w{n}.log", "w") as log:  # a file, not a pipe nobody reads yet
        return subprocess.Popen([sys.executable, "-m", "service", "worker"], cwd=cwd, env=env,
                                stdout=subprocess.DEVNULL, stderr=log)


def _analysis_started(cwd: Path) -> int:
    return sum((cwd / f"w{n}.log").read_text().count("analysis process started")
               for n in range(WORKERS))


def _kill_a_reader_mid_batch(engine: Engine) -> tuple[str, set[int]]:
    """SIGKILL the analysis process holding a live lease on unread revisions (its pid is
    in the owner): the owner, and the revisions it held unread when it died."""
    tried: set[str] = set()
    deadline = time.monotonic() + MOST
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            owners = connection.execute(text(
                "SELECT DISTINCT lease_owner FROM itemrevision WHERE NOT extracted "
                "AND lease_owner IS NOT NULL AND lease_expires_at > now()")).scalars().all()
        for owner in set(owners) - tried:
            tried.add(owner)
            os.kill(int(owner.split(":")[-2]), signal.SIGKILL)
            time.sleep(0.2)  # dead: nothing of its batch can be stored any more
            with engine.connect() as connection:
                held = set(connection.execute(text(
                    "SELECT id FROM itemrevision WHERE NOT extracted AND lease_owner = :o"),
                    {"o": owner}).scalars())
            if held:
                return owner, held
        time.sleep(0.01)
    raise AssertionError("no analysis process was caught holding a lease")


@pytest.mark.postgres
def test_workers_share_the_reading_and_one_killed_mid_batch_loses_nothing(tmp_path, postgres_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    engine = postgres_engine
    url = engine.url.render_as_string(hide_password=False)
    texts = _texts(ITEMS, repeat=6)  # ~1.5 KB each: a batch takes a while to read
    workers = [_worker(url, tmp_path, n) for n in range(WORKERS)]
    try:
        deadline = time.monotonic() + MOST
        while _analysis_started(tmp_path) < WORKERS:  # all of them there when work comes
            assert time.monotonic() < deadline, "the analysis processes did not start"
            time.sleep(0.2)
        _store(engine, texts)
        dead, held = _kill_a_reader_mid_batch(engine)
        deadline = time.monotonic() + MOST
        while time.monotonic() < deadline:
            with db.session_scope(engine) as session:
                behind = session.exec(select(func.count()).where(
                    ~col(ItemRevision.extracted) | ~col(ItemRevision.clustered))).one()
            if not behind:
                break
            time.sleep(0.5)
        assert not behind, f"{behind} revisions not analysed"
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            w.wait(120)
    assert all(w.returncode == 0 for w in workers), \
        [(tmp_path / f"w{n}.log").read_text()[-2000:] for n in range(WORKERS)]
    # every revision's figures stored once: none skipped, none twice
    assert _figures_per_revision(engine) == _expected(texts)
    with db.session_scope(engine) as session:
        readers = dict(session.exec(select(ItemRevision.id, ItemRevision.lease_owner)).all())
        unplaced = session.exec(select(func.count()).where(
            col(Item.event_id).is_(None))).one()
    assert all(readers[r] != dead for r in held)  # taken over once the lease expired
    assert len(set(readers.values()) - {dead}) >= 2  # the reading was shared
    assert unplaced == 0
