"""Every user-facing string, by language. Placeholders are filled with already-escaped HTML.

English is the only language so far; `text()` falls back to it for any missing key, so a
partial translation never leaves a reader without an answer.
"""

from __future__ import annotations

from typing import Any

EN: dict[str, str] = {
    # --- start / help ---------------------------------------------------------------------
    "start": (
        "<b>sitrep</b>: curated updates on the Russia–Ukraine war and the US–Russia–Ukraine "
        "peace talks.\n\n"
        "Every record here was entered by an editor, with its sources, how precise its date "
        "is, and every later correction. Nothing is scraped from channels.\n\n"
        "Try /talks for the talks schedule, /incidents for the latest incidents, or /help "
        "for every command."
    ),
    "help": (
        "<b>Commands</b>\n"
        "/talks: talks rounds, upcoming first, with every postponement\n"
        "/incidents: latest incidents, e.g. <code>/incidents dnipro 7d</code>\n"
        "/statements: latest statements, who said what and where\n"
        "/event N: one record in full, with sources and history, e.g. <code>/event 3</code>\n"
        "/search WORDS: full-text search, e.g. <code>/search maternity hospital</code>\n"
        "/subscribe: alerts when talks move, new incidents, statements, e.g. "
        "<code>/subscribe incidents zaporizhzhia</code>\n"
        "/unsubscribe: stop alerts, e.g. <code>/unsubscribe all</code>\n"
        "/subscriptions: what this chat gets\n"
        "/settings: time zone and talks reminders, e.g. <code>/settings reminders 24h,1h</code>\n"
        "{extra}"
        "/help: this list\n\n"
        "Periods: <code>24h</code>, <code>7d</code>, <code>2w</code>, <code>3m</code>, "
        "<code>1y</code>. Times are shown in {zone}.\n\n"
        "<b>Where the data comes from</b>: editors curate each record from published "
        "reports and name the source of every fact; see /event N for a record's sources."
    ),
    # --- lists ------------------------------------------------------------------------------
    "talks_header": "<b>Peace talks</b>",
    "talks_upcoming": "<b>Upcoming</b>",
    "talks_past": "<b>Earlier</b>",
    "talks_empty": "No talks rounds are recorded yet.",
    "talks_none_upcoming": "None announced yet; /subscribe talks to hear first.",
    "incidents_header": "<b>Incidents</b>{filters}",
    "incidents_empty": "No incidents recorded{filters}.",
    "statements_header": "<b>Statements</b>",
    "statements_empty": "No statements are recorded yet.",
    "search_header": "<b>Search</b>: {words}",
    "search_empty": "Nothing matches {words}. Try fewer or other words.",
    "search_usage": "Tell me what to look for, e.g. <code>/search Abu Dhabi</code>.",
    "filter_area": " in {area}",
    "filter_period": " in the last {period}",
    "button_prev": "‹ Newer",
    "button_next": "Older ›",
    "button_prev_plain": "‹ Previous",
    "button_next_plain": "Next ›",
    "button_event": "#{number}",
    "more_hint": "Send /event N for the full record.",
    # --- one event --------------------------------------------------------------------------
    "event_usage": "Which record? Send its number, e.g. <code>/event 3</code>.",
    "event_not_found": "There is no record {ref}. Numbers are shown as #N in every list.",
    "label_when": "When",
    "label_where": "Where",
    "label_status": "Status",
    "label_parties": "Parties",
    "label_people": "People",
    "label_killed": "Killed",
    "label_injured": "Injured",
    "label_said_by": "Said by",
    "label_channel": "on",
    "label_sources": "Sources",
    "label_note": "Curator note",
    "label_history": "History",
    "label_tags": "Tags",
    "label_related": "Related",
    "label_id": "Id",
    "history_created": "created",
    "history_line": "#{sequence} {at} by {author}: {what}",
    "history_reason": " (why: {reason})",
    "history_source": " [source: {source}]",
    "history_change": "{field} {old} → {new}",
    "empty_value": "—",
    "moved": "{status}: was {old}, now {new}",
    "moved_times": " (moved {count} times)",
    "venue_time": "{time} in {place}",
    "around": "around {when}",
    "precision_month": "{when}",
    "casualty_at_least": "at least {count}",
    "casualty_about": "about {count}",
    "casualty_exact": "{count}",
    "says_who": "says {source}",
    # --- statuses ---------------------------------------------------------------------------
    "status_scheduled": "scheduled",
    "status_postponed": "postponed",
    "status_held": "held",
    "status_cancelled": "cancelled",
    "status_reported": "reported",
    "status_confirmed": "confirmed",
    # --- alerts -------------------------------------------------------------------------------
    "alert_talks_new": "🗓 <b>New talks round</b>: {title}",
    "alert_talks_change": "🔔 <b>{title}</b> {what}",
    "alert_talks_dates": "{status}: was {old}, now {new}",
    "alert_talks_status": "{status} (was {old})",
    "alert_talks_venue": "Venue: was {old}, now {new}",
    "alert_moves": "This round has moved {count} times.",
    "alert_moves_once": "This round has moved once.",
    "alert_why": "<i>Why:</i> {reason}",
    "alert_source": "<i>Source:</i> {source}",
    "alert_incident_new": "⚠️ <b>{title}</b>",
    "alert_incident_correction": "✏️ <b>Correction</b>: {title}",
    "alert_casualty_change": "{label}: was {old}, now {new}",
    "alert_statement_new": "💬 <b>{speaker}</b>{channel}",
    "alert_reminder": "⏰ <b>In {offset}</b>: {title}",
    "alert_more": "Full record: /event {number}",
    "moved_word": "moved",
    # --- subscriptions --------------------------------------------------------------------
    "topic_talks": "Talks",
    "topic_incidents": "Incidents",
    "topic_statements": "Statements",
    "subscribe_menu": (
        "<b>Subscriptions</b>\nPress a topic to turn its alerts on or off. For incidents in "
        "one area only: <code>/subscribe incidents dnipro</code>."
    ),
    "subscribed": "Subscribed to {what}. You'll get an alert when it changes.",
    "already_subscribed": "This chat already gets {what}.",
    "subscribed_all": "Subscribed to talks, incidents and statements.",
    "unsubscribed": "Stopped {what}.",
    "unsubscribed_all": "All subscriptions stopped. /subscribe to start again.",
    "not_subscribed": "This chat was not subscribed to {what}.",
    "subscribe_usage": (
        "Subscribe with <code>/subscribe talks</code>, <code>/subscribe incidents [area]</code>, "
        "<code>/subscribe statements</code> or <code>/subscribe all</code>."
    ),
    "unsubscribe_usage": (
        "Stop with <code>/unsubscribe talks</code>, <code>/unsubscribe incidents [area]</code>, "
        "<code>/unsubscribe statements</code> or <code>/unsubscribe all</code>."
    ),
    "what_talks": "talks alerts (schedule changes and reminders)",
    "what_incidents": "incident alerts",
    "what_incidents_in": "incident alerts in {area}",
    "what_statements": "statement alerts",
    "subscriptions_none": "This chat has no subscriptions. Try /subscribe.",
    "subscriptions_list": "<b>This chat gets</b>\n{items}\n\nPress a button to stop one.",
    "subscription_item": "• {what}",
    "button_remove": "✖ {what}",
    "button_on": "✅ {topic}",
    "button_off": "▫️ {topic}",
    "admins_only": "Only this group's administrators can change its subscriptions and settings.",
    "region_only_incidents": "Only incidents can be limited to an area.",
    # --- settings ---------------------------------------------------------------------------
    "settings_show": (
        "<b>Settings</b>\nTime zone: {zone}\nReminders before talks: {reminders}\n\n"
        "Change with <code>/settings zone Europe/Berlin</code> or "
        "<code>/settings reminders 24h,1h</code> (or <code>off</code>)."
    ),
    "reminders_off": "off",
    "settings_zone_set": "Times are now shown in {zone}.",
    "settings_reminders_set": "Reminders: {reminders}.",
    "settings_usage": (
        "Use <code>/settings zone AREA/CITY</code> (e.g. Europe/Kyiv) or "
        "<code>/settings reminders 24h,1h</code> or <code>/settings reminders off</code>."
    ),
    "settings_bad": "That didn't work: {problem}.",
    # --- errors and fallbacks ---------------------------------------------------------------
    "unknown_command": "I don't know {command}. Send /help for the list of commands.",
    "plain_text": "I answer commands. Send /help to see them, or /talks for the talks schedule.",
    "bad_period": (
        "I can't read the period {period}. Use a number and a unit: "
        "<code>24h</code>, <code>7d</code>, <code>2w</code>, <code>3m</code> or <code>1y</code>."
    ),
    "area_too_long": "That place name is too long; try a shorter one, e.g. <code>dnipro</code>.",
    "too_many_words": "That is too long to search for; use at most {limit} characters.",
    "button_expired": "This button no longer works. Send the command again.",
    "internal_error": "Something went wrong on my side. Please try again in a moment.",
}

CATALOGUES: dict[str, dict[str, str]] = {"en": EN}


def text(key: str, lang: str = "en", **values: Any) -> str:
    """The message `key` in `lang` (falling back to English), with placeholders filled."""
    template = CATALOGUES.get(lang, EN).get(key) or EN[key]
    return template.format(**values) if values else template
