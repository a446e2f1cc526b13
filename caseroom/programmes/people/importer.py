"""A registration list checked row by row before anything is written.

`check(table, countries=…)` finds the header row (one of the first ten rows with data that
names both a given and a family name column), recognises each column under English,
Serbian, Macedonian or Albanian names, and checks every row: required names and agency,
lengths, a known country, sex F/M/X or blank, a valid e-mail, a phone made of digits, the
same person twice in the file. Every problem names the spreadsheet's row number and column,
so a manager can fix the file and upload it again; `plan.py` then matches the rows to the
registry and `actions.import_people` writes all of it or nothing. No database here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseroom.programmes.models import COUNTRIES, Enrolment

from .names import email_key, match_key, plain
from .sheets import Table

__all__ = ["FIELDS", "Checked", "Column", "Incoming", "Problem", "check", "column_letter"]

HEADER_SEARCH_ROWS = 10
MAX_PROBLEMS = 200  # a file with every row wrong makes its point in the first 200

# Each field with the header names it is recognised by, compared after `names.plain`
# (lower case, no accents, Cyrillic in Latin), so "Презиме" is listed as "prezime".
SYNONYMS: dict[str, tuple[str, ...]] = {
    "given_name": (
        "given name", "first name", "forename", "given names", "first names",
        "ime", "emri", "emer",
    ),
    "family_name": (
        "family name", "last name", "surname", "family names", "last names",
        "prezime", "mbiemri", "mbiemer", "familija",
    ),
    "agency": (
        "agency", "institution", "organisation", "organization", "employer", "body",
        "institucija", "ustanova", "organizacija", "agencija", "organ",
        "institucioni", "agjencia", "organizata", "punedhenesi",
    ),
    "unit": (
        "unit", "sector", "department", "unit or sector", "service",
        "jedinica", "sektor", "odeljenje", "odjel", "oddelenie", "edinica", "sluzba",
        "njesia", "sektori", "departamenti",
    ),
    "function": (
        "function", "position", "rank", "job title", "function or rank", "post",
        "funkcija", "pozicija", "zvanje", "cin", "radno mesto", "rabotno mesto",
        "funksioni", "pozita", "grada",
    ),
    "country": ("country", "drzava", "zemlja", "zemja", "shteti", "vendi"),
    "sex": ("sex", "gender", "pol", "spol", "gjinia"),
    "email": (
        "email", "e mail", "mail", "email address", "e mail address",
        "e posta", "imejl", "elektronska posta", "adresa e postes",
    ),
    "phone": (
        "phone", "telephone", "mobile", "tel", "mobile phone", "phone number",
        "telefon", "mobilni", "mobilen", "telefoni", "celular",
    ),
    "role": ("role", "uloga", "roli", "uloga na obuci"),
    # Recognised only to say what to do: which part is the family name is not guessed.
    "full_name": (
        "full name", "name and surname", "first and last name", "name surname",
        "ime i prezime", "ime prezime", "prezime i ime", "emri dhe mbiemri", "emri mbiemri",
    ),
}  # fmt: skip
FIELDS: dict[str, object] = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "agency": gettext_lazy("Agency"),
    "unit": gettext_lazy("Unit or sector"),
    "function": gettext_lazy("Function or rank"),
    "country": gettext_lazy("Country"),
    "sex": gettext_lazy("Sex"),
    "email": gettext_lazy("E-mail"),
    "phone": gettext_lazy("Phone"),
    "role": gettext_lazy("Role in the session"),
    "full_name": gettext_lazy("Full name"),
}
MAX_LENGTH = {
    "given_name": 100, "family_name": 100, "agency": 150, "unit": 150, "function": 150,
    "email": 254, "phone": 40, "country": 60, "sex": 20, "role": 40,
}  # fmt: skip
_LOOKUP = {name: key for key, names in SYNONYMS.items() for name in names}

SEXES = {
    "f": "F", "female": "F", "woman": "F", "z": "F", "zensko": "F", "zenski": "F", "zena": "F",
    "femer": "F", "femre": "F",
    "m": "M", "male": "M", "man": "M", "musko": "M", "muski": "M", "masko": "M", "maski": "M",
    "mashkull": "M",
    "x": "X", "other": "X", "drugo": "X", "tjeter": "X",
}  # fmt: skip
ROLES = {
    "participant": Enrolment.Role.PARTICIPANT, "ucesnik": Enrolment.Role.PARTICIPANT,
    "ucesnica": Enrolment.Role.PARTICIPANT, "polaznik": Enrolment.Role.PARTICIPANT,
    "polaznica": Enrolment.Role.PARTICIPANT, "pjesemarres": Enrolment.Role.PARTICIPANT,
    "trainer": Enrolment.Role.TRAINER, "trener": Enrolment.Role.TRAINER,
    "trenerka": Enrolment.Role.TRAINER, "trajner": Enrolment.Role.TRAINER,
    "predavac": Enrolment.Role.TRAINER, "obucavac": Enrolment.Role.TRAINER,
}  # fmt: skip
# Country names as people write them, beside the codes of programmes.COUNTRIES.
COUNTRY_NAMES = {
    "albania": "AL", "shqiperia": "AL", "shqiperi": "AL", "albanija": "AL",
    "bosnia and herzegovina": "BA", "bosnia": "BA", "bih": "BA", "bosna i hercegovina": "BA",
    "croatia": "HR", "hrvatska": "HR", "hrvatija": "HR", "kroacia": "HR",
    "kosovo": "XK", "kosova": "XK", "kosove": "XK", "kosovo*": "XK",
    "montenegro": "ME", "crna gora": "ME", "mali i zi": "ME",
    "north macedonia": "MK", "macedonia": "MK", "makedonija": "MK", "severna makedonija": "MK",
    "maqedonia e veriut": "MK", "maqedonia": "MK",
    "serbia": "RS", "srbija": "RS", "serbia e": "RS", "serbija": "RS",
}  # fmt: skip
_PHONE = re.compile(r"^[0-9 +()/.\-]+$")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as the spreadsheet shows it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Column:
    index: int
    letter: str
    header: str
    field: str  # "" when the column is not read
    label: str  # the field's name as shown, or why it is not read


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet's row number; 0 for the file as a whole
    column: str  # "C (E-mail)", or "" for the whole row
    message: str


@dataclass(frozen=True)
class Incoming:
    """One checked row, ready to be written."""

    row: int
    given_name: str
    family_name: str
    agency: str
    unit: str
    function: str
    country: str
    sex: str
    email: str
    phone: str
    role: str

    @property
    def match_key(self) -> str:
        return match_key(self.given_name, self.family_name)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class Checked:
    columns: tuple[Column, ...]
    rows: tuple[Incoming, ...]
    problems: tuple[Problem, ...]
    more_problems: int = 0  # beyond MAX_PROBLEMS
    header_row: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def check(table: Table, *, countries: Iterable[str] = (), default_country: str = "") -> Checked:
    """Every row of `table` checked; `countries` adds codes to programmes.COUNTRIES'."""
    notes = (table.note,) if table.note else ()
    found = _header(table)
    if isinstance(found, str):
        return Checked(columns=(), rows=(), problems=(Problem(0, "", found),), notes=notes)
    header_row, header = found
    columns = _columns(header)
    where = {c.field: c.index for c in columns if c.field and c.field != "full_name"}
    known = {code for code, _label in COUNTRIES} | {c.upper() for c in countries}
    rows: list[Incoming] = []
    problems: list[Problem] = []
    if "country" not in where and not default_country:
        problems.append(Problem(0, "", _("There is no country column: add one.")))
    if "agency" not in where:
        problems.append(Problem(0, "", _("There is no agency column: add one.")))
    seen_keys: dict[tuple[str, str, str], int] = {}
    seen_emails: dict[str, int] = {}
    for number, cells in table.rows:
        if number <= header_row:
            continue
        values = {f: (cells[i].strip() if i < len(cells) else "") for f, i in where.items()}
        row_problems, incoming = _check_row(number, values, where, known, default_country)
        if incoming is not None:
            key = (incoming.match_key, incoming.country, plain(incoming.agency))
            twin = seen_keys.get(key) or (
                seen_emails.get(email_key(incoming.email)) if incoming.email else None
            )
            if twin is not None:
                row_problems.append(
                    Problem(number, "", _("the same person as row %(n)d") % {"n": twin})
                )
            else:
                seen_keys[key] = number
                if incoming.email:
                    seen_emails[email_key(incoming.email)] = number
                rows.append(incoming)
        problems += row_problems
    if not rows and not problems:
        problems.append(Problem(0, "", _("The list has a header row but no one under it.")))
    return Checked(
        columns=tuple(columns),
        rows=tuple(rows),
        problems=tuple(problems[:MAX_PROBLEMS]),
        more_problems=max(0, len(problems) - MAX_PROBLEMS),
        header_row=header_row,
        notes=notes,
    )


