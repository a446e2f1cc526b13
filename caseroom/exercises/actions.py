"""What people do in an exercise: each function checks, writes in a transaction, then publishes.

Views call these and never touch the engine's internals. A team's commands are
serialised by locking the team row; the event is stored before the caller is told it
happened; a repeated idempotency key returns the first result without applying again.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from caseroom.engine import Event, IllegalAction, Result, Scenario, Session

from . import linking, live, personal_codes, timebox
from .models import Exercise, Message, Participant, Team, TeamEvent
from .sessions import DamagedLog, digest_of, forget, session_for

__all__ = [
    "Broadcast",
    "broadcast_command",
    "broadcast_message",
    "create_exercise",
    "ExerciseClosed",
    "Refused",
    "Outcome",
    "balance_teams",
    "command",
    "create_teams",
    "check_approver",
    "join",
    "link_teams",
    "unlink_teams",
    "new_personal_code",
    "SamePerson",
    "send_message",
    "set_roles",
    "set_rules",
    "set_status",
]


class Refused(Exception):
    """A write the rules do not allow, with a stable code and the words to show (already
    translated): the app's counterpart of the engine's IllegalAction. A bare ValueError
    then still means what Python means by it: a bug."""

    code = "refused"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class ExerciseClosed(Refused):
    """The exercise is not running (not started, paused or ended)."""

    code = "exercise_closed"


class SamePerson(Refused):
    """The exercise requires the approver of an action to be another person."""

    code = "same_person"


@dataclass(frozen=True)
class Outcome:
    result: Result
    seq: int
    repeated: bool


def command(
    team: Team,
    event: Event,
    *,
    participant: Participant | None = None,
    user: User | None = None,
    require_running: bool = True,
) -> Outcome:
    """Apply one engine command to a team and store it; IllegalAction if the rules refuse."""
    with transaction.atomic():
        # Lock the team row (only it: PostgreSQL would also lock every joined row unless
        # told, and all teams of an exercise queued behind its row) and read the status.
        # A linked team's command may write to the other team's log: both rows, in id order.
        rows = {
            r["pk"]: r
            for r in Team.objects.select_for_update(of=("self",))
            .filter(pk__in=linking.locked_together(team))
            .order_by("pk")
            .values("pk", "event_count", "exercise__status")
        }
        row = rows[team.pk]
        # The key is looked up by a statement of its own, after the lock: on PostgreSQL a
        # statement that waited for the lock reads other rows as they were when it began,
        # so a sub-query missed the event stored by the request it waited for, and two
        # requests with one key ended in a unique-constraint 500 (issue 17).
        if event.key:
            previous = TeamEvent.objects.filter(team_id=team.pk, key=event.key).first()
            if previous is not None:
                recorded = Event.from_dict(previous.payload)
                return Outcome(Result(recorded, (), (), repeated=True), previous.seq, True)
        if require_running and row["exercise__status"] != Exercise.Status.RUNNING:
            raise ExerciseClosed(_("The exercise is not running."))
        if event.type == "approve" and participant is not None and event.ref:
            # Here, under the lock, so that every way of approving meets the four-eyes rule.
            check_approver(team, event.ref, participant)
        team.event_count = row["event_count"]
        session = session_for(team)
        stamped = Event(**{**event.to_dict(), "time": timezone.now().isoformat(timespec="seconds")})
        try:
            result = session.apply(stamped)
        except IllegalAction:
            raise
        except Exception:
            forget(team.pk)
            raise
        seq = team.event_count
        try:
            TeamEvent.objects.create(
                team=team,
                seq=seq,
                payload=result.event.to_dict(),
                key=event.key or None,
                participant=participant,
                user=user,
            )
            digest = digest_of(session).to_dict()
            Team.objects.filter(pk=team.pk).update(event_count=seq + 1, digest=digest)
            team.event_count, team.digest = seq + 1, digest
        except IntegrityError as error:
            forget(team.pk)
            # The key was looked up under the lock, so only a log that holds more events
            # than the team counts (a damaged copy) collides here.
            raise DamagedLog(team, f"event {seq} is already in the log") from error
        except Exception:
            forget(team.pk)  # the cached session ran ahead of what was stored
            raise
        live.after_commit(team, seq + 1)
        _cross(team, session, result, seq)
    return Outcome(result, seq, False)


def _cross(team: Team, session: Session, result: Result, seq: int) -> None:
    """Write what this event sends to the linked team's log, in the same transaction."""
    if team.linked_team_id is None:
        return
    partner = Team.objects.select_related("exercise__scenario").get(pk=team.linked_team_id)
    for n, event in enumerate(linking.crossing(session, result)):
        keyed = Event(**{**event.to_dict(), "key": linking.partner_key(team, seq, n)})
        try:
            command(partner, keyed, require_running=False)
        except IllegalAction as refused:
            # This team's event stands. A request the other side can no longer receive
            # (its case has ended) goes to the script, as every later one will.
            if event.type == "incoming" and refused.code == "ended":
                command(team, linking.handed_to_script(f"handed:{seq}"), require_running=False)


