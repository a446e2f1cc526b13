"""`caseroom play`: a scenario in the terminal, for authors trying out their own cases.

One person plays one role, or every role at once ("a team of one"). Each turn shows the
case time, the scene, what happened since the last turn, and a numbered menu of what the
role(s) can do now; `d` documents, `b` briefing, `s` score, `q` quit. At the ending: the
narrative, the score and the trajectory.

The menu is deterministic (`menu_entries`), so tests can drive a game by number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from caseroom.engine import FeedItem, IllegalAction, Scenario, Session
from caseroom.engine.model import Action, Input
from caseroom.engine.strings import text

__all__ = ["Entry", "menu_entries", "run_play"]

EntryKind = Literal["act", "approve", "refuse", "wait", "unavailable"]
Ask = Callable[[str], str]

GRADE_STYLE = {
    "exemplary": "bold green",
    "acceptable": "green",
    "poor": "yellow",
    "harmful": "bold red",
}
OUTCOME_STYLE = {"success": "bold green", "partial": "bold yellow", "failure": "bold red"}
MENU_PROMPT = "[bold cyan]Your choice[/] [dim](number, d b s q)[/]: "


class _Quit(Exception):
    """The player quits (q, end of input or Ctrl-C)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the menu; `number` is None for greyed-out actions."""

    kind: EntryKind
    label: str
    number: int | None = None
    role: str | None = None
    action: str | None = None
    reason: str = ""
    who: str = ""  # the title of the acting (or deciding) role
    note: str = ""  # cost, approval, request, kind of answer


# ---------------------------------------------------------------- small helpers


def _t(scenario: Scenario, key: str, lang: str | None, fallback: str = "") -> str:
    return text(scenario, key, lang) or fallback


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _duration(minutes: int) -> str:
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins else ""]
    return " ".join(p for p in parts if p) or "0m"


def case_time(scenario: Scenario, clock: int) -> str:
    """The case date and time `clock` minutes after the scenario's `clock.start`."""
    moment = _moment(scenario, clock)
    return moment.strftime("%a %d %b %Y, %H:%M") if moment else f"+{_duration(clock)}"


def _moment(scenario: Scenario, clock: int) -> datetime | None:
    """The case's date and time, or None when there is none to show.

    The loader only accepts a start between 1900 and 2200, but repeatable actions can
    still carry the clock past year 9999, where datetime overflows.
    """
    try:
        return datetime.fromisoformat(scenario.doc.clock.start) + timedelta(minutes=clock)
    except (ValueError, OverflowError):
        return None


def _role_title(scenario: Scenario, role: str | None, lang: str | None) -> str:
    if role is None or role not in scenario.roles:
        return role or "the team"
    return _t(scenario, f"role.{role}.title", lang, scenario.roles[role].title)


def _action_text(scenario: Scenario, action_id: str, lang: str | None) -> str:
    return _t(scenario, f"action.{action_id}.text", lang, scenario.actions[action_id].text)


def _roles_for(scenario: Scenario, action: Action, roles: Sequence[str]) -> list[str]:
    """The played roles that may take the action, in playing order."""
    return [r for r in roles if action.roles is None or r in action.roles]


def _note(scenario: Scenario, action: Action, lang: str | None) -> str:
    """What taking the action involves: its cost, an approval, a request."""
    parts = []
    if action.cost:
        parts.append(_duration(action.cost))
    if action.approval is not None:
        parts.append(f"needs approval: {_role_title(scenario, action.approval.role, lang)}")
    if action.request is not None:
        parts.append(f"request to {_role_title(scenario, action.request.to, lang)}")
    if action.input is not None:
        parts.append(f"{action.input.type} answer")
    return " · ".join(parts)


# ---------------------------------------------------------------- the menu


