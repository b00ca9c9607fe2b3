"""Tests of ui (mirrors the package layout)."""
