"""UFC.com as the mirror world shows it, per listed UFC fighter.

For each fighter of ``world.listed``: whether UFC.com has an athlete page (about 92 %; the
rest get a 404), its slug, and what the page says: the name (mostly the UFCStats name, some
with accents added or another transliteration), nickname, division, record (some lag by one
fight), status, place of birth (some under the older label "Hometown", a few wrong), gym,
birth date (JSON-LD), measurements, octagon debut and photo (or a placeholder). Also the
first ``/athletes/all`` page, the rankings, the slug overrides the pipeline ships and the
truth the tests and the demo check against.

Slugs follow the real rules (:func:`ufccom_slug`: lower case, accents folded, apostrophes and
periods dropped, other runs of punctuation become one hyphen). About 3 % cannot be derived
from the UFCStats name: another spelling or transliteration, a middle name added or dropped,
a stale ``-0``/``-1`` suffix, or a namesake who took the plain slug first (Drupal gives the
later node ``-0``, then ``-1``). Of those, some are in the overrides file, most are on the
first athletes page or in the rankings, and a few are reachable by no route (recall loss).

Deterministic: every choice comes from ``random.Random(f"{seed}:ufccom:<purpose>:<id>")``,
so a fighter added by a mutation never changes another fighter's draws. The data is computed
on first use and kept on the world (attribute ``_ufccom_cache``) until ``world.generation``
changes; it is then recomputed (new fighters, records, statuses, rankings).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import re
import threading
from dataclasses import dataclass, field, replace
from typing import Any

from unidecode import unidecode

from ufc_mirror import names
from ufc_mirror.model import UfcFighter, World
from ufc_mirror.places import COUNTRIES, birth_place
from ufc_mirror.pools import REGIONS

SITE = "https://www.ufc.com"
IMAGE_HOST = "https://ufc.com"
OLD_CDN = "https://dmxg5wxfqgb4u.cloudfront.net"
PORTRAIT_KEY_BASE = 10_000_000

# Shares (see the module doc); the test checks the measured ones.
ON_SITE = 0.92
NAME_ACCENTS = 0.18  # of the names that take an accent (about 9 %)
NAME_SPELLING = 0.06  # of the names with another usual spelling (about 20 %)
SLUG_QUIRK = 0.02
NICKNAME_DROPPED = 0.08
RECORD_LAG = 0.05
PLACE_SHOWN = 0.80
PLACE_HOMETOWN = 0.10
PLACE_DISAGREES = 0.02
PLACE_SPACED_COMMA = 0.03
TRAINS_SHOWN = 0.87  # of the fighters with a gym (about 85 %): about 75 % of pages
TRAINS_EMPTY = 0.08
TRAINS_WITH_CITY = 0.15
BIRTH_DATE_SHOWN = 0.85
PHOTO = 0.85
PHOTO_JPEG = 0.2
PHOTO_OLD_CDN = 0.08
UNREACHABLE = 0.10  # of the non-derivable slugs not on the first page
OVERRIDDEN = 0.30  # of the same
FIRST_PAGE_SIZE = 11
RANKED = 15

MEN_DIVISIONS = ("Flyweight", "Bantamweight", "Featherweight", "Lightweight", "Welterweight",
                 "Middleweight", "Light Heavyweight", "Heavyweight")  # fmt: skip
WOMEN_DIVISIONS = ("Women's Strawweight", "Women's Flyweight", "Women's Bantamweight",
                   "Women's Featherweight")  # fmt: skip
_MEN_LIMITS = ((125, "Flyweight"), (135, "Bantamweight"), (145, "Featherweight"),
               (155, "Lightweight"), (170, "Welterweight"), (185, "Middleweight"),
               (205, "Light Heavyweight"))  # fmt: skip
_WOMEN_LIMITS = ((115, "Women's Strawweight"), (125, "Women's Flyweight"),
                 (135, "Women's Bantamweight"))  # fmt: skip
FIGHTING_STYLES = ("MMA", "Brazilian Jiu-Jitsu", "Muay Thai", "Wrestling", "Kickboxing",
                   "Boxing", "Striker", "Grappler", "Freestyle", "Karate")  # fmt: skip
US_STATES = {"Nevada": "NV", "New Mexico": "NM", "California": "CA", "Colorado": "CO",
             "Texas": "TX", "Illinois": "IL", "Florida": "FL", "Pennsylvania": "PA",
             "Arizona": "AZ", "Wisconsin": "WI", "Georgia": "GA"}  # fmt: skip
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Placeholders (UFCCOM_WIKIMEDIA.md A4): the src the page shows and the path the mirror serves.
NO_PROFILE_SRC = "../themes/custom/ufc/assets/img/no-profile-image.png"
NO_PROFILE_PATH = "/themes/custom/ufc/assets/img/no-profile-image.png"
FEMALE_SILHOUETTE_PATH = "/themes/custom/ufc/assets/img/silhouette-headshot-female.png"
SHADOW_RED_PATH = (
    "/images/styles/athlete_bio_full_body/s3/image/fighter_images/SHADOW_Fighter_fullLength_RED.png"
)
SHADOW_BLUE_PATH = (
    "/images/styles/event_fight_card_upper_body_of_standing_athlete/s3/image/fighter_images/"
    "SHADOW_Fighter_fullLength_BLUE.png"
)
PLACEHOLDER_PATHS = {
    NO_PROFILE_PATH: "no_profile",
    FEMALE_SILHOUETTE_PATH: "female_silhouette",
    SHADOW_RED_PATH: "shadow_red",
    SHADOW_BLUE_PATH: "shadow_blue",
}

_LOCK = threading.Lock()
_CACHE_ATTR = "_ufccom_cache"


def ufccom_slug(text: str) -> str:
    """UFC.com's slug of a name: "Raul Rosas Jr." -> raul-rosas-jr, "Sean O'Malley" ->
    sean-omalley, "José Aldo" -> jose-aldo."""
    folded = unidecode(text).lower()
    folded = re.sub(r"['\u2019`.]", "", folded)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def ufccom_date(day: dt.date) -> str:
    """UFC.com's short date: "Jan. 29, 2017"."""
    return f"{MONTHS[day.month - 1]}. {day.day}, {day.year}"


