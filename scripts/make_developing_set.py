"""Write demo/developing: invented developing stories over four nights, with gold current facts.

Deterministic (fixed seed, no clock): `python scripts/make_developing_set.py [OUT_DIR]` writes
night-1.jsonl .. night-4.jsonl and gold.json (default OUT_DIR demo/developing). All copy is our own
fiction: invented people, companies and villages, real cities only as settings.

Each story is one kind (quake or flood toll rising, fire then all clear, strike on then over,
search then called off, suspect sought then held then charged, injured count revised,
evacuations) over two to four nights, carried by one to four of Reuters, AFP, dpa and AP, each wire
with its own sentence templates. A wire may lag: the first report of a night can still carry the
previous night's figure, and a wire may leave a figure out. A few AP articles are redistributed
verbatim by dpa or AFP under their own header. Every sentence is checked against
`cluster.summary.figures.facts`: a fact sentence states exactly its facts, a background sentence none.

gold.json, per story: `current` (quantity or 'state:topic' -> the latest value reported, by
publication time), `wires` (fact -> wires that reported the current value in their own copy),
`items` (JSONL ids of the story), and `redistributions` (redistributed id -> original id).
"""

from __future__ import annotations

import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cluster.summary.figures import facts  # noqa: E402

SEED = 20261005
NIGHTS = [datetime(2026, 10, 5), datetime(2026, 10, 6), datetime(2026, 10, 7), datetime(2026, 10, 8)]
WIRES = ("Reuters", "AFP", "dpa", "AP")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday")

# (city, country) settings; people, companies and villages below are invented.
PLACES = [
    ("Lima", "Peru"),
    ("Quito", "Ecuador"),
    ("Manila", "Philippines"),
    ("Izmir", "Turkey"),
    ("Porto", "Portugal"),
    ("Lyon", "France"),
    ("Graz", "Austria"),
    ("Bergen", "Norway"),
    ("Cork", "Ireland"),
    ("Gdansk", "Poland"),
    ("Valencia", "Spain"),
    ("Turin", "Italy"),
    ("Brno", "Czech Republic"),
    ("Tampere", "Finland"),
    ("Cluj", "Romania"),
    ("Plovdiv", "Bulgaria"),
    ("Antwerp", "Belgium"),
    ("Basel", "Switzerland"),
    ("Malmo", "Sweden"),
    ("Aarhus", "Denmark"),
    ("Split", "Croatia"),
    ("Kaunas", "Lithuania"),
    ("Tartu", "Estonia"),
    ("Leeds", "Britain"),
    ("Halifax", "Canada"),
    ("Cusco", "Peru"),
    ("Mendoza", "Argentina"),
    ("Cebu", "Philippines"),
    ("Sapporo", "Japan"),
    ("Busan", "South Korea"),
    ("Durban", "South Africa"),
    ("Mombasa", "Kenya"),
    ("Oaxaca", "Mexico"),
    ("Bremen", "Germany"),
]
VILLAGES = [
    "Varenholm",
    "San Teodoro de Ulla",
    "Kastrovo",
    "Mirelles",
    "Oberfelden",
    "Santa Quiteria",
    "Lindqvara",
    "Porto Alvedo",
    "Trzemnica",
    "Belavista Alta",
    "Hollensee",
    "Caravanca",
    "Dunmarra",
    "Vel Orasje",
    "Kirkmoor",
    "Estrela do Vale",
    "Nordhavik",
    "Pietralunga",
    "Zavrelje",
    "Altamura Baja",
    "Feldkirchwald",
    "Monteserra",
    "Ostrava Dolni",
    "Riverna",
    "Saltholm Vik",
    "Tres Pinos",
    "Ulmenau",
    "Vassiliko",
    "Wexmere",
    "Yellowgate",
    "Zornitsa",
    "Brackwater",
    "Coldspring Vale",
    "Dornbach",
]
SURNAMES = [
    "Okonkwo",
    "Lindqvist",
    "Marchetti",
    "Duarte",
    "Kowalczyk",
    "Haverkamp",
    "Moreau",
    "Vasquez",
    "Petrov",
    "Halloran",
    "Sorensen",
    "Tanaka",
    "Abernethy",
    "Castellanos",
    "Novak",
    "Richter",
    "Oyelaran",
    "Brennan",
]
COMPANIES = [
    "Norveda Chemicals",
    "Castelmar Logistics",
    "Helvion Metals",
    "Ardent Rail",
    "Baltic Crest Shipping",
    "Orimex Foods",
    "Vantara Energy",
    "Kestrel Textiles",
    "Sudmark Paper",
    "Lumora Glass",
]

