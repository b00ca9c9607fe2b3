"""Tests of exports (mirrors the package layout)."""
