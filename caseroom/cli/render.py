"""Terminal rendering for `caseroom play`: the case time, scenes, news, documents,
briefings, score, trajectory and ending as Rich renderables, in the scenario's language
where it has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from caseroom.engine import FeedItem, Scenario, Session, State
from caseroom.engine.documents import document_date
from caseroom.engine.strings import text
from caseroom.engine.textstate import render_text

__all__ = [
    "GRADE_STYLE",
    "OUTCOME_STYLE",
    "action_text",
    "case_time",
    "duration",
    "localised",
    "one_line",
    "render_briefings",
    "render_document",
    "render_ending",
    "render_feed_item",
    "render_misconceptions",
    "render_scene",
    "render_score",
    "render_status",
    "render_whereabouts",
    "render_trajectory",
    "role_title",
    "short_time",
]

GRADE_STYLE = {
    "exemplary": "bold green",
    "acceptable": "green",
    "poor": "yellow",
    "harmful": "bold red",
}
OUTCOME_STYLE = {"success": "bold green", "partial": "bold yellow", "failure": "bold red"}


# ---------------------------------------------------------------- small helpers


def localised(scenario: Scenario, key: str, lang: str | None, fallback: str = "") -> str:
    """The text at `key` in `lang` (or the source language), else `fallback`."""
    return text(scenario, key, lang) or fallback


def one_line(value: str) -> str:
    return " ".join(value.split())


def duration(minutes: int) -> str:
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return " ".join(p for p in parts if p) or "0m"


def case_time(scenario: Scenario, clock: int) -> str:
    """The case date and time `clock` minutes after the scenario's `clock.start`."""
    moment = _moment(scenario, clock)
    return moment.strftime("%a %d %b %Y, %H:%M") if moment else f"+{duration(clock)}"


def _moment(scenario: Scenario, clock: int) -> datetime | None:
    """The case's date and time, or None when there is none to show.

    The loader only accepts a start between 1900 and 2200, but repeatable actions can
    still carry the clock past year 9999, where datetime overflows.
    """
    try:
        return datetime.fromisoformat(scenario.doc.clock.start) + timedelta(minutes=clock)
    except (ValueError, OverflowError):
        return None


def role_title(scenario: Scenario, role: str | None, lang: str | None) -> str:
    """A role's title, or an authority's (nobody plays it; its title has the same key)."""
    party = scenario.roles.get(role or "") or scenario.authorities.get(role or "")
    if role is None or party is None:
        return role or "the team"
    return localised(scenario, f"role.{role}.title", lang, party.title)


def _approver(scenario: Scenario, item: FeedItem) -> str | None:
    """Who decides next on an announced approval: the played approver, or the authority of
    the chain step the announcement's key names (a step without a prompt names none)."""
    approval = scenario.actions[item.ref].approval if item.ref else None
    if approval is None:
        return None
    if item.key is not None and ".approval.then." in item.key:
        step = int(item.key.split(".approval.then.")[1].split(".")[0])
        return approval.then[step].authority
    return approval.role if item.key is not None or not approval.then else None


def action_text(scenario: Scenario, action_id: str, lang: str | None) -> str:
    return localised(scenario, f"action.{action_id}.text", lang, scenario.actions[action_id].text)


# ---------------------------------------------------------------- rendering


def render_status(session: Session, lang: str | None) -> RenderableType:
    scenario = session.scenario
    state = session.state
    phase = scenario.doc.phases[scenario.phase_order.get(state.phase, 0)]
    title = localised(scenario, f"phase.{phase.id}.title", lang, phase.title)
    return Rule(
        f"[bold]{escape(case_time(scenario, state.clock))}[/] · {escape(title)}", style="cyan"
    )


def render_whereabouts(
    session: Session, roles: Sequence[str], lang: str | None
) -> RenderableType | None:
    """Where each part of the team is while roles are on a track of their own (`split`):
    "Protection worker (you): At the shelter"; None while the team is in one scene."""
    scenario = session.scenario
    if not session.state.tracks:
        return None
    lines = []
    mine = set(roles) if len(roles) < len(scenario.roles) else set()  # a team of one: all
    for scene, here in session.locations():
        if here:
            who = ", ".join(
                role_title(scenario, r, lang) + (" (you)" if r in mine else "") for r in here
            )
            title = localised(scenario, f"scene.{scene}.title", lang, scenario.scenes[scene].title)
            lines.append(f"{who}: {title}")
    return Text("\n".join(lines), style="magenta")


