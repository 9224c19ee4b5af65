"""Places by name: Ukraine's regions and cities and the talks venues, in English and Ukrainian.

The data is storage/data/gazetteer.yaml (its header says what each field means). This module
is the one home of place keys: the key a record's region and place are stored under, the key
an area a reader types is matched by, and the key a subscription to an area keeps all come
from here, so `/incidents Запоріжжя`, `/incidents zaporozhye` and an ACLED row for
"Zaporizhia" meet. Keys are matched by prefix: "dnipro" finds the city of Dnipro and
Dnipropetrovsk Oblast.

A name the gazetteer does not know keys as itself, normalised (`normalise`).
"""

from __future__ import annotations

import difflib
import hashlib
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any
from zoneinfo import available_timezones

import yaml

from storage.timeparse import zone_or_error

DATA_NAME = "gazetteer.yaml"
KINDS = ("oblast", "republic", "city", "venue")
REGION_KINDS = ("oblast", "republic")
LANGUAGES = ("en", "uk")
DEFAULT_ZONE = "Europe/Kyiv"
# Part of the stored keys' fingerprint: change it whenever `normalise` or a key rule changes,
# so that connect() rebuilds the stored keys (see storage.db.refresh_place_keys).
KEY_RULES = "2"
# Typed apostrophes: ' ’ ‘ ` ´ and the modifier letters ʼ ʹ (Ukrainian "Словʼянськ").
APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc\u02b9"
_DROP = {ord(c): None for c in APOSTROPHES}
# An area typed as the start of a name ("Запор") needs this many letters to be read as one.
MIN_PREFIX = 3
# Oblast names ending so are also accepted with the other endings (and, in Ukrainian and
# Russian, without one: "Запорізька").
SUFFIXES = {" oblast": (" region", " obl"), " область": (" обл", "")}


def normalise(text: str) -> str:
    """Case, accents, apostrophes, hyphens and spacing folded away: 'Словʼянськ' and
    "слов'янськ", 'Ivano-Frankivsk' and 'ivano frankivsk' are the same."""
    # Decomposed before and after casefolding: each can undo the other ("ᴬ" decomposes to
    # "A"; "ϲ" to "ς", which casefolds to "σ"), and the result must fold to itself.
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    folded = unicodedata.normalize("NFKD", decomposed).translate(_DROP)
    kept = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    return " ".join(kept.split())


@dataclass(frozen=True)
class Place:
    """One place: its key, its names by language, its zone, and how it sits in Ukraine."""

    key: str
    names: Mapping[str, str] = field(compare=False)
    zone: str
    kind: str
    parent: str | None = None  # a city's oblast (or Crimea)
    centre: str | None = None  # a region's administrative centre
    spellings: tuple[str, ...] = field(default=(), compare=False)  # every other form
    admin1: tuple[str, ...] = field(default=(), compare=False)  # as a source's region

    def all_names(self) -> tuple[str, ...]:
        """The names and every spelling, in data order, without repeats."""
        return tuple(dict.fromkeys((*self.names.values(), *self.spellings)))


class GazetteerError(ValueError):
    """The data file is inconsistent; the message lists every problem."""


def _derived(name: str) -> list[str]:
    """An oblast's name with its other endings ('Kyiv Oblast' -> 'Kyiv region', 'Kyiv obl')."""
    out = []
    for ending, others in SUFFIXES.items():
        if name.casefold().endswith(ending):
            stem = name[: -len(ending)]
            out += [stem + other for other in others]
    return out


def _place(entry: dict[str, Any], kind: str) -> Place:
    kind = entry.get("kind", kind)
    names = MappingProxyType({lang: str(entry.get(lang) or "") for lang in LANGUAGES})
    also = [str(s) for s in entry.get("also") or ()]
    if kind in REGION_KINDS:
        also += [d for name in (*names.values(), *also) for d in _derived(name)]
    return Place(
        key=str(entry.get("key") or ""),
        names=names,
        zone=str(entry.get("zone") or DEFAULT_ZONE),
        kind=kind,
        parent=entry.get("parent"),
        centre=entry.get("centre"),
        spellings=tuple(dict.fromkeys(also)),
        admin1=tuple(str(s) for s in entry.get("admin1") or ()),
    )


