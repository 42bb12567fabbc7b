"""Clustering, B-cubed and timelines as pure logic: no database, no network."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone

from service.clustering import Assignment, Clusterer, Params, document, sublinear
from service.evaluation.clustering import bcubed, concurrent, topic_ceiling
from service.timeline import FigureRow, disagreement, spread, timelines

T0 = datetime(2016, 5, 23, 6, tzinfo=timezone.utc)


def test_same_blast_joins_and_a_different_bombing_stays_apart() -> None:
    clusterer = Clusterer()
    first = clusterer.add(document("Bombings kill 78 in Jableh and Tartus",
                                   "Explosions hit bus stations in Jableh and Tartus."), T0)
    same = clusterer.add(document("Jableh and Tartus death toll rises to 148",
                                  "The Observatory said bombs in Jableh and Tartus killed 148."), T0)
    other = clusterer.add(document("Suicide bomber kills 45 army recruits in Aden",
                                   "A bomber struck recruits queuing at a base in Aden, Yemen."), T0)
    assert same.event_id == first.event_id and not same.new
    assert other.new and other.event_id != first.event_id


def test_dormant_events_are_not_candidates() -> None:
    clusterer = Clusterer()
    doc = document("Earthquake strikes Qeshm island", "A quake hit Qeshm island in Iran.")
    first = clusterer.add(doc, T0)
    later = clusterer.add(doc, T0 + timedelta(days=30))
    assert later.new and later.event_id != first.event_id


def test_dormant_events_leave_the_index_and_cache_but_keep_their_keywords() -> None:
    """A long-running clusterer must not keep every event it ever saw in its index and
    cache: after a sweep only live events are listed, and a dormant event's keywords can
    still be read (storage asks for them) and revived by an edit."""
    clusterer = Clusterer(params=Params(dormant_after=timedelta(days=4),
                                        sweep_every=timedelta(hours=1)))
    old_doc = document("Earthquake strikes Qeshm island", "A quake hit Qeshm island in Iran.")
    old = clusterer.add(old_doc, T0, key=1).event_id
    keywords = clusterer.top_terms(old, 5)
    later = clusterer.add(document("Ferry sinks off Lampedusa", "Migrants drowned near Lampedusa."),
                          T0 + timedelta(days=5)).event_id
    listed = {e for events in clusterer.state.index.values() for e in events}
    assert listed == {later} and set(clusterer._cache) <= {later}
    assert all(clusterer.state.index.values())  # no empty postings left behind
    assert clusterer.top_terms(old, 5) == keywords
    edited = document("Earthquake strikes Qeshm island, killing 3", "A quake hit Qeshm island.")
    clusterer.revise(old, 1, old_doc, edited, T0 + timedelta(days=5))
    assert old in clusterer.state.index["qeshm"]


def test_an_edit_replaces_its_version_in_the_event() -> None:
    """After an edit the event matches on the new text, exactly as a clusterer rebuilt from
    the latest versions (after a restart) would."""
    first = document("Blast in Qeshm port", "An explosion hit a port on Qeshm island.")
    edited = document("Qeshm ferry fire kills 12", "A fire on a ferry at Qeshm killed 12 sailors.")
    live = Clusterer()
    event = live.add(first, T0, key=7).event_id
    live.revise(event, 7, first, edited, T0 + timedelta(hours=1))
    rebuilt = Clusterer()
    rebuilt.restore(event, edited, T0 + timedelta(hours=1), key=7)
    assert live.state.df == rebuilt.state.df and live.state.documents == 1
    assert live.state.events[event].weights == rebuilt.state.events[event].weights
    assert list(live.state.events[event].recent) == list(rebuilt.state.events[event].recent)
    assert [key for key, _ in live.state.events[event].recent] == [7]
    assert "ferri" in live.state.events[event].recent[0][1]  # Snowball stem
    assert live.top_terms(event, 5) == rebuilt.top_terms(event, 5)
    assert "ferri" in live.top_terms(event, 5) and "explosion" not in live.state.df
    follow_up = document("Qeshm ferry fire toll rises", "Sailors died in the ferry fire at Qeshm.")
    assert live.best(follow_up, T0)[0] == event


def test_an_events_member_norms_kept_across_joins_are_its_latest_members() -> None:
    """Each document's norm joins its event's cached member norms rather than all of them
    being recomputed: the cache must hold the latest members' norms, in order, and agree
    with norms computed afresh up to the idf drift a few documents cause."""
    clusterer = Clusterer()
    reports = [document(f"Jableh and Tartus toll rises to {toll}",
                        f"The Observatory said {toll} people died in Jableh and Tartus.")
               for toll in (46, 78, 101, 120, 148, 154, 170, 184)]
    event = clusterer.add(reports[0], T0, key=0).event_id
    for key, report in enumerate(reports[1:], start=1):
        clusterer.best(report, T0)  # compares members, filling the cache
        assert clusterer.add(report, T0, key=key).event_id == event
    kept = list(clusterer._member_norms(event))
    latest = clusterer.state.events[event].recent
    assert [key for key, _ in latest] == [3, 4, 5, 6, 7]  # members=5
    fresh = [clusterer._vector(tf).norm for _, tf in latest]
    assert all(abs(cached - recomputed) < 0.1 * recomputed
               for cached, recomputed in zip(kept, fresh, strict=True))


def test_a_member_match_is_the_cosine_with_the_members_vector() -> None:
    """The member comparison reads term frequencies and cached norms instead of building
    each member's vector: it must give the cosine the vectors would."""
    clusterer = Clusterer(params=Params(member_weight=1.0))
    first = document("Jableh and Tartus bombings kill 78", "Bombs hit bus stations in Jableh.")
    event = clusterer.add(first, T0, key=1).event_id
    query = clusterer._vector(sublinear(document("Tartus bus station bombing toll rises", "").weights))
    member = clusterer._vector(clusterer.state.events[event].recent[0][1])
    expected = sum(query.weights[t] * member.weights[t]
                   for t in query.weights.keys() & member.weights.keys()) / (query.norm * member.norm)
    assert expected > 0.1
    assert abs(clusterer._similarity(query, event, 0.0) - expected) < 1e-9


