"""Word lists the extractor matches against. Lower-case; phrases as tuples of words."""

from __future__ import annotations

# "N people were killed", "three dead", "both died": words after the victims.
KILLED_STATE = {
    "killed", "dead", "died", "die", "dies", "perished", "slain", "murdered", "massacred",
    "executed", "drowned", "drown", "drowns", "fatalities", "fatality", "deaths", "bodies",
    "lives", "succumbed",
}
# Verbs of a death by its cause, as accident reports tell it ("a lineman was electrocuted",
# "two workers were asphyxiated"): states of the dead like "killed".
DEATH_BY = {"electrocuted", "asphyxiated", "decapitated"}  # not "suffocated", "strangled":
# said of feelings and economies as often ("left many feeling suffocated")
KILLED_STATE |= DEATH_BY
INJURED_STATE = {"injured", "wounded", "hurt", "injuries"}
# "killing N", "wounded N": words before the victims.
KILL_VERBS = {
    "killed", "killing", "kills", "kill", "murdered", "murdering", "executed", "executing",
    "massacred", "slew", "slaying", "slaughtered", "slays", "executes",
}
INJURE_VERBS = {"injured", "injuring", "injures", "injure", "wounded", "wounding", "wounds",
                "hurt", "hurting", "maimed", "maiming", "maims"}
LEAVE_VERBS = {"left", "leaving", "leaves", "leave"}
# Verbs whose object a count right after them is: "killed 11 people" ("left" is not one:
# "left 3 people and 2 children dead" tells the state after its objects).
OBJECT_VERBS = KILL_VERBS | INJURE_VERBS
# "took the lives of", "claiming the life of"; a headline's present ("Storm claims three
# lives", "Fire takes the lives of two"): every form of the two verbs.
TAKE_LIFE = {"took", "taken", "takes", "taking", "take", "claimed", "claiming", "claims",
             "claim"}
# "the loss of 30 lives": a noun that takes lives as a verb of TAKE_LIFE does.
LOSS = {"loss", "losses"}
# Words allowed between a verb of state and the victims: "were killed", "have reportedly died".
AUXILIARIES = {
    "was", "were", "is", "are", "be", "been", "being", "have", "has", "had", "all", "also",
    "reportedly", "later", "now", "since", "confirmed", "believed", "feared", "thought",
    "said", "to", "pronounced", "found", "shot", "and", "fatally", "critically", "seriously",
    "badly", "slightly", "lightly", "gravely", "mortally", "instantly", "immediately",
    "apparently", "initially", "subsequently", "allegedly", "burned", "burnt", "stabbed",
    "beaten", "crushed", "left", "officially", "either", "both", "still", "gunned",
    "hacked", "reported", "declared", "listed", "known",
}
# "were listed as injured", "was confirmed as dead": a count told as a record's entry.
LISTED_AS = {"listed", "reported", "confirmed", "counted", "registered", "recorded"}
# Auxiliaries that make the victims the subject of a passive: "were (shot and) killed".
PASSIVE = {"was", "were", "is", "are", "been", "being", "be"}
# "shot and killed", "stabbed and wounded": violence verbs joined by "and" to the state.
VIOLENCE = {"shot", "stabbed", "beaten", "hacked", "burned", "burnt", "gunned", "attacked",
            "crushed", "struck", "hit", "run"}
# Verbs of a death told with "to death" and no auxiliary: "a man bled to death", "two
# hikers froze to death" (with an auxiliary, "were trampled to death", any verb reads).
TO_DEATH_VERBS = {"bled", "froze", "starved", "burned", "burnt", "choked", "drowned",
                  "mauled", "trampled"}
# Words meaning the victims lived: "nearly killed", "survived".
SURVIVED = {"nearly", "almost", "narrowly", "survived", "escaped", "avoided", "spared"}
HYPOTHETICAL = {"could", "would", "might", "may", "can", "will", "shall", "to", "potentially",
                "possibly", "threatened", "threatening", "vowed", "plotted", "planned",
                "trying", "tried", "attempted", "attempting", "enough", "capable", "if",
                "should", "must", "wanted", "intended", "aimed", "how", "purpose", "intent",
                "intention", "plot", "plan", "threat", "threatens", "threaten", "risk"}
