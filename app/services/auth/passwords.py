"""Password hashes with the standard library's scrypt: ``scrypt$n$r$p$salt$hash`` (salt and hash base64).

:func:`hash_password` draws a random 16-byte salt; :func:`verify_password` recomputes with the parameters
stored in the hash and compares in constant time; :func:`password_problem` is the rule a new password
must pass (Chinese message, or None).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P, KEY_LEN = 2**14, 8, 1, 32
MIN_LENGTH = 8


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, n: int = N, r: int = R, p: int = P) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_LEN, maxmem=64 * 1024 * 1024)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when ``password`` matches ``stored``; False for a wrong password or an unreadable hash."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(key)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), dklen=len(want), maxmem=64 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def password_problem(password: str, login: str | None = None) -> str | None:
    """What is wrong with ``password`` as a new password, or None."""
    if len(password) < MIN_LENGTH:
        return f"密码至少需要{MIN_LENGTH}个字符。"
    if login and password.strip().lower() == login.strip().lower():
        return "密码不能与用户名相同。"
    if password.isdigit() and len(set(password)) <= 2:
        return "密码过于简单。"
    return None