def test_an_events_ranking_is_recomputed_after_each_join_and_indexes_its_top_terms() -> None:
    """The event's keyword ranking is cached between joins: after each join it must be
    the ranking computed afresh, and the inverted index must list the event under exactly
    the top of it."""
    clusterer = Clusterer()
    reports = [document(f"Jableh and Tartus toll rises to {toll}",
                        f"The {source} said {toll} people died when bombs hit bus stations "
                        f"in Jableh and Tartus; {extra}.")
               for toll, source, extra in ((46, "Observatory", "hospitals overflowed"),
                                           (78, "state agency SANA", "curfew declared"),
                                           (101, "Observatory", "Islamic State claimed it"),
                                           (148, "Observatory", "funerals began"))]
    event = clusterer.add(reports[0], T0).event_id
    for report in reports[1:]:
        before = clusterer.top_terms(event, 5)  # cached until the next join
        assert clusterer.add(report, T0).event_id == event
        depth = clusterer.params.profile_terms
        assert clusterer.top_terms(event, depth) == clusterer._rank(event, depth)
        indexed = {t for t, events in clusterer.state.index.items() if event in events}
        assert indexed == set(clusterer.top_terms(event, clusterer.params.index_terms))
    assert "jableh" in before and "funer" in clusterer.state.events[event].weights


def test_events_whose_profiles_converge_are_merged_into_the_larger() -> None:
    """The same quake reached from two angles (the island, the province; "tremor" and
    "earthquake" are one keyword, so the second angle names no quake) starts two events;
    reports naming both bring their profiles together, and the larger absorbs the smaller:
    the state is then what it would be had every report joined the survivor."""
    reports = [document(t, b) for t, b in (
        ("Qeshm island earthquake damages port", "A quake struck Qeshm island, damaging the port."),
        ("Hormozgan villages report damage",
         "Villages in Hormozgan province reported damage to houses."),
        ("Hormozgan villages report tremor damage near Qeshm", ""),
        ("Qeshm island earthquake: Hormozgan villages and port damaged", ""),
        ("Hormozgan earthquake damages Qeshm port and villages", ""))]
    clusterer = Clusterer(params=Params(merge_threshold=0.3))
    first, second = (clusterer.add(r, T0, key=n) for n, r in enumerate(reports[:2]))
    assert first.new and second.new and first.event_id != second.event_id
    merges = [m for n, r in enumerate(reports[2:], start=2)
              for m in clusterer.add(r, T0, key=n).merged]
    assert len(merges) == 1
    gone, into = merges[0]
    assert {gone, into} == {first.event_id, second.event_id}
    assert list(clusterer.state.events) == [into]
    assert all(gone not in events for events in clusterer.state.index.values())
    rebuilt = Clusterer(params=clusterer.params)
    for n, report in enumerate(reports):
        rebuilt.restore(into, report, T0, key=n)
    survivor, expected = clusterer.state.events[into], rebuilt.state.events[into]
    assert survivor.size == expected.size == 5 and survivor.weights == expected.weights
    assert survivor.indexed == expected.indexed and clusterer.state.df == rebuilt.state.df
    assert {"qeshm", "hormozgan"} <= set(clusterer.top_terms(into, 5))
    assert clusterer.best(document("Qeshm quake: port damaged", ""), T0)[0] == into


