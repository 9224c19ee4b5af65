"""ACLED CSV rows as incidents: the mapping, header recognition, row-numbered errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bench.gen_acled import COLUMNS as GENERATED_COLUMNS
from bench.gen_acled import generate, generate_rows, to_csv
from storage.acled import (
    COLUMNS,
    check_row,
    detect_format,
    is_acled_header,
    parse_event_date,
    plan_acled_import,
    read_rows,
)
from storage.exchange import FileFormatError, ImportRejected, apply_import
from tests.words import english

KUPIANSK = {
    "event_id_cnty": "UKR100000",
    "event_date": "2024-03-12",
    "year": "2024",
    "time_precision": "1",
    "disorder_type": "Political violence",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Shelling/artillery/missile attack",
    "actor1": "Military Forces of Russia (2000-)",
    "assoc_actor_1": "",
    "inter1": "8",
    "actor2": "Civilians (Ukraine)",
    "assoc_actor_2": "",
    "inter2": "7",
    "interaction": "78",
    "civilian_targeting": "Civilian targeting",
    "iso": "804",
    "region": "Europe",
    "country": "Ukraine",
    "admin1": "Kharkiv",
    "admin2": "Kupianskyi",
    "admin3": "Kupianska",
    "location": "Kupiansk",
    "latitude": "49.7106",
    "longitude": "37.6156",
    "geo_precision": "1",
    "source": "Ukrinform; Kharkiv Regional State Administration",
    "source_scale": "National-Subnational",
    "notes": "On 12 March 2024, Russian forces shelled Kupiansk (Kharkiv). 2 civilians were killed.",
    "fatalities": "2",
    "tags": "",
    "timestamp": "1710806400",
}


def row(**changes: str) -> dict[str, str]:
    return {**KUPIANSK, **changes}


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text(to_csv(rows), encoding="utf-8")
    return path


# --- mapping -----------------------------------------------------------------------------


def test_a_shelling_row_becomes_an_incident():
    record, errors = check_row(KUPIANSK)
    assert errors == []
    assert record["id"] == "acled-UKR100000"
    assert (record["kind"], record["status"]) == ("incident", "reported")
    assert record["title"] == "Shelling/artillery/missile attack in Kupiansk"
    assert record["summary"] == KUPIANSK["notes"]
    assert (record["start"], record["end"], record["time_precision"]) == ("2024-03-12", None, "day")
    assert record["timezone"] == "Europe/Kyiv"
    assert (record["place"], record["region"], record["country"]) == (
        "Kupiansk",
        "Kharkiv",
        "Ukraine",
    )
    assert (record["latitude"], record["longitude"]) == (49.7106, 37.6156)
    assert record["parties"] == ["Military Forces of Russia (2000-)", "Civilians (Ukraine)"]
    assert record["tags"] == ["Explosions/Remote violence"]
    assert record["killed"] == {"count": 2, "qualifier": "at_least"}
    assert record["injured"] is None
    assert record["sources"] == [
        {"name": "Ukrinform", "published": "2024-03-12"},
        {"name": "Kharkiv Regional State Administration", "published": "2024-03-12"},
    ]
    assert "ACLED" in record["note"]
    assert "Geo precision 1" in record["note"]
    assert "National-Subnational" in record["note"]


@pytest.mark.parametrize(
    ("code", "precision", "start", "published"),
    [
        ("1", "day", "2024-03-12", "2024-03-12"),
        ("2", "approximate", "2024-03-12", "2024-03-12"),
        ("3", "month", "2024-03", "2024-03"),
    ],
)
def test_time_precision_codes(code, precision, start, published):
    record, errors = check_row(row(time_precision=code))
    assert errors == []
    assert (record["time_precision"], record["start"]) == (precision, start)
    assert {s["published"] for s in record["sources"]} == {published}


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-03-12", "2024-03-12"),
        ("12 March 2024", "2024-03-12"),
        ("1 February 2023", "2023-02-01"),
        ("5 Sept 2022", "2022-09-05"),
        ("29-Feb-2024", "2024-02-29"),
    ],
)
def test_event_dates_in_either_acled_form(text, iso):
    assert parse_event_date(text).isoformat() == iso


def test_sources_tags_and_actors_are_split_trimmed_and_deduplicated():
    record, errors = check_row(
        row(
            source=" Suspilne Media ;Ukrinform;; Suspilne Media ",
            tags="local administrators; crowd size=no report ;",
            actor2="",
            fatalities="0",
        )
    )
    assert errors == []
    assert [s["name"] for s in record["sources"]] == ["Suspilne Media", "Ukrinform"]
    assert record["tags"] == [
        "Explosions/Remote violence",
        "local administrators",
        "crowd size=no report",
    ]
    assert record["parties"] == ["Military Forces of Russia (2000-)"]
    assert record["killed"] == {"count": 0, "qualifier": "at_least"}


@pytest.mark.parametrize(
    ("iso", "country", "zone"),
    [
        ("804", "Ukraine", "Europe/Kyiv"),
        ("643", "Russia", "Europe/Moscow"),
        ("", "Moldova", "Europe/Chisinau"),
        ("999", "Atlantis", "UTC"),
    ],
)
def test_time_zone_from_the_country(iso, country, zone):
    record, errors = check_row(row(iso=iso, country=country))
    assert errors == []
    assert record["timezone"] == zone


def test_a_row_without_location_is_titled_by_its_oblast():
    record, errors = check_row(row(location="", latitude="", longitude="", sub_event_type=""))
    assert errors == []
    assert record["title"] == "Explosions/Remote violence in Kharkiv"
    assert (record["latitude"], record["longitude"]) == (None, None)


def test_very_long_notes_are_shortened_and_say_so():
    record, errors = check_row(row(notes="x" * 5000))
    assert errors == []
    assert len(record["summary"]) == 3000
    assert record["summary"].endswith("…")
    assert "shortened" in record["note"]


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"fatalities": "many"}, "fatalities", "not a whole number"),
        ({"fatalities": "2.5"}, "fatalities", "not a whole number"),
        ({"fatalities": "-3"}, "fatalities", "negative"),
        ({"fatalities": ""}, "fatalities", "required"),
        ({"fatalities": "20000000"}, "fatalities", "plausible"),
        ({"event_date": "2023-02-30"}, "event_date", "impossible"),
        ({"event_date": "31 June 2023"}, "event_date", "impossible"),
        ({"event_date": "yesterday"}, "event_date", "not a date"),
        ({"event_id_cnty": ""}, "event_id_cnty", "required"),
        ({"event_id_cnty": "UKR 1"}, "event_id_cnty", "letters"),
        ({"latitude": "91.2"}, "latitude", "between"),
        ({"longitude": "east"}, "longitude", "not a number"),
        ({"latitude": ""}, "latitude", "together"),
        ({"source": " ; "}, "source", "no source"),
        ({"time_precision": "4"}, "time_precision", "1, 2 or 3"),
        ({"location": "x" * 130}, "location", "at most 120"),
    ],
)
def test_an_invalid_value_is_named_by_its_acled_column(changes, column, words):
    _, errors = check_row(row(**changes))
    assert [e.field for e in errors] == [column]
    assert words in english(errors[0])


def test_every_problem_of_a_row_is_listed_once():
    _, errors = check_row(row(fatalities="x", event_date="2023-13-01", source=""))
    assert [e.field for e in errors] == ["event_date", "fatalities", "source"]


# --- reading files -----------------------------------------------------------------------


def test_the_generator_writes_acleds_columns_in_order():
    assert GENERATED_COLUMNS == COLUMNS
    header = next(csv.reader(io.StringIO(generate(3, seed=1))))
    assert tuple(header) == COLUMNS
    assert is_acled_header(header)


def test_generated_rows_are_valid_and_repeatable():
    rows = list(generate_rows(300, seed=7))
    assert rows == list(generate_rows(300, seed=7))
    assert len({r["event_id_cnty"] for r in rows}) == 300
    assert all(check_row(r)[1] == [] for r in rows)
    assert {r["admin1"] for r in rows} >= {"Donetsk", "Kharkiv", "Zaporizhia", "Kherson"}
    assert sum(r["fatalities"] == "0" for r in rows) > 150  # mostly 0, with a tail


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("export.csv", to_csv([KUPIANSK]), "acled"),
        ("export.txt", to_csv([KUPIANSK]), "acled"),
        ("bom.csv", "\ufeff" + to_csv([KUPIANSK]), "acled"),
        ("upper.csv", to_csv([KUPIANSK]).replace("event_id_cnty", "EVENT_ID_CNTY", 1), "acled"),
        ("events.json", '[{"id": "a"}]', "own"),
        ("events.yaml", "- id: a\n", "own"),
    ],
)
def test_the_format_is_recognised_by_the_header(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert detect_format(path) == expected


def test_a_csv_without_acleds_columns_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,title\na,b\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="without ACLED's columns"):
        detect_format(path)


def test_a_forced_acled_read_names_the_missing_columns(tmp_path):
    path = tmp_path / "thin.csv"
    path.write_text("event_id_cnty,event_date,event_type,fatalities\nUKR1,2024-01-01,B,0\n")
    with pytest.raises(FileFormatError, match="no column time_precision, sub_event_type"):
        read_rows(path)


def test_row_numbers_are_lines_counting_the_header_and_multiline_notes(tmp_path):
    rows = [row(event_id_cnty=f"UKR{i}") for i in range(1, 4)]
    rows[0]["notes"] = "First line.\nSecond line.\nThird line."
    path = write_csv(tmp_path / "multi.csv", rows)
    assert [(line, r["event_id_cnty"]) for line, r in read_rows(path)] == [
        (2, "UKR1"),
        (5, "UKR2"),
        (6, "UKR3"),
    ]


def test_a_short_row_is_reported(tmp_path):
    path = tmp_path / "short.csv"
    text = to_csv([KUPIANSK]) + "UKR2,2024-03-12,2024\n"
    path.write_text(text, encoding="utf-8")
    (_, good), (line, short) = read_rows(path)
    assert line == 3
    fields = [e.field for e in check_row(short)[1]]
    assert fields[0] == "row"
    assert check_row(good)[1] == []


# --- planning against a store ------------------------------------------------------------


def test_every_invalid_row_is_listed_with_its_line_id_and_column(store, tmp_path):
    rows = [row(event_id_cnty=f"UKR{i}") for i in range(1, 8)]
    rows[1]["fatalities"] = "-1"
    rows[3]["event_date"] = "2024-02-30"
    rows[4]["event_id_cnty"] = "UKR1"  # a duplicate of the first row
    rows[6]["source"] = ""
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(ImportRejected) as caught:
        plan_acled_import(store, path)
    found = [(p.index, p.event_id, [e.field for e in p.errors]) for p in caught.value.problems]
    assert found == [
        (3, "acled-UKR2", ["fatalities"]),
        (5, "acled-UKR4", ["event_date"]),
        (6, "acled-UKR1", ["event_id_cnty"]),
        (8, "acled-UKR7", ["source"]),
    ]
    assert english(caught.value.problems[0]).startswith(
        "bad.csv: row 3 (id acled-UKR2): fatalities:"
    )
    assert "duplicate of row 2" in english(caught.value.problems[2])
    assert store.count() == 0


def test_an_excel_export_of_the_same_events_changes_nothing(store, tmp_path, clock):
    iso = tmp_path / "iso.csv"
    excel = tmp_path / "excel.csv"
    generate(40, seed=3, path=iso)
    generate(40, seed=3, path=excel, excel_dates=True)
    assert iso.read_text() != excel.read_text()
    records, plan = plan_acled_import(store, iso)
    apply_import(store, records, plan, author="file:iso.csv", reason="import")
    _, again = plan_acled_import(store, excel)
    assert (again.created, again.updated, again.unchanged) == ([], {}, 40)


def test_a_changed_row_is_checked_by_the_stores_validation_too(store, tmp_path):
    path = write_csv(tmp_path / "a.csv", [KUPIANSK])
    records, plan = plan_acled_import(store, path)
    apply_import(store, records, plan, author="file:a.csv", reason="import")
    # A value the mapping accepts but the store's validation refuses (a 250-character title).
    changed = write_csv(tmp_path / "b.csv", [row(sub_event_type="y" * 250)])
    with pytest.raises(ImportRejected) as caught:
        plan_acled_import(store, changed)
    assert [e.field for e in caught.value.problems[0].errors] == ["sub_event_type"]
