"""The reader's shapes on sentences written for them, each a class of phrasing rather
than one example: verbs and idioms of death and injury, enumerated victims, figures past
an aside, running totals and increments, headlines, uncertain counts; and a sentence read
right alone stays right inside a longer one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.casualties import extract
from service.casualties.lexicon import NOT_NAMES
from service.casualties.shapes import SHAPES
from service.evaluation.documents import document_toll
from service.evaluation.casualties import score

DATA = Path(__file__).parent / "data"

# (sentence, the figures it states: (kind, count), count None for a vague one). Parts
# (partial=True) and derived totals are checked apart.
CASES = [
    ("Tornadoes claimed 18 lives in Oklahoma.", {("killed", 18)}),
    ("The fire claimed the lives of six firefighters.", {("killed", 6)}),
    ("Four people were confirmed dead after the collapse.", {("killed", 4)}),
    ("Two guards were shot to death at the gate.", {("killed", 2)}),
    ("Three soldiers later died of their wounds.", {("killed", 3)}),
    ("Two patients succumbed to their injuries on Friday.", {("killed", 2)}),
    ("Eleven people were treated for minor injuries.", {("injured", 11)}),
    ("Five people were hospitalised with burns.", {("injured", 5)}),
    ("At least 40 people were taken to hospital with injuries.", {("injured", 40)}),
    ("The two other victims were being treated at a hospital in the city.", {("injured", 2)}),
    ("A second guard is recovering from gunshot wounds.", {("injured", 1)}),
    ("The economy is recovering from the wounds of the war.", set()),
    ("Two officers sustained minor injuries.", {("injured", 2)}),
    ("The gunman killed his mother, sister and pet dog.", {("killed", 2)}),
    ("A policeman and a villager were killed in the blast.", {("killed", 2)}),
    ("The bomb killed a police officer and a bomb disposal technician.", {("killed", 2)}),
    ("The gunman opened fire, killing himself and one other.", {("killed", 2)}),
    ("The gunman then killed himself.", set()),
    ("The bodies of Alice Smith and Katie Jones were found at their home.", {("killed", 2)}),
    ("Both women were found dead at the house.", {("killed", 2)}),
    ("Ann Lee, Tom Ray and Joe Kim were killed.", {("killed", 3)}),
    ("In Homs, a man was killed.", {("killed", 1)}),
    ("At least 30 men, women and children were killed.", {("killed", 30)}),
    ("Over thirty people were killed in the north while 8 people from the same family were "
     "killed in the south.", {("killed", 30), ("killed", 8)}),
    ("Twenty-three civilians, including at least 10 children and eight women, were killed.",
     {("killed", 23)}),
    ("Several Afghan citizens were also tragically killed.", {("killed", None)}),
    ("Scores of people have been killed and injured.", {("killed", None), ("injured", None)}),
    ("Three bodies were recovered on Sunday, bringing to 27 the number of dead.",
     {("killed", 3), ("killed", 27)}),
    ("This brings the total number of people who have died in the floods to 300.",
     {("killed", 300)}),
    ("The number of people killed has risen to 52.", {("killed", 52)}),
    ("The number of injured has surpassed 100.", {("injured", 100)}),
    ("The deaths of at least 11 civilians and injuries to seven others were reported.",
     {("killed", 11), ("injured", 7)}),
    ("Syria blasts: 148 dead", {("killed", 148)}),
    ("Quake toll rises to 300", {("killed", 300)}),
    ("Toll in Nepal climbs to 1,200", {("killed", 1200)}),
    ("Drivers complained that the toll road fees rose to 12 dollars.", set()),
    ("The attack killed the city's mayor.", {("killed", 1)}),
    ("The family's pet collie, Fenn, was also killed.", set()),
    ("No one was hurt.", set()),
    ("The bomb could kill 40 people.", set()),
    ("The 2012 attack killed 40.", set()),
    ("He was sentenced to death for one of the city's worst crimes.", set()),
    ("The explosion killed 14 people and wounded 30 others.", {("killed", 14), ("injured", 30)}),
    ("The storm left 3 people dead and 12 injured.", {("killed", 3), ("injured", 12)}),
    ("Nine people died and 21 were injured, police said.", {("killed", 9), ("injured", 21)}),
    ("The gunman shot dead four people at the market.", {("killed", 4)}),
    ("A soldier succumbed to his injuries in hospital.", {("killed", 1)}),
    ("The crowd's anger succumbed to fatigue.", set()),
    ("A guard and two visitors were killed in the attack.", {("killed", 3)}),
    ("The ministry confirmed the deaths of a teacher and two pupils.", {("killed", 3)}),
    ("Floods killed 200 people last year.", set()),
    ("A blast has killed at least 40 worshipers and wounded dozens more.",
     {("killed", 40), ("injured", None)}),
    ("A 40-year-old nurse working at the clinic was killed on Monday.", {("killed", 1)}),
    ("A man on his way to the market was shot dead.", {("killed", 1)}),
    ("The boy survived a gunshot wound to the leg.", {("injured", 1)}),
    ("Three passengers survived the crash.", set()),
    ("Soldier killed in ambush near Kandahar", {("killed", 1)}),
    ("Gunman killed by police after siege", set()),
    ("Man who killed wife jailed for life", set()),
    ("Doctors treated the 40 people who were injured.", {("injured", 40)}),
    ("Two men who killed a guard were arrested.", {("killed", 1)}),
    ("Twelve people were listed as injured.", {("injured", 12)}),
    ("Two soldiers were killed, and a police officer injured.", {("killed", 2), ("injured", 1)}),
    ("The gunman wounded a U.N. pilot.", {("injured", 1)}),
    ("Officials condemned the killing of an aid worker.", {("killed", 1)}),
    ("The death of his wife devastated him.", set()),
    ("The court attack, on 3 April this year, left 33 people dead.", set()),
    ("Eight fatalities, six missing and 25 people injured were reported.",
     {("killed", 8), ("injured", 25)}),
    ("Police said 40 people were missing and 12 injured.", {("injured", 12)}),
    ("Eight internally displaced people were killed in a separate attack.", {("killed", 8)}),
    ("The raid caused the deaths of scores of civilians.", {("killed", None)}),
    ("Officials condemned the killing on Sunday of two aid workers.", {("killed", 2)}),
    ("The deaths on 3 May of four miners shocked the town.", {("killed", 4)}),
    ("He condemned the wounding yesterday of five peacekeepers.", {("injured", 5)}),
    ("A man was treated for multiple injuries.", {("injured", 1)}),
    ("Three residents were hospitalised with burns.", {("injured", 3)}),
    ("The blast caused multiple injuries.", {("injured", None)}),
    ("Two people suffered multiple injuries.", {("injured", 2)}),
    ("He was shot multiple times.", set()),
    ("One assailant was killed and another injured in return fire.", set()),
    ("UN Chief Condemns Killing of Peacekeeper", {("killed", 1)}),
    ("A peacekeeper of the United Nations Mission in South Sudan (UNMISS) was wounded.",
     {("injured", 1)}),
    # Round 6: a person noun counts in both numbers ("colleagues", "a colleague"), and a
    # few nouns of people at work were added; a nationality stays an adjective.
    ("The bus driver and his assistant were killed instantly.", {("killed", 2)}),
    ("The statement condemned the killing of a colleague in the north.", {("killed", 1)}),
    ("The quake killed 10 persons and injured 70 more, Iranian officials said.",
     {("killed", 10), ("injured", 70)}),
    # A participle after the victims opens a clause about what they did, not their state.
    ("A roadside bomb killed four engineers working to rebuild the bridge.", {("killed", 4)}),
    ("The shelling wounded six children trying to reach the school.", {("injured", 6)}),
    # A capitalised word before a plural person noun modifies the group: no named victim.
    ("Troops evacuated 22 injured Rwandan nationals from the hospital.", {("injured", 22)}),
    # A headline's bare victim after its verb, and a long headline known by its title case.
    ("Mortar Attack Kills Soldier Near Border", {("killed", 1)}),
    ("Security Council Members Condemn Attack That Wounded Peacekeeper in Northern Region of "
     "Country", {("injured", 1)}),
    ("Man who killed wife jailed for life", set()),
    # A toll noun as the subject of its running figure.
    ("Deaths rose to 30 on Sunday.", {("killed", 30)}),
    ("Fatalities now stand at 12.", {("killed", 12)}),
    ("Injuries have risen to 140, officials said.", {("injured", 140)}),
    ("Deaths rose by 30 percent last year.", set()),
    # A counted group and one more victim after a possessive or article.
    ("Two aid workers and their driver were killed.", {("killed", 3)}),
    ("Three men and a woman died in the fire.", {("killed", 4)}),
    ("Two soldiers and their families were evacuated.", set()),
    # A group of the dead or injured with its count set in an aside after it.
    ("The fatalities, more than 87,000, were mostly in Sichuan.", {("killed", 87000)}),
    ("The injured, about 30 people, were taken to hospital.", {("injured", 30)}),
    ("The dead, aged 20 to 30, were soldiers.", set()),
    # session 6, after round 14: wordings of its six classes, written here
    ("The heat wave claims the lives of two farmworkers.", {("killed", 2)}),
    ("Both of the pilots died.", {("killed", 2)}),
    ("Both occupants of the truck, a father and his son, were killed.", {("killed", 2)}),
    ("The explosion caused numerous fire and concussion injuries.", {("injured", None)}),
    ("The attack came two months after a bombing killed 40 people in the market.", set()),
    ("Two months after floods killed 48 people, the river rose again, killing 16.",
     {("killed", 16)}),
    ("Police denied reports that two people were killed.", set()),
]


def _stated(text: str) -> set[tuple[str, int | None]]:
    return {(f.kind, f.count) for f in extract(text) if not f.derived and not f.partial}


@pytest.mark.parametrize("text,figures", CASES, ids=[c[0][:40] for c in CASES])
def test_each_phrasing_reads_its_figures(text: str, figures: set[tuple[str, int | None]]) -> None:
    assert _stated(text) == figures


def _embedded(text: str) -> list[str]:
    """The sentence after another, before a long clause, as reported speech after a source
    with a relative clause of its own, and after a clause and a semicolon."""
    bare = text.rstrip(".")
    first = bare.split()[0]
    if first.lower() in NOT_NAMES or first.lower() in (
            "at", "more", "over", "several", "scores", "both", "three", "four", "five"):
        bare = bare[0].lower() + bare[1:]  # a name keeps its capital
    return [f"Rain fell all day. {text} The roads were closed.",
            f"{text.rstrip('.')}, as rescuers searched the rubble for survivors through the "
            "night and relatives waited outside the hospital for news.",
            f"Officials said on Tuesday that {bare}.",
            f"The agency, which is responsible for disaster management in the province, "
            f"reported that {bare}.",
            f"Rescue teams were still at work on Thursday; {bare}."]


@pytest.mark.parametrize("text,figures", [c for c in CASES if c[1] and c[0].endswith(".")],
                         ids=lambda v: v[:40] if isinstance(v, str) else "")
def test_a_sentence_reads_the_same_inside_a_longer_one(
        text: str, figures: set[tuple[str, int | None]]) -> None:
    for longer in _embedded(text):
        assert _stated(longer) == figures, longer


def test_labelled_sentences_read_the_same_when_embedded() -> None:
    """Every labelled sentence with a figure, from the dev-like test data, embedded."""
    rows = [json.loads(line) for name in ("casualty-extra-public.jsonl", "casualty-extra-ecb.jsonl")
            for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["figures"] and row["text"].endswith("."):
            alone = _stated(row["text"])
            for longer in _embedded(row["text"]):
                assert _stated(longer) == alone, longer


def test_uncertain_counts_keep_their_words_hedges_and_parts() -> None:
    [dozens] = extract("Dozens of people were killed.")
    assert dozens.vague and dozens.count is None and dozens.words == "Dozens"
    assert dozens.implied_range == (24, 99)
    [more_than] = extract("More than 60 people were killed.")
    assert more_than.words == "More than 60" and more_than.implied_range is None
    for text in ("Five climbers are feared dead.", "Ten miners may have died in the flood.",
                 "Twelve people were believed killed.", "Two people are presumed dead."):
        [figure] = extract(text)
        assert figure.hedged and figure.kind == "killed", text
    assert not any(f.hedged for f in extract("Police said 12 people were killed."))
    whole, part = extract("The blast killed 60 people, 43 of them at the hospital.")
    assert (whole.count, whole.partial) == (60, False) and (part.count, part.partial) == (43, True)
    more, total = extract("Three more bodies were recovered, bringing to 27 the number of dead.")
    assert (more.count, more.partial) == (3, True) and (total.count, total.partial) == (27, False)
    subset = [f for f in extract("Nine civilians were killed, including four children.")
              if f.count == 4]
    assert subset and subset[0].partial


@pytest.mark.parametrize("text,kind,count", [
    ("The bombing at the National Hospital in Jableh, where 43 people died, broke the law.",
     "killed", 43),
    ("In Jableh alone, 100 people were killed.", "killed", 100),
    ("Twelve people died in the capital alone.", "killed", 12),
    ("Two of the wounded later succumbed to their injuries.", "killed", 2),
    ("Nine of the injured were in critical condition.", "injured", 9),
])
def test_a_count_at_one_place_or_of_a_group_is_a_part(text: str, kind: str, count: int) -> None:
    """A count located at one place of a larger event, or a subset of a group already
    counted, is a part of a toll: the timeline never sets it against a whole toll."""
    [figure] = extract(text)
    assert (figure.kind, figure.count, figure.partial) == (kind, count, True)


def test_a_whole_toll_beside_a_located_part_stays_whole() -> None:
    whole, part = extract("The attack killed 150 people, 43 of them in Jableh alone.")
    assert (whole.count, whole.partial) == (150, False) and (part.count, part.partial) == (43, True)
    [toll] = extract("At least 100 people died in the blasts, officials said.")
    assert not toll.partial


def test_every_figure_names_a_known_rule() -> None:
    names = {shape.name for shape in SHAPES} | {"part-after", "derived-total"}
    text = ("At least 78 people were killed in Jableh and another 48 in Tartus. A nurse was "
            "killed. The toll rose to 150. The blasts wounded dozens.")
    figures = extract(text)
    assert len(figures) >= 5 and all(f.rule in names for f in figures)


@pytest.mark.parametrize("name,killed,injured", [("casualty-extra-public.jsonl", 0.9, 0.9),
                                                 ("casualty-extra-ecb.jsonl", 0.75, 1.0)])
def test_new_labelled_text_scores(name: str, killed: float, injured: float) -> None:
    """Floors on the sentences labelled for issue 21 (tests/data/README.md), below today's
    figures so that a regression, not noise, fails."""
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    report = score((row, [f.as_dict() for f in extract(row["text"])]) for row in rows)
    assert report.kinds["killed"].f1 >= killed and report.kinds["injured"].f1 >= injured


def _derived(text: str) -> set[tuple[str, int | None]]:
    return {(f.kind, f.count) for f in extract(text) if f.derived}


@pytest.mark.parametrize("text,totals", [
    ("At least 40 people were killed in Jableh. Another 20 died in Tartus.", {("killed", 60)}),
    ("Twelve bodies were found in Kandahar. Three more bodies were recovered in Helmand.",
     {("killed", 15)}),
    ("Nine people were hurt in Homs. A further four were injured in Hama. Another two were "
     "wounded in Idlib.", {("injured", 15)}),
])
def test_a_toll_told_in_parts_across_sentences_sums(
        text: str, totals: set[tuple[str, int | None]]) -> None:
    """Parts that say they add to a figure told before ('another', 'a further', 'more'),
    each at a place of its own, make the whole toll, which the timeline takes first."""
    assert _derived(text) == totals


@pytest.mark.parametrize("text", [
    "At least 40 people were killed in Jableh. Officials said 20 died in Tartus.",  # competing
    "At least 40 people were killed in Jableh. Another 20 died in Tartus. The toll rose to 75.",
    "Twelve bodies were found in Kandahar. Three more bodies were recovered there.",  # no place
    "At least 40 people were killed in Jableh. Another 20 died in Jableh.",  # the same place
    "State media said 78 people were killed. The Observatory said 148 died in Jableh.",
])
def test_competing_or_unplaced_tolls_across_sentences_are_not_summed(text: str) -> None:
    assert _derived(text) == set()


def test_more_victims_of_the_other_kind_are_no_increment() -> None:
    """'killed and a further 28 injured' adds victims of another kind, not to an injured
    toll told before: a whole figure, where 'a further 12 were injured' alone is a part."""
    killed, injured = extract("Six civilians were killed and a further 28 injured.")
    assert (injured.kind, injured.count, injured.partial) == ("injured", 28, False)
    [further] = extract("A further 12 were injured.")
    assert further.partial and further.adds


@pytest.mark.parametrize("text,count", [
    ("The bombings killed about 70 people, a monitor said. Many more were wounded.", None),
    ("Twelve soldiers died in the ambush. Dozens more were hurt.", None),
    ("The storm left eight people dead. Another 153 were listed as injured.", 153),
    ("The blast killed 12 people and injured scores more.", None),
    ("Four workers were killed; 20 more suffered burns.", 20),
])
def test_more_beside_the_dead_is_the_first_injured_figure(text: str, count: int | None) -> None:
    """"More" after a death toll and no injured figure before it: more people beside the
    dead, the text's whole injured figure, in the next sentence as in the same one."""
    [injured] = [f for f in extract(text) if f.kind == "injured"]
    assert (injured.count, injured.partial) == (count, False)