def render_scene(
    scenario: Scenario,
    scene_id: str,
    roles: Sequence[str],
    lang: str | None,
    state: State | None = None,
) -> RenderableType:
    """The scene; its text reads `state` (`{{ clock }}`, `{{ var.x }}`) when given."""
    scene = scenario.scenes[scene_id]
    title = localised(scenario, f"scene.{scene_id}.title", lang, scene.title)
    if scene.roles is not None and not set(scene.roles) & set(roles):
        body: RenderableType = Text("(The scene text is for other roles.)", style="dim")
    else:
        words = localised(scenario, f"scene.{scene_id}.text", lang, scene.text)
        body = Markdown(render_text(scenario, words, state, lang))
    return Panel(body, title=f"[bold]{escape(title)}[/]", border_style="blue", padding=(1, 2))


def render_feed_item(
    scenario: Scenario, item: FeedItem, lang: str | None, state: State | None = None
) -> RenderableType | None:
    """One thing that happened, or None for what is shown elsewhere (scenes, the ending);
    its text reads `state`, the state right after the event that brought it."""
    words = localised(scenario, item.key, lang) if item.key else ""
    words = render_text(scenario, words, state, lang)
    kind = item.kind
    if kind == "feedback":
        return Panel(Markdown(words), title="Feedback", title_align="left", border_style="green")
    if kind == "inject":
        inject = scenario.injects[item.ref]
        title = localised(scenario, f"inject.{item.ref}.title", lang, inject.title)
        return Panel(Markdown(words), title=f"[bold]{escape(title)}[/]", border_style="yellow")
    if kind == "reply":
        action = scenario.actions[item.ref]
        request = action.request
        sender = role_title(scenario, request.to if request else None, lang)
        channel = f" via {request.channel}" if request and request.channel else ""
        return Panel(
            Markdown(words),
            title=f"Reply from {escape(sender)}{escape(channel)}",
            title_align="left",
            border_style="magenta",
        )
    if kind == "request":
        action = scenario.actions[item.ref]
        request = action.request
        to = role_title(scenario, request.to if request else None, lang)
        delay = f"; answer in about {duration(request.delay)}" if request else ""
        return Text(f"→ Request sent to {to}{delay}: {one_line(words)}", style="magenta")
    if kind == "approval":
        action = scenario.actions[item.ref]
        approver = _approver(scenario, item)
        prompt = words or one_line(action_text(scenario, item.ref, lang))
        waiting = (
            f"Waiting for approval: {role_title(scenario, approver, lang)}"
            if approver
            else "Waiting for the next decision"
        )
        return Panel(
            Markdown(prompt),
            title=escape(waiting),
            title_align="left",
            border_style="cyan",
        )
    if kind == "refusal":
        who = role_title(scenario, item.role, lang)
        what = one_line(action_text(scenario, item.ref, lang))
        reason = (localised(scenario, item.key, lang) if item.key else "") or item.reason
        return Text(f"✗ Refused by {who}: {what}\n  Reason: {reason or '—'}", style="red")
    if kind == "document":
        title = localised(
            scenario, f"document.{item.ref}.title", lang, scenario.documents[item.ref].title
        )
        return Text(f"New document: {title} (d to read)", style="bold blue")
    return None


