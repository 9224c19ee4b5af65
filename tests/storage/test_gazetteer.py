"""The gazetteer: every spelling people type reaches the right place, in either script."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.gazetteer import (
    REGION_KINDS,
    SPECIAL_CITIES,
    GazetteerError,
    UnknownZone,
    area_key,
    gazetteer,
    lookup,
    matches,
    normalise,
    parse,
    place_key,
    region_key,
    search_groups,
    suggest,
    zone_named,
)

# What readers type (old and Russian-style spellings, Ukrainian and Russian forms), and the
# place each means.
SPELLINGS = {
    "Kiev": "kyiv",
    "Kyiv": "kyiv",
    "Київ": "kyiv",
    "київ": "kyiv",
    "Киев": "kyiv",
    "Kyiv City": "kyiv",
    "м. Київ": "kyiv",
    "Dnepr": "dnipro",
    "Dnipro": "dnipro",
    "Дніпро": "dnipro",
    "Днепр": "dnipro",
    "Dnipropetrovsk": "dnipropetrovsk oblast",
    "Dnipropetrovsk Oblast": "dnipropetrovsk oblast",
    "Дніпропетровська область": "dnipropetrovsk oblast",
    "Дніпропетровщина": "dnipropetrovsk oblast",
    "Zaporozhye": "zaporizhzhia",
    "Zaporizhia": "zaporizhzhia",
    "Zaporizhzhia": "zaporizhzhia",
    "Запоріжжя": "zaporizhzhia",
    "запоріжжя": "zaporizhzhia",
    "ЗАПОРІЖЖЯ": "zaporizhzhia",
    "Запорожье": "zaporizhzhia",
    "Запорізька область": "zaporizhzhia oblast",
    "Запорізька обл.": "zaporizhzhia oblast",
    "Запорізька": "zaporizhzhia oblast",
    "Zaporizhzhia region": "zaporizhzhia oblast",
    "Kharkov": "kharkiv",
    "Харків": "kharkiv",
    "Харьков": "kharkiv",
    "Харківщина": "kharkiv oblast",
    "Kharkiv Oblast": "kharkiv oblast",
    "Odessa": "odesa",
    "Одеса": "odesa",
    "Одесса": "odesa",
    "Nikolaev": "mykolaiv",
    "Миколаїв": "mykolaiv",
    "Lugansk": "luhansk",
    "Луганськ": "luhansk",
    "Donetsk": "donetsk",
    "Донецьк": "donetsk",
    "Донецк": "donetsk",
    "Донеччина": "donetsk oblast",
    "Krivoy Rog": "kryvyi rih",
    "Kryvyi Rih": "kryvyi rih",
    "Кривий Ріг": "kryvyi rih",
    "Kherson": "kherson",
    "Херсон": "kherson",
    "Chernigov": "chernihiv",
    "Чернігів": "chernihiv",
    "Rovno": "rivne",
    "Рівне": "rivne",
    "Lvov": "lviv",
    "Львів": "lviv",
    "Львов": "lviv",
    "Ivano-Frankovsk": "ivano frankivsk",
    "Ivano-Frankivsk": "ivano frankivsk",
    "Ivano Frankivsk": "ivano frankivsk",
    "Івано-Франківськ": "ivano frankivsk",
    "Vinnitsa": "vinnytsia",
    "Вінниця": "vinnytsia",
    "Zhitomir": "zhytomyr",
    "Житомир": "zhytomyr",
    "Kirovograd": "kirovohrad oblast",
    "Kirovohrad": "kirovohrad oblast",
    "Kropyvnytskyi": "kropyvnytskyi",
    "Кропивницький": "kropyvnytskyi",
    "Cherkassy": "cherkasy",
    "Черкаси": "cherkasy",
    "Sumy": "sumy",
    "Суми": "sumy",
    "Poltava": "poltava",
    "Полтава": "poltava",
    "Khmelnitsky": "khmelnytskyi",
    "Хмельницький": "khmelnytskyi",
    "Ternopol": "ternopil",
    "Тернопіль": "ternopil",
    "Uzhgorod": "uzhhorod",
    "Ужгород": "uzhhorod",
    "Chernovtsy": "chernivtsi",
    "Чернівці": "chernivtsi",
    "Lutsk": "lutsk",
    "Луцьк": "lutsk",
    "Simferopol": "simferopol",
    "Сімферополь": "simferopol",
    "Sevastopol": "sevastopol",
    "Севастополь": "sevastopol",
    "Crimea": "crimea",
    "Крим": "crimea",
    "Автономна Республіка Крим": "crimea",
    "Київщина": "kyiv oblast",
    "Kiev Oblast": "kyiv oblast",
    "Volyn": "volyn oblast",
    "Закарпаття": "zakarpattia oblast",
    # Apostrophes as typed on different keyboards, and hyphens.
    "Словʼянськ": "sloviansk",
    "Слов'янськ": "sloviansk",
    "Слов’янськ": "sloviansk",
    "Slavyansk": "sloviansk",
    "Купʼянськ": "kupiansk",
    "Kupyansk": "kupiansk",
    "Artemivsk": "bakhmut",
    "Артемівськ": "bakhmut",
    "Krasnoarmiisk": "pokrovsk",
    "Berdyansk": "berdiansk",
    "Energodar": "enerhodar",
    "Belaya Tserkov": "bila tserkva",
    "Kremenchug": "kremenchuk",
    "Ternovka": "ternivka",
    "Pavlograd": "pavlohrad",
    "Ізмаїл": "izmail",
    "Абу-Дабі": "abu dhabi",
    "abu dhabi": "abu dhabi",
    "Washington D.C.": "washington",
    "Вашингтон": "washington",
    "Стамбул": "istanbul",
    "İstanbul": "istanbul",
    "Genève": "geneva",
    "Ер-Ріяд": "riyadh",
    "Джидда": "jeddah",
    "Маямі": "miami",
    "Москва": "moscow",
    "Мінськ": "minsk",
    "Флорида": "florida",
    "Анкоридж": "anchorage",
}

# The cities the brief names beyond the oblast centres, with their oblast.
CITIES = {
    "Kryvyi Rih": "dnipropetrovsk oblast",
    "Mariupol": "donetsk oblast",
    "Berdiansk": "zaporizhzhia oblast",
    "Nikopol": "dnipropetrovsk oblast",
    "Kramatorsk": "donetsk oblast",
    "Sloviansk": "donetsk oblast",
    "Bakhmut": "donetsk oblast",
    "Pokrovsk": "donetsk oblast",
    "Kupiansk": "kharkiv oblast",
    "Melitopol": "zaporizhzhia oblast",
    "Enerhodar": "zaporizhzhia oblast",
    "Izmail": "odesa oblast",
    "Bila Tserkva": "kyiv oblast",
    "Kremenchuk": "poltava oblast",
    "Ternivka": "dnipropetrovsk oblast",
    "Pavlohrad": "dnipropetrovsk oblast",
    "Simferopol": "crimea",
}

VENUES = {
    "Abu Dhabi": "Asia/Dubai",
    "Florida": "America/New_York",
    "Istanbul": "Europe/Istanbul",
    "Geneva": "Europe/Zurich",
    "Riyadh": "Asia/Riyadh",
    "Jeddah": "Asia/Riyadh",
    "Miami": "America/New_York",
    "Washington": "America/New_York",
    "Moscow": "Europe/Moscow",
    "Minsk": "Europe/Minsk",
    "Anchorage": "America/Anchorage",
    "Doha": "Asia/Qatar",
}

# ACLED's admin1 for Ukraine (see tests/bench/test_world.py), and the region each means.
ACLED_ADMIN1 = {
    "Cherkasy": "cherkasy oblast",
    "Chernihiv": "chernihiv oblast",
    "Chernivtsi": "chernivtsi oblast",
    "Crimea": "crimea",
    "Autonomous Republic of Crimea": "crimea",
    "Dnipropetrovsk": "dnipropetrovsk oblast",
    "Donetsk": "donetsk oblast",
    "Ivano-Frankivsk": "ivano frankivsk oblast",
    "Kharkiv": "kharkiv oblast",
    "Kherson": "kherson oblast",
    "Khmelnytskyi": "khmelnytskyi oblast",
    "Kirovohrad": "kirovohrad oblast",
    "Kyiv": "kyiv oblast",
    "Kyiv City": "kyiv",
    "Luhansk": "luhansk oblast",
    "Lviv": "lviv oblast",
    "Mykolaiv": "mykolaiv oblast",
    "Odesa": "odesa oblast",
    "Poltava": "poltava oblast",
    "Rivne": "rivne oblast",
    "Sevastopol": "sevastopol",
    "Sumy": "sumy oblast",
    "Ternopil": "ternopil oblast",
    "Vinnytsia": "vinnytsia oblast",
    "Volyn": "volyn oblast",
    "Zakarpattia": "zakarpattia oblast",
    "Zaporizhia": "zaporizhzhia oblast",
    "Zhytomyr": "zhytomyr oblast",
}


@pytest.mark.parametrize("spelling, key", SPELLINGS.items())
def test_every_spelling_finds_its_place(spelling: str, key: str) -> None:
    place = lookup(spelling)
    assert place is not None and place.key == key


@pytest.mark.parametrize("name, oblast", CITIES.items())
def test_the_main_cities_have_both_names_and_their_oblast(name: str, oblast: str) -> None:
    place = lookup(name)
    assert place is not None and place.kind == "city" and place.parent == oblast
    assert place.names["en"] == name
    assert lookup(place.names["uk"]) is place


@pytest.mark.parametrize("name, zone", VENUES.items())
def test_talks_venues_have_their_zone(name: str, zone: str) -> None:
    place = lookup(name)
    assert place is not None and place.kind == "venue" and place.zone == zone


@pytest.mark.parametrize("admin1, key", ACLED_ADMIN1.items())
def test_acled_admin1_names_key_their_region(admin1: str, key: str) -> None:
    assert region_key(admin1) == key


def test_acled_admin1_covers_every_region_of_the_bench_world() -> None:
    from tests.bench.test_world import REAL_ADMIN1

    assert set(REAL_ADMIN1) <= set(ACLED_ADMIN1)


def test_a_region_name_that_is_also_a_city_means_the_city_outside_the_region_field() -> None:
    # ACLED's "Kharkiv" is the oblast; a reader's "Kharkiv" is the city, whose key starts the
    # oblast's, so an area "Kharkiv" still finds both (as "dnipro" always found Dnipro and
    # Dnipropetrovsk Oblast).
    assert region_key("Kharkiv") == "kharkiv oblast"
    assert place_key("Kharkiv") == area_key("Kharkiv") == "kharkiv"
    assert region_key("Kharkiv Oblast") == "kharkiv oblast"
    assert "dnipropetrovsk oblast".startswith(area_key("Дніпро"))
    assert "zaporizhzhia oblast".startswith(area_key("Zaporozhye"))


def test_every_entry_has_both_names_a_zone_and_a_known_kind() -> None:
    for place in gazetteer():
        assert place.names["en"] and place.names["uk"], place.key
        assert ZoneInfo(place.zone).key == place.zone
        assert place.kind in ("oblast", "republic", "city", "venue")
        for name in place.all_names():
            assert lookup(name) is place, name
        assert lookup(place.key) is place


def test_ukraine_regions_are_all_there() -> None:
    book = gazetteer()
    oblasts = [p for p in book if p.kind == "oblast"]
    assert len(oblasts) == 24
    assert all(p.names["en"].endswith(" Oblast") for p in oblasts)
    assert all(p.names["uk"].endswith(" область") for p in oblasts)
    assert all(p.zone == "Europe/Kyiv" for p in oblasts)
    crimea = book.by_key["crimea"]
    assert crimea.kind == "republic" and crimea.names["uk"] == "Автономна Республіка Крим"
    for key, uk in (("kyiv", "Київ"), ("sevastopol", "Севастополь")):
        city = book.by_key[key]
        assert city.kind == "city" and city.parent is None and city.names["uk"] == uk
    assert set(SPECIAL_CITIES) == {"kyiv", "sevastopol"}
    assert book.by_key["kyiv"].zone == "Europe/Kyiv"
    # Every region's centre is a city in it (Kyiv, of special status, centres Kyiv Oblast).
    for region in (p for p in book if p.kind in REGION_KINDS):
        centre = book.by_key[region.centre or ""]
        assert centre.parent == region.key or centre.key in SPECIAL_CITIES


def test_names_shared_between_entries_only_as_a_regions_admin1() -> None:
    # The deliberate ambiguity: an admin1 name may also be a name of the region's centre
    # (ACLED's "Kharkiv"); every other name belongs to one entry only (the loader refuses
    # two, see the next test).
    book = gazetteer()
    for region in (p for p in book if p.admin1):
        for name in region.admin1:
            held = book.lookup(name)
            assert held is None or held is region or held.key == region.centre, name


def test_the_loader_refuses_a_name_given_to_two_places() -> None:
    data = """