@pytest.mark.parametrize("text", [
    "Three more bodies were found on Tuesday.",  # an update: the toll was told elsewhere
    "Forty people died on Monday. Three more bodies were found on Tuesday.",
    "Twenty were hurt in the blast. Another 30 were injured in the stampede.",
])
def test_more_of_a_kind_already_told_or_untold_is_an_increment(text: str) -> None:
    assert extract(text)[-1].partial and extract(text)[-1].adds


@pytest.mark.parametrize("text,figures", [
    ("Police said about 13, 14 people were wounded.", {("injured", 13, 14)}),
    ("Media reported at least seven casualties and at least 53 injured.",
     {("killed", 7, None), ("injured", 53, None)}),
    ("There were 12 casualties.", set()),
])
def test_spoken_ranges_and_casualties_beside_the_injured(
        text: str, figures: set[tuple[str, int, int | None]]) -> None:
    assert {(f.kind, f.count, f.count_max) for f in extract(text)} == figures
    assert all(f.count_max is None for f in extract("About 13, 20 people died."))  # no range


@pytest.mark.parametrize("text,figures", [
    ("The death toll ranged from 14 to over 30 people.", {("killed", 14, 30)}),
    ("Floods left a toll ranging from 5 to 9.", {("killed", 5, 9)}),
    ("Between 10 and 20 people were killed.", {("killed", 10, 20)}),
    ("Casualties varied from 3 to 2 in the reports.", set()),  # no range: bounds reversed
])
def test_a_range_told_by_its_bounds(text: str, figures: set[tuple[str, int, int | None]]) -> None:
    """'ranging from N to M' is a range (after a range verb only: 'rose from 20 to 30' is a
    change); the upper bound may carry its own qualifier."""
    assert {(f.kind, f.count, f.count_max) for f in extract(text)} == figures


