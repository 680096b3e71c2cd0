"""Synthetic refugee registrations with known truth, for the duplicate-detection benchmark.

Deterministic for a seed. About 1.7 registrations per person (10,000 registrations are
about 5,800 people); a person's copies are at the same organisation or at another one,
and their fields change between copies at realistic rates: another transliteration
(Mohammed/Muhammad, Schewtschenko/Shevchenko), a typo, given and family name swapped, a
middle name left out, a name in its own script only, a partial birth date (year only,
01.01.YYYY, month and year), a day and month switched, a move (postcode and town), gender
or nationality not stated. Names follow a Zipf distribution within each origin, so many
different people share a common name; twins share family name, birth date and address.

    .venv/bin/python bench/dedupe_data.py --size 10000 [--seed 19] [--csv out.csv]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bruecke.dedupe.records import SOURCE_FIELDS  # noqa: E402


@dataclass(frozen=True)
class Registration:
    person_id: int
    organisation: int  # 0 .. organisations - 1
    order: int  # arrival order, 0 first
    row: dict[str, Any]  # exactly the keys of SOURCE_FIELDS


# A name: its spellings in Latin (first the most usual in German documents) and, when it
# has one, its own script. Listed from most to least common (Zipf weights by rank).
Name = tuple[tuple[str, ...], str]


def _names(spec: str) -> list[Name]:
    names = []
    for item in spec.split(";"):
        latin, _sep, script = item.strip().partition("=")
        names.append((tuple(latin.split("/")), script))
    return names


ARABIC_MALE = _names(
    "Mohammed/Muhammad/Mohamed/Mohamad/Mohammad=محمد; Ahmad/Ahmed/Achmed=احمد; Ali=علي;"
    "Mahmoud/Mahmud/Machmud=محمود; Omar/Umar=عمر; Khaled/Khalid/Chaled=خالد; Hassan/Hasan=حسن;"
    "Hussein/Husein/Hussain/Hüseyin=حسين; Mustafa/Mostafa=مصطفى; Ibrahim/Ebrahim=ابراهيم;"
    "Yusuf/Yousef/Youssef/Jusuf=يوسف; Abdulrahman/Abd al-Rahman/Abdel Rahman/Abdurrahman=عبدالرحمن;"
    "Abdullah/Abdallah/Abd Allah=عبدالله; Bilal=بلال; Tariq/Tarek/Tarik=طارق; Walid/Waleed=وليد;"
    "Jamal/Dschamal/Gamal=جمال; Karim/Kareem=كريم; Yasser/Yasir/Jasser=ياسر; Ziad/Ziyad/Siad=زياد;"
    "Anas=انس; Hamza/Hamsa=حمزه; Samir/Sameer=سمير; Majid/Majed=ماجد; Qasim/Kasim/Qassem=قاسم;"
    "Faisal/Feisal=فيصل; Rami/Ramy=رامي; Nasser/Nasir=ناصر; Adel/Adil=عادل; Suleiman/Sulaiman/Sleiman=سليمان"
)
ARABIC_FEMALE = _names(
    "Fatima/Fatma/Fatimah=فاطمه; Aisha/Aischa/Ayesha=عايشه; Maryam/Mariam/Marjam=مريم;"
    "Zainab/Zeinab/Sainab=زينب; Amina/Aminah=امنه; Nour/Noor/Nur=نور; Rasha=رشا; Huda/Hoda=هدى;"
    "Layla/Leila/Laila=ليلى; Reem/Rim=ريم; Rania/Ranya=رانيا; Sara/Sarah=ساره; Khadija/Chadidscha=خديجه;"
    "Amira/Ameera=اميره; Nadia/Nadja=ناديه; Aya/Aja=ايه; Rahaf=رهف; Dima=ديما; Lina=لينا; Hala=هاله"
)
ARABIC_FAMILY = _names(
    "Al-Hassan/Alhassan/El Hassan=الحسن; Al-Ahmad/Alahmad=الاحمد; Hussein/Husein/Hussain=حسين;"
    "Al-Ali/Alali=العلي; Mohammed/Muhammad/Mohamed=محمد; Ibrahim=ابراهيم; Khalil/Chalil=خليل;"
    "Al-Khatib/Alkhatib/El-Chatib=الخطيب; Haddad/Hadad=حداد; Saleh/Salih=صالح; Darwish/Derwisch=درويش;"
    "Al-Omar/Alomar=العمر; Othman/Osman/Uthman=عثمان; Hamdan=حمدان; Mansour/Mansur=منصور;"
    "Abdallah/Abdullah=عبدالله; Youssef/Yusuf=يوسف; Al-Masri/Almasri=المصري; Kassem/Qasim=قاسم;"
    "Al-Jaber/Aljaber=الجابر; Sabbagh/Sabag=صباغ; Nasser/Nasir=ناصر; Shaker/Schaker=شاكر;"
    "Al-Zoubi/Alzoubi/Al-Zubi=الزعبي; Rifai/Al-Rifai=الرفاعي; Kurdi=كردي; Haj Ali/Hajali=حاج علي;"
    "Jouma/Jumaa/Dschuma=جمعه; Tahan/Al-Tahhan=طحان; Barakat=بركات; Said/Saeed=سعيد; Aswad=اسود"
)
AFGHAN_MALE = _names(
    "Mohammad/Mohammed/Muhammad=محمد; Ahmad/Ahmed=احمد; Ali=علي; Hamid/Hamed=حامد; Reza/Resa=رضا;"
    "Mahdi/Mehdi=مهدي; Javad/Jawad/Dschawad=جواد; Farid/Fareed=فريد; Najib/Nadschib=نجيب;"
    "Ghulam/Gholam/Golam=غلام; Abdul/Abdol=عبدل; Sayed/Said/Sajed=سید; Hamza=حمزه; Nazir/Naseer=نذیر;"
    "Zabihullah/Sabihullah=ذبیح الله; Rahmatullah/Rachmatullah=رحمت الله; Mustafa/Mostafa=مصطفی;"
    "Bashir/Baschir=بشیر; Khan/Chan=خان; Omid/Umid=امید; Wahid/Vahid=وحید; Jawid/Javid=جاوید"
)
AFGHAN_FEMALE = _names(
    "Fatima/Fatemeh/Fatema=فاطمه; Zahra/Sahra=زهرا; Maryam/Mariam=مریم; Masooma/Masuma/Massoumeh=معصومه;"
    "Nargis/Narges=نرگس; Parwana/Parvaneh=پروانه; Shabnam/Schabnam=شبنم; Soraya/Suraya=ثریا;"
    "Freshta/Fereshteh=فرشته; Sakina/Sakineh=سکینه; Nilofar/Niloufar=نیلوفر; Mina=مینا"
)
AFGHAN_FAMILY = _names(
    "Ahmadi/Achmadi=احمدی; Rahimi/Rachimi=رحیمی; Hussaini/Hosseini/Husaini=حسینی; Mohammadi/Muhammadi=محمدی;"
    "Karimi=کریمی; Sultani/Soltani=سلطانی; Noori/Nuri=نوری; Haidari/Heidari/Haydari=حیدری;"
    "Jafari/Dschafari=جعفری; Rezaei/Rezai/Resai=رضایی; Sharifi/Scharifi=شریفی; Safi=صافی;"
    "Popal/Popalzai=پوپل; Wardak/Vardak=وردک; Stanikzai/Stanekzai=ستانکزی; Amiri=امیری;"
    "Nazari/Naseri=نظری; Hakimi/Hachimi=حکیمی; Azizi/Asisi=عزیزی; Qaderi/Kaderi=قادری"
)
TIGRINYA_MALE = _names(
    "Tesfaye/Tesfay=ተስፋይ; Yonas/Jonas/Yohannes=ዮናስ; Dawit/Daniel=ዳዊት; Mehari/Mihret=መሓሪ;"
    "Filmon/Philemon=ፊልሞን; Kidane/Kidana=ኪዳነ; Berhane/Birhane=ብርሃነ; Habte/Habtom=ሃብተ;"
    "Ghebremedhin/Gebremedhin=ገብረመድህን; Amanuel/Emanuel=ኣማኑኤል; Samuel/Samiel=ሳሙኤል; Semere/Semre=ሰመረ"
)
TIGRINYA_FEMALE = _names(
    "Senait/Saba=ሰናይት; Helen/Helena=ሄለን; Selam/Salam=ሰላም; Meron/Miron=ሜሮን; Tsega/Tsegga=ጸጋ;"
    "Yohana/Johanna=ዮሃና; Luwam/Luam=ሉዋም; Rahel/Rachel=ራሄል; Freweini/Frewini=ፍረወይኒ; Winta/Wintana=ዊንታ"
)
TIGRINYA_FAMILY = _names(
    "Tesfamariam/Tesfamaryam=ተስፋማርያም; Gebremariam/Ghebremariam=ገብረማርያም; Tekle/Teklay=ተኽለ;"
    "Haile/Hailu=ሃይለ; Berhe/Berhane=በርሀ; Kidane=ኪዳነ; Mehari=መሓሪ; Asfaha/Asfeha=ኣስፍሃ;"
    "Woldu/Weldu=ወልዱ; Habtemariam/Habtemaryam=ሃብተማርያም; Okbamichael/Ogbamichael=ዑቕባሚካኤል; Yemane=የማነ"
)
KURDISH_MALE = _names(
    "Azad/Asad=; Shivan/Schiwan/Sivan=; Dilshad/Dilschad=; Rezan/Resan=; Baran=; Serhat/Serhad=;"
    "Hozan/Hosan=; Aram=; Karwan/Kārwan=; Ahmad/Ahmed=احمد; Mohammed/Mihemed/Muhammad=محمد;"
    "Jiyan/Dschijan=; Kawa/Kava=; Rojhat/Roschat="
)
KURDISH_FEMALE = _names(
    "Berivan/Bêrîvan=; Dilan=; Rojda/Roschda=; Hevin/Hêvîn=; Zozan/Sosan=; Nasrin/Nesrin=;"
    "Shirin/Schirin=; Gulistan/Gulestan=; Jiyan/Jian=; Newroz/Nevroz=; Viyan/Vian="
)
KURDISH_FAMILY = _names(
    "Ali=; Hasso/Hesso=; Sheikho/Scheicho/Sheiko=; Khalaf/Chalaf=; Ibrahim/Ibrahîm=; Hamo/Hemo=;"
    "Osman/Othman=; Suleiman/Silêman=; Bakir/Bekir=; Rashid/Reschid=; Mamo/Memo=; Hussein/Husên="
)
TURKISH_MALE = _names(
    "Mehmet/Mehmed=; Mustafa=; Ahmet/Achmet=; Ali=; Hüseyin/Huseyin/Hussein=; Hasan=; Ibrahim/İbrahim=;"
    "Murat/Murad=; Emre=; Yusuf/Jusuf=; Ömer/Omer=; Burak=; Kemal=; Serkan="
)
TURKISH_FEMALE = _names(
    "Ayşe/Ayse/Aische=; Fatma=; Emine=; Hatice/Hatidsche=; Zeynep/Zeinep=; Elif=; Merve=; Özlem/Oezlem=;"
    "Büşra/Busra=; Esra="
)
TURKISH_FAMILY = _names(
    "Yılmaz/Yilmaz/Jilmas=; Kaya/Kaja=; Demir=; Şahin/Sahin/Schahin=; Çelik/Celik/Tschelik=; Yıldız/Yildiz=;"
    "Öztürk/Ozturk/Oeztuerk=; Aydın/Aydin=; Özdemir/Ozdemir=; Arslan/Aslan=; Doğan/Dogan=; Kılıç/Kilic="
)
SLAVIC_MALE = _names(
    "Oleksandr/Olexandr/Aleksandr/Alexander=Олександр; Andrii/Andriy/Andrij=Андрій;"
    "Serhii/Serhiy/Sergej/Sergey=Сергій; Dmytro/Dmitri/Dmitrij=Дмитро; Volodymyr/Wolodymyr=Володимир;"
    "Mykola/Mikola=Микола; Ivan/Iwan=Іван; Yurii/Jurij/Yuriy=Юрій; Vitalii/Witalij=Віталій;"
    "Maksym/Maxim/Maksim=Максим; Artem/Artjom=Артем; Bohdan/Bogdan=Богдан"
)
SLAVIC_FEMALE = _names(
    "Olena/Elena/Jelena=Олена; Tetiana/Tetjana/Tatiana/Tatjana=Тетяна; Iryna/Irina=Ірина;"
    "Nataliia/Natalija/Natalia=Наталія; Svitlana/Swetlana/Svetlana=Світлана; Oksana=Оксана;"
    "Yuliia/Julija/Yulia/Julia=Юлія; Kateryna/Katerina/Jekaterina=Катерина; Anastasiia/Anastasija=Анастасія;"
    "Mariia/Marija/Maria=Марія; Olha/Olga=Ольга; Viktoriia/Viktorija/Victoria=Вікторія; Alina=Аліна"
)
SLAVIC_FAMILY = _names(
    "Shevchenko/Schewtschenko/Ševčenko=Шевченко; Kovalenko/Kowalenko=Коваленко; Bondarenko=Бондаренко;"
    "Tkachenko/Tkatschenko=Ткаченко; Kravchenko/Krawtschenko=Кравченко; Melnyk/Melnik=Мельник;"
    "Boiko/Boyko/Bojko=Бойко; Kovalchuk/Kowaltschuk=Ковальчук; Oliinyk/Olijnyk=Олійник;"
    "Shevchuk/Schewtschuk=Шевчук; Polishchuk/Polischtschuk=Поліщук; Lysenko/Lyssenko=Лисенко;"
    "Ivanov/Iwanow/Ivanoff=Иванов; Petrenko=Петренко; Savchenko/Sawtschenko=Савченко; Rudenko=Руденко;"
    "Marchenko/Martschenko=Марченко; Kharchenko/Chartschenko=Харченко; Moroz=Мороз; Zhuk/Schuk=Жук"
)


def _derived_family(family: list[Name], male: list[Name], stems: str, endings: str) -> list[Name]:
    """Family names are far more varied than given names: the listed ones first, then
    the father's or grandfather's name (common among Arabic and Afghan names, also with
    the article), then stems with the usual endings (Ukrainian -enko, -chuk, ...)."""
    derived = list(family)
    for spellings, own in male:
        derived.append((spellings, own))
        if stems == "arabic":
            derived.append((tuple("Al-" + s for s in spellings), "ال" + own if own else ""))
    for stem in stems.split() if stems != "arabic" else ():
        for ending in endings.split():
            derived.append(((stem + ending, (stem + ending).replace("ch", "tsch").replace("v", "w")), ""))
    return derived


SLAVIC_STEMS = (
    "Pavl Petr Koval Bondar Tkach Kravch Lys Moroz Hryts Sav Ostap Vasyl Dan Fed Kuz Mart Kost Hnat"
    " Yarem Levch Prokop Stepan Demch Hrab Zinch Marusch Oles Romanch Semen Tym Yakym Zakhar"
)
SLAVIC_FAMILY = _derived_family(SLAVIC_FAMILY, [], SLAVIC_STEMS, "enko uk yshyn ov ovych")
ARABIC_FAMILY = _derived_family(ARABIC_FAMILY, ARABIC_MALE + AFGHAN_MALE, "arabic", "")
AFGHAN_FAMILY = _derived_family(
    AFGHAN_FAMILY, [], "Ahmad Rahim Karim Sultan Nazar Hakim Aziz Qader Hamid Rasul Nabi Sadiq", "i zai yar"
)
TURKISH_FAMILY = _derived_family(
    TURKISH_FAMILY, [], "Kara Ak Er Ay Gül Tekin Bulut Koç Kurt Öz Polat Güler Çakır", "han oğlu can"
)
KURDISH_FAMILY = _derived_family(KURDISH_FAMILY, KURDISH_MALE + ARABIC_MALE[:10], "", "")
TIGRINYA_FAMILY = _derived_family(TIGRINYA_FAMILY, TIGRINYA_MALE, "", "")


# The long tail of family names: real family names are far more varied than any list
# (the most common Syrian or Ukrainian family name is borne by 1-2 %, most by a handful
# of people). Names are built from syllables of the origin, with the transliteration
# variants German and English spellings produce.
_SYLLABLES = {
    "arabic": (
        "Ha Ma Sa Ka Ra Da Ba Na Ja Za Ta Fa Qa Sha Kha Mu Su Nu Hu Bi Ri Di",
        "m d r l s b n z t f q k j",
        "i a an oun awi ani ali",
    ),
    "afghan": (
        "Ha Ra Sa Na Ka Pa Ja Ba Sha Za Ma Wa Ah No Gu",
        "m r s n k l d b z h g",
        "i zai yar khil wal ani",
    ),
    "tigrinya": ("Ge Ha Te Ke Be Me We Ye Se Ab Ts Ha Go", "br ft sf ld gh mr ns kl", "e ay om u ai ezgi"),
    "kurdish": ("Ba Da Ha Ke Se Re Ze Me Ci Sh Ro Di", "r z v m n l s k", "o an i el ar ani"),
    "turkish": ("Ka Ak Er Ay Tek Bu Ko Ku Ye Gü Çe Tu Sa", "r l n s m k t y", "an han oğlu can er li"),
    "slavic": (
        "Pa Ko Bo Ma Se Da Lu Ho Ku Sa Te Vo Hr Ze Kra",
        "v d l s ch sh r n t k",
        "enko chuk yuk ets ov ovych yshyn",
    ),
}
_VARIANTS = (("sh", "sch"), ("ch", "tsch"), ("kh", "ch"), ("j", "dsch"), ("ou", "u"), ("w", "v"), ("y", "j"))


def _tail(kind: str, count: int = 3000) -> list[Name]:
    starts, middles, ends = (part.split() for part in _SYLLABLES[kind])
    rng = random.Random(kind)  # the same tail for every seed
    words = sorted({a + v + m + e for a in starts for v in "aeiou" for m in middles for e in ends})
    rng.shuffle(words)
    names = []
    for word in words[:count]:
        if kind == "arabic" and rng.random() < 0.3:
            word = "Al-" + word
        spellings = [word]
        for a, b in _VARIANTS:
            if a in word.lower():
                spellings.append(word.replace(a, b).replace(a.capitalize(), b.capitalize()))
        names.append((tuple(spellings), ""))
    return names


@dataclass(frozen=True)
class Origin:
    code: str  # country of birth (ISO 3166)
    share: float
    male: list[Name]
    female: list[Name]
    family: list[Name]
    script_share: float  # share of registrations typed in own script too
    compound_family: float  # share of people with two family-name parts
    tail: str = ""  # syllables of the long tail of family names


ORIGINS = (
    Origin("SY", 0.34, ARABIC_MALE, ARABIC_FEMALE, ARABIC_FAMILY, 0.25, 0.15, "arabic"),
    Origin("IQ", 0.08, ARABIC_MALE, ARABIC_FEMALE, ARABIC_FAMILY, 0.25, 0.15, "arabic"),
    Origin("AF", 0.18, AFGHAN_MALE, AFGHAN_FEMALE, AFGHAN_FAMILY, 0.2, 0.05, "afghan"),
    Origin("ER", 0.07, TIGRINYA_MALE, TIGRINYA_FEMALE, TIGRINYA_FAMILY, 0.1, 0.0, "tigrinya"),
    Origin("TR", 0.08, KURDISH_MALE, KURDISH_FEMALE, KURDISH_FAMILY, 0.0, 0.0, "kurdish"),
    Origin("TR", 0.07, TURKISH_MALE, TURKISH_FEMALE, TURKISH_FAMILY, 0.0, 0.0, "turkish"),
    Origin("UA", 0.18, SLAVIC_MALE, SLAVIC_FEMALE, SLAVIC_FAMILY, 0.3, 0.0, "slavic"),
)

# Towns of a network area with their postcodes.
PLACES = (
    ("Neuruppin", ("16816", "16818", "16827")),
    ("Wittstock/Dosse", ("16909",)),
    ("Kyritz", ("16866",)),
    ("Oranienburg", ("16515",)),
    ("Berlin", ("10115", "10243", "10997", "12043", "12047", "12055", "13347", "13353", "10551")),
    ("Potsdam", ("14467", "14469", "14473", "14478", "14480")),
    ("Eberswalde", ("16225", "16227")),
    ("Brandenburg an der Havel", ("14770", "14772", "14774", "14776")),
)

# Registrations per person: 1 .. 5 (mean ~1.72).
COPIES = ((1, 0.54), (2, 0.29), (3, 0.10), (4, 0.05), (5, 0.02))


def _zipf(rng: random.Random, items: list[Name], s: float = 1.05) -> Name:
    weights = [1.0 / (rank + 1) ** s for rank in range(len(items))]
    return rng.choices(items, weights)[0]


def _typo(rng: random.Random, word: str) -> str:
    """One edit: a letter replaced, left out, doubled or two neighbours switched."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + rng.choice("aeiounrstlmkh") + word[i + 1 :]
    if kind < 0.55:
        return word[:i] + word[i + 1 :]
    if kind < 0.75:
        return word[:i] + word[i] + word[i:]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


