"""The benchmarks' world: what a store looks like after four years of the war, at any size.

- incidents: ACLED rows from `bench.gen_acled` (real oblasts and towns, ACLED's wording),
  mapped by `storage.acled.row_to_record`, in the order an ACLED archive export comes
  (newest first), as `sitrep import export.csv` would store them;
- talks rounds: a few hundred, at real venues, with parties and envoys; about a quarter were
  postponed once or more, each move a revision (as `sitrep reschedule` writes it);
- statements: who said what, on which channel, from officials' real roles and usual channels;
- subscribers: private chats and groups spread over topics and areas as readers would
  subscribe (many to talks, incidents mostly for their home city or oblast).

Everything is drawn from a seeded `random.Random`: the same size and seed give the same world.
`GENERATOR_VERSION` names the world's shape: raise it whenever a change here (or in
gen_acled) would change the generated data, so cached databases are rebuilt.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bench.gen_acled import FIRST_DAY, SPAN_DAYS, generate_rows
from storage.gazetteer import area_key

GENERATOR_VERSION = 1
LAST_DAY = FIRST_DAY + timedelta(days=SPAN_DAYS - 1)
# The benchmarks' "now": the evening of the last day with incidents, so /incidents AREA 7d
# finds the week it would find in a running bot (the generated years end before today).
BENCH_NOW = datetime.combine(LAST_DAY, time(18, 0), tzinfo=UTC)


@dataclass(frozen=True)
class Composition:
    """How many of each kind a world of `total` events holds."""

    total: int
    talks: int
    statements: int

    @property
    def incidents(self) -> int:
        return self.total - self.talks - self.statements

    @property
    def subscribers(self) -> int:
        """Chats with at least one subscription: one for every ten events, at most 100,000."""
        return max(50, min(100_000, self.total // 10))


def composition(total: int) -> Composition:
    """Mostly incidents (ACLED has a hundred a day); a few hundred talks; 2% statements."""
    talks = min(300, max(20, total // 50))
    statements = max(20, total // 50)
    if talks + statements >= total:
        raise ValueError(f"a world needs more than {talks + statements} events")
    return Composition(total, talks, statements)


# --- incidents ----------------------------------------------------------------------------


def incident_rows(count: int, seed: int) -> Iterator[dict[str, str]]:
    """ACLED rows for the world's incidents, newest first (as ACLED exports them)."""
    return generate_rows(count, seed)


# --- talks --------------------------------------------------------------------------------

