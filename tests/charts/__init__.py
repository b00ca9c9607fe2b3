"""Tests of charts (mirrors the package layout)."""
