"""The demo guidelines: what regional guidelines on international cooperation cover, written
for this project (fictional authorship), in English, Serbian (Latin) and Macedonian.

Conventions are named by their title and article only; no treaty text is copied, and nothing
is said about a real institution beyond what it is. Section keys are stable: questionnaires
cite them ("coop-guidelines#4.2").
"""

from __future__ import annotations

SLUG = "coop-guidelines"
TITLES = {
    "en": (
        "Regional Guidelines on International Cooperation in Trafficking and Smuggling Cases"
        " (demo)",
        "Guidelines",
        "How police officers and prosecutors of the region cooperate across borders in cases of "
        "trafficking in persons and smuggling of migrants: formal mutual legal assistance, "
        "informal police-to-police exchange, and joint investigation teams. Demo content "
        "written for training; it does not replace the treaties or national law it cites.",
    ),
    "sr-latn": (
        "Regionalne smernice o međunarodnoj saradnji u predmetima trgovine ljudima i "
        "krijumčarenja migranata (demo)",
        "Smernice",
        "Kako policijski službenici i tužioci regiona sarađuju preko granica u predmetima "
        "trgovine ljudima i krijumčarenja migranata: formalna međunarodna pravna pomoć, "
        "neformalna policijska razmena i zajednički istražni timovi. Demo sadržaj za obuku.",
    ),
    "mk": (
        "Регионални насоки за меѓународна соработка во случаи на трговија со луѓе и "
        "криумчарење мигранти (демо)",
        "Насоки",
        "Како полициските службеници и обвинителите од регионот соработуваат преку границите: "
        "формална меѓународна правна помош, неформална полициска размена и заеднички "
        "истражни тимови. Демо содржина за обука.",
    ),
}

POLICE, PROSECUTORS, JUDGES = "police", "prosecutors", "judges"
SOCIAL, NGOS, BORDER = "social-workers", "ngos", "border-migration"

