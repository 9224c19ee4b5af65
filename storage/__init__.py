"""The curated event store: records, migrations, importers and the outbox. No Telegram here."""