NEGATIONS = {"no", "not", "none", "nobody", "never", "without", "no-one", "noone"}
PERSONS = {
    "people", "persons", "person", "civilians", "civilian", "children", "child", "kids", "kid",
    "men", "man", "women", "woman", "boys", "boy", "girls", "girl", "soldiers", "soldier",
    "troops", "officers", "officer", "policemen", "policeman", "police", "workers", "worker",
    "employees", "employee", "students", "student", "passengers", "passenger", "residents",
    "resident", "villagers", "pilgrims", "worshippers", "protesters", "protestors",
    "demonstrators", "others", "victims", "victim", "individuals", "adults", "teenagers",
    "teenager", "infants", "babies", "baby", "patients", "patient", "doctors", "doctor",
    "nurses", "nurse", "staff", "members", "member", "guards", "guard", "personnel",
    "bystanders", "pedestrians", "pedestrian", "tourists", "tourist", "miners", "crew",
    "sailors", "firefighters", "firefighter", "rescuers", "journalists", "journalist",
    "deputies", "deputy", "troopers", "trooper", "inmates", "inmate", "prisoners", "prisoner",
    "fans", "spectators", "customers", "shoppers", "climbers", "climber", "hikers",
    "family", "relatives", "daughters", "sons", "daughter", "son", "mother", "father", "wife",
    "husband", "grandmother", "grandfather", "brother", "sister", "mom", "dad", "receptionist",
    "pensioner", "driver", "drivers", "motorist", "motorists", "cyclist", "cyclists", "player",
    "players", "agents", "agent", "marines", "marine", "servicemen", "fighters", "militiamen",
    "detainees", "refugees", "migrants", "teachers", "teacher", "schoolchildren", "pupils",
    "toddler", "youth", "youths", "citizens", "nationals", "foreigners", "americans",
    "syrians", "iraqis", "afghans", "israelis", "palestinians", "iranians", "colleagues",
    "co-workers", "coworkers", "partygoers", "guests", "visitors", "commuters", "casualties",
    "more", "dead", "adult", "elderly", "newlywed", "actor", "actress", "singer", "star",
    "bankers", "officials", "official", "technician", "technicians", "co-worker", "manager",
    "managers", "accountant", "executive", "veteran", "grandson", "granddaughter",
    "mountaineer", "mountaineers", "skier", "swimmer", "fisherman", "fishermen", "volunteers", "paramedics", "medics", "aid",
    "humanitarian", "firemen", "fireman", "cop", "cops", "chief", "pilot", "pilots",
    "farmer", "farmers", "trader", "traders", "shopkeeper", "shopkeepers", "vendor",
    "vendors", "labourer", "labourers", "laborer", "laborers", "shepherd", "shepherds",
    "neighbour", "neighbours", "neighbor", "neighbors", "hiker", "girlfriend", "boyfriend",
    "ex-girlfriend", "ex-boyfriend", "ex-wife", "ex-husband", "fiancee", "fiance", "partner",
    "friend", "friends", "niece", "nephew", "cousin", "aunt", "uncle", "stepson",
    "stepdaughter", "pharmacist", "engineer", "engineers", "lawyer", "lawyers", "priest",
    "priests", "imam", "professor", "clerk", "cashier", "mechanic", "contractor",
    "contractors", "surgeon", "villager", "mayor", "governor", "prosecutor", "judge",
    "commander", "president", "minister", "leader", "leaders", "ambassador", "diplomat",
    "diplomats", "envoy", "captain", "lieutenant", "sergeant", "colonel", "sheriff",
    "constable", "inspector", "spokesman", "reporter", "reporters", "photographer",
    "cameraman", "correspondent", "activist", "activists", "lawmaker", "senator",
    "politician", "cleric", "clerics", "bishop", "monk", "monks", "nun", "nuns", "pastor",
    "rabbi", "owner", "landlord", "tenant", "homeowner", "hostage", "hostages", "other",
    "peacekeeper", "peacekeepers", "policewoman", "servicewoman", "serviceman", "townspeople",
    "occupants", "occupant", "inhabitants", "survivor", "mourners", "worshipers",
    "assistant", "assistants", "aide", "aides", "staffer", "staffers", "conductor",
    "conductors", "helper", "helpers", "interpreter", "interpreters", "educators",
    "instructors", "lecturers", "schoolteachers", "headteachers",
}
# People named by what they do or where they are, as accident, disaster and military
# reports name them ("a rock truck operator was seriously injured", "a crewmember was
# hurt", "a male was killed"): written from general English, not from any labelled text.
PERSONS |= {
    "operators", "males", "females", "crewmembers", "crewman", "crewmen", "servicemembers",
    "airmen", "airman", "seamen", "seaman", "linemen", "lineman", "electricians",
    "welders", "carpenters", "plumbers", "roofers", "loggers", "truckers", "mechanics",
    "machinists", "foremen", "foreman", "supervisors", "laborers", "ironworkers",
    "riggers", "painters", "installers", "janitors", "guards", "watchmen", "watchman",
    "motorcyclists", "bicyclists", "riders", "boaters", "kayakers", "canoeists", "divers",
    "swimmers", "surfers", "snowmobilers", "campers", "hunters", "anglers", "fishers",
    "skiers", "snowboarders", "mountaineers", "tenants", "homeowners", "occupants",
    "residents", "travelers", "travellers", "vacationers", "holidaymakers", "motorists",
    "pedestrians", "crossers", "students", "schoolboys", "schoolgirls", "toddlers",
    "newborns", "infants", "teens", "seniors", "retirees", "pensioners", "worshippers",
    "parishioners", "congregants", "pilgrims", "mourners", "spectators", "onlookers",
    "concertgoers", "moviegoers", "clubgoers", "revellers", "revelers", "paramedics",
    "emts", "dispatchers", "responders", "lifeguards", "rangers", "wardens", "troopers",
    "deputies", "constables", "gendarmes", "soldiers", "conscripts", "recruits",
    "reservists", "guardsmen", "guardsman", "paratroopers", "infantrymen", "infantryman",
    "sailors", "corporals", "specialists", "contractors", "subcontractors", "technicians",
    "inspectors", "surveyors", "pilots", "copilots", "navigators", "attendants",
    "stewards", "stewardesses", "deckhands", "fishermen", "trawlermen", "stevedores",
    "dockworkers", "longshoremen", "longshoreman", "firefighters", "smokejumpers",
    "miners", "quarrymen", "drillers", "roughnecks", "farmhands", "herders", "herdsmen",
    "herdsman", "nomads", "porters", "sherpas", "guides", "caretakers", "caregivers",
    "nannies", "maids", "cooks", "waiters", "bartenders", "cashiers", "clerks",
    "shopkeepers", "peddlers", "hawkers", "rescuers", "searchers", "evacuees", "survivors",
    "hostages", "captives",
}
# Plurals whose singular is an adjective as often as a person ("a national army", "a
# relative calm", "Iranian officials": every nationality): their singular is no person noun.
_ADJECTIVE_SINGULARS = {"national", "relative", "individual", "troop", "american", "afghan",
                        "iranian", "iraqi", "israeli", "palestinian", "syrian"}
