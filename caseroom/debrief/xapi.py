"""xAPI 1.0.3 statements of an exercise, for a Learning Record Store (LRS).

Per participant who acted: `initialized`, one `answered` (a `choice` interaction) per
decision they took, and, once their team's case has ended, `completed` with `passed` or
`failed` and `terminated`. Participants are pseudonymous accounts unless names are asked
for; statement ids are deterministic, so sending the same exercise again is idempotent.

>>> statements = statements_for_exercise(exercise)           # doctest: +SKIP
>>> validate(statements)                                      # doctest: +SKIP
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from django.conf import settings

from caseroom.engine import GLOBAL_POINT, DebriefStep, Event, Scenario, annotate, decision_point
from caseroom.engine.strings import text
from caseroom.exercises.models import Exercise, Participant, Team, TeamEvent
from caseroom.exercises.sessions import session_for
from caseroom.scenarios.registry import load

__all__ = [
    "ACTIVITY_TYPES",
    "VERBS",
    "InvalidStatement",
    "Iris",
    "registration_for",
    "statements_for_exercise",
    "validate",
]

VERBS = {
    name: f"http://adlnet.gov/expapi/verbs/{name}"
    for name in ("initialized", "answered", "completed", "passed", "failed", "terminated")
}
ACTIVITY_TYPES = {
    "exercise": "http://adlnet.gov/expapi/activities/simulation",
    "scenario": "http://adlnet.gov/expapi/activities/course",
    "interaction": "http://adlnet.gov/expapi/activities/cmi.interaction",
}
# How an ending's outcome reads to an LRS. A "partial" ending (the default of the format:
# only the driver convicted) is neither a pass nor a fail, so it is `completed` only and
# the outcome is kept in a result extension.
_OUTCOME_VERB = {"success": "passed", "failure": "failed"}
# Statements of one moment sort in the order a learner lives them.
_VERB_ORDER = {verb: n for n, verb in enumerate(VERBS)}
_ASSESSED = ("act", "approve", "refuse")


@dataclass(frozen=True, slots=True)
class Iris:
    """The IRIs this installation mints, all under one base (settings.XAPI_HOMEPAGE)."""

    base: str

    def exercise(self, exercise: Exercise) -> str:
        return f"{self.base}/xapi/exercises/{exercise.pk}"

    def scenario(self, scenario: Scenario) -> str:
        return f"{self.base}/xapi/scenarios/{quote(scenario.id)}/{quote(scenario.version)}"

    def point(self, scenario: Scenario, point: str) -> str:
        name = "global" if point == GLOBAL_POINT else quote(point)
        return f"{self.scenario(scenario)}/points/{name}"

    def approval(self, scenario: Scenario, action: str) -> str:
        return f"{self.scenario(scenario)}/approvals/{quote(action)}"

    def extension(self, name: str) -> str:
        return f"{self.base}/xapi/extensions/{name}"


def registration_for(exercise: Exercise, homepage: str | None = None) -> uuid.UUID:
    """The exercise's xAPI registration: one per exercise, the same on every call.

    The creation time is part of it because ids of rows can repeat (a database rebuilt,
    a test database), and two exercises must never share statement ids.
    """
    created = exercise.created_at.astimezone(UTC).isoformat()
    iri = Iris(_homepage(homepage)).exercise(exercise)
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{iri}#{created}")


def _homepage(homepage: str | None) -> str:
    return (homepage or settings.XAPI_HOMEPAGE).rstrip("/")


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class _Row:
    """What the log row adds to an engine event: who clicked, and when."""

    participant: int | None
    at: datetime


@dataclass(slots=True)
class _Learner:
    """A participant, or the team itself for decisions no participant is recorded for
    (a facilitator acting for the team, a log written before participants were linked)."""

    key: str
    actor: dict[str, Any]
    roles: tuple[str, ...]
    first: datetime
    last: datetime


class _Builder:
    """Everything shared by the statements of one exercise."""

    def __init__(self, exercise: Exercise, scenario: Scenario, base: str, with_names: bool):
        self.exercise = exercise
        self.scenario = scenario
        self.iris = Iris(base)
        self.with_names = with_names
        self.registration = registration_for(exercise, base)
        self.languages = [lang for lang in scenario.doc.languages if lang] or ["en"]
        self.exercise_activity = self._activity(
            self.iris.exercise(exercise),
            ACTIVITY_TYPES["exercise"],
            {self.languages[0]: exercise.title},
        )
        self.scenario_activity = self._activity(
            self.iris.scenario(scenario),
            ACTIVITY_TYPES["scenario"],
            self.texts("scenario.title"),
        )

    # ------------------------------------------------------------ pieces

    def texts(self, key: str) -> dict[str, str]:
        """A language map of a scenario text: the source language, then translations."""
        source = text(self.scenario, key)
        if not source:
            return {}
        result = {self.languages[0]: source}
        for lang in self.languages[1:]:
            translated = text(self.scenario, key, lang)
            if translated and translated != source:
                result[lang] = translated
        return result

    def _activity(
        self, iri: str, kind: str, name: Mapping[str, str], **definition: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"type": kind, **definition}
        # xAPI forbids empty strings outside extensions (an exercise saved without title).
        name = {lang: value for lang, value in name.items() if value}
        if name:
            body["name"] = name
        return {"objectType": "Activity", "id": iri, "definition": body}

    def agent(self, participant: Participant) -> dict[str, Any]:
        agent: dict[str, Any] = {
            "objectType": "Agent",
            "account": {"homePage": self.iris.base, "name": f"participant-{participant.pk}"},
        }
        if self.with_names and participant.name:
            agent["name"] = participant.name
        return agent

    def group(self, team: Team, members: Sequence[Participant]) -> dict[str, Any]:
        # Identified by an account as well, so an LRS can find a team's statements; a team
        # name is not personal data.
        group: dict[str, Any] = {
            "objectType": "Group",
            "account": {"homePage": self.iris.base, "name": f"team-{team.pk}"},
        }
        if team.name:
            group["name"] = team.name
        if members:
            group["member"] = [self.agent(p) for p in members]
        return group

    def choice(self, point: str, options: Sequence[str], expert: Sequence[str]) -> dict[str, Any]:
        """A decision point as a `choice` interaction; each expert option is one correct
        response, since a team answers with one option per statement (several in a menu)."""
        choices = []
        for action in options:
            component: dict[str, Any] = {"id": action}
            description = self.texts(f"action.{action}.text")
            if description:
                component["description"] = description
            choices.append(component)
        name = (
            self.texts(f"scene.{point}.title")
            if point != GLOBAL_POINT
            else {self.languages[0]: "Actions offered in every scene"}
        )
        definition: dict[str, Any] = {"interactionType": "choice", "choices": choices}
        if expert:
            definition["correctResponsesPattern"] = list(expert)
        return self._activity(
            self.iris.point(self.scenario, point),
            ACTIVITY_TYPES["interaction"],
            name,
            **definition,
        )

    def approval(self, action: str, expert: Sequence[str]) -> dict[str, Any]:
        definition: dict[str, Any] = {
            "interactionType": "choice",
            "choices": [
                {"id": "approve", "description": {"en": "Approve"}},
                {"id": "refuse", "description": {"en": "Refuse"}},
            ],
        }
        if expert:
            definition["correctResponsesPattern"] = list(expert)
        return self._activity(
            self.iris.approval(self.scenario, action),
            ACTIVITY_TYPES["interaction"],
            self.texts(f"action.{action}.text"),
            **definition,
        )

    def statement(
        self,
        *,
        team: Team,
        group: dict[str, Any],
        learner: _Learner,
        verb: str,
        activity: dict[str, Any],
        at: datetime,
        discriminator: str = "",
        result: dict[str, Any] | None = None,
        role: str | None = None,
        parent: dict[str, Any] | None = None,
    ) -> tuple[datetime, int, dict[str, Any]]:
        extensions: dict[str, Any] = {}
        if role:
            extensions[self.iris.extension("role")] = role
        if learner.roles:
            extensions[self.iris.extension("roles")] = list(learner.roles)
        context: dict[str, Any] = {
            "registration": str(self.registration),
            "platform": "Caseroom",
            "revision": self.scenario.version,
            "contextActivities": {
                **({"parent": [parent]} if parent else {}),
                "grouping": [self.scenario_activity],
            },
        }
        # xAPI: context.team is for a team not already the actor.
        if learner.actor.get("objectType") != "Group":
            context["team"] = group
        if extensions:
            context["extensions"] = extensions
        name = f"{team.pk}/{learner.key}/{verb}/{discriminator}"
        statement: dict[str, Any] = {
            "id": str(uuid.uuid5(self.registration, name)),
            "actor": learner.actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": activity,
            "context": context,
            "timestamp": _timestamp(at),
        }
        if result:
            statement["result"] = result
        return at, _VERB_ORDER[verb], statement


# ---------------------------------------------------------------- one team


def _attributed_event(step: DebriefStep, events: Sequence[Event]) -> int:
    """The log entry where the decision of a step was made.

    An action that needs approval is completed by the approving event, but it was chosen
    by whoever asked for it: the latest `act` on the same action at or before the step.
    """
    assert step.event is not None
    if step.kind != "act":
        return step.event
    for number in range(step.event, -1, -1):
        event = events[number]
        if event.type == "act" and event.ref == step.ref:
            return number
    return step.event


def _team_statements(
    builder: _Builder,
    team: Team,
    rows: Sequence[_Row],
    participants: Mapping[int, Participant],
) -> list[tuple[datetime, int, dict[str, Any]]]:
    scenario, iris = builder.scenario, builder.iris
    session = session_for(team)
    events = session.events[: len(rows)]
    rows = rows[: len(events)]
    if not events:
        return []
    steps = annotate(scenario, events)

    learners: dict[int | None, _Learner] = {}
    # Members now, then anyone who acted for the team and has since moved to another.
    members = sorted((p for p in participants.values() if p.team_id == team.pk), key=lambda p: p.pk)
    for row in rows:
        person = participants.get(row.participant) if row.participant is not None else None
        if person is not None and person not in members:
            members.append(person)
    group = builder.group(team, members)

    def learner_for(participant_id: int | None) -> _Learner:
        learner = learners.get(participant_id)
        if learner is None:
            person = participants.get(participant_id) if participant_id is not None else None
            if person is not None:
                key, actor, roles = f"participant-{person.pk}", builder.agent(person), person.roles
            else:
                key, actor, roles = f"team-{team.pk}", group, []
            times = [r.at for r in rows if r.participant == participant_id] or [r.at for r in rows]
            learner = _Learner(key, actor, tuple(roles), min(times), max(times))
            learners[participant_id] = learner
        return learner

    # Everyone who acted, even without an assessed step (a `wait`, an unapproved request).
    for row in rows:
        if row.participant is not None and row.participant in participants:
            learner_for(row.participant)

    out: list[tuple[datetime, int, dict[str, Any]]] = []
    for step in steps:
        if step.kind not in _ASSESSED or step.event is None:
            continue
        number = _attributed_event(step, events)
        row = rows[number]
        who = row.participant if row.participant in participants else None
        learner = learner_for(who)
        if step.kind == "act":
            point = decision_point(scenario, step.ref)
            options = (
                scenario.global_actions if point == GLOBAL_POINT else scenario.scene_actions[point]
            )
            activity = builder.choice(point, options, step.expert)
            response = step.ref
        else:
            activity = builder.approval(step.ref, step.expert)
            response = step.kind
        result: dict[str, Any] = {"response": response}
        if step.on_expert_path is not None:
            result["success"] = step.on_expert_path
        # The engine's answer quality (0..1) where the action asked for an input; rubric
        # points have no fixed range per step, so they go in an extension, not the score.
        if step.score is not None and -1 <= step.score <= 1:
            result["score"] = {"scaled": round(float(step.score), 4)}
        extensions: dict[str, Any] = {}
        if step.grade:
            extensions[iris.extension("grade")] = step.grade
        if step.points:
            extensions[iris.extension("points")] = dict(step.points)
        if step.misconception:
            extensions[iris.extension("misconception")] = step.misconception
        if step.answer is not None:
            extensions[iris.extension("answer")] = step.answer
        if extensions:
            result["extensions"] = extensions
        out.append(
            builder.statement(
                team=team,
                group=group,
                learner=learner,
                verb="answered",
                activity=activity,
                at=row.at,
                discriminator=f"step-{step.index}",
                result=result,
                role=step.role,
                parent=builder.exercise_activity,
            )
        )

    ending = session.state.ending
    ended_at: datetime | None = None
    finishing: dict[str, Any] = {}
    outcome_verb: str | None = None
    if ending is not None:
        reached = next((s.event for s in steps if s.consequences and s.consequences.ending), None)
        # A facilitator's `end` has no step: the case ended with the last event.
        ended_at = rows[reached if reached is not None else len(rows) - 1].at
        outcome = scenario.endings[ending].outcome
        score = session.score()
        outcome_verb = _OUTCOME_VERB.get(outcome)
        finishing = {
            "score": {"raw": score["total"]},
            "extensions": {
                iris.extension("ending"): ending,
                iris.extension("outcome"): outcome,
                iris.extension("rubric"): dict(score["rubric"]),
            },
        }
        if outcome_verb is not None:
            finishing["success"] = outcome == "success"

    for learner in learners.values():
        out.append(
            builder.statement(
                team=team,
                group=group,
                learner=learner,
                verb="initialized",
                activity=builder.exercise_activity,
                at=learner.first,
            )
        )
        if ended_at is None:
            continue
        out.append(
            builder.statement(
                team=team,
                group=group,
                learner=learner,
                verb="completed",
                activity=builder.exercise_activity,
                at=ended_at,
                result={"completion": True, **finishing},
            )
        )
        if outcome_verb is not None:
            out.append(
                builder.statement(
                    team=team,
                    group=group,
                    learner=learner,
                    verb=outcome_verb,
                    activity=builder.exercise_activity,
                    at=ended_at,
                    result=finishing,
                )
            )
    # A team still playing has not terminated; once its case or the exercise has ended it
    # has, at its last act or the ending, whichever came later.
    if ended_at is not None or builder.exercise.status == Exercise.Status.ENDED:
        for learner in learners.values():
            out.append(
                builder.statement(
                    team=team,
                    group=group,
                    learner=learner,
                    verb="terminated",
                    activity=builder.exercise_activity,
                    at=max(learner.last, ended_at) if ended_at else learner.last,
                )
            )
    return out


# ---------------------------------------------------------------- the exercise


def statements_for_exercise(
    exercise: Exercise, *, with_names: bool = False, homepage: str | None = None
) -> list[dict[str, Any]]:
    """JSON-ready xAPI statements of every team of the exercise, in time order.

    Participants appear as accounts `participant-<id>` on `homepage` (default
    settings.XAPI_HOMEPAGE); `with_names` adds their names, which an LRS outside the
    training room should not receive without the participants' consent.
    """
    scenario = load(exercise.scenario)
    builder = _Builder(exercise, scenario, _homepage(homepage), with_names)
    participants = {p.pk: p for p in Participant.objects.filter(exercise=exercise)}
    rows: dict[int, list[_Row]] = {}
    for team_id, participant_id, created_at in (
        TeamEvent.objects.filter(team__exercise=exercise)
        .order_by("team_id", "seq")
        .values_list("team_id", "participant_id", "created_at")
    ):
        rows.setdefault(team_id, []).append(_Row(participant_id, created_at))
    timed: list[tuple[datetime, int, dict[str, Any]]] = []
    for team in exercise.teams.select_related("exercise__scenario").order_by("name"):
        timed += _team_statements(builder, team, rows.get(team.pk, []), participants)
    timed.sort(key=lambda item: (item[0], item[1]))
    # Through JSON once: statements share activity and group dicts while built, and a
    # caller editing one statement must not change the others.
    result: list[dict[str, Any]] = json.loads(json.dumps([s for _at, _order, s in timed]))
    return result


# ---------------------------------------------------------------- validation


def checked_statements(exercise: Exercise) -> list[dict[str, Any]]:
    """The exercise's statements, each checked against the xAPI data model (InvalidStatement
    names the first that is not; RuntimeError if ralph's models are not installed)."""
    statements = statements_for_exercise(exercise)
    validate(statements)
    return statements


