"""`caseroom play`: a scenario in the terminal, for authors trying out their own cases.

One person plays one role, or every role at once ("a team of one"). Each turn shows the
case time, the scene, what happened since the last turn, and a numbered menu of what the
role(s) can do now; `d` documents, `b` briefing, `s` score, `q` quit. At the ending: the
narrative, the score and the trajectory.

The menu is deterministic (`menu_entries`), so tests can drive a game by number. The
play loop lives here; the menu in `menu.py`, the rest of what is shown in `render.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from caseroom.engine import FeedItem, IllegalAction, Scenario, Session
from caseroom.engine.documents import document_date
from caseroom.engine.model import Input, InputItem
from caseroom.engine.shuffle import shown_items
from caseroom.engine.textmoments import text_moments

from .menu import Entry, menu_entries, render_menu

# case_time and short_time were imported from here before render.py held them.
from .render import case_time as case_time
from .render import (
    localised,
    render_briefings,
    render_document,
    render_ending,
    render_feed_item,
    render_misconceptions,
    render_scene,
    render_score,
    render_status,
    render_trajectory,
    render_whereabouts,
    role_title,
)
from .render import short_time as short_time

__all__ = ["PLAY_SEED", "Entry", "menu_entries", "run_play"]

Ask = Callable[[str], str]
# The terminal's one player sees answer items in this seed's order (engine.shuffle): the
# same on every run, so a saved log replays as it was played.
PLAY_SEED = "caseroom-play"
MENU_PROMPT = "[bold cyan]Your choice[/] [dim](number, d b s q)[/]: "


class _Quit(Exception):
    """The player quits (q, end of input or Ctrl-C)."""


# ---------------------------------------------------------------- the game


class _Game:
    """One game in the terminal: turns, the player's input, and what is shown."""

    def __init__(
        self,
        session: Session,
        roles: list[str],
        console: Console,
        lang: str | None,
        ask: Ask,
        seed: str = PLAY_SEED,
    ) -> None:
        self.session = session
        self.seed = seed
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
        title = localised(sc, "scenario.title", self.lang, sc.doc.title)
        summary = localised(sc, "scenario.summary", self.lang, sc.doc.summary)
        playing = (
            "every role (a team of one)"
            if len(self.roles) > 1
            else role_title(sc, self.roles[0], self.lang)
        )
        body = Group(Markdown(summary), Text(f"\nYou play: {playing}", style="bold"))
        self.console.print(
            Panel(
                body, title=f"[bold]{escape(title)}[/]", border_style="bright_blue", padding=(1, 2)
            )
        )
        self.console.print(render_briefings(sc, self.roles, self.lang, self.session.state))

    def visible(self, item: FeedItem) -> bool:
        return item.roles is None or bool(set(item.roles) & set(self.roles))

    def show_news(self) -> None:
        feed = self.session.state.feed
        # A message reads the state of the moment it arrived (a resumed log shows old news).
        moments = text_moments(self.session).feed if len(feed) > self.seen_feed else {}
        for index in range(self.seen_feed, len(feed)):
            item = feed[index]
            if not self.visible(item):
                continue
            rendered: RenderableType | None
            if item.kind == "scene":  # the scenes entered, in their place among the news
                rendered = render_scene(
                    self.scenario, item.ref, self.roles, self.lang, self.session.state
                )
            else:
                rendered = render_feed_item(self.scenario, item, self.lang, moments.get(index))
            if rendered is not None:
                self.console.print(rendered)
        self.seen_feed = len(feed)

    def turn(self) -> None:
        session = self.session
        self.console.print()
        self.console.print(render_status(session, self.lang))
        self.show_news()
        whereabouts = render_whereabouts(session, self.roles, self.lang)
        if whereabouts is not None:  # some roles are on a track of their own
            self.console.print(whereabouts)
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
            self.console.print(
                render_briefings(self.scenario, self.roles, self.lang, self.session.state)
            )
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
        prompt = localised(
            self.scenario, f"action.{action_id}.input.prompt", self.lang, spec.prompt
        )
        if prompt:
            self.console.print(Panel(Markdown(prompt), border_style="cyan"))
        while True:
            items = shown_items(self.scenario.actions[action_id], self.seed)
            raw = self.ask(self.input_prompt(action_id, spec, items))
            if not raw:
                return _CANCELLED
            try:
                return self.parse_answer(spec, raw, items)
            except ValueError as problem:
                self.say(f"{problem} Try again, or press Enter to cancel.")

    def input_prompt(
        self, action_id: str, spec: Input, items: Sequence[InputItem] | None = None
    ) -> str:
        """Lists the items numbered in `items`' order (the player's shuffled order)."""
        if spec.type in ("multi", "order"):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right")
            grid.add_column()
            for index, item in enumerate(items or spec.items, start=1):
                words = localised(
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
    def parse_answer(spec: Input, raw: str, items: Sequence[InputItem] | None = None) -> Any:
        """The answer typed, item numbers read in `items`' order (as they were listed)."""
        listed = list(items or spec.items)
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
            return [listed[n - 1].id for n in numbers]
        if spec.type == "numeric":
            try:
                return float(raw.replace(",", "").replace(" ", ""))
            except ValueError:
                raise ValueError(f"“{raw}” is not a number.") from None
        return raw

    def refusal_reason(self, action_id: str) -> str:
        approval = self.scenario.actions[action_id].approval
        reasons = [
            localised(self.scenario, f"action.{action_id}.approval.reasons.{i}", self.lang, r)
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
            title = localised(self.scenario, f"document.{doc_id}.title", self.lang, doc.title)
            date = document_date(self.scenario, doc_id, self.session.state.unlocked.get(doc_id))
            table.add_row(str(index), Text(title), doc.kind, Text(date or ""))
        self.console.print(table)
        raw = self.ask("Open which document? (number, Enter to go back): ")
        if raw.isdigit() and 1 <= int(raw) <= len(docs):
            doc_id = docs[int(raw) - 1]
            unlocked = text_moments(self.session).documents.get(doc_id)
            at = self.session.state.unlocked.get(doc_id)
            self.console.print(render_document(self.scenario, doc_id, self.lang, unlocked, at))
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
    seed: str = PLAY_SEED,
) -> Session:
    """Play `scenario` in the terminal as `role`, or as every role when `role` is None.

    `ask` reads one line for a prompt (default `console.input`); end of input or Ctrl-C
    quits cleanly. Pass `session` to continue (or observe) a session of your own.
    """
    session = session if session is not None else Session(scenario)
    roles = [role] if role is not None else list(scenario.roles)
    game = _Game(session, roles, console, lang, ask or console.input, seed)
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
