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


def _spell(word: str) -> str | None:
    folded = fold(word)
    if spelling := _NAMES.get(folded):
        return spelling
    if folded.startswith("ال") and (spelling := _NAMES.get(folded[2:])):
        return f"Al-{spelling}"  # الحسن -> Al-Hassan
    if folded.startswith("عبدال") and (spelling := _NAMES.get(folded[5:])):
        return f"Abdul{spelling.lower()}"  # عبدالرحمن -> Abdulrahman
    return None


def respell(text: str) -> str:
    """The text with every Arabic-script word found in the table replaced by its Latin
    spelling; other words (any script) are left as they are."""
    return _WORD.sub(lambda match: _spell(match.group()) or match.group(), text)