def _header(table: Table) -> tuple[int, tuple[str, ...]] | str:
    """The header row and its cells, or what to tell the manager."""
    for number, cells in table.rows[:HEADER_SEARCH_ROWS]:
        fields = {_recognise(cell) for cell in cells}
        if {"given_name", "family_name"} <= fields:
            return number, cells
        if "full_name" in fields:
            return _(
                "Row %(n)d has one column for the whole name: split it into a given name "
                "column and a family name column (the list cannot tell which part is which)."
            ) % {"n": number}
    return _(
        "No header row found in the first %(n)d rows: the list needs columns named like "
        '"Given name" and "Family name" (or "Ime", "Prezime"; "Emri", "Mbiemri").'
    ) % {"n": HEADER_SEARCH_ROWS}


def _recognise(header: str) -> str:
    key = plain(header)
    if key in _LOOKUP:
        return _LOOKUP[key]
    # "Phone number (mobile)", "E-mail address": the longest known name the header begins with.
    words = key.split()
    for length in range(len(words) - 1, 0, -1):
        found = _LOOKUP.get(" ".join(words[:length]))
        if found:
            return found
    return ""


def _columns(header: tuple[str, ...]) -> list[Column]:
    columns: list[Column] = []
    taken: set[str] = set()
    for index, text in enumerate(header):
        found = _recognise(text)
        letter = column_letter(index)
        if not text.strip():
            continue
        if not found or found == "full_name":
            columns.append(Column(index, letter, text, "", _("not read")))
        elif found in taken:
            why = _("not read: an earlier column is the %(f)s") % {"f": FIELDS[found]}
            columns.append(Column(index, letter, text, "", why))
        else:
            taken.add(found)
            columns.append(Column(index, letter, text, found, str(FIELDS[found])))
    return columns


