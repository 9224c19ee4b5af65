"""HTML for events. Every curated value passes through `esc`; tags never span lines, so a long
reply can be split at any line break and each part is still valid Telegram HTML."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.lists import format_list

from handlers.catalogue import EN, locale, plural, text
from handlers.i18n import DEFAULT_LANGUAGE, current_language, renders_in
from handlers.localized import language_now, localized, mark, quote_translation
from handlers.when import compact_span, format_span, has_time, nearness, stamp, venue_time
from storage import moves
from storage.events import Revision
from storage.gazetteer import Place, lookup, lookup_region
from storage.model import Event, Source, source_of
from storage.moves import ScheduleChange
from storage.timeparse import zone_or_error

# How a view names the author of a revision: readers' and curators' faces differ.
AuthorFace = Callable[[str], str]

MAX_MESSAGE = 4096
LIST_SUMMARY = 280


def esc(value: Any) -> str:
    return html.escape(str(value), quote=False)


def clip(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _zone(rec: Event) -> ZoneInfo:
    try:
        return zone_or_error(rec.get("timezone") or "UTC")
    except ValueError:
        return ZoneInfo("UTC")


def status_word(status: str | None) -> str:
    return text(f"status_{status}") if status else ""


def casualty(value: Mapping[str, Any] | None) -> str | None:
    if not value:
        return None
    if value["count"] == 0 and value["qualifier"] == "at_least":
        return text("casualty_none_reported")  # "at least 0" says nothing; this does
    return text(f"casualty_{value['qualifier']}", count=value["count"])


def place_name(place: Place) -> str:
    """A gazetteer place's name in the current language (English when it has none)."""
    return place.names.get(current_language()) or place.names[DEFAULT_LANGUAGE]


def shown_place(name: str, *, region: bool = False) -> str:
    """A record's place or region as the reader reads it: a gazetteer place by its name in
    the reader's language ("Запоріжжя" to a Ukrainian reader), anything else as curated."""
    found = lookup_region(name) if region else lookup(name)
    return place_name(found) if found else name


def shown_country(name: str) -> str:
    """A country by its CLDR name in the reader's language ("Україна"), else as curated."""
    lang = current_language()
    if lang == DEFAULT_LANGUAGE:
        return name
    code = _territory_codes().get(name.casefold())
    return str(locale(lang).territories.get(code, name)) if code else name


def party_names(parties: list[str], lang: str | None = None) -> str:
    """A record's parties as the reader reads them, as a CLDR list ("Україна, Росія і США"):
    a state by its name in the reader's language (a short everyday form where the catalogue
    has one, `party_US`), anything else (a company) as curated. Plain text: escape it."""
    lang = lang or current_language()
    names = []
    for party in parties:
        code = _territory_codes().get(party.casefold())
        if code and f"party_{code}" in EN:
            names.append(text(f"party_{code}", lang))
        elif code and lang != DEFAULT_LANGUAGE:
            names.append(str(locale(lang).territories.get(code, party)))
        else:
            names.append(party)
    return format_list(names, locale=locale(lang))


@cache
def _territory_codes() -> dict[str, str]:
    """English country names (CLDR's, and a few everyday forms) to their codes."""
    codes = {str(n).casefold(): code for code, n in locale(DEFAULT_LANGUAGE).territories.items()}
    codes.update({"usa": "US", "uae": "AE", "russia": "RU", "turkey": "TR"})
    return {name: code for name, code in codes.items() if code.isalpha()}


def where(rec: Event) -> str:
    parts = [
        shown_place(rec.get("place") or ""),
        shown_place(rec.get("region") or "", region=True),
        shown_country(rec.get("country") or ""),
    ]
    seen: list[str] = []
    for part in parts:
        if part and part not in seen:
            seen.append(part)
    return ", ".join(esc(p) for p in seen)


def scope_names(scope: list[str] | None) -> str:
    """A claim's scope (places and countries), each named in the reader's language."""
    return ", ".join(shown_country(shown_place(name, region=True)) for name in scope or [])


