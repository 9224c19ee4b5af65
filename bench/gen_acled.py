"""A realistic ACLED CSV export for Ukraine, generated from a seed, for tests and benchmarks.

Rows look like ACLED's Data Export Tool output: its 31 columns in order, real oblasts with a few
real towns each (approximate coordinates, their raions), ACLED event and sub-event types, actor
names, notes in ACLED's wording, fatalities mostly 0 with a long tail, sources separated by ';'.
Dates run from 2022-02-24 over about four years; rows come newest first, as ACLED exports do.

    python -m bench.gen_acled 100000 /tmp/acled.csv [--seed 1] [--excel-dates]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from storage.acled import COLUMNS  # the generator writes exactly what the importer reads

FIRST_DAY = date(2022, 2, 24)
SPAN_DAYS = 4 * 365

# admin1 (as ACLED spells it): weight, regional administration, towns (name, lat, lon, raion).
OBLASTS: dict[str, tuple[int, str, tuple[tuple[str, float, float, str], ...]]] = {
    "Donetsk": (
        30,
        "Donetsk Regional Military Administration",
        (
            ("Kramatorsk", 48.7389, 37.5848, "Kramatorskyi"),
            ("Sloviansk", 48.8533, 37.6053, "Kramatorskyi"),
            ("Bakhmut", 48.5953, 38.0004, "Bakhmutskyi"),
            ("Avdiivka", 48.1394, 37.7497, "Pokrovskyi"),
            ("Pokrovsk", 48.2828, 37.1754, "Pokrovskyi"),
            ("Kostiantynivka", 48.5277, 37.7069, "Kramatorskyi"),
            ("Vuhledar", 47.7807, 37.2484, "Volnovaskyi"),
            ("Donetsk", 48.0159, 37.8029, "Donetskyi"),
        ),
    ),
    "Kharkiv": (
        18,
        "Kharkiv Regional Military Administration",
        (
            ("Kharkiv", 49.9935, 36.2304, "Kharkivskyi"),
            ("Kupiansk", 49.7106, 37.6156, "Kupianskyi"),
            ("Izium", 49.2128, 37.2566, "Iziumskyi"),
            ("Chuhuiv", 49.8359, 36.6886, "Chuhuivskyi"),
            ("Vovchansk", 50.2908, 36.9413, "Chuhuivskyi"),
            ("Balakliia", 49.4627, 36.8597, "Iziumskyi"),
        ),
    ),
    "Zaporizhia": (
        12,
        "Zaporizhia Regional Military Administration",
        (
            ("Zaporizhzhia", 47.8388, 35.1396, "Zaporizkyi"),
            ("Orikhiv", 47.5676, 35.7849, "Polohivskyi"),
            ("Huliaipole", 47.6616, 36.2560, "Polohivskyi"),
            ("Enerhodar", 47.4989, 34.6580, "Vasylivskyi"),
            ("Melitopol", 46.8489, 35.3675, "Melitopolskyi"),
        ),
    ),
    "Kherson": (
        11,
        "Kherson Regional Military Administration",
        (
            ("Kherson", 46.6354, 32.6169, "Khersonskyi"),
            ("Beryslav", 46.8416, 33.4297, "Beryslavskyi"),
            ("Nova Kakhovka", 46.7550, 33.3486, "Kakhovskyi"),
            ("Bilozerka", 46.6326, 32.4374, "Khersonskyi"),
        ),
    ),
    "Luhansk": (
        6,
        "Luhansk Regional Military Administration",
        (
            ("Sievierodonetsk", 48.9482, 38.4917, "Sievierodonetskyi"),
            ("Lysychansk", 48.9047, 38.4247, "Sievierodonetskyi"),
            ("Kreminna", 49.0469, 38.2178, "Sievierodonetskyi"),
            ("Luhansk", 48.5740, 39.3078, "Luhanskyi"),
        ),
    ),
    "Dnipropetrovsk": (
        6,
        "Dnipropetrovsk Regional Military Administration",
        (
            ("Dnipro", 48.4647, 35.0462, "Dniprovskyi"),
            ("Nikopol", 47.5712, 34.3964, "Nikopolskyi"),
            ("Kryvyi Rih", 47.9105, 33.3918, "Kryvorizkyi"),
            ("Marhanets", 47.6444, 34.6286, "Nikopolskyi"),
            ("Pavlohrad", 48.5350, 35.8700, "Pavlohradskyi"),
        ),
    ),
    "Sumy": (
        6,
        "Sumy Regional Military Administration",
        (
            ("Sumy", 50.9077, 34.7981, "Sumskyi"),
            ("Shostka", 51.8633, 33.4698, "Shostkynskyi"),
            ("Okhtyrka", 50.3102, 34.8988, "Okhtyrskyi"),
            ("Bilopillia", 51.1500, 34.3100, "Sumskyi"),
            ("Krasnopillia", 50.7753, 35.2658, "Sumskyi"),
        ),
    ),
    "Chernihiv": (
        2,
        "Chernihiv Regional Military Administration",
        (
            ("Chernihiv", 51.4982, 31.2893, "Chernihivskyi"),
            ("Nizhyn", 51.0480, 31.8869, "Nizhynskyi"),
            ("Novhorod-Siverskyi", 52.0068, 33.2615, "Novhorod-Siverskyi"),
        ),
    ),
    "Mykolaiv": (
        3,
        "Mykolaiv Regional Military Administration",
        (
            ("Mykolaiv", 46.9750, 31.9946, "Mykolaivskyi"),
            ("Ochakiv", 46.6128, 31.5485, "Mykolaivskyi"),
            ("Snihurivka", 47.0754, 32.8059, "Bashtanskyi"),
        ),
    ),
    "Kyiv City": (1, "Kyiv City Military Administration", (("Kyiv", 50.4501, 30.5234, "Kyiv"),)),
    "Kyiv": (
        1,
        "Kyiv Regional Military Administration",
        (
            ("Bucha", 50.5437, 30.2120, "Buchanskyi"),
            ("Irpin", 50.5218, 30.2506, "Buchanskyi"),
            ("Bila Tserkva", 49.7968, 30.1311, "Bilotserkivskyi"),
            ("Brovary", 50.5110, 30.7909, "Brovarskyi"),
        ),
    ),
    "Odesa": (
        1,
        "Odesa Regional Military Administration",
        (
            ("Odesa", 46.4825, 30.7233, "Odeskyi"),
            ("Izmail", 45.3515, 28.8365, "Izmailskyi"),
            ("Chornomorsk", 46.3010, 30.6547, "Odeskyi"),
            ("Bilhorod-Dnistrovskyi", 46.1871, 30.3410, "Bilhorod-Dnistrovskyi"),
        ),
    ),
    "Zhytomyr": (
        1,
        "Zhytomyr Regional Military Administration",
        (
            ("Zhytomyr", 50.2547, 28.6587, "Zhytomyrskyi"),
            ("Korosten", 50.9500, 28.6333, "Korostenskyi"),
        ),
    ),
    "Poltava": (
        1,
        "Poltava Regional Military Administration",
        (
            ("Poltava", 49.5883, 34.5514, "Poltavskyi"),
            ("Kremenchuk", 49.0659, 33.4204, "Kremenchutskyi"),
        ),
    ),
    "Lviv": (
        1,
        "Lviv Regional Military Administration",
        (("Lviv", 49.8397, 24.0297, "Lvivskyi"), ("Yavoriv", 49.9386, 23.3833, "Yavorivskyi")),
    ),
    "Khmelnytskyi": (
        1,
        "Khmelnytskyi Regional Military Administration",
        (
            ("Khmelnytskyi", 49.4229, 26.9871, "Khmelnytskyi"),
            ("Starokostiantyniv", 49.7565, 27.2037, "Khmelnytskyi"),
        ),
    ),
    "Vinnytsia": (
        1,
        "Vinnytsia Regional Military Administration",
        (("Vinnytsia", 49.2331, 28.4682, "Vinnytskyi"),),
    ),
    "Cherkasy": (
        1,
        "Cherkasy Regional Military Administration",
        (("Cherkasy", 49.4444, 32.0598, "Cherkaskyi"), ("Uman", 48.7484, 30.2218, "Umanskyi")),
    ),
    "Kirovohrad": (
        1,
        "Kirovohrad Regional Military Administration",
        (("Kropyvnytskyi", 48.5079, 32.2623, "Kropyvnytskyi"),),
    ),
    "Rivne": (
        1,
        "Rivne Regional Military Administration",
        (("Rivne", 50.6199, 26.2516, "Rivnenskyi"),),
    ),
    "Volyn": (
        1,
        "Volyn Regional Military Administration",
        (("Lutsk", 50.7472, 25.3254, "Lutskyi"),),
    ),
    "Ternopil": (
        1,
        "Ternopil Regional Military Administration",
        (("Ternopil", 49.5535, 25.5948, "Ternopilskyi"),),
    ),
    "Ivano-Frankivsk": (
        1,
        "Ivano-Frankivsk Regional Military Administration",
        (
            ("Ivano-Frankivsk", 48.9226, 24.7111, "Ivano-Frankivskyi"),
            ("Burshtyn", 49.2600, 24.6300, "Ivano-Frankivskyi"),
        ),
    ),
    "Chernivtsi": (
        1,
        "Chernivtsi Regional Military Administration",
        (("Chernivtsi", 48.2921, 25.9358, "Chernivetskyi"),),
    ),
    "Zakarpattia": (
        1,
        "Zakarpattia Regional Military Administration",
        (("Uzhhorod", 48.6208, 22.2879, "Uzhhorodskyi"),),
    ),
    "Autonomous Republic of Crimea": (
        2,
        "Crimea occupation authorities",
        (
            ("Simferopol", 44.9521, 34.1024, "Simferopolskyi"),
            ("Dzhankoi", 45.7086, 34.3933, "Dzhankoiskyi"),
            ("Saky", 45.1340, 33.5995, "Sakskyi"),
        ),
    ),
    "Sevastopol": (
        1,
        "Sevastopol occupation authorities",
        (("Sevastopol", 44.6166, 33.5254, "Sevastopol"),),
    ),
}

RUSSIA = "Military Forces of Russia (2000-)"
UKRAINE = "Military Forces of Ukraine (2019-)"
CIVILIANS = "Civilians (Ukraine)"
INTER = {RUSSIA: 8, UKRAINE: 1, CIVILIANS: 7, "Police Forces of Ukraine (2019-)": 1}
NATIONAL_SOURCES = (
    "Ukrinform",
    "Ukrainska Pravda",
    "Suspilne Media",
    "Kyiv Independent",
    "General Staff of the Armed Forces of Ukraine",
    "Ministry of Defence of Ukraine",
    "Interfax-Ukraine",
    "Hromadske",
)
SOURCE_SCALES = (
    ("National", 30),
    ("National-Subnational", 25),
    ("Subnational", 20),
    ("New media", 10),
    ("Subnational-National", 10),
    ("Other-National", 5),
)

# event_type, sub_event_type, disorder_type, weight
EVENT_TYPES = (
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Political violence", 52),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence", 14),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Political violence", 2),
    ("Battles", "Armed clash", "Political violence", 16),
    ("Battles", "Government regains territory", "Political violence", 1),
    ("Battles", "Non-state actor overtakes territory", "Political violence", 1),
    ("Violence against civilians", "Attack", "Political violence", 3),
    ("Violence against civilians", "Abduction/forced disappearance", "Political violence", 1),
    ("Strategic developments", "Disrupted weapons use", "Strategic developments", 5),
    ("Strategic developments", "Arrests", "Strategic developments", 1),
    ("Strategic developments", "Looting/property destruction", "Strategic developments", 1),
    ("Protests", "Peaceful protest", "Demonstrations", 3),
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _pick_weighted(rng: random.Random, items: Sequence[tuple[str, int]]) -> str:
    return rng.choices([i[0] for i in items], weights=[i[1] for i in items])[0]


def _long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _fatalities(rng: random.Random, event_type: str) -> int:
    """Mostly 0; otherwise a long (roughly geometric, then Pareto) tail."""
    share = {"Battles": 0.35, "Violence against civilians": 0.5}.get(event_type, 0.12)
    if event_type in ("Strategic developments", "Protests") or rng.random() >= share:
        return 0
    if rng.random() < 0.97:
        return min(1 + int(rng.expovariate(0.6)), 30)
    return min(int(rng.paretovariate(1.2) * 10), 600)


def _casualties(n: int, who: str) -> str:
    if n == 0:
        return "No casualties were reported."
    if n == 1:
        return f"1 {who} was killed."
    return f"{n} {who}s were killed."


def _notes(
    rng: random.Random,
    actor1: str,
    sub: str,
    when: str,
    town: str,
    oblast: str,
    fatalities: int,
) -> str:
    where = f"{town} ({oblast})"
    if actor1 == UKRAINE and sub in ("Shelling/artillery/missile attack", "Air/drone strike"):
        return f"{when}, Ukrainian forces struck Russian positions near {where}."
    if sub == "Shelling/artillery/missile attack":
        weapon = rng.choice(("shelled", "launched a missile strike on", "fired MLRS at"))
        damage = rng.choice(("", " Residential buildings were damaged.", " A school was hit."))
        return f"{when}, Russian forces {weapon} {where}.{damage} {_casualties(fatalities, 'civilian')}"
    if sub == "Air/drone strike":
        weapon = rng.choice(
            ("a drone strike", "an air strike with guided bombs", "a Shahed attack")
        )
        return f"{when}, Russian forces launched {weapon} on {where}. {_casualties(fatalities, 'civilian')}"
    if sub == "Remote explosive/landmine/IED":
        return f"{when}, a civilian vehicle hit a landmine near {where}. {_casualties(fatalities, 'civilian')}"
    if sub == "Armed clash":
        return (
            f"{when}, Ukrainian and Russian forces clashed near {where}. "
            f"{_casualties(fatalities, 'soldier')} [Fatality figures are estimates.]"
        )
    if sub == "Government regains territory":
        return f"{when}, Ukrainian forces regained control of a village near {where}."
    if sub == "Non-state actor overtakes territory":
        return f"{when}, Russian forces took control of a village near {where}."
    if sub == "Attack":
        return f"{when}, Russian forces fired at a civilian car near {where}. {_casualties(fatalities, 'civilian')}"
    if sub == "Abduction/forced disappearance":
        return f"{when}, Russian forces detained a local official in {where}; his whereabouts are unknown."
    if sub == "Disrupted weapons use":
        drones = rng.randint(2, 40)
        return f"{when}, Ukrainian air defence shot down {drones} drones over {oblast} oblast."
    if sub == "Arrests":
        return f"{when}, the SBU detained a suspected Russian informant in {where}."
    if sub == "Looting/property destruction":
        return f"{when}, Russian forces looted grain stores in {where}."
    size = rng.choice(("no report", "around 50", "around 200", "dozens"))
    return (
        f"{when}, relatives of missing soldiers held a rally in {where}, demanding "
        f"information about their relatives. [size={size}]"
    )


def _actors(rng: random.Random, event_type: str, sub: str) -> tuple[str, str, str, str]:
    """actor1, assoc_actor_1, actor2, assoc_actor_2."""
    if event_type == "Battles":
        first, second = (RUSSIA, UKRAINE) if rng.random() < 0.6 else (UKRAINE, RUSSIA)
        return first, "", second, ""
    if event_type == "Explosions/Remote violence":
        if rng.random() < 0.8:
            return RUSSIA, "", CIVILIANS if rng.random() < 0.4 else "", ""
        return UKRAINE, "", RUSSIA, ""
    if event_type == "Violence against civilians":
        return RUSSIA, "", CIVILIANS, ""
    if event_type == "Protests":
        return "Protesters (Ukraine)", "Women (Ukraine)", "", ""
    if sub == "Arrests":
        return "Police Forces of Ukraine (2019-)", "SBU: Security Service of Ukraine", "", ""
    if sub == "Disrupted weapons use":
        return UKRAINE, "", RUSSIA, ""
    return RUSSIA, "", "", ""


def generate_rows(
    n: int, seed: int = 0, *, excel_dates: bool = False, first_id: int = 1000
) -> Iterator[dict[str, str]]:
    """`n` ACLED rows as {column: text}, newest first; the same seed gives the same rows."""
    rng = random.Random(seed)
    names = list(OBLASTS)
    weights = [OBLASTS[o][0] for o in names]
    type_weights = [e[3] for e in EVENT_TYPES]
    days = sorted((rng.randrange(SPAN_DAYS) for _ in range(n)), reverse=True)
    for i, offset in enumerate(days):
        day = FIRST_DAY + timedelta(days=offset)
        oblast = rng.choices(names, weights=weights)[0]
        _, administration, towns = OBLASTS[oblast]
        town, lat, lon, raion = rng.choice(towns)
        geo = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
        if geo > 1:
            lat, lon = lat + rng.uniform(-0.08, 0.08), lon + rng.uniform(-0.08, 0.08)
        precision = rng.choices((1, 2, 3), weights=(85, 12, 3))[0]
        event_type, sub, disorder, _ = rng.choices(EVENT_TYPES, weights=type_weights)[0]
        actor1, assoc1, actor2, assoc2 = _actors(rng, event_type, sub)
        inter1, inter2 = INTER.get(actor1, 6), INTER.get(actor2, 0) if actor2 else 0
        fatalities = _fatalities(rng, event_type)
        if precision == 3:
            when = f"In {MONTHS[day.month - 1]} {day.year}"
        elif precision == 2:
            when = f"Around {_long_date(day)} (as reported)"
        else:
            when = f"On {_long_date(day)}"
        sources = rng.sample(NATIONAL_SOURCES, rng.choice((1, 1, 2)))
        if rng.random() < 0.5:
            sources.append(administration)
        tags = ""
        if event_type == "Protests":
            tags = "crowd size=no report"
        elif actor2 == CIVILIANS and rng.random() < 0.05:
            tags = rng.choice(("local administrators", "health workers; local administrators"))
        changed = datetime.combine(day, time(12), tzinfo=UTC) + timedelta(days=rng.randint(3, 60))
        yield {
            "event_id_cnty": f"UKR{first_id + n - i}",
            "event_date": _long_date(day) if excel_dates else day.isoformat(),
            "year": str(day.year),
            "time_precision": str(precision),
            "disorder_type": disorder,
            "event_type": event_type,
            "sub_event_type": sub,
            "actor1": actor1,
            "assoc_actor_1": assoc1,
            "inter1": str(inter1),
            "actor2": actor2,
            "assoc_actor_2": assoc2,
            "inter2": str(inter2),
            "interaction": "".join(sorted(f"{inter1}{inter2}")) if inter2 else f"{inter1}0",
            "civilian_targeting": "Civilian targeting" if actor2 == CIVILIANS else "",
            "iso": "804",
            "region": "Europe",
            "country": "Ukraine",
            "admin1": oblast,
            "admin2": raion,
            "admin3": town if geo == 1 else "",
            "location": town,
            "latitude": f"{lat:.4f}",
            "longitude": f"{lon:.4f}",
            "geo_precision": str(geo),
            "source": "; ".join(sources),
            "source_scale": _pick_weighted(rng, SOURCE_SCALES),
            "notes": _notes(rng, actor1, sub, when, town, oblast, fatalities),
            "fatalities": str(fatalities),
            "tags": tags,
            "timestamp": str(int(changed.timestamp())),
        }


def to_csv(rows: Iterator[dict[str, str]] | Sequence[dict[str, str]]) -> str:
    """Rows as ACLED's CSV text: the header, then one line per row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def generate(
    n: int, seed: int = 0, path: str | Path | None = None, *, excel_dates: bool = False
) -> str:
    """The CSV text of `n` rows; written to `path` as well when one is given."""
    text = to_csv(generate_rows(n, seed, excel_dates=excel_dates))
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gen_acled", description=__doc__)
    parser.add_argument("rows", type=int, help="how many rows")
    parser.add_argument("out", help="the CSV file to write ('-' for standard output)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--excel-dates", action="store_true", help="dates as '24 February 2022'")
    args = parser.parse_args(argv)
    if args.out == "-":
        sys.stdout.write(generate(args.rows, args.seed, excel_dates=args.excel_dates))
    else:
        generate(args.rows, args.seed, args.out, excel_dates=args.excel_dates)
        print(f"wrote {args.rows} rows to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
