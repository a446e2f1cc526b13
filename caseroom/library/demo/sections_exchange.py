"""Demo guidelines, part 3: informal exchange of criminal intelligence."""

from __future__ import annotations

from .audiences import BORDER, POLICE, PROSECUTORS

SECTIONS: list[tuple[str, tuple[str, ...], dict[str, tuple[str, str]]]] = [
    (
        "3",
        (POLICE, BORDER),
        {
            "en": (
                "Informal exchange of criminal intelligence",
                "Police-to-police channels for information that does not need to be evidence "
                "in court, and how it leads to a precise formal request.",
            ),
            "sr-latn": (
                "Neformalna razmena kriminalističko-obaveštajnih podataka",
                "Policijski kanali za podatke koji ne moraju biti dokaz pred sudom.",
            ),
            "mk": (
                "Неформална размена на криминалистичко-разузнавачки податоци",
                "Полициски канали за податоци што не мора да бидат доказ пред суд.",
            ),
        },
    ),
    (
        "3.1",
        (POLICE, BORDER),
        {
            "en": (
                "Informal before formal",
                "Checking a phone number, a vehicle, a record or travel movements is faster "
                "police to police. It prepares a precise MLA request; it does not replace one "
                "where evidence for court or coercive measures are needed. UNTOC **Art. 27** "
                "asks States to cooperate closely in law enforcement, including channels of "
                "communication and exchange of information.",
            ),
            "sr-latn": (
                "Prvo neformalno, zatim formalno",
                "Neformalna razmena priprema preciznu zamolnicu, ali je ne zamenjuje kada "
                "su potrebni dokazi ili prinudne mere (UNTOC čl. 27).",
            ),
            "mk": (
                "Прво неформално, потоа формално",
                "Неформалната размена подготвува прецизно барање (УНТОК чл. 27).",
            ),
        },
    ),
    (
        "3.2",
        (POLICE, BORDER),
        {
            "en": (
                "INTERPOL",
                "Every State of the region has a National Central Bureau. Use it for identity "
                "and document checks of suspects, notices, and urgent requests.",
            ),
            "sr-latn": (
                "INTERPOL",
                "Nacionalni centralni biro postoji u svakoj državi regiona: provere "
                "identiteta i dokumenata, poternice, hitni zahtevi.",
            ),
            "mk": ("ИНТЕРПОЛ", "Национално централно биро постои во секоја држава од регионот."),
        },
    ),
    (
        "3.3",
        (POLICE, BORDER),
        {
            "en": (
                "Europol",
                "The EU agency works with non-EU partners under agreements: secure messaging "
                "(SIENA), the European Migrant Smuggling Centre, operational task forces on "
                "the route. Know your national contact point.",
            ),
            "sr-latn": (
                "Evropol",
                "Agencija EU sarađuje sa partnerima van EU: bezbedna razmena poruka "
                "(SIENA), Evropski centar za borbu protiv krijumčarenja migranata.",
            ),
            "mk": ("Европол", "Агенцијата на ЕУ соработува со партнери надвор од ЕУ (SIENA)."),
        },
    ),
    (
        "3.4",
        (POLICE, BORDER, PROSECUTORS),
        {
            "en": (
                "SELEC",
                "The Southeast European Law Enforcement Center supports information exchange "
                "and joint operations of its member States, with a task force on trafficking "
                "and smuggling and an associated network of prosecutors.",
            ),
            "sr-latn": (
                "SELEC",
                "Centar za sprovođenje zakona u Jugoistočnoj Evropi podržava razmenu "
                "informacija i zajedničke operacije država članica.",
            ),
            "mk": (
                "SELEC",
                "Центарот за спроведување на законот во Југоисточна Европа поддржува размена.",
            ),
        },
    ),
    (
        "3.5",
        (POLICE,),
        {
            "en": (
                "Liaison officers",
                "Police liaison officers posted abroad, and foreign ones posted in your "
                "capital, speed up contacts and explain procedures. Know who covers your "
                "State and how to reach them.",
            ),
            "sr-latn": (
                "Oficiri za vezu",
                "Oficiri za vezu ubrzavaju kontakte i objašnjavaju postupke.",
            ),
            "mk": ("Офицери за врска", "Офицерите за врска ги забрзуваат контактите."),
        },
    ),
    (
        "3.6",
        (POLICE, BORDER),
        {
            "en": (
                "The Police Cooperation Convention for Southeast Europe",
                "Signed in Vienna in 2006, it provides its Parties with tools such as "
                "information exchange, cross-border surveillance, controlled delivery, hot "
                "pursuit, joint patrols and common centres. Check the bilateral arrangements "
                "that implement it between your State and the other.",
            ),
            "sr-latn": (
                "Konvencija o policijskoj saradnji u Jugoistočnoj Evropi",
                "Potpisana u Beču 2006: razmena informacija, prekogranično praćenje, "
                "kontrolisane isporuke, zajedničke patrole.",
            ),
            "mk": (
                "Конвенција за полициска соработка во Југоисточна Европа",
                "Потпишана во Виена 2006: размена на информации, прекугранично следење.",
            ),
        },
    ),
    (
        "3.7",
        (POLICE, PROSECUTORS),
        {
            "en": (
                "From intelligence to evidence",
                "Information received informally may not be admissible in court. Agree early "
                "with the prosecutor what must be obtained formally; record the source and any "
                "conditions of use set by the State that sent it.",
            ),
            "sr-latn": (
                "Od obaveštajnog podatka do dokaza",
                "Neformalno dobijeni podaci možda nisu prihvatljivi pred sudom: "
                "dogovorite se rano sa tužiocem šta se pribavlja formalno.",
            ),
            "mk": (
                "Од разузнавачки податок до доказ",
                "Неформално добиените податоци можеби не се прифатливи пред суд.",
            ),
        },
    ),
]