@pytest.mark.parametrize("text,figures", [
    ("Two dead and more than 200 houses collapsed in Hunan.", {("killed", 2)}),
    ("Three dead and nearly 900 buildings destroyed in Guangxi.", {("killed", 3)}),
    ("Three bomb victims died.", {("killed", 3)}),  # a thing noun before a person noun
])
def test_a_count_of_things_is_no_further_part(text: str, figures: set[tuple[str, int]]) -> None:
    assert {(f.kind, f.count) for f in extract(text)} == figures


@pytest.mark.parametrize("text", [
    "The raid led to the killing of a soldier and the wounding of another.",
    "The killing of one soldier and the wounding of another soldier.",
    "They condemned the killing of an aid worker and the wounding of another on Monday.",
])
def test_a_nominal_harm_names_one_more_victim(text: str) -> None:
    """'the wounding of another': the harm noun's one victim is 'another' of those named,
    a whole figure of its kind, not an addition to an injured toll told before."""
    assert {(f.kind, f.count, f.partial) for f in extract(text)} == {
        ("killed", 1, False), ("injured", 1, False)}


@pytest.mark.parametrize("text", [
    "So far this year, nearly 100 international troops have been killed in Afghanistan.",
    "Since the start of the year 250 people have died in the fighting.",
    "Since the beginning of the rainy season, at least 80 people have died.",
    "Since the onset of the monsoon, 45 people have been killed by floods.",
    "So far this season, 31 people have died in avalanches.",
    "Since the start of the war, more than 9,000 civilians have been killed.",
    "Since 1 March, 120 people have died of cholera.",
    "Since January, 60 people have been killed in the province.",
    "The cumulative death toll has risen to 212.",
    "In total since June, 75 people have died.",
])
def test_a_period_running_total_is_a_part_not_a_toll(text: str) -> None:
    """A year's running total counts many incidents: never this incident's toll."""
    [figure] = extract(text)
    assert figure.kind == "killed" and figure.partial


@pytest.mark.parametrize("text", [
    "Since the attack, five people have died of their wounds.",
    "Since Monday, 12 people have been killed in the clashes.",
    "Nine people were killed far in the north of the country.",
])
def test_a_count_since_an_event_or_day_stays_a_toll(text: str) -> None:
    """Only a period (a season, a month, a year, a war) makes a running total: a count
    since this incident or since a weekday is this incident's own."""
    [figure] = extract(text)
    assert figure.kind == "killed" and not figure.partial


@pytest.mark.parametrize("text,count", [
    ("The bus driver, the driver of the car and one bus passenger died.", 3),
    ("The bus driver, the driver of the car and the passenger died.", 3),
    ("A policeman and a villager were killed.", 2),
    ("Police said a policeman and two villagers were killed.", 3),
    ("One soldier, two police officers and a civilian were killed.", 4),
    ("The mayor, his two sons and a guard were killed in the ambush.", 4),
    ("The driver and three passengers were injured.", 4),
    ("The three bank workers a man and two women died.", 3),  # the list names them again
])
def test_victims_listed_before_their_state_are_counted(text: str, count: int) -> None:
    """Person phrases listed before 'died'/'were killed' (a role, a name, a role with its
    complement, a counted group), joined by commas and 'and', are that many victims."""
    [figure] = [f for f in extract(text) if not f.derived]
    assert figure.count == count and not figure.partial, text


@pytest.mark.parametrize("text,figures", [
    ("The attack killed a soldier and two civilians were wounded.", ("injured", 2)),
    ("In the village of Mullah Hafez, a policeman and two villagers were killed.",
     ("killed", 3)),
    ("About 2,500 evacuated people and two injured persons were reported.", ("injured", 2)),
])
def test_a_list_counts_only_the_victims_that_open_its_clause(
        text: str, figures: tuple[str, int]) -> None:
    """A verb's object, a place named before a comma and people in another state
    ('evacuated') are not in the list of victims."""
    assert figures in {(f.kind, f.count) for f in extract(text)}
    assert (figures[0], figures[1] + 1) not in {(f.kind, f.count) for f in extract(text)}


@pytest.mark.parametrize("text,killed,injured", [
    ("The blast killed 11 people and 25 others were injured.", 11, 25),
    ("The attack killed at least 3 soldiers and 4 civilians were wounded.", 3, 4),
    ("Gunmen wounded 6 guards and two passers-by were killed.", 2, 6),
    ("The blast injured 20 people and 2 others died in hospital.", 2, 20),
])
def test_a_counted_object_is_not_summed_into_the_next_clause_s_victims(
        text: str, killed: int, injured: int) -> None:
    """'killed 11 people and 25 others were injured': the first count is the verb's
    object, so the injured are the 25 the second clause names, not 36."""
    read = {f.kind: f.count for f in extract(text) if not f.derived}
    assert read == {"killed": killed, "injured": injured}, text


@pytest.mark.parametrize("text", [
    "Dozens of Syrian soldiers were killed.",
    "Hundreds of East African Migrants Drown at Sea",
    "Scores of young men were killed in the raid.",
])
def test_a_vague_count_reaches_its_victims_past_their_modifiers(text: str) -> None:
    """'dozens of Syrian soldiers': up to two modifiers between 'of' and the person noun."""
    assert [(f.kind, f.vague) for f in extract(text)] == [("killed", True)]


@pytest.mark.parametrize("text,count", [
    ("The storm claimed hundreds of lives.", None),
    ("The Secretary-General mourned the loss of hundreds of lives.", None),
    ("The landslide caused the loss of 30 lives.", 30),
])
def test_lives_taken_or_lost_are_the_dead(text: str, count: int | None) -> None:
    """'claimed hundreds of lives', 'the loss of 30 lives': lives counted after a verb or
    noun of taking or loss, vague counts too."""
    [figure] = extract(text)
    assert (figure.kind, figure.count, figure.vague) == ("killed", count, count is None)