def menu_entries(session: Session, roles: Sequence[str], lang: str | None = None) -> list[Entry]:
    """The menu for the played roles, numbered from 1 in a stable order.

    Actions of the current scene (then global ones) in scenario order. An action limited to
    some roles appears once per played role that may take it; an action open to anyone
    appears once, taken by the first played role for which it is enabled. An action no
    played role can take now is listed greyed out (no number) with the reason. Then pending
    approvals (approve, refuse) of the played roles, then waiting when anything is pending.
    """
    scenario = session.scenario
    entries: list[Entry] = []
    number = 0

    def add(kind: EntryKind, label: str, role: str | None, action: str | None, note: str) -> None:
        nonlocal number
        number += 1
        who = _role_title(scenario, role, lang) if role is not None else ""
        entries.append(Entry(kind, label, number, role, action, who=who, note=note))

    for action_id in session.current_actions():
        action = scenario.actions[action_id]
        candidates = _roles_for(scenario, action, roles)
        if not candidates:
            continue
        label = _one_line(_action_text(scenario, action_id, lang))
        checks = [(role, session.check(role, action_id)) for role in candidates]
        enabled = [role for role, option in checks if option.enabled]
        note = _note(scenario, action, lang)
        if not enabled:
            reason = checks[0][1].reason
            entries.append(Entry("unavailable", label, None, None, action_id, reason))
        elif action.roles is None:
            add("act", label, enabled[0], action_id, note)
        else:
            for role in enabled:
                add("act", label, role, action_id, note)
    for role in roles:
        for pending in session.awaiting(role):
            label = _one_line(_action_text(scenario, pending.action, lang))
            asked = f"asked by {_role_title(scenario, pending.role, lang)}"
            add("approve", f"Approve: {label}", role, pending.action, asked)
            add("refuse", f"Refuse: {label}", role, pending.action, asked)
    if session.can_wait():
        wait = "Wait: let case time pass until the next answer or event"
        add("wait", wait, None, None, "")
    return entries


# ---------------------------------------------------------------- rendering


def render_menu(entries: Sequence[Entry], *, show_roles: bool) -> RenderableType:
    """The numbered menu; with `show_roles`, a column says which role acts."""
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(ratio=3)
    if show_roles:
        grid.add_column(ratio=2)
    previous: Entry | None = None
    for entry in entries:
        same = previous is not None and entry.kind == "act" and previous.action == entry.action
        previous = entry
        if entry.number is None:
            body = Text(entry.label, style="dim")
            body.append(f" — {entry.reason}", style="dim italic")
            row: list[RenderableType] = [Text("·", style="dim"), body]
            if show_roles:
                row.append(Text(""))
            grid.add_row(*row)
            continue
        style = {"approve": "green", "refuse": "red", "wait": "cyan"}.get(entry.kind, "")
        body = Text("  ″ (same, another role)", style="dim") if same else Text(entry.label, style)
        side = Text(entry.who, style="bold") if show_roles else Text()
        if entry.note:
            side.append(("\n" if show_roles and entry.who else "") + entry.note, style="dim")
        if not show_roles and entry.note:
            body.append("  (", style="dim").append(side).append(")", style="dim")
        row = [Text(f"{entry.number}.", style="bold cyan"), body]
        if show_roles:
            row.append(side)
        grid.add_row(*row)
    commands = Text("d documents · b briefing · s score · q quit", style="dim")
    return Group(grid, commands)


def render_status(session: Session, lang: str | None) -> RenderableType:
    scenario = session.scenario
    state = session.state
    phase = scenario.doc.phases[scenario.phase_order.get(state.phase, 0)]
    title = _t(scenario, f"phase.{phase.id}.title", lang, phase.title)
    return Rule(
        f"[bold]{escape(case_time(scenario, state.clock))}[/] · {escape(title)}", style="cyan"
    )


def render_scene(
    scenario: Scenario, scene_id: str, roles: Sequence[str], lang: str | None
) -> RenderableType:
    scene = scenario.scenes[scene_id]
    title = _t(scenario, f"scene.{scene_id}.title", lang, scene.title)
    if scene.roles is not None and not set(scene.roles) & set(roles):
        body: RenderableType = Text("(The scene text is for other roles.)", style="dim")
    else:
        body = Markdown(_t(scenario, f"scene.{scene_id}.text", lang, scene.text))
    return Panel(body, title=f"[bold]{escape(title)}[/]", border_style="blue", padding=(1, 2))