class Gazetteer:
    """The places, and indexes from every normalised name to its place."""

    def __init__(self, places: Iterable[Place]):
        self.places = tuple(places)
        self.by_key: dict[str, Place] = {}
        self._names: dict[str, Place] = {}
        self._admin1: dict[str, Place] = {}
        problems: list[str] = []
        for place in self.places:
            problems += _check(place)
            if self.by_key.setdefault(place.key, place) is not place:
                problems.append(f"{place.key}: the key is given twice")
            for name in place.all_names():
                held = self._names.setdefault(normalise(name), place)
                if held is not place:
                    problems.append(f"{name!r} names both {held.key} and {place.key}")
            for name in place.admin1:
                held = self._admin1.setdefault(normalise(name), place)
                if held is not place:
                    problems.append(f"admin1 {name!r} names both {held.key} and {place.key}")
        for place in self.places:
            problems += self._check_links(place)
        if problems:
            raise GazetteerError("; ".join(problems))
        self._sorted = sorted(self._names)

    def _check_links(self, place: Place) -> list[str]:
        problems = []
        if self._names.get(place.key) is not place:
            problems.append(f"{place.key}: the key does not name its own place")
        parent = self.by_key.get(place.parent or "")
        if place.parent is not None and (parent is None or parent.kind not in REGION_KINDS):
            problems.append(f"{place.key}: parent {place.parent!r} is not a region")
        centre = self.by_key.get(place.centre or "")
        if place.centre is not None and (centre is None or centre.kind != "city"):
            problems.append(f"{place.key}: centre {place.centre!r} is not a city")
        return problems

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places)

    def lookup(self, name: str) -> Place | None:
        """The place this name (in any script and spelling) means, or None."""
        return self._names.get(normalise(name))

    def lookup_region(self, name: str) -> Place | None:
        """As `lookup`, for a record's region: a source's region names come first, so ACLED's
        'Kharkiv' is Kharkiv Oblast there, while a reader's 'Kharkiv' is the city."""
        folded = normalise(name)
        return self._admin1.get(folded) or self._names.get(folded)

    def matches(self, prefix: str) -> list[Place]:
        """The places with a name (in any script) starting with `prefix`, in data order."""
        folded = normalise(prefix)
        if not folded:
            return []
        found: set[str] = set()
        at = bisect_left(self._sorted, folded)
        while at < len(self._sorted) and self._sorted[at].startswith(folded):
            found.add(self._names[self._sorted[at]].key)
            at += 1
        return [p for p in self.places if p.key in found]

    def suggest(self, text: str, limit: int = 5) -> list[Place]:
        """Places whose names start like `text` or are spelled close to it ("did you mean")."""
        folded = normalise(text)
        if not folded:
            return []
        close = difflib.get_close_matches(folded, self._sorted, n=limit * 3, cutoff=0.75)
        places = [*self.matches(folded), *(self._names[name] for name in close)]
        return list(dict.fromkeys(places))[:limit]


def _check(place: Place) -> list[str]:
    where = place.key or repr(place.names.get("en"))
    problems = []
    if not place.key or normalise(place.key) != place.key:
        problems.append(f"{where}: the key must be lower case words")
    if place.kind not in KINDS:
        problems.append(f"{where}: kind {place.kind!r} is not one of {', '.join(KINDS)}")
    for lang in LANGUAGES:
        if not place.names.get(lang):
            problems.append(f"{where}: no {lang} name")
    if any('"' in name or not normalise(name) for name in place.all_names()):
        problems.append(f"{where}: a name is empty or holds a double quote")
    if (place.parent is None) != (place.kind != "city" or place.key in SPECIAL_CITIES):
        problems.append(f"{where}: a city has a parent region, and only a city")
    try:
        zone_or_error(place.zone)
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
    return problems


# Cities with special status (Constitution of Ukraine, art. 133): in no oblast.
SPECIAL_CITIES = ("kyiv", "sevastopol")


def data_text() -> str:
    return resources.files("storage").joinpath("data", DATA_NAME).read_text(encoding="utf-8")


def parse(text: str) -> Gazetteer:
    """A gazetteer from the data file's text; GazetteerError when it is inconsistent."""
    # libyaml's loader when PyYAML has it: the pure-Python one takes 0.27 s on this file.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader) or {}
    sections = {"regions": "oblast", "cities": "city", "venues": "venue"}
    return Gazetteer(
        _place(entry, kind)
        for section, kind in sections.items()
        for entry in data.get(section) or ()
    )


@cache
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, read once."""
    return parse(data_text())


@cache
def fingerprint() -> str:
    """Changes whenever the stored keys would: the data file and the key rules."""
    digest = hashlib.sha256(data_text().encode("utf-8"))
    return f"{KEY_RULES}:{digest.hexdigest()[:16]}"


def lookup(name: str) -> Place | None:
    return gazetteer().lookup(name)


def lookup_region(name: str) -> Place | None:
    return gazetteer().lookup_region(name)


def matches(prefix: str) -> list[Place]:
    return gazetteer().matches(prefix)


def suggest(text: str, limit: int = 5) -> list[Place]:
    return gazetteer().suggest(text, limit)


# --- keys --------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def place_key(place: str) -> str:
    """The key a record's place is stored under."""
    found = gazetteer().lookup(place)
    return found.key if found else normalise(place)