def _cell(scenario: Scenario, doc_id: str, r: int, c: int, value: Any, lang: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return localised(scenario, f"document.{doc_id}.table.{r}.{c}", lang, value)
    return str(value)


def render_document(
    scenario: Scenario,
    doc_id: str,
    lang: str | None,
    state: State | None = None,
    unlocked_at: int | None = None,
) -> RenderableType:
    """The document; its body reads `state`, the state when it was unlocked (at
    `unlocked_at`, case minutes, which dates a document written `date: arrival`)."""
    doc = scenario.documents[doc_id]
    key = f"document.{doc_id}"
    parts: list[RenderableType] = []
    date = document_date(scenario, doc_id, unlocked_at)
    meta = " · ".join(p for p in (doc.kind, date, doc.reference) if p)
    parts.append(Text(meta, style="dim"))
    body = render_text(scenario, localised(scenario, f"{key}.body", lang, doc.body), state, lang)
    if body:
        parts.append(Markdown(body))
    if doc.table is not None:
        table = Table(show_lines=False, header_style="bold")
        # Cells as Text: a table reads plain strings as Rich markup, and '[/]' in a cell
        # crashed `caseroom play` when the document was opened.
        for index, column in enumerate(doc.table.columns):
            table.add_column(
                Text(localised(scenario, f"{key}.table.columns.{index}", lang, column))
            )
        for r, row in enumerate(doc.table.rows):
            table.add_row(
                *(Text(_cell(scenario, doc_id, r, c, v, lang)) for c, v in enumerate(row))
            )
        parts.append(table)
    if doc.image:
        parts.append(Text(f"Image: {scenario.root / doc.image}", style="italic"))
    if doc.caption:
        parts.append(
            Text(localised(scenario, f"{key}.caption", lang, doc.caption), style="italic dim")
        )
    title = localised(scenario, f"{key}.title", lang, doc.title)
    return Panel(Group(*parts), title=f"[bold]{escape(title)}[/]", border_style="blue")


def render_briefings(
    scenario: Scenario, roles: Sequence[str], lang: str | None, state: State | None = None
) -> RenderableType:
    panels: list[RenderableType] = []
    for role_id in roles:
        role = scenario.roles[role_id]
        title = role_title(scenario, role_id, lang)
        where = " · ".join(p for p in (role.agency, role.country) if p)
        briefing = (
            render_text(
                scenario,
                localised(scenario, f"role.{role_id}.briefing", lang, role.briefing),
                state,
                lang,
            )
            or "(no briefing)"
        )
        panels.append(
            Panel(
                Markdown(briefing),
                title=f"[bold]Briefing: {escape(title)}[/]",
                subtitle=escape(where) if where else None,
                border_style="green",
            )
        )
    return Group(*panels)


def render_score(session: Session, lang: str | None) -> RenderableType:
    scenario = session.scenario
    score = session.score()
    rubric = Table(title="Rubric", header_style="bold")
    rubric.add_column("Dimension")
    rubric.add_column("Points", justify="right")
    for dim in scenario.doc.rubric:
        rubric.add_row(
            Text(localised(scenario, f"rubric.{dim.id}.title", lang, dim.title)),
            str(score["rubric"].get(dim.id, 0)),
        )
    rubric.add_row(Text("Total", style="bold"), Text(str(score["total"]), style="bold"))
    objectives = Table(title="Learning objectives", header_style="bold")
    objectives.add_column("Objective", ratio=1)
    objectives.add_column("Attainment", justify="right", no_wrap=True)
    texts = {o.id: o.text for o in scenario.doc.objectives}
    for ident, value in score["objectives"].items():
        label = one_line(
            localised(scenario, f"objective.{ident}.text", lang, texts.get(ident, ident))
        )
        objectives.add_row(Text(label), "—" if value is None else f"{value}%")
    return Group(rubric, objectives)


def _step_label(session: Session, kind: str, ref: str, lang: str | None) -> str:
    scenario = session.scenario
    if kind == "inject" and ref in scenario.injects:
        return "Inject: " + localised(
            scenario, f"inject.{ref}.title", lang, scenario.injects[ref].title
        )
    label = one_line(action_text(scenario, ref, lang)) if ref in scenario.actions else ref
    if len(label) > 60:
        label = label[:59].rstrip() + "…"
    prefix = {
        "approve": "Approved: ",
        "refuse": "Refused: ",
        "reply": "Reply: ",
        "grade": "Graded: ",
    }
    return prefix.get(kind, "") + label


def short_time(scenario: Scenario, clock: int) -> str:
    """Day and time only, for tables: `Sat 02:40`."""
    moment = _moment(scenario, clock)
    return moment.strftime("%a %H:%M") if moment else f"+{duration(clock)}"


def render_trajectory(session: Session, lang: str | None) -> RenderableType:
    table = Table(title="Trajectory", header_style="bold", expand=True)
    table.add_column("When", no_wrap=True)
    table.add_column("Step", ratio=3)
    table.add_column("Grade", no_wrap=True)
    table.add_column("Points", ratio=2)
    for step in session.trajectory():
        grade = Text(step.grade or "—", style=GRADE_STYLE.get(step.grade or "", "dim"))
        points = ", ".join(f"{d} {p:+d}" for d, p in step.points.items() if p)
        when = short_time(session.scenario, step.at)
        label = Text(_step_label(session, step.kind, step.ref, lang))
        table.add_row(when, label, grade, Text(points))
    return table


def render_misconceptions(session: Session, lang: str | None) -> RenderableType | None:
    scenario = session.scenario
    seen = [s.misconception for s in session.trajectory() if s.misconception]
    if not seen:
        return None
    known = {m.id: m for m in scenario.doc.misconceptions}
    lines = Text()
    for ident in dict.fromkeys(seen):
        title = known[ident].title if ident in known else ident
        lines.append(
            f"• {localised(scenario, f'misconception.{ident}.title', lang, title)}\n", style="red"
        )
    return Panel(lines, title="Misconceptions shown", border_style="red")


def render_ending(session: Session, lang: str | None) -> RenderableType:
    scenario = session.scenario
    ending_id = session.outcome
    assert ending_id is not None
    ending = scenario.endings[ending_id]
    title = localised(scenario, f"ending.{ending_id}.title", lang, ending.title)
    narrative = render_text(
        scenario,
        localised(scenario, f"ending.{ending_id}.narrative", lang, ending.narrative),
        session.state,
        lang,
    )
    style = OUTCOME_STYLE.get(ending.outcome, "bold")
    header = Text(f"Outcome: {ending.outcome}", style=style)
    body = Group(header, Markdown(narrative)) if narrative else header
    return Panel(
        body,
        title=f"[bold]The end: {escape(title)}[/]",
        border_style=style.split()[-1],
        padding=(1, 2),
    )
