"""How a word becomes a keyword: its stem, and one keyword for the words that headlines
use interchangeably (pure data and lookup).

Two headlines about one story share few words, and often not the same word for the
same thing: "quake" and "earthquake", "blast" and "explosion", "gunman" and
"shooting", "Iranian" and "Iran". Each class below is read as a single keyword (its
first word's stem), and each demonym as its country's name. The classes were written
from general news English, not from any labelled story: event nouns and verbs of
disasters, violence, crime, justice, politics and business whose members a subeditor
swaps for length or tone. A word with another common sense in news is left out ("held"
the meeting, "strike" the labour dispute, "shot" the photograph, "named" the name, "cuts"
the rate), and "fired" from the dismissals, since its stem is the fire's.

Stems are the Snowball (Porter 2) English stemmer's, so "bombing", "bombings" and
"bombed" meet, and "fires" and "fired", while "united" and "units" stay apart.
"""

from __future__ import annotations

from collections.abc import Callable

import Stemmer  # type: ignore[import-not-found]  # PyStemmer ships no type hints

CLASSES: tuple[tuple[str, ...], ...] = (
    # disasters
    ("earthquake", "quake", "earthquakes", "quakes", "tremor", "tremors", "temblor",
     "temblors", "seismic"),
    ("explosion", "explosions", "blast", "blasts", "explode", "exploded", "explodes",
     "exploding", "bomb", "bombs", "bombing", "bombings", "bombed", "bomber", "bombers",
     "explosive", "explosives", "detonate", "detonated", "detonation"),
    ("fire", "fires", "blaze", "blazes", "ablaze", "inferno", "flames", "wildfire",
     "wildfires", "bushfire", "bushfires", "burn", "burns", "burned", "burnt", "burning"),
    ("flood", "floods", "flooding", "flooded", "floodwaters", "deluge", "inundated"),
    ("hurricane", "hurricanes", "typhoon", "typhoons", "cyclone", "cyclones"),
    ("landslide", "landslides", "mudslide", "mudslides", "landslip"),
    ("eruption", "erupt", "erupts", "erupted", "erupting", "eruptions"),
    ("crash", "crashes", "crashed", "collision", "collide", "collided", "wreck",
     "wreckage", "derail", "derailed", "derailment"),
    ("plane", "planes", "aircraft", "airliner", "airliners", "jet", "jetliner"),
    # violence and its toll
    ("shooting", "shootings", "shoot", "shoots", "shooter", "shooters", "gunman",
     "gunmen", "gunfire", "gunshot", "gunshots", "shootout"),
    ("killed", "kill", "kills", "killing", "killings", "dead", "die", "dies", "died",
     "dying", "death", "deaths", "deadly", "fatal", "fatally", "fatalities", "slain",
     "perish", "perished"),
    ("murder", "murders", "murdered", "murderer", "homicide", "homicides", "slaying",
     "slayings"),
    ("injured", "injure", "injures", "injuring", "injury", "injuries", "wounded",
     "wound", "wounds", "wounding", "hurt"),
    ("attack", "attacks", "attacked", "attacker", "attackers", "assault", "assaulted",
     "raid", "raids", "raided"),
    ("kidnap", "kidnapped", "kidnapping", "kidnappers", "abduct", "abducted",
     "abduction", "hostage", "hostages"),
    ("hijack", "hijacked", "hijacking", "hijackers", "commandeered"),
    ("pirate", "pirates", "piracy"),
    ("terrorist", "terrorists", "terrorism", "terror", "militant", "militants",
     "insurgent", "insurgents"),
    ("riot", "riots", "rioting", "rioters", "unrest", "clashes"),
    ("protest", "protests", "protested", "protesters", "protestors", "demonstrators",
     "demonstration", "demonstrations", "rally", "rallies"),
    # crime and justice
    ("arrested", "arrest", "arrests", "detained", "detain", "detention", "custody",
     "apprehended", "nabbed", "captured", "capture"),
    ("charged", "charge", "charges", "indicted", "indictment"),
    ("convicted", "conviction", "guilty", "verdict"),
    ("sentenced", "sentence", "sentences", "sentencing", "jailed", "imprisoned"),
    ("escape", "escaped", "escapes", "escapee", "escapees", "fugitive", "fled",
     "flee", "flees", "fleeing"),
    ("police", "cops", "cop", "policemen", "policeman"),
    ("stolen", "steal", "steals", "stole", "theft", "thefts", "robbery", "robbed",
     "heist"),
    # politics, work and business
    ("election", "elections", "elect", "elected", "vote", "votes", "voted", "voting",
     "voters", "ballot", "ballots", "polls"),
    ("resign", "resigns", "resigned", "resignation", "quit", "quits"),
    ("dismissed", "dismiss", "dismissal", "sacked", "sack", "ousted", "oust", "axed"),
    ("appointed", "appoint", "appoints", "appointment", "hired", "hire",
     "hires", "tapped"),
    ("acquire", "acquires", "acquired", "acquisition", "acquisitions", "buys", "buyout",
     "takeover", "purchase", "purchases", "purchased"),
    ("layoffs", "layoff", "redundancies"),
    # people headlines shorten
    ("mother", "mum", "mom", "mothers", "mums", "moms"),
    ("father", "dad", "fathers", "dads"),
    ("teenager", "teen", "teens", "teenagers", "teenage"),
    ("child", "children", "kid", "kids", "boy", "boys", "girl", "girls"),
)