def measure(value: float | None) -> str | None:
    """A bio measurement as UFC.com prints it ("65.00")."""
    return None if value is None else f"{value:.2f}"


@dataclass(frozen=True, slots=True)
class HeroImage:
    """The hero image of an athlete page: a photo or a placeholder."""

    src: str  # as written in the page (absolute, or relative for some placeholders)
    photo: bool
    placeholder: str | None  # no_profile | shadow_red | female_silhouette
    og: str | None = None  # og:image (photos only)
    teaser: str | None = None  # list front image (photos only)
    back: str | None = None  # list back image (None: an empty div, or the blue silhouette)
    headshot: str | None = None  # rankings champion block
    results: str | None = None  # result cards
    portrait_key: int = 0
    jpeg: bool = False


@dataclass(frozen=True, slots=True)
class Athlete:
    """One UFC.com athlete page (what the page shows) and how it relates to the truth."""

    ufcstats_id: str
    slug: str
    name: str
    given: str
    family: str
    nickname: str | None
    female: bool
    division: str | None
    wins: int
    losses: int
    draws: int
    record_lag: bool
    status: str
    place_of_birth: str | None
    place_label: str | None
    place_true: str
    place_disagrees: bool
    trains_at: str | None  # "" = the label is there with an empty value
    fighting_style: str | None
    birth_date: dt.date | None  # JSON-LD birthDate (None: not in the page)
    dob: dt.date | None  # the truth (for Age)
    age: int | None
    height_in: float | None
    weight_lbs: float | None
    reach_in: float | None
    leg_reach_in: float | None
    octagon_debut: dt.date | None
    last_fight: dt.date | None
    image: HeroImage
    name_variant: str | None  # accents | spelling
    slug_reason: str | None  # None when derivable
    derived_slug: str
    sort_key: tuple[str, str, str]
    node: int  # Drupal node id


