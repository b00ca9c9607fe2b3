"""The one place the application version is written (build.spec and the CLI read it from here)."""

__version__ = "0.1.0"
APP_NAME = "调解工作台"
APP_ID = "MediationDesk"
ORG_ID = "MediationDesk"