# A person noun counts in both numbers: the singular of every regular plural above is one
# too ("colleagues" and "a colleague", "Americans" and "an American").
PERSONS |= {word[:-1] for word in PERSONS if word.endswith("s") and not word.endswith(
    ("ss", "ies"))} - _ADJECTIVE_SINGULARS
# Those singulars that name a person where a noun is due, right before the state: "Six
# Palestinians and an Israeli were killed".
NATIONALITIES = _ADJECTIVE_SINGULARS - {"national", "relative", "individual", "troop"}
# "2 reports of fatalities", "12 reports of injuries": each report tells of one victim.
REPORT_NOUNS = {"reports", "report", "accounts"}
# Nouns after a number that make it a count of something other than victims.
NOT_VICTIMS = {
    "bombs", "bomb", "blasts", "blast", "explosions", "explosion", "attacks", "attack",
    "bombers", "bomber", "attackers", "attacker", "gunmen", "gunman", "assailants",
    "assailant", "suspects", "suspect", "militants", "cities", "city", "towns", "villages",
    "years", "year", "months", "month", "weeks", "week", "days", "day", "hours", "hour",
    "minutes", "minute", "seconds", "miles", "mile", "km", "kilometres", "kilometers",
    "metres", "meters", "feet", "cars", "car", "vehicles", "houses", "homes", "buildings",
    "rounds", "shots", "bullets", "times", "percent", "per", "cent", "points", "games",
    "goals", "runs", "dollars", "euros", "pounds", "million", "billion", "incidents",
    "counts", "charges", "sentences", "shells", "rockets", "missiles", "strikes", "raids",
    "floors", "storeys", "stories", "degrees", "magnitude", "am", "pm", "a.m", "p.m",
    "o'clock", "ft", "m", "cm", "kg", "lb", "lbs", "mph", "gmt", "utc", "dozen", "hundred", "sites", "locations", "places", "wars",
    "terms", "seasons", "counties", "provinces", "districts", "countries",
    "families", "households", "shelters", "schools", "hospitals", "fires", "aftershocks",
    "tremors", "quakes", "earthquakes", "shootings", "murders", "homicides", "crimes",
    "cats", "cat", "dogs", "dog", "horses", "cattle", "animals", "sheep", "birds", "pets",
    "cows", "goats", "chickens", "cases", "votes", "seats", "bills", "laws", "lawsuits", "trials", "jurors",
}
# States a count can be in that are not casualties: "six missing and 25 injured" counts
# six missing people, not six of the injured.
OTHER_STATES = {"missing", "displaced", "evacuated", "trapped", "arrested", "detained",
                "rescued", "affected", "homeless", "unaccounted", "stranded", "sheltered",
                "abducted", "kidnapped"}
