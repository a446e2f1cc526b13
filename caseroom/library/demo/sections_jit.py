"""Demo guidelines, parts 4 and 5: joint investigation teams; victims and witnesses."""

from __future__ import annotations

from .audiences import BORDER, JUDGES, NGOS, POLICE, PROSECUTORS, SOCIAL

SECTIONS: list[tuple[str, tuple[str, ...], dict[str, tuple[str, str]]]] = [
    (
        "4",
        (POLICE, PROSECUTORS),
        {
            "en": (
                "Joint investigation teams step by step",
                "When a joint investigation team (JIT) is worth it, and how to set one up, run "
                "it and close it.",
            ),
            "sr-latn": (
                "Zajednički istražni timovi korak po korak",
                "Kada je zajednički istražni tim opravdan i kako se osniva, vodi i zatvara.",
            ),
            "mk": (
                "Заеднички истражни тимови чекор по чекор",
                "Кога е оправдан заеднички истражен тим и како се формира.",
            ),
        },
    ),
    (
        "4.1",
        (POLICE, PROSECUTORS),
        {
            "en": (
                "Legal bases for joint investigation teams",
                "UNTOC **Art. 19** (joint investigative bodies, by agreement or case by case); "
                "ETS 182 **Art. 20**; between EU Member States the EU MLA Convention of 2000 "
                "**Art. 13** and Framework Decision **2002/465/JHA**; bilateral agreements and "
                "national law. The EU model JIT agreement may be used with third States too.",
            ),
            "sr-latn": (
                "Pravni osnovi zajedničkih istražnih timova",
                "UNTOC čl. 19; ETS 182 čl. 20; Konvencija EU o pravnoj pomoći iz 2000. "
                "čl. 13 i Okvirna odluka 2002/465/JHA.",
            ),
            "mk": (
                "Правни основи за заеднички истражни тимови",
                "УНТОК чл. 19; ETS 182 чл. 20; Конвенцијата на ЕУ од 2000 чл. 13.",
            ),
        },
    ),
    (
        "4.2",
        (POLICE, PROSECUTORS),
        {
            "en": (
                "Need assessment: when a JIT adds value",
                "A JIT suits complex investigations with links in two or more States that need "
                "coordinated action, where at least one State investigates and the partners "
                "can commit people and time. Consider simpler tools first.",
            ),
            "sr-latn": (
                "Procena potrebe: kada tim donosi dodatnu vrednost",
                "Tim je pogodan za složene istrage sa vezama u dve ili više država kojima "
                "je potrebno usklađeno delovanje.",
            ),
            "mk": (
                "Проценка на потребата: кога тимот носи додадена вредност",
                "Тимот е погоден за сложени истраги со врски во две или повеќе држави.",
            ),
        },
    ),
    (
        "4.3",
        (POLICE, PROSECUTORS),
        {
            "en": (
                "The JIT agreement",
                "Parties, purpose, period and its extension, the leader in each State, members "
                "and seconded members, participation of agencies, use of information and "
                "evidence, costs, confidentiality, media, and evaluation. See the JIT agreement "
                "outline in this library.",
            ),
            "sr-latn": (
                "Sporazum o zajedničkom istražnom timu",
                "Strane, svrha, trajanje, rukovodilac u svakoj državi, članovi, upotreba "
                "dokaza, troškovi, poverljivost, evaluacija.",
            ),
            "mk": (
                "Договор за заеднички истражен тим",
                "Страни, цел, времетраење, раководител, членови, употреба на докази.",
            ),
        },
    ),
    (
        "4.4",
        (POLICE, PROSECUTORS),
        {
            "en": (
                "Operational action plan",
                "A confidential plan beside the agreement: objectives, targets, measures and "
                "who carries them out, timetable, coordination meetings, channels, and the "
                "handling of victims and witnesses; kept up to date as the case develops.",
            ),
            "sr-latn": (
                "Operativni akcioni plan",
                "Poverljiv plan uz sporazum: ciljevi, mere i nosioci, rokovi, "
                "koordinacioni sastanci, postupanje sa žrtvama i svedocima.",
            ),
            "mk": (
                "Оперативен акциски план",
                "Доверлив план покрај договорот: цели, мерки, рокови, координација.",
            ),
        },
    ),
    (
        "4.5",
        (POLICE, PROSECUTORS, JUDGES),
        {
            "en": (
                "Evidence gathering and admissibility",
                "A JIT acts under the law of the State where it operates. Agree in advance how "
                "evidence gathered in one State will be used in the other's court, keep the "
                "chain of custody, and mind each State's disclosure rules.",
            ),
            "sr-latn": (
                "Prikupljanje dokaza i njihova prihvatljivost",
                "Tim deluje po pravu države u kojoj postupa; unapred se dogovorite o "
                "upotrebi dokaza pred sudom druge države.",
            ),
            "mk": (
                "Собирање докази и нивна прифатливост",
                "Тимот дејствува според правото на државата во која постапува.",
            ),
        },
    ),
    (
        "4.6",
        (POLICE, PROSECUTORS),
        {
            "en": (
                "Closing and evaluation",
                "Close the team formally when its purpose is met or its period ends; agree how "
                "information may be used afterwards; evaluate together what worked, what got "
                "in the way, and what the next team should do differently.",
            ),
            "sr-latn": (
                "Zatvaranje i evaluacija",
                "Tim se formalno zatvara; zajednički se procenjuje šta je uspelo, a šta "
                "je smetalo.",
            ),
            "mk": (
                "Затворање и евалуација",
                "Тимот формално се затвора и заеднички се оценува работата.",
            ),
        },
    ),
    (
        "5",
        (POLICE, PROSECUTORS, SOCIAL, NGOS),
        {
            "en": (
                "Victims and witnesses across borders",
                "Protection and assistance when a case and its victims or witnesses span "
                "several States.",
            ),
            "sr-latn": (
                "Žrtve i svedoci preko granica",
                "Zaštita i pomoć kada predmet, žrtve ili svedoci obuhvataju više država.",
            ),
            "mk": (
                "Жртви и сведоци преку границите",
                "Заштита и помош кога случајот опфаќа повеќе држави.",
            ),
        },
    ),
    (
        "5.1",
        (POLICE, PROSECUTORS, SOCIAL, NGOS),
        {
            "en": (
                "Protecting victims and witnesses in cross-border cases",
                "UNTOC **Art. 24** (witnesses) and **Art. 25** (victims); the Trafficking in "
                "Persons Protocol **Art. 6**; the Council of Europe Convention on Action "
                "against Trafficking in Human Beings (CETS 197), including the recovery and "
                "reflection period. Coordinate protection before any operational action; a "
                "hearing by video link spares a victim the journey.",
            ),
            "sr-latn": (
                "Zaštita žrtava i svedoka u prekograničnim predmetima",
                "UNTOC čl. 24 i 25; Protokol o trgovini ljudima čl. 6; Konvencija Saveta "
                "Evrope (CETS 197). Zaštitu uskladite pre operativnih radnji.",
            ),
            "mk": (
                "Заштита на жртви и сведоци во прекугранични случаи",
                "УНТОК чл. 24 и 25; Протоколот за трговија со луѓе чл. 6; CETS 197.",
            ),
        },
    ),
    (
        "5.2",
        (POLICE, PROSECUTORS, BORDER),
        {
            "en": (
                "Smuggled migrants as witnesses",
                "The Smuggling of Migrants Protocol (**Art. 5**) keeps migrants from criminal "
                "liability under the Protocol for having been smuggled, and **Art. 16** asks "
                "for protection and assistance. They are often the key witnesses: take "
                "statements early, in a language they understand, before they move on.",
            ),
            "sr-latn": (
                "Krijumčareni migranti kao svedoci",
                "Protokol o krijumčarenju migranata (čl. 5 i 16). Izjave uzmite rano, na "
                "jeziku koji razumeju, pre nego što nastave put.",
            ),
            "mk": (
                "Криумчарени мигранти како сведоци",
                "Протоколот за криумчарење мигранти (чл. 5 и 16). Изјавите земете ги рано.",
            ),
        },
    ),
]
