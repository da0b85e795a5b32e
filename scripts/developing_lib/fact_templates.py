"""The fact sentences of the developing stories, per fact and per wire."""

# Per fact, one list of templates per wire (Reuters, AFP, dpa, AP); {n} the figure, {d} the day.
FACT_TEMPLATES: dict[str, list[list[str]]] = {
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
