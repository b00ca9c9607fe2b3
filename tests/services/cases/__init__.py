"""Tests of services.cases (mirrors the package layout)."""
