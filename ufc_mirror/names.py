"""Names: UFCStats splitting, Sherdog slugs, search folding and realistic name variants.

A Sherdog name differs from the UFCStats name the way real ones do (order swapped, extra
or missing middle names, suffixes, punctuation, accents, nickname used as the name,
transliterated first names). :func:`sherdog_name_variant` applies them with a per-fighter
random generator and returns the tags that end up in the truth file.
"""

from __future__ import annotations

import random
import re

from unidecode import unidecode

VARIANT_TAGS = (
    "same_name_other_person",
    "reordered",
    "extra_names",
    "suffix",
    "punctuation",
    "accents",
    "nickname_as_name",
    "spelling",
)

CJK_SURNAMES = frozenset(
    "Zhang Wang Li Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Song "
    "Zheng Liang Xie Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu "
    "Du Ye Cheng Wei Su Lu Ding Ren Shen Yao Jin Fu Zhong Yan Bai Kim Lee Park Choi Jung "
    "Jeong Kang Cho Yoon Jang Lim Oh Seo Shin Kwon Hwang Ahn Yoo Hong Jeon Ko Moon Son Bae "
    "Baek Heo Nam Noh Ha Ryu Yun Jo Chung".split()
)
_WESTERN_GIVEN = frozenset(
    "Kevin Imani Paul James David Matt Tommy Tyson Harvey Albert Joe Denis Andy Jackie Rocky "
    "Brady Andrea Vaughan Lee Kim Yan Petr Sai Ren Shin Xiao Lu Dong Nam".split()
)
_SYLLABLES = re.compile(
    r"^(?:(?:zh|ch|sh|[bcdfghjklmnpqrstwxyz])?[yw]?(?:a|e|i|o|u|eo|eu|ae|oe|oo)+(?:ng|n|m|k|l)?)+$",
    re.IGNORECASE,
)
PT_NAMES = (
    "Santos Souza Oliveira Ferreira Pereira Alves Lima Costa Rodrigues Gomes Martins Araujo "
    "Barbosa Ribeiro Carvalho Rocha Nascimento Moreira Cardoso Teixeira Correia Pinto Batista "
    "Freitas Mendes Vieira Lopes Cunha Lipski Monteiro Siqueira Medeiros Rezende".split()
)
ES_NAMES = "Garcia Hernandez Lopez Martinez Gonzalez Perez Sanchez Ramirez Flores Torres".split()
MALE_MIDDLES = "Lee Ray Dean Dale Jay James Allen Wayne".split()
FEMALE_MIDDLES = "Lynn Jean Jo Rae Marie Ann Lee".split()
_SUFFIX_RE = r"Jr\.?|Sr\.?|II|III|IV"
_PARTICLES = frozenset({"da", "de", "do", "dos", "das", "del", "van", "von", "la", "le", "di"})

_ACCENT_TEXT = (
    "Jose:José Joao:João Andre:André Fabio:Fábio Marcio:Márcio Antonio:Antônio "
    "Rogerio:Rogério Sergio:Sérgio Julio:Júlio Cesar:César Ramon:Ramón "
    "Jedrzejczyk:Jędrzejczyk Blachowicz:Błachowicz Prochazka:Procházka Jiri:Jiří "
    "Vitor:Vítor Flavio:Flávio Claudio:Cláudio Mauricio:Maurício Sebastien:Sébastien "
    "Jeremy:Jérémy Helder:Hélder Mario:Mário Ruben:Rubén Adrian:Adrián Martin:Martín "
    "Hector:Héctor Angel:Ángel Oscar:Óscar Raul:Raúl Ivan:Iván Nunez:Núñez Pena:Peña "
    "Munoz:Muñoz Ibanez:Ibáñez Gonzalez:González Hernandez:Hernández Rodriguez:Rodríguez "
    "Perez:Pérez Lopez:López Sanchez:Sánchez Ramirez:Ramírez Martinez:Martínez "
    "Jimenez:Jiménez Dominguez:Domínguez Fernandez:Fernández Araujo:Araújo "
    "Goncalves:Gonçalves Conceicao:Conceição Assuncao:Assunção Magalhaes:Magalhães "
    "Guimaraes:Guimarães Simoes:Simões Leao:Leão Romao:Romão Krol:Król Sliwa:Śliwa "
    "Zelazny:Żelazny Lukasz:Łukasz Pawel:Paweł Michal:Michał Stepan:Štěpán Dvorak:Dvořák "
    "Rene:René Jerome:Jérôme Francois:François Bjorn:Björn Soren:Søren Jorgen:Jørgen "
    "Muller:Müller Joanna:Joanna Aldo:Aldo"
)
ACCENT_WORDS: dict[str, str] = {
    a: b for a, b in (pair.split(":") for pair in _ACCENT_TEXT.split()) if a != b
}
_GENERIC_ACCENT = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ú"}