def when(rec: Event, reader_zone: ZoneInfo, today: date | None, now: datetime | None = None) -> str:
    """When a record is, in the reader's zone; a round still to come also says 'today',
    'tomorrow' or 'in 3 h' when it is near (given `now`)."""
    shown = format_span(
        rec.get("start"),
        rec.get("end"),
        rec.get("time_precision") or "day",
        reader_zone=reader_zone,
        today=today,
    )
    shown = esc(shown)
    if rec.get("kind") == "talks" and rec.get("status") not in moves.CLOSED:
        near = nearness(rec.get("start"), rec.get("end"), reader_zone, now)
        if near:
            shown = text("when_near", when=shown, near=esc(near))
    if rec.get("kind") == "talks":
        local = venue_time(rec.get("start"), _zone(rec), reader_zone)
        if local:
            place = shown_place(rec.get("place") or "")
            venue = text("venue_time", time=esc(local), place=esc(place))
            shown = f"{shown}; {venue}"
    return shown


def change_word(change: ScheduleChange | None, kind: str | None = None) -> str:
    """The words for a kind of schedule change (storage.moves decides which kind it is)."""
    kind = kind or (change.kind if change else None)
    if kind is None:
        return text("moved_word")
    if kind == "reverted":
        return text("change_reverted_first" if change and change.to_first else "change_reverted")
    if kind == "time_set" and change and not has_time(change.new):
        return text("change_date_set")
    if kind == "status_changed":
        status = change.new.get("status") if change else None
        return text("change_status_changed", status=status_word(status))
    return text(f"change_{kind}")


def dates_changed(
    word: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    zone: ZoneInfo,
    today: date | None,
) -> str:
    """'postponed: was Wed 4 – Thu 5 Feb, now Fri 6 – Sat 7 Feb', as an alert and a catch-up or
    digest tell a round's new dates. `old` and `new` hold start, end and time_precision; a
    precision `old` lacks is `new`'s."""
    precision = new.get("time_precision") or "day"
    old_precision = old.get("time_precision") or precision
    was = format_span(
        old.get("start"), old.get("end"), old_precision, reader_zone=zone, today=today
    )
    now = format_span(new.get("start"), new.get("end"), precision, reader_zone=zone, today=today)
    return text("alert_talks_dates", status=esc(word), old=esc(was), new=esc(now))


def moved_line(
    rec: Event,
    revisions: list[Revision],
    reader_zone: ZoneInfo,
    today: date | None = None,
    *,
    status_shown: bool = False,
) -> str | None:
    """'postponed: was 1 Feb, now 4–5 Feb (moved 2 times)' for a round whose dates changed.

    With `status_shown`, a word that only repeats the status beside it is left out.
    """
    steps = moves.history(rec, revisions)
    dated = [s for s in steps if s.dates_changed]
    if not dated:
        return None
    count = steps[-1].moves
    first, latest = dated[0].old, dated[-1]
    word = change_word(latest)
    new = compact_span(rec.get("start"), rec.get("end"), reader_zone, today)
    if moves.span(first) == moves.span(rec):
        line = text("moved_back", status=esc(word), new=esc(new))
    else:
        old = compact_span(first.get("start"), first.get("end"), reader_zone, today)
        if status_shown and word == status_word(rec.get("status")):
            line = text("moved_plain", old=esc(old), new=esc(new))
        else:
            line = text("moved", status=esc(word), old=esc(old), new=esc(new))
    if count > 1:
        line += plural("moved_times", count)
    elif count == 1 and latest.kind == "reverted":
        line += plural("moved_times", 1)
    return line


def public_author(
    author: str, aliases: Mapping[int, str] | None = None, lang: str | None = None
) -> str:
    """Who made a change, as readers may see it: the public alias a curator chose in
    SITREP_ADMINS (`9001:Newsroom desk`), else "editor". Never a Telegram id, a username, a
    system user or a file name: in this war a curator's identity is a safety matter.

    The one rule for every public view (chat, web pages, calendars, `sitrep export --public`).
    """
    if aliases and author.startswith("tg:"):
        user = author[3:].split(maxsplit=1)[0]
        if user.isascii() and user.lstrip("-").isdigit():
            alias = aliases.get(int(user))
            if alias:
                return alias
    return text("author_editor", lang)


def public_face(aliases: Mapping[int, str] | None = None) -> AuthorFace:
    """Readers' view of authors (see `public_author`)."""
    return lambda author: public_author(author, aliases)