# Per fact, one list of templates per wire (Reuters, AFP, dpa, AP); {n} the figure, {d} the day.
T = {
    "magnitude": [
        [
            "The quake was measured at magnitude {n}, seismologists said.",
            "The U.S. Geological Survey put the quake at magnitude {n}.",
        ],
        [
            "The tremor measured magnitude {n}, according to the national seismic institute.",
            "Seismologists said the quake was of magnitude {n}.",
        ],
        [
            "The geological service measured the quake at magnitude {n}.",
            "The earthquake reached magnitude {n}, seismologists said.",
        ],
        [
            "The magnitude {n} quake was centered about 20 kilometers from the town, seismologists said.",
            "The quake measured magnitude {n}, officials said.",
        ],
    ],
    "dead": [
        [
            "The death toll rose to {n} on {d}, the civil protection agency said.",
            "Officials said {n} people had been killed.",
        ],
        [
            "The number of people killed rose to {n}, rescuers said on {d}.",
            "At least {n} people have died, the regional governor told AFP.",
        ],
        ["According to the authorities, {n} people died.", "The toll now stands at {n}, a spokesman said on {d}."],
        [
            "At least {n} people were killed, emergency officials said {d}.",
            "The disaster has killed {n}, according to local officials.",
        ],
    ],
    "injured": [
        [
            "{n} people were injured, {n2} of them seriously, hospital officials said.",
            "Hospitals treated {n} people who were hurt.",
        ],
        [
            "{n} people were wounded, according to the health ministry.",
            "The health ministry put the number at {n} injured.",
        ],
        ["{n} people were hurt, the rescue service said.", "A total of {n} people were injured, the police said."],
        ["Officials said {n} people were injured.", "The accident also injured {n}, a hospital spokeswoman said."],
    ],
    "missing": [
        ["{n} people were still missing on {d}, officials said.", "Authorities said {n} people remain missing."],
        [
            "{n} people are still missing, according to the fire brigade.",
            "Rescuers said {n} residents remained missing.",
        ],
        [
            "{n} people are still missing, the authorities said.",
            "There are still {n} people missing, according to the police.",
        ],
        ["Officials said {n} people were missing {d}.", "At least {n} people are still missing, the coast guard said."],
    ],
    "evacuated": [
        [
            "Authorities evacuated {n} residents as a precaution.",
            "About {n} people have been evacuated, officials said.",
        ],
        [
            "Some {n} people were evacuated from their homes, the prefecture said.",
            "The prefecture said it had evacuated {n} people.",
        ],
        [
            "Around {n} residents were evacuated, the district office said.",
            "The authorities evacuated {n} people on {d}.",
        ],
        [
            "Officials evacuated {n} people from nearby neighborhoods.",
            "More than {n} people were evacuated, the mayor said.",
        ],
    ],
    "rescued": [
        ["Divers said {n} people were rescued alive.", "So far {n} people have been rescued, officials said."],
        [
            "{n} people were rescued, according to the coast guard.",
            "Rescue teams said {n} survivors were rescued overnight.",
        ],
        ["{n} people were rescued, the sea rescue service said.", "By {d}, {n} people had been rescued."],
        ["Crews said {n} people were rescued from the water.", "The coast guard said {n} people have been rescued."],
    ],
    "state:strike=on": [
        [
            "Workers at {co} walked off the job on {d}, halting production.",
            "The strike by workers at {co} began at dawn on {d}.",
        ],
        [
            "Employees of {co} went on strike on {d} over pay.",
            "The strike entered its second day on {d}, the union said.",
        ],
        ["The strike continues at {co}, the union said on {d}.", "Staff at {co} went on strike on {d}."],
        [
            "Workers at {co} are on strike, union leaders said {d}.",
            "The strike drags on with no talks scheduled, union officials said.",
        ],
    ],
    "state:strike=over": [
        [
            "The union called off the strike at {co} on {d} after a wage deal.",
            "Workers ended the strike on {d} after accepting a new offer.",
        ],
        [
            "The strike at {co} ended on {d} after management improved its offer.",
            "The unions suspended the strike on {d}.",
        ],
        [
            "The strike at {co} is over, the union announced on {d}.",
            "Union and management ended the strike on {d} with an agreement.",
        ],
        [
            "The strike was called off {d} after a tentative agreement, the union said.",
            "Workers at {co} called off their strike {d}.",
        ],
    ],
    "state:fire=burning": [
        [
            "The fire was still burning on {d}, fire officials said.",
            "Firefighters said the fire was spreading toward a warehouse.",
        ],
        [
            "The fire is still raging, firefighters said on {d}.",
            "According to the fire brigade, the fire was spreading fast.",
        ],
        [
            "The fire is still burning, a fire brigade spokesman said on {d}.",
            "The fire was raging through the site on {d}.",
        ],
        ["The fire was still burning {d}, officials said.", "Fire crews said the fire is spreading in strong winds."],
    ],
    "state:fire=out": [
        ["Firefighters gave the all clear on {d}.", "The fire was extinguished early on {d}, officials said."],
        ["The fire was put out on {d}, the fire service said.", "Authorities gave the all clear on {d}."],
        [
            "The fire has been extinguished, the fire brigade said on {d}.",
            "On {d} the fire brigade gave the all clear.",
        ],
        ["The fire is under control, fire officials said {d}.", "The fire was out by {d} morning, officials said."],
    ],
    "state:search=off": [
        [
            "The search for the missing was called off on {d}, officials said.",
            "Authorities said the search had been suspended.",
        ],
        ["The search was called off on {d} because of the weather.", "Rescuers said the search was suspended on {d}."],
        [
            "The search has been suspended, the rescue service said on {d}.",
            "The search was ended on {d}, the police said.",
        ],
        [
            "The search was called off {d}, officials said.",
            "Officials said the search was suspended after dark on {d}.",
        ],
    ],
    "state:suspect=sought": [
        [
            "Police are searching for a man seen leaving the scene, officials said.",
            "Police said the suspect is still at large.",
        ],
        [
            "Police are looking for a suspect, prosecutors said on {d}.",
            "The suspect is still at large, according to investigators.",
        ],
        ["The suspect is still at large, the police said.", "Police are searching for a man in his thirties."],
        [
            "Police are looking for a man they described as armed, officials said.",
            "The suspect was still at large {d}, police said.",
        ],
    ],
    "state:suspect=held": [
        ["A 34-year-old man was arrested on {d}, police said.", "Police said a suspect was detained on {d} near {v}."],
        [
            "A suspect was arrested on {d} in {v}, prosecutors said.",
            "The man was taken into custody on {d}, police said.",
        ],
        ["A suspect was arrested on {d}, the police said.", "The man was detained on {d} in {v}."],
        ["Police said a man was arrested {d} at a house in {v}.", "A suspect was taken into custody {d}, police said."],
    ],
    "state:suspect=charged": [
        [
            "Prosecutors charged him with murder on {d}.",
            "The man has been charged with manslaughter, prosecutors said.",
        ],
        [
            "The suspect was charged with murder on {d}, prosecutors said.",
            "Prosecutors charged him with attempted murder on {d}.",
        ],
        ["The man has been charged with murder, the prosecutor's office said.", "The suspect was charged on {d}."],
        [
            "The suspect was charged {d} with murder, prosecutors said.",
            "Prosecutors charged him with arson and murder {d}.",
        ],
    ],
}

