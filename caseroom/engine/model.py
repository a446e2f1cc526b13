"""The scenario format as pydantic models: what an author may write, and its JSON Schema.

Models here describe the *written* format only. Cross-references (a `goto` naming a
scene that exists, an expression naming a declared variable) are checked by the loader,
which knows where in which file each value was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from . import limits
from .fields import (
    Duration,
    Expression,
    Id,
    Markdown,
    Number,
    Strict,
    Title,
    VarName,
    not_blank,
    parse_duration,
)

__all__ = [
    "Action",
    "Approval",
    "Authority",
    "Decision",
    "Document",
    "Effects",
    "Ending",
    "ExpertStep",
    "Grade",
    "Inject",
    "Input",
    "InputItem",
    "Misconception",
    "Objective",
    "Outcome",
    "Phase",
    "PhaseRange",
    "Reaction",
    "Reply",
    "Request",
    "Role",
    "RubricDimension",
    "ScenarioDocument",
    "Scene",
    "Scripted",
    "Split",
    "Table",
    "Variable",
    "parse_duration",
]


class Grade(StrEnum):
    exemplary = "exemplary"
    acceptable = "acceptable"
    poor = "poor"
    harmful = "harmful"


class Objective(Strict):
    id: Id
    text: Markdown


class Phase(Strict):
    id: Id
    title: Title
    summary: Markdown = ""


class RubricDimension(Strict):
    id: Id
    title: Title
    description: Markdown = ""


DEFAULT_RUBRIC = (
    RubricDimension(id="legal", title="Legal soundness"),
    RubricDimension(id="protection", title="Victim protection"),
    RubricDimension(id="operational", title="Operational effectiveness"),
    RubricDimension(id="cooperation", title="Cooperation"),
)


class Role(Strict):
    id: Id
    title: Title
    country: str | None = Field(default=None, description="ISO 3166 alpha-2 code, e.g. RS, MK.")
    agency: str | None = None
    briefing: Markdown = ""


class Authority(Strict):
    """A party nobody plays (a court, a foreign prosecutor): its decisions are scripted."""

    id: Id
    title: Title
    country: str | None = Field(default=None, description="ISO 3166 alpha-2 code, e.g. RS, MK.")
    agency: str | None = None


class Variable(Strict):
    type: Literal["bool", "int", "enum", "set"]
    description: str = ""
    default: bool | Number | str | list[str] | None = None
    min: Number | None = None
    max: Number | None = None
    values: list[str] | None = Field(
        default=None, description="Allowed values of an enum, or allowed members of a set."
    )
    scope: Literal["team", "role"] = Field(
        default="team",
        description="team: one value for the whole team; role: each role has its own value.",
    )
    label: str = Field(
        default="",
        description="The variable's name as people read it (the debrief's replay shows it; "
        "translated like every text).",
    )
    value_labels: dict[str, str] = Field(
        default_factory=dict,
        description="How people read each value of an enum or member of a set "
        "(value → words); values without one are shown as written.",
    )

    @model_validator(mode="after")
    def _labels_name_values(self) -> Variable:
        unknown = [v for v in self.value_labels if v not in (self.values or [])]
        if unknown:
            raise ValueError(
                f"value_labels names {', '.join(repr(v) for v in unknown)}, which is not "
                f"one of the values ({', '.join(self.values or []) or 'none declared'})"
            )
        return self


Scalar = bool | Number | str


class Split(Strict):
    """Listed roles leave the team's scene for a scene of their own (a track)."""

    roles: list[Id] = Field(min_length=1)
    to: Id = Field(description="The scene their track starts in.")


class Effects(Strict):
    """Changes applied to the state, in this order: set, add, include, exclude, unlock,
    split, join, fire."""

    set: dict[VarName, Scalar | list[str]] = Field(default_factory=dict)
    add: dict[VarName, Number] = Field(
        default_factory=dict, description="Add (or subtract) to int variables; clamped to range."
    )
    include: dict[VarName, list[str] | str] = Field(
        default_factory=dict, description="Add members to set variables."
    )
    exclude: dict[VarName, list[str] | str] = Field(
        default_factory=dict, description="Remove members from set variables."
    )
    unlock: list[Id] = Field(default_factory=list, description="Documents to make visible.")
    split: list[Split] = Field(default_factory=list, description="Roles sent to a track.")
    join: list[Id] = Field(default_factory=list, description="Roles that rejoin the team.")
    fire: list[Id] = Field(default_factory=list, description="Injects to fire now.")


