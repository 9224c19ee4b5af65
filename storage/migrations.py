"""Schema steps, one function each, applied in order by sqlite-utils' Migrations.

Never edit a step that has shipped: add a new one. Tests build their databases with these.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("sitrep")


@migrations()
def m001_events(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('talks', 'incident', 'statement')),
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            status TEXT,
            start TEXT NOT NULL,
            "end" TEXT,
            time_precision TEXT NOT NULL,
            timezone TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            region TEXT NOT NULL DEFAULT '',
            country TEXT NOT NULL DEFAULT '',
            latitude REAL,
            longitude REAL,
            parties TEXT NOT NULL DEFAULT '[]',
            people TEXT NOT NULL DEFAULT '[]',
            killed INTEGER,
            killed_qualifier TEXT,
            injured INTEGER,
            injured_qualifier TEXT,
            speaker TEXT NOT NULL DEFAULT '',
            quote TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            related TEXT NOT NULL DEFAULT '[]',
            sources TEXT NOT NULL DEFAULT '[]',
            note TEXT NOT NULL DEFAULT '',
            sequence INTEGER NOT NULL DEFAULT 0,
            -- derived, for indexed queries: UTC instants and case-folded place keys
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL,
            region_key TEXT NOT NULL DEFAULT '',
            place_key TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        CREATE INDEX events_kind_start ON events (kind, start_utc);
        CREATE INDEX events_kind_end ON events (kind, end_utc);
        CREATE INDEX events_kind_region_start ON events (kind, region_key, start_utc);
        CREATE INDEX events_kind_place_start ON events (kind, place_key, start_utc);

        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            sequence INTEGER NOT NULL,
            at TEXT NOT NULL,
            author TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            changes TEXT NOT NULL DEFAULT '{}',
            source TEXT,
            UNIQUE (event_id, sequence)
        );
        """
    )
    db.table("events").enable_fts(
        ["title", "summary", "quote", "place", "region", "people", "speaker"],
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
    )