TAILS = {kind: _tail(kind) for kind in _SYLLABLES}
TAIL_SHARE = 0.5  # of people with a family name from the long tail


def _family_name(rng: random.Random, origin: Origin) -> Name:
    if origin.tail and rng.random() < TAIL_SHARE:
        return rng.choice(TAILS[origin.tail])
    return _zipf(rng, origin.family, 0.6)


@dataclass
class Person:
    id: int
    origin: Origin
    sex: str
    given: list[Name]
    family: list[Name]
    year: int
    month: int | None
    day: int | None
    place: tuple[str, str]
    nationality: str


def _person(rng: random.Random, pid: int) -> Person:
    origin = rng.choices(ORIGINS, [o.share for o in ORIGINS])[0]
    sex = "male" if rng.random() < 0.6 else "female"
    pool = origin.male if sex == "male" else origin.female
    given = [_zipf(rng, pool)]
    if rng.random() < 0.18:  # a second given name (Mohammed Ali, Fatima Zahra)
        given.append(_zipf(rng, pool))
    family = [_family_name(rng, origin)]
    if rng.random() < origin.compound_family:
        family.append(_family_name(rng, origin))
    year = rng.choice(range(1958, 2008))
    known = rng.random()
    if known < 0.12:  # only the year is known (documents of many countries)
        month, day = None, None
    elif known < 0.20:  # registered as 01.01.
        month, day = 1, 1
    else:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
    town, codes = rng.choice(PLACES)
    nationality = origin.code if rng.random() < 0.95 else rng.choice(("SY", "AF", "IQ", "TR", "UA", ""))
    return Person(pid, origin, sex, given, family, year, month, day, (rng.choice(codes), town), nationality)