class Assessment(Strict):
    """What a choice teaches: feedback now, feedback at debrief, grade and points."""

    feedback: Markdown | None = Field(
        default=None, description="Shown to the team at once (immediate feedback)."
    )
    debrief: Markdown | None = Field(default=None, description="Shown only in the debrief.")
    grade: Grade | None = None
    objectives: list[Id] = Field(default_factory=list)
    misconception: Id | None = None
    points: dict[Id, Number] = Field(
        default_factory=dict, description="Points on rubric dimensions, e.g. {legal: 2}."
    )


class Reaction(Assessment):
    effects: Effects | None = None
    goto: Id | None = None
    end: Id | None = None


class Outcome(Reaction):
    """First outcome whose `when` holds refines the action's result (e.g. by answer quality)."""

    when: Expression | None = None


class Decision(Reaction):
    """A scripted answer of an authority nobody plays: the first whose `when` holds."""

    when: Expression | None = None
    decision: Literal["approve", "refuse"] = Field(
        description="approve: the request goes on (to the next step, or takes effect); "
        "refuse: it stops here, with the reason."
    )
    reason: str = Field(default="", description="refuse: the reason the team is given.")


class Scripted(Strict):
    """One further step of an approval: an authority nobody plays decides after a delay."""

    authority: Id = Field(description="The authority that decides (see `authorities`).")
    delay: Duration = Field(default=0, description="Case time until its decision arrives.")
    prompt: Markdown = Field(default="", description="What the team reads it was asked.")
    answers: list[Decision] = Field(min_length=1)


class Approval(Strict):
    role: Id = Field(description="The role that decides, e.g. the prosecutor.")
    prompt: Markdown = ""
    approve: Reaction = Field(default_factory=Reaction)
    refuse: Reaction = Field(default_factory=Reaction)
    reasons: list[str] = Field(
        default_factory=list, description="Suggested reasons for refusal (free text is allowed)."
    )
    by_another_person: bool = Field(
        default=False,
        description=(
            "The approval must come from another person than the one who asked, even if "
            "one participant holds both roles (the app enforces it; a facilitator can also "
            "require it for every approval of an exercise)."
        ),
    )
    then: list[Scripted] = Field(
        default_factory=list,
        description="Once the role approves: authorities nobody plays that decide next, in "
        "order (a chain: police, prosecutor, then the investigating judge).",
    )

    def reactions(self) -> list[Reaction]:
        """Every reaction of the approval and of its chain, where play may go next."""
        return [self.approve, self.refuse, *(a for step in self.then for a in step.answers)]


class Reply(Reaction):
    when: Expression | None = None
    message: Markdown = ""


class Request(Strict):
    to: Id = Field(
        description="The receiving role, usually of another country, or an authority nobody "
        "plays (the replies are its answers)."
    )
    channel: str = Field(default="", description="e.g. 'police-to-police (PCC SEE)', 'MLA'.")
    delay: Duration = Field(description="Simulated time until the answer arrives.")
    replies: list[Reply] = Field(min_length=1)


class InputItem(Strict):
    id: Id
    text: Markdown


class Input(Strict):
    type: Literal["multi", "order", "numeric", "text"]
    prompt: Markdown = ""
    # Scoring an order compares every pair of items, for every answer the explorer tries.
    items: list[InputItem] = Field(default_factory=list, max_length=limits.MAX_INPUT_ITEMS)
    correct: list[Id] = Field(
        default_factory=list,
        description="multi: the items that belong; order: every item id in the right order.",
    )
    answer: float | None = Field(default=None, description="numeric: the expert estimate.")
    tolerance: float | None = Field(
        default=None, ge=0, description="numeric: accepted absolute error."
    )
    unit: str = ""
    min: float | None = None
    max: float | None = None
    max_points: dict[Id, Number] = Field(
        default_factory=dict,
        description="text: most points the facilitator can give per rubric dimension.",
    )
    shuffle: bool = Field(
        default=True,
        description="multi and order: show the items in an order of each team's own (the "
        "same on every replay), so that the written order gives nothing away; false keeps "
        "the written order (a scale, steps that read in sequence).",
    )