# Per kind: the event phrase, one lead per wire (Reuters, AFP, dpa, AP) and per wire three background
# sentences (no figures, no states); {v} village, {c} city, {s} surname, {co} company, {d} first day.
KINDS = {
    "quake": (
        "earthquake",
        [
            "A strong earthquake struck near {v} outside {c} on {d}, flattening homes and cutting power.",
            "A powerful quake shook the hills around {v} on {d}, sending panicked residents into the streets.",
            "A severe earthquake hit the area around the village of {v} near {c} on {d}.",
            "The ground shook violently under {v} on {d} as a strong earthquake rolled through the region.",
        ],
        [
            [
                "The region around {v} sits on an active fault and has seen damaging tremors before.",
                "Mayor Elena {s} said many older homes in {v} had collapsed.",
                "Aid convoys with tents and water were heading to {v}.",
            ],
            [
                "Residents spent the night outdoors in {c} for fear of aftershocks.",
                "Television images showed rubble blocking the main street of {v}.",
                "The government in {c} promised emergency funds for rebuilding.",
            ],
            [
                "Many of the houses in {v} are built of adobe and collapse easily.",
                "Aftershocks were felt as far as {c}.",
                "The Red Cross sent teams with medicine and blankets to {v}.",
            ],
            [
                "Church bells in {v} rang out as families searched the debris for belongings.",
                "Elena {s}, the mayor, called for heavy machinery to clear the roads.",
                "Schools across the province of {c} were closed for inspections.",
            ],
        ],
    ),
    "flood": (
        "floods",
        [
            "Heavy rain caused rivers to burst their banks near {v} in the {c} region on {d}.",
            "Torrential downpours turned streets into rivers in {v} outside {c} on {d}.",
            "Severe flooding hit the village of {v} in the {c} region after days of rain.",
            "Floodwaters swept through {v} near {c} on {d}, submerging cars and homes.",
        ],
        [
            [
                "Roads and bridges around {v} were washed away.",
                "Governor Luis {s} declared a state of emergency.",
                "Forecasters warned of more heavy rain over the weekend.",
            ],
            [
                "Residents of {v} used boats to reach neighbours trapped on rooftops.",
                "The river reached its highest level in decades, hydrologists said.",
                "Soldiers were deployed to help fill sandbags in {c}.",
            ],
            [
                "The weather service issued its highest warning level for the {c} region.",
                "Luis {s}, the regional governor, promised quick help for farmers.",
                "Rail services between {c} and {v} were suspended.",
            ],
            [
                "Muddy water filled the ground floors of shops in {v}.",
                "Climate scientists say such extreme rainfall is becoming more frequent.",
                "Volunteers handed out food and dry clothes at a school in {c}.",
            ],
        ],
    ),
    "fire": (
        "fire",
        [
            "A fire broke out at a {co} plant in {v} near {c} on {d}, sending up thick black smoke.",
            "A huge blaze engulfed a {co} warehouse in {v} outside {c} on {d}.",
            "Flames shot from a {co} factory hall in {v} near {c} on {d}.",
            "A fierce fire tore through a {co} facility in {v} on {d}, officials in {c} said.",
        ],
        [
            [
                "{co} said it was cooperating fully with investigators.",
                "The cause of the blaze is not yet known.",
                "The site employs several hundred people.",
            ],
            [
                "Residents of {v} were told to keep windows and doors closed.",
                "The smoke could be seen from the centre of {c}.",
                "Chief fire officer Anna {s} said crews had worked through the night.",
            ],
            [
                "Measurements of the air in {v} showed no dangerous pollutants, the authorities said.",
                "Anna {s} of the fire brigade said the roof had partly collapsed.",
                "The company produces packaging materials.",
            ],
            [
                "Drone footage showed a gutted building and charred trucks.",
                "Investigators will examine whether a faulty machine started the blaze.",
                "Neighbors in {v} said they heard several loud bangs.",
            ],
        ],
    ),
    "strike": (
        "strike",
        [
            "Workers at {co} in {c} are demanding higher pay to offset rising living costs.",
            "A pay dispute at {co} has shut down its main site in {c}.",
            "The labour dispute at {co} in {c} is hitting suppliers across the region.",
            "Production at {co} in {c} has come to a standstill in a dispute over wages.",
        ],
        [
            [
                "Union leader Marta {s} said members were determined to win a fair settlement.",
                "{co} employs several thousand people in {c}.",
                "The company had offered a one-off payment, which the union rejected.",
            ],
            [
                "Management had warned that the stoppage would cost millions.",
                "Marta {s}, who heads the union, accused managers of stalling.",
                "Customers reported delays in deliveries.",
            ],
            [
                "The union is demanding eight percent more pay over two years.",
                "Talks resumed under a mediator in {c}.",
                "Industry groups warned of damage to the regional economy.",
            ],
            [
                "Picket lines formed outside the gates in the early morning.",
                "The company's chief executive said the demands were unaffordable.",
                "Union official Marta {s} said morale was high.",
            ],
        ],
    ),
    "search": (
        "boat accident",
        [
            "A boat carrying passengers capsized off {v} near {c} on {d}.",
            "A tourist boat overturned in rough water off the coast of {v} on {d}.",
            "A passenger boat sank off {v} in the {c} region on {d}.",
            "An overcrowded boat flipped over off {v} near {c} on {d}, officials said.",
        ],
        [
            [
                "Divers and helicopters combed the waters off {v}.",
                "Coast guard commander Pedro {s} said strong currents hampered the operation.",
                "The boat had left the harbour in calm weather, survivors said.",
            ],
            [
                "Relatives gathered at the harbour in {v} waiting for news.",
                "The owner of the boat was questioned by investigators in {c}.",
                "It was not clear how many passengers were on board.",
            ],
            [
                "Pedro {s} of the coast guard said the water temperature was low.",
                "The boat was reportedly overloaded.",
                "Fishing boats from {v} joined the operation.",
            ],
            [
                "Survivors said the boat tipped over when a large wave struck.",
                "Officials said life jackets were not on board.",
                "The ferry route from {v} is popular with tourists.",
            ],
        ],
    ),
    "suspect": (
        "stabbing",
        [
            "A man was stabbed to death outside a cafe in the {v} district of {c} on {d}.",
            "A shop owner was killed in a knife attack in the {v} neighbourhood of {c} on {d}.",
            "A man died after a knife attack in the {v} district of {c} on {d}.",
            "A fatal stabbing outside a cafe in the {v} area of {c} on {d} shocked residents.",
        ],
        [
            [
                "Witnesses said the attacker fled on foot.",
                "Police chief Jonas {s} appealed to witnesses to come forward.",
                "The motive remained unclear.",
            ],
            [
                "The victim was well known in the neighbourhood.",
                "Residents laid flowers outside the cafe.",
                "Investigators examined footage from nearby cameras.",
            ],
            [
                "According to witnesses, the two men had argued before the attack.",
                "Jonas {s}, the police chief, said there was no danger to the public.",
                "The crime scene was cordoned off for hours.",
            ],
            [
                "Neighbors described the victim as a friendly man who ran a bakery.",
                "A vigil was planned for the weekend.",
                "Knife crime has risen in the city in recent years.",
            ],
        ],
    ),
    "injured": (
        "bus crash",
        [
            "A passenger bus overturned on a mountain road near {v} outside {c} on {d}.",
            "A crowded bus left the road and rolled down a slope near {v} on {d}.",
            "A coach crashed on a winding road near {v} in the {c} region on {d}.",
            "A bus carrying tourists plunged off a mountain road near {v} outside {c} on {d}.",
        ],
        [
            [
                "Transport minister Clara {s} ordered an inquiry into the crash.",
                "The road is known for sharp bends and poor lighting.",
                "The operator, {co}, said it was cooperating with the inquiry.",
            ],
            [
                "Investigators are examining whether the brakes failed.",
                "The bus was travelling from {c} to {v}.",
                "Clara {s}, the transport minister, visited the scene.",
            ],
            [
                "The driver survived and was questioned by police.",
                "Helicopters flew the most badly injured to hospitals in {c}.",
                "The bus belongs to the company {co}.",
            ],
            [
                "Images showed the bus on its side in a ravine.",
                "Many of the passengers were pensioners on a day trip.",
                "The stretch of road has seen several accidents.",
            ],
        ],
    ),
    "evac": (
        "gas leak",
        [
            "A gas leak at a {co} pipeline near {v} forced the closure of roads around {c} on {d}.",
            "A damaged {co} gas pipeline near {v} prompted an emergency on {d}.",
            "Gas escaped from a {co} pipeline near {v} in the {c} region on {d}.",
            "A ruptured {co} gas line near {v} outside {c} triggered alarms on {d}.",
        ],
        [
            [
                "Engineers worked to seal the damaged pipeline.",
                "Regional official Tomas {s} said air quality was being monitored.",
                "Schools in {v} stayed closed as a precaution.",
            ],
            [
                "Emergency shelters were set up in sports halls in {c}.",
                "The pipeline supplies gas to much of the region.",
                "Tomas {s}, a regional official, urged residents to stay calm.",
            ],
            [
                "Construction work may have damaged the line, investigators said.",
                "The smell of gas was noticeable in the centre of {v}.",
                "Trains through {v} did not stop.",
            ],
            [
                "Firefighters kept their distance because of the risk of an explosion.",
                "{co} said it regretted the disruption.",
                "Buses took residents to hotels in {c}.",
            ],
        ],
    ),
}