def join(
    exercise: Exercise,
    *,
    name: str,
    agency: str = "",
    country: str = "",
    roles: list[str] | None = None,
    team: Team | None = None,
    personal_code: str | None = None,
) -> Participant:
    """A new participant; `personal_code` (see personal_codes.py) is stored hashed."""
    if exercise.status == Exercise.Status.ENDED:
        raise ExerciseClosed(_("This exercise has ended."))
    participant = Participant.objects.create(
        exercise=exercise,
        name=name.strip(),
        agency=agency.strip(),
        country=country.strip(),
        roles=list(roles or []),
        team=team,
        personal_code_hash=personal_codes.hashed(personal_code) if personal_code else "",
    )
    if team is not None:
        live.after_commit(team)
    return participant


def set_rules(exercise: Exercise, *, roles_locked: bool, approver_must_differ: bool) -> None:
    """The facilitator's rules of play; every page of the exercise shows them at once."""
    with transaction.atomic():
        exercise.roles_chosen_by_participants = not roles_locked
        exercise.approver_must_differ = approver_must_differ
        exercise.save(update_fields=["roles_chosen_by_participants", "approver_must_differ"])
        live.every_team_after_commit(exercise)


def new_personal_code(participant: Participant) -> str:
    """A new personal code for someone who lost theirs; the old one stops working."""
    return personal_codes.issue(participant)


def check_approver(team: Team, ref: str, participant: Participant) -> None:
    """Refuse when the exercise or the scenario's approval wants two people and `participant`
    requested `ref` itself.

    The request's author is read from the log (the event's participant), not from names,
    which two people in a team may share.
    """
    action = _scenario(team.exercise).actions.get(ref)
    four_eyes = (
        action is not None and action.approval is not None and (action.approval.by_another_person)
    )
    if not (team.exercise.approver_must_differ or four_eyes):
        return
    requested_by = (
        TeamEvent.objects.filter(team=team, payload__type="act", payload__ref=ref)
        .order_by("-seq")
        .values_list("participant_id", flat=True)
        .first()
    )
    if requested_by == participant.pk:
        raise SamePerson(_("Another person must approve an action you requested."))


def set_roles(participant: Participant, roles: list[str]) -> None:
    place_participant(participant, team=participant.team, roles=roles)