# Time adjuncts that may stand between a death noun and its victims: "the killing on 15
# January of one peacekeeper", "the deaths yesterday of two soldiers".
TIME_WORDS = {"yesterday", "today", "overnight", "tonight", "earlier", "recently"}
WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# Perpetrators: their deaths are not the victims' toll ("five suicide bombers died").
PERPETRATORS = {"bombers", "bomber", "attackers", "attacker", "gunmen", "gunman",
                "assailants", "assailant", "suspects", "suspect", "militants", "terrorists",
                "jihadists", "hijackers", "shooter", "shooters", "perpetrators",
                "kidnappers", "kidnapper", "abductors", "abductor", "hostage-takers",
                "assassins", "assassin", "raiders", "pirates"}
QUALIFIERS = [
    (("at", "least"), "at least"), (("no", "fewer", "than"), "at least"),
    (("no", "less", "than"), "at least"), (("a", "minimum", "of"), "at least"),
    (("more", "than"), "more than"), (("over",), "more than"), (("upwards", "of"), "more than"),
    (("in", "excess", "of"), "more than"), (("well", "over"), "more than"),
    (("nearly",), "nearly"), (("almost",), "nearly"), (("close", "to"), "nearly"),
    (("just", "under"), "nearly"), (("up", "to"), "up to"), (("as", "many", "as"), "up to"),
    (("about",), "about"), (("around",), "about"), (("approximately",), "about"),
    (("roughly",), "about"), (("some",), "about"), (("an", "estimated"), "about"),
    (("estimated",), "about"), (("fewer", "than"), "less than"), (("less", "than"), "less than"),
    (("under",), "less than"), (("another",), "exact"), (("a", "further"), "exact"),
    (("at", "most"), "up to"), (("other",), "exact"), (("all",), "exact"),
    # An article and a word of summing before the number: "killed a cumulative 212 people",
    # "a combined 40", "a total of 33": the number itself, exact ("cumulative" also marks a
    # period's running total: reader._period_total).
    (("an", "additional"), "exact"),
    (("a", "cumulative"), "exact"), (("a", "combined"), "exact"), (("a", "total", "of"), "exact"),
    (("a", "running", "total", "of"), "exact"),
]
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
# A period whose running total many incidents share: "so far this year", "since the
# beginning of the monsoon season", "since the start of the war".
PERIOD_NOUNS = {"year", "season", "month", "week", "period", "war", "conflict", "crisis",
                "hostilities", "outbreak", "epidemic", "monsoon", "winter", "summer"}
PERIOD_OPENERS = {"start", "beginning", "onset", "outset"}
# Periods that "this" names as a running total's ("killed hundreds this year", "this war has
# killed"); a week or a month only after "earlier" (this week's toll is the incident's own).
RUNNING_PERIODS = {"year", "season", "war", "conflict", "crisis", "outbreak", "epidemic",
                   "monsoon"}
CUMULATIVE_WORDS = {"cumulative", "cumulatively"}
# An earlier incident told by the time since it: "The new flooding comes just weeks after
# the river burst its banks, killing at least 48", "two months after an earthquake that
# killed 300". The verbs that set the report after it (the whole rest of the sentence is
# then the earlier incident's), the spans long enough to be another incident without them
# (not days or weeks: "died two days after the crash that injured five" is the same one),
# every span, and the words that may open a span ("just weeks", "less than a year").
SEQUENCE_VERBS = {"comes", "came", "come", "coming", "follows", "followed"}
LONG_SPANS = {"month", "months", "year", "years", "decade", "decades"}
SPANS = LONG_SPANS | {"day", "days", "week", "weeks"}
SPAN_OPENERS = {"just", "only", "barely", "mere", "nearly", "almost", "about", "some",
                "several", "few", "a", "an", "less", "more", "than", "over", "under"}