@pytest.mark.parametrize("text", [
    "Over 380 residents were evacuated with no injuries reported.",
    "Two men suffered no injuries.",
])
def test_harm_after_a_negation_is_no_figure(text: str) -> None:
    """'with no injuries', 'suffered no injuries': people named beside harm they did not
    come to are no victims."""
    assert extract(text) == []


@pytest.mark.parametrize("text,count", [
    ("Five migrants drown off Libya.", 5),
    ("Twelve fishermen drowned when their boat capsized.", 12),
])
def test_every_form_of_a_verb_of_death_is_a_state(text: str, count: int) -> None:
    """'drown', 'drowns' as well as 'drowned' (present-tense headlines)."""
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


@pytest.mark.parametrize("text,count", [
    ("The death toll rose from 20 to 30.", 30),
    ("Deaths rose from 20 to 30 on Tuesday.", 30),
    ("The number of people killed has risen from twelve to forty.", 40),
    ("The toll climbed from one hundred to two hundred.", 200),
])
def test_a_toll_that_changes_from_one_figure_to_another_is_the_later(
        text: str, count: int) -> None:
    """'from N to M' after a verb of change is a change: M is the toll now, N an earlier
    one, never a range (after a range verb it is: test_a_range_told_by_its_bounds)."""
    [figure] = extract(text)
    assert (figure.kind, figure.count, figure.count_max) == ("killed", count, None)


@pytest.mark.parametrize("text,kind,parts,total", [
    ("Three were killed on Monday and another died on Tuesday.", "killed", {3, 1}, 4),
    ("Two soldiers died and another succumbed to his wounds in hospital.", "killed", {2, 1}, 3),
    ("Eight people were killed on Sunday and a further 12 died overnight.", "killed",
     {8, 12}, 20),
    ("Five people were injured in the morning and another was hurt at noon.", "injured",
     {5, 1}, 6),
])
def test_a_victim_added_in_the_same_sentence_sums(
        text: str, kind: str, parts: set[int], total: int) -> None:
    """'and another died', 'a further 12': more victims of the same kind, added to the
    figure told first; the sentence's toll is their sum."""
    figures = extract(text)
    assert {f.count for f in figures if f.kind == kind and not f.derived} == parts
    assert {(f.kind, f.count) for f in figures if f.derived} == {(kind, total)}


def test_another_of_the_other_kind_adds_nothing() -> None:
    assert {(f.kind, f.count, f.derived) for f in extract(
        "Two people have been killed and another wounded.")} == {
        ("killed", 2, False), ("injured", 1, False)}


@pytest.mark.parametrize("text,count,partial", [
    ("Monsoon rains have killed a cumulative 212 people since June.", 212, True),
    ("The two blasts killed a combined 40 people.", 40, False),
    ("The floods have killed a total of 212 people.", 212, False),
    ("The toll reached a total of 33.", 33, False),
])
def test_an_article_and_a_word_of_summing_before_the_number(
        text: str, count: int, partial: bool) -> None:
    """'a cumulative 212', 'a combined 40', 'a total of 33' read the number; a cumulative
    one is a period's running total, a part, never the incident's toll."""
    [figure] = extract(text)
    assert (figure.kind, figure.count, figure.partial) == ("killed", count, partial)


@pytest.mark.parametrize("text,total", [
    ("In total, 26 people died in Sindh and 7 in Punjab.", 33),
    ("Across Pakistan, 26 people died in Sindh and 7 in Punjab.", 33),
    ("Rains killed 26 people in Sindh and 7 in Punjab, 33 people in total.", 33),
    ("26 people died in Sindh and 7 in Punjab, bringing the total death toll to 33.", 33),
    ("In all, 33 people died: 26 in Sindh and 7 in Punjab.", 33),
    ("26 people died in Sindh. Seven died in Punjab. In all, 33 people have died.", 33),
    ("26 people died in Sindh. Seven people also died in Punjab.", 33),
    ("Monsoon rains killed 26 people. Heavy rain also led to 7 deaths in Punjab.", 33),
    ("At least 40 people were killed. Another 20 died in Tartus.", 60),
])
def test_a_toll_told_place_by_place_is_summed_where_the_text_says_the_parts_add(
        text: str, total: int) -> None:
    """Parts of one sentence at places of their own, a stated total, or a later part that
    says it adds ('another', 'also') at a place of its own: the document's toll is the
    whole, as the timeline picks it."""
    from service.evaluation.documents import document_toll
    toll = document_toll([f.as_dict() for f in extract(text)], "killed")
    assert toll is not None and toll.count == total, text


@pytest.mark.parametrize("text,toll", [
    ("According to OCHA, 9 people died in Haiti. Media report 3 deaths in the Dominican "
     "Republic.", 9),  # nothing says the parts add: a competing toll looks the same
    ("The Council condemned the attack, which killed one peacekeeper. It also strongly "
     "condemned the killing of a staff member in Ndele.", 1),  # 'also' of the speaker
    ("Six people were killed in Homs and 20 others were also injured.", 6),
])
def test_parts_that_do_not_say_they_add_are_not_summed(text: str, toll: int) -> None:
    from service.evaluation.documents import document_toll
    read = document_toll([f.as_dict() for f in extract(text)], "killed")
    assert read is not None and read.count == toll and not read.derived, text


@pytest.mark.parametrize("text,figures", [
    ("The landslide killed 11 people and 25 others are still missing.", {("killed", 11)}),
    ("The flood killed 4 people and 10 others were reported missing.", {("killed", 4)}),
    ("The attack killed one Senegalese peacekeeper and wounded another.",
     {("killed", 1), ("injured", 1)}),
    ("The attack killed two soldiers and injured another on Monday.",
     {("killed", 2), ("injured", 1)}),
])
def test_a_second_clause_after_the_victims_is_its_own(
        text: str, figures: set[tuple[str, int]]) -> None:
    """A counted group with a verb of its own ('and 25 others are missing') adds no victims
    to the verb's object; 'wounded another' names one more victim, harmed the other way."""
    assert {(f.kind, f.count) for f in extract(text)} == figures


@pytest.mark.parametrize("text,figures", [
    ("The blast injured 5 people and a woman died later.", {("injured", 5), ("killed", 1)}),
    ("The attack wounded 12 soldiers and a civilian was killed.",
     {("injured", 12), ("killed", 1)}),
    ("The shelling killed three people and his son was badly hurt.",
     {("killed", 3), ("injured", 1)}),
    ("Gunmen killed 4 villagers and a policeman and a child were wounded.",
     {("killed", 4), ("injured", 2)}),
    ("The crash hurt 22 passengers and two others later died in hospital.",
     {("injured", 22), ("killed", 2)}),
])
def test_victims_after_a_verb_s_object_with_a_state_of_their_own_open_a_clause(
        text: str, figures: set[tuple[str, int]]) -> None:
    """'injured 5 people and a woman died later': victims after 'and' that have a verb of
    their own (here, or at the end of their list) are not the first verb's object."""
    assert {(f.kind, f.count) for f in extract(text) if not f.derived} == figures


@pytest.mark.parametrize("text,count", [
    ("Gunmen killed a policeman and a child and wounded three others.", 2),
    ("The raid killed 3 soldiers and 2 civilians and wounded 5 more.", 5),
    ("The storm killed two fishermen and a boy.", 3),
])
def test_victims_listed_after_a_verb_without_a_verb_of_their_own_are_its_object(
        text: str, count: int) -> None:
    """The list runs on while no verb of their own follows it ('... and wounded 5')."""
    assert ("killed", count) in {(f.kind, f.count) for f in extract(text)}


@pytest.mark.parametrize("text,kind,count", [
    ("Last week, 9 teachers and two of their pupils paid a heavy price in the fighting in "
     "the north – killed when a shell hit their school.", "killed", 11),
    ("Ten hikers were caught in the avalanche and killed.", "killed", 10),
    ("Three workers fell from the scaffolding on Monday and died.", "killed", 3),
    ("Four teenagers went swimming in the river and drowned.", "killed", 4),
    ("Six guards stood at the gate of the compound, wounded by the first blast.",
     "injured", 6),
    ("Three students protested outside the embassy and were later killed.", "killed", 3),
])
def test_a_state_told_after_the_victims_own_predicate(text: str, kind: str,
                                                       count: int) -> None:
    """Victims opening a clause, then their own predicate (an idiom, 'were caught in the
    avalanche'), then their state past a mark or 'and'."""
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, count)]


