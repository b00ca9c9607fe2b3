"""Dialogs of the modules."""