@dataclass(frozen=True, slots=True)
class Ranked:
    """One row of a rankings table."""

    rank: int
    ufcstats_id: str
    change: int  # > 0 up, < 0 down, 0 none


@dataclass(frozen=True, slots=True)
class RankingGroup:
    """One ``div.view-grouping`` of the rankings page."""

    name: str  # "Flyweight", "Men's Pound-for-Pound"
    p4p: bool
    champion: str | None  # ufcstats id
    ranked: tuple[Ranked, ...]


@dataclass
class UfcComData:
    """Everything the UFC.com mirror serves for one world generation."""

    generation: int
    athletes: dict[str, Athlete]  # by UFCStats id (on-site only)
    by_slug: dict[str, Athlete]
    off_site: frozenset[str]
    alphabetical: list[str]  # ids in /athletes/all order
    rankings: list[RankingGroup]
    meta_rankings: list[RankingGroup]
    overrides: list[tuple[str, str]]
    unreachable: frozenset[str]
    images: dict[str, tuple[str, str]]  # served path -> (ufcstats id, style)
    derived_owner: dict[str, str]  # derived slug -> id of the athlete owning that slug
    ranks: dict[str, list[str]] = field(default_factory=dict)  # id -> hero tags

    @property
    def first_page(self) -> list[str]:
        """The ids of the cards on the bare ``/athletes/all`` page."""
        return self.alphabetical[:FIRST_PAGE_SIZE]


def _rng(world: World, purpose: str, fid: str) -> random.Random:
    return random.Random(f"{world.seed}:ufccom:{purpose}:{fid}")


def _event_date(world: World, event_id: str) -> dt.date:
    return world.seed_events[event_id].date


def division_of(f: UfcFighter) -> str | None:
    """The division UFC.com shows: the weight class of the latest bout that has a division
    (catch weight and open weight bouts skipped), else from the fighter's weight."""
    known = MEN_DIVISIONS + WOMEN_DIVISIONS
    for b in f.bouts:
        if b.weight_class in known:
            return b.weight_class
    if f.weight_lbs is None:
        return None
    limits = _WOMEN_LIMITS if f.person.female else _MEN_LIMITS
    for top, name in limits:
        if f.weight_lbs <= top:
            return name
    return "Women's Featherweight" if f.person.female else "Heavyweight"


def _status(world: World, last: dt.date | None) -> str:
    if last is None:
        return "Active"
    days = (world.as_of - last).days
    if days <= 548:
        return "Active"
    return "Not Fighting" if days <= 1461 else "Retired"


def _debut(world: World, f: UfcFighter) -> dt.date | None:
    ufc = [b for b in f.bouts if world.seed_events[b.event_id].is_ufc]
    pool = ufc or f.bouts
    return min((_event_date(world, b.event_id) for b in pool), default=None)


def _age(dob: dt.date | None, day: dt.date) -> int | None:
    if dob is None:
        return None
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _record(world: World, f: UfcFighter) -> tuple[int, int, int, bool]:
    rec = f.person.record()
    wins, losses, draws = rec["win"], rec["loss"], rec["draw"]
    if _rng(world, "record", f.id).random() >= RECORD_LAG:
        return wins, losses, draws, False
    pro = [x for x in f.person.section_fights("pro") if x.result in ("win", "loss", "draw")]
    if not pro:
        return wins, losses, draws, False
    latest = pro[0].result  # the site has not counted the latest fight yet
    if latest == "win":
        wins -= 1
    elif latest == "loss":
        losses -= 1
    else:
        draws -= 1
    return wins, losses, draws, True


def _shown_name(world: World, f: UfcFighter) -> tuple[str, str | None]:
    rng = _rng(world, "name", f.id)
    accents, spelling = rng.random(), rng.random()
    new = names._accent(f.name, rng, f.person.female)
    if accents < NAME_ACCENTS and new != f.name:
        return new, "accents"
    new = _first_name_spelling(f.name)
    if spelling < NAME_SPELLING and ufccom_slug(new) != ufccom_slug(f.name):
        return new, "spelling"
    return f.name, None


