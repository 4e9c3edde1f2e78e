"""Reading plainly written phone numbers quickly, for imports of many thousands of rows.

python-phonenumbers' ``parse`` and ``is_valid_number`` take some 50 µs a number: seconds for an old
file of 100,000 clients. Most numbers there are digits with spaces, brackets and dashes, written with
``+``/``00`` and the country code or with the region's national prefix; for those the country code and
national number can be read off the digits and checked with the library's own metadata, compiled once.
Anything else is left to :func:`custdesk.core.validation.normalise_phone`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

_PLAIN_PHONE = re.compile(r"^(\+|00)?[\d ()\-.]+$")
_PUNCTUATION = str.maketrans("", "", " ()-.")
_MAX_CC_DIGITS = 3


@lru_cache(maxsize=512)
def _region_rule(region: str) -> tuple[int, str] | None:
    """(country code, national prefix) of a region whose prefix is a plain digit string, else None."""
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None or meta.country_code is None or meta.national_prefix_transform_rule:
        return None
    prefix = meta.national_prefix_for_parsing or ""
    if not prefix.isdigit() or (meta.national_prefix and prefix != meta.national_prefix):
        return None
    return int(meta.country_code), prefix


@lru_cache(maxsize=512)
def _prefix_pattern(country_code: int) -> re.Pattern[str] | None:
    """What the main region of a country code strips as a national prefix (None: nothing)."""
    meta = PhoneMetadata.metadata_for_region(phonenumbers.region_code_for_country_code(country_code))
    pattern = meta.national_prefix_for_parsing if meta is not None else None
    return re.compile(pattern) if pattern else None


def fast_e164(raw: str, region: str) -> str | None:
    """The E.164 form of a plainly written valid number, or None: then only the full parse can tell.

    Most numbers of an old file are digits with spaces, brackets and dashes, with ``+``/``00`` and the
    country code or the region's national prefix. For those the country code and national number are
    read off the digits, and only the validity check of python-phonenumbers runs (the full parse costs
    three times that). Anything the full parse might read another way (an extension, a leading zero of
    the national number, a prefix that is a pattern, a national prefix after the country code) gets
    None, so a number given an answer here is the number :func:`normalise_phone` gives (a test holds it
    to that over many numbers and regions).
    """
    match = _PLAIN_PHONE.match(raw)
    if match is None:
        return None
    digits = raw[match.end(1) if match.group(1) else 0 :].translate(_PUNCTUATION)
    if not digits.isdigit() or not 4 <= len(digits) <= 17:
        return None
    if match.group(1):  # + or 00: the country code comes first (country codes are prefix-free)
        if digits[0] == "0":
            return None
        for size in range(1, _MAX_CC_DIGITS + 1):
            code = int(digits[:size])
            if code in COUNTRY_CODE_TO_REGION_CODE:
                break
        else:
            return None
        national = digits[size:]
        pattern = _prefix_pattern(code)
        if pattern is not None and pattern.match(national):
            return None
    else:
        rule = _region_rule(region)
        if rule is None:
            return None
        code, prefix = rule
        national = digits[len(prefix) :] if prefix and digits.startswith(prefix) else digits
    if not national or national[0] == "0":
        return None
    return f"+{code}{national}" if _is_valid(code, national) else None


Desc = tuple[frozenset[int], "re.Pattern[str]"]
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail")


def _desc(desc: object) -> Desc | None:
    pattern = getattr(desc, "national_number_pattern", None)
    if not pattern:
        return None
    return frozenset(getattr(desc, "possible_length", None) or ()), re.compile(pattern)


@lru_cache(maxsize=512)
def _validity_rules(code: int) -> tuple[tuple[re.Pattern[str] | None, Desc, tuple[Desc, ...]], ...] | None:
    """Per region of a country code: its leading digits, its general pattern and its number types'.

    What ``phonenumbers.is_valid_number`` looks at, compiled once: a number is valid when the region it
    belongs to (the first whose leading digits it starts with, or whose types it matches) has a number
    type it matches, length and pattern. None for country codes of no region (``001``).
    """
    rules = []
    for region in COUNTRY_CODE_TO_REGION_CODE.get(code, ()):
        meta = PhoneMetadata.metadata_for_region(region)
        if meta is None:
            return None
        general = _desc(meta.general_desc)
        if general is None:
            continue
        names = [*_TYPES, "fixed_line"]
        if not meta.same_mobile_and_fixed_line_pattern:
            names.append("mobile")
        types = tuple(d for d in (_desc(getattr(meta, n, None)) for n in names) if d is not None)
        leading = re.compile(meta.leading_digits) if meta.leading_digits else None
        rules.append((leading, general, types))
    return tuple(rules)


def _matches(national: str, desc: Desc) -> bool:
    lengths, pattern = desc
    return (not lengths or len(national) in lengths) and pattern.fullmatch(national) is not None


def _is_valid(code: int, national: str) -> bool:
    """``phonenumbers.is_valid_number`` of +``code`` ``national`` (no leading zero), with compiled rules."""
    rules = _validity_rules(code)
    if rules is None:
        number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
        return bool(phonenumbers.is_valid_number(number))
    for leading, general, types in rules:
        typed = _matches(national, general) and any(_matches(national, t) for t in types)
        if leading is not None and leading.match(national):
            return typed
        if leading is None and typed:
            return True
    return False


__all__ = ["fast_e164"]
