"""The demo guidelines: what regional guidelines on international cooperation cover, written
for this project (fictional authorship), in English, Serbian (Latin) and Macedonian.

Conventions are named by their title and article only; no treaty text is copied, and nothing
is said about a real institution beyond what it is. Section keys are stable: questionnaires
cite them ("coop-guidelines#4.2").
"""

from __future__ import annotations

from . import sections_exchange, sections_jit, sections_mla

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


# (key, audiences (empty: all), {language: (heading, Markdown body)}), in order.
SECTIONS = sections_mla.SECTIONS + sections_exchange.SECTIONS + sections_jit.SECTIONS
