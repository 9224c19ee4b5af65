"""Benchmarks and realistic data generators for sitrep (not shipped with the package)."""