def test_events_stay_apart_while_their_profiles_differ() -> None:
    """Merging needs the profiles to converge, not one shared word: two bombings in the
    same days, both in Syria, stay two events."""
    clusterer = Clusterer()
    for title in ("Bombings kill 78 in Jableh and Tartus", "Jableh and Tartus toll rises",
                  "Car bomb hits Kurdish checkpoint in Qamishli, Syria",
                  "Qamishli bombing kills Kurdish fighters in Syria",
                  "Syria: Jableh and Tartus bombings kill 148"):
        assert not clusterer.add(document(title, ""), T0).merged
    assert len(clusterer.state.events) == 2


def test_bcubed_on_a_known_example() -> None:
    gold = {"a": 1, "b": 1, "c": 2}
    assert bcubed({"a": "x", "b": "x", "c": "y"}, gold).f1 == 1.0
    merged = bcubed({"a": "x", "b": "x", "c": "x"}, gold)
    assert round(merged.precision, 3) == round((2 / 3 + 2 / 3 + 1 / 3) / 3, 3)
    assert merged.recall == 1.0 and merged.clusters == 1


def test_topic_ceiling_splits_each_topic_into_its_number_of_gold_events() -> None:
    """Two topics of twin events and a topic of one: each twin pair is told apart by its
    names and places, no cluster spans two topics, and the single event stays whole."""
    texts = {
        "1_quake": "Magnitude 6.1 earthquake strikes Aquila in Abruzzo, killing residents",
        "1_other": "Magnitude 7.0 earthquake strikes Haiti near Port-au-Prince, killing residents",
        "2_fire": "Warehouse fire in Oakland kills partygoers at the Ghost Ship",
        "2_other": "Nightclub fire in Santa Maria kills students at the Kiss club",
        "3_vote": "Parliament in Reykjavik passes the fisheries bill after a long debate",
    }
    rows = [{"id": f"{event}-{n}", "event": event, "title": text.split(" in ")[0],
             "text": f"{text}. Report {n} of the day from a wire service."}
            for event, text in texts.items() for n in range(4)]
    predicted = topic_ceiling(rows, seed=3)
    gold = {row["id"]: row["event"] for row in rows}
    assert bcubed(predicted, gold).f1 == 1.0
    assert len(set(predicted.values())) == len(texts)


def test_a_concurrent_stream_keeps_each_stories_reports_and_spacing_within_one_window() -> None:
    """Stories years apart, moved side by side: every row is kept as it was but for its
    time, each story begins within the window and keeps the spacing of its reports, and
    the rows come in the order of their new times."""
    starts = {"quake": datetime(2011, 2, 22, tzinfo=timezone.utc),
              "flood": datetime(2016, 7, 1, tzinfo=timezone.utc),
              "blast": datetime(2023, 2, 6, tzinfo=timezone.utc)}
    rows = [{"id": f"{event}-{n}", "event": event, "title": f"{event} report {n}", "text": "",
             "published": (start + timedelta(hours=7 * n * n)).isoformat()}
            for event, start in starts.items() for n in range(4)]
    window = timedelta(hours=48)
    for seed in range(5):
        moved = concurrent(rows, seed=seed, window=window)
        assert _untimed(moved) == _untimed(rows)
        times = [datetime.fromisoformat(row["published"]) for row in moved]
        assert times == sorted(times)
        for event, start in starts.items():
            mine = sorted(datetime.fromisoformat(row["published"]) for row in moved
                          if row["event"] == event)
            assert starts["quake"] <= mine[0] <= starts["quake"] + window
            assert [t - mine[0] for t in mine] == [timedelta(hours=7 * n * n) for n in range(4)]
    assert concurrent(rows, seed=1, window=window) == concurrent(rows, seed=1, window=window)


