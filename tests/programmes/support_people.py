"""Helpers for the people registry's tests: people made in bulk, files built in memory."""

from __future__ import annotations

import io
import random
from collections.abc import Sequence

from openpyxl import Workbook

from caseroom.programmes.models import Person, Programme
from caseroom.programmes.people.names import match_key


def _words(text: str) -> list[str]:
    return text.split()


# Roots and endings give about 1,700 family names, as a region's registry of 50,000 has.
ROOTS = _words(
    "Petr Jovan Nikol Mark Đorđ Stojan Il Stank Pavl Miloš Trajk Dimitr Georgi Rist Angel "
    "Kovač Bab Mar Jur Vuk Knež Pop Luk Mitr Sav Del Hadž Beg Mehmed Hodž Salih Omer Zuk Kurt "
    "Kar Todor Stev Milut Radov Bogdan Dragan Vas Mil Lazar Tom Ant Bož Đur Pejč Gaj Krst Rad"
)
ENDINGS = [*_words("ović ević ić ovski ovska evski evska ov ova in ina ač aj iqi ani"), ""]
ALBANIAN = _words(
    "Hoxha Krasniqi Berisha Gashi Shala Morina Kelmendi Bytyqi Rama Lleshi Çela Dervishi "
    "Hasani Ahmeti Rexhepi Osmani Ismaili Aliu Mustafa Zeka Kastrati Shehu Dushi Musliu"
)
FAMILY = [root + ending for root in ROOTS for ending in ENDINGS] + ALBANIAN
GIVEN = _words(
    "Ivana Jelena Marija Ana Milica Jovana Aleksandra Tijana Elena Biljana Arbëresha Drita "
    "Marko Nikola Stefan Aleksandar Milan Dragan Goran Zoran Igor Vladimir Arben Blerim Besnik "
    "Ilir Fatmir Driton Emir Amir Haris Senad Elvir Ivan Luka Josip Mateo Petar Filip Dimitar "
    "Vesna Snežana Gordana Dragana Maja Sanja Nataša Suzana Violeta Valentina Teuta Vjosa Lirije "
    "Bekim Agron Valon Shpend Liridon Dardan Nenad Dejan Saša Vladan Predrag Bojan Darko Željko "
    "Dušan Miroslav Slobodan Branislav Vesel Kiril Ljupčo Zlatko Hristijan Gjorgji Atanas Blagoj "
    "Irena Katerina Marina Natalija Olivera Radmila Slavica Tatjana Vera Zorica Lejla Amra Selma"
)
AGENCIES = (
    "Border Police",
    "Crime Police",
    "Public Prosecution",
    "Ministry of Interior",
    "Labour Inspectorate",
    "Centre for Social Work",
    "Reception Centre",
    "Customs",
)
COUNTRIES = ("AL", "BA", "HR", "XK", "ME", "MK", "RS")


def generated(programme: Programme, n: int, *, seed: int = 1) -> list[Person]:
    """`n` unsaved people with the region's names, surnames drawn unevenly (a few are very
    common, as in life), half with an e-mail, and about 1 % typed twice with a slip."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(FAMILY))]
    people: list[Person] = []
    for i in range(n):
        if people and rng.random() < 0.01:
            twin = rng.choice(people)
            given = twin.given_name[:-1] + rng.choice("aeio")
            family, agency, country = twin.family_name, twin.agency, twin.country
        else:
            given = rng.choice(GIVEN)
            family = rng.choices(FAMILY, weights)[0]
            agency, country = rng.choice(AGENCIES), rng.choice(COUNTRIES)
        people.append(
            Person(
                programme=programme,
                given_name=given,
                family_name=family,
                agency=agency,
                country=country,
                email=f"p{i}@example.org" if rng.random() < 0.5 else "",
                phone=f"+381 6{rng.randrange(10)} {rng.randrange(10**7):07d}"
                if rng.random() < 0.3
                else "",
                match_key=match_key(given, family),
            )
        )
    return people


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)