@pytest.mark.parametrize("text,count", [
    ("Five people attended the funeral of the officer, killed last week.", 5),
    ("Three officers responded and killed the suspect.", 3),
    ("Two gunmen stormed the bank, and were killed by police.", 2),
    ("He delivered more than $300,000 in payoffs to conspirators, died in a motel.", 300000),
    ("She leaves a husband, son and two grandchildren – died later that night.", 2),
    ("Five men said they would go to the front and die.", 5),
])
def test_a_state_after_a_predicate_is_not_read_when_it_is_someone_else_s(
        text: str, count: int) -> None:
    """Another person before the state takes it; an active verb with an object is what the
    subject did; attackers, money, a list inside an aside and hypotheticals are no victims."""
    assert ("killed", count) not in {(f.kind, f.count) for f in extract(text)}


@pytest.mark.parametrize("text,kind,count", [
    ("Many of those who died were poor or elderly.", "killed", None),
    ("Several of the people who died were tourists.", "killed", None),
    ("Many of those who were injured were women.", "injured", None),
    ("Two of those killed were police officers.", "killed", 2),
    ("Dozens of those wounded were taken to hospital.", "injured", None),
])
def test_a_count_of_those_harmed_is_a_part_of_their_toll(kind: str, text: str,
                                                         count: int | None) -> None:
    """'many of those who died': a group told by its harm is counted elsewhere; the count
    is a part of it, never a competing toll."""
    assert [(f.kind, f.count, f.partial) for f in extract(text)] == [(kind, count, True)]


@pytest.mark.parametrize("text,count", [
    ("The driver and his passenger were fatally injured.", 2),
    ("Three hikers were fatally injured when the ledge gave way.", 3),
    ("The collision fatally injured four people.", 4),
    ("A guard was fatally shot during the robbery.", 1),
    ("Two officers were mortally wounded in the ambush.", 2),
])
def test_harm_told_fatally_is_a_death(text: str, count: int) -> None:
    """'fatally injured', 'mortally wounded', 'was fatally shot': the dead, not the
    injured (accident reports and casualty notices write it so)."""
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


def test_shooters_who_fatally_shot_someone_are_no_victims() -> None:
    """'officers fatally shot 16-year-old ...': active, the subject did it."""
    assert ("killed", 2) not in {(f.kind, f.count) for f in extract(
        "Two officers fatally shot 19-year-old Dana Ruiz after a chase.")}


@pytest.mark.parametrize("text,kind,count", [
    ("Three other U.S. soldiers were wounded in the blast.", "injured", 3),
    ("Two U.N. peacekeepers were killed near Kidal.", "killed", 2),
    ("The minister mourned the five U.K. Special Forces soldiers who died on Monday.",
     "killed", 5),
])
def test_an_acronym_written_with_stops_modifies_the_victims(
        text: str, kind: str, count: int) -> None:
    """'U.S.' is read as 'u.s' and its own stop: one modifier, not the victims' end."""
    assert (kind, count) in {(f.kind, f.count) for f in extract(text)}


@pytest.mark.parametrize("text,count", [
    ("KABUL, March 3, 2019 — Four soldiers were killed by a roadside bomb on Sunday.", 4),
    ("NAIROBI, Kenya (June 2, 2021) -- Six people died when a bus overturned.", 6),
])
def test_a_release_s_dateline_is_no_earlier_event(text: str, count: int) -> None:
    """A full date closing the dateline that opens a release is the day it was issued."""
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


def test_a_full_date_after_the_harm_still_dates_an_earlier_event() -> None:
    assert extract("Three soldiers were killed on March 3, 2009 - the worst attack then.") == []


@pytest.mark.parametrize("text,count", [
    ("Officials deplored the drownings of 40 migrants off Lesbos.", 40),
    ("The storm is reported to have claimed at least 31 lives.", 31),
    ("The fire is believed to have killed 12 people.", 12),
    ("The ministry announced the death of a soldier who was on patrol.", 1),
    ("The blast wounded a policeman, who later died in hospital.", 1),
])
def test_deaths_told_as_nouns_reports_and_later_deaths(text: str, count: int) -> None:
    """'the drownings of 40', 'is reported to have claimed', 'the death of a soldier' (an
    article, never a possessive), 'wounded a policeman, who later died': all the dead."""
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


@pytest.mark.parametrize("text", [
    "He mourned the death of his wife.",
    "The group wants to have killed 40 people.",
])
def test_an_obituary_s_death_and_a_wish_are_no_toll(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text,count", [
    ("Sgt. Maria Lopez, 31, of El Paso, Texas, died May 2 in Kandahar.", 1),
    ("Pfc. Dan Reyes, 20, of Tampa, Fla., died June 9 of wounds suffered in an attack.", 1),
])
def test_a_casualty_notice_s_named_soldier_is_one_death_and_the_day_no_count(
        text: str, count: int) -> None:
    """A rank abbreviation does not end the sentence, the home town's state abbreviation
    not the aside, and the day after a month ('died May 2') counts no one."""
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


@pytest.mark.parametrize("text,count", [
    ("Two crew members were transported to a local hospital in stable condition.", 2),
    ("Three workers were transported to hospital by helicopter.", 3),
])
def test_victims_taken_to_hospital_are_injured(text: str, count: int) -> None:
    """'transported to hospital' is care like 'taken' or 'rushed'; 'hospital' itself is no
    cue word (the bench's items hold it often: reading every such sentence cost 40%)."""
    assert [(f.kind, f.count) for f in extract(text)] == [("injured", count)]


@pytest.mark.parametrize("text,kind,count", [
    ("The co-pilot and the flight engineer were fatally injured.", "killed", 2),
    ("A sub-contractor was seriously injured when the scaffold gave way.", "injured", 1),
    ("A forklift operator was killed at the warehouse.", "killed", 1),
    ("Two linemen were injured when the pole snapped.", "injured", 2),
    ("A crewmember was hurt during the rescue.", "injured", 1),
    ("Four boaters were killed when the ferry capsized.", "killed", 4),
])
def test_people_named_by_their_work_or_a_compound_are_victims(
        text: str, kind: str, count: int) -> None:
    """Accident and military reports name people by what they do ('operator', 'lineman',
    'crewmember'), and compounds take their last part's sense ('co-pilot' is a pilot)."""
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, count)]


def test_a_compound_whose_last_part_is_no_person_is_no_victim() -> None:
    assert extract("A front-end loader was damaged and two pilot-rated drones were lost.") == []


@pytest.mark.parametrize("text,count", [
    ("A welder suffered fatal injuries in the fall.", 1),
    ("Three passengers sustained fatal injuries.", 3),
    ("Two soldiers suffered mortal wounds in the ambush.", 2),
])
def test_fatal_harm_suffered_is_a_death(text: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


def test_deadly_wounds_survived_are_no_death() -> None:
    assert extract("The guard survived fatal wounds, doctors said.") == []


@pytest.mark.parametrize("text,kind", [
    ("On July 12, 2024, a rock truck operator was seriously injured.", "injured"),
    ("On Tuesday, January 19, 2016, at about 4 p.m., a miner was fatally injured.", "killed"),
    ("On March 3, 2011, the lineman died from his injuries.", "killed"),
    ("On Friday, 8 June 2013, a climber was killed in a fall.", "killed"),
])
def test_a_day_s_date_opening_the_sentence_is_the_day_a_report_tells(
        text: str, kind: str) -> None:
    """Accident reports tell their incident day by day: a full date that opens the sentence
    is the narrative's day, not an earlier event (no item year is given here)."""
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, 1)]


@pytest.mark.parametrize("text", [
    "The boss died while in prison custody on December 19, 2005.",
    "In May 2021, a 32-year-old operator was killed by a roof fall.",
    "The 2012 attack killed 40 people.",
])
def test_a_date_elsewhere_still_marks_an_earlier_event(text: str) -> None:
    assert extract(text) == []


def test_with_the_item_s_year_an_opening_date_must_be_recent() -> None:
    text = "On July 12, 2024, a rock truck operator was seriously injured."
    assert [f.count for f in extract(text, reference_year=2025)] == [1]  # a final report
    assert extract(text, reference_year=2030) == []  # a retrospective