def curator_face(author: str) -> str:
    """Curators' own view: the full author, as stored."""
    return author


def figure_lines(rec: Event) -> list[str]:
    """Casualty figures, each with the source that gave it: 'Killed: at least 14 · DTEK'.

    Figures that all come from the record's own source share one 'says …' as before.
    """
    figures = []
    for key, value in (("killed", rec.get("killed")), ("injured", rec.get("injured"))):
        if shown := casualty(value):
            src = source_of(rec, key)
            figures.append((key, shown, src.get("name") if src else None))
    if not figures:
        return []
    general = source_of(rec, "")
    names = {name for _, _, name in figures}
    if len(names) == 1 and (general is None or names == {general.get("name")}):
        parts = [f"{text(f'label_{key}')}: {esc(shown)}" for key, shown, _ in figures]
        if name := figures[0][2]:
            parts.append(text("says_who", source=esc(name)))
        return [" · ".join(parts)]
    return [
        text("figure_with_source", label=text(f"label_{key}"), figure=esc(shown), source=esc(name))
        if name
        else f"{text(f'label_{key}')}: {esc(shown)}"
        for key, shown, name in figures
    ]


def first_source(rec: Event) -> str | None:
    sources = rec.get("sources") or []
    return esc(sources[0]["name"]) if sources else None


def title_html(rec: Event, lang: str, *, bold: bool = True) -> str:
    """'#N Title' in the reader's language (its untranslated mark outside the bold)."""
    title, _ = localized(rec, "title", lang)
    head = f"#{rec['number']} {esc(title)}"
    return (f"<b>{head}</b>" if bold else head) + mark(rec, "title", lang)


def text_html(rec: Event, field: str, lang: str, limit: int | None = None) -> str:
    """A curated text (summary, note, paraphrase) in the reader's language, escaped, with its
    untranslated mark."""
    shown, _ = localized(rec, field, lang)
    return esc(clip(shown, limit) if limit else shown) + mark(rec, field, lang)


def _label(key: str, value: str) -> str:
    return f"<i>{text(key)}:</i> {value}"


def heading(rec: Event, lang: str, title: str | None = None) -> str:
    """A record's first line in a list: its number, its title (in the reader's language) and
    the command that opens it."""
    if title is None:
        return text("item_heading", head=title_html(rec, lang), number=rec["number"])
    shown = f"<b>#{rec['number']} {esc(title)}</b>"
    return text("item_heading", head=shown, number=rec["number"])


def talks_item(
    rec: Event,
    revisions: list[Revision],
    zone: ZoneInfo,
    today: date | None,
    lang: str,
    now: datetime | None = None,
) -> list[str]:
    lines = [heading(rec, lang)]
    lines.append(f"{when(rec, zone, today, now)} · {where(rec) or text('empty_value')}")
    status = esc(status_word(rec.get("status")))
    moved = moved_line(rec, revisions, zone, today, status_shown=True)
    shown = text("status_with_move", status=status, move=moved) if moved else status
    lines.append(_label("label_status", shown))
    if rec.get("parties"):
        lines.append(_label("label_parties", esc(party_names(rec["parties"]))))
    return lines


def incident_item(rec: Event, zone: ZoneInfo, today: date | None, lang: str) -> list[str]:
    lines = [heading(rec, lang)]
    lines.append(f"{when(rec, zone, today)} · {where(rec) or text('empty_value')}")
    if rec.get("summary"):
        lines.append(text_html(rec, "summary", lang, LIST_SUMMARY))
    lines += figure_lines(rec)
    return lines


def quoted(words: str, limit: int = LIST_SUMMARY) -> str:
    """Words the source prints inside quotation marks, shown inside quotation marks."""
    return f"“{esc(clip(words, limit))}”"


def reported(rec: Event, limit: int = LIST_SUMMARY, lang: str | None = None) -> str:
    """Reported speech: never in quotation marks, always attributed to the source that
    reports it; in the reader's language (it is the reporter's wording, not the speaker's)."""
    source = first_source(rec) or esc(rec.get("speaker") or "")
    return text(
        "reported_speech",
        source=source,
        text=text_html(rec, "paraphrase", language_now(lang), limit),
    )