_FIRST_NAMES = {a: b for a, b in names.SPELLING_PAIRS} | {b: a for a, b in names.SPELLING_PAIRS}


def _first_name_spelling(name: str) -> str:
    """The other usual spelling or full form of the first name (Alex/Alexander, Alexey/Aleksei)."""
    parts = name.split()
    if len(parts) >= 2 and parts[0] in _FIRST_NAMES:
        parts[0] = _FIRST_NAMES[parts[0]]
    return " ".join(parts)


def _slug_quirk(world: World, f: UfcFighter, base: str) -> tuple[str, str | None]:
    """A slug UFC.com made some other way than from today's name (rare)."""
    rng = _rng(world, "slug", f.id)
    if rng.random() >= SLUG_QUIRK:
        return base, None
    parts = f.name.split()
    core = [p for p in parts if not re.fullmatch(r"Jr\.?|Sr\.?|II|III|IV", p)]
    kinds = ["extra_names", "stale_suffix", "spelling"]
    if len(core) >= 3:
        kinds.append("middle_dropped")
    kind = rng.choice(kinds)
    slug = base
    if kind == "middle_dropped":
        slug = ufccom_slug(" ".join(core[:1] + core[2:] + parts[len(core) :]))
    elif kind == "extra_names":
        slug = ufccom_slug(names._extra_names(f.name, rng, f.person.female))
    elif kind == "spelling":
        slug = ufccom_slug(_first_name_spelling(f.name))
    if slug == base or not slug:
        kind, slug = "stale_suffix", f"{base}-{rng.choice((0, 0, 1, 2))}"
    return slug, kind


def _place(world: World, f: UfcFighter) -> tuple[str | None, str | None, str, bool]:
    rng = _rng(world, "place", f.id)
    truth = birth_place(f.person)
    true_text = truth.ufccom
    if rng.random() >= PLACE_SHOWN:
        return None, None, true_text, False
    label = "Hometown" if rng.random() < PLACE_HOMETOWN else "Place of Birth"
    if rng.random() < PLACE_DISAGREES:
        other = rng.choice(sorted(k for k in REGIONS if k != f.person.region))
        city = rng.choice(REGIONS[other].cities).partition(",")[0].strip()
        return f"{city}, {COUNTRIES[other].name}", label, true_text, True
    if truth.city and rng.random() < PLACE_SPACED_COMMA:
        return f"{truth.city} , {truth.country.name}", label, true_text, False
    return true_text, label, true_text, False


def _trains_at(world: World, f: UfcFighter) -> str | None:
    rng = _rng(world, "gym", f.id)
    roll = rng.random()
    gym = f.person.association
    if roll < TRAINS_SHOWN:
        if not gym:
            return None
        place = f.person.birthplace or ""
        city, _, state = (p.strip() for p in place.partition(","))
        if f.person.region == "usa" and state in US_STATES and rng.random() < TRAINS_WITH_CITY:
            sep = "-" if rng.random() < 0.3 else ", "
            return f"{gym}{sep}{city}, {US_STATES[state]}"
        return gym
    if roll < TRAINS_SHOWN + TRAINS_EMPTY:
        return ""
    return None


def _ascii_upper(text: str) -> str:
    return re.sub(r"[^A-Z0-9\-]", "", unidecode(text).upper().replace(" ", "-"))


def _itok(world: World, path: str) -> str:
    digest = hashlib.sha1(f"{world.seed}:itok:{path}".encode()).digest()[:6]
    return base64.urlsafe_b64encode(digest).decode()