@pytest.mark.parametrize("text,figures", [
    ("OSHA learned of the death of one worker and the injury of another.",
     [("killed", 1), ("injured", 1)]),
    ("The collapse led to the death of one employee and injury to a second worker.",
     [("killed", 1), ("injured", 1)]),
    ("The blast caused injuries to a firefighter.", [("injured", 1)]),
    ("The jury convicted him of the murder of a nurse and the injury of two others.",
     [("injured", 2)]),
])
def test_a_nominal_injury_names_its_victims_after_of_or_to(
        text: str, figures: list[tuple[str, int]]) -> None:
    """'the injury of another' is one more victim, harmed the other way, as 'the wounding
    of another' is: a whole figure, not an addition to a toll of its own."""
    read = extract(text)
    assert [(f.kind, f.count) for f in read] == figures
    assert not any(f.partial for f in read)


@pytest.mark.parametrize("text", [
    "He suffered injuries to his legs.",
    "The injury of his knee kept him out of the final.",
])
def test_an_injury_to_a_body_part_names_no_victim(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text", [
    "They found the six family members (three adults and three children) to be dead or unconscious.",
    "Scores of civilians have reportedly been killed or injured in the city.",
    "Twenty people are dead or missing after the landslide.",
])
def test_a_state_offered_with_another_tells_neither(text: str) -> None:
    """'dead or unconscious': each victim is in one state or the other, so the count is no
    toll of the dead (nor 'killed or injured' of either kind)."""
    assert extract(text) == []


def test_two_states_joined_by_and_still_read() -> None:
    assert [(f.kind, f.count) for f in extract("Twenty people are dead and 30 missing.")] == [
        ("killed", 20)]


@pytest.mark.parametrize("text,kind,count", [
    ("Four persons (a 77-year-old woman who was wearing the monitor, two other adults aged 29 "
     "and 30 years, and one 8-year-old child) were pronounced dead at the scene.", "killed", 4),
    ("Three workers (two welders and a foreman who had just arrived on the site) were injured.",
     "injured", 3),
    ("The flight instructor (CFI) sustained minor injuries.", "injured", 1),
    ("Nathan Phillips (victim), a 36-year-old machine operator, was fatally injured.",
     "killed", 1),
    ("The first officer (FO) was killed.", "killed", 1),
])
def test_an_aside_in_brackets_stands_between_the_victims_and_their_state(
        text: str, kind: str, count: int) -> None:
    """Brackets close their own aside, however long and whatever its words (a relative
    clause, ages); a one-word bracket (an acronym, a label) after a victim is passed."""
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, count)]


def test_brackets_that_tell_a_state_are_no_aside() -> None:
    """The aside's own state is read; its victims are not carried past it."""
    assert [(f.kind, f.count) for f in extract(
        "Two guards (one of them killed) and three visitors were hurt.")] == [
        ("killed", 1), ("injured", 3)]


@pytest.mark.parametrize("text,kind,count", [
    ("The attack killed three soldiers, two policemen and a civilian.", "killed", 6),
    ("The blast wounded a soldier, a policeman and two children.", "injured", 4),
    ("The storm killed a farmer, his wife, and their two sons.", "killed", 4),
    ("Police found the deaths of a man and his two children suspicious.", "killed", 3),
])
def test_victims_enumerated_after_a_verb_or_a_death_noun_add_up(
        text: str, kind: str, count: int) -> None:
    """A list after the verb's victims, its items joined by commas and closed by 'and', each
    a count of people, one person, or a possessive's."""
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, count)]


@pytest.mark.parametrize("text,count", [
    ("The bomb killed three people, a man and two women.", 3),
    ("The attack killed two soldiers, a spokesman said.", 2),
    ("The bomb killed two soldiers, and a spokesman said it was the worst attack.", 2),
])
def test_an_aside_or_a_new_clause_after_the_victims_adds_none(text: str, count: int) -> None:
    """People named again ('three people, a man and two women') and a person with a verb of
    their own after a comma are no more victims."""
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


@pytest.mark.parametrize("text,part,total", [
    ("Five more bodies were recovered, bringing the total to 32.", 5, 32),
    ("Officials reported 4 new deaths, for a total of 19.", 4, 19),
    ("Two additional workers were injured, bringing the total to 9.", 2, 9),
    ("An additional 3 people died on Sunday, to a total of 15.", 3, 15),
])
def test_an_increment_and_the_running_total_it_brings(text: str, part: int, total: int) -> None:
    """'new', 'additional', 'more' make a count an addition (a part, never the toll); a
    running total named by 'total' alone takes the one kind of harm told before it."""
    read = extract(text)
    assert [(f.count, f.partial) for f in read] == [(part, True), (total, False)]
    assert len({f.kind for f in read}) == 1


@pytest.mark.parametrize("text", [
    "The company hired 20 workers, bringing the total to 300.",
    "Three people were killed and five injured, bringing the total to 8.",
])
def test_a_total_of_no_kind_or_of_both_is_no_toll(text: str) -> None:
    assert all(f.count != 300 and f.count != 8 for f in extract(text))


def test_a_count_before_the_number_killed_is_the_total() -> None:
    read = extract("Twelve people died, bringing to 40 the number killed this week.")
    assert [(f.kind, f.count) for f in read] == [("killed", 12), ("killed", 40)]


@pytest.mark.parametrize("text,kind", [
    ("A flight surgeon was flown out to provide medical assistance to an injured crewmember.",
     "injured"),
    ("Medics carried a wounded soldier to the helicopter.", "injured"),
    ("An injured hiker was airlifted off the mountain on Sunday.", "injured"),
])
def test_one_victim_named_by_their_harm_is_one(text: str, kind: str) -> None:
    assert [(f.kind, f.count, f.rule) for f in extract(text)] == [(kind, 1, "harmed-one")]


def test_one_victim_named_by_their_harm_is_one_of_those_counted() -> None:
    """Where the text counts the injured, 'an injured person' is one of them."""
    text = ("Dozens of people were injured in the blast. I saw an injured person being taken "
            "to a hospital, one woman said.")
    assert [(f.kind, f.vague) for f in extract(text)] == [("injured", True)]


@pytest.mark.parametrize("text,kind,total", [
    ("The instructor sustained minor injuries and the student pilot sustained serious "
     "injuries.", "injured", 2),
    ("A 12-year-old girl is recovering from a wound to her cheek, while her mother was shot "
     "in the arm.", "injured", 2),
    ("The driver was killed and a passenger died later in hospital.", "killed", 2),
])
def test_people_named_one_by_one_each_with_their_harm_add_up(
        text: str, kind: str, total: int) -> None:
    read = extract(text)
    assert [f.count for f in read if f.derived] == [total]
    assert {f.kind for f in read} == {kind}


def test_a_pronoun_for_the_victim_named_is_no_second_one() -> None:
    read = extract("Johnson was killed when a car struck and killed her.")
    assert [(f.count, f.derived) for f in read] == [(1, False)]


@pytest.mark.parametrize("text,count", [
    ("A rock truck operator was seriously injured on Friday. Eleven days later, the rock "
     "truck operator died from her injuries.", 1),
    ("Two workers were injured in the fall. Both later died of their injuries.", 2),
    ("A lineman was hurt when the pole snapped. The lineman succumbed to his wounds.", 1),
])
def test_victims_told_injured_who_died_of_it_are_the_dead(text: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


@pytest.mark.parametrize("text", [
    "Five people were injured. A sixth man died of his wounds.",
    "A worker was injured on Monday. In the evening, Smith died of his wounds.",
])
def test_another_victim_who_died_of_wounds_leaves_the_injured(text: str) -> None:
    assert {f.kind for f in extract(text)} == {"killed", "injured"}


@pytest.mark.parametrize("text,kind,count", [
    ("The flight instructor received fatal injuries.", "killed", 1),
    ("The pilot received minor injuries.", "injured", 1),
    ("A lineman was fatally electrocuted.", "killed", 1),
    ("Three workers were electrocuted when the crane touched a power line.", "killed", 3),
    ("Two miners were asphyxiated in the shaft.", "killed", 2),
    ("A man drowned after driving into floodwaters.", "killed", 1),
    ("A climber perished on the descent.", "killed", 1),
    ("The accident resulted in fatal injuries to the pilot.", "killed", 1),
    ("The crash caused serious injuries to the driver and a passenger.", "injured", 2),
])
def test_accident_reports_words_of_death_and_injury(text: str, kind: str, count: int) -> None:
    """Deaths told by their cause ('electrocuted'), harm 'received', one victim's 'drowned'
    or 'perished' without an auxiliary, and injuries done 'to' a person named by role."""
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, count)]


