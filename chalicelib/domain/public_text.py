"""The one check of every text that can become public: no address, phone, e-mail, postcode or map point.

A film's title, English title, description and workshop, a workshop's story, a film's subtitles: each
is read by anyone, and none may tell where a child lives or how to reach one (a social-media handle
counts). Every path that writes such a text calls `check_public_text` (refuses, naming the field and
saying why) and `venue_warnings` (schools, shelters, children's homes, colonies and centres cannot be
told apart from harmless words by a rule, so they are the editor's call, and the editor is warned).

A text is normalised before it is read, so that a disguise does not slip through: Unicode NFKC
(full-width digits, ligatures), format characters removed (zero-width spaces, soft hyphens), case
folded; the patterns are then matched on up to three views of it: as written, with Cyrillic and Greek
look-alikes of Latin letters read as Latin (`street` with its e's typed in Cyrillic), and with Latin
look-alikes of Cyrillic letters read as Cyrillic. The rules lean towards refusing: a sentence that
only looks like an address is refused, with a sentence saying what to change.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import InvalidRequestError

PLACE_CODE = "place_too_precise"
CONTACT_CODE = "contact_details"
VENUE_CODE = "venue_named"

# Marks that NFKC would read as letters or drop (the masculine ordinal of `40\u00ba24'`, the ring of
# `40\u02da`), and the typographic quotes of minutes and seconds, read as the degree sign and plain quotes.
_MARKS = str.maketrans(
    {
        "\u00ba": "°",
        "\u02da": "°",
        "\u2019": "'",
        "\u2018": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201d": '"',
        "\u201c": '"',
        "\u2033": '"',
    }
)
# Cyrillic and Greek letters drawn like a Latin letter, in lower case (the text is case folded first).
_AS_LATIN = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "ё": "ë",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "к": "k",
        "і": "i",
        "ї": "ï",
        "ј": "j",
        "ѕ": "s",
        "һ": "h",
        "ԁ": "d",
        "ԛ": "q",
        "ԝ": "w",
        "ӏ": "l",
        "ә": "ə",
        "ү": "y",
        "α": "a",
        "ο": "o",
        "ρ": "p",
        "ν": "v",
        "ι": "i",
        "κ": "k",
        "υ": "u",
        "χ": "x",
        "ϲ": "c",
        "ѵ": "v",
    }
)
_AS_CYRILLIC = str.maketrans("aeopcyxk", "аеорсухк")


# Separators a number or an address can be written with that NFKC leaves alone: the ideographic full stop and the
# low comma, read as the plain ones (dashes, of every kind, are read as a hyphen below).
_SEPARATORS = str.maketrans({"\u3002": ".", "\uff61": ".", "\u201a": ",", "\u201e": '"'})
# Characters that change the direction text is shown in: a browser shows "12 \u202eteerts imazin" as
# "12 nizami street", which no check of the characters' own order would see. Public text may not hold them.
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
HIDDEN_CODE = "hidden_characters"


def normalise(text: str) -> str:
    """The text as the checks read it: HTML character references decoded (a subtitle player decodes them), NFKC,
    no format characters, case folded, quotes, degree marks, dashes and separators plain, and no combining mark
    left over after composition (an underline drawn with U+0332)."""
    text = html.unescape(text).translate(_SEPARATORS)
    text = "".join("-" if unicodedata.category(c) == "Pd" else c for c in text)
    text = unicodedata.normalize("NFKC", text.translate(_MARKS))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf").casefold()
    text = unicodedata.normalize("NFKC", text)
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").split())


def _views(text: str) -> list[str]:
    """The text as written, and as read with look-alike letters folded into the other script: only
    when it holds such letters (a view that cannot differ is not read twice)."""
    folded = normalise(text)
    views = [folded]
    if _LOOKS_LATIN.search(folded):
        views.append(folded.translate(_AS_LATIN))
    if _CYRILLIC.search(folded):
        views.append(folded.translate(_AS_CYRILLIC))
    return views


_LOOKS_LATIN = re.compile(f"[{''.join(chr(code) for code in _AS_LATIN)}]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


# --- Street addresses ------------------------------------------------------------------------------
# A house number: 12, 12a, 12/3, 8-ci (an Azerbaijani ordinal), 5-й.
_NUMBER = r"\d+(?:\s*/\s*\d+)?(?:-?[^\W\d_]{1,3})?(?!\w)"
# A number that counts something is no house number: "на улице 30 градусов", "street, 5 minutes away".
_COUNTED = (
    r"(?!\s*(?:years?|minutes?|hours?|days?|children|kids|people|friends|times|films?|метр\w*|минут\w*|"
    r"лет|год\w*|час\w*|градус\w*|дет\w*|человек\w*|раз|дн\w*|il|yaş\w*|dəqiqə\w*|saat\w*|gün\w*|uşaq\w*|"
    r"nəfər\w*|dəfə\w*|dərəcə\w*|metr\w*)(?!\w))"
)
# Street words after which the street's name (one word at most) and the house number follow:
# Russian, Azerbaijani (Latin and Cyrillic).
_STREET_BEFORE = (
    r"улиц\w*|ул\.?|проспект\w*|пр\.|пр-т|переул\w*|пер\.|бульвар\w*|б-р|шоссе|проезд\w*|тупик\w*|"
    r"микрорайон\w*|мкр\.?|күчә\w*|kü[çc]ə\w*|kucesi|kuchasi|kü[çc]\.|prospekt\w*|prospect|pr\.|döngə\w*|"
    r"dongesi|dalan\w*|şosse\w*|mikrorayon\w*|mkr\.?|ulitsa|ul\.?|kuc\.?|pr|квартал\w*|kvartal\w*|məhəllə\w*"
)
# Street words that the number follows at once ("Nizami Str 12"); in English a word after "street" is
# no name ("the street where 12 of us live").
_STREET_THEN_NUMBER = r"str\.?|street|road|avenue|boulevard|strasse"
# Street words that follow the house number and the street's name (number first), as in English.
_STREET_AFTER = (
    r"street|str\.?|road|rd\.?|avenue|ave\.?|boulevard|blvd\.?|lane|prospekt\w*|kü[çc]ə\w*|kucesi|kuchasi|"
    r"döngə\w*|mikrorayon\w*|микрорайон\w*"
)
# Words that number a building or a flat, followed at once by the number ("дом 12", "bina 14").
_UNIT = (
    r"(?<!детский )(?<!детского )дом|д\.|квартир\w*|кв\.?|корпус|корп\.|строение|bina|mənzil|ev|"
    r"apartment|apt\.?|flat|building|bldg\.?|block|house"
)
# Words that never stand in a street's name between a number and "street": "5 friends, one street".
_NOT_A_NAME = (
    r"(?!(?:in|on|at|the|a|an|my|our|your|his|her|their|its|one|and|or|of|from|to|for|with|down|up|"
    r"along|across|same|this|that|every|each|no|years?|kids|children|friends|people|boys|girls|days|"
    r"minutes|hours|families|films|houses|cars|steps|times)[\s,])"
)
_NAME = r"[^\W\d_][\w'-]*[\s,]+"
_ADDRESS = re.compile(
    # "ул. Низами 12", "улица Низами, дом 12", "Nizami küçə 12": a street word, a name, a number.
    rf"(?<![\w.])(?:{_STREET_BEFORE})(?!\w)[\s,]*(?:{_NAME})?(?:(?:дом|д\.|no\.?)\s*)?{_NUMBER}{_COUNTED}"
    rf"|(?<![\w.])(?:{_STREET_THEN_NUMBER})(?!\w)[\s,]*(?:(?:no\.?|nr\.?|number|#)\s*)?{_NUMBER}{_COUNTED}"
    rf"|(?<![\w.])rue\s+(?:{_NAME}){{0,2}}{_NUMBER}"  # "rue de Rivoli 10"
    # "12 Nizami street", "12 Nizami St", "8-ci mikrorayon": a number, a name, a street word.
    rf"|(?<![\w.])\d+(?:-?[^\W\d_]{{1,3}})?[\s,]+(?:{_NOT_A_NAME}{_NAME}){{0,2}}"
    rf"(?:{_STREET_AFTER}|st\.?(?=\s*(?:[,;)]|$)))(?!\w)"
    # "дом 12", "bina 14", "Building 5": the number of a house or a flat.
    rf"|(?<![\w.])(?:{_UNIT})(?!\w)\s*(?:no\.?|#)?\s*{_NUMBER}{_COUNTED}",
)

# --- Postcodes -----------------------------------------------------------------------------------
_POSTCODE = re.compile(
    r"(?<!\w)az[\s-]?\d{4}(?!\d)"  # Azerbaijan: AZ 1000
    r"|(?<!\w)(?:am|ge|kg|tj|kz|uz|md|ua|by|ru)-?\d{4,6}(?!\d)"  # the code joined to the number
    r"|(?<!\d)(?<!\d[.,])0\d{3}(?!\d|[.,]\d)"  # Armenia, Georgia: 0010, 0105 (a number never starts with 0)
    r"|(?<!\d)(?<!\d[.,])\d{5,6}(?!\d|[.,]\d)",  # Russia, Kyrgyzstan, Tajikistan: 370000, 720001
)

# --- Map coordinates, links and codes --------------------------------------------------------------
_DECIMAL = r"-?\d{1,3}[.,]\d{3,}"
_DEGREES = r"(?:°|deg(?:rees?)?(?![a-z])\.?)"  # "degrees" is never "degree" and a hemisphere "s"
_COORDINATES = re.compile(
    rf"{_DECIMAL}\s*°?\s*[nsew]?\s*[,;/\s]\s*[nsew]?\s*{_DECIMAL}"  # 40.4093, 49.8671 / 40,4093 49,8671
    r"|-?\d{1,3}\.\d{2,}\s*,\s*-?\d{1,3}\.\d{2,}"  # 40.41, 49.87
    r"|(?<![a-z])[ns]\s*-?\d{1,3}\.\d+\s*°?[\s,;]*[ew]\s*-?\d{1,3}\.\d+"  # N40.4093 E49.8671
    r"|\d{1,3}\.\d+\s*°?\s*[ns][\s,;]*\d{1,3}\.\d+\s*°?\s*[ew](?![a-z])"  # 40.4093N49.8671E
    rf"|\d{{1,3}}\s*(?:{_DEGREES}|град\w*|dərəcə)\s*\d{{1,2}}\s*(?:'|min\w*|мин\w*|dəq\w*)"  # 40°24'33", 40 deg 24 min
    rf"|\d{{1,3}}(?:\.\d+)?\s*{_DEGREES}\s*[nsew](?![a-z])"  # 40.4° N
    r"|(?<![a-z])geo:\s*-?\d"  # a geo: URI
    r"|(?<![a-z])(?:lat|latitude|lon|lng|long|longitude|ll)\s*[=:]\s*-?\d"  # lat=40.4093&lon=49.8671
    r"|(?<![a-z])(?:lat|latitude|lon|lng|longitude)\s+-?\d{1,3}[.,]\d"  # lat 40.4093 lon 49.8671
    # Two precise decimals in one text: "at 40.4093 and 49.8671" (four places: "1.500 and 2.750" are prices).
    r"|-?\d{1,3}[.,]\d{4,}\D{1,40}?-?\d{1,3}[.,]\d{4,}"
    r"|\d{1,3}\s+\d{1,2}\s+\d{1,2}(?:[.,]\d+)?\s*[ns]\W+\d{1,3}\s+\d{1,2}\s+\d{1,2}(?:[.,]\d+)?\s*[ew](?![a-z])",
)
_MAP_LINK = re.compile(
    r"maps\.app\.goo\.gl|goo\.gl/maps|google\.[a-z.]+/maps|maps\.google\.|openstreetmap\.org|osm\.org/|"
    r"yandex\.[a-z]+/maps|2gis\.|maps\.apple|waze\.com|what3words|w3w\.co|bing\.com/maps|wego\.here\.com",
)
# Open Location Codes ("9G9V+XR", "8HGJ9G9V+XR") and what3words addresses ("///filled.count.soap").
_MAP_CODE = re.compile(
    r"(?<![\w+])[23456789cfghjmpqrvwx]{4,8}\+[23456789cfghjmpqrvwx]{2,3}(?![\w+])"
    r"|///\s*[^\W\d_]+\.[^\W\d_]+\.[^\W\d_]+",
)

# --- Phones and e-mail -----------------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    # Spelled out or spaced: "leyla @ gmail.com", "leyla(at)gmail.com", "leyla at gmail dot com".
    r"|[\w.+-]+\s*(?:@|[(\[]\s*at\s*[)\]]|\sat\s)\s*[\w-]+\s*(?:\.|[(\[]\s*dot\s*[)\]]|\sdot\s)\s*"
    r"(?:com|ru|az|am|kg|tj|kz|uz|ge|ua|by|net|org|info|mail|io|me|co|uk|de|fr)(?!\w)"
)
# A handle or a profile on a social network or a messenger: "@leyla_2012", "instagram.com/leyla".
_PROFILE = re.compile(
    r"(?<![\w@])@[\w.]{3,}"
    r"|(?:instagram\.com|facebook\.com|fb\.com|vk\.com|ok\.ru|t\.me|tiktok\.com|wa\.me|youtube\.com/@|x\.com|"
    r"twitter\.com)/\S"
    # A messenger named, then a handle (one with a digit, an underscore or a dot): "insta leyla_2012".
    r"|(?<!\w)(?:insta(?:gram)?|telegram|whatsapp|viber|tiktok|snapchat|skype)\s*[:-]?\s*@?(?=[\w.]*[\d_.])[\w.]{3,}",
)
_PHONE = re.compile(
    r"\+\s*\d(?:[\s().-]*\d){6,}"  # +994 50 123 45 67, +994501234567
    r"|\(\s*\d{2,5}\s*\)\s*\d{2,4}(?:[\s.-]?\d){2,}"  # (012) 498-12-34
    r"|(?<!\d)(?<!\d[.,])\d{3}[\s.-]\d{2}[\s.-]\d{2}(?!\d|[.,]\d)"  # 498-12-34, 498 12 34
)
# A run of digits with one separator a number is written with between them ("050 123 45 67", "050.123.45.67",
# "050/123/45/67"): a phone number once it holds 7 digits or more, unless it is a list of years ("2012-2013",
# "2012 2013 2014") or a date ("06.12.2026", "2026-12-06").
_DIGIT_RUN = re.compile(r"(?<![\d.])\d(?:[ ./_-]?\d)*(?![\d])")
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})|\d{4}[./-]\d{1,2}[./-]\d{1,2}")
_YEARS = re.compile(r"(?:1[89]|20)\d\d(?:[ -](?:1[89]|20)\d\d)*")
PHONE_DIGITS = 7

# --- Named places: the editor's call ---------------------------------------------------------------
_VENUE = re.compile(
    r"(?<!\w)(?:"
    r"schools?|lyceums?|gymnasium|shelters?|orphanages?|children'?s'? homes?|colony|colonies|cent(?:er|re)s?|"
    r"rehabilitation|detention|prisons?|hospitals?|clinics?|institutions?|boarding|camps?|internat|"
    r"məktəb\w*|lisey\w*|gimnaziya\w*|sığınaca\w*|uşaq evi\w*|internat\w*|koloniya\w*|mərkəz\w*|"
    r"reabilitasiya\w*|həbsxana\w*|xəstəxana\w*|düşərgə\w*|"
    r"школ\w*|лице[йяеюи]\w*|гимнази\w*|приют\w*|детск\w* дом\w*|интернат\w*|колони\w*|центр\w*|"
    r"реабилитац\w*|тюрьм\w*|сизо|больниц\w*|лагер\w*"
    r")(?!\w)",
)


@dataclass(frozen=True)
class _Kind:
    """What a pattern finds, in the words of a refusal."""

    pattern: re.Pattern[str]
    what: str
    code: str


_PLACE_WHY = "public text names a city at most, nothing finer, so that no child can be found from it"
_CONTACT_WHY = "public text must never tell how to reach a child or their family"
_KINDS = (
    _Kind(_EMAIL, "an e-mail address", CONTACT_CODE),
    _Kind(_PROFILE, "a social-media handle or profile", CONTACT_CODE),
    _Kind(_MAP_LINK, "a link to a map", PLACE_CODE),
    _Kind(_MAP_CODE, "a map code (a plus code or a what3words address)", PLACE_CODE),
    _Kind(_COORDINATES, "map coordinates", PLACE_CODE),
    _Kind(_PHONE, "a phone number", CONTACT_CODE),
    _Kind(_ADDRESS, "a street address", PLACE_CODE),
    _Kind(_POSTCODE, "a postcode", PLACE_CODE),
)


def check_public_text(field: str, text: str) -> None:
    """Refuse `text` if it seems to hold an address, phone, e-mail, postcode or map point; `field` names
    where it was sent, in the user's words ("title", "subtitles, cue 12")."""
    if BIDI_CONTROLS & set(text):
        raise InvalidRequestError(
            f"The {field} holds characters that change the direction text is shown in: what a reader sees would "
            "not be what was checked. Remove them and send again.",
            HIDDEN_CODE,
        )
    for view in _views(text):
        for kind in _KINDS:
            if kind.pattern.search(view):
                raise _refusal(field, kind.what, kind.code)
        if any(_is_phone(run.group(0)) for run in _DIGIT_RUN.finditer(view)):
            raise _refusal(field, "a phone number", CONTACT_CODE)