def render_feed_item(scenario: Scenario, item: FeedItem, lang: str | None) -> RenderableType | None:
    """One thing that happened, or None for what is shown elsewhere (scenes, the ending)."""
    words = _t(scenario, item.key, lang) if item.key else ""
    kind = item.kind
    if kind == "feedback":
        return Panel(Markdown(words), title="Feedback", title_align="left", border_style="green")
    if kind == "inject":
        inject = scenario.injects[item.ref]
        title = _t(scenario, f"inject.{item.ref}.title", lang, inject.title)
        return Panel(Markdown(words), title=f"[bold]{escape(title)}[/]", border_style="yellow")
    if kind == "reply":
        action = scenario.actions[item.ref]
        request = action.request
        sender = _role_title(scenario, request.to if request else None, lang)
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
        to = _role_title(scenario, request.to if request else None, lang)
        delay = f"; answer in about {_duration(request.delay)}" if request else ""
        return Text(f"→ Request sent to {to}{delay}: {_one_line(words)}", style="magenta")
    if kind == "approval":
        action = scenario.actions[item.ref]
        approver = _role_title(scenario, action.approval.role if action.approval else None, lang)
        prompt = words or _one_line(_action_text(scenario, item.ref, lang))
        return Panel(
            Markdown(prompt),
            title=f"Waiting for approval: {escape(approver)}",
            title_align="left",
            border_style="cyan",
        )
    if kind == "refusal":
        who = _role_title(scenario, item.role, lang)
        what = _one_line(_action_text(scenario, item.ref, lang))
        return Text(f"✗ Refused by {who}: {what}\n  Reason: {item.reason or '—'}", style="red")
    if kind == "document":
        title = _t(scenario, f"document.{item.ref}.title", lang, scenario.documents[item.ref].title)
        return Text(f"New document: {title} (d to read)", style="bold blue")
    return None


def _cell(scenario: Scenario, doc_id: str, r: int, c: int, value: Any, lang: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _t(scenario, f"document.{doc_id}.table.{r}.{c}", lang, value)
    return str(value)


def render_document(scenario: Scenario, doc_id: str, lang: str | None) -> RenderableType:
    doc = scenario.documents[doc_id]
    key = f"document.{doc_id}"
    parts: list[RenderableType] = []
    meta = " · ".join(p for p in (doc.kind, doc.date, doc.reference) if p)
    parts.append(Text(meta, style="dim"))
    body = _t(scenario, f"{key}.body", lang, doc.body)
    if body:
        parts.append(Markdown(body))
    if doc.table is not None:
        table = Table(show_lines=False, header_style="bold")
        # Cells as Text: a table reads plain strings as Rich markup, and '[/]' in a cell
        # crashed `caseroom play` when the document was opened.
        for index, column in enumerate(doc.table.columns):
            table.add_column(Text(_t(scenario, f"{key}.table.columns.{index}", lang, column)))
        for r, row in enumerate(doc.table.rows):
            table.add_row(
                *(Text(_cell(scenario, doc_id, r, c, v, lang)) for c, v in enumerate(row))
            )
        parts.append(table)
    if doc.image:
        parts.append(Text(f"Image: {scenario.root / doc.image}", style="italic"))
    if doc.caption:
        parts.append(Text(_t(scenario, f"{key}.caption", lang, doc.caption), style="italic dim"))
    title = _t(scenario, f"{key}.title", lang, doc.title)
    return Panel(Group(*parts), title=f"[bold]{escape(title)}[/]", border_style="blue")


def render_briefings(scenario: Scenario, roles: Sequence[str], lang: str | None) -> RenderableType:
    panels: list[RenderableType] = []
    for role_id in roles:
        role = scenario.roles[role_id]
        title = _role_title(scenario, role_id, lang)
        where = " · ".join(p for p in (role.agency, role.country) if p)
        briefing = _t(scenario, f"role.{role_id}.briefing", lang, role.briefing) or "(no briefing)"
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
            Text(_t(scenario, f"rubric.{dim.id}.title", lang, dim.title)),
            str(score["rubric"].get(dim.id, 0)),
        )
    rubric.add_row(Text("Total", style="bold"), Text(str(score["total"]), style="bold"))
    objectives = Table(title="Learning objectives", header_style="bold")
    objectives.add_column("Objective", ratio=1)
    objectives.add_column("Attainment", justify="right", no_wrap=True)
    texts = {o.id: o.text for o in scenario.doc.objectives}
    for ident, value in score["objectives"].items():
        label = _one_line(_t(scenario, f"objective.{ident}.text", lang, texts.get(ident, ident)))
        objectives.add_row(Text(label), "—" if value is None else f"{value}%")
    return Group(rubric, objectives)


