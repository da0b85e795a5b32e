"""Vocabulary of the synthetic wire nights: wires, name syllables, countries, sentence openers,
tails and generic news sentences shared by all stories."""

#: (name, share of items, id maker). Shares roughly like a European desk's intake.
WIRES = [("Reuters", 0.24), ("AP", 0.22), ("AFP", 0.20), ("dpa", 0.16), ("PA", 0.10), ("ANSA", 0.08)]
WIRE_NAMES = [w for w, _ in WIRES]
WIRE_WEIGHTS = [p for _, p in WIRES]
WIRE_TAG = {"Reuters": "Reuters", "AP": "AP", "AFP": "AFP", "dpa": "dpa", "PA": "PA Media", "ANSA": "ANSA"}

SYL = (
    "ka ra mo li ta ne vo si da ru be lo mi sa to ha no ki ve la du ri po ze ma te gor lin van dor "
    "mar sel tor ber wal hen ost kel bra fin gul mun dra pel sor vik tan hol rad kov nik ser bel ard "
    "ian ost ulf emi ano ido"
).split()
SUFFIX_PLACE = [
    "burg",
    "ville",
    "stad",
    "grad",
    "ford",
    "holm",
    "ia",
    "ovo",
    "ton",
    "mouth",
    "haven",
    "sk",
    "ara",
    "ino",
]
SUFFIX_PERSON = ["son", "ov", "ez", "ini", "sen", "ski", "er", "ova", "elli", "berg", "man", "ic", "et", "ard"]
FIRST = (
    "Anna Maria Jonas Lukas Sofia Elena Pierre Marco Giulia Hans Karl Ingrid Olga Ivan James Sarah "
    "Michael Laura David Fatima Omar Yusuf Mei Kenji Hiro Aiko Carlos Lucia Diego Ana Tomasz Petra "
    "Nikos Eleni Ahmed Leila Priya Rahul Arjun Grace Samuel Kwame Amara Lars Freya Emil Astrid"
).split()
COUNTRIES = (
    "Germany France Italy Spain Poland Austria Belgium Netherlands Portugal Greece Sweden Norway "
    "Denmark Finland Ireland Britain Japan India Brazil Mexico Canada Turkey Egypt Kenya Nigeria "
    "Indonesia Chile Argentina Peru Vietnam Thailand Philippines Morocco Romania Hungary Ukraine"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
ORG_KIND = ["Group", "Holdings", "Industries", "Bank", "Airlines", "Energy", "Motors", "Logistics", "Systems", "Pharma"]
PARTY = ["Social Democrats", "Liberal Party", "Green Alliance", "People's Party", "Union for Progress", "Civic Front"]
TOPICS = [
    "migration",
    "climate policy",
    "energy prices",
    "housing costs",
    "defence spending",
    "farm subsidies",
    "trade tariffs",
    "pension reform",
]
MONTHS = "January February March April May June July August September October November December".split()
ORDINALS = ["second", "third", "fourth", "fifth"]

OPENERS = [
    "",
    "",
    "",
    "Officials said ",
    "According to local media, ",
    "On {day}, ",
    "Authorities said ",
    "A spokesperson said ",
    "Earlier, ",
    "By late afternoon, ",
    "In a statement, officials said ",
    "Police said ",
    "Reports said ",
]
TAILS = [
    "",
    "",
    "",
    ", officials said",
    ", according to a statement",
    ", local media reported",
    ", a spokesperson said",
    " on {day}",
    ", the ministry said",
    ", witnesses told reporters",
    ", a source familiar with the matter said",
]
GENERIC = [
    "The government said it was monitoring the situation closely.",
    "Further details were not immediately available.",
    "It was not immediately clear how the decision would affect other regions.",
    "The ministry did not respond to a request for comment.",
    "Opposition politicians criticised the handling of the matter.",
    "Markets reacted calmly to the news.",
    "The issue is expected to dominate the next session of parliament.",
    "Critics say the measures come too late.",
    "A full report is due to be published next month.",
    "Several international organisations offered assistance.",
    "Social media users shared images from the scene.",
    "Local businesses said the disruption would cost them dearly.",
    "The European Commission said it was in contact with national authorities.",
    "Analysts said the long-term impact was hard to predict.",
    "The mayor of {pl} said the city would provide support.",
    "Residents of {pl} told reporters they were worried.",
    "{p3}, an analyst at {org3}, said the outcome had been widely expected.",
    "Newspapers in {c} devoted their front pages to the story.",
    "A similar case occurred in {year}, when {n2} people were affected.",
    "The figures could not be independently verified.",
]