class InvalidStatement(ValueError):
    """A statement that breaks the xAPI data model; says which one and where."""

    def __init__(
        self, index: int, field: str, message: str, problems: Sequence[tuple[str, str]] = ()
    ) -> None:
        self.index = index
        self.field = field
        self.problems = list(problems) or [(field, message)]
        super().__init__(f"statement {index}: {field}: {message}")


def _field(loc: Sequence[int | str]) -> str:
    # Pydantic names the union member it tried (BaseXapiAgentWithAccount, …) in the path;
    # a reader wants the statement's own field names.
    parts = [
        str(part)
        for part in loc
        if not (isinstance(part, str) and (part.startswith(("BaseXapi", "function-"))))
    ]
    return ".".join(parts) or "(statement)"


def validate(statements: Sequence[Mapping[str, Any]]) -> None:
    """Check every statement against the xAPI data model (ralph's pydantic models).

    Raises InvalidStatement for the first statement that fails, naming its index and the
    field; where a union of shapes failed (an actor is one of several), the deepest
    field is named, which is where the statement went wrong.
    """
    try:
        # ralph is needed only here; imported late so the rest of the module works
        # without it. It ships no type information.
        from pydantic import ValidationError
        from ralph.models.xapi.base.statements import (  # type: ignore[import-untyped]
            BaseXapiStatement,
        )
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise RuntimeError("Validating xAPI statements needs the ralph-malph package.") from error
    for index, statement in enumerate(statements):
        try:
            BaseXapiStatement.model_validate(dict(statement))
        except ValidationError as error:
            problems = [(_field(e["loc"]), e["msg"]) for e in error.errors()]
            deepest = max(problems, key=lambda p: p[0].count("."))
            raise InvalidStatement(index, deepest[0], deepest[1], problems) from None