def _timeline(kind: str, nights: int, rng: random.Random) -> list[dict[str, object]]:
    """Facts current on each night of a story."""
    out: list[dict[str, object]] = []
    if kind in ("quake", "flood"):
        dead = rng.randint(4, 15)
        base: dict[str, object] = {"magnitude": round(rng.uniform(5.6, 7.2), 1)} if kind == "quake" else {}
        inj, miss, evac = rng.randint(20, 60), rng.randint(8, 20), rng.randint(900, 3000)
        for _ in range(nights):
            f = dict(base, dead=dead)
            if kind == "quake":
                f["injured"] = inj
            else:
                f.update(missing=miss, evacuated=evac)
            out.append(f)
            dead += rng.randint(3, 12)
            inj += rng.randint(5, 30)
            miss = max(1, miss - rng.randint(1, 4))
            evac += rng.randint(200, 1500)
    elif kind in ("fire", "strike"):
        topic, on, off = ("fire", "burning", "out") if kind == "fire" else ("strike", "on", "over")
        evac = rng.randint(150, 900)
        for k in range(nights):
            f: dict[str, object] = {f"state:{topic}": off if k == nights - 1 else on}
            if kind == "fire":
                f["evacuated"] = evac
                evac += rng.randint(50, 300)
            out.append(f)
    elif kind == "search":
        miss, resc = rng.randint(6, 20), rng.randint(10, 40)
        for k in range(nights):
            out.append({"missing": miss, "rescued": resc, **({"state:search": "off"} if k == nights - 1 else {})})
            resc += rng.randint(1, 5)
            miss = max(2, miss - rng.randint(1, 3))
    elif kind == "suspect":
        states = (
            ["sought", "held", "charged"][-nights:] if nights < 3 else ["sought", "held", "charged", "charged"][:nights]
        )
        out = [{"state:suspect": s} for s in states]
    elif kind == "injured":
        dead, inj = rng.randint(2, 6), rng.randint(12, 40)
        for _ in range(nights):
            out.append({"dead": dead, "injured": inj})
            inj += rng.choice([-4, -3, 5, 8, 11])
    elif kind == "evac":
        evac = rng.randint(300, 1200)
        for _ in range(nights):
            out.append({"evacuated": evac})
            evac += rng.randint(300, 2000)
    return out