FAMILY_OF = {"mother", "father", "mom", "dad", "parent", "parents", "grandmother",
             "grandfather", "grandparents", "mum"}
# Person nouns that are plural without an -s.
IRREGULAR_PLURALS = {"people", "police", "children", "men", "women", "staff", "crew",
                     "personnel", "dead", "more", "aid", "elderly", "youth", "family"}
# Capitalised words that do not name a victim: pronouns, determiners, institutions.
NOT_NAMES = {
    "he", "she", "it", "they", "this", "that", "who", "one", "everyone", "someone", "nobody",
    "no", "the", "a", "an", "police", "his", "her", "their", "its", "there", "what",
    "which", "nothing", "somebody", "anybody", "anyone", "all", "none", "each", "another",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "but",
    "and", "when", "if", "as", "because", "after", "before", "later", "then", "while",
    "sadly", "tragically", "government", "army", "state", "ministry", "department",
    "no-one", "in", "at", "on", "by", "for", "of", "with", "from", "to", "amid", "over",
    "into", "near", "during", "say", "says", "said",
}
# Every shape the reader knows needs one of these words in the sentence: a sentence
# without any is skipped before it is tokenised (most sentences of a news text).
CUES = frozenset(KILLED_STATE | INJURED_STATE | KILL_VERBS | INJURE_VERBS | {
    "death", "deaths", "toll", "casualties", "casualty", "fatalities", "shot", "fatally",
    "drowning", "drownings", "transported",
    "life", "gunned",
    "wounds", "wound", "injuries", "injury", "burns", "fractures",
    "treated", "hospitalised", "hospitalized", "gunshots", "gunshot",
    "survived", "survivors", "body",
})
# Words after which a subject may start: "police said a policeman and two villagers were
# killed", "when the driver and a passenger died".
CLAUSE_OPENERS = {"that", "when", "after", "as", "while", "because", "where", "and", "but",
                  "said", "says", "say", "reported", "told", "then"}
# Person nouns that say only that the victims are people: "killed three people, a man and
# two women" names the three again, where "two soldiers, a policeman and a child" adds.
GENERAL_PERSONS = {"people", "persons", "individuals", "victims", "others", "civilians"}
# Person nouns that head no counted victim in a list: "two more", "the dead", "an aid ...".
NOT_HEADS = {"more", "dead", "other", "others", "aid", "humanitarian", "elderly", "casualties"}
# A state told after the victims' own predicate, past a mark or "and": "13 educators ...
# paid a most terrible price in the conflict - killed in an airstrike", "Ten hikers were
# caught in the avalanche and killed". The participle or verb, its kind, and what may join it
# to the predicate; words that open another clause, or hand the state to someone else,
# before it; and how many words the predicate may run.
FAR_STATES = {"killed": "killed", "slain": "killed", "murdered": "killed", "died": "killed",
              "drowned": "killed", "injured": "injured", "wounded": "injured", "hurt": "injured"}
FAR_JOINS = {",", "-", "–", "—", "and"}
FAR_STOPS = {".", ";", ":", "(", ")", "?", "!", "who", "whom", "whose", "which", "that", "but",
             "while", "when", "after", "before", "because", "as", "if", "or", "said", "says",
             "him", "her", "them", "it", "he", "she", "they", "we", "i", "you"}
FAR_REACH = 18
# "and another wounded", "a third employee wounded": one more victim after those told.
ONE_MORE = {"another", "third", "fourth", "fifth"}
# "a third", "another": one more victim, named by its place in a list.
ORDINAL_ONE = {"second", "third", "fourth", "fifth", "sixth", "seventh", "another", "one"}
# Words that end a victim phrase ("three people said", "two men in Homs").
BREAKS = {"said", "says", "say", "told", "in", "at", "on", "after", "before", "when",
    "while", "by", "with", "from", "for", "against", "into", "during", "than", "as",
    "that", "which", "who", "where", "but", "or", "and", "the", "a", "an", "this",
    "were", "was", "of", "to"}
