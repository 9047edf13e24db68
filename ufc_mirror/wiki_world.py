"""The Wikimedia side of the mirror world: Wikidata items, English Wikipedia articles and
Commons files of the listed UFC fighters, plus the items of their birth cities, regions and
countries.

Computed lazily once per world (:func:`wiki_world`) and kept beside it (the world itself is
not changed); fighters added later (``world.generation`` changed) get their data on the next
call, the others keep theirs. Every choice comes from
``random.Random(f"{seed}:wiki:<purpose>:<ufcstats id>")``.

Per listed fighter (shares of the full world, see :data:`SHARES`):

* a Wikidata item or not (about 70 %, more likely with many UFC bouts), with a made-up stable
  id ``Q5000000``..``Q7999999`` (never a city ``Q9xxxxxxxx`` of :mod:`ufc_mirror.places`,
  a real country or a class item); label = the UFCStats name, about 3 % spelled otherwise
  (accents, transliteration, full first name, family name first);
* P31 Q5, P21, P106, P569 (the UFCStats birth date, precision 11, about 2 % year only),
  P2818 Sherdog fighter ID (about 85 %, a string), P19 birth place (about 75 %, about 2 %
  of them a wrong city), P27 citizenship (about 90 %, sometimes two), P18 image (about
  50 %; about 0.5 % of items show another fighter's file);
* an English Wikipedia article (about 60 % of items; title = label, sometimes with a
  disambiguation); its page image is the P18 file, or (about 10 % of articles) a non-free
  local file that pageimages serves only with ``pilicense=any``;
* Commons files with a licence (CC BY-SA 4.0, CC BY-SA 3.0, CC BY 2.0, public domain) and
  a picture: a portrait for most, a picture without a face (about 2 %) or with two people
  (about 1 %) for some.

Some fighters also have a namesake item (same label, another person, no Sherdog ID), so a
search by name alone finds the wrong person. :func:`wiki_truth` lists what the pipeline
should find.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
import re
import threading
import zlib
from dataclasses import dataclass, field
from typing import Any

from ufc_mirror import places
from ufc_mirror.model import UfcFighter, World
from ufc_mirror.names import ACCENT_WORDS, SPELLING_PAIRS, fold, looks_cjk

#: Shares of the full world (targets; the per-fighter chances below produce them).
SHARES: dict[str, float] = {
    "item": 0.70,  # of listed fighters
    "label_differs": 0.03,  # of items
    "sherdog_id": 0.85,  # of items
    "birth_place": 0.75,  # of items
    "birth_place_wrong": 0.02,  # of items with P19
    "citizenship": 0.90,  # of items
    "enwiki": 0.60,  # of items
    "image": 0.50,  # of items (P18)
    "non_free": 0.10,  # of articles
    "no_face": 0.02,  # of files
    "two_faces": 0.01,  # of files
    "shared": 0.005,  # of items
}
P_YEAR_ONLY = 0.02
P_DUAL = 0.05  # of items with P27
P_DISAMBIG = 0.15  # of articles
P_PAGE_ONLY = 0.08  # articles without P18 whose page image is a free Commons file
P_NAMESAKE = 0.06  # fighters with a namesake item (another person, same label)
P_OTHER_WIKI = 0.35  # items without enwiki but with a home-language article
P_DEPRECATED_DOB = 0.01  # items with a second, deprecated, wrong birth date
P_LABEL_VARIANT = 0.13  # of items whose name has a variant (so about 3 % of items)
P_ALIAS = 0.5  # of items whose label differs: the UFCStats spelling as an alias

FIGHTER_QID_BASE = 5_000_000
FIGHTER_QID_SPAN = 3_000_000
REGION_QID_BASE = 4_000_000
REGION_QID_SPAN = 1_000_000
PICTURE_KEY_BASE = 20_000_000  # Commons files: portrait key = base + Sherdog id
NON_FREE_KEY_BASE = 30_000_000  # non-free local files on the English Wikipedia

HUMAN, CITY, COUNTRY_CLASS, REGION_CLASS = "Q5", "Q515", "Q6256", "Q10864048"
MALE, FEMALE, MMA_FIGHTER, IMPORTED_FROM_ENWIKI = "Q6581097", "Q6581072", "Q11607585", "Q328"
GREGORIAN = "http://www.wikidata.org/entity/Q1985727"
OCCUPATIONS: tuple[tuple[str, str], ...] = (
    ("Q937857", "association football player"),
    ("Q3665646", "basketball player"),
    ("Q82955", "politician"),
    ("Q33999", "actor"),
    ("Q177220", "singer"),
    ("Q1650915", "researcher"),
)
CLASS_ITEMS: dict[str, tuple[str, str]] = {
    HUMAN: ("human", "any member of Homo sapiens"),
    CITY: ("city", "large human settlement"),
    COUNTRY_CLASS: ("country", "distinct territorial body or political entity"),
    REGION_CLASS: ("first-level administrative division", "administrative division"),
    MALE: ("male", "to be used in \"sex or gender\" (P21) to indicate that the human "
                   "subject is a male"),
    FEMALE: ("female", "to be used in \"sex or gender\" (P21) to indicate that the human "
                       "subject is a female"),
    MMA_FIGHTER: ("mixed martial artist", "athlete who competes in mixed martial arts"),
    IMPORTED_FROM_ENWIKI: ("English Wikipedia", "English-language edition of Wikipedia"),
    **{qid: (label, "occupation") for qid, label in OCCUPATIONS},
}  # fmt: skip
RESERVED_QIDS = frozenset(CLASS_ITEMS) | {c.qid for c in places.COUNTRIES.values()}

DEMONYMS = {
    "US": "American", "BR": "Brazilian", "RU": "Russian", "GB": "British", "IE": "Irish",
    "CA": "Canadian", "MX": "Mexican", "PL": "Polish", "JP": "Japanese", "CN": "Chinese",
    "KR": "South Korean", "AU": "Australian", "FR": "French", "SE": "Swedish", "NL": "Dutch",
    "GE": "Georgian", "KZ": "Kazakhstani", "ZA": "South African", "NG": "Nigerian",
    "PH": "Filipino",
}  # fmt: skip
HOME_WIKIS = {
    "brazil": "ptwiki", "russia": "ruwiki", "poland": "plwiki", "japan": "jawiki",
    "china": "zhwiki", "korea": "kowiki", "france": "frwiki", "sweden": "svwiki",
    "netherlands": "nlwiki", "georgia": "kawiki", "kazakhstan": "kkwiki", "mexico": "eswiki",
}  # fmt: skip
#: How Wikidata spells some mirror places (Sherdog and UFC.com write them without accents).
PLACE_LABELS = {
    "Sao Paulo": "São Paulo", "Parana": "Paraná", "Krakow": "Kraków", "Gdansk": "Gdańsk",
    "Wroclaw": "Wrocław", "Malmo": "Malmö", "Nuevo Leon": "Nuevo León",
}  # fmt: skip
REGION_KIND = {
    "US": "state of the United States of America", "AU": "state of Australia",
    "BR": "state of Brazil", "CA": "province of Canada", "CN": "province of China",
    "JP": "prefecture of Japan", "MX": "state of Mexico", "RU": "federal subject of Russia",
    "ZA": "province of South Africa",
}  # fmt: skip
COUNTRY_DESCRIPTIONS = {"US": "country primarily located in North America"}


@dataclass(frozen=True, slots=True)
class Licence:
    """A licence as Commons' extmetadata names it."""

    short_name: str  # LicenseShortName
    code: str  # License
    url: str | None  # LicenseUrl (none for public domain)
    usage_terms: str  # UsageTerms
    free: bool = True

    @property
    def attribution_required(self) -> bool:
        """Whether a credit is required (extmetadata ``AttributionRequired``)."""
        return self.code.startswith("cc-")


