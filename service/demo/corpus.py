"""The replay corpus: the 23 May 2016 Jableh and Tartus bombings as outlets covered them,
written for tollwatch in its own words (figures, outlets and their order from the facts
sheet), mixed with unrelated news of the same days (pure data).

Times are minutes after 06:00 UTC on 23 May 2016, when the first blast hit Tartus.
A story with several versions is one item edited in place (same guid, new text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

START = datetime(2016, 5, 23, 6, 0, tzinfo=timezone.utc)
HOURS = 74  # two days of coverage, and the monitor's final count on 26 May


@dataclass(frozen=True)
class Version:
    minute: int
    title: str
    text: str


@dataclass(frozen=True)
class Story:
    outlet: str
    guid: str
    versions: tuple[Version, ...]
    event: str  # the corpus' own label, for the end-to-end test

    def at(self, minute: int) -> Version | None:
        """The version live at ``minute`` (None before the story appears)."""
        live = [v for v in self.versions if v.minute <= minute]
        return live[-1] if live else None


@dataclass(frozen=True)
class Outlet:
    slug: str
    name: str
    format: str  # rss | atom
    # its feed gives the headline only; the story is on the article page (full_text)
    headline_only: bool = False


OUTLETS = (
    Outlet("sana", "SANA", "rss"),
    Outlet("sohr", "Syrian Observatory for Human Rights", "atom"),
    Outlet("yahoo", "Yahoo News", "rss", headline_only=True),
    Outlet("cbs", "CBS News", "rss", headline_only=True),
    Outlet("afp", "AFP", "atom"),
    Outlet("reuters", "Reuters", "rss"),
    Outlet("bbc", "BBC News", "atom", headline_only=True),
    Outlet("guardian", "The Guardian", "rss"),
    Outlet("unnews", "UN News", "atom"),
    Outlet("rt", "RT", "rss"),
)
MAIN = "jableh-tartus"


def _main(outlet: str, guid: str, *versions: tuple[int, str, str]) -> Story:
    return Story(outlet, guid, tuple(Version(*v) for v in versions), MAIN)


# The seed event, in the order the figures moved (facts sheet, section "How the figures moved").
MAIN_STORIES = (
    _main("sana", "sana-1",
          (20, "Terrorist bombings hit Jableh and Tartus",
           "A series of terrorist explosions struck the coastal cities of Jableh and Tartus on "
           "Monday morning. The Interior Ministry said 20 people were killed in the first blasts."),
          (150, "Terrorist bombings in Jableh and Tartus kill 65 citizens",
           "Explosions targeted bus stations and a hospital in Jableh and Tartus. State media said "
           "65 citizens were killed, 45 in Jableh and 20 in Tartus."),
          (420, "Death toll of terrorist bombings in Jableh and Tartus rises to 78",
           "At least 78 citizens were killed in the terrorist bombings in Jableh and Tartus, SANA "
           "reported. Scores of people were injured, including 47 in Tartus.")),
    _main("sana", "sana-2",
          (600, "Health Ministry: more than 100 martyrs in Jableh and Tartus",
           "The Health Ministry said over 100 people were killed in the bombings of Jableh and "
           "Tartus, correcting its earlier figure.")),
    _main("sana", "sana-3",
          (1500, "Jableh and Tartus mourn victims of terrorist bombings",
           "Funerals were held in Jableh and Tartus for the victims of Monday's bombings. State "
           "media said 78 people were killed in the attacks on the bus stations and the hospital.")),
    _main("sohr", "sohr-1",
          (100, "Explosions in Jableh and Tartus kill dozens",
           "The Syrian Observatory for Human Rights documented at least 46 people killed in "
           "Jableh and Tartus, 31 in Tartus and 15 in Jableh. About 120 people were injured."),
          (360, "At least 101 killed in Jableh and Tartus bombings",
           "The Observatory documented 101 people killed in seven explosions in Jableh and "
           "Tartus, 53 in Jableh and 48 in Tartus. At least 120 people were wounded."),
          (660, "Death toll in Jableh and Tartus rises to 148",
           "The Observatory said 148 people were killed, 100 in Jableh and 48 in Tartus. At "
           "least 200 people were wounded in the bombings.")),
    _main("sohr", "sohr-2",
          (1845, "Jableh and Tartus toll rises to 154",
           "The death toll of the Jableh and Tartus bombings rose to 154, the Observatory said, "
           "106 of them in Jableh. More than 300 people were injured.")),
    _main("sohr", "sohr-3",
          (4380, "Final toll of Jableh and Tartus bombings reaches 184",
           "The Syrian Observatory for Human Rights said the Jableh and Tartus bombings killed "
           "184 people, 136 in Jableh and 48 in Tartus. At least 200 people were wounded.")),
    _main("afp", "afp-1",
          (110, "Blasts kill at least 46 in Syria regime strongholds Jableh and Tartus",
           "At least 46 people were killed in explosions in Jableh and Tartus, according to the "
           "Syrian Observatory for Human Rights. Some 120 people were wounded."),
          (240, "Blasts kill 72 in Syria regime strongholds Jableh and Tartus",
           "The Observatory said 72 people were killed in Jableh and Tartus in a series of "
           "blasts on the coast."),
          (400, "Jableh and Tartus bombings kill 101, monitor says",
           "The Britain-based Syrian Observatory said 101 people were killed in seven blasts in "
           "Jableh and Tartus, five by suicide bombers and two by car bombs."),
          (680, "Syria coastal bombings kill 148, monitor says",
           "The Observatory said 148 people were killed in the Jableh and Tartus bombings, while "
           "state media put the toll at 78.")),
    _main("afp", "afp-2",
          (1845, "Toll from Syria coastal bombings rises to 154",
           "The death toll from the bombings in Jableh and Tartus rose to 154, according to the "
           "Syrian Observatory for Human Rights.")),
    _main("reuters", "reuters-1",
          (360, "Bombings kill about 70 in Syrian government-held coastal cities",
           "Bombings in Jableh and Tartus killed about 70 people, a monitor said. Many more "
           "were wounded at bus stations and a hospital."),
          (720, "Islamic State bombings kill 148 in Syria's Jableh and Tartus",
           "The Syrian Observatory for Human Rights said 148 people were killed in the Jableh "
           "and Tartus bombings. State media said 78 people were killed.")),
    _main("yahoo", "yahoo-1",
          (300, "Bombs kill dozens in Syrian coastal cities of Jableh and Tartus",
           "A wave of bombings in Jableh and Tartus killed dozens of people on Monday, according "
           "to state media and a monitor."),
          (780, "Syria: Jableh and Tartus bombings kill 148, monitor says",
           "The bombs killed about 100 people in Jableh and another 48 in Tartus, the Syrian "
           "Observatory for Human Rights said.")),
    _main("cbs", "cbs-1",
          (480, "ISIS bombings in Syria's Jableh and Tartus kill more than 80",
           "Bombings in the coastal cities of Jableh and Tartus killed more than 80 people and "
           "wounded 200, officials said."),
          (840, "ISIS claims Syria bombings that killed 148",
           "The bombings in Jableh and Tartus killed 148 people, the Syrian Observatory for "
           "Human Rights said. A nurse, Huda al-Houshi, was among the dead.")),
    _main("guardian", "guardian-1",
          (560, "Isis bombings kill more than 120 in Syrian coastal cities",
           "More than 120 people were killed in Jableh and Tartus, according to the Syrian "
           "Observatory for Human Rights. Scores of people were wounded.")),
    _main("bbc", "bbc-1",
          (620, "Syria war: Jableh and Tartus bombings kill 145",
           "The Syrian Observatory for Human Rights said 145 people were killed, 97 in Jableh "
           "and 48 in Tartus.")),
    _main("rt", "rt-1",
          (200, "Over 60 feared dead in bombings in Syria's Jableh and Tartus",
           "Dozens of people were killed in a string of blasts in Jableh and Tartus, local "
           "media reported.")),
    _main("unnews", "un-1",
          (900, "Secretary-General condemns bombings in Jableh and Tartus",
           "UN Secretary-General Ban Ki-moon condemned the bombings in Jableh and Tartus and "
           "called for those responsible to be brought to justice.")),
    _main("unnews", "un-2",
          (1700, "WHO: attack on Jableh hospital violates international humanitarian law",
           "The World Health Organization said the bombing at the National Hospital in Jableh, "
           "where 43 people died, broke international humanitarian law.")),
)

# Unrelated news of the same days: (event label, minute, titles per outlet, shared facts).
# Each covering outlet writes its own headline; bodies share the facts in their own order.
OTHER_EVENTS: tuple[tuple[str, int, tuple[str, ...], tuple[str, ...]], ...] = (
    ("aleppo", 180, ("Shelling hits rebel-held districts of Aleppo",
                     "Aleppo shelling kills 12 as truce frays",
                     "Government barrel bombs strike eastern Aleppo"),
     ("Government aircraft dropped barrel bombs on rebel-held districts of eastern Aleppo.",
      "Rescue workers said 12 people were killed in the Aleppo shelling.",
      "Rebels fired mortars into government-held western Aleppo.")),
    ("daraya", 260, ("Daraya siege: aid convoy turned back again",
                     "UN says aid blocked from besieged Daraya",
                     "Truce dispute over Daraya deepens"),
     ("An aid convoy for the besieged Damascus suburb of Daraya was turned back at a checkpoint.",
      "Residents of Daraya have been under siege since 2012 and face severe food shortages.",
      "The United Nations called on the government to allow food into Daraya.")),
    ("qamishli", 1400, ("IS bombing in Qamishli kills Kurdish fighters",
                        "Car bomb hits Kurdish checkpoint in Qamishli"),
     ("A car bomb exploded at a Kurdish security checkpoint in Qamishli in north-eastern Syria.",
      "Kurdish officials said three fighters were killed in the Qamishli explosion.")),
    ("yemen", 240, ("Suicide bomber kills army recruits in Aden",
                    "Aden recruitment centre bombing kills 45",
                    "Islamic State claims Aden attack on recruits"),
     ("A suicide bomber struck army recruits queuing at a base in the Yemeni port city of Aden.",
      "Medical officials in Aden said 45 recruits were killed and 60 wounded.",
      "The recruits had gathered to enlist for the fight against Houthi rebels.")),
    ("fallujah", 120, ("Iraqi forces launch offensive to retake Fallujah",
                       "Battle for Fallujah begins as troops advance",
                       "Iraq says Fallujah operation under way"),
     ("Iraqi troops and allied militias began an offensive to retake Fallujah from Islamic State.",
      "Prime Minister Haider al-Abadi announced the Fallujah operation on state television.",
      "Thousands of civilians remain trapped inside Fallujah.")),
    ("austria", 90, ("Austria presidential vote goes to postal ballots",
                     "Van der Bellen edges ahead in Austrian election count",
                     "Austrian far right narrowly misses presidency"),
     ("Austria's presidential election hung on postal ballots after a near tie.",
      "Alexander Van der Bellen narrowly beat Norbert Hofer of the Freedom Party.",
      "Hofer conceded once the postal votes were counted in Vienna.")),
    ("vietnam", 60, ("Obama lifts arms embargo on Vietnam",
                     "Obama in Hanoi: US ends Vietnam arms ban",
                     "US and Vietnam turn page as arms embargo ends"),
     ("President Barack Obama announced in Hanoi that the United States would lift its arms embargo on Vietnam.",
      "Obama met President Tran Dai Quang at the presidential palace in Hanoi.",
      "The decision ends a ban in place for decades.")),
    ("summit", 300, ("World Humanitarian Summit opens in Istanbul",
                     "Leaders gather in Istanbul for humanitarian summit",
                     "Istanbul summit seeks aid reform"),
     ("The first World Humanitarian Summit opened in Istanbul with leaders from dozens of countries.",
      "Organisers in Istanbul said the summit aims to reform how aid reaches people in crises.",
      "Some aid groups, including Medecins Sans Frontieres, stayed away from the Istanbul talks.")),
    ("egyptair", 500, ("Search for EgyptAir MS804 black boxes continues",
                       "EgyptAir crash: investigators widen Mediterranean search"),
     ("Ships and aircraft searched the Mediterranean for the flight recorders of EgyptAir flight MS804.",
      "The Airbus A320 crashed on its way from Paris to Cairo with 66 people on board.")),
    ("cyclone", 700, ("Cyclone Roanu: Bangladesh counts the damage",
                      "Bangladesh cyclone leaves thousands homeless"),
     ("Cyclone Roanu battered the coast of Bangladesh over the weekend.",
      "Officials in Chittagong said 24 people were killed and thousands of homes destroyed.")),
    ("idomeni", 1560, ("Greek police begin clearing Idomeni camp",
                       "Migrants moved from Idomeni as Greece clears border camp",
                       "Idomeni evacuation under way at Macedonian border"),
     ("Greek police began moving migrants from the makeshift camp at Idomeni on the Macedonian border.",
      "About 8,400 people were living at the Idomeni camp.",
      "Buses took migrants to reception centres near Thessaloniki.")),
    ("taliban", 400, ("Taliban confirm leader Mansour killed in US drone strike",
                      "Afghan Taliban leader Mullah Mansour confirmed dead"),
     ("Afghan officials confirmed that Taliban leader Mullah Akhtar Mansour was killed in a US drone strike in Balochistan.",
      "The strike hit a car in a remote area of Pakistan near the Afghan border.")),
    ("wildfire", 900, ("Fort McMurray residents prepare to return",
                       "Alberta wildfire: Fort McMurray return plan set"),
     ("Officials in Alberta set out a plan for residents to return to Fort McMurray in June.",
      "The wildfire forced about 88,000 people to flee the oil sands city.")),
    ("srilanka", 1100, ("Sri Lanka floods: landslide search ends",
                        "Sri Lanka landslides and floods kill dozens"),
     ("Rescuers in Sri Lanka ended the search for people buried by landslides in Aranayake.",
      "Officials said 92 people were killed by the floods and landslides and more than 100 were missing.")),
)
_OTHER_OUTLETS = ("reuters", "afp", "bbc", "guardian", "yahoo", "cbs", "rt")


def other_stories() -> tuple[Story, ...]:
    """Each unrelated event covered by several outlets, each with its own headline and
    the shared facts in a different order; a few are re-run the next day."""
    stories = []
    for n, (label, minute, titles, facts) in enumerate(OTHER_EVENTS):
        for k in range(5):
            outlet = _OTHER_OUTLETS[(n + k) % len(_OTHER_OUTLETS)]
            title = titles[k % len(titles)]
            body = " ".join(facts[(k + i) % len(facts)] for i in range(len(facts)))
            for day in (0, 1440):
                stories.append(Story(outlet, f"{outlet}-{label}-{k}-{day}",
                                     (Version(minute + 17 * k + day, title, body),), label))
    return tuple(stories)


def stories() -> tuple[Story, ...]:
    return MAIN_STORIES + other_stories()


def minute_of(when: datetime) -> int:
    return int((when - START) / timedelta(minutes=1))
