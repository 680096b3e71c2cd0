"""Names as typed, as Latin text, and as phonetic search keys.

Participants' names reach us in Arabic, Cyrillic, Latin and other scripts, and the
same name in many transliterations (Mohammed/Muhammad, Schewtschenko/Shevchenko).
Names are stored exactly as typed (`normalise`); `to_latin` gives a readable form for
display and sorting; `name_keys` and `query_keys` give short lowercase ASCII keys so
that transliteration variants of one name meet, while clearly different names
(Hassan/Hussein, Mohammed/Mahmoud, Omar/Amir) do not.

A word's key is its consonant skeleton (after merging sound classes that the
transliteration conventions confuse, see `_SPELLINGS`) plus a coarse vowel pattern:
the first vowel keeps its class (a / e-i / o-u), every later vowel run becomes "e".
The first vowel separates Hassan (hasen) from Hussein (hosen); the later vowels only
mark syllables, since they vary most between transliterations (Mohammed/Muhammad).

Arabic script (Arabic, Persian/Dari, Pashto) is unvocalised: "محمد" is "mhmd" letter
by letter. Names in the table of `arabic_names` are first respelled in Latin (محمد ->
Muhammad), so they meet every Latin transliteration; stored keys also keep the
letter-by-letter key, so a half-typed Arabic query still finds Arabic spellings.
`suggest_latin` offers the same respelling as the Latin spelling for German documents,
which the user confirms or corrects (decision 0026).

Ge'ez (Tigrinya, Amharic) gets the epenthetic vowel Latin spellings write (ብርሃነ ->
Berhane); Sorani Kurdish in Arabic script is read with its written vowels (ڕێبوار ->
Rebwar). Compound names (Abd al-…, …ullah, …ad-Din, Abu …, ibn/bin, Gholam-…, …reza,
Gebre-…, Haile-…) give the same parts glued, hyphenated or apart. docs/names.md lists
the rules per language with their tested variants; after a change of the key rules the
stored keys must be rebuilt (`manage.py rebuild_name_keys`).

Known limits (deliberate; more in docs/names.md):
- Arabic-script names outside the table only meet other Arabic-script spellings;
  vocalised Arabic ("مُحَمَّد") and Ge'ez meet Latin forms.
- German "ch" (Chaled), English "kh" (Khaled), "h" (Haled) and the /tʃ/ spellings
  (tsch, tch, cz, č) share one class: German transliterates Cyrillic х and Arabic خ
  as "ch", English writes ч as "ch", so only a merged class lets Kharchenko meet
  Chartschenko. Names differing only in h/ch are rare.
- o and u share a class (Mohammed/Muhammad), so Möller meets Müller; Ali meets Alia
  (a later vowel run is just "e"); Yusuf meets Josef (the same name).
- Keys are prefix-stable except while a digraph is half typed: "S" (of "Sh") and
  "Schewt" (of "tsch") do not yet find Shevchenko/Schewtschenko; "Kravc" does. Likewise
  "C" does not yet find Cemal (c before e/i is /dʒ/), nor "I" Iurii (initial iu = yu).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import cache, lru_cache
from itertools import pairwise
from typing import Final

from anyascii import anyascii

from bruecke.participants.arabic_names import LATIN_SPELLINGS, respell

# Ranking duplicate candidates: >= 0.85 means "probably the same person, spelled
# differently": transliterations (Mohammed Al-Hassan / Muhammad Alhassan: 1.0), swapped
# order (1.0), an extra middle name (Mohammed Ali Hassan / Mohammed Hassan: 0.9), a typo
# in one word (~0.9). One different word in a two-word name stays below (Omar / Amir
# Khaled 0.72, Mohammed Hassan / Mohammed Hussein 0.78, Ahmad / Mahmoud Mohammed 0.80);
# show those only when other data (birth date) agrees.
DUPLICATE_THRESHOLD: Final = 0.85

# Bounds for pasted garbage: a name field never has more words, and a key stays well
# inside the 64-character database column.
MAX_WORDS: Final = 16
MAX_WORD_LENGTH: Final = 64
MAX_KEY_LENGTH: Final = 40

# Diacritics that carry a sound anyascii would drop (š -> s); respelled before it runs.
_DIACRITICS_SOUNDS: Final = {
    "š": "sh",  # Czech/Slovak/Croatian transliteration of ш: Ševčenko
    "ś": "sh",  # Polish
    "ş": "sh",  # Turkish: Ayşe/Aisha
    "ș": "sh",  # Romanian
    "ž": "zh",  # ж
    "ż": "zh",  # Polish
    "ź": "zh",  # Polish
    "č": "ch",  # ч: Ševčenko
    "ć": "ch",  # Polish/Croatian
    "ç": "ch",  # Turkish
}
_DIACRITICS: Final = str.maketrans(_DIACRITICS_SOUNDS)

_HAS_DIACRITIC: Final = re.compile(f"[{''.join(_DIACRITICS_SOUNDS)}]")
# Apostrophes inside a name join its parts (Ma'moun, O'Brien); anyascii also renders
# Arabic hamza and ayn as ' and `.
_APOSTROPHES: Final = re.compile(r"['`´’‘ʼʻ]")
_NON_LETTERS: Final = re.compile(r"[^a-z]+")

# Arabic article particles written as separate words ("Abd al-Rahman", "Abd-ar-Rahman",
# "Nur ad-Din"); they carry no identity, so they are left out of keys.
_PARTICLES: Final = frozenset(
    {"al", "el", "ul", "il", "ad", "ar", "as", "an", "at", "ash", "az", "ed", "ud", "ur", "us"}
)
# "Abd" + article glued into one word: Abdul-, Abdel-, Abdal-, Abdoul-, Abdur(r)-, Abdi.
# A lone vowel before a consonant is the assimilated article (Abdurrahman, Abdurahman).
_ABD: Final = re.compile(r"^abd(?:[aeiou]{1,2}l|[aeiou]{1,2}(?![aeiou]))?")
# "-ad-Din" glued: Nureddin, Nuruddin, Nuraldin, Salahuddin, Salaheddine -> head + "din".
# The head needs a vowel, so Khaldun (kh + aldun) is not split.
_DIN: Final = re.compile(r"(?<=[a-z]{2})[aeiou]+[ld]?(?=d(?:i|e|ee|y)ne?$)")
_DIN_HEAD: Final = re.compile(r"[aeiou]")
# "-ullah" glued: Habibullah, Rahmatollah, Fadlallah -> head + "lah", as "Habib Allah".
_ULLAH: Final = re.compile(r"(?<=[a-z]{3})(?:[aeou]llah|[uo]lla)$")
# "Abu" glued: Abubakr, Abouzaid -> "abu" + rest, as "Abu Bakr".
_ABU: Final = re.compile(r"^ab(?:u|ou|o)(?=[^aeiouy][a-z]{2})")
# First parts of compound given names, written glued, hyphenated or apart: Persian
# Gholamreza / Gholam-Reza, Tigrinya and Amharic Gebremedhin / Gebre Medhin, Hailemariam.
_HEAD: Final = re.compile(r"^(?:gh?o?[ou]lam|gh?[ae]bre|ha[iy]le|tekle|habte)(?=[a-z]{3})")
# Second parts of Persian compound names: Mohammadreza, Alireza, Aliakbar, Gholamhossein.
_TAIL: Final = re.compile(r"(?<=[a-z]{3})(?:r[ei]z{1,2}a|akbar|asghar|h[ou]s{1,2}[ae][iy]n)$")
# "Son of" written ibn, bin, ben or bn (Ibn Khaldun / Ben Khaldoun): one spelling
# when another word follows (a last "Ben" may be the given name, or a half-typed word).
_LINEAGE: Final = frozenset({"ibn", "bin", "ben", "bn", "ebn"})
# "al-"/"el-" glued to a name: Alhassan, Elsayed (only stored keys; see name_keys).
_ARTICLE: Final = re.compile(r"^[ae]l(?=[^aeiouy][a-z]{3})")
# ... and before a vowel only when a name of the table follows: Alahmad, Alomar (not Alina).
_ARTICLE_VOWEL: Final = re.compile(r"^[ae]l(?=[aeiou][a-z]{3})")
# German (and Persian) write ei where English writes ai/ay: Leila/Layla, Heidari/Haidari,
# Meier/Mayer. Token keys read a first ei/ey as ai; stored search keys have both.
_FIRST_AI: Final = re.compile(r"^([^aeiouy]*)(?:ei|ey|ai|ay)(?![aeiou])")
# "Allah" in "Abd Allah" is al + lah, as in the glued Abdullah/Abdallah.
_ALLAH: Final = frozenset({"allah", "ullah", "ellah"})

# The ordered rule table of the key: spellings -> sound classes, one pass, leftmost and
# (within this order) longest match first. Placeholders in capitals are not re-read.
_SPELLINGS: Final[dict[str, str]] = {
    "schtsch": "X",  # щ in German (Schtscherbak), simplified Scherbak
    "shch": "X",  # щ in English (Shcherbak)
    "dsch": "J",  # /dʒ/ German (Dschamal)
    "dzh": "J",  # /dʒ/ English for дж (Dzhamal)
    "dj": "J",  # /dʒ/ French (Djamal)
    "tsch": "H",  # /tʃ/ German (Schewtschenko); merged with h, see module docstring
    "tch": "H",  # /tʃ/ French (Chevtchenko)
    "cz": "H",  # /tʃ/ Polish (Szewczenko)
    "sch": "X",  # /ʃ/ German (Schewtschenko)
    "sh": "X",  # /ʃ/ English (Shevchenko), also š and ş respelled
    "sz": "X",  # /ʃ/ Polish (Szewczenko)
    "zh": "X",  # /ʒ/ ж, ž: German writes it sch (Schenja/Zhenya)
    "ch": "H",  # German ch = kh (Chaled, Charkiw); English ch = /tʃ/ (Shevchenko)
    "kh": "H",  # English kh for خ and х (Khaled, Kharkiv)
    "gh": "g",  # غ: Ghassan/Gassan
    "th": "t",  # ث: Uthman/Utman
    "dh": "d",  # ذ: Dhiab/Diab
    "ph": "f",  # Greek ph
    "ts": "s",  # ц: Tsvetkova/Zwetkowa
    "tz": "s",  # German tz = ts
    "ck": "k",  # German ck
    "h": "H",  # plain h joins the ch/kh class
    "z": "s",  # German z = ts; Arabic z is often written s in German (Sainab/Zainab)
    "ce": "Je",  # Turkish and Kurmanji c is /dʒ/: Cemal/Dschemal (never Kemal)
    "ci": "Ji",
    "c": "k",  # remaining c is hard: Cristian/Kristian
    "q": "k",  # ق: Qasim/Kasim
    "x": "ks",  # Alexander/Aleksandr
    "w": "v",  # German w = v: Schewtschenko/Shevchenko, Alijew/Aliyev
}
_SPELLING_RE: Final = re.compile("|".join(_SPELLINGS))
_FINAL_H: Final = re.compile(r"(?<=[aeiou])h$")  # silent ta marbuta: Fatimah/Fatima/Fatemeh
_FINAL_FF: Final = re.compile(r"(?<=[oe])ff$")  # old Russian spelling: Ivanoff/Ivanov
# ICAO passport transliteration writes initial Ю, Я, Є as iu, ia, ie: Iurii/Yuriy.
_INITIAL_I: Final = re.compile(r"^i(?=[aeou])")
# Ukrainian г is h in passports, g in Russian and German forms: Olha/Olga, Serhii/Sergej,
# Yevhen/Jewgeni. Only after l, r, n, v, w (never a digraph like kh, sh, th).
_UKRAINIAN_H: Final = re.compile(r"(?<=[lrnvw])h")
_INITIAL_Y: Final = re.compile(r"^[yj]")  # initial y/j is a consonant: Yusuf/Jusuf
_GLIDE_Y: Final = re.compile(r"[yj]")  # elsewhere a glide inside a vowel: Hüseyin/Hussein
_DOUBLED: Final = re.compile(r"([^aeiou])\1+")  # Mohammed/Mohamed, Hussein/Husein
# A query word ending in the start of a digraph (Kravc-, Schewts-, Dsc-) drops it.
_INCOMPLETE: Final = re.compile(r"(?:[td]?sc|ts|c)$")
_VOWEL_RUNS: Final = re.compile(r"([aeiou]+)")
_ETHIOPIC: Final = re.compile(r"[\u1200-\u135a]+")
# First vowel: three classes (a / e,i / o,u); o and u vary freely (Mohammed/Muhammad).
_FIRST_VOWEL: Final = {"a": "a", "e": "i", "i": "i", "o": "o", "u": "o"}


def normalise(text: str) -> str:
    """The name as typed: NFC, trimmed, single spaces; script and case untouched."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _keep_for_display(char: str) -> bool:
    # Emoji and other symbols would become ":grinning:" and the like.
    return unicodedata.category(char) not in {"So", "Sk", "Cs", "Co", "Cn"}