@pytest.mark.parametrize("text", [
    "He received treatment at the hospital.",
    "The guard survived fatal wounds.",
    "The policing has left many feeling suffocated, he said.",
    "He suffered injuries to the head.",
])
def test_care_survival_a_feeling_and_a_body_part_are_no_death(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text,kind,count", [
    ("At least 14 people, most of them women and children who had gathered at the market to "
     "buy food for the holiday, were killed.", "killed", 14),
    ("Fourteen people, among them three police officers who were guarding the entrance, died "
     "in the blast.", "killed", 14),
    ("Three workers who had been repairing the roof of the building when the storm struck "
     "were injured.", "injured", 3),
    ("Two men from the village of Kafr Nabl in the northern province of Idlib were killed.",
     "killed", 2),
    ("Twelve people in the town that was hit hardest by the storm have died.", "killed", 12),
])
def test_a_figure_reaches_its_state_past_a_long_aside_or_modifier(
        text: str, kind: str, count: int) -> None:
    """Robust to sentence length: an aside counting a part ('most of them ...') closes at its
    comma however it runs, and a relative clause or prepositional phrases lead to the
    victims' own auxiliary or verb of dying."""
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, count)]


@pytest.mark.parametrize("text", [
    "Two men who killed a guard were arrested.",
    "The protest began some 20 blocks from where Gray was fatally shot.",
    "Several of the survivors from the vessel told UNHCR they believe those who died may "
    "have suffocated.",
])
def test_a_state_past_modifiers_belongs_to_no_one_else(text: str) -> None:
    """Not past a word of harm the victims did, nor to a count of things, nor past a pronoun
    that starts another clause."""
    assert all(f.count == 1 for f in extract(text))


@pytest.mark.parametrize("text,kind,count", [
    ("Eleven of the 30 passengers on board the bus were killed.", "killed", 11),
    ("Two of its 12 crew members were injured.", "injured", 2),
    ("He said 30 of the 80 wounded remained in hospital.", "injured", 80),
    ("Centers were set up to treat many of the 870 people who were injured.", "injured", 870),
])
def test_a_part_of_a_group_counted_from_its_size(text: str, kind: str, count: int) -> None:
    """'Eleven of the 30 passengers were killed': 30 is the group's size, 11 the victims; a
    group told by its own harm ('the 80 wounded') is the toll."""
    assert [(f.kind, f.count) for f in extract(text) if not f.partial] == [(kind, count)]


@pytest.mark.parametrize("text,count", [
    ("The group says one kidnapper and at least four soldiers were killed on the boat.", 4),
    ("Two pirates and a sailor died in the exchange of fire.", 1),
])
def test_attackers_listed_with_their_victims_are_not_counted(text: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


def test_a_month_of_a_year_marks_an_earlier_event() -> None:
    assert extract("In March of 2004, 50 people were killed in a similar blast.") == []


@pytest.mark.parametrize("text,kind,count", [
    ("At the moment there are 2 reports of fatalities.", "killed", 2),
    ("The agency has received 12 reports of injuries.", "injured", 12),
])
def test_reports_of_harm_count_their_victims(text: str, kind: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, count)]


@pytest.mark.parametrize("text,kind", [
    ("He visited a soldier who was wounded in the ambush.", "injured"),
    ("Our prayers go out to the man and his wife who died, he said.", "killed"),
    ("She wished a speedy recovery to another peacekeeper who was injured in the attack.",
     "injured"),
])
def test_a_relative_who_tells_the_state_of_the_one_person_before_it(text: str, kind: str) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, 1)]


@pytest.mark.parametrize("text,kind", [
    ("Firefighter from Sequoia and Kings Canyon National Parks Killed on Ferguson Fire",
     "killed"),
    ("Worker at Steel Plant Killed", "killed"),
    ("Soldier in Mali Wounded", "injured"),
])
def test_a_headline_s_victim_before_a_prepositional_phrase(text: str, kind: str) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, 1)]


@pytest.mark.parametrize("text", [
    "Man who killed wife in Texas jailed",
    "Fire at Chemical Plant Under Control",
])
def test_a_headline_s_killer_or_place_is_no_victim(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text,count", [
    ("Half a dozen soldiers died in the ambush.", 6),
    ("Officials said half a hundred people were hurt.", 50),
])
def test_half_a_collective_is_half_its_number(text: str, count: int) -> None:
    assert [f.count for f in extract(text)] == [count]


@pytest.mark.parametrize("text,count", [
    ("There were no survivors among the 44 passengers and crew.", 44),
    ("None of the 12 people on board survived.", 12),
    ("None of the three victims survived their injuries.", 3),
])
def test_no_survivors_among_people_counted_is_their_death(text: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


@pytest.mark.parametrize("text", [
    "None of the 12 buildings survived.",
    "Two of the 44 people on board survived.",
    "Rescuers found 12 survivors among the 30 passengers.",
    "There were no survivors.",
])
def test_survivors_counted_or_things_that_survived_are_no_deaths(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text,kind,count", [
    ("Nearly all of the fatalities for the year, more than 87,000, occurred in one quake.",
     "killed", 87000),
    ("The dead in the attack, at least 40, included children.", "killed", 40),
    ("The injured from the crash, about 30, were taken to two hospitals.", "injured", 30),
])
def test_a_group_with_a_short_phrase_then_its_count_in_an_aside(
        text: str, kind: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, count)]


@pytest.mark.parametrize("text,count", [
    ("Rescuers recovered the body of a missing hiker.", 1),
    ("The body of a second victim was found on Tuesday.", 1),
    ("Twelve people are known dead.", 12),
    ("Nineteen people are now known to have died.", 19),
])
def test_a_body_counted_by_an_article_and_the_known_dead(text: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


@pytest.mark.parametrize("text", [
    "A governing body of 12 members met on Monday.",
    "Police found the body of his wife.",
])
def test_a_body_of_members_or_an_obituary_s_body_is_no_toll(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text,count", [
    ("Two hikers froze to death on the ridge.", 2),
    ("A man bled to death before help arrived.", 1),
    ("Four children starved to death in the camp.", 4),
    ("A boy was mauled to death by dogs.", 1),
])
def test_a_verb_of_its_own_before_to_death(text: str, count: int) -> None:
    """'froze to death', 'bled to death': the verb before 'to death' is the victims' state,
    with or without an auxiliary."""
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


@pytest.mark.parametrize("text", [
    "The man was sentenced to death.",
    "The guests were bored to death by the speech.",
])
def test_a_sentence_or_a_figure_of_speech_to_death_is_no_death(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text,kind", [
    ("The driver was taken to hospital with critical injuries.", "injured"),
    ("A female employee was treated at a hospital and released.", "injured"),
    ("The driver was rushed to a hospital but was declared dead on arrival.", "killed"),
    ("The teen was rushed to a hospital, where he later died.", "killed"),
])
def test_one_person_cared_for_is_injured_unless_told_dead_after(text: str, kind: str) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, 1)]


def test_one_person_read_by_two_shapes_is_one() -> None:
    read = extract("After the shooting, Gray was rushed to a hospital but was declared dead.")
    assert {f.count for f in read if f.kind == "killed"} == {1}
    assert not any(f.derived for f in read)


@pytest.mark.parametrize("text", [
    "A lineman was seriously injured when the pole snapped. He died of his injuries two days "
    "later.",
    "A cyclist was hurt in the crash. She later succumbed to her wounds.",
])
def test_the_one_injured_who_then_died_is_one_dead(text: str) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", 1)]


@pytest.mark.parametrize("text", [
    "Two workers were injured in the blast. He later died.",
    "A man was injured. He said he was fine.",
])
def test_a_pronoun_that_names_no_one_injured_changes_nothing(text: str) -> None:
    assert {f.kind for f in extract(text)} == {"injured"}


@pytest.mark.parametrize("text", [
    "A pedestrian was struck by a car and later died at the hospital.",
    "Pedestrian was struck by a car and killed.",
    "The worker was pinned under the beam and died.",
    "A woman was hit by a bus and killed.",
])
def test_one_victim_of_a_first_passive_verb_then_and_their_death(text: str) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", 1)]