def _step_label(session: Session, kind: str, ref: str, lang: str | None) -> str:
    scenario = session.scenario
    if kind == "inject" and ref in scenario.injects:
        return "Inject: " + _t(scenario, f"inject.{ref}.title", lang, scenario.injects[ref].title)
    label = _one_line(_action_text(scenario, ref, lang)) if ref in scenario.actions else ref
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
    return moment.strftime("%a %H:%M") if moment else f"+{_duration(clock)}"


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
            f"• {_t(scenario, f'misconception.{ident}.title', lang, title)}\n", style="red"
        )
    return Panel(lines, title="Misconceptions shown", border_style="red")


def render_ending(session: Session, lang: str | None) -> RenderableType:
    scenario = session.scenario
    ending_id = session.outcome
    assert ending_id is not None
    ending = scenario.endings[ending_id]
    title = _t(scenario, f"ending.{ending_id}.title", lang, ending.title)
    narrative = _t(scenario, f"ending.{ending_id}.narrative", lang, ending.narrative)
    style = OUTCOME_STYLE.get(ending.outcome, "bold")
    header = Text(f"Outcome: {ending.outcome}", style=style)
    body = Group(header, Markdown(narrative)) if narrative else header
    return Panel(
        body,
        title=f"[bold]The end: {escape(title)}[/]",
        border_style=style.split()[-1],
        padding=(1, 2),
    )


# ---------------------------------------------------------------- the game