def _check_row(
    number: int,
    values: Mapping[str, str],
    where: Mapping[str, int],
    known: set[str],
    default_country: str,
) -> tuple[list[Problem], Incoming | None]:
    problems: list[Problem] = []

    def problem(field_name: str, message: str) -> None:
        letter = column_letter(where[field_name]) if field_name in where else ""
        label = f"{letter} ({FIELDS[field_name]})" if letter else str(FIELDS[field_name])
        problems.append(Problem(number, label, message))

    clean: dict[str, str] = {}
    for name, limit in MAX_LENGTH.items():
        value = values.get(name, "")
        if len(value) > limit:
            problem(name, _("longer than %(n)d characters") % {"n": limit})
        clean[name] = value
    for name, message in (
        ("given_name", _("the given name is missing")),
        ("family_name", _("the family name is missing")),
        ("agency", _("the agency is missing")),
    ):
        if name in where and not clean[name]:
            problem(name, message)
    country = _country(clean["country"], known) if clean["country"] else default_country
    if not country and "country" in where:
        problem(
            "country",
            _("the country is missing")
            if not clean["country"]
            else _('unknown country "%(c)s"') % {"c": clean["country"][:60]},
        )
    sex = SEXES.get(plain(clean["sex"])) if clean["sex"] else ""
    if sex is None:
        problem(
            "sex",
            _('the sex must be F, M, X or left blank, not "%(s)s"') % {"s": clean["sex"][:20]},
        )
    email = clean["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problem("email", _("not a valid e-mail address"))
    phone = clean["phone"]
    if phone and (not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 6):
        problem("phone", _("a phone number has digits (at least 6), spaces and + ( ) / . - only"))
    role = ROLES.get(plain(clean["role"])) if clean["role"] else Enrolment.Role.PARTICIPANT
    if role is None:
        problem("role", _("the role must be participant or trainer"))
    if problems:
        return problems, None
    return problems, Incoming(
        row=number,
        given_name=clean["given_name"],
        family_name=clean["family_name"],
        agency=clean["agency"],
        unit=clean["unit"],
        function=clean["function"],
        country=country,
        sex=sex or "",
        email=email,
        phone=phone,
        role=str(role),
    )


def _country(text: str, known: set[str]) -> str:
    upper = text.strip().upper()
    if upper in known:
        return upper
    return COUNTRY_NAMES.get(plain(text), "")