def to_latin(text: str) -> str:
    """Readable Latin transliteration for display and sorting (Шевченко -> Shevchenko)."""
    text = "".join(c for c in unicodedata.normalize("NFC", text) if _keep_for_display(c))
    return " ".join(anyascii(text).split())


def suggest_latin(text: str) -> str:
    """A suggested Latin spelling for a name in another script (فاطمة الزهراء -> Fatima
    Al-Zahra, Олена -> Olena), for the user to confirm or correct; never stored unseen."""
    words = to_latin(_ETHIOPIC.sub(_ethiopic_word, respell(normalise(text)))).split()
    return " ".join(w[:1].upper() + w[1:] for w in words)


def is_latin(text: str) -> bool:
    """True if every letter of the text is a Latin letter (diacritics allowed)."""
    return all(
        "LATIN" in unicodedata.name(char, "")
        for char in unicodedata.normalize("NFC", text)
        if unicodedata.category(char)[0] == "L"
    )


def _is_sixth_order(char: str) -> bool:
    # Ge'ez letters come in rows of eight vowel orders; the sixth has no vowel or ə.
    return (ord(char) - 0x1200) % 8 == 5


def _ethiopic_word(match: re.Match[str]) -> str:
    """A Ge'ez word with the epenthetic vowel that Latin spellings write: ብርሃነ is "brhane"
    letter by letter but Berhane/Birhane in Latin, ዮሃንስ is Yohannes."""
    # The Tigrinya kh row (ኸ) is written k in Latin: ተኽለ -> Tekle.
    word = "".join(chr(ord(c) - 0x10) if "\u12b8" <= c <= "\u12be" else c for c in match.group())
    if len(word) < 2:
        return word
    head, middle, last = word[0], word[1:-1], word[-1]
    if _is_sixth_order(head):
        head += "e"  # ግርማይ -> Germay/Girmay, ክብሮም -> Kebrom/Kibrom
    if len(word) > 2 and _is_sixth_order(last) and _is_sixth_order(word[-2]):
        last = "e" + last  # a final cluster: ዮሃንስ -> Yohanes, ገብረመድህን -> Gebremedhin
    return head + middle + last


