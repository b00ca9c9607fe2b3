"""调解工作台 (Mediation Desk): the application package (services, UI, exports, charts, CLI)."""

from app.core.version import __version__

__all__ = ["__version__"]
