"""Tests of db (mirrors the package layout)."""