_SPELLING_TEXT = (
    "Alex:Alexander Mike:Michael Chris:Christopher Matt:Matthew Dan:Daniel Tony:Anthony "
    "Joe:Joseph Nick:Nicholas Rob:Robert Tom:Thomas Will:William Jim:James Ben:Benjamin "
    "Sam:Samuel Zak:Zach Jon:Jonathan Khabib:Habib Magomed:Magomet Muhammad:Mohammed "
    "Mohammad:Muhammad Alexey:Aleksei Sergey:Sergei Yuri:Yury Dmitry:Dmitrii Andrey:Andrei "
    "Nikolay:Nikolai Mikhail:Michail Evgeny:Evgenii Aleksandr:Alexander "
    "Aleksandar:Aleksander Rustam:Rustem Zabit:Zabbit Shamil:Shamill Abdul:Abdoul "
    "Said:Saeed Ricky:Rick Jeff:Jeffrey Steve:Steven Pat:Patrick Ed:Edward Greg:Gregory "
    "Dave:David Jake:Jacob Josh:Joshua Andy:Andrew"
)
SPELLING_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (a, b) for a, b in (pair.split(":") for pair in _SPELLING_TEXT.split())
)
_SPELLING = {a: b for a, b in SPELLING_PAIRS} | {b: a for a, b in SPELLING_PAIRS[:16]}


def fold(text: str) -> str:
    """Search folding: accents to ASCII and lower case; punctuation is kept as it is."""
    return unidecode(text).lower()


def sort_key(name: str) -> str:
    """Alphabetical key (accent-insensitive, case-insensitive, spaces collapsed)."""
    return " ".join(fold(name).split())


def split_ufcstats(name: str) -> tuple[str, str]:
    """UFCStats first/last: first token is the first name; a single token is the last name."""
    parts = name.split()
    if len(parts) <= 1:
        return "", name.strip()
    return parts[0], " ".join(parts[1:])


def list_letter(last: str, first: str = "") -> str | None:
    """The ``char=`` letter of the fighters list: first ASCII letter of the last name."""
    for text in (last, first):
        for ch in unidecode(text).lower():
            if "a" <= ch <= "z":
                return ch
    return None


def slugify(text: str) -> str:
    """Sherdog-style slug: ASCII, runs of other characters become one hyphen."""
    return re.sub(r"[^A-Za-z0-9]+", "-", unidecode(text)).strip("-") or "Fighter"


def looks_cjk(name: str) -> bool:
    """Two-token name with an East Asian surname and a romanised given name."""
    parts = name.split()
    if len(parts) != 2:
        return False
    a, b = parts
    for sur, given in ((a, b), (b, a)):
        if sur in CJK_SURNAMES and given not in _WESTERN_GIVEN:
            core = given.replace("-", "")
            if _SYLLABLES.match(core) and (len(core) >= 4 or given[1:] != given[1:].lower()):
                return True
    return False


def _looks_portuguese(parts: list[str]) -> bool:
    return any(p in PT_NAMES or p.lower() in {"da", "dos", "do", "de"} for p in parts[1:])


def _accent(name: str, rng: random.Random, female: bool = False) -> str:
    parts = name.split()
    hits = [i for i, p in enumerate(parts) if p in ACCENT_WORDS and ACCENT_WORDS[p] != p]
    if hits:
        for i in hits:
            parts[i] = ACCENT_WORDS[parts[i]]
        return " ".join(parts)
    word = parts[-1]
    if word.endswith("ez") and len(word) > 4:
        stem = word[:-2]
        spots = [
            j
            for j in range(len(stem))
            if stem[j] in _GENERIC_ACCENT and stem[j - 1 : j] not in "qg"
        ]
        if not spots:
            return name
        j = spots[-1]
        new = stem[:j] + _GENERIC_ACCENT[stem[j]] + stem[j + 1 :] + "ez"
    elif word.endswith("ao"):
        new = word[:-2] + "ão"
    elif re.search(r"(ski|cz|czyk|wicz|ska)$", word) and "l" in word:
        new = word.replace("l", "ł", 1)
    elif re.search(r"(ic|vic)$", word):
        new = word[:-1] + "ć"
    else:
        return name
    return " ".join(parts[:-1] + [new])


