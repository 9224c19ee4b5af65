"""The first curated content, shipped with the project and loaded into an empty store."""

from __future__ import annotations

from importlib import resources

from storage.events import EventStore
from storage.exchange import apply_import, parse_records, plan_import

SEED_NAME = "seed.yaml"


def seed_text() -> str:
    return resources.files("storage").joinpath("data", SEED_NAME).read_text(encoding="utf-8")


def load_seed_if_empty(store: EventStore) -> int:
    """Import the seed file when the store has no events; the number of events imported."""
    if store.count() > 0:
        return 0
    records, plan = plan_import(store, parse_records(seed_text(), SEED_NAME), SEED_NAME)
    # A new store's history is not news: nobody is alerted to the seed.
    with store.muted():
        apply_import(store, records, plan, author=f"file:{SEED_NAME}", reason="seed data")
    return len(plan.created)