# place, region, country, IANA zone, latitude, longitude
VENUES: tuple[tuple[str, str, str, str, float, float], ...] = (
    ("Istanbul", "Istanbul", "Türkiye", "Europe/Istanbul", 41.0082, 28.9784),
    ("Abu Dhabi", "Abu Dhabi", "United Arab Emirates", "Asia/Dubai", 24.4539, 54.3773),
    ("Riyadh", "Riyadh Province", "Saudi Arabia", "Asia/Riyadh", 24.7136, 46.6753),
    ("Jeddah", "Makkah Province", "Saudi Arabia", "Asia/Riyadh", 21.4858, 39.1925),
    ("Geneva", "Geneva", "Switzerland", "Europe/Zurich", 46.2044, 6.1432),
    ("Miami", "Florida", "United States", "America/New_York", 25.7617, -80.1918),
    ("Doha", "Doha", "Qatar", "Asia/Qatar", 25.2854, 51.5310),
    ("Washington", "District of Columbia", "United States", "America/New_York", 38.9072, -77.0369),
    ("Anchorage", "Alaska", "United States", "America/Anchorage", 61.2181, -149.9003),
    ("Homel", "Homel Region", "Belarus", "Europe/Minsk", 52.4412, 30.9878),
)
# title stem, parties, people who lead such rounds
FORMATS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "Trilateral US–Russia–Ukraine talks",
        ("Ukraine", "Russia", "United States"),
        ("Steve Witkoff", "Rustem Umerov", "Kirill Dmitriev", "Jared Kushner"),
    ),
    (
        "Russia–Ukraine direct talks",
        ("Ukraine", "Russia"),
        ("Rustem Umerov", "Vladimir Medinsky", "Kyrylo Budanov"),
    ),
    (
        "US–Russia talks",
        ("United States", "Russia"),
        ("Steve Witkoff", "Marco Rubio", "Kirill Dmitriev", "Yuri Ushakov", "Sergei Lavrov"),
    ),
    (
        "US–Ukraine talks",
        ("United States", "Ukraine"),
        ("Marco Rubio", "Steve Witkoff", "Andrii Yermak", "Andrii Sybiha"),
    ),
    (
        "Prisoner exchange talks",
        ("Ukraine", "Russia"),
        ("Kyrylo Budanov", "Dmytro Lubinets", "Tatyana Moskalkova"),
    ),
    (
        "Black Sea shipping talks",
        ("Ukraine", "Russia", "Türkiye", "United Nations"),
        ("Oleksandr Kubrakov", "Hakan Fidan"),
    ),
    (
        "Energy infrastructure ceasefire talks",
        ("Ukraine", "Russia", "United States"),
        ("Steve Witkoff", "Rustem Umerov", "Kirill Dmitriev"),
    ),
    (
        "Technical-level talks",
        ("Ukraine", "Russia", "United States"),
        ("Andriy Hnatov", "Igor Kostyukov", "Daniel Driscoll"),
    ),
)
WIRES = (
    ("Reuters", "https://www.reuters.com/world/europe/"),
    ("Associated Press", "https://apnews.com/hub/russia-ukraine"),
    ("Ukrinform", "https://www.ukrinform.net/rubric-polytics/"),
    ("Kyiv Independent", "https://kyivindependent.com/"),
    ("Interfax", "https://interfax.com/newsroom/top-stories/"),
    ("BBC News", "https://www.bbc.com/news/world-europe-"),
)
POSTPONE_REASONS = (
    "delegations asked for more time",
    "announced by President Zelensky on Telegram",
    "the Kremlin said the date was not agreed",
    "the host country asked to move the round",
    "after a massive overnight missile attack",
    "the US envoy's schedule changed",
    "working groups need another week",
)
SUMMARY_TAILS = (
    "The agenda covers a ceasefire along the front line, the exchange of prisoners and the"
    " return of deported children.",
    "A central point of contention remains whether Russia should keep the occupied parts of"
    " the Donbas or withdraw.",
    "Both sides described the previous round as constructive; no joint statement followed.",
    "The sides are to discuss security guarantees and the Zaporizhzhia nuclear power plant.",
    "Talks on a moratorium on strikes against energy infrastructure continue.",
)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _source(rng: random.Random, published: date, quote: str | None = None) -> dict[str, Any]:
    name, base = rng.choice(WIRES)
    src: dict[str, Any] = {
        "name": name,
        "url": f"{base}{published.isoformat()}-{rng.randrange(10**6, 10**7)}",
        "published": published.isoformat(),
    }
    if quote:
        src["quote"] = quote
    return src


@dataclass
class TalksRound:
    """A round as first announced, and the moves (new start, new end, reason) it then had."""

    record: dict[str, Any]
    moves: list[tuple[str, str | None, str]] = field(default_factory=list)
    final_status: str | None = None  # held or cancelled, set after the moves


def talks_rounds(count: int, seed: int) -> list[TalksRound]:
    """`count` rounds from the first weeks of the war to two months after BENCH_NOW.

    Past rounds were held (a few cancelled); upcoming ones are scheduled. About a quarter
    moved once, twice or three times, each time later: their record is as first announced,
    `moves` hold the reschedules (each makes the round "postponed") and `final_status` what a
    curator marked a moved round once its days had passed.
    """
    rng = random.Random(seed ^ 0x7A1C5)
    first = FIRST_DAY + timedelta(days=3)
    horizon = (BENCH_NOW.date() - first).days + 60
    days = sorted(rng.randrange(horizon) for _ in range(count))
    rounds: list[TalksRound] = []
    for i, offset in enumerate(days):
        day = first + timedelta(days=offset)
        place, region, country, zone, lat, lon = rng.choice(VENUES)
        stem, parties, people = rng.choice(FORMATS)
        length = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
        exact = rng.random() < 0.2
        start = f"{day.isoformat()}T{rng.choice((10, 11, 14, 15))}:00:00" if exact else ""
        if exact:
            offset_text = _utc_offset(day, zone)
            start += offset_text
        record: dict[str, Any] = {
            "id": f"talks-{_slug(place)}-{day.isoformat()}-{i}",
            "kind": "talks",
            "title": f"{stem} in {place}",
            "summary": f"{stem} in {place}, {country}. {rng.choice(SUMMARY_TAILS)}",
            "status": "scheduled",
            "start": start or day.isoformat(),
            "end": (day + timedelta(days=length)).isoformat() if length and not exact else None,
            "time_precision": "exact" if exact else "day",
            "timezone": zone,
            "place": place,
            "region": region,
            "country": country,
            "latitude": lat,
            "longitude": lon,
            "parties": list(parties),
            "people": rng.sample(people, min(len(people), rng.randint(1, 3))),
            "tags": ["talks", _slug(stem), _slug(place)],
            "sources": [_source(rng, day - timedelta(days=rng.randint(2, 20)))],
            "note": "",
        }
        rnd = TalksRound(record)
        roll = rng.random()
        if roll < 0.25:
            moved = day
            for _ in range(rng.choices((1, 2, 3), weights=(70, 22, 8))[0]):
                moved += timedelta(days=rng.randint(2, 14))
                end = (moved + timedelta(days=length)).isoformat() if length else None
                rnd.moves.append((moved.isoformat(), end, rng.choice(POSTPONE_REASONS)))
        final_day = date.fromisoformat(rnd.moves[-1][0]) if rnd.moves else day
        if final_day < BENCH_NOW.date():
            outcome = "cancelled" if rng.random() < 0.04 else "held"
            if rnd.moves:
                rnd.final_status = outcome
            else:
                record["status"] = outcome
        rounds.append(rnd)
    return rounds


