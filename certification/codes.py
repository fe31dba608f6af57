"""Certificate verification codes: unguessable, easy to type, with a check character.

A code is 15 random symbols (75 bits) plus one check symbol, shown as ``XXXX-XXXX-XXXX-XXXX``.
The alphabet is Douglas Crockford's base 32: digits and capitals without I, L, O and U, so that
0/O and 1/I/L cannot be confused: when a person types O we read 0, and I or L we read 1.
The check symbol is computed with the Luhn mod N algorithm (N = 32), which catches every single
mistyped symbol and most swaps of two neighbours, without any database lookup.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
N = len(ALPHABET)  # 32
DATA_LENGTH = 15
CODE_LENGTH = DATA_LENGTH + 1
GROUP = 4
RANDOM_BITS = DATA_LENGTH * 5  # 75 bits: far beyond guessing

_VALUE = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Symbols people type by mistake for the ones in the alphabet.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-_.·/]+")


def check_symbol(data: str) -> str:
    """The Luhn mod 32 check symbol of ``data`` (symbols of ALPHABET, no separators)."""
    factor = 2
    total = 0
    # From the rightmost symbol leftwards, double every other value and add its base-32 digits.
    for symbol in reversed(data):
        addend = factor * _VALUE[symbol]
        factor = 1 if factor == 2 else 2
        total += addend // N + addend % N
    return ALPHABET[(N - total % N) % N]


def format_code(compact: str) -> str:
    """``ABCD1234...`` → ``ABCD-1234-...`` in groups of four."""
    return "-".join(compact[i : i + GROUP] for i in range(0, len(compact), GROUP))


def generate_code() -> str:
    """A new random code, grouped as XXXX-XXXX-XXXX-XXXX (uniqueness is the database's job)."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(DATA_LENGTH))
    return format_code(data + check_symbol(data))


def normalise_code(text: str) -> str:
    """What a person typed or scanned → the canonical grouped form when it has the right length.

    Case, spaces, dashes and dots are ignored; O is read as 0, I and L as 1. A text of the wrong
    length comes back compact (no separators) so that callers can still say what is wrong.
    """
    compact = _SEPARATORS.sub("", text or "").upper().translate(_LOOKALIKES)
    return format_code(compact) if len(compact) == CODE_LENGTH else compact


def is_well_formed(code: str) -> bool:
    """True when ``code`` (typed in any accepted way) has the right length, alphabet and check
    symbol. False for a single mistyped symbol, with no database lookup."""
    compact = normalise_code(code).replace("-", "")
    if len(compact) != CODE_LENGTH or any(symbol not in _VALUE for symbol in compact):
        return False
    return check_symbol(compact[:-1]) == compact[-1]