class PhaseRange(Strict):
    """Every phase from one to another in the declared order, both included."""

    # `from` is a Python keyword: the field is `from_`, written `from`.
    model_config = ConfigDict(populate_by_name=True)

    from_: Id = Field(alias="from", description="The first phase.")
    to: Id | None = Field(default=None, description="The last phase; default: the last of all.")

    def covers(self, phase: str, order: Sequence[str]) -> bool:
        """Whether `phase` lies in the range, by the phases' declared `order`."""
        if phase not in order or self.from_ not in order:
            return False
        last = order.index(self.to) if self.to in order else len(order) - 1
        return order.index(self.from_) <= order.index(phase) <= last


# Which form was written decides which one is checked: a mapping is a range, so a typo in
# it is reported as one, not also as "not a list".
Phases = Annotated[
    Annotated[list[Id], Tag("list")] | Annotated[PhaseRange, Tag("range")],
    Discriminator(lambda v: "range" if isinstance(v, dict | PhaseRange) else "list"),
]


class Action(Assessment):
    """A decision option or an investigative action."""

    id: Id
    text: Markdown
    roles: list[Id] | None = Field(default=None, description="Who may take it; default: anyone.")
    when: Expression | None = Field(default=None, description="Precondition.")
    locked: Markdown | None = Field(
        default=None, description="Why it is unavailable, shown while `when` is false."
    )
    once: bool = True
    cost: Duration = 0
    input: Input | None = None
    approval: Approval | None = None
    request: Request | None = None
    effects: Effects | None = None
    outcomes: list[Outcome] = Field(default_factory=list)
    goto: Id | None = None
    end: Id | None = None
    phases: Phases | None = Field(
        default=None,
        description="Global actions only: the phases in which it is offered, listed "
        "([financial, court]) or as a range ({from: financial, to: court}; without 'to', to "
        "the last phase).",
    )
    scenes: list[Id] | None = Field(
        default=None, description="Global actions only: the scenes in which it is offered."
    )

    def offered_in(self, scene: Scene, order: Sequence[str]) -> bool:
        """A global action: whether it is offered in `scene` (`order`: the phases' ids)."""
        if self.scenes is not None and scene.id not in self.scenes:
            return False
        if isinstance(self.phases, PhaseRange):
            return self.phases.covers(scene.phase, order)
        return self.phases is None or scene.phase in self.phases


class Scene(Strict):
    id: Id
    phase: Id
    title: Title
    kind: Literal["decision", "menu"] = "decision"
    text: Markdown = ""
    roles: list[Id] | None = Field(default=None, description="Who sees the scene text.")
    on_enter: Effects | None = None
    options: list[Action] = Field(default_factory=list, description="decision scenes")
    actions: list[Action] = Field(default_factory=list, description="menu scenes")


class Table(Strict):
    columns: list[str] = Field(min_length=1)
    rows: list[list[str | int | float | None]]


class Document(Strict):
    id: Id
    title: Title
    kind: Literal[
        "report", "statement", "record", "table", "photo", "memo", "legal", "request", "media"
    ] = "report"
    roles: list[Id] | None = Field(default=None, description="Who may see it; default: anyone.")
    initial: bool = Field(default=False, description="Visible from the start.")
    date: str | None = Field(
        default=None,
        description="The date shown with it, as written (`2026-03-12`), or `arrival`: the "
        "case date it reached the team (a record made when the team asked for it).",
    )
    reference: str | None = None
    body: Markdown = ""
    table: Table | None = None
    image: str | None = Field(default=None, description="Path of an image file in the folder.")
    caption: str | None = None