def _latin_words(text: str, *, diacritic_sounds: bool = True) -> list[str]:
    """Lowercase ASCII words of a name: letters only, hyphens and symbols split words.

    `diacritic_sounds=False` drops diacritics the way a keyboard without them does
    (Şahin -> Sahin) instead of spelling their sound (Şahin -> Shahin)."""
    text = unicodedata.normalize("NFC", text).lower()
    if diacritic_sounds:
        text = text.translate(_DIACRITICS)
    text = _ETHIOPIC.sub(_ethiopic_word, text)
    letters = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LM":  # letters, and marks (Arabic vowel signs become vowels)
            letters.append(char)
        elif category == "Cf" or _APOSTROPHES.match(char):
            continue  # zero-width joiners (Persian) and apostrophes join, not split
        else:
            letters.append(" ")  # hyphens, digits, emoji, punctuation
    latin = _APOSTROPHES.sub("", anyascii("".join(letters)).lower())
    return [w[:MAX_WORD_LENGTH] for w in _NON_LETTERS.sub(" ", latin).split()[:MAX_WORDS]]


@lru_cache(maxsize=8192)  # names repeat a lot (Mohammed); keeps a name well under 50 µs
def _key(word: str) -> str:
    """Phonetic key of one lowercase ASCII word."""
    word = _FINAL_FF.sub("v", _FINAL_H.sub("", word))
    word = _UKRAINIAN_H.sub("g", _INITIAL_I.sub("y", word))
    word = _SPELLING_RE.sub(lambda m: _SPELLINGS[m.group()], word)
    word = _GLIDE_Y.sub("i", _INITIAL_Y.sub("J", word))
    word = _DOUBLED.sub(r"\1", word.lower())
    parts = _VOWEL_RUNS.split(word)  # consonants at even, vowel runs at odd indexes
    for i in range(1, len(parts), 2):
        parts[i] = _FIRST_VOWEL[parts[i][0]] if i == 1 else "e"
    return "".join(parts)[:MAX_KEY_LENGTH]