# Marks and words that close a clause: a figure is not read across them.
CLAUSE_END = {",", ";", ".", ":", "(", ")", "but", "while", "which", "who", "-", "—"}
# States a single, already named victim can be in: "a nurse was killed".
STATE_WORDS = {"killed", "died", "dead", "injured", "wounded", "hurt", "slain", "murdered",
    "dies", "death", "succumbed", "drowned", "perished"} | DEATH_BY
# States that need no auxiliary after a single victim: "a soldier died", "... succumbed to
# his injuries", "a man drowned".
DIED = {"died", "dies", "succumbed", "drowned", "perished"}
# The states a headline gives a victim without an auxiliary: "Soldier killed in ambush".
HEADLINE_STATES = {"killed", "dead", "injured", "wounded", "hurt", "slain", "murdered"}
# Participles of violence whose "to death" is a headline's state too ("Woman stabbed to
# death", "Man beaten to death in park"): not "sentenced", "scared" or "bored to death".
TO_DEATH_PARTICIPLES = VIOLENCE | TO_DEATH_VERBS | {
    "kicked", "clubbed", "bludgeoned", "battered", "tortured", "stoned", "strangled", "gored",
    "hacked", "knifed", "bitten", "savaged", "pummelled", "pummeled"}
# "two of the wounded": nouns of a group already counted, and the kind they are (None:
# the state must be told after them, "three of the victims died").
GROUPS: dict[str, str | None] = {
    "dead": "killed", "killed": "killed", "injured": "injured", "wounded": "injured",
    "victims": None, "casualties": None}
# Toll nouns that may be followed by the victims listed: "the death of a soldier and one
# peacekeeper".
DEATH_NOUNS = {"death", "deaths", "killing", "killings", "bodies", "drowning", "drownings"}
# Words that open an aside counting a part of the victims ("14 people, most of them women
# and children who had gathered at the market, were killed"), and how far it may run.
SUBSET_OPENERS = {"including", "among", "most", "many", "mostly", "mainly", "some", "all",
                  "several", "half", "majority", "nearly", "almost"}
ASIDE_REACH = 26
# How far a relative clause or prepositional phrases may run between the victims and their
# own verb ("Two men from the village of Kafr Nabl in the province of Idlib were killed").
MODIFIER_REACH = 16
# How many words an aside in brackets may run between the victims and their state.
BRACKET_REACH = 40
# Dashes that open and close an aside: "the receptionist -- Madeline Kafoury -- was".
DASHES = {"-", "—", "–"}
# What a victim suffers or sustains: "suffered stab wounds".
HARM = {"wounds", "wound", "injuries", "injury", "burns", "fractures", "gunshots",
    "gunshot"}
# "suffered stab wounds", "sustained burns", "is recovering from gunshots", "survived an
# injury to her arm": harm to a victim.
RECOVER_VERBS = {"recovering", "recovers", "recovered"}
# Verbs that say the harm was done to the victim, fatal harm included ("suffered fatal
# injuries", "received fatal injuries"); "survived fatal wounds" is none of them.
HARM_VERBS = {"suffered", "sustained", "suffering", "sustaining", "received", "suffers",
              "sustains", "receives"}
SUFFER_VERBS = HARM_VERBS | {"survived"} | RECOVER_VERBS
# Where a wound is: "shot in the arm".
BODY = {"arm", "arms", "leg", "legs", "hand", "hands", "foot", "feet", "shoulder",
    "shoulders", "back", "chest", "stomach", "abdomen", "hip", "thigh", "knee", "ankle",
    "neck", "face", "buttocks", "torso", "side", "wrist", "elbow", "jaw", "cheek"}
# "from Zinbi village", "the town of Qeshm".
PLACE_NOUNS = {"village", "town", "city", "province", "district"}
# "the 2012 attack": a dated event before the one reported.
PAST_EVENTS = {"attack", "attacks", "bombing", "bombings", "quake", "earthquake", "riots",
    "killings", "massacre", "tsunami", "shooting", "war", "crash", "fire", "flood",
    "floods", "uprising", "revolution", "explosion", "blast", "hurricane", "storm",
    "disaster", "siege", "offensive", "invasion"}
# Words between a named victim and the state: "was (then) shot and killed", "lay dead".
BEFORE_STATE = AUXILIARIES | VIOLENCE | {
    "then", "later", "shortly", "his", "her", "to", "and", "lay", "lies"}
# "were treated for injuries", "taken to hospital with burns": injured, told by the care.
TREATED = {"treated", "hospitalised", "hospitalized", "admitted", "taken", "rushed",
           "airlifted", "evacuated", "receiving", "received", "underwent", "transported"}