LICENCES: tuple[tuple[Licence, float], ...] = (
    (Licence("CC BY-SA 4.0", "cc-by-sa-4.0", "https://creativecommons.org/licenses/by-sa/4.0",
             "Creative Commons Attribution-Share Alike 4.0"), 0.55),
    (Licence("CC BY-SA 3.0", "cc-by-sa-3.0", "https://creativecommons.org/licenses/by-sa/3.0",
             "Creative Commons Attribution-Share Alike 3.0"), 0.15),
    (Licence("CC BY 2.0", "cc-by-2.0", "https://creativecommons.org/licenses/by/2.0",
             "Creative Commons Attribution 2.0"), 0.15),
    (Licence("Public domain", "pd", None, "Public domain"), 0.15),
)  # fmt: skip
FAIR_USE = Licence("Fair use", "fair use", None, "Fair use", free=False)

_USER_HEADS = ("Cageside", "Octagon", "Ringside", "Southpaw", "Canvas", "Fightnight",
               "Clinch", "Mat", "Sprawl", "Corner")  # fmt: skip
_USER_TAILS = ("Photo", "Lens", "Shots", "Media", "Pics", "Cam", "Frames", "Studio")
_FIRST_NAMES = ("Andrius", "Marcelo", "Tomasz", "Kelly", "Jesse", "Ronan", "Mika", "Leila",
                "Dmitri", "Yuki", "Carla", "Owen")  # fmt: skip
_LAST_NAMES = ("Petrenko", "Lindqvist", "Okafor", "Barros", "Hale", "Moreau", "Sato",
               "Quinn", "Vargas", "Novak")  # fmt: skip


