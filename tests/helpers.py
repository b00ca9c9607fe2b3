"""Small helpers shared by the tests: a fixed clock and valid 身份证号 of a given birth date."""

from __future__ import annotations

from datetime import date

from app.services.validation import id_check_char


class Clock:
    """A clock for the services that always says ``today``."""

    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


def make_id(birth: date, male: bool = True, seq: int = 12, *, region: str = "120101") -> str:
    """A valid 18-digit ID number (check character included) for someone born on ``birth``."""
    body = f"{region}{birth:%Y%m%d}{seq:02d}{1 if male else 2}"
    return body + id_check_char(body)