def translated_quote(rec: Event, lang: str, limit: int = LIST_SUMMARY) -> str | None:
    """The curator's translation of a quote, marked as a translation (never in quotation
    marks: they are not the speaker's words); None when there is none."""
    translation = quote_translation(rec, lang)
    if translation is None:
        return None
    return text("quote_translation", lang, text=esc(clip(translation, limit)))


def said_lines(rec: Event, limit: int = LIST_SUMMARY, lang: str | None = None) -> list[str]:
    """A statement's words: its quote in quotation marks as published (then its translation,
    marked as one, or the untranslated mark), its paraphrase attributed."""
    lang = language_now(lang)
    lines = []
    if rec.get("quote"):
        lines.append(quoted(rec["quote"], limit) + mark(rec, "quote", lang))
        if translation := translated_quote(rec, lang, limit):
            lines.append(translation)
    if rec.get("paraphrase"):
        lines.append(reported(rec, limit, lang))
    return lines


def claim_status_word(status: str | None) -> str:
    return text(f"claim_status_{status}") if status else ""


def claim_line(rec: Event) -> str | None:
    """'Claim: unverified · scope: Ukraine' for a statement that is a claim."""
    claim = rec.get("claim")
    if not claim:
        return None
    return text(
        "claim_line",
        status=esc(claim_status_word(claim.get("status"))),
        scope=esc(scope_names(claim.get("scope"))),
    )


def statement_item(rec: Event, zone: ZoneInfo, today: date | None, lang: str) -> list[str]:
    lines = [heading(rec, lang, rec["speaker"] or rec["title"])]
    said = when(rec, zone, today)
    if rec.get("channel"):
        said += f" · {text('label_channel')} {esc(rec['channel'])}"
    lines.append(said)
    lines.extend(said_lines(rec, lang=lang))
    if claimed := claim_line(rec):
        lines.append(claimed)
    return lines


@renders_in
def list_item(
    rec: Event,
    revisions: list[Revision],
    zone: ZoneInfo,
    today: date | None,
    lang: str | None = None,
    now: datetime | None = None,
) -> list[str]:
    lang = language_now(lang)
    if rec["kind"] == "talks":
        return talks_item(rec, revisions, zone, today, lang, now)
    if rec["kind"] == "statement":
        return statement_item(rec, zone, today, lang)
    return incident_item(rec, zone, today, lang)


def _value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return text("empty_value")
    if isinstance(value, dict) and "count" in value:
        return esc(casualty(value) or "")
    if isinstance(value, dict) and "status" in value:
        return esc(
            text(
                "claim_value",
                status=claim_status_word(value.get("status")),
                scope=clip(", ".join(value.get("scope") or []), 80),
            )
        )
    if isinstance(value, list):
        return esc(
            clip(
                ", ".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value),
                80,
            )
        )
    return esc(clip(str(value), 80))


def _history_value(field: str, value: Any) -> str:
    """A changed value as the reader reads it: a status in their language."""
    if field == "status" and isinstance(value, str) and f"status_{value}" in EN:
        return esc(status_word(value))
    return _value(value)


def revision_time(rev: Revision, zone: ZoneInfo, today: date | None = None) -> str:
    """When a change happened: its own date at its precision when it was filed afterwards
    (never a clock time nobody reported), else the time the store changed, in the reader's
    zone and labelled."""
    if rev.happened:
        return format_span(
            rev.happened,
            None,
            rev.happened_precision or "day",
            reader_zone=zone,
            today=today,
        )
    return stamp(rev.at, zone, today)


def change_items(changes: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, Any, Any]]:
    """(field, old, new) for each changed field; a change to translations becomes one item per
    translated text that changed, named as curators type it (`uk.title`)."""
    items: list[tuple[str, Any, Any]] = []
    for key, change in changes.items():
        old, new = change.get("old"), change.get("new")
        if (
            key != "translations"
            or not isinstance(old or {}, dict)
            or not isinstance(new or {}, dict)
        ):
            items.append((key, old, new))
            continue
        old, new = old or {}, new or {}
        for lang in sorted(set(old) | set(new)):
            before, after = old.get(lang) or {}, new.get(lang) or {}
            for field in sorted(set(before) | set(after)):
                if before.get(field) != after.get(field):
                    items.append((f"{lang}.{field}", before.get(field), after.get(field)))
    return items