def _fact_sentence(fact: str, value: object, wire: int, slots: dict[str, str], rng: random.Random) -> str:
    key = fact if fact in T else f"{fact}={value}"
    text = rng.choice(T[key][wire]).format(
        n=value if not isinstance(value, float) or not value.is_integer() else int(value),
        n2=max(1, int(value) // 4) if isinstance(value, int) else 1,
        **slots,
    )
    return text[0].upper() + text[1:]


def _check(sentence: str, expected: dict[str, object]) -> None:
    got = facts(sentence)
    want = {k: (float(v) if not isinstance(v, str) else v) for k, v in expected.items()}
    if got != want:
        raise AssertionError(f"{sentence!r}: facts {got} != {want}")


def _header(wire: str, city: str, country: str, day: datetime) -> str:
    return {
        "Reuters": f"{city.upper()}, Oct {day.day} (Reuters) - ",
        "AFP": f"{city.upper()} (AFP) - ",
        "dpa": f"{city} (dpa) - ",
        "AP": f"{city.upper()}, {country} (AP) — ",
    }[wire]


def _story(i: int, kind: str, rng: random.Random) -> tuple[str, list[dict]]:
    city, country = PLACES[i]
    v, s, co = VILLAGES[i], rng.choice(SURNAMES), rng.choice(COMPANIES)
    label = f"dev-{kind}-{v.lower().replace(' ', '-')}"
    nights = rng.randint(2, 4)
    start = rng.randint(0, 4 - nights)
    timeline = _timeline(kind, nights, rng)
    wires = rng.sample(range(4), rng.randint(1, 4))
    event, leads, backgrounds = KINDS[kind]
    records = []
    for k, current in enumerate(timeline):
        night = NIGHTS[start + k]
        d = DAYS[start + k]
        slots = {"v": v, "c": city, "s": s, "co": co, "d": d}
        reporting = [w for w in wires if k == 0 or rng.random() < 0.8] or wires[:1]
        for j, w in enumerate(reporting):
            wire = WIRES[w]
            lagging = k > 0 and j == 0 and len(reporting) > 1 and rng.random() < 0.5
            stated = timeline[k - 1] if lagging else current
            keys = [q for q in stated if rng.random() < 0.85 or q.startswith("state:")] or list(stated)[:1]
            lead = leads[w].format(**{**slots, "d": DAYS[start]})
            _check(lead, {})
            body = [lead]
            for q in keys:
                sent = _fact_sentence(q, stated[q], w, slots, rng)
                _check(sent, {q: stated[q]})
                body.append(sent)
            for b in rng.sample(backgrounds[w], rng.randint(1, 3)):
                b = b.format(**slots)
                _check(b, {})
                body.append(b)
            body = [body[0]] + rng.sample(body[1:], len(body) - 1)[:5] if len(body) > 6 else body
            when = night + timedelta(hours=6 + 2 * j + (0 if lagging else 1), minutes=rng.randint(0, 59))
            rid = {"Reuters": "reuters:DEV", "AFP": "afp:TX-DEV", "dpa": "dpa:urn:newsml:dpa.com:dev", "AP": "ap:dev"}[
                wire
            ]
            records.append(
                {
                    "id": f"{rid}-{i:02d}-{k}-{j}",
                    "source": wire,
                    "title": f"{city} {event}: latest from {v}"
                    if w % 2
                    else f"{event.capitalize()} near {city}: {v} update",
                    "text": _header(wire, city, country, night) + "\n".join(body),
                    "published_at": when.strftime("%Y-%m-%dT%H:%M:00Z"),
                    "language": "en",
                    "url": None,
                    "story": label,
                }
            )
    return label, records


def build() -> tuple[dict[int, list[dict]], dict]:
    rng = random.Random(SEED)
    kinds = list(KINDS)
    by_night: dict[int, list[dict]] = {n: [] for n in range(4)}
    gold: dict[str, dict] = {}
    redistributed: dict[str, str] = {}
    all_records: list[dict] = []
    for i in range(len(PLACES)):
        label, records = _story(i, kinds[i % len(kinds)], rng)
        ap = [r for r in records if r["source"] == "AP"]
        if ap and len(redistributed) < 6 and rng.random() < 0.6:
            orig = rng.choice(ap)
            by = rng.choice(["dpa", "AFP"])
            city = PLACES[i][0]
            body = orig["text"].split(" — ", 1)[1]
            when = datetime.strptime(orig["published_at"], "%Y-%m-%dT%H:%M:00Z") + timedelta(minutes=40)
            copy = {
                **orig,
                "id": f"{'dpa:urn:newsml:dpa.com:devr' if by == 'dpa' else 'afp:TX-DEVR'}-{i:02d}",
                "source": by,
                "title": orig["title"] + f" ({by}/AP)",
                "text": f"{city} ({by}/AP) - " + body,
                "published_at": when.strftime("%Y-%m-%dT%H:%M:00Z"),
            }
            records.append(copy)
            redistributed[copy["id"]] = orig["id"]
        all_records += records
        for r in records:
            by_night[(datetime.strptime(r["published_at"][:10], "%Y-%m-%d") - NIGHTS[0]).days].append(r)
        own = [r for r in records if r["id"] not in redistributed]
        current: dict[str, object] = {}
        for r in sorted(own, key=lambda r: r["published_at"]):
            for line in r["text"].split("\n"):
                current.update(facts(line))
        wires_of: dict[str, list[str]] = {}
        for q, val in current.items():
            wires_of[q] = sorted(
                {r["source"] for r in own for line in r["text"].split("\n") if facts(line).get(q) == val}
            )
        gold[label] = {
            "current": current,
            "wires": wires_of,
            "items": [r["id"] for r in records],
            "redistributions": {c: o for c, o in redistributed.items() if c in {r["id"] for r in records}},
        }
    for n in by_night:
        by_night[n].sort(key=lambda r: (r["published_at"], r["id"]))
    return by_night, {
        "nights": [f"night-{n + 1}.jsonl" for n in range(4)],
        "as_of": [(d + timedelta(hours=23)).isoformat() for d in NIGHTS],
        "stories": gold,
    }


def write(out_dir: Path) -> None:
    by_night, gold = build()
    out_dir.mkdir(parents=True, exist_ok=True)
    for n, records in by_night.items():
        with open(out_dir / f"night-{n + 1}.jsonl", "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out_dir / "gold.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "demo" / "developing")
