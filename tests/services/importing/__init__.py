"""Tests of services.importing (mirrors the package layout)."""