cities:
  - {key: dnipro, en: Dnipro, uk: Дніпро, parent: dnipropetrovsk oblast, also: [Dnepr]}
  - {key: other, en: Other, uk: Інше, parent: dnipropetrovsk oblast, also: [DNEPR]}
regions:
  - {key: dnipropetrovsk oblast, en: Dnipropetrovsk Oblast, uk: Дніпропетровська область,
     centre: dnipro}
"""
    with pytest.raises(GazetteerError, match="'DNEPR' names both dnipro and other"):
        parse(data)


@pytest.mark.parametrize(
    "entry, problem",
    [
        ("{key: x, en: X, uk: Ікс, zone: Mars/Base}", "zone_unknown"),
        ("{key: x, en: X, zone: UTC}", "no uk name"),
        ("{key: X, en: X, uk: Ікс, zone: UTC}", "lower case"),
        ('{key: x, en: X, uk: Ікс, zone: UTC, also: [a"b]}', "double quote"),
    ],
)
def test_the_loader_names_a_bad_entry(entry: str, problem: str) -> None:
    with pytest.raises(GazetteerError, match=problem):
        parse(f"venues:\n  - {entry}\n")


def test_the_loader_refuses_a_city_without_an_oblast() -> None:
    with pytest.raises(GazetteerError, match="parent"):
        parse("cities:\n  - {key: x, en: X, uk: Ікс}\n")
    with pytest.raises(GazetteerError, match="is not a region"):
        parse("cities:\n  - {key: x, en: X, uk: Ікс, parent: nowhere}\n")


@pytest.mark.parametrize(
    "typed, folded",
    [
        ("  Zaporizhzhia   Oblast ", "zaporizhzhia oblast"),
        ("Ivano-Frankivsk", "ivano frankivsk"),
        ("Словʼянськ", normalise("Слов'янськ")),
        ("Слов’янськ", normalise("Слов'янськ")),
        ("Genève", "geneve"),
        ("KYIV", "kyiv"),
    ],
)
def test_normalise(typed: str, folded: str) -> None:
    assert normalise(typed) == folded


@pytest.mark.parametrize("typed", ["ᴬ", "ϲ", "𝓐", "ŉ", "İ", "ʹ", "Ⅻ"])
def test_normalise_folds_to_itself(typed: str) -> None:
    # Decomposing after casefolding can leave capitals ("ᴬ" -> "A") or unfolded letters.
    assert normalise(normalise(typed)) == normalise(typed)


@given(st.text(max_size=40))
def test_an_area_key_is_its_own_key(text: str) -> None:
    # Subscriptions are removed by their stored key: it must key to itself.
    assert area_key(area_key(text)) == area_key(text)
    assert normalise(normalise(text)) == normalise(text)


def test_the_start_of_a_name_keys_what_it_can_only_mean() -> None:
    assert area_key("Запор") == "zaporizhzhia"  # the city, and its oblast by prefix
    assert area_key("Харк") == "kharkiv"
    assert area_key("Dnipropetr") == "dnipropetrovsk oblast"
    # Дніпр- starts Dnipro, Dnipropetrovsk Oblast and Dniprodzerzhynsk (Kamianske): no key
    # starts all three, so it is matched as typed.
    assert area_key("Дніпр") == "дніпр"
    assert area_key("kr") == "kr"  # too short to be read as a name
    assert area_key("Novhorod-Siverskyi") == "novhorod siverskyi"  # not in the gazetteer


def test_matches_and_suggest() -> None:
    assert [p.key for p in matches("Запор")] == ["zaporizhzhia oblast", "zaporizhzhia"]
    assert matches("") == []
    assert [p.key for p in suggest("Kiyv")] == ["kyiv"]
    assert "zaporizhzhia" in [p.key for p in suggest("Zaporozje")]
    assert "kharkiv" in [p.key for p in suggest("Харкив")]
    assert suggest("qqqqqq") == []


@pytest.mark.parametrize(
    "typed, zone",
    [
        ("Київ", "Europe/Kyiv"),
        ("Kyiv", "Europe/Kyiv"),
        ("Kiev", "Europe/Kyiv"),
        ("Washington", "America/New_York"),
        ("Abu Dhabi", "Asia/Dubai"),
        ("Абу-Дабі", "Asia/Dubai"),
        ("Europe/Kyiv", "Europe/Kyiv"),
        ("europe/kyiv", "Europe/Kyiv"),
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("New York", "America/New_York"),
    ],
)
def test_zone_named(typed: str, zone: str) -> None:
    assert zone_named(typed) == zone


def test_an_unknown_zone_comes_with_suggestions() -> None:
    with pytest.raises(UnknownZone) as caught:
        zone_named("Kiyv")
    assert [p.key for p in caught.value.places] == ["kyiv"]
    with pytest.raises(UnknownZone) as caught:
        zone_named("Europe/Kiyv")
    assert "Europe/Kyiv" in caught.value.zones
    with pytest.raises(UnknownZone) as caught:
        zone_named("Mars/Olympus")
    assert caught.value.places == [] and caught.value.zones == []


def test_search_groups_expand_a_place_into_its_spellings() -> None:
    [place, word] = search_groups(["Запоріжжя", "maternity"])
    assert place[0] == ("Запоріжжя",) and ("Zaporizhzhia",) in place
    assert word == (("maternity",),)
    # A name of several words is read as one; the words typed stay one alternative.
    [rih] = search_groups(["Кривий", "Ріг"])
    assert rih[0] == ("Кривий", "Ріг") and ("Kryvyi Rih",) in rih