def _image(
    world: World, f: UfcFighter, given: str, family: str, day: dt.date, taken: dict[str, Any]
) -> HeroImage:
    rng = _rng(world, "image", f.id)
    key = PORTRAIT_KEY_BASE + f.person.sherdog_id
    if rng.random() >= PHOTO:
        blue = None
        if not f.person.female and rng.random() < 0.4:
            blue = f"{IMAGE_HOST}{SHADOW_BLUE_PATH}?itok={_itok(world, SHADOW_BLUE_PATH)}"
        if rng.random() < 0.5:
            return HeroImage(NO_PROFILE_SRC, False, "no_profile", back=blue)
        if f.person.female:
            return HeroImage(FEMALE_SILHOUETTE_PATH, False, "female_silhouette")
        red = f"{IMAGE_HOST}{SHADOW_RED_PATH}?itok={_itok(world, SHADOW_RED_PATH)}"
        return HeroImage(red, False, "shadow_red", back=blue)
    jpeg = rng.random() < PHOTO_JPEG
    old_cdn = rng.random() < PHOTO_OLD_CDN
    ext = "jpg" if jpeg else "png"
    stem = "_".join(x for x in (_ascii_upper(family), _ascii_upper(given)) if x) or "ATHLETE"
    ym, md = f"{day:%Y-%m}", f"{day:%m-%d}"
    while f"{ym}/{stem}" in taken:
        stem += "_0"
    taken[f"{ym}/{stem}"] = f.id
    belt = "_BELT" if f.belt else ""
    paths = {
        "hero": f"/images/styles/athlete_bio_full_body/s3/{ym}/{stem}{belt}_L_{md}.{ext}",
        "og": f"/images/{ym}/{stem}_{md}.{ext}",
        "teaser": f"/images/styles/teaser/s3/{ym}/{stem}_{md}.{ext}",
        "back": f"/images/styles/event_fight_card_upper_body_of_standing_athlete/s3/{ym}/"
        f"{stem}_R_{md}.{ext}",
        "headshot": f"/images/styles/athlete_profile_listing_medium_1x/s3/{ym}/{stem}{belt}_{md}"
        f".{ext}",
        "results": f"/images/styles/event_results_athlete_headshot/s3/{ym}/{stem}_{md}.{ext}",
    }
    urls = {k: f"{IMAGE_HOST}{p}?itok={_itok(world, p)}" for k, p in paths.items()}
    teaser = paths["teaser"]
    urls["teaser"] = f"{IMAGE_HOST}{teaser}?h=a30e7339&itok={_itok(world, teaser)}"
    if old_cdn:
        path = f"/styles/athlete_bio_full_body/s3/{ym}/{stem}_L_{md}.{ext}"
        paths["hero_cdn"] = path
        version = _itok(world, "version:" + path).replace("-", "x").replace("_", "y")
        urls["hero"] = f"{OLD_CDN}{path}?VersionId={version}&itok={_itok(world, path)}"
    return HeroImage(
        src=urls["hero"], photo=True, placeholder=None, og=urls["og"], teaser=urls["teaser"],
        back=urls["back"] if rng.random() < 0.8 else None, headshot=urls["headshot"],
        results=urls["results"], portrait_key=key, jpeg=jpeg,
    )  # fmt: skip


def _image_paths(img: HeroImage) -> dict[str, str]:
    out = {}
    for style in ("src", "og", "teaser", "back", "headshot", "results"):
        url = getattr(img, style)
        if url and url.startswith(("http://", "https://")) and img.photo:
            path = re.sub(r"^https?://[^/]+", "", url).partition("?")[0]
            out[path] = "hero" if style == "src" else style
    return out