def _utc_offset(day: date, zone: str) -> str:
    from zoneinfo import ZoneInfo

    offset = datetime.combine(day, time(12), tzinfo=ZoneInfo(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


# --- statements ---------------------------------------------------------------------------

# speaker, role, zone, usual channels, place, region, country
SPEAKERS: tuple[tuple[str, str, str, tuple[str, ...], str, str, str], ...] = (
    (
        "Volodymyr Zelensky",
        "President of Ukraine",
        "Europe/Kyiv",
        ("Telegram", "evening video address", "X", "press conference"),
        "Kyiv",
        "Kyiv City",
        "Ukraine",
    ),
    (
        "Andrii Sybiha",
        "Foreign Minister of Ukraine",
        "Europe/Kyiv",
        ("X", "briefing"),
        "Kyiv",
        "Kyiv City",
        "Ukraine",
    ),
    (
        "Dmitry Peskov",
        "Kremlin spokesman",
        "Europe/Moscow",
        ("press briefing", "TASS"),
        "Moscow",
        "Moscow",
        "Russia",
    ),
    (
        "Sergei Lavrov",
        "Foreign Minister of Russia",
        "Europe/Moscow",
        ("press conference", "interview"),
        "Moscow",
        "Moscow",
        "Russia",
    ),
    (
        "Maria Zakharova",
        "Russian Foreign Ministry spokeswoman",
        "Europe/Moscow",
        ("briefing", "Telegram"),
        "Moscow",
        "Moscow",
        "Russia",
    ),
    (
        "Kirill Dmitriev",
        "Russian special envoy",
        "Europe/Moscow",
        ("Telegram", "X"),
        "Moscow",
        "Moscow",
        "Russia",
    ),
    (
        "Steve Witkoff",
        "US special envoy",
        "America/New_York",
        ("interview", "X"),
        "Washington",
        "District of Columbia",
        "United States",
    ),
    (
        "Marco Rubio",
        "US Secretary of State",
        "America/New_York",
        ("press conference", "interview"),
        "Washington",
        "District of Columbia",
        "United States",
    ),
    (
        "Ihor Terekhov",
        "Mayor of Kharkiv",
        "Europe/Kyiv",
        ("Telegram",),
        "Kharkiv",
        "Kharkiv",
        "Ukraine",
    ),
    (
        "Ivan Fedorov",
        "Head of the Zaporizhzhia Regional Military Administration",
        "Europe/Kyiv",
        ("Telegram",),
        "Zaporizhzhia",
        "Zaporizhia",
        "Ukraine",
    ),
    (
        "Serhii Lysak",
        "Head of the Dnipropetrovsk Regional Military Administration",
        "Europe/Kyiv",
        ("Telegram",),
        "Dnipro",
        "Dnipropetrovsk",
        "Ukraine",
    ),
    (
        "Oleh Syniehubov",
        "Head of the Kharkiv Regional Military Administration",
        "Europe/Kyiv",
        ("Telegram",),
        "Kharkiv",
        "Kharkiv",
        "Ukraine",
    ),
    (
        "Vadym Filashkin",
        "Head of the Donetsk Regional Military Administration",
        "Europe/Kyiv",
        ("Telegram",),
        "Kramatorsk",
        "Donetsk",
        "Ukraine",
    ),
    (
        "Oleksandr Prokudin",
        "Head of the Kherson Regional Military Administration",
        "Europe/Kyiv",
        ("Telegram",),
        "Kherson",
        "Kherson",
        "Ukraine",
    ),
    (
        "Dmytro Lubinets",
        "Ukraine's Parliament Commissioner for Human Rights",
        "Europe/Kyiv",
        ("Telegram", "briefing"),
        "Kyiv",
        "Kyiv City",
        "Ukraine",
    ),
    (
        "Ursula von der Leyen",
        "President of the European Commission",
        "Europe/Brussels",
        ("X", "press conference"),
        "Brussels",
        "Brussels",
        "Belgium",
    ),
)
TOWNS = (
    "Kharkiv",
    "Zaporizhzhia",
    "Dnipro",
    "Odesa",
    "Kherson",
    "Sumy",
    "Kryvyi Rih",
    "Nikopol",
    "Kramatorsk",
    "Sloviansk",
    "Pokrovsk",
    "Mykolaiv",
    "Chernihiv",
    "Kyiv",
    "Lviv",
)
# (short title, quote) templates; {town}, {n}, {m}, {k}, {venue} are filled in.
QUOTES: tuple[tuple[str, str], ...] = (
    (
        "overnight attack on {town}",
        "Overnight, Russia attacked {town} with drones and missiles. {n} people were injured, "
        "among them children. Rescuers are working at the scene.",
    ),
    (
        "air defence results",
        "Russia launched {m} drones and {k} missiles at Ukraine overnight. Our air defence "
        "shot down most of them; there were hits in {town}.",
    ),
    (
        "ready for substantive talks",
        "Ukraine is ready for substantive talks, and we are interested in an outcome that "
        "will bring us closer to a real and dignified end to the war.",
    ),
    (
        "talks in {venue} were constructive",
        "The meeting in {venue} was productive and constructive. We are encouraged by the "
        "engagement towards peace.",
    ),
    (
        "no date for the next round",
        "There is no agreement yet on the date of the next round. Contacts continue through "
        "the channels that exist.",
    ),
    (
        "prisoner exchange",
        "{n} of our defenders are home. We continue working to bring back every one of them.",
    ),
    (
        "energy infrastructure hit",
        "The enemy again struck energy infrastructure in {town}. Power engineers are "
        "restoring supply; some districts are on emergency outage schedules.",
    ),
    (
        "security guarantees",
        "Any agreement must come with security guarantees that work. Without them a ceasefire "
        "only gives Russia time to regroup.",
    ),
    (
        "the Kremlin on the talks",
        "The Russian side remains open to a political and diplomatic settlement, but the "
        "realities on the ground must be taken into account.",
    ),
    (
        "evacuation of {town} district",
        "Given the constant shelling, we are announcing the mandatory evacuation of families "
        "with children from the {town} district.",
    ),
    (
        "sanctions package",
        "The new sanctions package targets Russia's shadow fleet and the revenues that pay "
        "for this war.",
    ),
    (
        "casualties in {town}",
        "The number of dead in {town} has risen to {k}. Another {n} people are in hospital.",
    ),
)


def statements(count: int, seed: int) -> list[dict[str, Any]]:
    """`count` statements spread over the four years, oldest first."""
    rng = random.Random(seed ^ 0x57A7E)
    days = sorted(rng.randrange(SPAN_DAYS) for _ in range(count))
    out: list[dict[str, Any]] = []
    for i, offset in enumerate(days):
        day = FIRST_DAY + timedelta(days=offset)
        speaker, role, zone, channels, place, region, country = rng.choice(SPEAKERS)
        short, template = rng.choice(QUOTES)
        fill = {
            "town": rng.choice(TOWNS),
            "venue": rng.choice(VENUES)[0],
            "n": rng.randint(2, 120),
            "m": rng.randint(40, 700),
            "k": rng.randint(2, 60),
        }
        channel = rng.choice(channels)
        quote = template.format(**fill)
        out.append(
            {
                "id": f"st-{_slug(speaker)}-{day.isoformat()}-{i}",
                "kind": "statement",
                "title": f"{speaker}: {short.format(**fill)}",
                "summary": f"{speaker}, {role}, on {channel}.",
                "status": None,
                "start": day.isoformat(),
                "time_precision": "day",
                "timezone": zone,
                "place": place,
                "region": region,
                "country": country,
                "people": [speaker],
                "speaker": f"{speaker}, {role}",
                "quote": quote,
                "channel": channel,
                "tags": ["statement", _slug(speaker)],
                "sources": [_source(rng, day, quote[:200])],
            }
        )
    return out


# --- subscribers --------------------------------------------------------------------------

# Areas readers subscribe to and ask about, as they type them, weighted by how many readers
# live there or follow the place (not by how much happens there).
AREAS: tuple[tuple[str, int], ...] = (
    ("Kharkiv", 14),
    ("Kyiv", 12),
    ("Dnipro", 10),
    ("Zaporizhzhia", 10),
    ("Odesa", 8),
    ("Kherson", 6),
    ("Sumy", 5),
    ("Donetsk", 5),
    ("Lviv", 5),
    ("Mykolaiv", 4),
    ("Kryvyi Rih", 3),
    ("Nikopol", 3),
    ("Chernihiv", 3),
    ("Kramatorsk", 3),
    ("Pokrovsk", 2),
    ("Sloviansk", 2),
    ("Poltava", 2),
    ("Vinnytsia", 2),
    ("Zhytomyr", 1),
    ("Cherkasy", 1),
    ("Kupiansk", 1),
    ("Izium", 1),
    ("Bucha", 1),
    ("Luhansk", 1),
)
# Shares of chats with each subscription; "all" chats have all three.
TOPIC_SHARES = {"talks": 0.60, "incidents": 0.45, "statements": 0.25}
AREA_SHARE = 0.6  # of incident subscriptions, those for one area (the rest: everywhere)
GROUP_SHARE = 0.05
ZONES = (
    (None, 85),
    ("Europe/Berlin", 4),
    ("Europe/Warsaw", 4),
    ("Europe/London", 3),
    ("America/New_York", 2),
    ("Europe/Kyiv", 2),
)


@dataclass(frozen=True)
class Subscriber:
    chat_id: int
    type: str  # private or supergroup
    title: str
    zone: str | None
    reminders: str
    topics: tuple[tuple[str, str], ...]  # (topic, area label); "" = everywhere


def subscribers(count: int, seed: int) -> list[Subscriber]:
    """`count` chats; exactly round(share * count) of them subscribe to each topic."""
    rng = random.Random(seed ^ 0x5B5C)
    chosen = {
        topic: set(rng.sample(range(count), round(share * count)))
        for topic, share in TOPIC_SHARES.items()
    }
    labels = [a for a, _ in AREAS]
    weights = [w for _, w in AREAS]
    out: list[Subscriber] = []
    for i in range(count):
        group = rng.random() < GROUP_SHARE
        chat_id = -1_000_000_000_000 - i if group else 100_000_000 + i
        topics: list[tuple[str, str]] = []
        for topic in TOPIC_SHARES:
            if i not in chosen[topic]:
                continue
            if topic == "incidents" and rng.random() < AREA_SHARE:
                for label in set(rng.choices(labels, weights=weights, k=rng.choice((1, 1, 2)))):
                    topics.append((topic, label))
            else:
                topics.append((topic, ""))
        zone = rng.choices([z for z, _ in ZONES], weights=[w for _, w in ZONES])[0]
        reminders = rng.choices(("1440,60", "60", ""), weights=(85, 10, 5))[0]
        title = f"{rng.choice(labels)} news chat {i}" if group else ""
        out.append(
            Subscriber(
                chat_id,
                "supergroup" if group else "private",
                title,
                zone,
                reminders,
                tuple(topics),
            )
        )
    return out


def insert_subscribers(db: Any, chats: list[Subscriber], now: str) -> None:
    """Chats and subscriptions as `ChatStore.subscribe` stores them, in one transaction."""
    conn = db.conn
    with db.atomic():
        conn.executemany(
            "INSERT INTO chats (id, type, title, zone, reminders, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(c.chat_id, c.type, c.title, c.zone, c.reminders, now, now) for c in chats],
        )
        conn.executemany(
            "INSERT INTO subscriptions (chat_id, topic, region, region_label, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (c.chat_id, topic, area_key(label), label, now)
                for c in chats
                for topic, label in c.topics
            ],
        )