# (key, audiences (empty: all), {language: (heading, Markdown body)})
SECTIONS: list[tuple[str, tuple[str, ...], dict[str, tuple[str, str]]]] = [
    (
        "1",
        (),
        {
            "en": (
                "Purpose and use of these guidelines",
                "What practitioners need to cooperate across borders in trafficking in persons "
                "(TIP) and smuggling of migrants (SOM) cases, and how the guidelines are "
                "monitored through a self-assessment questionnaire.",
            ),
            "sr-latn": (
                "Svrha i upotreba smernica",
                "Šta je praktičarima potrebno za prekograničnu saradnju u predmetima "
                "trgovine ljudima i krijumčarenja migranata.",
            ),
            "mk": (
                "Цел и употреба на насоките",
                "Што им е потребно на практичарите за прекугранична соработка.",
            ),
        },
    ),
    (
        "1.1",
        (),
        {
            "en": (
                "Scope: trafficking and smuggling cases",
                "Both crimes usually cross borders. The common framework is the UN Convention "
                "against Transnational Organized Crime (UNTOC) with its **Trafficking in Persons "
                "Protocol** and its **Smuggling of Migrants Protocol**, together with the "
                "Council of Europe and, where they apply, EU instruments.",
            ),
            "sr-latn": (
                "Obuhvat: predmeti trgovine ljudima i krijumčarenja",
                "Zajednički okvir čine Konvencija UN protiv transnacionalnog organizovanog "
                "kriminala (UNTOC) i njena dva protokola, uz instrumente Saveta Evrope.",
            ),
            "mk": (
                "Опфат: случаи на трговија со луѓе и криумчарење",
                "Заедничката рамка е Конвенцијата на ОН против транснационалниот организиран "
                "криминал и нејзините протоколи.",
            ),
        },
    ),
    (
        "1.2",
        (),
        {
            "en": (
                "How to cite these guidelines",
                "Every section has a stable number. Questionnaires, gap analyses and training "
                "cases cite it as *Guidelines §4.3*; the number stays when the text is revised "
                "or translated.",
            ),
            "sr-latn": (
                "Kako citirati smernice",
                "Svaki odeljak ima stalan broj, npr. *Smernice §4.3*, koji se ne menja "
                "izmenom ili prevodom teksta.",
            ),
            "mk": (
                "Како да се цитираат насоките",
                "Секој дел има постојан број, на пр. *Насоки §4.3*.",
            ),
        },
    ),
    (
        "2",
        (PROSECUTORS, JUDGES, POLICE),
        {
            "en": (
                "Mutual legal assistance: principles and preconditions",
                "Formal mutual legal assistance (MLA) is how evidence usable in court, and "
                "coercive measures, are obtained from another State.",
            ),
            "sr-latn": (
                "Međunarodna pravna pomoć: načela i preduslovi",
                "Formalnom međunarodnom pravnom pomoći pribavljaju se dokazi upotrebljivi "
                "pred sudom i prinudne mere u drugoj državi.",
            ),
            "mk": (
                "Меѓународна правна помош: начела и предуслови",
                "Со формална правна помош се прибавуваат докази употребливи пред суд.",
            ),
        },
    ),
    (
        "2.1",
        (PROSECUTORS, JUDGES),
        {
            "en": (
                "Legal bases for mutual legal assistance",
                "UNTOC **Art. 18**; the Council of Europe European Convention on Mutual "
                "Assistance in Criminal Matters of 1959 (ETS 30) and its Second Additional "
                "Protocol (ETS 182); between EU Member States the EU MLA Convention of 2000; "
                "bilateral treaties; and reciprocity under national law where no treaty applies.",
            ),
            "sr-latn": (
                "Pravni osnovi međunarodne pravne pomoći",
                "UNTOC čl. 18; Evropska konvencija o međusobnom pružanju pravne pomoći u "
                "krivičnim stvarima iz 1959. (ETS 30) i njen Drugi dodatni protokol "
                "(ETS 182); bilateralni ugovori; uzajamnost.",
            ),
            "mk": (
                "Правни основи за меѓународна правна помош",
                "УНТОК чл. 18; Европската конвенција за меѓусебна правна помош од 1959 "
                "(ETS 30) и нејзиниот Втор дополнителен протокол (ETS 182).",
            ),
        },
    ),
    (
        "2.2",
        (PROSECUTORS, JUDGES),
        {
            "en": (
                "Dual criminality",
                "Some States assist only when the conduct is an offence in both States. "
                "Describe the **conduct**, not only the name of the offence: the requested "
                "State checks whether the facts would be punishable under its own law. Under "
                "UNTOC Art. 18 the absence of dual criminality may be a ground to decline, "
                "yet a State may still assist at its discretion.",
            ),
            "sr-latn": (
                "Dvostruka kažnjivost",
                "Opišite radnju, ne samo naziv krivičnog dela: zamoljena država proverava "
                "da li bi činjenice bile kažnjive po njenom pravu.",
            ),
            "mk": (
                "Двојна казнивост",
                "Опишете го дејствието, не само називот на кривичното дело.",
            ),
        },
    ),
    (
        "2.3",
        (PROSECUTORS, JUDGES),
        {
            "en": (
                "Speciality: limits on the use of evidence",
                "Evidence received through MLA is used only for the proceedings named in the "
                "request unless the requested State consents (UNTOC Art. 18). Name every "
                "investigation and proceeding for which the evidence may be needed.",
            ),
            "sr-latn": (
                "Specijalnost: granice upotrebe dokaza",
                "Dokazi dobijeni pravnom pomoći koriste se samo u postupku navedenom u "
                "zamolnici, osim uz saglasnost zamoljene države.",
            ),
            "mk": (
                "Специјалност: граници на употребата на докази",
                "Доказите се користат само во постапката наведена во барањето.",
            ),
        },
    ),
    (
        "2.4",
        (PROSECUTORS, JUDGES),
        {
            "en": (
                "Grounds for refusal",
                "Typical grounds: the request does not meet the treaty's conditions; execution "
                "would prejudice sovereignty, security, public order or other essential "
                "interests; for ETS 30 (Art. 2) political or fiscal offences. Bank secrecy is "
                "not a ground under UNTOC Art. 18. A refusal gives its reasons, after "
                "consultation.",
            ),
            "sr-latn": (
                "Razlozi za odbijanje",
                "Suverenitet, bezbednost, javni poredak ili drugi bitni interesi; za "
                "ETS 30 (čl. 2) politička ili fiskalna dela. Bankarska tajna nije razlog "
                "za odbijanje po UNTOC čl. 18.",
            ),
            "mk": (
                "Основи за одбивање",
                "Суверенитет, безбедност, јавен ред; банкарската тајна не е основ за одбивање.",
            ),
        },
    ),
    (
        "2.5",
        (PROSECUTORS, JUDGES),
        {
            "en": (
                "Central authorities",
                "Each State names a central authority to receive, execute or transmit requests "
                "(UNTOC Art. 18). Know yours, the languages and formats it accepts, and keep a "
                "list of counterparts in the neighbouring States.",
            ),
            "sr-latn": (
                "Centralni organi",
                "Svaka država određuje centralni organ za prijem i slanje zamolnica; "
                "poznajte jezike i oblike koje prihvata.",
            ),
            "mk": (
                "Централни органи",
                "Секоја држава определува централен орган за барањата за правна помош.",
            ),
        },
    ),
    (
        "2.6",
        (PROSECUTORS, JUDGES),
        {
            "en": (
                "Direct transmission between judicial authorities",
                "Where ETS 182 **Art. 4** applies, requests may go directly between judicial "
                "authorities; in urgent cases also through INTERPOL. Check each State's "
                "declarations before using a direct channel.",
            ),
            "sr-latn": (
                "Neposredno dostavljanje između pravosudnih organa",
                "Gde se primenjuje čl. 4 ETS 182, zamolnice idu neposredno između "
                "pravosudnih organa; u hitnim slučajevima i preko INTERPOL-a.",
            ),
            "mk": (
                "Непосредно доставување меѓу судските органи",
                "Каде што се применува чл. 4 од ETS 182, барањата одат непосредно.",
            ),
        },
    ),
    (
        "2.7",
        (PROSECUTORS, POLICE),
        {
            "en": (
                "Drafting a request",
                "A request states: the requesting authority and case reference; a summary of "
                "the facts; the offences with their legal text; exactly what is requested "
                "(which bank, account number, types of document, date range); the persons and "
                "witnesses; any procedure to follow; confidentiality; and a deadline. See the "
                "MLA request template in this library.",
            ),
            "sr-latn": (
                "Sastavljanje zamolnice",
                "Organ i broj predmeta; kratak opis činjenica; krivična dela sa tekstom "
                "propisa; tačno šta se traži; lica i svedoci; postupak; poverljivost; rok.",
            ),
            "mk": (
                "Составување барање",
                "Орган и број на предмет, факти, кривични дела, што точно се бара, рок.",
            ),
        },
    ),
    (
        "2.8",
        (PROSECUTORS, JUDGES, POLICE),
        {
            "en": (
                "Urgent requests, spontaneous information and hearings by video",
                "In urgent cases, and where the States agree, a request may be made orally and "
                "confirmed in writing at once (UNTOC Art. 18). Information may be sent "
                "spontaneously, without a request (UNTOC Art. 18; ETS 182 Art. 11). Witnesses "
                "abroad may be heard by videoconference.",
            ),
            "sr-latn": (
                "Hitne zamolnice, spontano dostavljanje informacija i saslušanje putem video veze",
                "U hitnim slučajevima zamolnica može biti usmena uz pismenu potvrdu; "
                "informacije se mogu dostaviti i bez zamolnice (ETS 182 čl. 11).",
            ),
            "mk": (
                "Итни барања, спонтани информации и сослушување преку видео врска",
                "Во итни случаи барањето може да биде усно, со писмена потврда.",
            ),
        },
    ),
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