def _athlete(world: World, f: UfcFighter, node: int, taken: dict[str, Any]) -> Athlete:
    shown, variant = _shown_name(world, f)
    given, family = names.split_ufcstats(shown)
    derived = ufccom_slug(f.name)
    base = ufccom_slug(shown)
    slug, quirk = _slug_quirk(world, f, base) if variant != "spelling" else (base, "spelling")
    nick_rng = _rng(world, "nickname", f.id)
    nickname = (f.nickname or "").strip().strip('"').strip() or None
    if nickname and nick_rng.random() < NICKNAME_DROPPED:
        nickname = None
    wins, losses, draws, lag = _record(world, f)
    last = _event_date(world, f.bouts[0].event_id) if f.bouts else None
    place, label, place_true, disagrees = _place(world, f)
    misc = _rng(world, "bio", f.id)
    dob = f.dob or f.person.dob
    birth_date = dob if dob and misc.random() < BIRTH_DATE_SHOWN else None
    style = misc.choice(FIGHTING_STYLES) if misc.random() < 0.6 else None
    height = float(f.height_in) if f.height_in else None
    leg = round(height * 0.555 * 2) / 2 if height and misc.random() < 0.6 else None
    photo_day = last or _debut(world, f) or world.as_of - dt.timedelta(days=30)
    image = _image(world, f, given, family, photo_day, taken)
    return Athlete(
        ufcstats_id=f.id, slug=slug, name=shown, given=given, family=family, nickname=nickname,
        female=f.person.female, division=division_of(f), wins=wins, losses=losses, draws=draws,
        record_lag=lag, status=_status(world, last), place_of_birth=place, place_label=label,
        place_true=place_true, place_disagrees=disagrees, trains_at=_trains_at(world, f),
        fighting_style=style, birth_date=birth_date, dob=dob, age=_age(dob, world.as_of),
        height_in=height, weight_lbs=float(f.weight_lbs) if f.weight_lbs else None,
        reach_in=float(f.reach_in) if f.reach_in else None, leg_reach_in=leg,
        octagon_debut=_debut(world, f), last_fight=last, image=image, name_variant=variant,
        slug_reason=quirk, derived_slug=derived,
        sort_key=(names.fold(f.last or f.first), names.fold(f.first), f.id), node=node,
    )  # fmt: skip


def _score(world: World, f: UfcFighter, a: Athlete) -> tuple[Any, ...]:
    recent = 0
    for b in f.bouts[:5]:
        outcome = b.red_outcome if b.red_id == f.id else b.blue_outcome
        recent += outcome == "W"
    return (a.status == "Active", recent, a.wins - a.losses, a.last_fight or dt.date.min, f.id)


def _rankings(
    world: World, athletes: dict[str, Athlete], forced: list[str], banned: set[str]
) -> tuple[list[RankingGroup], list[RankingGroup], list[str]]:
    """Rankings (champion + 15 per division, and the two pound-for-pound lists) with every
    ``forced`` athlete placed somewhere when there is room; returns the leftovers too."""
    score = {i: _score(world, world.fighters[i], a) for i, a in athletes.items()}
    pools: dict[str, list[str]] = {}
    for i, a in athletes.items():
        if i in banned or a.division is None or a.status == "Retired":
            continue
        pools.setdefault(a.division, []).append(i)
    want: dict[str, list[str]] = {}
    for i in forced:
        a = athletes[i]
        if a.division is not None:
            want.setdefault(a.division, []).append(i)
    placed: set[str] = set()
    divisions: dict[str, RankingGroup] = {}
    for name in MEN_DIVISIONS + WOMEN_DIVISIONS:
        pool = sorted(set(pools.get(name, [])) | set(want.get(name, [])), key=score.__getitem__,
                      reverse=True)  # fmt: skip
        if not pool:
            continue
        belts = [i for i in pool if world.fighters[i].belt]
        champ = max(belts, key=score.__getitem__) if belts else pool[0]
        rest = [i for i in pool if i != champ]
        must = [i for i in want.get(name, []) if i != champ][:RANKED]
        top = must + [i for i in rest if i not in must][: RANKED - len(must)]
        top.sort(key=score.__getitem__, reverse=True)
        rng = _rng(world, "ranks", name)
        rows = tuple(Ranked(n + 1, i, _change(rng)) for n, i in enumerate(top))
        divisions[name] = RankingGroup(name, False, champ, rows)
        placed.update(top)
        placed.add(champ)
    groups: list[RankingGroup] = []
    leftover = [i for i in forced if i not in placed]
    for label, names_, female in (("Men's Pound-for-Pound", MEN_DIVISIONS, False),
                                  ("Women's Pound-for-Pound", WOMEN_DIVISIONS, True)):  # fmt: skip
        mine = [divisions[n] for n in names_ if n in divisions]
        if not mine:
            continue
        late = [i for i in leftover if athletes[i].female == female][:RANKED]
        cands = [g.champion for g in mine if g.champion] + [g.ranked[0].ufcstats_id for g in mine
                                                            if g.ranked]  # fmt: skip
        cands = sorted(dict.fromkeys(cands), key=score.__getitem__, reverse=True)
        top = (cands[: RANKED - len(late)] + late)[:RANKED]
        top.sort(key=score.__getitem__, reverse=True)
        rng = _rng(world, "ranks", label)
        rows = tuple(Ranked(n + 1, i, _change(rng)) for n, i in enumerate(top))
        groups.append(RankingGroup(label, True, top[0] if top else None, rows))
        groups.extend(mine)
        placed.update(top)
    meta = []
    for g in groups:
        if g.p4p:
            continue
        ids = [r.ufcstats_id for r in g.ranked]
        rng = _rng(world, "meta", g.name)
        for k in range(0, len(ids) - 1, 2):
            if rng.random() < 0.4:
                ids[k], ids[k + 1] = ids[k + 1], ids[k]
        rows = tuple(Ranked(n + 1, i, 0) for n, i in enumerate(ids))
        meta.append(RankingGroup(g.name, False, g.champion, rows))
    return groups, meta, [i for i in forced if i not in placed]