class Inject(Strict):
    id: Id
    title: Title
    at: Duration | None = Field(default=None, description="Fires once case time reaches this.")
    when: Expression | None = Field(default=None, description="Fires once this becomes true.")
    delay: Duration | None = Field(
        default=None,
        description=(
            "With `when`: fires this long after the condition first holds (the moment it "
            "holds schedules it; it then fires even if the condition no longer holds)."
        ),
    )
    manual: bool = Field(default=False, description="Fired by the facilitator.")
    to: list[Id] | None = Field(default=None, description="Roles that see the message.")
    message: Markdown = ""
    effects: Effects | None = None
    goto: Id | None = None
    end: Id | None = None


class Ending(Strict):
    id: Id
    title: Title
    when: Expression | None = Field(
        default=None, description="Endings are tried in order; the first that holds is chosen."
    )
    outcome: Literal["success", "partial", "failure"] = "partial"
    narrative: Markdown = ""


class Misconception(Strict):
    id: Id
    title: Title
    explanation: Markdown = ""


class ExpertStep(Strict):
    do: Id | None = Field(default=None, description="An action the expert takes.")
    role: Id | None = None
    approve: Id | None = Field(default=None, description="Approve the pending action with this id.")
    refuse: Id | None = None
    wait: bool = False
    answer: list[Id] | float | str | None = None
    rationale: Markdown = ""


class Clock(Strict):
    start: str = Field(
        default="2026-03-02T08:00",
        description="Case date and time at which the case starts (ISO 8601: 2026-03-02T08:00).",
    )

    @field_validator("start")
    @classmethod
    def _a_real_time(cls, value: str) -> str:
        # Every page shows case time as a date: text that is not one, or year 9999 (where
        # one more minute overflows), would fail there instead of here.
        first, last = limits.CLOCK_YEARS
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                "not a date and time: write it as 2026-03-02T08:00 (ISO 8601)"
            ) from None
        if not first <= moment.year <= last:
            raise ValueError(f"the year must be between {first} and {last}")
        return value


class ScenarioDocument(Strict):
    """The merged content of a scenario folder (scenario.yaml plus further YAML files)."""

    id: Id
    # Both are stored in the database's ScenarioVersion row (scenarios/models.py): a longer
    # text would be refused there, after validation had said the scenario was fine.
    version: Annotated[str, AfterValidator(not_blank), Field(max_length=limits.MAX_VERSION_CHARS)]
    title: Annotated[str, AfterValidator(not_blank), Field(max_length=limits.MAX_TITLE_CHARS)]
    summary: Markdown = ""
    languages: list[str] = Field(default_factory=lambda: ["en"])
    audiences: list[str] = Field(default_factory=list)
    duration: Duration = Field(default=0, description="Planned training time for the case.")
    objectives: list[Objective] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    clock: Clock = Field(default_factory=Clock)
    start: Id
    phases: list[Phase] = Field(min_length=1)
    rubric: list[RubricDimension] = Field(default_factory=lambda: list(DEFAULT_RUBRIC))
    roles: list[Role] = Field(min_length=1)
    authorities: list[Authority] = Field(
        default_factory=list,
        description="Parties nobody plays, answering approvals (`then`) and requests.",
    )
    variables: dict[VarName, Variable] = Field(default_factory=dict)
    scenes: list[Scene] = Field(min_length=1)
    actions: list[Action] = Field(default_factory=list, description="Global actions.")
    documents: list[Document] = Field(default_factory=list)
    # Every event tests the injects still to come: thousands made each move slow.
    injects: list[Inject] = Field(default_factory=list, max_length=limits.MAX_INJECTS)
    endings: list[Ending] = Field(min_length=1)
    misconceptions: list[Misconception] = Field(default_factory=list)
    expert_path: list[ExpertStep] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """The JSON Schema an editor uses to autocomplete and underline scenario files."""
    schema = ScenarioDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Caseroom scenario file"
    # A folder may spread its content over several files, so no single file must hold
    # everything; the loader checks completeness of the merged folder.
    schema["required"] = []
    return schema