@lru_cache(maxsize=8192)
def region_key(region: str) -> str:
    """The key a record's region is stored under (a source's region names first)."""
    found = gazetteer().lookup_region(region)
    return found.key if found else normalise(region)


@lru_cache(maxsize=4096)
def area_key(area: str) -> str:
    """The key an area a reader types is matched by, as the prefix of a region or place key.

    A name of a place gives its key ("Запоріжжя", "Zaporozhye" -> "zaporizhzhia", which
    also starts "zaporizhzhia oblast"). The start of names ("Запор", "Дніпр") gives the key
    that starts every key it could mean, when there is one. Anything else is matched as
    typed, normalised. The same text always gives the same key, and a key gives itself.
    """
    book = gazetteer()
    folded = normalise(area)
    found = book.lookup(folded)
    if found:
        return found.key
    if len(folded) >= MIN_PREFIX:
        keys = [p.key for p in book.matches(folded)]
        shortest = min(keys, key=len, default="")
        if shortest and all(k.startswith(shortest) for k in keys):
            return shortest
    return folded


# --- search -------------------------------------------------------------------------------------

# A place named in several words ("Кривий Ріг", "Bila Tserkva") is read as one, up to this many.
MAX_NAME_WORDS = 4


def search_groups(words: list[str]) -> list[tuple[tuple[str, ...], ...]]:
    """The search words in groups of alternatives; a group is found when one alternative is.

    An alternative is a tuple of phrases that must all be found. A plain word is a group of
    itself; a run of words naming a place is a group of those words or any other spelling of
    the place, so `Запоріжжя` finds a record whose place is "Zaporizhzhia".
    """
    book = gazetteer()
    groups: list[tuple[tuple[str, ...], ...]] = []
    at = 0
    while at < len(words):
        for end in range(min(len(words), at + MAX_NAME_WORDS), at, -1):
            place = book.lookup(" ".join(words[at:end]))
            if place is not None:
                typed = tuple(words[at:end])
                seen = {normalise(" ".join(typed))}
                alternatives = [typed]
                for spelling in (*place.all_names(), *place.admin1):
                    if normalise(spelling) not in seen:
                        seen.add(normalise(spelling))
                        alternatives.append((spelling,))
                groups.append(tuple(alternatives))
                at = end
                break
        else:
            groups.append(((words[at],),))
            at += 1
    return groups


# --- time zones ---------------------------------------------------------------------------------


class UnknownZone(ValueError):
    """Neither a time zone nor a place we know; `places` and `zones` are close matches."""

    def __init__(self, text: str, places: list[Place], zones: list[str]):
        super().__init__(f"unknown time zone or place {text[:64]!r}")
        self.text = text
        self.places = places
        self.zones = zones


@cache
def _iana() -> dict[str, str]:
    """Every IANA zone by its casefolded name."""
    return {name.casefold(): name for name in available_timezones()}


@cache
def _iana_cities() -> dict[str, str]:
    """IANA zones by their last part, normalised ('new york' -> America/New_York), where
    only one zone ends so."""
    seen: dict[str, list[str]] = {}
    for name in sorted(available_timezones()):
        if "/" in name:
            seen.setdefault(normalise(name.rsplit("/", 1)[1]), []).append(name)
    return {city: names[0] for city, names in seen.items() if len(names) == 1}


def zone_named(text: str) -> str:
    """The IANA zone meant by an IANA name (any case) or a place (Київ, Kiev, Washington).

    UnknownZone, with suggestions, for anything else.
    """
    value = " ".join(text.split())
    try:
        return str(zone_or_error(value).key)
    except ValueError:
        pass
    book = gazetteer()
    place = book.lookup(value)
    if place is not None:
        return place.zone
    named = _iana().get(value.casefold()) or _iana_cities().get(normalise(value))
    if named:
        return named
    close = difflib.get_close_matches(value.casefold(), list(_iana()), n=3, cutoff=0.8)
    raise UnknownZone(value, book.suggest(value, limit=3), [_iana()[z] for z in close])


__all__ = [
    "Gazetteer",
    "GazetteerError",
    "Place",
    "UnknownZone",
    "area_key",
    "gazetteer",
    "lookup",
    "matches",
    "normalise",
    "place_key",
    "region_key",
    "search_groups",
    "suggest",
    "zone_named",
]
