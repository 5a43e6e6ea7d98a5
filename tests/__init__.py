"""Test suite package (lets ``tests.standin`` be imported)."""
