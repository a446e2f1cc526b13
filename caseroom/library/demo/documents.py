"""The demo library's other documents: indicator cards, templates, reference cards, handbook
entries, and the national laws of the region listed by kind only (their texts are for each
installation to upload: nothing here claims what a real law says).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..vocab import Country, Kind


@dataclass(frozen=True)
class DemoDocument:
    slug: str
    kind: str
    country: str
    audiences: tuple[str, ...]
    topics: tuple[str, ...]
    source: str
    titles: dict[str, tuple[str, str]]  # language → (title, summary)
    body: str = ""  # English Markdown
    extra: dict[str, str] = field(default_factory=dict)


DEMO = "Caseroom demo content"
ALL_FRONT_LINE = ("police", "border-migration", "labour-inspectors", "social-workers", "ngos")
JUSTICE = ("police", "prosecutors", "judges")

CARDS = [
    DemoDocument(
        "indicators-general",
        Kind.INDICATOR_CARD,
        Country.INTERNATIONAL,
        ALL_FRONT_LINE,
        ("victim-identification", "trafficking"),
        DEMO,
        {
            "en": (
                "General indicators of trafficking in persons",
                "Signs that call for further enquiry; no single indicator proves or excludes "
                "trafficking.",
            ),
            "sr-latn": (
                "Opšti indikatori trgovine ljudima",
                "Znaci koji zahtevaju dalju proveru; nijedan pojedinačni indikator ne "
                "dokazuje niti isključuje trgovinu ljudima.",
            ),
        },
        "- Fear of the authorities or of an employer\n- Signs of trauma\n"
        "- No identity documents and no money of one's own\n- Movement restricted\n"
        "- A debt to someone\n- Moved often between places\n- Little medical care\n\n"
        "*Each sign calls for further questions, never for a conclusion.*",
    ),
    DemoDocument(
        "indicators-forced-labour",
        Kind.INDICATOR_CARD,
        Country.INTERNATIONAL,
        ("police", "labour-inspectors", "ngos"),
        ("victim-identification", "trafficking"),
        "After the ILO indicators of forced labour",
        {
            "en": (
                "Indicators of forced labour",
                "The eleven indicators used by labour inspectors and police, as a checklist.",
            )
        },
        "1. Abuse of vulnerability\n2. Deception\n3. Restriction of movement\n4. Isolation\n"
        "5. Physical and sexual violence\n6. Intimidation and threats\n"
        "7. Retention of identity documents\n8. Withholding of wages\n9. Debt bondage\n"
        "10. Abusive working and living conditions\n11. Excessive overtime",
    ),
    DemoDocument(
        "indicators-sexual-exploitation",
        Kind.INDICATOR_CARD,
        Country.INTERNATIONAL,
        ("police", "social-workers", "ngos"),
        ("victim-identification", "trafficking"),
        DEMO,
        {
            "en": (
                "Indicators of sexual exploitation",
                "Signs seen in venues and online advertising.",
            )
        },
    ),
    DemoDocument(
        "indicators-children",
        Kind.INDICATOR_CARD,
        Country.INTERNATIONAL,
        ("police", "social-workers", "ngos", "border-migration"),
        ("victim-identification", "trafficking"),
        DEMO,
        {
            "en": (
                "Indicators of child trafficking",
                "A child travelling alone or with unrelated adults, kept from school, fed "
                "apart from the family: signs and first steps in the child's best interests.",
            ),
            "sr-latn": (
                "Indikatori trgovine decom",
                "Dete koje putuje samo ili sa odraslima koji mu nisu srodnici: znaci i "
                "prvi koraci u najboljem interesu deteta.",
            ),
        },
    ),
    DemoDocument(
        "indicators-vulnerable-migrants",
        Kind.INDICATOR_CARD,
        Country.INTERNATIONAL,
        ("border-migration", "police", "ngos"),
        ("victim-identification", "smuggling"),
        DEMO,
        {
            "en": (
                "Smuggled migrants in vulnerable situations",
                "When smuggling turns into exploitation: unpayable travel debts, extortion, "
                "violence; who is most at risk.",
            )
        },
    ),
    DemoDocument(
        "mla-request-template",
        Kind.TEMPLATE,
        Country.REGIONAL,
        ("prosecutors", "judges", "police"),
        ("mla",),
        DEMO,
        {
            "en": (
                "Mutual legal assistance request (template)",
                "Headings of a request for mutual legal assistance, to fill in.",
            ),
            "sr-latn": (
                "Zamolnica za međunarodnu pravnu pomoć (obrazac)",
                "Naslovi zamolnice za međunarodnu pravnu pomoć, za popunjavanje.",
            ),
        },
        "## Requesting authority\nName, address, case reference, contact person.\n\n"
        "## Summary of the facts\n\n## Offences\nLegal qualification and the text of the "
        "provisions.\n\n## Assistance requested\nExactly what: the bank, account number, "
        "types of document, date range.\n\n## Persons concerned\nIdentity, location, "
        "nationality where known.\n\n## Procedure to follow\n\n## Confidentiality\n\n"
        "## Deadline and reasons for urgency",
    ),
    DemoDocument(
        "jit-agreement-outline",
        Kind.TEMPLATE,
        Country.REGIONAL,
        ("prosecutors", "police"),
        ("jit",),
        "Outline after the EU model JIT agreement",
        {
            "en": (
                "Joint investigation team agreement (model outline)",
                "The parts of a JIT agreement, in order, with what each must settle.",
            )
        },
        "1. Parties\n2. Purpose\n3. Period and extension\n4. States where the team operates\n"
        "5. Leaders\n6. Members and seconded members\n7. Participation of agencies\n"
        "8. Information and evidence\n9. Costs\n10. Confidentiality and media\n11. Evaluation",
    ),
    DemoDocument(
        "jit-action-plan-outline",
        Kind.TEMPLATE,
        Country.REGIONAL,
        ("prosecutors", "police"),
        ("jit",),
        DEMO,
        {
            "en": (
                "Operational action plan of a JIT (outline)",
                "Objectives, targets, measures, owners, timetable, meetings, channels.",
            )
        },
    ),
    DemoDocument(
        "spontaneous-information-form",
        Kind.TEMPLATE,
        Country.REGIONAL,
        ("police", "prosecutors"),
        ("mla", "informal-exchange"),
        DEMO,
        {
            "en": (
                "Spontaneous transmission of information (form)",
                "Sending information to another State without a request, with the "
                "conditions of its use.",
            )
        },
    ),
    DemoDocument(
        "som-tip-card",
        Kind.REFERENCE_CARD,
        Country.INTERNATIONAL,
        ("police", "prosecutors", "judges", "border-migration", "ngos"),
        ("smuggling", "trafficking"),
        DEMO,
        {
            "en": (
                "Smuggling or trafficking? A comparison card",
                "Consent, relationship, border, profit, who is harmed: how the two crimes "
                "differ, and how one turns into the other.",
            ),
            "sr-latn": (
                "Krijumčarenje ili trgovina ljudima? Uporedna kartica",
                "Pristanak, odnos, granica, dobit: kako se ta dva krivična dela razlikuju.",
            ),
        },
        "| | Smuggling | Trafficking |\n|---|---|---|\n"
        "| Consent | The migrant agrees to be moved | Never given, or vitiated |\n"
        "| Relationship | Ends on arrival | Exploitation continues |\n"
        "| Border | Always crossed | Not necessarily |\n"
        "| Profit | Fee for the journey | Proceeds of exploitation |",
    ),
    DemoDocument(
        "untoc-cooperation-card",
        Kind.REFERENCE_CARD,
        Country.INTERNATIONAL,
        JUSTICE,
        ("mla", "jit", "informal-exchange"),
        DEMO,
        {
            "en": (
                "UNTOC articles on international cooperation",
                "Where to look: Art. 18 mutual legal assistance, Art. 19 joint "
                "investigations, Art. 20 special investigative techniques, Art. 27 "
                "law-enforcement cooperation.",
            )
        },
    ),
    DemoDocument(
        "cooperation-channels-card",
        Kind.REFERENCE_CARD,
        Country.REGIONAL,
        ("police", "border-migration"),
        ("informal-exchange",),
        DEMO,
        {
            "en": (
                "Channels of police cooperation in the region",
                "INTERPOL, Europol, SELEC, liaison officers and the Police Cooperation "
                "Convention for Southeast Europe: what each is for.",
            ),
            "mk": (
                "Канали на полициска соработка во регионот",
                "ИНТЕРПОЛ, Европол, SELEC, офицери за врска: за што служи секој.",
            ),
        },
    ),
    DemoDocument(
        "interview-principles-card",
        Kind.REFERENCE_CARD,
        Country.INTERNATIONAL,
        ("police", "social-workers", "ngos", "labour-inspectors"),
        ("victim-protection",),
        "After WHO ethical and safety recommendations (2003)",
        {
            "en": (
                "Interviewing a presumed victim: ten principles",
                "Do no harm, prepare referral information, choose interpreters carefully, "
                "informed consent, no re-traumatisation.",
            )
        },
    ),
    DemoDocument(
        "financial-investigation-card",
        Kind.REFERENCE_CARD,
        Country.INTERNATIONAL,
        ("police", "prosecutors"),
        ("financial-investigation", "smuggling"),
        DEMO,
        {
            "en": (
                "Following the money in smuggling cases",
                "Money transfers and hawala records, cash, phones and cards, vehicles, "
                "business fronts; estimating proceeds leg by leg.",
            )
        },
    ),
    DemoDocument(
        "nrm-handbook-entry",
        Kind.HANDBOOK,
        Country.INTERNATIONAL,
        ("social-workers", "ngos", "police"),
        ("victim-protection", "victim-identification"),
        "OSCE/ODIHR, National Referral Mechanisms handbook, 2nd edition (2022)",
        {
            "en": (
                "National referral mechanisms (handbook reference)",
                "Reference entry: the handbook's text is not included; upload it where its "
                "licence allows.",
            )
        },
    ),
    DemoDocument(
        "jit-practical-guide-entry",
        Kind.HANDBOOK,
        Country.INTERNATIONAL,
        ("prosecutors", "police"),
        ("jit",),
        "Joint Investigation Teams Practical Guide (2017)",
        {
            "en": (
                "Joint investigation teams: practical guide (reference)",
                "Reference entry: the guide's text is not included.",
            )
        },
    ),
]

LAW_PLACES = (
    (Country.AL, "sq"),
    (Country.BA, "bs"),
    (Country.HR, "hr"),
    (Country.XK, "sq"),
    (Country.ME, "cnr"),
    (Country.MK, "mk"),
    (Country.RS, "sr-latn"),
)
LAW_KINDS = (
    (
        "criminal-code",
        "Criminal Code (national text to be uploaded)",
        "Krivični zakonik (nacionalni tekst će biti dodat)",
        ("smuggling", "trafficking", "legislation"),
    ),
    (
        "criminal-procedure-code",
        "Criminal Procedure Code (national text to be uploaded)",
        "Zakonik o krivičnom postupku (nacionalni tekst će biti dodat)",
        ("evidence", "legislation"),
    ),
)


def laws() -> list[DemoDocument]:
    found = []
    for country, _language in LAW_PLACES:
        for slug, title, title_sr, topics in LAW_KINDS:
            titles = {"en": (title, "Placeholder for the national text: upload it here.")}
            if country in (Country.RS, Country.BA, Country.ME):
                titles["sr-latn"] = (title_sr, "Mesto za nacionalni tekst.")
            found.append(
                DemoDocument(
                    f"{slug}-{country.value.lower()}",
                    Kind.LAW,
                    country,
                    JUSTICE,
                    topics,
                    "National legislation",
                    titles,
                )
            )
    return found


def documents() -> list[DemoDocument]:
    return CARDS + laws()