def _twin(rng: random.Random, person: Person, pid: int) -> Person:
    """A twin or sibling: same family, birth date (twins) or address; another given name."""
    pool = person.origin.male if rng.random() < 0.6 else person.origin.female
    sex = "male" if pool is person.origin.male else "female"
    given = [name for name in [_zipf(rng, pool)] if name != person.given[0]] or [rng.choice(pool)]
    twin = rng.random() < 0.5
    year = person.year if twin else person.year + rng.choice((-5, -3, -2, 2, 3, 6))
    return Person(
        pid,
        person.origin,
        sex,
        given,
        list(person.family),
        year,
        person.month if twin else rng.randint(1, 12),
        person.day if twin else rng.randint(1, 28),
        person.place,
        person.nationality,
    )


def _spell(rng: random.Random, names: list[Name], variant_rate: float, typo_rate: float) -> tuple[str, str]:
    """(Latin, own script) of a name field in one registration."""
    latin, script = [], []
    for spellings, own in names:
        word = spellings[0] if rng.random() >= variant_rate else rng.choice(spellings)
        if rng.random() < typo_rate:
            word = _typo(rng, word)
        latin.append(word)
        script.append(own)
    return " ".join(latin), " ".join(s for s in script if s)


def _row(rng: random.Random, person: Person, copy: int) -> dict[str, Any]:
    """One registration of the person; copy 0 is the first, later copies drift."""
    later = copy > 0
    variant = 0.35 if later else 0.15
    typo = 0.08 if later else 0.02
    given_names = list(person.given)
    if later and len(given_names) > 1 and rng.random() < 0.3:
        given_names = given_names[:1]  # middle name left out
    given, given_own = _spell(rng, given_names, variant, typo)
    family, family_own = _spell(rng, person.family, variant, typo)
    if rng.random() >= person.origin.script_share:
        given_own = family_own = ""
    elif rng.random() < 0.15 and given_own and family_own:
        given, family = "", ""  # typed in its own script only
    if later and rng.random() < 0.05:
        given, family, given_own, family_own = family, given, family_own, given_own
    month, day = person.month, person.day
    placeholder = False
    if later:
        drift = rng.random()
        if drift < 0.06:
            month, day = None, None  # year only
        elif drift < 0.10:
            month, day, placeholder = 1, 1, True
        elif drift < 0.13 and day is not None:
            day = None  # month and year
        elif drift < 0.16 and month is not None and day is not None and day <= 12:
            month, day = day, month  # day and month switched
    year = person.year
    if later and rng.random() < 0.02:
        year += rng.choice((-1, 1))  # a wrong year (age estimated)
    postcode, town = person.place
    if later and rng.random() < 0.2:  # moved
        town, codes = rng.choice(PLACES)
        postcode = rng.choice(codes)
    if rng.random() < 0.08:
        postcode = ""
    if rng.random() < 0.05:
        town = ""
    gender = person.sex if rng.random() >= 0.04 else "not_stated"
    nationality = person.nationality if rng.random() >= 0.08 else ""
    country = person.origin.code if rng.random() >= 0.1 else ""
    return {
        "given_names": given,
        "family_name": family,
        "given_names_own_script": given_own,
        "family_name_own_script": family_own,
        "birth_year": year,
        "birth_month": month,
        "birth_day": day if month is not None else None,
        "birth_date_is_placeholder": placeholder,
        "gender": gender,
        "country_of_birth": country,
        "nationality": nationality,
        "postcode": postcode,
        "town": town,
    }


