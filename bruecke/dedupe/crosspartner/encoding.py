"""A registration's identifiers as a keyed Bloom filter, plus keyed blocking values.

Cryptographic long-term key style (Schnell et al.): the features of a record (phonetic
name keys and their bigrams, Latin bigrams of the name parts, birth year, month, day,
sex and country of birth) are set into
one filter of `BITS` bits, each feature at several positions drawn from an HMAC-SHA256
of the feature under the network's key. Without the key nobody can compute which
positions a name sets, so a dictionary of names cannot be encoded and compared.

Hardening against frequency attacks: every feature except the year itself is salted with
the birth year (attribute-specific salting). The same common name sets different
positions in every year, so the frequency of a bit pattern no longer follows the
frequency of a name across the whole population; an attacker aligning the most common
patterns with the most common names must do so per year, in small groups. The price:
two registrations whose birth years differ do not match (docs/decisions/0063).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Final

from django.conf import settings

from bruecke.dedupe.records import Record

BITS: Final = 1024  # a power of two: 16-bit HMAC chunks map onto positions without bias
# Hash functions per feature: the phonetic name keys carry the most identity; bigrams
# of the keys absorb spelling differences the keys keep (Fatima/Fatma), bigrams of the
# Latin spelling add a little; a date part, the sex or the country alone says little.
HASHES: Final = {
    "key": 10,
    "key_bigram": 5,
    "bigram": 2,
    "year": 8,
    "month": 8,
    "day": 8,
    "sex": 4,
    "country": 4,
}
VERSION: Final = "v1"
NO_YEAR: Final = "?"


def network_key(network_id: int, secret: str | None = None) -> bytes:
    """The key of one network, derived from the installation's linkage secret: two
    networks' encodings of one person have nothing in common."""
    secret = settings.BRUECKE_LINKAGE_SECRET if secret is None else secret
    label = f"bruecke-linkage-{VERSION}:network:{network_id}".encode()
    return hmac.new(secret.encode(), label, hashlib.sha256).digest()


def _positions(key: bytes, feature: str, count: int) -> list[int]:
    digest = hmac.new(key, feature.encode(), hashlib.sha256).digest()
    return [int.from_bytes(digest[2 * i : 2 * i + 2], "big") % BITS for i in range(count)]


def _bigrams(word: str) -> set[str]:
    padded = f"_{word}_"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


def features(record: Record) -> list[tuple[str, int]]:
    """(feature, number of hash functions): what the filter is made of."""
    salt = str(record.birth_year) if record.birth_year is not None else NO_YEAR
    keys = sorted(set(record.full_key.split()))
    found: list[tuple[str, int]] = [(f"k|{salt}|{key}", HASHES["key"]) for key in keys]
    key_grams = set().union(*(_bigrams(k) for k in keys)) if keys else set()
    found += [(f"g|{salt}|{gram}", HASHES["key_bigram"]) for gram in sorted(key_grams)]
    words = f"{record.given_latin or ''} {record.family_latin or ''}".split()
    grams = set().union(*(_bigrams(w) for w in words)) if words else set()
    found += [(f"q|{salt}|{gram}", HASHES["bigram"]) for gram in sorted(grams)]
    if record.birth_year is not None:
        found.append((f"y|{record.birth_year}", HASHES["year"]))
    if record.birth_month is not None:
        found.append((f"m|{salt}|{record.birth_month}", HASHES["month"]))
        if record.birth_day is not None:
            found.append((f"d|{salt}|{record.birth_day}", HASHES["day"]))
    if record.sex is not None:
        found.append((f"s|{salt}|{record.sex}", HASHES["sex"]))
    if record.country_of_birth is not None:
        found.append((f"c|{salt}|{record.country_of_birth}", HASHES["country"]))
    return found


def bloom_filter(record: Record, key: bytes) -> bytes:
    value = 0
    for feature, count in features(record):
        for position in _positions(key, feature, count):
            value |= 1 << position
    return value.to_bytes(BITS // 8, "big")


def _block(key: bytes, text: str) -> str:
    return hmac.new(key, f"b|{text}".encode(), hashlib.sha256).hexdigest()[:32]


def block_keys(record: Record, key: bytes) -> list[str]:
    """Keyed blocking values: one name part with the birth year (or with "no year"), and
    the full date of birth with the sex (typos in every name part). Only registrations
    sharing one are compared."""
    salt = str(record.birth_year) if record.birth_year is not None else NO_YEAR
    values = {f"n|{salt}|{token}" for token in record.full_key.split()}
    if record.birth_year is not None and record.birth_day is not None:
        values.add(f"d|{record.birth_year}-{record.birth_month}-{record.birth_day}|{record.sex or ''}")
    return sorted(_block(key, value) for value in values)


@dataclass(frozen=True)
class Encoding:
    bits: bytes
    blocks: list[str]


def encode(record: Record, key: bytes) -> Encoding:
    return Encoding(bloom_filter(record, key), block_keys(record, key))


def dice(a: bytes, b: bytes) -> float:
    """Dice coefficient of two filters: 2 |A ∩ B| / (|A| + |B|)."""
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    total = x.bit_count() + y.bit_count()
    return 2 * (x & y).bit_count() / total if total else 0.0
