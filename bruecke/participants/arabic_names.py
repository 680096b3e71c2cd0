"""Latin spellings of common names written in Arabic script (Arabic, Persian/Dari, Pashto).

Unvocalised Arabic script writes no short vowels: محمد is "mhmd" letter by letter, which
meets no Latin spelling of Mohammed. For the names counsellors meet most, this table
gives one usual Latin spelling; the search keys (`names.py`) then put it in the same key
class as every other transliteration (Muhammad = Mohammed = Mohamad). Names not in the
table keep their letter-by-letter transliteration, so they still meet other Arabic-script
spellings (see decision 0026).

The table is keyed by the *folded* form (`fold`): no vowel signs or tatweel, one alef,
ta marbuta as ha, alef maqsura and Persian yeh as yeh, Persian kaf as kaf, hamza carriers
as their letter and bare hamza dropped. So Arabic فاطمة and Persian فاطمه share one entry.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

_FOLD: Final = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ۀ": "ه",
        "ھ": "ه",
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",  # Pashto
        "ئ": "ي",
        "ؤ": "و",
        "ک": "ك",
        "ء": None,
        "ـ": None,  # tatweel
    }
)

# Folded spelling -> one usual Latin spelling (German documents often use it as well).
_NAMES: Final[dict[str, str]] = {
    # given names, men
    "محمد": "Muhammad",
    "احمد": "Ahmad",
    "محمود": "Mahmoud",
    "مصطفي": "Mustafa",
    "علي": "Ali",
    "حسن": "Hassan",
    "حسين": "Hussein",
    "عمر": "Omar",
    "عثمان": "Othman",
    "خالد": "Khaled",
    "ابراهيم": "Ibrahim",
    "يوسف": "Yusuf",
    "يونس": "Younis",
    "موسي": "Musa",
    "عيسي": "Issa",
    "اسماعيل": "Ismail",
    "سليمان": "Suleiman",
    "يعقوب": "Yaqub",
    "ادم": "Adam",
    "صالح": "Salih",
    "سالم": "Salem",
    "سعيد": "Said",
    "فيصل": "Faisal",
    "طارق": "Tariq",
    "ماجد": "Majid",
    "جمال": "Jamal",
    "كمال": "Kamal",
    "عادل": "Adel",
    "كريم": "Karim",
    "رحيم": "Rahim",
    "رحمن": "Rahman",
    "عبد": "Abd",
    "الله": "Allah",
    "عبدالله": "Abdullah",
    "امين": "Amin",
    "ايمن": "Ayman",
    "انس": "Anas",
    "بلال": "Bilal",
    "حمزه": "Hamza",
    "زيد": "Zaid",
    "زياد": "Ziad",
    "رامي": "Rami",
    "سامي": "Sami",
    "وليد": "Walid",
    "ياسر": "Yasser",
    "ناصر": "Nasser",
    "منصور": "Mansour",
    "جعفر": "Jafar",
    "عباس": "Abbas",
    "قاسم": "Qasim",
    "هاشم": "Hashem",
    "حيدر": "Haidar",
    "مهدي": "Mahdi",
    "رضا": "Reza",
    "محسن": "Mohsen",
    "حامد": "Hamed",
    "جواد": "Javad",
    "امير": "Amir",
    "فريد": "Farid",
    "نجيب": "Najib",
    "داود": "Dawood",
    "داوود": "Dawood",
    # Afghan (Dari, Pashto) given names and name parts
    "حبيب": "Habib",
    "غلام": "Ghulam",
    "رحمت": "Rahmat",
    "نصرت": "Nusrat",
    "ولي": "Wali",
    "خان": "Khan",
    "گل": "Gul",
    "شاه": "Shah",
    "نظر": "Nazar",
    "اكبر": "Akbar",
    "اصغر": "Asghar",
    # given names, women
    "فاطمه": "Fatima",
    "زهرا": "Zahra",
    "عايشه": "Aisha",
    "خديجه": "Khadija",
    "مريم": "Maryam",
    "زينب": "Zainab",
    "امنه": "Amina",
    "اميره": "Amira",
    "ليلي": "Layla",
    "نور": "Noor",
    "هدي": "Huda",
    "رشا": "Rasha",
    "ايه": "Aya",
    "سارا": "Sara",
    "ساره": "Sarah",
    "ناديه": "Nadia",
    "رانيا": "Rania",
    "ريم": "Reem",
    "سلمي": "Salma",
    "لينا": "Lina",
    "ياسمين": "Yasmin",
    "شيرين": "Shirin",
    "نازنين": "Nazanin",
    "فرشته": "Fereshteh",
    "معصومه": "Masoumeh",
    # family names
    "حسيني": "Hosseini",
    "احمدي": "Ahmadi",
    "محمدي": "Mohammadi",
    "رحيمي": "Rahimi",
    "كريمي": "Karimi",
    "حكيمي": "Hakimi",
    "نوري": "Noori",
    "سلطاني": "Sultani",
    "رضايي": "Rezaei",
    "جبوري": "Jubouri",
    "حداد": "Haddad",
    "خليل": "Khalil",
    "درويش": "Darwish",
    "نجار": "Najjar",
}

# The table's Latin spellings (names.py strips a glued article before them: Alahmad).
LATIN_SPELLINGS: Final = frozenset(_NAMES.values())

# A run of Arabic-script letters and marks (Arabic, Arabic Supplement/Extended-A,
# presentation forms); digits and punctuation of the block are left out.
_WORD: Final = re.compile(
    r"[\u0621-\u065f\u0670-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff]+"
)


def fold(word: str) -> str:
    """The lookup form of an Arabic-script word (see the module docstring)."""
    word = unicodedata.normalize("NFKC", word)  # presentation forms -> letters
    word = "".join(c for c in word if unicodedata.category(c) != "Mn")  # vowel signs
    return word.translate(_FOLD)


# Family names formed from a name in the table: Persian/Arabic nisba -i (جعفری -> Jafari),
# Pashto tribe -zai (احمدزی -> Ahmadzai).
_SUFFIXES: Final = (("زي", "zai"), ("ي", "i"))


def _spell(word: str) -> str | None:
    folded = fold(word)
    if spelling := _NAMES.get(folded):
        return spelling
    if folded.startswith("ال") and (spelling := _NAMES.get(folded[2:])):
        return f"Al-{spelling}"  # الحسن -> Al-Hassan
    if folded.startswith("عبدال") and (spelling := _NAMES.get(folded[5:])):
        return f"Abdul{spelling.lower()}"  # عبدالرحمن -> Abdulrahman
    for suffix, latin in _SUFFIXES:
        if folded.endswith(suffix) and (spelling := _NAMES.get(folded[: -len(suffix)])):
            return spelling + latin
    return _compound(folded)


def _compound(folded: str) -> str | None:
    """Two names of the table written as one word (Persian compound given names):
    محمدرضا -> Muhammad-Reza, غلامرضا -> Ghulam-Reza, حبيبالله -> Habib-Allah."""
    for cut in range(2, len(folded) - 1):
        if (head := _NAMES.get(folded[:cut])) and (tail := _NAMES.get(folded[cut:])):
            return f"{head}-{tail}"
    return None


# Sorani Kurdish writes its vowels (ا a, ە e, ێ ê, ۆ o, و u/w, ی i/y) and has letters of
# its own (ڕ ڵ ڤ ێ ۆ ە); a word starting with the vowel carrier ئ is Kurdish as well.
# A name with such a word is read letter by letter with the vowels, so ڕێبوار meets
# Rebwar (Arabic and Persian names written without vowels do not).
_SORANI: Final = re.compile(r"[ەۆێڵڕڤ]|(?<![\u0600-\u06ff])ئ")
_SORANI_VOWELS: Final = frozenset("اەێۆ")
_SORANI_LETTERS: Final = {
    "ا": "a", "ە": "e", "ێ": "e", "ۆ": "o", "ئ": "", "ع": "", "ء": "",
    "ب": "b", "پ": "p", "ت": "t", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh", "د": "d",
    "ر": "r", "ڕ": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "غ": "gh", "ف": "f",
    "ڤ": "v", "ق": "q", "ک": "k", "ك": "k", "گ": "g", "ل": "l", "ڵ": "l", "م": "m",
    "ن": "n", "ه": "h", "ھ": "h", "ة": "e",
}  # fmt: skip


def _sorani_word(word: str) -> str:
    """ڕێبوار -> rebwar: و and ی are consonants (w, y) next to a vowel letter, else vowels."""
    out = []
    for i, char in enumerate(word):
        if char in "وی":
            beside_vowel = word[i - 1 : i] in _SORANI_VOWELS or word[i + 1 : i + 2] in _SORANI_VOWELS
            out.append(("w" if char == "و" else "y") if beside_vowel else ("u" if char == "و" else "i"))
        else:
            out.append(_SORANI_LETTERS.get(char, char))
    return "".join(out)


def respell(text: str) -> str:
    """The text with every Arabic-script word found in the table replaced by its Latin
    spelling; other words (any script) are left as they are, except in a Sorani Kurdish
    name, whose words are read with their written vowels."""
    if _SORANI.search(text):
        return _WORD.sub(lambda match: _spell(match.group()) or _sorani_word(fold_marks(match.group())), text)
    return _WORD.sub(lambda match: _spell(match.group()) or match.group(), text)


def fold_marks(word: str) -> str:
    """Presentation forms as letters and without vowel signs (Sorani keeps its letters)."""
    word = unicodedata.normalize("NFKC", word)
    return "".join(c for c in word if unicodedata.category(c) != "Mn").replace("ي", "ی")