# A film's fields that are public text, with their names in a refusal.
FILM_TEXT_FIELDS = {"title": "title", "title_en": "English title", "description": "description", "workshop": "workshop"}


def film_texts(fields: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The public texts among a film's fields (`title`, `title_en`, `description`, `workshop`), each
    with its name in the user's words; the workshop's slug is read as the words it is made of."""
    return [
        (name, fields[field].replace("-", " ") if field == "workshop" else fields[field])
        for field, name in FILM_TEXT_FIELDS.items()
        if isinstance(fields.get(field), str)
    ]


def check_film_texts(fields: Mapping[str, Any]) -> None:
    """Refuse a film's fields if any of its public texts holds what `check_public_text` refuses."""
    for name, text in film_texts(fields):
        check_public_text(name, text)


def venue_warnings(texts: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """One warning naming the words, in any of `(field, text)`, that may name a school, shelter,
    children's home, colony or centre; none when no text does."""
    named = sorted(
        {match.group(0) for _, text in texts for view in _views(text)[:2] for match in _VENUE.finditer(view)}
    )
    if not named:
        return []
    return [
        {
            "code": VENUE_CODE,
            "message": f"The text mentions {', '.join(repr(word) for word in named)}: make sure it names no "
            "school, shelter, children's home, colony or centre where the children can be found.",
        }
    ]


def _is_phone(run: str) -> bool:
    digits = sum(c.isdigit() for c in run)
    return digits >= PHONE_DIGITS and not _YEARS.fullmatch(run) and not _DATE.fullmatch(run)


def _refusal(field: str, what: str, code: str) -> InvalidRequestError:
    why = _PLACE_WHY if code == PLACE_CODE else _CONTACT_WHY
    return InvalidRequestError(
        f"The {field} seems to hold {what}: {why}. Remove it and send again.",
        code,
    )
