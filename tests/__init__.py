"""Test suite package (lets ``tests.support.standin`` be imported)."""