def generate(n: int, *, seed: int = 19, organisations: int = 5) -> list[Registration]:
    """n registrations in arrival order (pk = order + 1), with the person behind each."""
    rng = random.Random(seed)
    drafts: list[tuple[float, int, int, dict[str, Any]]] = []  # (time, person, org, row)
    pid = 0
    while len(drafts) < n:
        person = _person(rng, pid)
        people = [person]
        if rng.random() < 0.04:
            people.append(_twin(rng, person, pid + 1))
        for member in people:
            home = rng.randrange(organisations)
            copies = rng.choices([c for c, _ in COPIES], [w for _, w in COPIES])[0]
            start = rng.random()
            for copy in range(copies):
                org = home if copy == 0 or rng.random() < 0.6 else rng.randrange(organisations)
                time = start if copy == 0 else start + rng.random() * (1 - start)
                drafts.append((time, member.id, org, _row(rng, member, copy)))
        pid += len(people)
    drafts = sorted(drafts[:n], key=lambda d: d[0])
    registrations = []
    for order, (_time, person_id, org, row) in enumerate(drafts):
        full = {"pk": order + 1, "organisation_id": org + 1, **row}
        registrations.append(Registration(person_id, org, order, {k: full[k] for k in SOURCE_FIELDS}))
    return registrations


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--organisations", type=int, default=5)
    parser.add_argument("--csv", type=Path, help="write the registrations here (default: a summary)")
    args = parser.parse_args()
    data = generate(args.size, seed=args.seed, organisations=args.organisations)
    if args.csv:
        with args.csv.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, ["person_id", "organisation", "order", *SOURCE_FIELDS])
            writer.writeheader()
            for r in data:
                writer.writerow(
                    {"person_id": r.person_id, "organisation": r.organisation, "order": r.order, **r.row}
                )
        return
    people = {r.person_id for r in data}
    print(f"{len(data)} registrations of {len(people)} people ({len(data) / len(people):.2f} per person)")
    for r in data[:10]:
        print(r.person_id, r.organisation, r.row)


if __name__ == "__main__":
    main()