# "fatally injured", "mortally wounded", "fatally shot": harm that killed (NTSB reports,
# casualty notices): the victims are the dead, not the injured.
FATALLY = {"fatally", "mortally"}
# "suffered fatal injuries", "died of mortal wounds": harm that killed.
FATAL = {"fatal", "mortal"}
# How far into a sentence a release's dateline may end ("MARINE CORPS BASE CAMP PENDLETON,
# Calif. (July 31, 2020) --"): a date there is the release's, not an earlier event's.
DATELINE_REACH = 15
# The shapes that read one person as the subject of their own harm ("a nurse was killed",
# "the pilot sustained serious injuries"): two such in a sentence are two victims.
ONE_VICTIM_RULES = {"single-victim", "suffered"}
# Adverbs of time between a subject and its verb: "He later died", "she then succumbed".
THEN_WORDS = {"later", "then", "subsequently", "eventually", "also", "since"}
# Words that name victims as told before: "the operator died from her injuries", "both
# died", "all three later died".
TOLD_BEFORE = {"the", "both", "all"}
# How many years before the item's a report's opening date may fall and still be the day it
# tells ("On July 12, 2024, ..." in a final report published in 2025).
REPORT_LAG_YEARS = 1
# "is reported to have claimed 82 lives", "are believed to have killed 40": words after
# which "to have" reports a harm (hedged where a HEDGES word says so), not a hypothetical.
REPORTED_TO = {"reported", "believed", "said", "thought", "feared", "known", "understood",
               "estimated", "presumed", "confirmed"}
# "feared dead", "believed killed", "thought to have died": a figure not yet confirmed.
HEDGES = {"feared", "believed", "presumed", "thought", "possibly", "probably", "likely"}
# Reports of a death or an injury that are no casualty report: "Rumors surfaced that the
# singer was found dead", "false reports that the actor had been killed", "police denied
# reports that two people were killed", "the report that he had died was a hoax". Words of
# a rumour or of a falsehood in the phrase that governs the figure's that-clause (or right
# after the figure, of that report) make it none; "unconfirmed reports that" only hedge it.
RUMOURS = {"rumor", "rumors", "rumour", "rumours", "rumored", "rumoured", "hoax", "hoaxes",
           "false", "falsely", "fake", "untrue", "unfounded", "baseless", "debunked",
           "denied", "denies", "deny", "denying", "dismissed", "refuted"}
UNCONFIRMED = {"unconfirmed", "unverified"}
# Nouns of a report that a falsehood after the figure may be said of ("Reports that three
# soldiers were killed were denied").
TOLD_NOUNS = REPORT_NOUNS | {"claim", "claims", "news", "story", "stories", "posts", "post",
                             "messages", "message", "tweets", "tweet", "rumor", "rumors",
                             "rumour", "rumours", "speculation"}
# How far back from a figure the 'that' of its clause may be, and how far after it a
# falsehood of the report may be told.
RUMOUR_REACH = 12
# "may have died": a modal before "have" hedges the state instead of making it hypothetical.
MODALS = {"may", "might", "could"}
# Verbs before a range told by its bounds: "a toll ranging from 14 to over 30". Without
# them "from N to M" is a change ("rose from 20 to 30"), not a range.
RANGE_VERBS = {"ranging", "ranged", "ranges", "range", "varying", "varied", "varies"}
# Nouns that count victims: "the number of dead", "the tally of injured".
COUNT_NOUNS = {"number", "total", "tally", "count"}
# Words before "toll" that make it a death toll: "the death toll", "quake toll".
TOLL_BEFORE = {"death", "casualty", "human", "the", "a", "new", "final", "official",
               "overall", "quake", "earthquake", "blast", "bombing", "bombings", "attack",
               "attacks", "storm", "flood", "floods", "fire", "crash", "tsunami", "cyclone",
               "hurricane", "typhoon", "landslide", "collapse", "war", "violence", "clashes"}
# "toll road", "toll-free": "toll" that counts no one.
NOT_TOLL = {"road", "roads", "booth", "booths", "free", "plaza", "bridge", "fees", "fee",
            "charges", "lanes", "collectors", "collector", "operator", "rates"}
# Verbs that lead to a count of victims: "the rain also contributed to 7 deaths".
CAUSE_VERBS = {"contributed", "led", "resulted", "caused", "left", "claimed", "leading",
               "causing", "resulting", "killed", "injured", "wounded", "killing", "injuring"}
