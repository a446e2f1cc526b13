"""The demo JIT expert network `make run` loads: fourteen fictional experts, two per place,
confirmed by the demo coordinator (the network coordinator), and one request on the board.

The experts' accounts cannot log in (no usable password): they are there to be found in the
directory. The coordinator enrols an authenticator on the first visit (two-factor sign-in is
mandatory in the network). E-mail addresses are under example.org, phone numbers are not
dialable: all of it is invented.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from caseroom.jitnetwork import actions
from caseroom.jitnetwork.models import Area, Expert, NetworkRole, Request
from caseroom.programmes.people.names import plain

PREFIX = "demo-expert-"
# (given, family, country, institution, function, languages, areas, JITs, years)
EXPERTS = (
    ("Arta", "Kelmendi", "AL", "Prosecution Office", "Prosecutor", "Albanian, English",
     (Area.JIT_SETUP, Area.MLA), 2, "2021, 2024"),
    ("Gentian", "Shkurti", "AL", "State Police", "Investigator", "Albanian, Italian",
     (Area.FINANCIAL,), 1, "2023"),
    ("Amra", "Hodžić", "BA", "Prosecutor's Office", "Prosecutor", "Bosnian, English, German",
     (Area.MLA, Area.VICTIM_PROTECTION), 1, "2022"),
    ("Dario", "Marić", "BA", "State Investigation and Protection Agency", "Inspector",
     "Bosnian, English", (Area.JIT_SETUP, Area.CYBER), 2, "2020, 2023"),
    ("Ivana", "Kovačević", "HR", "State Attorney's Office", "Deputy state attorney",
     "Croatian, English", (Area.JIT_SETUP, Area.ASSET_RECOVERY), 3, "2019, 2021, 2024"),
    ("Tomislav", "Horvat", "HR", "Police Directorate", "Head of unit", "Croatian, German",
     (Area.WITNESS_PROTECTION,), 0, ""),
    ("Milica", "Vuković", "ME", "Supreme State Prosecutor's Office", "Prosecutor",
     "Montenegrin, English", (Area.MLA,), 1, "2022"),
    ("Nenad", "Radović", "ME", "Police Directorate", "Investigator", "Montenegrin, Russian",
     (Area.FINANCIAL, Area.ASSET_RECOVERY), 0, ""),
    ("Elena", "Trajanovska", "MK", "Public Prosecutor's Office", "Prosecutor",
     "Macedonian, English", (Area.JIT_SETUP, Area.MLA), 2, "2021, 2023"),
    ("Bojan", "Stojkovski", "MK", "Border Police", "Senior inspector", "Macedonian, Greek",
     (Area.VICTIM_PROTECTION,), 1, "2024"),
    ("Jelena", "Pavlović", "RS", "Prosecutor's Office for Organised Crime", "Deputy prosecutor",
     "Serbian, English", (Area.JIT_SETUP, Area.FINANCIAL), 3, "2018, 2021, 2023"),
    ("Marko", "Nikolić", "RS", "Criminal Police Directorate", "Investigator", "Serbian, English",
     (Area.CYBER,), 1, "2022"),
    ("Blerim", "Krasniqi", "XK", "Prosecution", "Prosecutor", "Albanian, English",
     (Area.MLA,), 0, ""),
    ("Vjosa", "Berisha", "XK", "Police", "Investigator", "Albanian, English, German",
     (Area.VICTIM_PROTECTION, Area.WITNESS_PROTECTION), 1, "2023"),
)  # fmt: skip


def load_demo_network(coordinator: User) -> int:
    """The demo network with `coordinator` as its network coordinator; the number of experts.
    Safe to run again: what exists is kept."""
    with transaction.atomic():
        NetworkRole.objects.get_or_create(
            user=coordinator, defaults={"role": NetworkRole.Role.NETWORK_COORDINATOR}
        )
        made: list[Expert] = []
        for given, family, country, institution, function, languages, areas, jits, years in EXPERTS:
            username = f"{PREFIX}{given}-{family}".lower()
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": given, "last_name": family}
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            expert = actions.propose(
                user=user,
                country=country,
                institution=institution,
                function=function,
                languages=languages,
                areas=[str(a) for a in areas],
                jits_count=jits,
                jit_years=years,
                email=f"{plain(given)}.{plain(family)}@example.org".replace(" ", "-"),
                phone=f"+000 {len(made) + 10} 555 0{len(made) + 100}",
                by=coordinator,
            )
            made.append(actions.confirm(expert, by=coordinator))
        author = made[10].user  # the Serbian prosecutor
        if not Request.objects.filter(author=author).exists():
            actions.post_request(
                author=author,
                country="MK",
                area=str(Area.JIT_SETUP),
                text=(
                    "Looking for a counterpart prosecutor in North Macedonia to discuss setting "
                    "up a JIT on a smuggling route through the southern border (demo)."
                ),
                key="demo-request-1",
            )
    return Expert.objects.filter(user__username__startswith=PREFIX).count()
