"""The menu of `caseroom play`: what the played roles can do now, numbered in a stable
order so that tests can drive a game by number, and its rendering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from caseroom.engine import Scenario, Session
from caseroom.engine.model import Action

from .render import action_text, duration, one_line, role_title

__all__ = ["Entry", "EntryKind", "menu_entries", "render_menu"]

EntryKind = Literal["act", "approve", "refuse", "wait", "unavailable"]


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


def _roles_for(scenario: Scenario, action: Action, roles: Sequence[str]) -> list[str]:
    """The played roles that may take the action, in playing order."""
    return [r for r in roles if action.roles is None or r in action.roles]


def _note(scenario: Scenario, action: Action, lang: str | None) -> str:
    """What taking the action involves: its cost, an approval, a request."""
    parts = []
    if action.cost:
        parts.append(duration(action.cost))
    if action.approval is not None:
        parts.append(f"needs approval: {role_title(scenario, action.approval.role, lang)}")
    if action.request is not None:
        parts.append(f"request to {role_title(scenario, action.request.to, lang)}")
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
        who = role_title(scenario, role, lang) if role is not None else ""
        entries.append(Entry(kind, label, number, role, action, who=who, note=note))

    for action_id in session.current_actions():
        action = scenario.actions[action_id]
        candidates = _roles_for(scenario, action, roles)
        if not candidates:
            continue
        label = one_line(action_text(scenario, action_id, lang))
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
            label = one_line(action_text(scenario, pending.action, lang))
            asked = f"asked by {role_title(scenario, pending.role, lang)}"
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