@dataclass(slots=True)
class WikiFile:
    """A file: on Commons (free) or local to the English Wikipedia (non-free)."""

    name: str  # "Jon Jones 2019 (cropped).jpg" (spaces, no "File:")
    repo: str  # "commons" | "en"
    owner: str  # ufcstats id of the fighter it shows
    picture: str  # "portrait" | "no_face" | "two_faces"
    key: int  # picture key (ufc_mirror.portraits)
    licence: Licence
    author: str  # user name
    flickr: bool  # uploaded from Flickr (Artist and Credit link there)
    own_work: bool
    attribution: str | None  # the ready-made credit line, when the uploader gave one
    restrictions: str  # "personality" or ""
    uploaded: dt.datetime
    taken: dt.datetime | None
    description: str
    categories: str
    pageid: int

    @property
    def underscored(self) -> str:
        """The name as URLs and ``pageimage`` write it."""
        return self.name.replace(" ", "_")


@dataclass(slots=True)
class Article:
    """An English Wikipedia article of a fighter."""

    title: str
    pageid: int
    qid: str
    image: str | None  # page image file name (spaces)
    image_free: bool


@dataclass(slots=True)
class FighterWiki:
    """What the Wikimedia side shows of one listed fighter."""

    ufcstats_id: str
    qid: str | None = None
    label: str | None = None
    label_differs: bool = False
    aliases: list[str] = field(default_factory=list)
    description: str | None = None
    sherdog_id: int | None = None  # P2818 on the item
    birth_date: dt.date | None = None
    birth_precision: int | None = None
    birth_place: str | None = None  # P19 item
    true_birth_place: str | None = None
    birth_place_wrong: bool = False
    citizenship: list[str] = field(default_factory=list)  # ISO codes of P27
    enwiki: str | None = None
    other_sitelinks: dict[str, str] = field(default_factory=dict)
    p18: str | None = None
    own_file: str | None = None
    p18_wrong: bool = False
    shared_with: str | None = None
    page_image: str | None = None
    page_image_free: bool | None = None
    namesake_qid: str | None = None


def _rng(seed: int, purpose: str, key: str) -> random.Random:
    return random.Random(f"{seed}:wiki:{purpose}:{key}")


def _uuid(*parts: object) -> str:
    h = hashlib.md5(":".join(map(str, parts)).encode()).hexdigest().upper()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _numeric(qid: str) -> int:
    return int(qid[1:])


# -- Wikibase JSON ------------------------------------------------------------------------------


def item_value(qid: str) -> dict[str, Any]:
    """A ``wikibase-entityid`` data value."""
    return {"value": {"entity-type": "item", "numeric-id": _numeric(qid), "id": qid},
            "type": "wikibase-entityid"}  # fmt: skip


def _snak(prop: str, datavalue: dict[str, Any], datatype: str) -> dict[str, Any]:
    return {"snaktype": "value", "property": prop, "datavalue": datavalue, "datatype": datatype}


def _time(day: dt.date, precision: int) -> dict[str, Any]:
    text = f"+{day.year:04d}-00-00T00:00:00Z" if precision == 9 else f"+{day.isoformat()}T00:00:00Z"
    return {"value": {"time": text, "timezone": 0, "before": 0, "after": 0,
                      "precision": precision, "calendarmodel": GREGORIAN},
            "type": "time"}  # fmt: skip


_REF_ENWIKI = {
    "hash": "fa278ebfc458360e5aed63d5058cca83c46134f1",
    "snaks": {"P143": [_snak("P143", item_value(IMPORTED_FROM_ENWIKI), "wikibase-item")]},
    "snaks-order": ["P143"],
}


def _statement(qid: str, prop: str, snak: dict[str, Any], n: int = 0, rank: str = "normal",
               referenced: bool = False) -> dict[str, Any]:  # fmt: skip
    out: dict[str, Any] = {"mainsnak": snak, "type": "statement",
                           "id": f"{qid}${_uuid(qid, prop, n)}", "rank": rank}  # fmt: skip
    if referenced:
        out["references"] = [_REF_ENWIKI]
    return out


def _item_claim(qid: str, prop: str, value: str, n: int = 0, **kw: Any) -> dict[str, Any]:
    return _statement(qid, prop, _snak(prop, item_value(value), "wikibase-item"), n, **kw)


def _string_claim(qid: str, prop: str, value: str, datatype: str, n: int = 0,
                  **kw: Any) -> dict[str, Any]:  # fmt: skip
    snak = _snak(prop, {"value": value, "type": "string"}, datatype)
    return _statement(qid, prop, snak, n, **kw)