def place_participant(participant: Participant, *, team: Team | None, roles: list[str]) -> None:
    """Put a participant in a team (or none) with these roles, in one transaction.

    Both the team they leave and the one they join are nudged: the moved person's page
    listens on the old team's socket, and on the nudge it finds its team changed and
    reloads into the new one (views._changed); the old team's pages drop them.
    """
    known = set(_scenario_roles(participant.exercise))
    unknown = [r for r in roles if r not in known]
    if unknown:
        raise Refused(
            _("Unknown role: %(roles)s") % {"roles": ", ".join(unknown)}, code="unknown_role"
        )
    if team is not None and team.exercise_id != participant.exercise_id:
        raise Refused(_("That team plays another exercise."), code="other_exercise")
    if team is not None and team.plays and not set(roles) <= set(team.plays):
        # The other side's roles are held by the linked team.
        raise Refused(_("The linked team plays that role."), code="linked_role")
    with transaction.atomic():
        left = participant.team
        participant.team = team
        participant.roles = roles
        participant.save(update_fields=["team", "roles"])
        for told in {t.pk: t for t in (left, team) if t is not None}.values():
            live.after_commit(told)


def _scenario(exercise: Exercise) -> Scenario:
    from caseroom.scenarios.registry import load

    return load(exercise.scenario)


def _scenario_roles(exercise: Exercise) -> list[str]:
    return list(_scenario(exercise).roles)


def create_teams(exercise: Exercise, count: int) -> list[Team]:
    existing = exercise.teams.count()
    return [
        Team.objects.create(exercise=exercise, name=_("Team %(n)s") % {"n": existing + i + 1})
        for i in range(count)
    ]


def link_teams(first: Team, second: Team, second_plays: list[str]) -> None:
    """Link two teams to play the two sides of the case: `second` holds `second_plays`,
    `first` every other role. Each log records the roles the other team plays (the
    engine's `link` event), so its requests to them go there instead of to the script."""
    roles = _scenario_roles(first.exercise)
    chosen = [r for r in roles if r in set(second_plays)]
    if first.pk == second.pk or first.exercise_id != second.exercise_id:
        raise Refused(_("Choose two teams of this exercise."), code="bad_link")
    if not chosen or len(chosen) == len(roles) or len(chosen) != len(set(second_plays)):
        raise Refused(
            _("The second team plays some of the roles, the first team the others."),
            code="bad_link",
        )
    with transaction.atomic():
        for team in (first, second):
            if Team.objects.filter(pk=team.pk, linked_team__isnull=False).exists():
                raise Refused(
                    _("%(team)s is already linked.") % {"team": team.name}, code="bad_link"
                )
        first_plays = [r for r in roles if r not in chosen]
        for team, partner, plays, theirs in (
            (first, second, first_plays, chosen),
            (second, first, chosen, first_plays),
        ):
            # Keyed by the log's length: teams unlinked may be linked again.
            count = Team.objects.values_list("event_count", flat=True).get(pk=team.pk)
            key = f"link:{count}"
            command(team, Event("link", input=theirs, key=key), require_running=False)
            team.linked_team, team.played_with, team.plays = partner, partner, plays
            team.save(update_fields=["linked_team", "played_with", "plays"])
            live.after_commit(team)


def unlink_teams(team: Team) -> None:
    """Two linked teams go on alone: each log records that the other team no longer
    plays any role (`link` with no roles), so requests waiting for a person there are
    answered by the script, the other team's requests not yet answered are withdrawn, and
    every later request is scripted. Each log still holds what crossed, for the debrief."""
    with transaction.atomic():
        pair = list(
            Team.objects.select_for_update()
            .select_related("exercise__scenario")
            .filter(pk__in=linking.locked_together(team))
            .order_by("pk")
        )
        if len(pair) != 2:
            raise Refused(_("%(team)s is not linked.") % {"team": team.name}, code="bad_link")
        for side in pair:
            key = f"unlink:{side.event_count}"
            command(side, linking.handed_to_script(key), require_running=False)
            side.linked_team, side.plays = None, []
            side.save(update_fields=["linked_team", "plays"])
            live.after_commit(side)