def history_lines(
    rec: Event,
    revisions: list[Revision],
    zone: ZoneInfo,
    today: date | None,
    *,
    author: AuthorFace | None = None,
) -> list[str]:
    """Each revision: when (in the reader's zone), who, what kind of schedule change, which
    fields, why and the source. `author` is the view's face: readers' (the default) or a
    curator's own (`curator_face`)."""
    face = author or public_face()
    kinds = {step.sequence: step for step in moves.history(rec, revisions)}
    lines = []
    for rev in revisions:
        if rev.changes:
            what = "; ".join(
                text(
                    "history_change",
                    field=esc(text(f"field_{k}") if f"field_{k}" in EN else k),
                    old=_history_value(k, old),
                    new=_history_value(k, new),
                )
                for k, old, new in change_items(rev.changes)
            )
            if step := kinds.get(rev.sequence):
                what = text("history_kind", kind=esc(change_word(step)), what=what)
        else:
            what = text("history_created")
        line = text(
            "history_line",
            sequence=rev.sequence,
            at=esc(revision_time(rev, zone, today)),
            author=esc(face(rev.author)),
            what=what,
        )
        if rev.reason:
            line += text("history_reason", reason=esc(clip(rev.reason, 300)))
        if rev.source and rev.source.get("name"):
            line += text("history_source", source=esc(rev.source["name"]))
        lines.append(line)
    return lines


def source_line(src: Source) -> str:
    name = esc(src.get("name", ""))
    url = src.get("url")
    head = f'<a href="{html.escape(url, quote=True)}">{name}</a>' if url else name
    if src.get("published"):
        head += f" ({esc(src['published'])})"
    if src.get("supports"):
        head += text("source_supports", fields=esc(", ".join(src["supports"])))
    quote = src.get("quote")
    if quote:
        head += f": “{esc(clip(quote, 600))}”"
    return f"• {head}"


def related_line(refs: list[str], found: Mapping[str, Event]) -> str:
    """'#2 Title /event_2; …' for related records; an id not (yet) in the store as it is."""
    shown = []
    for ref in refs:
        other = found.get(ref)
        if other is None:
            shown.append(esc(ref))
        else:
            shown.append(
                text(
                    "related_item",
                    number=other["number"],
                    title=esc(clip(localized(other, "title", current_language())[0], 80)),
                )
            )
    return "; ".join(shown)


@renders_in
def full_event(
    rec: Event,
    revisions: list[Revision],
    zone: ZoneInfo,
    today: date | None,
    *,
    author: AuthorFace | None = None,
    in_scope: list[Event] | None = None,
    lang: str | None = None,
    related: Mapping[str, Event] | None = None,
) -> str:
    """The whole record: what, when, where, figures, sources, curator note and history.

    `author` is the view's face for the history (readers' by default); `in_scope`, for a
    claim, the incidents recorded in its scope since it was made; `lang` the reader's
    language (see handlers.localized); `related`, the related records found, by id."""
    lang = language_now(lang)
    lines = [title_html(rec, lang)]
    if rec.get("summary"):
        lines.append(text_html(rec, "summary", lang))
    lines.append("")
    lines.append(_label("label_when", when(rec, zone, today)))
    if where(rec):
        lines.append(_label("label_where", where(rec)))
    if rec.get("status"):
        lines.append(_label("label_status", esc(status_word(rec["status"]))))
    if moved := moved_line(rec, revisions, zone, today):
        lines.append(moved)
    if rec.get("parties"):
        lines.append(_label("label_parties", esc(party_names(rec["parties"]))))
    if rec.get("people"):
        lines.append(_label("label_people", esc(", ".join(rec["people"]))))
    for key, value in (("killed", rec.get("killed")), ("injured", rec.get("injured"))):
        if shown := casualty(value):
            src = source_of(rec, key)
            if src and src.get("supports"):
                shown = text("figure_sourced", figure=shown, source=src.get("name", ""))
            lines.append(_label(f"label_{key}", esc(shown)))
    if rec.get("kind") == "statement":
        said_by = esc(rec.get("speaker") or "")
        if rec.get("channel"):
            said_by += f" ({text('label_channel')} {esc(rec['channel'])})"
        lines.append(_label("label_said_by", said_by))
        # One line: replies are split at line breaks, and a cut inside <blockquote> would
        # leave two halves Telegram refuses.
        quote = " ".join((rec.get("quote") or "").split())
        if quote:
            lines.append(f"<blockquote>“{esc(quote)}”</blockquote>" + mark(rec, "quote", lang))
            if translation := translated_quote(rec, lang, 2000):
                lines.append(translation)
        if rec.get("paraphrase"):
            lines.append(reported(rec, 2000, lang))
    if rec.get("tags"):
        lines.append(_label("label_tags", esc(", ".join(rec["tags"]))))
    if rec.get("related"):
        lines.append(_label("label_related", related_line(rec["related"], related or {})))
    lines.append(_label("label_id", f"<code>{esc(rec['id'])}</code>"))
    if rec.get("claim"):
        lines.append("")
        lines.extend(claim_block(rec, in_scope or [], zone, today, lang))
    lines.append("")
    lines.append(f"<b>{text('label_sources')}</b>")
    lines.extend(source_line(s) for s in rec.get("sources") or [])
    if rec.get("note"):
        lines.append("")
        lines.append(f"<b>{text('label_note')}</b>")
        lines.append(text_html(rec, "note", lang))
    if revisions:
        lines.append("")
        lines.append(f"<b>{text('label_history')}</b>")
        lines.extend(history_lines(rec, revisions, zone, today, author=author))
    return "\n".join(lines)