def _untimed(rows: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    return sorted(({k: v for k, v in row.items() if k != "published"} for row in rows),
                  key=lambda row: row["id"])


def _row(outlet, source, minute, count, revision, derived=False, item=None):  # type: ignore[no-untyped-def]
    return FigureRow(outlet=outlet, source=source, observed_at=T0 + timedelta(minutes=minute),
                     kind="killed", count=count, count_max=None, qualifier="exact",
                     vague=False, derived=derived, item_id=item or revision,
                     revision_id=revision)


def test_timeline_keeps_changes_per_outlet_and_source_and_prefers_totals() -> None:
    rows = [
        _row("AFP", "SOHR", 100, 46, 1, item=1), _row("AFP", "SOHR", 360, 100, 2, item=1),
        _row("AFP", "SOHR", 360, 48, 2, item=1),
        _row("AFP", "SOHR", 360, 148, 2, derived=True, item=1),
        _row("AFP", "SOHR", 400, 148, 3, item=1), _row("AFP", "state media", 400, 78, 3, item=1),
        _row("SANA", None, 420, 78, 4),
    ]
    series = {(s.outlet, s.source): [p.count for p in s.points] for s in timelines(rows)}
    assert series == {("AFP", "SOHR"): [46, 148], ("AFP", "state media"): [78],
                      ("SANA", None): [78]}
    assert disagreement(rows, share=0.2).counts == (78, 148)  # type: ignore[union-attr]


def test_disagreement_needs_more_than_the_configured_share() -> None:
    rows = [_row("BBC", "SOHR", 100, 145, 1), _row("CBS", "SOHR", 120, 148, 2)]
    assert spread(rows) == (145, 148)
    assert disagreement(rows, share=0.2) is None  # 2% apart: rounding and timing
    assert disagreement(rows, share=0.01).counts == (145, 148)  # type: ignore[union-attr]


def test_spread_takes_each_items_latest_version_whatever_its_source() -> None:
    rows = [_row("SANA", "interior ministry", 20, 20, 1, item=1),
            _row("SANA", "state media", 150, 65, 2, item=1),
            _row("SANA", "state media", 420, 78, 3, item=1), _row("SOHR", "SOHR", 660, 148, 4)]
    assert spread(rows) == (78, 148)  # SANA's dawn figure of 20 is superseded
    assert spread(rows, "injured") is None
    assert disagreement(rows[:3], share=0.0) is None  # one outlet cannot disagree with itself


def _gathering(params: Params) -> tuple[list[Assignment], Clusterer]:
    """A report on the province comes first and matches nothing; the island's reports form
    an event; then reports naming both make that event's profile reach the province's."""
    clusterer = Clusterer(params=params)
    titles = ("Hormozgan villages count their losses", "Rotterdam port reopens after strike",
              "Qeshm earthquake damages port", "Qeshm island earthquake: port closed",
              "Earthquake on Qeshm island closes port",
              "Qeshm island earthquake closes port, Hormozgan villages hit",
              "Qeshm island earthquake: port and Hormozgan villages hit")
    return [clusterer.add(document(title, ""), T0) for title in titles], clusterer


def test_a_report_left_alone_joins_the_event_grown_to_match_it() -> None:
    """The province's report joins the island's event once that event (four reports) has
    grown to match it; the unrelated port story, also a candidate, stays alone."""
    placed, clusterer = _gathering(Params())
    province, rotterdam, island = placed[0].event_id, placed[1].event_id, placed[2].event_id
    assert len({province, rotterdam, island}) == 3 and all(a.new for a in placed[:3])
    assert all(a.event_id == island and not a.new for a in placed[3:])
    assert [a.merged for a in placed[3:]] == [(), (), ((province, island),), ()]
    assert sorted(clusterer.state.events) == sorted([rotterdam, island])
    assert clusterer.state.events[island].size == 6
    assert all(province not in events for events in clusterer.state.index.values())


def test_only_an_event_of_gather_size_gathers_and_only_reports_left_alone() -> None:
    assert not any(a.merged for a in _gathering(Params(gather_size=10))[0])
    assert not any(a.merged for a in _gathering(Params(stray_size=0))[0])
