"""The kinds of developing story: event phrase, leads and background sentences per wire."""

# Per kind: the event phrase, one lead per wire (Reuters, AFP, dpa, AP) and per wire three background
# sentences (no figures, no states); {v} village, {c} city, {s} surname, {co} company, {d} first day.
KINDS: dict[str, tuple[str, list[str], list[list[str]]]] = {
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
