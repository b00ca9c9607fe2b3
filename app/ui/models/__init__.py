"""Qt item models over the services (style P7)."""
