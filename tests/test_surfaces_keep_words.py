"""Every surface keeps a figure's words: the API's JSON and CSV, the chart, the digest,
for figures built here with each kind of wording (whatever the reader fills in)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

from service import charts
from service.api.routes.events import _csv
from service.api.views import casualties
from service.digest.compose import describe
from service.timeline import FigureRow, changes, timelines

T0 = datetime(2016, 5, 23, 6, tzinfo=timezone.utc)


def row(outlet: str, source: str | None, minute: int, count: int | None, revision: int,
        **words: object) -> FigureRow:
    fields: dict[str, object] = {"count_max": None, "qualifier": "exact", "vague": False,
                                 "derived": False}
    fields.update(words)
    return FigureRow(outlet=outlet, source=source, observed_at=T0 + timedelta(minutes=minute),
                     kind="killed", count=count, item_id=revision, revision_id=revision,
                     **fields)  # type: ignore[arg-type]


ROWS = [
    row("RT", "local media", 200, 60, 1, qualifier="more than", hedged=True, words="over 60"),
    row("Yahoo News", "state media", 300, None, 2, vague=True, words="dozens"),
    row("UN News", "WHO", 900, 43, 3, partial=True, words="43"),
    row("SANA", "SANA", 420, 78, 4, qualifier="at least", words="at least 78"),
    row("Reuters", None, 360, 60, 5, count_max=70, words="60 to 70"),
    row("SOHR", None, 660, 148, 6),
]


def test_json_keeps_the_words_and_parts_do_not_count() -> None:
    body = casualties(1, ROWS, 0.2, timedelta(hours=24)).model_dump()
    latest = {s["outlet"]: s["latest"] for s in body["series"]}
    assert latest["RT"]["label"] == "more than 60 (feared)" and latest["RT"]["hedged"]
    assert latest["Yahoo News"]["label"] == "dozens" and latest["Yahoo News"]["words"] == "dozens"
    assert latest["UN News"]["partial"] and latest["UN News"]["label"] == "43 (part of the toll)"
    assert latest["Reuters"]["label"] == "60–70" and latest["SANA"]["label"] == "at least 78"
    # the WHO's 43 at one hospital is not the low end of the toll
    assert body["spread"]["killed"] == {"lowest": 60, "highest": 148}
    assert {s["outlet"]: s["label"] for s in body["series"]}["SANA"] == "SANA"  # its own


def test_csv_says_a_vague_figure_is_vague_and_keeps_its_words() -> None:
    found = {r["outlet"]: r for r in csv.DictReader(io.StringIO(_csv(timelines(ROWS))))}
    assert found["Yahoo News"]["count"] == "" and found["Yahoo News"]["vague"] == "true"
    assert found["Yahoo News"]["qualifier"] == "" and found["Yahoo News"]["words"] == "dozens"
    assert found["RT"]["hedged"] == "true" and found["RT"]["label"] == "more than 60 (feared)"
    assert found["UN News"]["partial"] == "true"
    assert found["Reuters"]["count_max"] == "70" and found["SANA"]["qualifier"] == "at least"
    assert found["SANA"]["source"] == ""  # SANA citing itself: its own figure


def test_the_chart_labels_keep_the_words() -> None:
    svg = charts.render(timelines(ROWS), "Bombings", "svg").decode()
    for text in ("RT / local media: more than 60 (feared)", "SANA: at least 78",
                 "Reuters / no source given: 60–70", "UN News / WHO: 43 (part of the toll)"):
        assert f">{text}</text>" in svg


def test_the_digest_keeps_the_words() -> None:
    lines = {c.outlet: describe(c) for c in changes(ROWS, T0, T0 + timedelta(days=1))}
    assert lines["RT"].startswith("RT / local media: more than 60 (feared) (09:20) killed")
    # ten hours before the newest report, and never repeated
    assert lines["Yahoo News"] == ("Yahoo News / state media: dozens (11:00) killed "
                                   "(new, stale by the end)")
    assert lines["UN News"] == "UN News / WHO: 43 (part of the toll) (21:00) killed (new)"