def _extra_names(name: str, rng: random.Random, female: bool = False) -> str:
    parts = name.split()
    if parts and re.fullmatch(_SUFFIX_RE, parts[-1]):
        return name
    if len(parts) >= 3 and rng.random() < 0.5:
        return " ".join(parts[:1] + parts[2:])  # Sherdog drops a middle name
    if len(parts) < 2:
        return name
    particle = next((i for i, p in enumerate(parts) if i > 0 and p.lower() in _PARTICLES), None)
    if particle is not None:
        return " ".join(parts[:particle] + [rng.choice(PT_NAMES)] + parts[particle:])
    if _looks_portuguese(parts):
        extra = rng.choice(PT_NAMES)
    elif parts[-1] in ES_NAMES or parts[-1].endswith("ez"):
        return f"{name} {rng.choice(ES_NAMES)}"  # second family name
    else:
        extra = rng.choice(FEMALE_MIDDLES if female else MALE_MIDDLES)
    if extra in parts:
        return name
    return " ".join(parts[:1] + [extra] + parts[1:])


def _suffix(name: str, rng: random.Random, female: bool = False) -> str:
    parts = name.split()
    if len(parts) >= 3 and re.fullmatch(_SUFFIX_RE, parts[-1]):
        return " ".join(parts[:-1])
    if female or len(parts) < 2:
        return name
    return name + rng.choice((" Jr.", " Jr.", " Jr.", " III", " II"))


def _punctuation(name: str, rng: random.Random, female: bool = False) -> str:
    out = name.replace("'", "").replace("\u2019", "").replace(".", "")
    out = out.replace("-", "" if rng.random() < 0.6 else " ")
    return " ".join(out.split())


def _spelling(name: str, rng: random.Random, female: bool = False) -> str:
    parts = name.split()
    if parts and parts[0] in _SPELLING:
        parts[0] = _SPELLING[parts[0]]
        return " ".join(parts)
    for i, p in enumerate(parts):
        if p.startswith("Kh") and len(p) > 3:
            parts[i] = "H" + p[2:]
            return " ".join(parts)
        for old, new in (("ey", "ei"), ("iy", "y"), ("sandr", "xander"), ("ov", "off")):
            if p.endswith(old) and len(p) > len(old) + 2:
                parts[i] = p[: -len(old)] + new
                return " ".join(parts)
    return name


def _rate(rng: random.Random, p: float) -> bool:
    return rng.random() < p


def sherdog_name_variant(
    name: str, nickname: str | None, rng: random.Random, female: bool = False
) -> tuple[str, list[str]]:
    """Return the Sherdog spelling of a UFCStats name and the variant tags applied.

    Most names stay identical; each variant applies to a realistic minority and only when it
    changes the name.
    """
    tags: list[str] = []
    out = name
    parts = name.split()
    if nickname and " " not in nickname.strip() and len(parts) >= 2 and _rate(rng, 0.006):
        nick = nickname.strip().strip('"')
        if nick.isalpha() and nick[0].isupper():
            return f"{nick} {parts[-1]}", ["nickname_as_name"]
    if len(parts) == 2 and ((looks_cjk(name) and _rate(rng, 0.6)) or _rate(rng, 0.004)):
        out = f"{parts[1]} {parts[0]}"
        tags.append("reordered")
    rules: tuple[tuple[str, float, object], ...] = (
        (
            "extra_names",
            0.30 if len(parts) >= 3 or _looks_portuguese(parts) else 0.025,
            _extra_names,
        ),
        ("suffix", 0.45 if re.search(rf" ({_SUFFIX_RE})$", name) else 0.004, _suffix),
        ("punctuation", 0.45 if re.search(r"['\-.\u2019]", name) else 0.0, _punctuation),
        ("accents", 0.55 if any(p in ACCENT_WORDS for p in parts) else 0.25, _accent),
        ("spelling", 0.22 if parts and parts[0] in _SPELLING else 0.012, _spelling),
    )
    for tag, p, fn in rules:
        if "reordered" in tags and tag in ("extra_names", "spelling"):
            continue
        if _rate(rng, p):
            new = fn(out, rng, female)  # type: ignore[operator]
            changed = new != out and (tag == "accents" or fold(new) != fold(out))
            if changed:
                out = new
                tags.append(tag)
    return out, tags
