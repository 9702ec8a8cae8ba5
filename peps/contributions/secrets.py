"""The contributor's link token and one-time code: made here, stored only as SHA-256 hashes.

A token is 32 random bytes (``secrets.token_urlsafe``), so an unsalted hash is safe to store
and lets the link be found by its hash. A six-digit code has only a million values: it is
safe because it is compared in constant time, valid for ``CODE_VALID_FOR`` and five wrong
guesses lock the link (``services.code_check``), and it is salted with the link's token hash,
so a leaked table gives no code back without a million guesses per link.
"""

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_hash(code: str, *, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def code_matches(code: str, *, salt: str, stored: str) -> bool:
    return bool(stored) and hmac.compare_digest(code_hash(code, salt=salt), stored)