# Country (as its name is written) -> the adjectives and demonyms that stand for it.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "Afghanistan": ("Afghan", "Afghans"), "Albania": ("Albanian", "Albanians"),
    "Algeria": ("Algerian", "Algerians"), "Argentina": ("Argentine", "Argentinian",
                                                          "Argentines", "Argentinians"),
    "Armenia": ("Armenian", "Armenians"), "Australia": ("Australian", "Australians"),
    "Austria": ("Austrian", "Austrians"), "Azerbaijan": ("Azerbaijani", "Azeri", "Azeris"),
    "Bangladesh": ("Bangladeshi", "Bangladeshis"), "Belarus": ("Belarusian", "Belarusians"),
    "Belgium": ("Belgian", "Belgians"), "Bolivia": ("Bolivian", "Bolivians"),
    "Bosnia": ("Bosnian", "Bosnians"), "Brazil": ("Brazilian", "Brazilians"),
    "Britain": ("British", "Briton", "Britons", "UK"), "Bulgaria": ("Bulgarian", "Bulgarians"),
    "Burma": ("Burmese", "Myanmar"), "Cambodia": ("Cambodian", "Cambodians"),
    "Cameroon": ("Cameroonian", "Cameroonians"), "Canada": ("Canadian", "Canadians"),
    "Chad": ("Chadian", "Chadians"), "Chile": ("Chilean", "Chileans"),
    "China": ("Chinese",), "Colombia": ("Colombian", "Colombians"),
    "Congo": ("Congolese",), "Croatia": ("Croatian", "Croat", "Croats", "Croatians"),
    "Cuba": ("Cuban", "Cubans"), "Cyprus": ("Cypriot", "Cypriots"),
    "Czechia": ("Czech", "Czechs"), "Denmark": ("Danish", "Dane", "Danes"),
    "Ecuador": ("Ecuadorian", "Ecuadorians"), "Egypt": ("Egyptian", "Egyptians"),
    "England": ("English",), "Eritrea": ("Eritrean", "Eritreans"),
    "Estonia": ("Estonian", "Estonians"), "Ethiopia": ("Ethiopian", "Ethiopians"),
    "Finland": ("Finnish", "Finn", "Finns"), "France": ("French",),
    "Georgia": ("Georgian", "Georgians"), "Germany": ("German", "Germans"),
    "Ghana": ("Ghanaian", "Ghanaians"), "Greece": ("Greek", "Greeks"),
    "Guatemala": ("Guatemalan", "Guatemalans"), "Haiti": ("Haitian", "Haitians"),
    "Honduras": ("Honduran", "Hondurans"), "Hungary": ("Hungarian", "Hungarians"),
    "Iceland": ("Icelandic", "Icelander", "Icelanders"), "India": ("Indian", "Indians"),
    "Indonesia": ("Indonesian", "Indonesians"), "Iran": ("Iranian", "Iranians"),
    "Iraq": ("Iraqi", "Iraqis"), "Ireland": ("Irish",), "Israel": ("Israeli", "Israelis"),
    "Italy": ("Italian", "Italians"), "Jamaica": ("Jamaican", "Jamaicans"),
    "Japan": ("Japanese",), "Jordan": ("Jordanian", "Jordanians"),
    "Kazakhstan": ("Kazakh", "Kazakhs"), "Kenya": ("Kenyan", "Kenyans"),
    "Korea": ("Korean", "Koreans"), "Kosovo": ("Kosovar", "Kosovars"),
    "Kuwait": ("Kuwaiti", "Kuwaitis"), "Kyrgyzstan": ("Kyrgyz",),
    "Laos": ("Lao", "Laotian"), "Latvia": ("Latvian", "Latvians"),
    "Lebanon": ("Lebanese",), "Liberia": ("Liberian", "Liberians"),
    "Libya": ("Libyan", "Libyans"), "Lithuania": ("Lithuanian", "Lithuanians"),
    "Malaysia": ("Malaysian", "Malaysians"), "Mali": ("Malian", "Malians"),
    "Mexico": ("Mexican", "Mexicans"), "Moldova": ("Moldovan", "Moldovans"),
    "Mongolia": ("Mongolian", "Mongolians"), "Morocco": ("Moroccan", "Moroccans"),
    "Mozambique": ("Mozambican", "Mozambicans"), "Nepal": ("Nepali", "Nepalese"),
    "Netherlands": ("Dutch", "Holland"), "Nicaragua": ("Nicaraguan", "Nicaraguans"),
    "Niger": ("Nigerien", "Nigeriens"), "Nigeria": ("Nigerian", "Nigerians"),
    "Norway": ("Norwegian", "Norwegians"), "Pakistan": ("Pakistani", "Pakistanis"),
    "Palestine": ("Palestinian", "Palestinians"), "Panama": ("Panamanian", "Panamanians"),
    "Paraguay": ("Paraguayan", "Paraguayans"), "Peru": ("Peruvian", "Peruvians"),
    "Philippines": ("Filipino", "Filipinos", "Philippine"), "Poland": ("Polish",),
    "Portugal": ("Portuguese",), "Qatar": ("Qatari", "Qataris"),
    "Romania": ("Romanian", "Romanians"), "Russia": ("Russian", "Russians"),
    "Rwanda": ("Rwandan", "Rwandans"), "Saudi": ("Saudis",),
    "Scotland": ("Scottish", "Scot", "Scots"), "Senegal": ("Senegalese",),
    "Serbia": ("Serbian", "Serb", "Serbs", "Serbians"), "Singapore": ("Singaporean",
                                                                     "Singaporeans"),
    "Slovakia": ("Slovak", "Slovaks"), "Slovenia": ("Slovenian", "Slovene", "Slovenes"),
    "Somalia": ("Somali", "Somalis", "Somalian", "Somalians"),
    "Spain": ("Spanish", "Spaniard", "Spaniards"), "Sudan": ("Sudanese",),
    "Sweden": ("Swedish", "Swede", "Swedes"), "Switzerland": ("Swiss",),
    "Syria": ("Syrian", "Syrians"), "Taiwan": ("Taiwanese",),
    "Tajikistan": ("Tajik", "Tajiks"), "Tanzania": ("Tanzanian", "Tanzanians"),
    "Thailand": ("Thai", "Thais"), "Tunisia": ("Tunisian", "Tunisians"),
    "Turkey": ("Turkish", "Turk", "Turks"), "Turkmenistan": ("Turkmen",),
    "Uganda": ("Ugandan", "Ugandans"), "Ukraine": ("Ukrainian", "Ukrainians"),
    "US": ("American", "Americans", "America"), "Uruguay": ("Uruguayan", "Uruguayans"),
    "Uzbekistan": ("Uzbek", "Uzbeks"), "Venezuela": ("Venezuelan", "Venezuelans"),
    "Vietnam": ("Vietnamese",), "Wales": ("Welsh",), "Yemen": ("Yemeni", "Yemenis"),
    "Zambia": ("Zambian", "Zambians"), "Zimbabwe": ("Zimbabwean", "Zimbabweans"),
}


