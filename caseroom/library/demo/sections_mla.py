"""Demo guidelines, parts 1 and 2: purpose, and mutual legal assistance."""

from __future__ import annotations

from .audiences import JUDGES, POLICE, PROSECUTORS

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
]
