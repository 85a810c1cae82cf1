"""R8 checker, written apart from eligo's own masking code (src/identity/mask_runs.cpp) so that the two
check each other: finds valid resident ID numbers (GB 11643 check character; 15-digit numbers with a real
YYMMDD date), Luhn-valid 16-19 digit numbers and mobile numbers written in clear text.

A run is a maximal sequence of digits (after NFKC, so full-width digits count) with an optional final X; a
run inside a hex digest (32+ hex characters with a letter) is part of the digest. Standard library only."""
import datetime
import re
import unicodedata

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


def id18_ok(s):
    s = s.upper()
    if len(s) != 18 or not s[:17].isdigit():
        return False
    return _CHECK[sum(int(c) * w for c, w in zip(s[:17], _WEIGHTS)) % 11] == s[17]


def id15_ok(s):
    if len(s) != 15 or not s.isdigit():
        return False
    try:
        datetime.date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))
        return True
    except ValueError:
        return False


def luhn_ok(s):
    if not s.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def mobile_ok(s):
    if s.startswith("0086") and len(s) == 15:
        s = s[4:]
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    return re.fullmatch(r"1[3-9][0-9]{9}", s) is not None


def kind_of(run):
    if id18_ok(run) or id15_ok(run):
        return "id"
    if 16 <= len(run) <= 19 and luhn_ok(run):
        return "card"
    if mobile_ok(run):
        return "mobile"
    return None


_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_RUN = re.compile(r"[0-9]+(?:[Xx](?![A-Za-z0-9]))?")
_HEXCHARS = frozenset("0123456789abcdefABCDEF")


def findings(text):
    """[(kind, run)] for every PII-shaped run written in clear in `text`."""
    text = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = unicodedata.normalize("NFKC", text)
    out = []
    for m in _RUN.finditer(text):
        k = kind_of(m.group(0))
        if not k:
            continue
        # Inside a hex digest (32+ hex characters around the run, a letter among them): part of the hash.
        lo, hi = m.start(), m.end()
        while lo > 0 and text[lo - 1] in _HEXCHARS:
            lo -= 1
        while hi < len(text) and text[hi] in _HEXCHARS:
            hi += 1
        if hi - lo >= 32 and (lo < m.start() or hi > m.end()):
            continue
        out.append((k, m.group(0)))
    return out
