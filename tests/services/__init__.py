"""Tests of services (mirrors the package layout)."""