@migrations()
def m002_subscriptions_and_outbox(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE chats (
            id INTEGER PRIMARY KEY,              -- Telegram chat id
            type TEXT NOT NULL DEFAULT 'private',
            title TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,   -- 0 after a 403, until the chat writes again
            inactive_reason TEXT NOT NULL DEFAULT '',
            zone TEXT,                            -- reader's time zone; NULL = SITREP_TZ
            reminders TEXT NOT NULL DEFAULT '1440,60',  -- minutes before a round; '' = off
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE subscriptions (
            chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            topic TEXT NOT NULL CHECK (topic IN ('talks', 'incidents', 'statements')),
            region TEXT NOT NULL DEFAULT '',      -- folded area key; '' = everywhere
            region_label TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, topic, region)
        );
        CREATE INDEX subscriptions_topic ON subscriptions (topic, region);

        -- The outbox: written in the same transaction as the change it announces.
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            topic TEXT NOT NULL,
            region_key TEXT NOT NULL DEFAULT '',
            place_key TEXT NOT NULL DEFAULT '',
            sequence INTEGER NOT NULL,
            payload TEXT NOT NULL DEFAULT '{}',
            dedupe_key TEXT UNIQUE,
            created_at TEXT NOT NULL,
            fanned_out_at TEXT
        );
        CREATE INDEX alerts_unfanned ON alerts (id) WHERE fanned_out_at IS NULL;
        CREATE INDEX alerts_event ON alerts (event_id);

        -- One row per (alert, chat): recorded as each send completes, so a restart resumes.
        CREATE TABLE deliveries (
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            chat_id INTEGER NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before TEXT,
            sent_at TEXT,
            message_id INTEGER,
            error TEXT,
            PRIMARY KEY (alert_id, chat_id)
        ) WITHOUT ROWID;
        CREATE INDEX deliveries_pending ON deliveries (alert_id, chat_id) WHERE state = 'pending';
        CREATE INDEX deliveries_chat ON deliveries (chat_id);
        """
    )


@migrations()
def m003_pending_changes(db: Database) -> None:
    db.executescript(
        """
        -- A curator's change shown as a preview in chat, written only when they press Publish.
        CREATE TABLE pending_changes (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL
                CHECK (action IN ('reschedule', 'status', 'correct', 'revert', 'add')),
            event_id TEXT REFERENCES events(id) ON DELETE CASCADE,  -- NULL for an add
            -- JSON: {field: {"old": ..., "new": ...}} for a change; the new record for an add
            changes TEXT NOT NULL DEFAULT '{}',
            reason TEXT NOT NULL DEFAULT '',
            source TEXT,                          -- JSON {name, url} or NULL
            author TEXT NOT NULL,                 -- tg:<user id>[ @username]
            command TEXT NOT NULL DEFAULT '',     -- what the curator typed, to offer again
            chat_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'published', 'cancelled', 'expired')),
            base_sequence INTEGER,                -- the event's sequence at preview; NULL for add
            decided_at TEXT,
            result_sequence INTEGER              -- the revision written on Publish
        );
        CREATE INDEX pending_changes_open ON pending_changes (created_at) WHERE state = 'pending';
        CREATE INDEX pending_changes_event ON pending_changes (event_id);
        """
    )


@migrations()
def m004_query_indexes(db: Database) -> None:
    # Lists read newest first by (start_utc, number): with number (and end_utc, for a period
    # filter) in the index, a page is read in index order and the scan stops at the page's
    # end, instead of sorting every match (a million incidents, or a whole oblast). Each
    # replaces an index of m001 that it extends, so writes maintain no more indexes than before.
    db.executescript(
        """
        CREATE INDEX events_kind_start_number ON events (kind, start_utc, number, end_utc);
        CREATE INDEX events_kind_region_start_number
            ON events (kind, region_key, start_utc, number, end_utc);
        CREATE INDEX events_kind_place_start_number
            ON events (kind, place_key, start_utc, number, end_utc);
        DROP INDEX events_kind_start;
        DROP INDEX events_kind_region_start;
        DROP INDEX events_kind_place_start;
        """
    )


@migrations()
def m005_place_keys(db: Database) -> None:
    # Region and place keys come from the gazetteer (storage/gazetteer.py). This row records
    # which gazetteer and key rules built the stored keys; connect() rebuilds them when the
    # shipped ones differ (storage.db.refresh_place_keys), so a new spelling reaches old rows.
    db.executescript(
        """
        CREATE TABLE place_keys (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            fingerprint TEXT NOT NULL
        );
        """
    )


# The columns full-text search reads; m006 added the paraphrase.
FTS_COLUMNS = ["title", "summary", "quote", "paraphrase", "place", "region", "people", "speaker"]


@migrations()
def m006_paraphrase_claims_and_dated_history(db: Database) -> None:
    # `quote` keeps only words a source prints inside quotation marks; reported speech is
    # `paraphrase`. A statement may be a claim (JSON: status, scope, reason, source), listed
    # newest first by /claims from a partial index. A revision's `at` is when the store
    # changed; `happened` (with its precision) dates history filed afterwards.
    db.executescript(
        """
        ALTER TABLE events ADD COLUMN paraphrase TEXT NOT NULL DEFAULT '';
        ALTER TABLE events ADD COLUMN claim TEXT;
        CREATE INDEX events_claims ON events (start_utc, number) WHERE claim IS NOT NULL;
        ALTER TABLE revisions ADD COLUMN happened TEXT;
        ALTER TABLE revisions ADD COLUMN happened_precision TEXT;

        -- Curators set a claim's status from chat: one more action a preview can hold. SQLite
        -- cannot alter a CHECK constraint, so the (small) table is rebuilt.
        CREATE TABLE pending_changes_new (
            id INTEGER PRIMARY KEY,
            action TEXT NOT NULL
                CHECK (action IN ('reschedule', 'status', 'correct', 'revert', 'add', 'claim')),
            event_id TEXT REFERENCES events(id) ON DELETE CASCADE,
            changes TEXT NOT NULL DEFAULT '{}',
            reason TEXT NOT NULL DEFAULT '',
            source TEXT,
            author TEXT NOT NULL,
            command TEXT NOT NULL DEFAULT '',
            chat_id INTEGER NOT NULL,
            user_id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'published', 'cancelled', 'expired')),
            base_sequence INTEGER,
            decided_at TEXT,
            result_sequence INTEGER
        );
        INSERT INTO pending_changes_new SELECT * FROM pending_changes;
        DROP TABLE pending_changes;
        ALTER TABLE pending_changes_new RENAME TO pending_changes;
        CREATE INDEX pending_changes_open ON pending_changes (created_at) WHERE state = 'pending';
        CREATE INDEX pending_changes_event ON pending_changes (event_id);
        """
    )
    db.table("events").enable_fts(
        FTS_COLUMNS,
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
        replace=True,
    )


# m007: translations are searched too (see storage.rows.translations_text).
FTS_COLUMNS_WITH_TRANSLATIONS = [*FTS_COLUMNS, "translations_text"]


@migrations()
def m007_translations(db: Database) -> None:
    # A record's translations (JSON: {"uk": {"title": ..., "summary": ...}}, NULL for none),
    # and every translated text on its own lines in a derived column that full-text search
    # indexes beside the originals, so `/search пологов` finds a record translated into
    # Ukrainian. The FTS table is rebuilt with it (and repopulated).
    db.executescript(
        """
        ALTER TABLE events ADD COLUMN translations TEXT;
        ALTER TABLE events ADD COLUMN translations_text TEXT NOT NULL DEFAULT '';
        """
    )
    db.table("events").enable_fts(
        FTS_COLUMNS_WITH_TRANSLATIONS,
        create_triggers=True,
        tokenize="unicode61 remove_diacritics 2",
        replace=True,
    )


@migrations()
def m008_quiet_hours_digest_silent(db: Database) -> None:
    # How a chat wants its alerts: quiet hours and a digest time as local wall-clock text
    # ('23:00-07:00', '08:00', read in the chat's zone), and silent sends. A delivery held
    # for quiet hours or a digest stays 'pending' with `held` set, so nothing is lost across
    # a restart; it is told in one summary (a catch-up or a digest) and marked sent with it.
    db.executescript(
        """
        ALTER TABLE chats ADD COLUMN quiet TEXT;           -- 'HH:MM-HH:MM', NULL = none
        ALTER TABLE chats ADD COLUMN digest TEXT;          -- 'HH:MM', NULL = instant alerts
        ALTER TABLE chats ADD COLUMN digest_last_at TEXT;  -- UTC: the last digest made
        ALTER TABLE chats ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX chats_quiet ON chats (id) WHERE quiet IS NOT NULL;
        CREATE INDEX chats_digest ON chats (id) WHERE digest IS NOT NULL;

        ALTER TABLE deliveries ADD COLUMN held TEXT;          -- 'quiet' | 'digest' | NULL
        ALTER TABLE deliveries ADD COLUMN held_until TEXT;    -- quiet: the window's end, UTC
        ALTER TABLE deliveries ADD COLUMN summary_id INTEGER; -- the summary that tells it
        CREATE INDEX deliveries_held_due ON deliveries (held_until)
            WHERE held = 'quiet' AND state = 'pending' AND summary_id IS NULL;
        CREATE INDEX deliveries_held_chat ON deliveries (chat_id, held)
            WHERE held IS NOT NULL AND state = 'pending';
        CREATE INDEX deliveries_summary ON deliveries (summary_id) WHERE summary_id IS NOT NULL;

        -- One message (in parts within Telegram's limit) telling a chat what was held.
        CREATE TABLE summaries (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('quiet', 'digest')),
            since TEXT,                    -- UTC: the previous digest, or the first held alert
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'failed', 'skipped')),
            parts TEXT,                    -- JSON list of the rendered parts, fixed at first send
            parts_sent INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before TEXT,
            sent_at TEXT,
            message_id INTEGER,
            error TEXT
        );
        CREATE INDEX summaries_pending ON summaries (id) WHERE state = 'pending';
        CREATE INDEX summaries_chat ON summaries (chat_id);
        """
    )


@migrations()
def m009_chat_language(db: Database) -> None:
    # The language a chat reads: set by /language, or on a private chat's first update from
    # its user's Telegram client; NULL until then (a group reads SITREP_LANGUAGE).
    db.executescript("ALTER TABLE chats ADD COLUMN language TEXT;")


@migrations()
def m010_status_boards(db: Database) -> None:
    # A pinned status board per group or channel (/board, `sitrep board`). `wanted` is raised
    # by triggers in the same transaction as any change to a talks round (or a new incident),
    # from every write path and process; the delivery engine edits the message until `drawn`
    # catches up. A NULL message_id means "post it (again) and pin it".
    db.executescript(
        """
        CREATE TABLE boards (
            chat_id INTEGER PRIMARY KEY
                REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
            message_id INTEGER,
            wanted INTEGER NOT NULL DEFAULT 1,
            drawn INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before TEXT,
            error TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX boards_stale ON boards (chat_id) WHERE drawn < wanted;

        CREATE TRIGGER boards_talks_added AFTER INSERT ON events
        WHEN NEW.kind IN ('talks', 'incident') BEGIN
            UPDATE boards SET wanted = wanted + 1;
        END;
        CREATE TRIGGER boards_talks_changed AFTER UPDATE ON events
        WHEN NEW.kind = 'talks' OR OLD.kind = 'talks' BEGIN
            UPDATE boards SET wanted = wanted + 1;
        END;
        CREATE TRIGGER boards_talks_removed AFTER DELETE ON events
        WHEN OLD.kind IN ('talks', 'incident') BEGIN
            UPDATE boards SET wanted = wanted + 1;
        END;
        """
    )


@migrations()
def m011_told(db: Database) -> None:
    # Bounded growth (storage.retention): finished deliveries past the retention period are
    # folded into `told`, the chats told of each event (one blob of varint-coded chat ids),
    # which is what corrections still need of them. `chat_moves` remembers a group that
    # became a supergroup, so a blob written before the move names the chat of today.
    db.executescript(
        """
        CREATE TABLE told (
            event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            chats BLOB NOT NULL,
            chat_count INTEGER NOT NULL,
            last_alert_id INTEGER NOT NULL
        );
        CREATE TABLE chat_moves (
            old_id INTEGER PRIMARY KEY,
            new_id INTEGER NOT NULL
        );
        """
    )


# The week an incident counts in (the Monday of its local start day; a month counts from its
# first day), and what m012's triggers do to the incident rollup for a row added (NEW) or
# removed (OLD). Shared with m014 and storage.staging: changing them changes no shipped step
# (the text each produces is the text m012 shipped), and a new step must not change them.
INCIDENT_WEEK = (
    "coalesce(date(CASE length({r}.start) WHEN 7 THEN {r}.start || '-01' "
    "ELSE substr({r}.start, 1, 10) END, '-6 days', 'weekday 1'), '')"
)
ROLLUP_ADD = (
    "INSERT INTO incident_weeks (monday, region_key, place_key, incidents, killed, injured) "
    f"SELECT {INCIDENT_WEEK.format(r='NEW')}, NEW.region_key, NEW.place_key, 1, "
    "coalesce(NEW.killed, 0), coalesce(NEW.injured, 0) WHERE NEW.kind = 'incident' "
    "ON CONFLICT DO UPDATE SET incidents = incidents + 1, "
    "killed = killed + excluded.killed, injured = injured + excluded.injured;"
)
_OLD_KEY = (
    f"monday = {INCIDENT_WEEK.format(r='OLD')} AND region_key = OLD.region_key "
    "AND place_key = OLD.place_key"
)
ROLLUP_REMOVE = (
    "UPDATE incident_weeks SET incidents = incidents - 1, "
    "killed = killed - coalesce(OLD.killed, 0), injured = injured - coalesce(OLD.injured, 0) "
    f"WHERE OLD.kind = 'incident' AND {_OLD_KEY}; "
    f"DELETE FROM incident_weeks WHERE OLD.kind = 'incident' AND {_OLD_KEY} "
    "AND incidents <= 0;"
)


@migrations()
def m012_incident_weeks(db: Database) -> None:
    # /chart incidents at a million events: incidents, killed and injured per week (the
    # Monday of the record's local start day; a month counts from its first day) and per
    # area key, kept true by triggers in the same transaction as every write to `events`,
    # whatever path or process made it: an insert adds, a delete subtracts, an update of a
    # counted column moves the record from its old week and area to its new ones.
    # storage.charts reads this instead of scanning every incident. A period's first weeks
    # are counted from the incidents that ended after its start and began before the rollup's
    # part: the (kind, end_utc) index gains start_utc to filter them without reading rows.
    db.executescript(
        f"""
        CREATE TABLE incident_weeks (
            monday TEXT NOT NULL,
            region_key TEXT NOT NULL,
            place_key TEXT NOT NULL,
            incidents INTEGER NOT NULL,
            killed INTEGER NOT NULL,
            injured INTEGER NOT NULL,
            PRIMARY KEY (monday, region_key, place_key)
        ) WITHOUT ROWID;
        CREATE INDEX incident_weeks_region ON incident_weeks (region_key, monday);
        CREATE INDEX incident_weeks_place ON incident_weeks (place_key, monday);
        CREATE INDEX events_kind_end_start ON events (kind, end_utc, start_utc);
        DROP INDEX events_kind_end;

        INSERT INTO incident_weeks (monday, region_key, place_key, incidents, killed, injured)
        SELECT {INCIDENT_WEEK.format(r="events")}, region_key, place_key, count(*),
               coalesce(sum(killed), 0), coalesce(sum(injured), 0)
        FROM events WHERE kind = 'incident' GROUP BY 1, 2, 3;

        CREATE TRIGGER incident_weeks_added AFTER INSERT ON events
        WHEN NEW.kind = 'incident' BEGIN
            {ROLLUP_ADD}
        END;
        CREATE TRIGGER incident_weeks_removed AFTER DELETE ON events
        WHEN OLD.kind = 'incident' BEGIN
            {ROLLUP_REMOVE}
        END;
        CREATE TRIGGER incident_weeks_changed
        AFTER UPDATE OF kind, start, region_key, place_key, killed, injured ON events
        WHEN OLD.kind = 'incident' OR NEW.kind = 'incident' BEGIN
            {ROLLUP_REMOVE}
            {ROLLUP_ADD}
        END;
        """
    )


@migrations()
def m013_board_posting_and_incident_edits(db: Database) -> None:
    # Posting a board is not idempotent: Telegram has no "find my message", so a process
    # killed after sendMessage and before the new message id is recorded leaves a board
    # nobody knows. `posting_since` is set before each post and cleared by its record (or by
    # Telegram refusing it): found set later, that post may have reached the chat. `strays`
    # counts such posts since the board was last recorded; one is accepted, never two
    # (storage.board). Edits of incidents change "the latest incidents" too: they now make
    # boards stale as talks changes do (bot/boards.py debounces the redraws).
    db.executescript(
        """
        ALTER TABLE boards ADD COLUMN posting_since TEXT;
        ALTER TABLE boards ADD COLUMN strays INTEGER NOT NULL DEFAULT 0;
        CREATE TRIGGER boards_incidents_changed AFTER UPDATE ON events
        WHEN NEW.kind = 'incident' OR OLD.kind = 'incident' BEGIN
            UPDATE boards SET wanted = wanted + 1;
        END;
        """
    )


# A row of `events` that readers see: not in an import batch that is still being written or
# was given up (storage.staging). `{r}` is the row.
SHOWN = (
    "NOT EXISTS (SELECT 1 FROM import_batches AS b "
    "WHERE b.id = {r}.batch AND b.state != 'published')"
)


@migrations()
def m014_staged_imports(db: Database) -> None:
    # A large import is written in short transactions, a few thousand rows each, so no
    # import holds the write lock for more than about a second; its rows carry their batch and
    # stay unseen (storage.queries, storage.staging) until one short transaction publishes the
    # batch. The incident rollup (m012) and the boards (m010) count a staged row only then:
    # their insert triggers skip it, publishing adds the batch's sums in one statement, and
    # deleting a batch that was given up subtracts nothing.
    db.executescript(
        f"""
        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            author TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('staging', 'published', 'abandoned')),
            rows INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            heartbeat_at TEXT NOT NULL,
            finished_at TEXT
        );
        CREATE INDEX import_batches_unpublished ON import_batches (id)
            WHERE state != 'published';
        ALTER TABLE events ADD COLUMN batch INTEGER;
        CREATE INDEX events_batch ON events (batch) WHERE batch IS NOT NULL;

        DROP TRIGGER incident_weeks_added;
        DROP TRIGGER incident_weeks_removed;
        DROP TRIGGER incident_weeks_changed;
        DROP TRIGGER boards_talks_added;
        CREATE TRIGGER incident_weeks_added AFTER INSERT ON events
        WHEN NEW.kind = 'incident' AND NEW.batch IS NULL BEGIN
            {ROLLUP_ADD}
        END;
        CREATE TRIGGER incident_weeks_removed AFTER DELETE ON events
        WHEN OLD.kind = 'incident' AND {SHOWN.format(r="OLD")} BEGIN
            {ROLLUP_REMOVE}
        END;
        CREATE TRIGGER incident_weeks_changed
        AFTER UPDATE OF kind, start, region_key, place_key, killed, injured ON events
        WHEN (OLD.kind = 'incident' OR NEW.kind = 'incident') AND {SHOWN.format(r="OLD")} BEGIN
            {ROLLUP_REMOVE}
            {ROLLUP_ADD}
        END;
        CREATE TRIGGER boards_talks_added AFTER INSERT ON events
        WHEN NEW.kind IN ('talks', 'incident') AND NEW.batch IS NULL BEGIN
            UPDATE boards SET wanted = wanted + 1;
        END;
        """
    )