def _change(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.1:
        return rng.randint(1, 3)
    if roll < 0.2:
        return -rng.randint(1, 3)
    return 0


def _compute(world: World) -> UfcComData:
    listed = world.listed
    on_site = [f for f in listed if _rng(world, "site", f.id).random() < ON_SITE]
    off_site = frozenset(f.id for f in listed) - {f.id for f in on_site}
    order = sorted(on_site, key=lambda f: (_debut(world, f) or dt.date.max, f.id))
    athletes: dict[str, Athlete] = {}
    by_slug: dict[str, Athlete] = {}
    taken: dict[str, Any] = {}
    for node, f in enumerate(order):
        a = _athlete(world, f, 28_000 + node * 7 + int(f.id[:2], 16) % 7, taken)
        slug, n = a.slug, 0
        while slug in by_slug:  # Drupal: the later node gets -0, then -1, ...
            slug = f"{a.slug}-{n}"
            n += 1
        if slug != a.slug:
            a = replace(a, slug=slug, slug_reason=a.slug_reason or "namesake")
        if slug == a.derived_slug:
            a = replace(a, slug_reason=None)
        elif a.slug_reason is None:
            a = replace(a, slug_reason="other")
        athletes[f.id] = a
        by_slug[slug] = a
    alphabetical = sorted(athletes, key=lambda i: athletes[i].sort_key)
    first = set(alphabetical[:FIRST_PAGE_SIZE])
    hidden = [i for i in sorted(athletes) if athletes[i].slug_reason and i not in first]
    unreachable, overridden, forced = set(), set(), []
    for i in hidden:
        roll = _rng(world, "route", i).random()
        if roll < UNREACHABLE:
            unreachable.add(i)
        elif roll < UNREACHABLE + OVERRIDDEN:
            overridden.add(i)
        else:
            forced.append(i)
    groups, meta, leftover = _rankings(world, athletes, forced, unreachable)
    overridden.update(leftover)
    images: dict[str, tuple[str, str]] = {}
    for i, a in athletes.items():
        for path, style in _image_paths(a.image).items():
            images[path] = (i, style)
    ranks: dict[str, list[str]] = {}
    for g in sorted(groups, key=lambda g: g.p4p):  # division tags first, then PFP
        if g.champion and not g.p4p:
            ranks.setdefault(g.champion, []).append("Title Holder")
        for r in g.ranked:
            tag = f"#{r.rank} PFP" if g.p4p else f"#{r.rank} {g.name} Division"
            ranks.setdefault(r.ufcstats_id, []).append(tag)
    derived_owner = {}
    for f in listed:
        d = ufccom_slug(f.name)
        if d in by_slug and by_slug[d].ufcstats_id != f.id:
            derived_owner[f.id] = by_slug[d].ufcstats_id
    return UfcComData(
        generation=world.generation, athletes=athletes, by_slug=by_slug, off_site=off_site,
        alphabetical=alphabetical, rankings=groups, meta_rankings=meta,
        overrides=sorted((i, athletes[i].slug) for i in overridden),
        unreachable=frozenset(unreachable), images=images, derived_owner=derived_owner,
        ranks=ranks,
    )  # fmt: skip


def ufccom_data(world: World) -> UfcComData:
    """The UFC.com data of ``world`` (computed once per ``world.generation``; thread-safe)."""
    with world.lock, _LOCK:  # the world's lock first, as the render cache takes it
        cached = getattr(world, _CACHE_ATTR, None)
        if cached is not None and cached.generation == world.generation:
            return cached
        data = _compute(world)
        setattr(world, _CACHE_ATTR, data)
        return data


def slug_overrides(world: World) -> list[tuple[str, str]]:
    """(UFCStats id, slug) for some of the athletes whose slug cannot be derived from their
    UFCStats name: what the pipeline ships in ``data/manual/ufccom_slugs.csv``."""
    return list(ufccom_data(world).overrides)


def ufccom_truth(world: World) -> dict[str, dict[str, Any]]:
    """Per listed fighter (UFCStats id): what UFC.com shows and how it can be found.

    ``slug`` is None for fighters without a page. ``routes`` lists how the page can be found
    (``derived`` from the UFCStats name, ``override`` file, ``first_page``, ``rankings``);
    empty for the few unreachable ones. ``derived_slug_owner`` names another fighter whose
    page answers at this fighter's derived slug (a namesake): a match there is wrong.
    """
    data = ufccom_data(world)
    ranked = {r.ufcstats_id for g in data.rankings for r in g.ranked}
    ranked |= {g.champion for g in data.rankings if g.champion}
    first = set(data.first_page)
    overridden = {i for i, _ in data.overrides}
    out: dict[str, dict[str, Any]] = {}
    for f in world.listed:
        a = data.athletes.get(f.id)
        base: dict[str, Any] = {
            "ufcstats_id": f.id,
            "ufcstats_name": f.name,
            "on_site": a is not None,
            "derived_slug": ufccom_slug(f.name),
            "derived_slug_owner": data.derived_owner.get(f.id),
        }
        if a is None:
            out[f.id] = base | {"slug": None, "derivable_slug": False, "routes": []}
            continue
        routes = []
        if a.slug_reason is None:
            routes.append("derived")
        if f.id in overridden:
            routes.append("override")
        if f.id in first:
            routes.append("first_page")
        if f.id in ranked:
            routes.append("rankings")
        out[f.id] = base | {
            "slug": a.slug,
            "url": f"{SITE}/athlete/{a.slug}",
            "derivable_slug": a.slug_reason is None,
            "slug_reason": a.slug_reason,
            "routes": routes,
            "name": a.name,
            "name_variant": a.name_variant,
            "nickname": a.nickname,
            "division": a.division,
            "wins": a.wins,
            "losses": a.losses,
            "draws": a.draws,
            "record_lag": a.record_lag,
            "status": a.status,
            "place_of_birth": a.place_of_birth,
            "place_label": a.place_label,
            "place_true": a.place_true,
            "place_disagrees": a.place_disagrees,
            "trains_at": a.trains_at,
            "birth_date": a.birth_date.isoformat() if a.birth_date else None,
            "age": a.age,
            "height_in": a.height_in,
            "weight_lbs": a.weight_lbs,
            "reach_in": a.reach_in,
            "leg_reach_in": a.leg_reach_in,
            "octagon_debut": a.octagon_debut.isoformat() if a.octagon_debut else None,
            "has_photo": a.image.photo,
            "image_src": a.image.src,
            "placeholder": a.image.placeholder,
            "portrait_key": a.image.portrait_key if a.image.photo else None,
        }
    return out