def balance_teams(exercise: Exercise, seed: int | None = None) -> None:
    """Spread participants over the teams, mixing countries and agencies, and fill roles.

    Participants are dealt round-robin after sorting by country and agency, so each team
    gets a mix; then each team's members take the scenario's roles in turn (a member may
    hold several roles when the team is small).
    """
    teams = list(exercise.teams.order_by("pk"))
    if not teams:
        raise Refused(_("Create teams first."), code="no_teams")
    people = list(exercise.participants.order_by("country", "agency", "pk"))
    rng = random.Random(seed)
    rng.shuffle(teams)
    roles = _scenario_roles(exercise)
    with transaction.atomic():
        for index, person in enumerate(people):
            person.team = teams[index % len(teams)]
            person.roles = []
        for team in teams:
            members = [p for p in people if p.team_id == team.pk]
            # A linked team holds only its side's roles.
            for index, role in enumerate(team.plays or roles):
                if members:
                    members[index % len(members)].roles.append(role)
        Participant.objects.bulk_update(people, ["team", "roles"])
        for team in teams:
            live.after_commit(team)


def set_status(exercise: Exercise, status: str) -> None:
    with transaction.atomic():
        if status == Exercise.Status.PAUSED:
            timebox.freeze(exercise)  # the time box stops with the exercise
        elif status == Exercise.Status.RUNNING:
            timebox.thaw(exercise)
        exercise.status = status
        ended = status == Exercise.Status.ENDED
        # The first end counts (the code's 30 days run from it), a second "end" changes nothing.
        exercise.ended_at = (exercise.ended_at or timezone.now()) if ended else None
        exercise.save(update_fields=["status", "ended_at", *timebox.FIELDS])
        live.every_team_after_commit(exercise)


def send_message(
    team: Team,
    body: str,
    *,
    channel: str = Message.Channel.TEAM,
    participant: Participant | None = None,
    user: User | None = None,
    role: str = "",
    key: str | None = None,
) -> Message:
    text = body.strip()
    if not text:
        raise Refused(_("The message is empty."), code="empty_message")
    if participant is not None and (
        Exercise.objects.filter(pk=team.exercise_id, status=Exercise.Status.ENDED).exists()
    ):
        # Read now, not from the caller's copy: the facilitator may have just ended it.
        raise ExerciseClosed(_("The exercise has ended: the chat is closed."))
    try:
        with transaction.atomic():
            message = Message.objects.create(
                exercise_id=team.exercise_id,
                team=team,
                channel=channel,
                participant=participant,
                user=user,
                role=role,
                body=text[:4000],
                key=key or None,
            )
    except IntegrityError:
        # The same key from this team again (a double click, a retry): the first message.
        return Message.objects.get(team=team, key=key)
    live.after_commit(team)
    return message


# ---------------------------------------------------------------- facilitator, several teams


@transaction.atomic
def create_exercise(user: User, **fields: Any) -> Exercise:
    """A new exercise with `user` as its facilitator."""
    exercise = Exercise.objects.create(**fields)
    exercise.facilitators.add(user)
    return exercise


@dataclass
class Broadcast:
    applied: list[Team] = field(default_factory=list)
    refused: list[tuple[Team, IllegalAction]] = field(default_factory=list)


def broadcast_command(teams: Iterable[Team], event: Event, *, user: User | None) -> Broadcast:
    """Apply a facilitator command to each team (paused or not); one key per team."""
    result = Broadcast()
    for team in teams:
        # Keys are unique per team, so one key serves every team (and stays within its
        # 80 characters, which a per-team suffix could overflow).
        try:
            command(team, event, user=user, require_running=False)
        except IllegalAction as error:
            result.refused.append((team, error))
        else:
            result.applied.append(team)
    return result


def broadcast_message(
    teams: Iterable[Team], body: str, *, user: User | None, key: str | None
) -> list[Message]:
    """The facilitator's message to each team (a repeated key sends nothing again)."""
    return [
        send_message(
            team,
            body,
            channel=Message.Channel.FACILITATOR,
            user=user,
            key=key,
        )
        for team in teams
    ]