def _entity(qid: str, label: str, description: str | None, claims: dict[str, list[Any]],
            sitelinks: dict[str, str] | None = None,
            aliases: list[str] | None = None) -> dict[str, Any]:  # fmt: skip
    n = _numeric(qid)
    modified = dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
        seconds=zlib.crc32(qid.encode()) % (600 * 86400)
    )
    return {
        "pageid": 100_000 + n % 90_000_000,
        "ns": 0,
        "title": qid,
        "lastrevid": 2_000_000_000 + zlib.crc32(f"rev:{qid}".encode()) % 300_000_000,
        "modified": modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "type": "item",
        "id": qid,
        "labels": {"en": {"language": "en", "value": label}},
        "descriptions": ({"en": {"language": "en", "value": description}} if description else {}),
        "aliases": {"en": [{"language": "en", "value": a} for a in aliases]} if aliases else {},
        "claims": claims,
        "sitelinks": {
            site: {"site": site, "title": title, "badges": []}
            for site, title in sorted((sitelinks or {}).items())
        },
    }


# -- names ----------------------------------------------------------------------------------


def wikidata_label(name: str, region: str, rng: random.Random) -> str | None:
    """How Wikidata may spell a UFCStats name otherwise (accents, another transliteration,
    the full first name, the family name first), or None when no natural variant exists."""
    parts = name.split()
    if not parts:
        return None
    accented = [ACCENT_WORDS.get(p, p) for p in parts]
    if accented != parts:
        return " ".join(accented)
    if looks_cjk(name):
        return f"{parts[1]} {parts[0]}"
    if region in ("russia", "kazakhstan", "georgia"):
        for i, p in enumerate(parts):
            for old, new in (("Kh", "H"), ("iy", "ii"), ("ey", "ei"), ("ya", "ia"),
                             ("yu", "iu")):  # fmt: skip
                if old in p[:-1]:
                    parts[i] = p.replace(old, new, 1)
                    return " ".join(parts)
    full = dict(SPELLING_PAIRS[:16])  # Mike -> Michael, Chris -> Christopher, ...
    if parts[0] in full and len(parts) >= 2:
        return " ".join([full[parts[0]], *parts[1:]])
    if len(parts[0]) == 2 and parts[0].isupper():  # "AJ Dobson" -> "A. J. Dobson"
        return " ".join([f"{parts[0][0]}. {parts[0][1]}.", *parts[1:]])
    last = parts[-1]
    marks = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"}
    if last.endswith("ez") and len(last) > 4:  # Spanish: the stressed vowel before -ez
        spots = [i for i, ch in enumerate(last[:-2]) if ch in marks]
        if not spots:
            return None
        i = spots[-1]
        new = last[:i] + marks[last[i]] + last[i + 1 :]
    elif last.endswith("ao"):
        new = last[:-2] + "ão"
    elif re.search(r"(ski|cz|czyk|wicz|ska)$", last) and "l" in last[1:]:
        new = last[0] + last[1:].replace("l", "ł", 1)
    elif re.search(r"[^aeiouEr]ic$", last) and len(last) > 5:
        new = last[:-1] + "ć"
    else:
        return None
    return " ".join([*parts[:-1], new])


def place_label(text: str) -> str:
    """Wikidata's spelling of a mirror city or region name."""
    return PLACE_LABELS.get(text, text)