@pytest.mark.parametrize("text", [
    "A man was arrested and charged with murder.",
    "The suspect was chased by officers and was shot dead.",
])
def test_a_first_verb_with_no_death_or_with_other_people_reads_no_victim(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text,count", [
    ("The gunman opened fire, killing Benjamin Banky and his son.", 2),
    ("The attack killed Ahmed Ali and two other villagers.", 3),
    ("Six Palestinians and an Israeli were killed.", 7),
    ("Police said the gunman killed Smith and fled.", 1),
])
def test_a_named_victim_or_a_nationality_in_a_list_of_victims(text: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


def test_a_nationality_before_its_noun_is_no_victim() -> None:
    assert [(f.kind, f.count) for f in extract("An Israeli official said two soldiers died.")] \
        == [("killed", 2)]


@pytest.mark.parametrize("text", [
    "Officials blame the blasts on militants who have killed hundreds this year in the region.",
    "The stampede follows a crane collapse earlier this month that killed 109 people.",
    "This war has killed more than 300,000 people.",
])
def test_a_running_total_of_this_period_is_a_part(text: str) -> None:
    read = extract(text)
    assert read and all(f.partial for f in read)


def test_a_bomb_and_the_year_s_running_total_give_the_bomb_s_toll_whole() -> None:
    text = ("A bomb killed five people in Kabul on Monday. Militants have killed more than 40 "
            "people in the city this year.")
    assert [(f.count, f.partial) for f in extract(text)] == [(5, False), (40, True)]


def test_this_week_s_toll_is_the_incident_s_own() -> None:
    assert [f.partial for f in extract("A bus crash this week killed 12 people.")] == [False]


@pytest.mark.parametrize("text,count", [
    ("The airstrike killed a family of five.", 5),
    ("A family of five was killed in the fire.", 5),
    ("The mother of two was killed in the crash.", 1),
])
def test_a_family_of_n_counts_its_members_a_mother_of_n_is_one(text: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", count)]


def test_a_family_left_behind_is_no_toll() -> None:
    assert extract("He leaves a family of three.") == []


# Session 6, after round 14 was scored: its misses read as classes, tested on wordings
# written here (subject, verb, number word or digit, tense, headline or body varied).
@pytest.mark.parametrize("text,kind,count", [
    ("Storm claims three lives in Texas", "killed", 3),
    ("Flood claims 16 lives", "killed", 16),
    ("The heat wave claims the lives of two farmworkers.", "killed", 2),
    ("Wildfire takes 5 lives in California", "killed", 5),
    ("The epidemic is taking the lives of 40 children a week.", "killed", 40),
    ("Bus plunge claims at least twenty-one lives", "killed", 21),
    ("Gunman slays three at a bar", "killed", 3),
    ("Landslide kills 9 villagers", "killed", 9),
    ("Train crash leaves 12 dead", "killed", 12),
    ("Bombing injures 14 shoppers", "injured", 14),
    ("Mortar fire wounds six soldiers", "injured", 6),
    ("Fireworks blast maims 4 children", "injured", 4),
])
def test_every_verb_of_death_or_injury_reads_in_its_third_person_singular(
        text: str, kind: str, count: int) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, count)]


@pytest.mark.parametrize("text", [
    "Woman stabbed to death",
    "Man beaten to death in park",
    "Police officer stabbed to death",
    "Teenager shot to death outside school",
    "Pensioner kicked to death in London",
    "Worker from Ohio crushed to death at plant",
])
def test_a_headline_s_bare_victim_told_by_violence_to_death_is_one_dead(text: str) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", 1)]


@pytest.mark.parametrize("text", [
    "Man sentenced to death for murder",
    "Woman scared to death by clown",
])
def test_a_headline_s_to_death_without_violence_is_no_death(text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize("text,kind", [
    ("Both of the pilots died.", "killed"),
    ("Both of them were injured in the blast.", "injured"),
    ("Both occupants of the car were pronounced dead", "killed"),
    ("Both drivers of the vehicles were hurt.", "injured"),
    ("Both passengers, a man and a woman, were pronounced dead at the scene.", "killed"),
    ("Both occupants of the truck, a father and his son, were killed.", "killed"),
    ("Both of its crew members drowned.", "killed"),
    ("Both balloonists, a man and his wife, died.", "killed"),
])
def test_both_with_an_of_phrase_or_an_apposition_counts_two(text: str, kind: str) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [(kind, 2)]


def test_both_things_named_in_an_apposition_are_no_victims() -> None:
    text = "Both vehicles, a car and a van, were destroyed and one man was killed."
    assert [(f.kind, f.count) for f in extract(text)] == [("killed", 1)]


@pytest.mark.parametrize("text", [
    "The explosion caused numerous fire and concussion injuries.",
    "The blast caused several burn and shrapnel injuries",
    "Dozens of people suffered head and leg injuries.",
    "Many passengers suffered serious or minor injuries.",
])
def test_coordinated_modifiers_before_an_injury_noun_read_the_injured(text: str) -> None:
    assert [(f.kind, f.vague) for f in extract(text)] == [("injured", True)]


def test_a_death_toll_and_coordinated_injuries_read_both() -> None:
    read = extract("The crash resulted in the deaths of two men and numerous other serious "
                   "head and leg injuries.")
    assert sorted((f.kind, f.count) for f in read) == [("injured", None), ("killed", 2)]


def test_a_count_after_and_is_no_modifier_of_the_injuries() -> None:
    read = extract("Two dead and three injuries were reported.")
    assert sorted((f.kind, f.count) for f in read) == [("injured", 3), ("killed", 2)]


@pytest.mark.parametrize("text", [
    "The new flooding comes just weeks after the river burst its banks, killing at least 48.",
    "The attack came two months after a bombing killed 40 people in the same market.",
    "The crash comes a year after another plane went down, killing all 150 on board.",
    "The shooting comes less than a week after a gunman injured nine people at a mall.",
    "A year after the earthquake that killed 300 people, survivors still live in tents.",
    "Months after a landslide that killed 12 villagers, the road is open again.",
])
def test_an_earlier_incident_told_by_the_time_since_it_is_a_part(text: str) -> None:
    read = extract(text)
    assert read and all(f.partial for f in read)


@pytest.mark.parametrize("text,whole", [
    ("Two days after the quake, the toll rose to 300.", 300),
    ("Two months after floods killed 48 people, the river rose again, killing 16.", 16),
    ("The new flooding, which has killed 16 people, comes weeks after the river burst its "
     "banks, killing at least 48.", 16),
    ("The ferry sank two days after leaving port, killing 30.", 30),
])
def test_the_current_incident_s_figures_beside_an_earlier_one_stay_whole(
        text: str, whole: int) -> None:
    assert [f.count for f in extract(text) if not f.partial] == [whole]


def test_an_earlier_incident_does_not_make_the_description_s_toll() -> None:
    text = ("Landslides kill 9 in the hills\n"
            "Landslides have killed nine people in the district. The new slides come just "
            "weeks after a cyclone struck the coast, killing at least 48 people.")
    toll = document_toll([f.as_dict() for f in extract(text)], "killed")
    assert toll is not None and toll.count == 9


@pytest.mark.parametrize("text", [
    "Rumors surfaced that the singer was found dead in her home.",
    "Rumours spread online that the actor, 45, had died.",
    "There were false reports that the footballer had been killed in a crash.",
    "A hoax claimed that 20 people were killed in the blast.",
    "Police denied reports that two people were killed.",
    "Reports that three soldiers were killed were denied by the army.",
    "The report that the president had died was a hoax.",
    "A fake news site reported that the rapper was shot dead.",
])
def test_a_rumour_a_hoax_or_a_denied_report_tells_no_casualty(text: str) -> None:
    assert extract(text) == []


def test_an_unconfirmed_report_hedges_its_figure() -> None:
    assert [(f.count, f.hedged) for f in extract(
        "Unconfirmed reports said that 12 people were killed.")] == [(12, True)]


@pytest.mark.parametrize("text,count", [
    ("Police dismissed claims that the attack was staged, saying 12 people were killed.", 12),
    ("The army said that 30 soldiers were killed, denying rumours of a mutiny.", 30),
    ("Police said that two people were killed and denied that it was terrorism.", 2),
])
def test_a_denial_beside_a_casualty_report_leaves_it_whole(text: str, count: int) -> None:
    assert [(f.count, f.hedged) for f in extract(text)] == [(count, False)]


def test_a_hoax_description_has_no_toll() -> None:
    text = ("Death hoax targets pop star\n"
            "Rumors surfaced on Tuesday that the singer was found dead at her home. Her "
            "publicist said she is alive and well.")
    assert document_toll([f.as_dict() for f in extract(text)], "killed") is None


@pytest.mark.parametrize("text", [
    "Both of the victims were taken to hospital with serious injuries.",
    "Both men were treated for burns.",
    "Both occupants of the car suffered minor injuries.",
])
def test_both_with_a_noun_counts_two_harmed(text: str) -> None:
    assert [(f.kind, f.count) for f in extract(text)] == [("injured", 2)]
