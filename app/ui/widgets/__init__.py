"""Reusable widgets of the module pages."""