# Verbs that raise a running total: "bringing to 27 the number of dead".
TOTAL_VERBS = {"bringing", "brings", "brought", "bring", "raising", "raises", "raised",
               "pushing", "pushes", "pushed", "taking", "takes", "took"}
# Plural nouns of a toll that can be the subject of its running figure ("Deaths rose to
# 30", "Fatalities now stand at 12"), and the verbs that give it.
TOLL_SUBJECTS = {"deaths": "killed", "fatalities": "killed", "injuries": "injured"}
RISE_VERBS = {"rose", "risen", "rises", "rise", "climbed", "climbs", "reached", "reaches",
              "stands", "stand", "stood", "increased", "jumped", "hit", "grew", "totalled",
              "totaled", "total", "totals"}
# Verbs that put the total above a number: "has surpassed 100".
ABOVE_VERBS = {"surpassed", "exceeded", "topped", "passed", "surpasses", "exceeds", "tops"}
# Words of an addition to a toll told before: after an article ("a further 12", "an
# additional 3") and after the number ("three more", "4 new deaths", "2 additional victims").
INCREMENTS = {"further", "additional"}
INCREMENTS_AFTER = {"more", "new", "additional", "further"}
# "killing himself and one other": the killer counted with his victims.
REFLEXIVE = {"himself", "herself", "themselves"}
# "43 of them", "158 of those": a part of a figure just given.
PART_OF = {"them", "those", "whom"}
# Prepositions of a short modifier between victims and their state: "8 people from the
# same family were killed", "two men inside the car died".
MODIFIER_PREPS = {"from", "in", "at", "inside", "near", "aboard", "on", "with"}
# "were treated at hospital", "underwent surgery": where care is given to the injured.
CARE_PLACES = {"hospital", "hospitals", "surgery", "clinic", "clinics"}
# "three of our citizens", "two of its staff": determiners of a part of a group.
POSSESSIVES = {"the", "its", "their", "his", "her", "our", "my", "your"}
# Animals: "the family's pet collie, Fenn, was also killed" counts no casualty.
ANIMALS = {"dog", "dogs", "cat", "cats", "collie", "pet", "pets", "horse", "horses", "cattle",
           "sheep", "cow", "cows", "goat", "goats", "puppy", "kitten", "animal", "animals"}
# "placed on injured reserve", "the injured list": sport's words, no one hurt here.
NOT_STATE_AFTER = {"reserve", "list"}
# Verbs that credit a figure to a source: "state TV said", "SANA reported".
SPEECH = {"said", "says", "say", "reported", "reports", "report", "told", "announced",
    "confirmed", "stated", "added", "quoted", "tweeted", "claimed", "estimated",
    "counted", "put", "puts", "gave", "gives", "cited", "documented", "recorded"}
# Words that may open a source noun phrase without a capital letter.
COMMON_SOURCES = {"state", "officials", "official", "police", "authorities", "ministry",
    "activists", "witnesses", "doctors", "medics", "hospital", "rescuers",
    "monitor", "army", "military", "governor", "media", "television", "tv",
    "agency", "sources", "spokesman", "spokeswoman", "coroner", "observatory",
    "residents", "government", "minister", "paramedics", "health", "local",
    "interior", "civil", "defence", "defense", "red", "crescent", "cross",
    "office", "source", "security", "medical", "firefighters", "rescue",
    "spokesperson", "prosecutors", "coroners", "hospitals", "department",
    "agencies", "ngo", "group", "groups", "commander", "mayor"}
# Marks and words that end a source phrase.
SOURCE_STOP = {",", ".", ";", ":", "(", ")", "\"", "“", "”", "that", "on", "in", "as", "and",
    "who", "which", "while", "after", "but", "-", "—", "–"}
# Pronouns name no source.
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
# "killed in Jableh", "48 in Tartus": prepositions before a figure's place.
PLACE_WORDS = {"in", "at", "near", "outside"}
# Capitalised words after those prepositions that name no place.
NOT_PLACES = MONTHS | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "the", "a", "an", "total", "all", "addition", "hospital",
    "hospitals", "custody", "attacks", "fighting", "clashes", "recent",
    "this", "that", "his", "her", "their", "its", "one", "two"}
# Lower-case words inside a source's name: "Syrian Observatory for Human Rights".
SOURCE_CONNECTORS = {"for", "of", "the", "syria's", "britain-based", "uk-based", "news", "human",
    "rights", "arab"}