def _components(word: str, *, strip_article: bool) -> list[str]:
    """A word without its glued Arabic article: Abdulrahman -> [abd, rahman]."""
    if word in _ALLAH:
        return ["lah"]
    if match := _ABD.match(word):
        tail = word[match.end() :]
        return ["abd", tail] if tail else ["abd"]
    if match := _ABU.match(word):
        return [word[: match.end()], word[match.end() :]]
    if match := _HEAD.match(word):
        return [word[: match.end()], word[match.end() :]]
    if len(word) >= 6 and (match := _DIN.search(word)) and _DIN_HEAD.search(word[: match.start()]):
        return [word[: match.start()], "din"]
    if match := _ULLAH.search(word):
        return [word[: match.start()], "lah"]
    if match := _TAIL.search(word):
        return [word[: match.start()], word[match.start() :]]
    if strip_article and (match := _ARTICLE.match(word)):
        return [word[match.end() :]]
    if strip_article and _ARTICLE_VOWEL.match(word) and _key(word[2:]) in _table_keys():
        return [word[2:]]
    return [word]


def _without_particles(words: list[str]) -> list[str]:
    # A particle is only dropped before another word: "Al" alone may be a typed prefix.
    return [w for i, w in enumerate(words) if w not in _PARTICLES or i == len(words) - 1]


