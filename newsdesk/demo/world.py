"""The invented city the demo newsroom reports on: its places, organisations, people and topics.

Every name here is made up for the demo. Keeping the facts in one module means the headline and
body templates in `content` can refer to them by slot name and stay consistent with each other.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY = "Lindenhav"
REGION = "Aldermoor"
RIVER = "Serrow"
STORM = "Storm Verity"

DISTRICTS = (
    "Kestrel Quay",
    "Ambervale",
    "Old Tannery",
    "Saltmarsh Row",
    "Brannock Hill",
    "Fennick Gardens",
    "Northgate",
    "Copperworks",
    "Ridgeway Park",
    "Eelbrook",
    "Lantern Wharf",
    "Mossford",
)
STREETS = (
    "Cooper's Lane",
    "Weaver Street",
    "Harrow Embankment",
    "Gullwing Road",
    "Tallow Street",
    "Ferrier Avenue",
    "Quillon Way",
    "Bellmonger Row",
    "Sorrel Street",
    "Greyfell Road",
)
FERRY_ROUTES = (
    "Lindenhav–Skerrow Major",
    "Lindenhav–Little Skerrow",
    "Kestrel Quay–Holm Point",
    "the outer-islands loop",
)
SCHOOLS = (
    "Northgate Academy",
    "Ambervale Primary",
    "Copperworks High",
    "Saltmarsh Row Community School",
    "Mossford Grammar",
)
VENUES = (
    "the Tannery Hall",
    "the Lantern Wharf Playhouse",
    "the Aldermoor Museum of Work",
    "the Fennick Gardens bandstand",
    "the old Customs House",
)
CLUBS = (
    "Copperworks Athletic",
    "Serrow Rowing Club",
    "Lindenhav Harriers",
    "Eelbrook Town",
    "Brannock Hill Cricket Club",
)
WIND_SITES = ("Greyfell ridge", "Holm Point", "the Skerrow bank", "Tallowmoor")
FESTIVALS = (
    "the Lantern Night festival",
    "the Serrow Folk Weekend",
    "the Harbour Book Fair",
    "the Copperworks Light Trail",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

FIRST_NAMES = (
    "Halvard", "Brisa", "Odile", "Kasimir", "Yetunde", "Rasmus", "Ilona", "Teodora", "Casper",
    "Wren", "Matthias", "Soraya", "Dorian", "Liesel", "Emeka", "Ottilie", "Fenwick", "Priya",
    "Anselm", "Marisol", "Joran", "Signe", "Tobiah", "Ines",
)  # fmt: skip
SURNAMES = (
    "Mieske", "Tallowby", "Quarrie", "Vennholt", "Oyelaran-Brisk", "Castellane", "Drumlow",
    "Harkavy", "Sallowfield", "Petrakova-Lund", "Brackwater", "Ennisdale", "Marchetti-Vos",
    "Kilnworth", "Sandgrove", "Ardenby", "Holloway-Tse", "Feldmark", "Orrin", "Wexcombe",
)  # fmt: skip
OFFICIAL_TITLES = (
    "deputy mayor for transport",
    "chair of the council's finance committee",
    "a spokesperson for Aldermoor Power",
    "operations director at Lindenhav Transit",
    "duty forecaster at the Aldermoor Weather Service",
    "chief executive of Harbourside General Hospital",
    "harbour master at the Lindenhav Port Authority",
    "head of emergency planning for Aldermoor",
)
PHOTOGRAPHERS = ("Linnea Harrowgate", "Bastian Okonkwo-Reeve", "Ruth Ellingsworth")


@dataclass(frozen=True)
class DemoAuthor:
    name: str
    slug: str
    role: str
    bio: str
    colour: tuple[int, int, int]
    topics: tuple[str, ...]


# The first author is the marker of a loaded demo: `build` looks for its slug.
AUTHORS = (
    DemoAuthor(
        "The Lindenhav Desk",
        "demo-desk",
        "Live news team",
        "The Lindenhav Desk is the round-the-clock live team behind the News Feed. It posts "
        "short updates as news breaks and hands the bigger stories to the specialists. "
        "Tips go to the desk at any hour.",
        (52, 73, 94),
        ("storm-verity", "city-hall", "transport", "weather"),
    ),
    DemoAuthor(
        "Ilka Brandvold",
        "ilka-brandvold",
        "News Operations Editor",
        "Ilka runs the overnight desk and decides what goes to the top of the News Feed. "
        "Before joining the newsroom she spent eight years reporting from the harbour "
        "district. She still keeps a tide table on her desk.",
        (160, 62, 78),
        ("storm-verity", "city-hall", "health"),
    ),
    DemoAuthor(
        "Teodor Amsel",
        "teodor-amsel",
        "Energy Correspondent",
        "Teodor covers the grid, the wind farms on Greyfell ridge and what both cost "
        "Aldermoor households. He trained as an electrical engineer before switching to "
        "journalism.",
        (38, 120, 96),
        ("energy", "business", "storm-verity"),
    ),
    DemoAuthor(
        "Nadia Quellhorst",
        "nadia-quellhorst",
        "City Hall Reporter",
        "Nadia follows every vote, budget line and planning row at Lindenhav City Council. "
        "She reads the committee papers so readers do not have to.",
        (104, 72, 160),
        ("city-hall", "education", "business"),
    ),
    DemoAuthor(
        "Joaquín Ferrow",
        "joaquin-ferrow",
        "Transport Correspondent",
        "Joaquín writes about trams, ferries, bridges and the people who depend on them. "
        "He commutes by bicycle across the Harrow Embankment in all weathers. "
        "His tram-line maps are pinned up in more than one council office.",
        (196, 120, 32),
        ("transport", "storm-verity", "sport"),
    ),
    DemoAuthor(
        "Maren Okoye-Strand",
        "maren-okoye-strand",
        "Weather and Environment Reporter",
        "Maren reports on the Serrow, the coast and the climate that shapes both. "
        "She has walked the full length of the river twice.",
        (30, 110, 170),
        ("weather", "environment", "storm-verity"),
    ),
    DemoAuthor(
        "Oksana Levchyk-Daal",
        "oksana-levchyk-daal",
        "Community Reporter, Ukrainian service",
        "Oksana writes for Lindenhav's Ukrainian-speaking readers and covers community life "
        "across the city. She also edits the weekly culture listings.",
        (0, 91, 187),
        ("culture", "education", "health"),
    ),
)


@dataclass(frozen=True)
class DemoTopic:
    name: str
    slug: str
    description: str


TOPICS = (
    DemoTopic(
        "Storm Verity",
        "storm-verity",
        "Live coverage of the storm that reached the Aldermoor coast this week: power cuts, "
        "flooding, travel and where to get help.",
    ),
    DemoTopic(
        "Energy",
        "energy",
        "The grid, the wind farms and the bills: who makes Aldermoor's power and what it costs.",
    ),
    DemoTopic(
        "Transport",
        "transport",
        "Trams, ferries, bridges and roads across Lindenhav and the Skerrow Islands.",
    ),
    DemoTopic(
        "Weather",
        "weather",
        "Forecasts, warnings and the river level, from the Aldermoor Weather Service and our "
        "own reporters.",
    ),
    DemoTopic(
        "City Hall",
        "city-hall",
        "Votes, budgets and planning decisions at Lindenhav City Council.",
    ),
    DemoTopic(
        "Health",
        "health",
        "Harbourside General Hospital, clinics and public health in the region.",
    ),
    DemoTopic(
        "Business",
        "business",
        "The port, the factories, the shops and the jobs that keep the city going.",
    ),
    DemoTopic(
        "Culture",
        "culture",
        "Festivals, theatre, museums and the city's music venues.",
    ),
    DemoTopic(
        "Education",
        "education",
        "Schools, colleges and Aldermoor University.",
    ),
    DemoTopic(
        "Environment",
        "environment",
        "The Serrow estuary, the coast, air quality and the city's green spaces.",
    ),
    DemoTopic(
        "Sport",
        "sport",
        "Local clubs, the rowing season and results from across Aldermoor.",
    ),
)
