"""Fixed pools for the generated parts of the mirror: regions, promotions, gyms, referees.

Everything here is invented (promotion, gym and referee names are made up); only the shape
mimics the real sites. Regions tie a nationality and flag code to birthplaces and to the
regional promotions a fighter from there usually fights in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Promotion:
    """A fictional regional promotion: Sherdog writes events as ``ABBR 12 - Subtitle``."""

    abbr: str
    name: str
    founded: int
    cadence_days: int


@dataclass(frozen=True, slots=True)
class Region:
    """A nationality with its flag code, birthplaces and home promotions."""

    nationality: str
    code: str
    cities: tuple[str, ...]
    promotions: tuple[Promotion, ...]


def _promos(spec: str) -> tuple[Promotion, ...]:
    out = []
    for item in spec.split(";"):
        abbr, name, founded, cadence = (x.strip() for x in item.split("|"))
        out.append(Promotion(abbr, name, int(founded), int(cadence)))
    return tuple(out)


def _region(nat: str, code: str, cities: str, promos: str) -> Region:
    return Region(nat, code, tuple(c.strip() for c in cities.split(";")), _promos(promos))


REGIONS: dict[str, Region] = {
    "usa": _region(
        "United States",
        "us",
        "Las Vegas, Nevada; Albuquerque, New Mexico; San Diego, California; Denver, Colorado; "
        "Houston, Texas; Chicago, Illinois; Miami, Florida; Philadelphia, Pennsylvania; "
        "Phoenix, Arizona; Sacramento, California; Milwaukee, Wisconsin; Atlanta, Georgia",
        "ICC|Iron Cage Championship|1996|45; ACL|Apex Combat League|2004|40; "
        "LSFN|Lone Star Fight Night|2001|60; PWFC|Pacific Warriors FC|1998|50; "
        "MCW|Midwest Cage Wars|1995|55; AFS|Atlantic Fight Series|2007|35; "
        "DSM|Desert Storm MMA|2003|70; GLC|Great Lakes Combat|2009|45",
    ),
    "brazil": _region(
        "Brazil",
        "br",
        "Rio de Janeiro; Sao Paulo; Curitiba, Parana; Belo Horizonte, Minas Gerais; "
        "Natal, Rio Grande do Norte; Manaus, Amazonas; Salvador, Bahia",
        "AVB|Arena Vale Tudo Brasil|1994|60; CGF|Copa Guerreiros Fight|2002|45; "
        "CSF|Circuito Selva Fight|2006|50; RJC|Rio Jungle Combat|2010|40",
    ),
    "russia": _region(
        "Russia",
        "ru",
        "Makhachkala, Dagestan; Moscow; Saint Petersburg; Grozny, Chechnya; Kazan, Tatarstan; "
        "Novosibirsk; Yekaterinburg",
        "SFC|Steppe Fighting Championship|2005|40; VCL|Volga Combat League|2008|45; "
        "NRF|Northern Road Fights|2011|35",
    ),
    "uk": _region(
        "England",
        "en",
        "Liverpool; Manchester; London; Leeds; Birmingham; Newcastle; Bristol",
        "ACC|Albion Cage Championship|2002|50; CWS|Crown Warriors Series|2008|40",
    ),
    "ireland": _region(
        "Ireland",
        "ie",
        "Dublin; Cork; Galway; Limerick",
        "ECF|Emerald Cage Fighting|2006|60",
    ),
    "canada": _region(
        "Canada",
        "ca",
        "Montreal, Quebec; Toronto, Ontario; Calgary, Alberta; Vancouver, British Columbia",
        "NFC|Northern Fury Combat|2003|55; MCS|Maple Cage Series|2010|50",
    ),
    "mexico": _region(
        "Mexico",
        "mx",
        "Tijuana, Baja California; Mexico City; Guadalajara, Jalisco; Monterrey, Nuevo Leon",
        "GAL|Guerreros Aztecas Lucha|2008|50; CTF|Cancha Total Fight|2012|45",
    ),
    "poland": _region(
        "Poland",
        "pl",
        "Warsaw; Krakow; Gdansk; Wroclaw; Olsztyn",
        "BFN|Baltic Fight Night|2004|50; VCF|Vistula Combat Federation|2009|45",
    ),
    "japan": _region(
        "Japan",
        "jp",
        "Tokyo; Osaka; Yokohama, Kanagawa; Sapporo, Hokkaido",
        "RSF|Rising Sun Fighting|1995|45; KTC|Kanto Combat|2003|40",
    ),
    "china": _region(
        "China",
        "cn",
        "Beijing; Shijiazhuang, Hebei; Hohhot, Inner Mongolia; Chengdu, Sichuan",
        "JDF|Jade Dragon Fights|2010|40; GWC|Great Wall Combat|2014|35",
    ),
    "korea": _region(
        "South Korea",
        "kr",
        "Seoul; Busan; Incheon; Daegu",
        "HFC|Han River Fight Club|2007|45",
    ),
    "australia": _region(
        "Australia",
        "au",
        "Sydney, New South Wales; Melbourne, Victoria; Brisbane, Queensland; Perth",
        "SCC|Southern Cross Cage|2005|50; OFL|Outback Fight League|2011|55",
    ),
    "france": _region(
        "France",
        "fr",
        "Paris; Marseille; Lyon; Nice",
        "GFC|Gallic Fight Championship|2012|45",
    ),
    "sweden": _region(
        "Sweden",
        "se",
        "Stockholm; Gothenburg; Malmo",
        "NCC|Nordic Cage Championship|2007|60",
    ),
    "netherlands": _region(
        "Netherlands",
        "nl",
        "Amsterdam; Rotterdam; Utrecht",
        "LFN|Lowlands Fight Night|2000|55",
    ),
    "georgia": _region(
        "Georgia",
        "ge",
        "Tbilisi; Batumi; Kutaisi",
        "CFL|Caucasus Fight League|2012|60",
    ),
    "kazakhstan": _region(
        "Kazakhstan",
        "kz",
        "Almaty; Astana; Shymkent",
        "SFC|Steppe Fighting Championship|2005|40; ALF|Altai Fighters|2013|50",
    ),
    "southafrica": _region(
        "South Africa",
        "za",
        "Johannesburg, Gauteng; Cape Town; Durban",
        "KWF|Kalahari Warrior Fights|2010|60",
    ),
    "nigeria": _region(
        "Nigeria",
        "ng",
        "Lagos; Abuja; Enugu",
        "NSC|Niger Strike Combat|2014|60",
    ),
    "philippines": _region(
        "Philippines",
        "ph",
        "Manila; Baguio; Cebu City",
        "IFS|Island Fight Series|2009|45",
    ),
}

GYM_WORDS_A = (
    "Iron Lion Apex Nova Titan Black Wolf Kings Phoenix Granite Spartan Elite Alpha Storm "
    "Jungle Arctic Legacy Valor Summit Atlas Fortress Dragon Crimson Tiger Eagle Cobra"
).split()
GYM_WORDS_B = (
    "MMA; Fight Club; Combat Academy; Martial Arts; Fight Team; Jiu-Jitsu; Training Center; "
    "Muay Thai; Fight Factory; Top Team; Kickboxing; Submission Fighting"
).split("; ")

NICKNAMES = (
    "The Hammer;Bulldog;The Machine;Showtime;Cyclone;The Beast;Spider;Pitbull;Tiger;"
    "The Natural;Lionheart;Dynamite;Iron;The Prodigy;Rampage;Thunder;Mr. Wonderful;"
    "The Butcher;Tank;Bad Boy;The Viking;The Reaper;Hurricane;Mad Dog;Wolverine;"
    "Boom Boom;Little Bear;El Toro;The Animal;Killer;Rocky;The Dragon;Pretty Boy;Smooth;"
    "Razor;The Gladiator;Samurai;The Panther;Danger;Psycho;Mayhem;The Assassin;Bam Bam;"
    "Nightmare;The Answer;Kid;Cowboy;Tarzan;Baby Face;The Rock;Sniper;Guerreiro"
).split(";")

REFEREE_FIRST = (
    "Mark Dan Herb John Keith Jason Marc Kevin Mike Chris Frank Rob Yves Osiris Leon Steve "
    "Jerin Kerry Fernando Eduardo Vitor Mario Neil Rich Dean Lukasz Paul Kim Lisa Alessandro "
    "Sergei Andrey Hiroshi Takeshi Tomasz Piotr Gary Greg Troy Rosario Chuck Anders"
).split()
REFEREE_LAST = (
    "Hollander Brennan Whitcombe Perreira Castellano Baldwin Fairhurst Oakes Lindqvist "
    "Montgomery Rasmussen Quigley Delacroix Tavares Gambino Vukovic Trzaska Novak Okafor "
    "Kasprzak Holloway Stenhouse Carmody Abernathy Pellegrini Tanabe Morikawa Sokolov "
    "Yarborough Fenwick Castaneda Ridgeway Blackwood Marlowe Kingsley Thorne Wexley Haddon"
).split()

EXTRA_FIRST = (
    "Aaron Adam Adriano Ahmed Aleksandr Amir Anderson Artur Bruno Caio Carlos Daniel Davi "
    "Diego Dmitry Eduardo Emil Felipe Gabriel Hamza Igor Ivan Jacob Jamal Jonas Juan Karim "
    "Kenji Leonardo Lucas Luis Marcus Mateus Mikhail Murad Nikita Omar Oleg Pablo Patrick "
    "Pedro Rafael Renato Ruslan Ryan Said Sergei Shamil Thiago Tyler Victor Wesley Yuri Zaur"
).split()
EXTRA_FEMALE_FIRST = (
    "Amanda Ana Bianca Carla Daria Elena Fernanda Gabriela Irina Jessica Julia Karina Larissa "
    "Maria Natalia Paula Priscila Sara Tatiana Viviane Yana Alexa Jennifer Kaitlyn Megan"
).split()
EXTRA_LAST = (
    "Silva Santos Souza Oliveira Pereira Costa Ferreira Almeida Ivanov Petrov Smirnov Kuznetsov "
    "Magomedov Aliev Gadzhiev Kowalski Nowak Wisniewski Smith Johnson Williams Brown Jones "
    "Miller Davis Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas "
    "Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Walker Hall Young King "
    "Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans "
    "Turner Torres Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Reed"
).split()

WEIGHT_CLASSES: tuple[tuple[str, int, int], ...] = (
    # (Sherdog class name, top weight in lbs, share among generated men)
    ("Flyweight", 125, 7),
    ("Bantamweight", 135, 12),
    ("Featherweight", 145, 15),
    ("Lightweight", 155, 19),
    ("Welterweight", 170, 18),
    ("Middleweight", 185, 13),
    ("Light Heavyweight", 205, 8),
    ("Heavyweight", 265, 8),
)
WOMEN_CLASSES: tuple[tuple[str, int, int], ...] = (
    ("Atomweight", 105, 3),
    ("Strawweight", 115, 35),
    ("Flyweight", 125, 32),
    ("Bantamweight", 135, 25),
    ("Featherweight", 145, 5),
)


def class_name_for(weight: int | None) -> str | None:
    """Sherdog weight-class name for a weight in pounds."""
    if weight is None:
        return None
    for name, top in (("Atomweight", 105), ("Strawweight", 115)):
        if weight <= top:
            return name
    for name, top, _ in WEIGHT_CLASSES:
        if weight <= top:
            return name
    return "Super Heavyweight"