def name_keys(text: str) -> set[str]:
    """Search keys of one name field (given names or family name, maybe several words).

    Generous on purpose, since a query matches when each of its keys is a prefix of one
    stored key: every word as typed, its parts without a glued article, and every two
    adjacent parts joined, so "Abd al-Rahman", "Abdul Rahman" and "Abdulrahman" all
    have "abdrehmen" and "rahmen".
    """
    respelled = respell(text)
    words = _latin_words(respelled)
    keys = _word_keys(words)
    if not _LINEAGE.isdisjoint(words):
        keys |= _word_keys(_lineage(words))
    if any(not is_latin(word) for word in text.split()):
        keys |= _word_keys(_latin_words(text))  # letter by letter, for half-typed queries
    if _HAS_DIACRITIC.search(unicodedata.normalize("NFC", text).lower()):
        # As typed on a keyboard without them: a search for "Sahin" finds "Şahin".
        keys |= _word_keys(_latin_words(respelled, diacritic_sounds=False))
    return keys


def _lineage(words: list[str]) -> list[str]:
    return ["bin" if w in _LINEAGE and i + 1 < len(words) else w for i, w in enumerate(words)]


def _word_keys(words: list[str]) -> set[str]:
    keys = set()
    parts: list[str] = []
    for i, word in enumerate(words):
        if word in _PARTICLES:
            if i + 1 < len(words):  # "Al-Hassan" also as typed glued: Alhassan
                keys.add(_key(word + words[i + 1]))
                keys.add(_key("al" + words[i + 1]))  # El-Hassan is found by Alhassan
            continue
        keys.add(_key(word))
        if match := _FIRST_AI.match(word):
            other = "ai" if word[match.end(1)] == "e" else "ei"
            keys.add(_key(match.group(1) + other + word[match.end() :]))
        parts += _components(word, strip_article=True)
    keys.update(_key(part) for part in parts)
    keys.update(_key(a + b) for a, b in pairwise(parts))
    # A final d is spoken t in Turkish, German and Russian and written either way
    # (Mehmed/Mehmet, Ahmed/Ahmet): stored keys have both, queries stay as typed so that
    # "Ahmet" still finds "Ahmetov".
    keys.update([_devoiced(key) for key in keys if key.endswith("d")])
    keys.update([key[:-1] + "d" for key in keys if key.endswith("t")])
    keys.discard("")
    return keys