def claim_block(
    rec: Event,
    in_scope: list[Event],
    zone: ZoneInfo,
    today: date | None,
    lang: str | None = None,
) -> list[str]:
    """A claim's status as curators set it (why, on whose word), its scope, and beside it the
    incidents recorded in that scope since it was made: facts, no verdict of our own."""
    lang = language_now(lang)
    claim = rec["claim"] or {}
    status = text("claim_status", status=esc(claim_status_word(claim.get("status"))))
    if claim.get("reason"):
        status += text("history_reason", reason=esc(clip(claim.get("reason") or "", 500)))
    lines = [f"<b>{text('label_claim')}</b>", status]
    source = claim.get("source")
    if source:
        shown = Source(name=source.get("name") or "", url=source.get("url"))
        lines.append(text("claim_source", source=source_line(shown)[2:]))
    lines.append(_label("label_scope", esc(scope_names(claim.get("scope")))))
    lines.append("")
    lines.append(f"<b>{text('claim_since_header')}</b>")
    if not in_scope:
        lines.append(f"<i>{text('claim_since_none')}</i>")
    for incident in in_scope:
        line = f"• {title_html(incident, lang, bold=False)} · {when(incident, zone, today)}"
        place = where(incident)
        if place:
            line += f" · {place}"
        figures = [
            f"{text(f'label_{key}')}: {esc(shown_figure)}"
            for key, figure in (("killed", incident["killed"]), ("injured", incident["injured"]))
            if (shown_figure := casualty(figure))
        ]
        if figures:
            line += f" · {' · '.join(figures)}"
        lines.append(line)
    return lines


_TAG = re.compile(r"<[^>]*>")


def visible_length(markup: str) -> int:
    """Length as Telegram counts it: tags removed, entities decoded, in UTF-16 code units."""
    plain = html.unescape(_TAG.sub("", markup))
    return len(plain.encode("utf-16-le")) // 2


def split_message(markup: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split at line breaks into parts Telegram accepts; a single overlong line loses its tags."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in markup.split("\n"):
        length = visible_length(line)
        if length > limit:
            plain = html.unescape(_TAG.sub("", line))
            # Half the limit in characters stays under it in UTF-16 units, emoji included.
            step = limit // 2
            pieces = [plain[i : i + step] for i in range(0, len(plain), step)]
            for piece in pieces:
                if current:
                    parts.append("\n".join(current))
                    current, size = [], 0
                parts.append(esc(piece))
            continue
        if current and size + length + 1 > limit:
            parts.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += length + 1
    if current:
        parts.append("\n".join(current))
    cleaned = [p.strip("\n") for p in parts]
    return [p for p in cleaned if p.strip()] or [text("empty_value")]