_STEMMER = Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """The Snowball stem of a lower-case word."""
    return str(_STEMMER.stemWord(word))


def keyword_of(word: str) -> str:
    """The keyword of a lower-case word: its stem, or its class's (see :data:`CLASSES`,
    :data:`DEMONYMS`)."""
    return class_keyword(stem(word))


def class_keyword(term: str) -> str:
    """The keyword of the class ``term`` belongs to (itself when none). Acronyms are
    looked up unstemmed: "UK" is Britain."""
    return _CLASSES.get(term, term)


def head_word(term: str) -> str | None:
    """The word a class keyword stands for ("explosion" for "explos", "Iran" lower-cased
    for "iran"), None for a keyword of no class: what an event shows and a search of
    event keywords, which stems them again, finds as people write it."""
    return _HEADS.get(term)


def class_table(stem: Callable[[str], str]) -> dict[str, str]:
    """Each member's keyword (as ``stem`` reads a lower-case word) -> its class's keyword.
    A keyword in two classes would join unrelated stories, so that is refused."""
    owner: dict[str, str] = {}  # every member's keyword, the head's own included
    for words in [*CLASSES, *((country, *names) for country, names in DEMONYMS.items())]:
        head = stem(words[0].lower())
        for word in words:
            term = stem(word.lower())
            if owner.setdefault(term, head) != head:
                raise ValueError(f"{word!r} is in two classes ({owner[term]!r}, {head!r})")
    return {term: head for term, head in owner.items() if term != head}


_CLASSES = class_table(stem)
_HEADS = {stem(words[0].lower()): words[0].lower()
          for words in [*CLASSES, *((country, *names) for country, names in DEMONYMS.items())]}