def _devoiced(key: str) -> str:
    return key[:-1] + "t" if key.endswith("d") else key


def query_keys(query: str) -> list[str]:
    """Keys of a search query: one per word, in order, without duplicates.

    No article is stripped from a glued query word (Albert stays albert, not bert);
    the stored keys already contain both forms.
    """
    keys: list[str] = []
    for word in _lineage(_without_particles(_latin_words(respell(query)))):
        # While typing, "Kravc" is the start of "Kravchenko", not a hard c.
        word = _INCOMPLETE.sub("", word) or word
        key = _key("".join(_components(word, strip_article=False)))
        if key and key not in keys:
            keys.append(key)
    return keys


def _tokens(text: str) -> list[tuple[str, str]]:
    """(spelling, key) of each part of a full name, articles left out."""
    words = _lineage(_without_particles(_latin_words(respell(text))))
    parts = [p for w in words for p in _components(w, strip_article=True)]
    return [(p, _devoiced(_key(_FIRST_AI.sub(r"\1ai", p)))) for p in parts if _key(p)]


@cache
def _table_keys() -> frozenset[str]:
    """Keys of the Latin spellings in the name table (for Alahmad -> Al-Ahmad)."""
    return frozenset(_key(w) for spelling in LATIN_SPELLINGS for w in _latin_words(spelling))


def token_keys(text: str) -> list[str]:
    """Keys of the parts of a name, articles left out, in order (duplicate detection)."""
    return [key for _spelling, key in _tokens(text)]


def latin_words(text: str) -> list[str]:
    """Lowercase ASCII words of a name after respelling (duplicate detection)."""
    return _lineage(_without_particles(_latin_words(respell(text))))


def _token_score(a: tuple[str, str], b: tuple[str, str]) -> float:
    if a[1] == b[1]:
        return 1.0  # the same name in another transliteration
    # A typo or a different name; the keys cannot tell (Mohammd/Mohammed vs Ahmad/Mahmoud
    # are both one key letter apart), the spelling can. Discounted so that one differing
    # word in a two-word name only passes the threshold when nearly equal.
    return 0.9 * SequenceMatcher(None, a[0], b[0], autojunk=False).ratio()


def similarity(a: str, b: str) -> float:
    """0..1 similarity of two full names, for ranking duplicate candidates.

    Words are paired greedily, best first and in any order (given and family names are
    often swapped between documents); the score averages "how much of the shorter
    name is found" with "how much of both names is paired", so an extra middle name
    costs less than a differing one. See DUPLICATE_THRESHOLD.
    """
    tokens_a, tokens_b = _tokens(a), _tokens(b)
    if not tokens_a or not tokens_b:
        return 0.0  # nothing to compare is no evidence of a duplicate
    scored = sorted(
        ((_token_score(x, y), i, j) for i, x in enumerate(tokens_a) for j, y in enumerate(tokens_b)),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = 0.0
    for score, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched += score
    shorter = min(len(tokens_a), len(tokens_b))
    return (matched / shorter + 2 * matched / (len(tokens_a) + len(tokens_b))) / 2
