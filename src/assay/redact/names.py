"""Which names mark their value as a secret: JSON and YAML keys, CSV columns, ``key=value`` names.

Two kinds: a *secret name* (``password``, ``client_secret``, ``SecretAccessKey``) has a value that is
a secret as a whole; a *header name* (``Authorization``, ``Cookie``, ``Set-Cookie``) has a value
whose credentials are secret but whose shape is not (the scheme, the cookie names and attributes).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

HeaderKind = Literal["authorization", "cookie", "set-cookie"]

# Words that, as the last word of a name, make its value a secret: ``db_password``, ``id_token``.
# Plurals are deliberately absent: ``tokens`` or ``secrets`` usually name an inventory (a list of
# tokens with their expiry dates), whose items are judged by their own keys.
_SECRET_LAST = {
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "secretkey",
    "authorization",
    "credential",
    "credentials",
    "accesstoken",
    "refreshtoken",
    "authtoken",
    "sessiontoken",
    "identitytoken",
    "clientsecret",
    "accountkey",
}
# Last two words that make a secret: ``private_key``, ``x-api-key``, Azure's ``AccountKey``.
_SECRET_PAIRS = {
    ("private", "key"),
    ("api", "key"),
    ("secret", "key"),
    ("signing", "key"),
    ("account", "key"),
}
_SECRET_TRIPLES = {("shared", "access", "key")}  # Azure's SharedAccessKey
# With "secret" anywhere in the name, these last words name the secret itself: ``SecretAccessKey``,
# ``SecretString`` (AWS Secrets Manager), ``secret_value``.
_SECRET_WITH = {"key", "value", "string", "binary", "data"}
# Tokens that guard nothing: pagination cursors, idempotency and optimistic-locking tokens in AWS
# API output (EC2 ``ClientToken``, WAF ``LockToken`` and ``ChangeToken``).
_NOT_SECRET_TOKENS = {
    "next",
    "continuation",
    "page",
    "pagination",
    "client",
    "idempotency",
    "lock",
    "change",
    "sync",
}
_HEADERS: dict[tuple[str, ...], HeaderKind] = {
    ("authorization",): "authorization",
    ("proxy", "authorization"): "authorization",
    ("cookie",): "cookie",
    ("cookies",): "cookie",
    ("set", "cookie"): "set-cookie",
    ("set", "cookies"): "set-cookie",
}
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def words(name: str) -> list[str]:
    """The lower-case words of a name: ``clientSecret`` -> ``client``, ``secret``."""
    return [w.lower() for w in _WORDS.findall(name)]


@lru_cache(maxsize=4096)  # the same keys come back in every item of a list
def secret_key(name: str) -> bool:
    """Whether a name (a JSON or YAML key, a CSV column, a ``key=value`` name) names a secret.

    ``password``, ``DB_PASSWORD``, ``clientSecret``, ``SecretAccessKey``, ``api-key`` and
    ``private_key`` do; ``password_enabled``, ``PasswordLastUsed``, ``AccessKeyId``, ``NextToken``
    and ``ClientToken`` do not.
    """
    found = words(name)
    if not found:
        return False
    if len(found) > 1 and found[-1] == "token" and found[-2] in _NOT_SECRET_TOKENS:
        return False
    if found[-1] in _SECRET_LAST or tuple(found[-2:]) in _SECRET_PAIRS:
        return True
    if tuple(found[-3:]) in _SECRET_TRIPLES:
        return True
    return "secret" in found and found[-1] in _SECRET_WITH


@lru_cache(maxsize=4096)
def header_kind(name: str) -> HeaderKind | None:
    """``authorization``, ``cookie`` or ``set-cookie`` for those HTTP header names (any case or
    spelling: ``Set-Cookie``, ``set_cookie``, ``Proxy-Authorization``), else None."""
    return _HEADERS.get(tuple(words(name)))