def _username(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return f"{rng.choice(_USER_HEADS)}{rng.choice(_USER_TAILS)}"
    if roll < 0.8:
        return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
    return f"{rng.choice(_USER_HEADS)}{rng.choice(_USER_TAILS)}{rng.randint(1, 99)}"


# -- the world ------------------------------------------------------------------------------


class WikiWorld:
    """The Wikimedia data of one world (see the module doc)."""

    def __init__(self, world: World) -> None:
        self.seed = world.seed
        self.fighters: dict[str, FighterWiki] = {}
        self.entities: dict[str, dict[str, Any]] = {}
        self.files: dict[str, WikiFile] = {}  # Commons, by name with spaces
        self.local_files: dict[str, WikiFile] = {}  # English Wikipedia (non-free)
        self.articles: dict[str, Article] = {}  # by title
        self.titles: set[str] = set()  # every English Wikipedia title in use
        self.generation = -1
        self.taken: set[str] = set(RESERVED_QIDS)
        self.region_qids: dict[tuple[str, str], str] = {}
        self.lock = threading.RLock()
        self.version = 0  # bumped whenever fighters are added
        self._places()

    # -- places ---------------------------------------------------------------------------
    def _new_qid(self, key: str, base: int, span: int) -> str:
        n = zlib.crc32(f"{self.seed}:wiki:qid:{key}".encode()) % span
        while True:
            qid = f"Q{base + n}"
            if qid not in self.taken:
                self.taken.add(qid)
                return qid
            n = (n + 1) % span

    def _places(self) -> None:
        for qid, (label, description) in CLASS_ITEMS.items():
            self.entities[qid] = _entity(qid, label, description, {})
        for _key, country in sorted(places.COUNTRIES.items()):
            q = country.qid
            claims = {
                "P31": [_item_claim(q, "P31", COUNTRY_CLASS)],
                "P297": [_string_claim(q, "P297", country.iso2, "external-id")],
            }
            desc = COUNTRY_DESCRIPTIONS.get(country.iso2, "sovereign state")
            self.entities[q] = _entity(q, country.name, desc, claims,
                                       {"enwiki": country.name})  # fmt: skip
            self.titles.add(country.name)
            self._article(country.name, q)
        for city in places.all_cities():
            self._city(city)

    def _article(self, title: str, qid: str, image: str | None = None, free: bool = False) -> None:
        pageid = 1_000_000 + zlib.crc32(f"enwiki:{title}".encode()) % 70_000_000
        self.articles[title] = Article(title, pageid, qid, image, free)

    def _region(self, place: places.Place) -> str | None:
        if not place.region:
            return None
        key = (place.country.iso2, place.region)
        qid = self.region_qids.get(key)
        if qid is None:
            qid = self._new_qid(f"region:{key}", REGION_QID_BASE, REGION_QID_SPAN)
            self.region_qids[key] = qid
            kind = REGION_KIND.get(place.country.iso2, f"region of {place.country.name}")
            claims = {
                "P31": [_item_claim(qid, "P31", REGION_CLASS)],
                "P17": [_item_claim(qid, "P17", place.country.qid)],
            }
            self.entities[qid] = _entity(qid, place_label(place.region), kind, claims)
        return qid

    def _city(self, place: places.Place) -> None:
        if not place.city or place.qid in self.entities:
            return
        q = place.qid
        region = self._region(place)
        claims = {
            "P31": [_item_claim(q, "P31", CITY)],
            "P17": [_item_claim(q, "P17", place.country.qid)],
        }
        where = place.country.name
        if region:
            claims["P131"] = [_item_claim(q, "P131", region)]
            where = f"{place_label(place.region or '')}, {where}"
        title = place_label(place.city)
        if title in self.titles:
            title = f"{title}, {place_label(place.region or place.country.name)}"
        self.titles.add(title)
        self._article(title, q)
        self.entities[q] = _entity(q, place_label(place.city), f"city in {where}", claims,
                                   {"enwiki": title})  # fmt: skip

    # -- fighters -------------------------------------------------------------------------
    def update(self, world: World) -> None:
        """Compute the data of listed fighters not seen yet (in id order)."""
        new = [f for f in world.listed if f.id not in self.fighters]
        if not new:
            self.generation = world.generation
            return
        years = {
            f.id: sorted({world.seed_events[b.event_id].date.year for b in f.bouts
                          if b.event_id in world.seed_events})
            for f in new
        }  # fmt: skip
        for f in new:
            self.fighters[f.id] = self._fighter(f, years[f.id])
        self._share_photos(new)
        for f in new:
            self._pages(f, years[f.id])
        for f in new:
            w = self.fighters[f.id]
            if w.qid:
                self.entities[w.qid] = self._fighter_entity(f, w)
        self.generation = world.generation
        self.version += 1

    def _fighter(self, f: UfcFighter, years: list[int]) -> FighterWiki:
        seed, person = self.seed, f.person
        rng = _rng(seed, "fighter", f.id)
        w = FighterWiki(f.id)
        n = len(f.bouts)
        p_item = 0.47 + 0.51 * (1.0 - math.exp(-(n - 1) / 3.5)) if n else 0.30
        has_item = rng.random() < p_item
        if rng.random() < P_NAMESAKE:
            w.namesake_qid = self._new_qid(f"namesake:{f.id}", FIGHTER_QID_BASE,
                                           FIGHTER_QID_SPAN)  # fmt: skip
        if not has_item:
            if w.namesake_qid:
                self._namesake(f, w.namesake_qid, f.name)
            return w
        w.qid = self._new_qid(f"fighter:{f.id}", FIGHTER_QID_BASE, FIGHTER_QID_SPAN)
        w.label = f.name
        variant = wikidata_label(f.name, person.region, _rng(seed, "label", f.id))
        if variant and variant != f.name and rng.random() < P_LABEL_VARIANT:
            w.label, w.label_differs = variant, True
            if rng.random() < P_ALIAS:
                w.aliases.append(f.name)
        country = places.country_of(person)
        w.description = f"{DEMONYMS[country.iso2]} mixed martial artist"
        if w.namesake_qid:
            self._namesake(f, w.namesake_qid, w.label)
        if rng.random() < SHARES["sherdog_id"]:
            w.sherdog_id = person.sherdog_id
        year_only = rng.random() < P_YEAR_ONLY
        if f.dob is not None:
            w.birth_date = f.dob
            w.birth_precision = 9 if year_only else 11
        truth_place = places.birth_place(person)
        if rng.random() < SHARES["birth_place"]:
            w.true_birth_place = truth_place.qid
            w.birth_place = truth_place.qid
            if rng.random() < SHARES["birth_place_wrong"]:
                others = [c for c in places.all_cities() if c.qid != truth_place.qid]
                same = [c for c in others if c.country == country]
                wrong = rng.choice(same if same and rng.random() < 0.5 else others)
                w.birth_place = wrong.qid
                w.birth_place_wrong = True
                self._city(wrong)
            self._city(truth_place)
        if rng.random() < SHARES["citizenship"]:
            w.citizenship = [country.iso2]
            if rng.random() < P_DUAL:
                other = rng.choice(
                    [c for c in sorted(places.COUNTRIES.values(), key=lambda c: c.iso2)
                     if c.iso2 != country.iso2]
                )  # fmt: skip
                w.citizenship.append(other.iso2)
        p_enwiki = 0.35 + 0.55 * (1.0 - math.exp(-(n - 1) / 5.0)) if n else 0.2
        if rng.random() < p_enwiki:
            w.enwiki = w.label
            roll = rng.random()
            if roll < P_DISAMBIG:
                suffix = " (fighter)" if roll < P_DISAMBIG * 0.7 else " (mixed martial artist)"
                w.enwiki = w.label + suffix
            if w.enwiki in self.titles:  # a namesake already has the title
                born = f" born {f.dob.year}" if f.dob else ""
                w.enwiki = f"{w.label} (fighter{born})"
                if w.enwiki in self.titles:
                    w.enwiki = f"{w.label} (fighter {f.id[:6]})"
            self.titles.add(w.enwiki)
        elif person.region in HOME_WIKIS and rng.random() < P_OTHER_WIKI:
            w.other_sitelinks[HOME_WIKIS[person.region]] = w.label
        if rng.random() < SHARES["image"]:
            w.own_file = self._new_file(f, w, "own", years)
            w.p18 = w.own_file
        return w

    def _namesake(self, f: UfcFighter, qid: str, label: str) -> None:
        rng = _rng(self.seed, "namesake", f.id)
        occupation, what = rng.choice(OCCUPATIONS)
        country = places.country_of(f.person)
        born = dt.date(rng.randint(1931, 2001), rng.randint(1, 12), rng.randint(1, 28))
        if f.dob is not None and abs((born - f.dob).days) < 400:
            born = born.replace(year=born.year - 7)
        claims = {
            "P31": [_item_claim(qid, "P31", HUMAN)],
            "P21": [_item_claim(qid, "P21", FEMALE if f.person.female else MALE)],
            "P106": [_item_claim(qid, "P106", occupation)],
            "P569": [_statement(qid, "P569", _snak("P569", _time(born, 11), "time"))],
            "P27": [_item_claim(qid, "P27", country.qid)],
        }
        desc = f"{DEMONYMS[country.iso2]} {what} (born {born.year})"
        self.entities[qid] = _entity(qid, label, desc, claims)

    def _new_file(self, f: UfcFighter, w: FighterWiki, purpose: str, years: list[int]) -> str:
        """A Commons file showing the fighter (registered in ``self.files``)."""
        seed = self.seed
        rng = _rng(seed, f"file:{purpose}", f.id)
        label = w.label or f.name
        pick = rng.random()
        licence = LICENCES[-1][0]
        acc = 0.0
        for lic, share in LICENCES:
            acc += share
            if pick < acc:
                licence = lic
                break
        year = rng.choice(years) if years and rng.random() < 0.7 else rng.randint(2008, 2024)
        year = max(year, 2014 if licence.code.endswith("4.0") else 2008)
        roll = rng.random()
        if roll < 0.3:
            name = f"{label} {year} (cropped).jpg"
        elif roll < 0.5:
            name = f"{label} (cropped).jpg"
        elif roll < 0.7:
            name = f"{label} {year}.jpg"
        elif roll < 0.85:
            name = f"{label} at UFC {rng.randint(100, 300)}.jpg"
        elif roll < 0.95:
            name = f"{label}.jpg"
        else:
            name = f"{label} - {year}.JPG"
        while name in self.files:
            stem, _, ext = name.rpartition(".")
            name = f"{stem} ({rng.randint(2, 9)}).{ext}"
        kind_roll = rng.random()
        picture = (
            "no_face" if kind_roll < SHARES["no_face"]
            else "two_faces" if kind_roll < SHARES["no_face"] + SHARES["two_faces"]
            else "portrait"
        )  # fmt: skip
        flickr = licence.code == "cc-by-2.0"
        author = _username(rng)
        uploaded = dt.datetime(year, 1, 1) + dt.timedelta(
            days=rng.randint(0, 364), seconds=rng.randint(0, 86399)
        )
        taken = None if rng.random() < 0.15 else uploaded - dt.timedelta(
            days=rng.randint(0, 30), minutes=rng.randint(0, 600)
        )  # fmt: skip
        attribution = None
        if licence.attribution_required and rng.random() < 0.3:
            attribution = f"{author}, Wikimedia Commons, CC-{licence.short_name[3:].lower()}"
        restrictions = "personality" if rng.random() < 0.6 else ""
        country = places.country_of(f.person)
        event = f"UFC {rng.randint(100, 300)}" if rng.random() < 0.5 else "a UFC event"
        desc = (
            f"{label} at {event}" if picture != "no_face"
            else f"Poster of a fight night ({year})"
        )  # fmt: skip
        cats = [label, f"Mixed martial artists from {country.name}"]
        cats.append("Files from Flickr" if flickr else "Self-published work")
        if restrictions:
            cats.append("Personality rights warning")
        if licence.code == "pd":
            cats.append("PD-self")
        wf = WikiFile(
            name=name, repo="commons", owner=f.id, picture=picture,
            key=PICTURE_KEY_BASE + f.person.sherdog_id, licence=licence, author=author,
            flickr=flickr, own_work=not flickr, attribution=attribution,
            restrictions=restrictions, uploaded=uploaded, taken=taken, description=desc,
            categories="|".join(sorted(cats)),
            pageid=10_000_000 + zlib.crc32(f"commons:{name}".encode()) % 150_000_000,
        )  # fmt: skip
        self.files[name] = wf
        return name

    def _non_free(self, f: UfcFighter, w: FighterWiki) -> str:
        rng = _rng(self.seed, "non_free", f.id)
        label = w.label or f.name
        name = f"{label} UFC {rng.randint(100, 300)}.jpg"
        while name in self.local_files or name in self.files:
            name = f"{label} UFC {rng.randint(100, 300)}.jpg"
        uploaded = dt.datetime(2012, 1, 1) + dt.timedelta(days=rng.randint(0, 4000))
        self.local_files[name] = WikiFile(
            name=name, repo="en", owner=f.id, picture="portrait",
            key=NON_FREE_KEY_BASE + f.person.sherdog_id, licence=FAIR_USE,
            author="Zuffa, LLC", flickr=False, own_work=False, attribution=None,
            restrictions="", uploaded=uploaded, taken=None,
            description=f"Promotional photograph of {label}", categories=
            "All non-free media|Non-free images for NFUR review|Non-free promotional images",
            pageid=40_000_000 + zlib.crc32(f"en:{name}".encode()) % 30_000_000,
        )  # fmt: skip
        return name

    def _share_photos(self, new: list[UfcFighter]) -> None:
        """About 0.5 % of items get another fighter's file as P18 (a wrong P18)."""
        for f in new:
            w = self.fighters[f.id]
            if not w.p18:
                continue
            rng = _rng(self.seed, "share", f.id)
            if rng.random() >= SHARES["shared"] / SHARES["image"]:
                continue
            owners = [o for o in sorted(self.fighters) if o != f.id
                      and self.fighters[o].own_file and not self.fighters[o].p18_wrong
                      and self.fighters[o].shared_with is None]  # fmt: skip
            if not owners:
                continue
            other = self.fighters[rng.choice(owners)]
            del self.files[w.own_file or ""]
            w.own_file = None
            w.p18 = other.own_file
            w.p18_wrong = True
            w.shared_with = other.ufcstats_id
            other.shared_with = f.id

    def _pages(self, f: UfcFighter, years: list[int]) -> None:
        w = self.fighters[f.id]
        if not w.enwiki or not w.qid:
            return
        rng = _rng(self.seed, "page", f.id)
        image, free = None, False
        if rng.random() < SHARES["non_free"]:
            image = self._non_free(f, w)
        elif w.p18:
            image, free = w.p18, True
        elif rng.random() < P_PAGE_ONLY:
            w.own_file = self._new_file(f, w, "page", years)
            image, free = w.own_file, True
        w.page_image, w.page_image_free = image, (free if image else None)
        self._article(w.enwiki, w.qid, image, free)

    def _fighter_entity(self, f: UfcFighter, w: FighterWiki) -> dict[str, Any]:
        q = w.qid or ""
        rng = _rng(self.seed, "entity", f.id)
        claims: dict[str, list[Any]] = {
            "P31": [_item_claim(q, "P31", HUMAN, referenced=rng.random() < 0.5)],
            "P21": [_item_claim(q, "P21", FEMALE if f.person.female else MALE)],
            "P106": [_item_claim(q, "P106", MMA_FIGHTER)],
        }
        if w.birth_date and w.birth_precision:
            stmts = [
                _statement(
                    q,
                    "P569",
                    _snak("P569", _time(w.birth_date, w.birth_precision), "time"),
                    referenced=rng.random() < 0.6,
                )
            ]
            if rng.random() < P_DEPRECATED_DOB:
                wrong = w.birth_date.replace(year=w.birth_date.year + 1, day=1)
                stmts[0]["rank"] = "preferred"
                stmts.append(
                    _statement(
                        q, "P569", _snak("P569", _time(wrong, 11), "time"), 1, rank="deprecated"
                    )
                )
            claims["P569"] = stmts
        if w.birth_place:
            claims["P19"] = [_item_claim(q, "P19", w.birth_place, referenced=True)]
        if w.citizenship:
            by_iso = {c.iso2: c.qid for c in places.COUNTRIES.values()}
            claims["P27"] = [_item_claim(q, "P27", by_iso[iso], i)
                             for i, iso in enumerate(w.citizenship)]  # fmt: skip
        if w.p18:
            snak = _snak("P18", {"value": w.p18, "type": "string"}, "commonsMedia")
            claims["P18"] = [_statement(q, "P18", snak)]
        if w.sherdog_id is not None:
            claims["P2818"] = [_string_claim(q, "P2818", str(w.sherdog_id), "external-id")]
        sitelinks = dict(w.other_sitelinks)
        if w.enwiki:
            sitelinks["enwiki"] = w.enwiki
        return _entity(q, w.label or f.name, w.description, claims, sitelinks, w.aliases)

    # -- look-ups -------------------------------------------------------------------------
    def file(self, name: str, repo: str = "commons") -> WikiFile | None:
        """The file called ``name`` (spaces or underscores) on ``repo``."""
        key = name.replace("_", " ")
        return (self.files if repo == "commons" else self.local_files).get(key)

    def sherdog_items(self) -> list[tuple[str, str]]:
        """``(qid, P2818 value)`` of every item with a Sherdog fighter ID."""
        return sorted(
            ((w.qid, str(w.sherdog_id)) for w in self.fighters.values()
             if w.qid and w.sherdog_id is not None),
            key=lambda pair: _numeric(pair[0]),
        )  # fmt: skip

    def search_entries(self) -> list[tuple[str, str, str, str]]:
        """``(folded text, qid, match type, text)`` of every label and alias."""
        out = []
        for qid, ent in self.entities.items():
            label = ent["labels"]["en"]["value"]
            out.append((" ".join(fold(label).split()), qid, "label", label))
            for alias in ent["aliases"].get("en", []):
                out.append((" ".join(fold(alias["value"]).split()), qid, "alias", alias["value"]))
        return out


_CACHE_LOCK = threading.Lock()
_CACHE_ATTR = "_wiki_world"


def wiki_world(world: World) -> WikiWorld:
    """The Wikimedia data of ``world`` (computed on first use; fighters added since the last
    call are added now).

    Kept on the world itself: a cache keyed by ``id(world)`` needed a finalizer to forget a
    collected world, and a collection during ``WikiWorld(...)``, under the cache lock, ran
    that finalizer in the same thread, which then waited for the lock it held.
    """
    with _CACHE_LOCK:
        ww = getattr(world, _CACHE_ATTR, None)
        if ww is None:
            ww = WikiWorld(world)
            setattr(world, _CACHE_ATTR, ww)
    if ww.generation != world.generation:
        with world.lock, ww.lock:  # world first: the servers render under world.lock
            if ww.generation != world.generation:
                ww.update(world)
    return ww


def wiki_truth(world: World) -> dict[str, dict[str, Any]]:
    """Per listed fighter: what the Wikimedia mirror shows and what the pipeline should find.

    ``image_file`` is the free file the Commons source should end with (the article's page
    image when free, else P18); ``picture`` is what that file shows (``portrait``,
    ``no_face``, ``two_faces``: the last two must be rejected by the face check).
    """
    ww = wiki_world(world)
    out: dict[str, dict[str, Any]] = {}
    for f in world.listed:
        w = ww.fighters[f.id]
        image = w.page_image if w.page_image and w.page_image_free else w.p18
        wf = ww.files.get(image) if image else None
        namesake = w.namesake_qid
        out[f.id] = {
            "ufcstats_id": f.id,
            "qid": w.qid,
            "label": w.label,
            "label_differs": w.label_differs,
            "aliases": list(w.aliases),
            "sherdog_id_on_item": w.sherdog_id,
            "birth_date": w.birth_date.isoformat() if w.birth_date else None,
            "birth_date_precision": w.birth_precision,
            "birth_place_qid": w.birth_place,
            "true_birth_place_qid": w.true_birth_place,
            "birth_place_wrong": w.birth_place_wrong,
            "citizenship": list(w.citizenship),
            "enwiki": w.enwiki,
            "p18": w.p18,
            "p18_wrong": w.p18_wrong,
            "shared_with": w.shared_with,
            "page_image": w.page_image,
            "page_image_free": w.page_image_free,
            "image_file": image,
            "licence": wf.licence.short_name if wf else None,
            "free": wf.licence.free if wf else None,
            "author": wf.author if wf else None,
            "picture": wf.picture if wf else None,
            "namesake_qid": namesake,
        }
    return out
