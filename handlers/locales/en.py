"""English: the catalogue's own language, which every other falls back to, key by key.

Placeholders are filled with already-escaped HTML. A key ending in `.one`, `.few`, `.many`
or `.other` is one plural form of a message (CLDR's categories; Babel picks the form).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
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
        "/incidents: latest incidents, e.g. <code>/incidents dnipro 7d</code> or "
        "<code>/incidents Запоріжжя</code>\n"
        "/statements: latest statements, who said what and where\n"
        "/claims: leaders' claims and their status, with what happened in their scope since\n"
        "/event N: one record in full, with sources and history, e.g. <code>/event 3</code> "
        "or tap /event_3 under a record\n"
        "/search WORDS: full-text search, e.g. <code>/search maternity hospital</code>\n"
        "/chart incidents [AREA] [PERIOD]: incidents per week as a picture, with killed and "
        "injured, e.g. <code>/chart incidents dnipro 3m</code>; /chart talks: the rounds on "
        "a timeline, with every move\n"
        "/board: in a group, a pinned status board (next rounds, latest incidents) that I "
        "edit whenever talks or incidents change; administrators only; "
        "<code>/board off</code> stops it\n"
        "/subscribe: alerts when talks move, new incidents, statements, e.g. "
        "<code>/subscribe incidents zaporizhzhia</code>\n"
        "/unsubscribe: stop alerts, e.g. <code>/unsubscribe all</code>\n"
        "/subscriptions: what this chat gets\n"
        "/calendar: the talks in your calendar app (a .ics file)\n"
        "/settings: time zone, talks reminders and silent alerts, e.g. "
        "<code>/settings zone Київ</code>, <code>/settings reminders 24h,1h</code>, "
        "<code>/settings silent on</code>\n"
        "/quiet: quiet hours, e.g. <code>/quiet 23:00-07:00</code>: alerts wait, then come "
        "in one catch-up message; <code>/quiet off</code>\n"
        "/digest: one message a day instead of instant alerts, e.g. "
        "<code>/digest 08:00</code>; <code>/digest off</code>\n"
        "/language: the language I answer in, e.g. <code>/language uk</code> "
        "(Українська)\n"
        "{extra}"
        "/help: this list\n\n"
        "Periods: <code>24h</code>, <code>7d</code>, <code>2w</code>, <code>3m</code>, "
        "<code>1y</code>. Times are shown in {zone}.\n\n"
        "<b>Where the data comes from</b>: editors curate each record from published "
        "reports and name the source of every fact; see /event N for a record's sources."
    ),
    "help_history": "/history N: every change to a record: when, what and why\n",
    "help_curator": (
        "/history N: every change to a record, who made it and why (authors are shown only "
        "to curators, in a private chat)\n"
        "\n<b>Curator commands</b> (each shows a preview; nothing changes until Publish)\n"
        "/reschedule N START [END] [— reason | source], e.g. "
        "<code>/reschedule 3 2026-02-06 2026-02-07 — delegations asked for time | Reuters</code>\n"
        "/status N STATUS [— reason], e.g. <code>/status 3 held</code>\n"
        "/correct N field=value … [— reason], e.g. <code>/correct 4 killed=14 — DTEK update</code>; "
        'a Ukrainian translation: <code>/correct 5 uk.title="…"</code>\n'
        "/revert N SEQUENCE: restore an earlier revision as a new one\n"
        "/add: add a talks round, incident or statement, step by step (/cancel leaves)\n"
        "/claim N STATUS [scope=PLACES] — reason | source, e.g. "
        "<code>/claim 11 disputed — strikes on cities continued | Reuters https://…</code>\n\n"
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
    "more_hint": "Tap a record's /event_N for all of it: sources and history.",
    "item_heading": "{head} /event_{number}",
    "related_item": "#{number} {title} /event_{number}",
    # --- one event --------------------------------------------------------------------------
    "event_usage": "Which record? Send its number, e.g. <code>/event 3</code>.",
    "event_not_found": "There is no record {ref}. Numbers are shown as #N in every list.",
    "label_when": "When",
    "label_where": "Where",
    "label_status": "Status",
    # A state's short everyday name among a record's parties, where CLDR's is long.
    "party_US": "United States",
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
    # A changed field's name in /history and /event (a record's own field names in English).
    "field_start": "start",
    "field_end": "end",
    "field_status": "status",
    "field_time_precision": "time_precision",
    "field_timezone": "timezone",
    "field_place": "place",
    "field_region": "region",
    "field_country": "country",
    "field_title": "title",
    "field_summary": "summary",
    "field_note": "note",
    "field_killed": "killed",
    "field_injured": "injured",
    "field_parties": "parties",
    "field_people": "people",
    "field_speaker": "speaker",
    "field_channel": "channel",
    "field_quote": "quote",
    "field_paraphrase": "paraphrase",
    "field_claim": "claim",
    "field_sources": "sources",
    "field_tags": "tags",
    "field_related": "related",
    "history_change": "{field} {old} → {new}",
    "history_kind": "<b>{kind}</b>: {what}",
    "when_near": "{when} · {near}",
    "empty_value": "—",
    "moved": "{status}: was {old}, now {new}",
    "moved_plain": "was {old}, now {new}",
    "moved_back": "{status}: {new}",
    "moved_times.one": " (moved once)",
    "moved_times.other": " (moved {count} times)",
    "status_with_move": "{status} · {move}",
    "near_today": "today",
    "near_tomorrow": "tomorrow",
    "near_hours": "in {count} h",
    "near_minutes": "in {count} min",
    "venue_time": "{time} in {place}",
    "around": "around {when}",
    "precision_month": "{when}",
    "casualty_at_least": "at least {count}",
    "casualty_about": "about {count}",
    "casualty_exact": "{count}",
    "casualty_none_reported": "none reported",
    "says_who": "says {source}",
    # Reported speech is never shown in quotation marks, and always says who reports it.
    "reported_speech": "<i>Reported by {source}, not quoted:</i> {text}",
    # After a curated text shown in the original for want of a translation into the reader's
    # language (handlers/localized.py); in English, the original's own language, never shown.
    "untranslated_mark": "<i>(not translated)</i>",
    # Below a quote's published words: a curator's translation, never in quotation marks.
    "quote_translation": "<i>Translation:</i> {text}",
    # Readers never see who curated a record: a curator's public alias, else this word.
    "author_editor": "editor",
    # --- claims ------------------------------------------------------------------------------
    "claims_header": "<b>Claims</b>, and their status as the editors set it, with a source",
    "claims_empty": "No claims are recorded yet.",
    "claim_status_unverified": "unverified",
    "claim_status_confirmed": "confirmed",
    "claim_status_disputed": "disputed",
    "claim_status_false": "false",
    "claim_line": "<i>Claim:</i> {status} · <i>scope:</i> {scope}",
    "label_claim": "Claim",
    "label_scope": "Scope",
    "claim_status": "<i>Status, as the editors set it:</i> {status}",
    "claim_source": "<i>On the word of:</i> {source}",
    "claim_since_header": "Incidents recorded in its scope since it was made",
    "claim_since_none": "None recorded so far.",
    "claim_value": "{status} (scope: {scope})",
    "figure_with_source": "{label}: {figure} · {source}",
    "figure_sourced": "{figure} · {source}",
    "source_supports": " (for {fields})",
    # --- statuses ---------------------------------------------------------------------------
    "status_scheduled": "scheduled",
    "status_postponed": "postponed",
    "status_held": "held",
    "status_cancelled": "cancelled",
    "status_reported": "reported",
    "status_confirmed": "confirmed",
    # --- what a schedule change is (storage.moves decides; these are its words) -------------
    "change_cancelled": "cancelled",
    "change_reinstated": "reinstated",
    "change_held": "held",
    "change_reverted": "back to earlier dates",
    "change_reverted_first": "back to the dates first announced",
    "change_postponed": "postponed",
    "change_brought_forward": "brought forward",
    "change_time_set": "time set",
    "change_date_set": "dates set",
    "change_time_changed": "time changed",
    "change_dates_changed": "dates changed",
    "change_venue_changed": "venue changed",
    "change_status_changed": "now {status}",
    # --- alerts -------------------------------------------------------------------------------
    "alert_talks_new": "🗓 <b>New talks round</b>: {title}",
    "alert_talks_change": "🔔 <b>{title}</b> {what}",
    "alert_talks_dates": "{status}: was {old}, now {new}",
    "alert_talks_status": "{status} (was {old})",
    "alert_talks_status_dates": "{status} (was {old}): was {old_dates}, now {new}",
    "alert_talks_venue": "Venue: was {old}, now {new}",
    "alert_moves.one": "This round has moved once.",
    "alert_moves.other": "This round has moved {count} times.",
    "alert_why": "<i>Why:</i> {reason}",
    "alert_source": "<i>Source:</i> {source}",
    "alert_incident_new": "⚠️ <b>{title}</b>",
    "alert_incident_correction": "✏️ <b>Correction</b>: {title}",
    "alert_casualty_change": "{label}: was {old}, now {new}",
    "alert_statement_new": "💬 <b>{speaker}</b>{channel}",
    "alert_claim_status": "⚖️ <b>Claim {status}</b>: {speaker}",
    "alert_claim_was": "Status was {old}.",
    "alert_reminder": "⏰ <b>In {offset}</b>: {title}",
    "alert_more": "Full record: /event_{number}",
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
    "subscribe_area_unknown": (
        "No incidents are recorded in {area}, so nothing was subscribed. Areas to try: "
        "{areas}, e.g. <code>/subscribe incidents dnipro</code>."
    ),
    "incidents_area_unknown": (
        "No incidents are recorded in {area}. Areas to try: {areas}, e.g. "
        "<code>/incidents dnipro</code>."
    ),
    # --- settings ---------------------------------------------------------------------------
    "settings_show": (
        "<b>Settings</b>\nTime zone: {zone}\nReminders before talks: {reminders}\n"
        "Quiet hours: {quiet}\nDaily digest: {digest}\nSilent alerts: {silent}\n"
        "Language: {language} (change with /language)\n\n"
        "Change with <code>/settings zone Kyiv</code> (a city, or a zone such as "
        "<code>Europe/Berlin</code>), <code>/settings reminders 24h,1h</code> (or "
        "<code>off</code>), <code>/settings silent on</code> (or <code>off</code>), "
        "<code>/quiet 23:00-07:00</code> (or <code>off</code>) and <code>/digest 08:00</code> "
        "(or <code>off</code>)."
    ),
    "reminders_off": "off",
    "settings_zone_set": "Times are now shown in {zone}.",
    "settings_reminders_set": "Reminders: {reminders}.",
    "settings_usage": (
        "Use <code>/settings zone CITY</code> (e.g. Kyiv, Київ, Washington, or a zone such "
        "as Europe/Kyiv) or "
        "<code>/settings reminders 24h,1h</code> or <code>/settings reminders off</code> or "
        "<code>/settings silent on</code> (or <code>off</code>)."
    ),
    "settings_reminders_bad": (
        "That didn't work: reminders are times before a round such as <code>24h</code>, <code>90m</code> or "
        "<code>2d</code>, from 5 minutes to 14 days, at most {limit} of them; or "
        "<code>off</code>. E.g. <code>/settings reminders 24h,1h</code>."
    ),
    "settings_bad": "That didn't work: {problem}.",
    "settings_zone_unknown": (
        "That didn't work: I know no time zone or place called {zone}. Name a city, e.g. "
        "<code>/settings zone Kyiv</code> or <code>/settings zone Washington</code>, or a "
        "zone such as <code>Europe/Kyiv</code>."
    ),
    "settings_zone_suggest": (
        "That didn't work: I know no time zone or place called {zone}. Did you mean:\n{items}"
    ),
    "zone_suggestion": "• <code>/settings zone {name}</code> ({zone})",
    # --- quiet hours, daily digest, silent delivery (handlers/quiet.py, summaries.py) -------
    "quiet_show": (
        "Quiet hours: {window} ({zone} time). Alerts then wait, and you get one "
        "catch-up message when they end; reminders and changes to a round within 48 hours "
        "still come, without sound. <code>/quiet off</code> ends them."
    ),
    "quiet_none": (
        "No quiet hours. Set them with <code>/quiet 23:00-07:00</code> ({zone} time): alerts "
        "then wait, and you get one catch-up message when they end."
    ),
    "quiet_set": (
        "Quiet hours: {window} ({zone} time). Alerts that come then wait, and you get one "
        "catch-up message at {end}. Reminders and changes to a round within 48 hours still "
        "come, without sound."
    ),
    "quiet_off": "Quiet hours are off: alerts come as they happen.",
    "quiet_off_catchup": "Quiet hours are off. What waited comes now, in one message.",
    "quiet_usage": (
        "Give a start and an end, e.g. <code>/quiet 23:00-07:00</code> (times in {zone}; a "
        "window may run past midnight), or <code>/quiet off</code>."
    ),
    "quiet_bad_time": (
        "{value} is not a time of day: use 24-hour HH:MM, from 00:00 to 23:59, e.g. "
        "<code>/quiet 23:00-07:00</code>. Nothing was changed."
    ),
    "quiet_same": (
        "Quiet hours need an end that differs from their start, e.g. "
        "<code>/quiet 23:00-07:00</code>. Nothing was changed."
    ),
    "digest_show": (
        "Daily digest at {at} ({zone} time): one message a day with what changed, instead of "
        "alerts as they happen. <code>/digest off</code> goes back to instant alerts."
    ),
    "digest_none": (
        "Alerts come as they happen. For one message a day instead, with what changed: "
        "<code>/digest 08:00</code> ({zone} time)."
    ),
    "digest_set": (
        "Daily digest at {at} ({zone} time): instead of alerts as they happen, one message a "
        "day with what changed since the one before (nothing when nothing changed). "
        "Reminders before talks still come at their time."
    ),
    "digest_off": "Daily digest off: alerts come as they happen again.",
    "digest_off_catchup": (
        "Daily digest off: alerts come as they happen again. What the digest had gathered "
        "comes now, in one message."
    ),
    "digest_usage": (
        "Give a time of day, e.g. <code>/digest 08:00</code> (24-hour HH:MM, in {zone}), or "
        "<code>/digest off</code>."
    ),
    "digest_bad_time": (
        "{value} is not a time of day: use 24-hour HH:MM, e.g. <code>/digest 08:00</code>. "
        "Nothing was changed."
    ),
    "silent_on": "Alerts to this chat now come without sound.",
    "silent_off": "Alerts to this chat come with sound again (outside quiet hours).",
    "silent_usage": (
        "Use <code>/settings silent on</code> or <code>/settings silent off</code>. Nothing "
        "was changed."
    ),
    "setting_off": "off",
    "setting_on": "on",
    "summary_quiet_header": "🌙 <b>While you were away</b> ({window}): {count}",
    "summary_quiet_header_plain": "🌙 <b>While you were away</b>: {count}",
    "summary_digest_header": "📰 <b>Daily digest</b>: {count} since {since}",
    "summary_count.one": "{count} update",
    "summary_count.other": "{count} updates",
    "summary_talks": "<b>Talks</b>",
    "summary_incidents": "<b>Incidents</b>",
    "summary_statements": "<b>Statements</b>",
    "summary_corrections": "<b>Corrections</b>",
    "summary_round": "🔔 <b>#{number} {title}</b>",
    "summary_round_status": "<i>Status:</i> {status}",
    "summary_round_new": "🗓 <b>New round #{number}</b>: {title}",
    "summary_round_changes": "({count} changes while you were away)",
    "summary_round_changes_digest": "({count} changes)",
    "summary_area": "<b>{area}</b>: {count}{figures}",
    "summary_area_count.one": "{count} incident",
    "summary_area_count.other": "{count} incidents",
    "summary_no_area": "Place not given",
    "summary_item": "#{number} {title}",
    "summary_area_more": "… and {count} more: <code>/incidents {area}</code>",
    "summary_more": "… and {count} more",
    "summary_statement": "#{number} <b>{speaker}</b>: {said}",
    "summary_correction": "✏️ #{number} {title}: {what}",
    "summary_claim": "⚖️ #{number} {speaker}: claim {status} (was {old})",
    "summary_footer": "Send /event N for the full record.",
    # --- language -------------------------------------------------------------------------
    # This language's own name, as its speakers write it (on the /language buttons).
    "language_name": "English",
    "language_show": "<b>Language</b>: {language}\nChoose the language I use in this chat:",
    "language_set": "From now on I answer this chat in English.",
    "language_same": "This chat already reads me in English.",
    "language_unknown": "I don't speak {language}. Choose one of: {choices}.",
    "language_choice": "<code>/language {code}</code> ({name})",
    "language_admins_only": "Only this group's administrators can change its language.",
    # --- command menu (setMyCommands, once per language) ------------------------------------
    "cmd_talks": "Talks rounds: upcoming first, and every postponement",
    "cmd_incidents": "Latest incidents; e.g. /incidents dnipro 7d",
    "cmd_statements": "Latest statements: who said what, where",
    "cmd_claims": "Leaders' claims, their status, and what happened since",
    "cmd_event": "One record in full: /event N",
    "cmd_search": "Search every record: /search WORDS",
    "cmd_subscribe": "Alerts: talks moves, incidents, statements",
    "cmd_unsubscribe": "Stop alerts: /unsubscribe all",
    "cmd_subscriptions": "What this chat is subscribed to",
    "cmd_calendar": "The talks in your calendar app (.ics)",
    "cmd_settings": "Time zone, talks reminders, silent alerts",
    "cmd_quiet": "Quiet hours: /quiet 23:00-07:00 or off",
    "cmd_digest": "One message a day: /digest 08:00 or off",
    "cmd_language": "Language: English or Ukrainian",
    "cmd_help": "Every command, with examples",
    "cmd_start": "What this bot is",
    # --- dates and durations: CLDR patterns and styles, filled by Babel -----------------------
    # (never month or weekday names by hand: Babel writes them, in the grammatical case the
    # language needs: "4 лютого", "лютий 2026")
    "date_weekday": "EEE",
    "date_month": "MMM",
    "date_month_year": "MMM y",
    "date_clock": "HH:mm",
    # How long before a round a reminder comes: a CLDR unit length (narrow: "24h", "1d").
    "duration_length": "narrow",
    # --- errors and fallbacks ---------------------------------------------------------------
    "unknown_command": "I don't know {command}. Send /help for the list of commands.",
    "plain_text": "I answer commands. Send /help to see them, or /talks for the talks schedule.",
    "bad_period": (
        "I can't read the period {period}. Use a number and a unit: "
        "<code>24h</code>, <code>7d</code>, <code>2w</code>, <code>3m</code> or <code>1y</code>."
    ),
    "ignored_words": "{command} takes nothing more, so I left out: {words}",
    "period_too_long": (
        "{period} is longer than I look back; the longest period is <code>{longest}</code>."
    ),
    "area_too_long": "That place name is too long; try a shorter one, e.g. <code>dnipro</code>.",
    "too_many_words": "That is too long to search for; use at most {limit} characters.",
    "button_expired": "This button no longer works. Send the command again.",
    "store_busy": "The store is busy with a large update and nothing was changed. Please try again in a minute.",
    "internal_error": "Something went wrong on my side. Please try again in a moment.",
    "reply_failed": "Sorry, my answer did not get through: Telegram could not be reached. Please ask again.",
    "sync_failed": "⚠️ <b>Curated file {name} was not imported</b> (nothing in it changed):\n{problems}",
    "sync_more": "… and {count} more",
    "slow_down": "That's a lot of commands at once. Please slow down; I'll answer again shortly.",
    "error_report": "⚠️ <b>sitrep error</b> ({kind}): {detail}",
    # --- calendar and web pages (handlers/calendar.py, handlers/web_views.py) ---------------
    "calendar_name": "sitrep: peace talks",
    "calendar_description": (
        "US–Russia–Ukraine peace talks rounds, curated by editors with their sources. A round "
        "whose day is not known yet is left out until its day is announced."
    ),
    "calendar_cancelled": "Cancelled: {title}",
    "calendar_record_page": "Full record: {url}",
    "calendar_caption": (
        "<b>Talks calendar</b>: every talks round whose day is known. Open talks.ics to add "
        "them to your calendar (on a phone: tap the file; Google Calendar on the web: "
        "Settings › Import &amp; export). The file does not change by itself: send /calendar "
        "again after a round moves."
    ),
    "calendar_caption_feed": (
        "To follow every move automatically, subscribe to the live calendar instead: {url}"
    ),
    "web_page_link": 'Web page: <a href="{url}">{shown}</a>',
    "web_home": "Home",
    "web_tagline": (
        "Curated updates on the Russia–Ukraine war and the US–Russia–Ukraine peace talks. "
        "Every record was entered by an editor, with its sources and every later correction."
    ),
    "web_calendar": "Calendar",
    "web_calendar_hint": (
        'The talks in your calendar: subscribe to <a href="{url}">talks.ics</a>; it follows '
        "every move."
    ),
    "web_none_upcoming": "None announced yet.",
    "web_latest_incidents": "Latest incidents",
    "web_all_talks": "All talks rounds ›",
    "web_all_incidents": "All incidents ›",
    "web_area": "Area",
    "web_period": "Period",
    "web_show": "Show",
    "web_filter_hint": (
        "Area: the start of a region or a place, e.g. <code>dnipro</code>. Period: "
        "<code>24h</code>, <code>7d</code>, <code>2w</code>, <code>3m</code> or <code>1y</code>."
    ),
    "web_times_in": "Times are shown in {zone}.",
    "web_not_found": "There is no such page here.",
    "web_method_not_allowed": "These pages can only be read.",
    "web_bad_request": "That request cannot be read.",
    "web_footer": (
        "sitrep: editors curate each record from published reports and name the source of "
        "every fact."
    ),
    # --- curation (curators' commands; see handlers/curation*.py) ---------------------------
    "cur_refused": (
        "Sorry, only sitrep's curators can change records. Everything is yours to read: "
        "/talks, /incidents, /statements and /event N (with its sources and history)."
    ),
    "cur_press_refused": "Only curators can publish changes; nothing was changed.",
    "cur_not_yours": (
        "Only the curator who asked for this change can publish or cancel it; nothing was changed."
    ),
    "cur_reason_hint": (
        "Add why after a dash, and the source after a bar: "
        "<code>— delegations asked for more time | Office of the President https://…</code>"
    ),
    "cur_usage_reschedule": (
        "Use <code>/reschedule N START [END] [STATUS] — reason</code>, e.g. "
        "<code>/reschedule 3 2026-02-06 2026-02-07 — delegations asked for more time</code>. "
        "Dates: <code>2026-02-06</code>, <code>2026-02</code>, <code>tomorrow</code>, a local "
        "time <code>2026-02-06 10:00</code> or <code>tomorrow 14:00</code> (read in the "
        "round's zone) or <code>2026-02-06T10:00+04:00</code>. Without a status, a round that "
        "moves later becomes postponed and one that moves earlier scheduled."
    ),
    "cur_usage_status": (
        "Use <code>/status N STATUS — reason</code>: talks are scheduled, postponed, held or "
        "cancelled; incidents reported or confirmed. E.g. "
        "<code>/status 3 held — the round took place</code>."
    ),
    "cur_usage_correct": (
        "Use <code>/correct N field=value … — reason</code>, e.g. "
        '<code>/correct 4 killed=14 place="Kryvyi Rih" — regional administration update</code>.'
        "\nFields: {fields}.\nFigures: <code>14</code> (exactly 14), <code>14+</code> "
        "(at least 14), <code>~14</code> (about 14), <code>none</code>. Dates as in /add: "
        "<code>start=tomorrow 14:00</code> is read in the record's zone. Put other values "
        "with spaces in double quotes."
    ),
    "cur_usage_revert": (
        "Use <code>/revert N SEQUENCE — reason</code>, e.g. <code>/revert 3 0</code>: the "
        "record as it stood at that revision, written as a new revision. "
        "<code>/history N</code> lists the revisions."
    ),
    "cur_usage_history": "Which record? e.g. <code>/history 3</code>.",
    "cur_quotes_unclosed": "No closing quotation",
    "cur_quotes_escape": "a backslash with nothing after it",
    "cur_bad_quotes": (
        "I can't read that ({problem}). Put values with spaces in double quotes, e.g. "
        '<code>place="Kryvyi Rih"</code>.'
    ),
    "cur_not_field_value": "I expected <code>field=value</code>, not {word}.",
    "cur_unknown_field": "{field} can't be corrected this way. Fields: {fields}.",
    "cur_field_twice": "{field} is given twice.",
    "cur_bad_casualty": (
        "{field} must be a whole number: <code>14</code> (exactly), <code>14+</code> (at "
        "least) or <code>~14</code> (about), or <code>none</code> if unknown; not {value}."
    ),
    "cur_negative": "{field} can't be negative ({value}).",
    "cur_bad_qualifier": (
        "{field} is qualified at_least, about or exact (or written <code>14+</code>, "
        "<code>~14</code>), not {value}."
    ),
    "cur_figure_too_big": "{field}: {value} is not a plausible figure.",
    "cur_no_figure": "There is no {field} figure to qualify; give one, e.g. {field}=~14.",
    "cur_reason_too_long": "The reason is {length} characters; keep it to {limit}.",
    "cur_too_long": "The {what} is {length} characters; at most {limit}.",
    "cur_bad_source": "Name the source, optionally followed by a link.",
    "cur_bad_url": "{url} is not a link I can use: it must start with http:// or https://.",
    "cur_bad_sequence": "{value} is not a revision number; <code>/history N</code> lists them.",
    "cur_no_revision": "#{number} has no revision {sequence}; /history {number} lists them.",
    "cur_invalid": "That change can't be made:\n{problems}\nNothing was changed.",
    "cur_problem": "• {problem}",
    # --- problems: what storage found wrong with a curator's input (storage/problems.py) ---
    # Plain text (no HTML): the command line shows them too. {field} is the field's own name.
    "problem_field": "{field}: {problem}",
    "problem_record": "{file}: {unit} {index} (id {id}): {problems}",
    "problem_unit_record": "record",
    "problem_unit_row": "row",
    "problem_date_year": "the year {year} is outside {low}-{high}",
    "problem_date_not_text": "must be text in ISO 8601 form",
    "problem_date_impossible": "impossible date '{value}'",
    "problem_date_no_offset": "'{value}' has no UTC offset: add Z or +HH:MM",
    "problem_date_form": "'{value}' is not a date: use YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM+HH:MM",
    "problem_zone_form": "must be an IANA time zone such as Europe/Kyiv",
    "problem_zone_unknown": "unknown time zone '{value}'",
    "problem_not_text": "must be text",
    "problem_too_long": "is {length} characters; at most {limit}",
    "problem_required": "is required",
    "problem_one_of": "must be one of {choices}",
    "problem_start_required": "is required (use precision approximate if unsure)",
    "problem_exact_needs_time": "exact needs a start with a time and offset",
    "problem_day_needs_day": "day needs a start with a day",
    "problem_end_before_start": "the end {end} is before the start {start}",
    "problem_casualties_not_incident": "only incidents have casualty figures",
    "problem_casualties_form": "must be a count with a qualifier (at_least, about or exact)",
    "problem_count_not_whole": "the count must be a whole number, not {value}",
    "problem_count_negative": "the count must not be negative ({count})",
    "problem_count_implausible": "a count of {count} is not plausible",
    "problem_qualifier_one_of": "the qualifier must be one of {choices}",
    "problem_source_required": "at least one source is required",
    "problem_shape": "must be a mapping of {keys}",
    "problem_unknown_keys": "unknown keys {keys}",
    "problem_supports_form": "must be a list of field names, e.g. [killed]",
    "problem_source_name": "is required (at most {limit} characters)",
    "problem_url_form": "must be an http(s) URL",
    "problem_text_at_most": "must be text of at most {limit} characters",
    "problem_claim_not_statement": "only statements can be claims",
    "problem_claim_scope_required": "is required to make a statement a claim",
    "problem_scope_form": "must list 1 to {limit} places, regions or countries (short texts)",
    "problem_claim_source_required": "is required for the status {status}",
    "problem_translations_form": "must map languages to translated fields, e.g. uk.title",
    "problem_translation_language": "is not a language records are translated into ({choices})",
    "problem_translation_fields": "must map fields ({choices}) to text",
    "problem_not_translatable": "cannot be translated (only {choices})",
    "problem_translates_nothing": "translates a {name} the record does not have",
    "problem_list_form": "must be a list of short texts (at most {limit} characters each)",
    "problem_list_too_long": "has more than {limit} entries",
    "problem_not_event_id": "'{value}' is not an event id",
    "problem_coordinates_pair": "latitude and longitude go together",
    "problem_not_number": "must be a number",
    "problem_out_of_range": "must be between {low} and {high}",
    "problem_not_a_field": "is not a field of an event",
    "problem_id_form": (
        "must be 1–100 letters, digits, dots, underscores or hyphens, not only digits "
        "(e.g. kyiv-2026-02)"
    ),
    "problem_positive_whole": "must be a positive whole number",
    "problem_whole_or_zero": "must be a whole number, 0 or more",
    "problem_kind_one_of": "must be one of {choices}, not {value}",
    "problem_status_one_of": "for {kind} must be one of {choices}",
    "problem_no_status": "{kind} records have no status",
    "problem_speaker_required": "is required for a statement",
    "problem_quote_required": (
        "a statement needs a quote (words the source puts in quotation marks) or a "
        "paraphrase (reported speech)"
    ),
    "problem_revision_at": (
        "is the time the store changed: an ISO 8601 instant with its offset; leave it out "
        "for history filed now, and date the change with happened"
    ),
    "problem_needs_happened": "needs `happened`",
    "problem_given_twice": "{value} is given twice",
    "problem_not_mapping": "must be a mapping",
    "problem_record_not_mapping": "is not a mapping",
    "problem_not_list": "must be a list",
    "problem_sequence_below": "{value} is below its latest revision, {latest}",
    "problem_acled_date_form": "'{value}' is not a date: ACLED gives YYYY-MM-DD or 12 March 2024",
    "problem_value_not_number": "'{value}' is not a number",
    "problem_value_out_of_range": "{value} is not between {low} and {high}",
    "problem_fatalities_required": "is required (a whole number, 0 or more)",
    "problem_value_not_whole": "'{value}' is not a whole number",
    "problem_row_width": "has {fields} fields; the header has {header}",
    "problem_acled_id_form": "may hold only letters, digits, dots, underscores and hyphens",
    "problem_acled_precision": "must be 1, 2 or 3, not '{value}'",
    "problem_acled_no_source": "names no source; every ACLED row needs one",
    "problem_not_talks": "only talks rounds can be rescheduled",
    "problem_not_changeable": "cannot be changed this way",
    "problem_id_exists": "{value} already exists",
    "problem_number_twice": "the same number is given twice",
    "problem_number_taken": "{value} is already taken by another event",
    "problem_date_missing": "no date given: use YYYY-MM, YYYY-MM-DD or YYYY-MM-DD HH:MM",
    "problem_time_gap": (
        "'{value}' does not exist there ({zone}): the clocks skip that hour. Give another time, "
        "or the offset, e.g. +03:00"
    ),
    "problem_time_clock": "'{value}' has no such time of day ({clock}): use HH:MM, e.g. 10:00",
    "problem_time_parts": (
        "'{value}' is more than a start and an end: e.g. 2026-02-06 10:00 2026-02-06 16:00"
    ),
    "problem_figure_negative": "must not be negative ({value})",
    "problem_figure_not_number": (
        "'{value}' is not a whole number: use 12, 12+ (at least) or ~12 (about)"
    ),
    "problem_figure_too_big": "{count} is not a plausible figure",
    "problem_figure_qualifier": "'{value}' is not 12, 12+ or ~12",
    "problem_duplicate_in_file": "duplicate of {unit} {index} in this file",
    "problem_number_in_file": "also used by {unit} {index}",
    "cur_nothing": "That would leave {ref} exactly as it is, so there is nothing to publish.",
    "cur_revert_reason": "reverted to revision {sequence}",
    "cur_action_reschedule": "reschedule",
    "cur_action_status": "status",
    "cur_action_correct": "correction",
    "cur_action_revert": "revert",
    "cur_action_add": "new record",
    "cur_action_claim": "claim",
    "cur_usage_claim": (
        "Use <code>/claim N STATUS [scope=PLACES] — reason | source</code>, e.g. "
        "<code>/claim 11 disputed — strikes on cities continued | Reuters https://…</code>. "
        "Statuses: unverified, confirmed, disputed, false; any but unverified needs a source. "
        'A statement becomes a claim with a scope: <code>scope="Kyiv,Kharkiv Oblast"</code>.'
    ),
    "cur_claim_value": "{status} · scope: {scope}",
    "cur_claim_why": " · why: {reason}",
    "cur_claim_source": " · source: {source}",
    "cur_claim_not_statement": "Only statements can be claims; #{number} is not one.",
    "cur_claim_needs_scope": (
        "#{number} is not a claim yet: give its scope, e.g. <code>scope=Ukraine</code> or "
        '<code>scope="Kyiv,Kharkiv Oblast"</code>.'
    ),
    "cur_bad_claim_status": "{status} is not a claim status: unverified, confirmed, disputed or false.",
    "cur_kind_talks": "talks round",
    "cur_kind_incident": "incident",
    "cur_kind_statement": "statement",
    "cur_preview_header": "✏️ <b>Preview</b> ({action}) of #{number} {title}",
    "cur_preview_add_header": "✏️ <b>Preview</b>: new {kind} <code>{id}</code>",
    "cur_preview_change": "• {field}: {old} → {new}",
    "cur_preview_field": "• {field}: {value}",
    "cur_preview_why": "<i>Why:</i> {reason}",
    "cur_preview_source": "<i>Source:</i> {source}",
    "cur_preview_readers": "<i>Readers will be told:</i>",
    "cur_preview_audience.one": "<i>This alert goes to {count} chat.</i>",
    "cur_preview_audience.other": "<i>This alert goes to {count} chats.</i>",
    "cur_preview_no_audience": "<i>No chat is subscribed to this yet, so it alerts nobody.</i>",
    "cur_preview_no_alert": (
        "<i>This alerts nobody: subscribers hear of new rounds, new dates, venues and "
        "statuses, new incidents and statements, and corrected casualty figures.</i>"
    ),
    "cur_preview_no_alert_new": (
        "<i>This alerts nobody: an incident or statement that ended more than 7 days ago is "
        "history, not news.</i>"
    ),
    "cur_preview_footer": "<i>Nothing changes until you press Publish.</i>",
    "cur_button_publish": "✅ Publish",
    "cur_button_cancel": "✖ Cancel",
    "cur_published": "✅ <b>Published</b> as revision {sequence} of #{number} {title}.",
    "cur_published_toast": "Published.",
    "cur_already_published": "Already published, as revision {sequence}.",
    "cur_already_cancelled": "This preview was cancelled; send the command again.",
    "cur_already_expired": "This preview has expired; send the command again.",
    "cur_cancelled": "✖ Cancelled. Nothing was changed.",
    "cur_cancelled_toast": "Cancelled.",
    "cur_not_published": "Not published.",
    "cur_expired": (
        "⌛ This preview is more than a day old, so it was not published. Send the command "
        "again for a fresh one."
    ),
    "cur_gone": "That record no longer exists; nothing was published.",
    "cur_stale": (
        "⚠️ #{number} changed after this preview (it is now at revision {sequence}), so "
        "nothing was published. For a fresh preview against the record as it is now, send:\n"
        "<code>{command}</code>"
    ),
    "cur_history_header": "<b>History of #{number}</b> {title}",
    "cur_add_kind": "<b>New record.</b> What are you adding? (/cancel stops at any step.)",
    "cur_add_button_talks": "Talks round",
    "cur_add_button_incident": "Incident",
    "cur_add_button_statement": "Statement",
    "cur_add_kind_chosen": "<b>New record:</b> {kind}.",
    "cur_add_kind_again": "Press a button, or type talks, incident or statement.",
    "cur_add_title": "Its title? One line, at most {limit} characters.",
    "cur_add_when": (
        "When? A day <code>2026-02-06</code> (or <code>today</code>, <code>yesterday</code>, "
        "<code>tomorrow</code>), a month <code>2026-02</code>, a local time "
        "<code>2026-02-06 10:00</code> (read in the place's zone, which comes next) or "
        "<code>2026-02-06T10:00+04:00</code>, or a start and an end: "
        "<code>2026-02-06 2026-02-07</code>."
    ),
    "cur_add_zone_given": "<i>Times are read in {zone}, the zone you gave.</i>",
    "cur_add_zone_place": "<i>Times are read in {zone}, the place's zone.</i>",
    "cur_add_zone_region": "<i>Times are read in {zone}, the region's zone.</i>",
    "cur_add_zone_country": "<i>Times are read in {zone}, the country's zone.</i>",
    "cur_add_zone_chat": (
        "<i>Times are read in {zone}, this chat's zone (the place has none I know; a fourth "
        "part of the place sets it).</i>"
    ),
    "cur_add_doubt_past": (
        "⚠️ <b>This round is already over.</b> Rounds are added when announced: check the "
        "date (the year?) and publish only if it is right."
    ),
    "cur_add_doubt_future": (
        "⚠️ <b>This has not happened yet: its date is in the future.</b> Check the date and "
        "publish only if it is right."
    ),
    "cur_add_doubt_far": (
        "⚠️ <b>This date is more than two years ahead.</b> Check the year and publish only if "
        "it is right."
    ),
    "cur_edit_zone_given": "<i>Times are read in {zone}, the zone given in timezone=.</i>",
    "cur_edit_zone_record": (
        "<i>Times are read in {zone}, the record's zone (<code>timezone=</code> in /correct "
        "reads them in another).</i>"
    ),
    "cur_edit_zone_chat": (
        "<i>Times are read in {zone}, this chat's zone: the record's zone cannot be read.</i>"
    ),
    "cur_edit_doubt_past": (
        "⚠️ <b>These dates are already past.</b> Check the date (the year?) and publish only "
        "if it is right; if the round took place, add the status held."
    ),
    "cur_edit_doubt_future": (
        "⚠️ <b>The new date is in the future: this has not happened yet.</b> Check the date "
        "and publish only if it is right."
    ),
    "cur_edit_doubt_far": (
        "⚠️ <b>The new date is more than two years ahead.</b> Check the year and publish only "
        "if it is right."
    ),
    "cur_add_duplicate": (
        "⚠️ <b>Looks like a duplicate:</b> the same kind, title and day as {events}. Publish "
        "only if it is another record."
    ),
    "cur_add_where": (
        "Where? One line: <code>Place, Region, Country</code>, e.g. "
        "<code>Dnipro, Dnipropetrovsk Oblast, Ukraine</code>; a fourth part sets the time "
        "zone (<code>Asia/Dubai</code>). <code>-</code> if it has no place."
    ),
    "cur_add_casualties": (
        "Killed / injured? e.g. <code>12+ / 6</code> (12+ is at least 12, ~12 about 12, "
        "12 exactly 12); <code>none</code> when no figures are known."
    ),
    "cur_add_bad_casualties": (
        "Give both figures with a slash between, e.g. <code>12+ / 6</code> or "
        "<code>3 / none</code>, or <code>none</code>; not {answer}."
    ),
    "cur_add_speaker": "Who said it?",
    "cur_add_quote": (
        "The words, exactly as the source prints them inside quotation marks (without the "
        "marks)? If the source only reports what was said, start with <code>~</code>: "
        "<code>~ Russia had agreed to a pause</code> is kept as reported speech, never shown "
        "in quotation marks. At most {limit} characters."
    ),
    "cur_add_channel": (
        "Where was it said (Telegram, a press conference…)? <code>-</code> if not known."
    ),
    "cur_add_source": (
        "The source? Its name, optionally followed by a link, e.g. "
        "<code>Kharkiv Regional Military Administration https://t.me/…</code>"
    ),
    "cur_add_bad": "{problem}\nTry again, or /cancel.",
    "cur_add_bad_where": "Give at most four parts, separated by commas: Place, Region, Country, Zone.",
    "cur_add_empty": "That is empty.",
    "cur_add_reason": "created in chat with /add",
    "cur_add_cancelled": "Stopped. Nothing was saved.",
    "cur_add_timeout": (
        "Your /add ended after 10 minutes without an answer; nothing was saved. Send /add "
        "to start again."
    ),
    "cur_add_text_only": "Please answer in text, or /cancel to stop.",
    "cur_add_private": "Add records in a private chat with me: there I can read your answers.",
    "cur_nothing_to_cancel": "There is nothing to cancel.",
    # --- charts (handlers/charts.py) and the pinned status board (handlers/board.py) ---
    "chart_usage": (
        "Which chart? <code>/chart incidents [AREA] [PERIOD]</code> (incidents per week, with "
        "killed and injured), e.g. <code>/chart incidents dnipro 3m</code>, or "
        "<code>/chart talks</code> (the rounds on a timeline, with every move)."
    ),
    "chart_unknown": "I have no chart called {what}. {usage}",
    "chart_talks_no_args": "<code>/chart talks</code> takes no area or period. {usage}",
    "chart_incidents_empty": "No incidents recorded{filters}, so there is nothing to chart.",
    "chart_talks_empty": "No talks rounds are recorded yet, so there is nothing to chart.",
    "chart_incidents_title": "Incidents per week{filters}",
    "chart_talks_title": "Peace talks rounds, and every move",
    "chart_axis_incidents": "Incidents",
    "chart_axis_people": "People",
    "chart_legend_killed": "Killed",
    "chart_legend_injured": "Injured",
    "chart_legend_moved": "Moved from → to",
    "chart_incidents_caption": (
        "<b>Incidents per week</b>{filters}, {first} – {last}\n"
        "Incidents: {incidents} · weeks with any: {weeks} · busiest week: {busiest} ({count})\n"
        "Killed: {killed} · injured: {injured} (sums of the recorded figures; "
        '"at least" counts as given)'
    ),
    "chart_talks_caption": "<b>Peace talks</b>: rounds: {rounds} · moves in all: {moves}",
    "chart_talks_caption_round": "#{number} {title}: {moves}",
    "chart_talks_caption_more": "… and {count} more",
    "chart_move": "{old} → {new}",
    "board_header": "📌 <b>Peace talks and incidents: status board</b>",
    "board_next_rounds": "<b>Next talks rounds</b>",
    "board_none_upcoming": "None announced yet.",
    "board_latest_incidents": "<b>Latest incidents</b>",
    "board_none_incidents": "None recorded yet.",
    "board_footer": (
        "Kept up to date when talks or incidents change. /talks, /incidents and /event N for more."
    ),
    "board_groups_only": (
        "The status board is for groups and channels: add me to a group and send /board "
        "there. Here, /talks and /subscribe talks do the same job."
    ),
    "board_admins_only": (
        "Only this group's administrators can post or stop its status board. Everyone can "
        "read it, and /talks shows the same."
    ),
    "board_usage": (
        "Use <code>/board</code> to post and pin the status board, <code>/board off</code> to "
        "stop it."
    ),
    "board_not_pinned": (
        "I posted the board but may not pin it: make me an administrator allowed to pin "
        "messages, then send /board again. I will keep it up to date meanwhile."
    ),
    "board_stopped": "The status board is stopped and unpinned; I won't edit it any more.",
    "board_none": "This chat has no status board. /board posts one.",
    "settings_board_on": "\nStatus board: pinned here and kept up to date (<code>/board off</code> stops it).",
    "settings_board_off": "\nStatus board: none (<code>/board</code> posts and pins one, administrators only).",
    "cmd_chart": "Charts: /chart incidents [AREA] [PERIOD], /chart talks",
    "cmd_board": "Groups: a pinned board kept up to date; /board off",
}
