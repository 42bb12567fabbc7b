"""Keywords and similarity for short items (headlines, one-sentence summaries), time as
evidence, and the per-item shortcuts that keep clustering cheap: pure, no database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from service.clustering import Clusterer, Params, document
from service.clustering.cluster import recency
from service.clustering.prior import english_shares
from service.clustering.terms import NAME_WEIGHT

T0 = datetime(2016, 5, 23, 6, tzinfo=timezone.utc)


def test_acronyms_written_in_capitals_are_keywords_and_their_lower_case_twins_are_not() -> None:
    weights = document("WHO: Jableh hospital overwhelmed",
                       "The US and the UN said doctors who arrived found 50 dead.").weights
    assert {"who", "us", "un"} <= weights.keys()
    assert weights["who"] > weights["hospit"]  # an agency's name weighs as a name
    assert "who" not in document("Doctors who arrived", "They said who was hurt.").weights


def test_a_headline_in_capitals_throughout_is_read_as_lower_case() -> None:
    shouted = document("CHARGERS RECEIVER ARRESTED ON SUSPICION OF DUI", "").weights
    assert shouted == document("Chargers receiver arrested on suspicion of dui", "").weights
    assert "on" not in shouted and "of" not in shouted


def test_capitals_count_as_names_mid_sentence_only() -> None:
    weights = document("", 'Police said. Officers met Assad in Tartus; "Rescuers came", '
                           'Reuters said: Hospitals filled').weights
    assert weights["assad"] == weights["tartus"] == weights["reuter"] == NAME_WEIGHT
    assert weights["polic"] == weights["offic"] == 1.0  # at the start, after a full stop
    assert weights["rescuer"] == weights["hospit"] == 1.0  # after a quote mark, a colon


def test_small_numbers_are_common_in_the_prior_and_large_ones_rare() -> None:
    shares = english_shares()
    assert shares["2"] > shares["15"] > shares["148"] > 0
    assert "184000" not in shares  # outside the prior: as rare as a new name
    idf = Clusterer()._idf()
    assert idf["2"] < idf["148"] < idf["184000"]


def test_recency_is_neutral_without_times_and_falls_with_an_events_quiet() -> None:
    params = Params(time_decay=0.2, dormant_after=timedelta(days=4))
    assert recency(T0, None, params) == 1.0
    assert recency(T0, T0 + timedelta(hours=1), params) == 1.0
    assert abs(recency(T0 + timedelta(days=2), T0, params) - 0.9) < 1e-9
    assert abs(recency(T0 + timedelta(days=9), T0, params) - 0.8) < 1e-9


def _stream(params: Params, times: list[datetime | None]) -> list[int]:
    clusterer = Clusterer(params=params)
    titles = ("Bombings kill 78 in Jableh and Tartus", "Jableh and Tartus death toll rises to 148",
              "Suicide bomber kills 45 army recruits in Aden", "Aden recruits bombing toll rises",
              "Jableh hospital overwhelmed after bombings")
    return [clusterer.add(document(title, ""), when).event_id for title, when in zip(titles, times)]


def test_time_decay_changes_nothing_when_items_carry_no_times() -> None:
    undated: list[datetime | None] = [None] * 5
    assert _stream(Params(time_decay=0.5), undated) == _stream(Params(), undated)


def test_time_decay_makes_a_late_report_need_more_than_a_fresh_one() -> None:
    """The same follow-up joins its event when it comes an hour after the last report, and
    starts its own when it comes three days later with a strong decay."""
    params = Params(time_decay=0.9)
    fresh = _stream(params, [T0, T0, T0, T0, T0 + timedelta(hours=1)])
    late = _stream(params, [T0, T0, T0, T0, T0 + timedelta(days=3)])
    assert fresh[4] == fresh[0]
    assert late[4] not in late[:4]


def test_an_events_ranking_revised_from_each_joined_document_is_its_full_ranking() -> None:
    """Joining re-ranks only the old ranking's terms and the document's: with the idf held
    steady (a large collection), that must equal ranking the event's whole vocabulary,
    for an event with more words than the ranking holds."""
    clusterer = Clusterer()
    clusterer.state.documents = 100_000  # a document more moves no idf table
    words = [f"word{chr(97 + n // 26)}{chr(97 + n % 26)}" for n in range(200)]
    event = clusterer.add(document("Jableh bombings", " ".join(words[:70])), T0).event_id
    depth = max(clusterer.params.index_terms, clusterer.params.profile_terms)
    for start in range(10, 200, 30):
        body = " ".join(words[start:start + 40] * (1 + start % 3))
        clusterer.join(event, document("Jableh bombings", body), T0)
        assert clusterer.top_terms(event, depth) == clusterer._rank(event, depth)


def test_a_word_of_many_events_ranks_the_candidates_rarer_words_found() -> None:
    """A word listed under more than ``open_postings`` events adds only to the events a
    rarer word already found; alone, it still finds candidates."""
    params = Params(open_postings=4)
    clusterer = Clusterer(params=params)
    for n in range(12):
        clusterer.join(n + 1, document(f"Storm hits Town{chr(97 + n)}ville", ""), T0)
    found = clusterer.candidates(document("Storm damage in Towncville", ""), T0)
    assert found[0] == 3
    assert clusterer.candidates(document("Storm warning", ""), T0)


def test_a_time_stamp_is_no_keyword_and_the_events_own_time_and_numbers_stay() -> None:
    """A page's time stamp (in its title or first line: "Last updated at 13:42 GMT",
    "8:24am") says when it was written; its digits and zone are no keywords. Further
    down, the time the event happened is evidence like any number, as are a toll and a
    magnitude."""
    weights = document("Quake toll rises to 148 (8:24am)", "Last updated at 13:42 GMT\nThe 7.1 "
                       "quake struck at 9:40 p.m., and rescuers found 12 more.").weights
    assert {"148", "7.1", "12", "9", "40"} <= weights.keys()
    assert not {"13", "42", "gmt", "8", "24", "24am"} & weights.keys()


def test_a_title_that_is_only_a_date_is_no_headline() -> None:
    """A dateline where the headline should be gives no keywords; the body still does,
    and a headline that holds a date beside its words keeps them all."""
    assert document("Friday, June 7, 2013", "").weights == {}
    assert document("Updated Saturday, December 05, 2009 8:28 PM", "").weights == {}
    assert document("Friday, June 7, 2013", "Storm floods Dhaka").weights.keys() == {
        "dhaka", "storm", "flood"}
    assert {"june", "7", "2013", "dhaka"} <= document("Dhaka floods of June 7, 2013", "").weights.keys()


def test_two_stories_under_the_same_dateline_stay_apart() -> None:
    """Feeds that put the page's date in the title: two stories of one day share only it."""
    clusterer = Clusterer()
    first = clusterer.add(document("Thursday, December 11, 2008",
                                   "Teixeira agrees eight-year deal with the Yankees."))
    second = clusterer.add(document("Thursday, December 11, 2008",
                                    "Gunmen storm a bank in Athens as riots spread."))
    assert second.event_id != first.event_id