class _Game:
    def __init__(
        self, session: Session, roles: list[str], console: Console, lang: str | None, ask: Ask
    ) -> None:
        self.session = session
        self.scenario = session.scenario
        self.roles = roles
        self.console = console
        self.lang = lang
        self._ask = ask
        self.seen_feed = 0

    # input ----------------------------------------------------------------------

    def ask(self, prompt: str) -> str:
        try:
            return self._ask(prompt).strip()
        except (EOFError, KeyboardInterrupt):
            raise _Quit from None

    def say(self, message: str, style: str = "yellow") -> None:
        self.console.print(Text(message, style=style))

    # turns ----------------------------------------------------------------------

    def intro(self) -> None:
        sc = self.scenario
        title = _t(sc, "scenario.title", self.lang, sc.doc.title)
        summary = _t(sc, "scenario.summary", self.lang, sc.doc.summary)
        playing = (
            "every role (a team of one)"
            if len(self.roles) > 1
            else _role_title(sc, self.roles[0], self.lang)
        )
        body = Group(Markdown(summary), Text(f"\nYou play: {playing}", style="bold"))
        self.console.print(
            Panel(
                body, title=f"[bold]{escape(title)}[/]", border_style="bright_blue", padding=(1, 2)
            )
        )
        self.console.print(render_briefings(sc, self.roles, self.lang))

    def visible(self, item: FeedItem) -> bool:
        return item.roles is None or bool(set(item.roles) & set(self.roles))

    def show_news(self) -> None:
        feed = self.session.state.feed
        for item in feed[self.seen_feed :]:
            if not self.visible(item):
                continue
            rendered: RenderableType | None
            if item.kind == "scene":  # the scenes entered, in their place among the news
                rendered = render_scene(self.scenario, item.ref, self.roles, self.lang)
            else:
                rendered = render_feed_item(self.scenario, item, self.lang)
            if rendered is not None:
                self.console.print(rendered)
        self.seen_feed = len(feed)

    def turn(self) -> None:
        session = self.session
        self.console.print()
        self.console.print(render_status(session, self.lang))
        self.show_news()
        entries = menu_entries(session, self.roles, self.lang)
        self.console.print(render_menu(entries, show_roles=len(self.roles) > 1))
        if not any(e.number is not None for e in entries):
            self.say(self.stuck_message())
        self.handle(self.ask(MENU_PROMPT), entries)

    def stuck_message(self) -> str:
        if self.session.moves():
            return (
                "Nothing for your role to do now: another role has to act, and in this "
                "single-role game nobody plays it. Play every role (leave out --role) to "
                "go on, or type q to quit."
            )
        return "Nothing can be done now: this looks like a dead end of the scenario. Type q."

    def handle(self, choice: str, entries: Sequence[Entry]) -> None:
        command = choice.lower()
        if command in ("q", "quit", "exit"):
            raise _Quit
        if command in ("d", "docs", "documents"):
            self.documents()
            return
        if command in ("b", "briefing"):
            self.console.print(render_briefings(self.scenario, self.roles, self.lang))
            return
        if command in ("s", "score"):
            self.console.print(render_score(self.session, self.lang))
            return
        if command in ("", "?", "h", "help"):
            self.say(
                "Type the number of an entry, or d (documents), b (briefing), s (score), q (quit)."
            )
            return
        chosen = next(
            (e for e in entries if e.number is not None and str(e.number) == command), None
        )
        if chosen is None:
            self.say(f"“{choice}” is not on the menu. Type a number from the list, or d, b, s, q.")
            return
        self.run(chosen)

    def run(self, entry: Entry) -> None:
        try:
            if entry.kind == "act":
                assert entry.role is not None and entry.action is not None
                answer = self.answer(entry.action)
                if answer is _CANCELLED:
                    self.say("Cancelled.", "dim")
                    return
                self.session.act(entry.role, entry.action, answer)
            elif entry.kind == "approve":
                assert entry.role is not None and entry.action is not None
                self.session.approve(entry.action, entry.role)
            elif entry.kind == "refuse":
                assert entry.role is not None and entry.action is not None
                reason = self.refusal_reason(entry.action)
                if not reason:
                    self.say("Cancelled.", "dim")
                    return
                self.session.refuse(entry.action, entry.role, reason)
            elif entry.kind == "wait":
                self.session.wait(entry.role)
        except IllegalAction as problem:
            self.say(f"That is not possible now: {problem.message}")

    # answers --------------------------------------------------------------------

    def answer(self, action_id: str) -> Any:
        spec = self.scenario.actions[action_id].input
        if spec is None:
            return None
        prompt = _t(self.scenario, f"action.{action_id}.input.prompt", self.lang, spec.prompt)
        if prompt:
            self.console.print(Panel(Markdown(prompt), border_style="cyan"))
        while True:
            raw = self.ask(self.input_prompt(action_id, spec))
            if not raw:
                return _CANCELLED
            try:
                return self.parse_answer(spec, raw)
            except ValueError as problem:
                self.say(f"{problem} Try again, or press Enter to cancel.")

    def input_prompt(self, action_id: str, spec: Input) -> str:
        if spec.type in ("multi", "order"):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right")
            grid.add_column()
            for index, item in enumerate(spec.items, start=1):
                words = _t(
                    self.scenario,
                    f"action.{action_id}.input.items.{item.id}.text",
                    self.lang,
                    item.text,
                )
                grid.add_row(Text(f"{index}.", style="bold cyan"), Markdown(words))
            self.console.print(grid)
            if spec.type == "multi":
                return "Item numbers, comma-separated (Enter to cancel): "
            count = len(spec.items)
            return f"All {count} item numbers in your order, comma-separated (Enter to cancel): "
        if spec.type == "numeric":
            unit = f" ({escape(spec.unit)})" if spec.unit else ""
            return f"Your answer{unit}, a number (Enter to cancel): "
        return "Your answer, one line (Enter to cancel): "

    @staticmethod
    def parse_answer(spec: Input, raw: str) -> Any:
        if spec.type in ("multi", "order"):
            numbers: list[int] = []
            for part in raw.replace(";", ",").replace(" ", ",").split(","):
                if not part:
                    continue
                if not part.isdigit() or not 1 <= int(part) <= len(spec.items):
                    raise ValueError(f"“{part}” is not an item number (1–{len(spec.items)}).")
                numbers.append(int(part))
            if len(set(numbers)) != len(numbers):
                raise ValueError("An item is listed twice.")
            if spec.type == "order" and len(numbers) != len(spec.items):
                raise ValueError(f"Put all {len(spec.items)} items in order.")
            return [spec.items[n - 1].id for n in numbers]
        if spec.type == "numeric":
            try:
                return float(raw.replace(",", "").replace(" ", ""))
            except ValueError:
                raise ValueError(f"“{raw}” is not a number.") from None
        return raw

    def refusal_reason(self, action_id: str) -> str:
        approval = self.scenario.actions[action_id].approval
        reasons = [
            _t(self.scenario, f"action.{action_id}.approval.reasons.{i}", self.lang, r)
            for i, r in enumerate(approval.reasons if approval else [])
        ]
        for index, reason in enumerate(reasons, start=1):
            self.console.print(Text.assemble((f"{index:>3}. ", "bold cyan"), reason))
        hint = "a number or your own words" if reasons else "your reason"
        raw = self.ask(f"Why do you refuse? ({hint}; Enter to cancel): ")
        if raw.isdigit() and 1 <= int(raw) <= len(reasons):
            return reasons[int(raw) - 1]
        return raw

    # documents ------------------------------------------------------------------

    def documents(self) -> None:
        docs: list[str] = []
        for role in self.roles:
            docs.extend(d for d in self.session.visible_documents(role) if d not in docs)
        if not docs:
            self.say("No documents yet.", "dim")
            return
        table = Table(title="Documents", header_style="bold")
        table.add_column("#", justify="right")
        table.add_column("Title")
        table.add_column("Kind")
        table.add_column("Date")
        for index, doc_id in enumerate(docs, start=1):
            doc = self.scenario.documents[doc_id]
            title = _t(self.scenario, f"document.{doc_id}.title", self.lang, doc.title)
            table.add_row(str(index), Text(title), doc.kind, Text(doc.date or ""))
        self.console.print(table)
        raw = self.ask("Open which document? (number, Enter to go back): ")
        if raw.isdigit() and 1 <= int(raw) <= len(docs):
            self.console.print(render_document(self.scenario, docs[int(raw) - 1], self.lang))
        elif raw:
            self.say(f"“{raw}” is not a document number.")

    # the end --------------------------------------------------------------------

    def ending(self) -> None:
        self.show_news()
        self.console.print()
        self.console.print(render_ending(self.session, self.lang))
        self.console.print(render_score(self.session, self.lang))
        self.console.print(render_trajectory(self.session, self.lang))
        misconceptions = render_misconceptions(self.session, self.lang)
        if misconceptions is not None:
            self.console.print(misconceptions)


_CANCELLED = object()


def run_play(
    scenario: Scenario,
    role: str | None,
    console: Console,
    lang: str | None = None,
    ask: Ask | None = None,
    *,
    session: Session | None = None,
) -> Session:
    """Play `scenario` in the terminal as `role`, or as every role when `role` is None.

    `ask` reads one line for a prompt (default `console.input`); end of input or Ctrl-C
    quits cleanly. Pass `session` to continue (or observe) a session of your own.
    """
    session = session if session is not None else Session(scenario)
    roles = [role] if role is not None else list(scenario.roles)
    game = _Game(session, roles, console, lang, ask or console.input)
    game.intro()
    try:
        while not session.ended:
            game.turn()
    except (_Quit, KeyboardInterrupt):
        game.show_news()
        console.print()
        console.print(Text("You leave the case. Score so far:", style="bold"))
        console.print(render_score(session, lang))
        return session
    game.ending()
    return session
