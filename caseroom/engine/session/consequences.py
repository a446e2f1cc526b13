"""What an event sets off once its rule has run: scenes entered, effects applied, injects
fired, assessed steps recorded, actions completed, and replies and timed injects arriving
as case time passes.

Functions of the scenario and a state, changing the state in place; the rules (`rules.py`)
and the session call them after an event has been checked, so none of them refuses.
"""

from __future__ import annotations

from typing import Any

from ..answers import score_answer
from ..expressions import Answer
from ..model import Assessment, Effects
from ..scenario import END, Scenario
from .events import FeedItem, Pending, Step
from .state import Discard, State
from .tracks import Track, move, regroup
from .tracks import of as track_of

__all__ = [
    "apply_effects",
    "approved",
    "complete",
    "enter",
    "fire",
    "finish",
    "jump",
    "next_due",
    "record",
    "release",
    "settle",
]


def enter(sc: Scenario, state: State, scene_id: str) -> None:
    """The team enters a scene; `goto: end` reaches the first ending whose condition holds."""
    if scene_id == END:
        finish(state, _choose_ending(sc, state))
        return
    scene = sc.scenes[scene_id]
    state.scene = scene_id
    state.phase = scene.phase
    state.visited.setdefault(scene_id, state.clock)
    state.feed.append(FeedItem(state.clock, "scene", scene_id, f"scene.{scene_id}.title"))
    if scene.on_enter is not None:
        apply_effects(sc, state, scene.on_enter, None)


def _choose_ending(sc: Scenario, state: State) -> str:
    for ending_id, condition in sc.ending_conditions.items():
        if condition is None or condition(state, None):
            return ending_id
    # The validator warns when the last ending has a condition; never leave a team stuck.
    return list(sc.endings)[-1]


def finish(state: State, ending_id: str) -> None:
    """The case ends: nothing stays pending."""
    state.ending = ending_id
    state.scene = None
    state.pending.clear()
    state.pending_actions.clear()
    state.scheduled.clear()
    state.tracks.clear()  # an ending ends every track
    state.feed.append(FeedItem(state.clock, "ending", ending_id, f"ending.{ending_id}.narrative"))


def jump(
    sc: Scenario, state: State, goto: str | None, end: str | None, track: Track | None = None
) -> None:
    """Follow a `goto` or an `end`, unless the case has already ended; a `goto` of what
    was done on a `track` moves that track only (`tracks.py`)."""
    if state.ending is not None:
        return
    if end is not None:
        finish(state, end)
    elif goto is not None and track is not None:
        move(sc, state, track, goto)
    elif goto is not None:
        enter(sc, state, goto)


def apply_effects(sc: Scenario, state: State, effects: Effects, role: str | None) -> None:
    """An `effects` block: variables set (ints kept within min and max), documents
    unlocked, injects fired; `role` owns the role-scoped variables."""
    for name, value in effects.set.items():
        target = _vars_for(sc, state, name, role)
        target[name] = frozenset(value) if isinstance(value, list) else value
    for name, amount in effects.add.items():
        var = sc.variables[name]
        target = _vars_for(sc, state, name, role)
        new = target[name] + amount
        if var.min is not None and new < var.min:
            new = var.min
        if var.max is not None and new > var.max:
            new = var.max
        target[name] = new
    for name, members in effects.include.items():
        target = _vars_for(sc, state, name, role)
        target[name] = target[name] | (
            frozenset({members}) if isinstance(members, str) else frozenset(members)
        )
    for name, members in effects.exclude.items():
        target = _vars_for(sc, state, name, role)
        target[name] = target[name] - (
            frozenset({members}) if isinstance(members, str) else frozenset(members)
        )
    for document in effects.unlock:
        if document not in state.unlocked:
            state.unlocked[document] = state.clock
            roles = sc.documents[document].roles
            state.feed.append(
                FeedItem(
                    state.clock,
                    "document",
                    document,
                    f"document.{document}.title",
                    tuple(roles) if roles is not None else None,
                )
            )
    if effects.split or effects.join:
        regroup(sc, state, effects)
    for inject in effects.fire:
        fire(sc, state, inject)


def _vars_for(sc: Scenario, state: State, name: str, role: str | None) -> dict[str, Any]:
    if sc.variables[name].scope == "role":
        assert role is not None, "the loader rejects role variables outside a role's action"
        return state.role_vars[role]
    return state.vars


def fire(sc: Scenario, state: State, inject_id: str) -> None:
    """An inject arrives, once: its message, its effects, and where it leads."""
    if inject_id in state.fired or state.ending is not None:
        return
    inject = sc.injects[inject_id]
    state.fired[inject_id] = state.clock
    state.scheduled.pop(inject_id, None)  # the facilitator may fire a delayed one earlier
    state.feed.append(
        FeedItem(
            state.clock,
            "inject",
            inject_id,
            f"inject.{inject_id}.message",
            tuple(inject.to) if inject.to is not None else None,
        )
    )
    state.steps.append(Step(state.seq, "inject", inject_id, state.clock, state.scene))
    if inject.effects is not None:
        apply_effects(sc, state, inject.effects, None)
    jump(sc, state, inject.goto, inject.end)


def record(
    state: State,
    kind: str,
    ref: str,
    role: str | None,
    actor: str | None,
    item: Assessment,
    base: str,
    *,
    override: Assessment | None = None,
    override_key: str | None = None,
    answer: Any = None,
    score: float | None = None,
    reason: str | None = None,
) -> None:
    """Append an assessed step; an outcome's assessment overrides the action's own."""
    if type(state.steps) is Discard:
        return  # the explorer keeps no history
    grade = item.grade
    points = dict(item.points)
    objectives = tuple(item.objectives)
    misconception = item.misconception
    feedback = f"{base}.feedback" if item.feedback else None
    debrief = f"{base}.debrief" if item.debrief else None
    if override is not None:
        grade = override.grade or grade
        if "points" in override.model_fields_set:  # an outcome may say {} on purpose
            points = dict(override.points)
        objectives = tuple(override.objectives) or objectives
        misconception = override.misconception or misconception
        feedback = f"{override_key}.feedback" if override.feedback else feedback
        debrief = f"{override_key}.debrief" if override.debrief else debrief
    # A role on a track acted in its track's scene: the debrief shows that one.
    scene = state.tracks.get(role, state.scene) if state.tracks and role else state.scene
    state.steps.append(
        Step(
            state.seq,
            kind,
            ref,
            state.clock,
            scene,
            role,
            actor,
            grade.value if grade is not None else None,
            points,
            objectives,
            misconception,
            feedback,
            debrief,
            score,
            answer,
            reason,
        )
    )
    if feedback is not None:
        state.feed.append(FeedItem(state.clock, "feedback", ref, feedback, None, role, actor))


def complete(
    sc: Scenario, state: State, action_id: str, role: str, actor: str | None, answer: Any
) -> None:
    """An action takes effect (at once, or once approved)."""
    action = sc.actions[action_id]
    track = track_of(state, role)  # where the role was: its effects may move it
    state.taken[action_id] = state.taken.get(action_id, 0) + 1
    scored: Answer | None = None
    if action.input is not None:
        scored = score_answer(action.input, answer)
    outcome_index: int | None = None
    for index, condition in enumerate(sc.outcome_conditions[action_id]):
        if condition is None or condition.fn(state, role, scored):
            outcome_index = index
            break
    base = f"action.{action_id}"
    outcome = action.outcomes[outcome_index] if outcome_index is not None else None
    record(
        state,
        "act",
        action_id,
        role,
        actor,
        action,
        base,
        override=outcome,
        override_key=f"{base}.outcomes.{outcome_index}",
        answer=answer,
        score=scored.score if scored else None,
    )
    if action.effects is not None:
        apply_effects(sc, state, action.effects, role)
    if outcome is not None and outcome.effects is not None:
        apply_effects(sc, state, outcome.effects, role)
    if action.request is not None:
        request = action.request
        state.pending.append(
            Pending(
                "request",
                action_id,
                role,
                actor,
                request.to,
                answer,
                state.clock,
                # A role the linked team plays answers in person: no scripted time.
                None if request.to in state.remote else state.clock + request.delay,
            )
        )
        state.pending_actions[action_id] = state.pending_actions.get(action_id, 0) + 1
        state.feed.append(
            FeedItem(
                state.clock,
                "request",
                action_id,
                f"{base}.text",
                (role, request.to),
                role,
                actor,
            )
        )
    if outcome is not None and (outcome.goto or outcome.end):
        jump(sc, state, outcome.goto, outcome.end, track)
    else:
        jump(sc, state, action.goto, action.end, track)


def _reply(sc: Scenario, state: State, pending: Pending) -> None:
    action = sc.actions[pending.action]
    assert action.request is not None
    state.pending.remove(pending)
    release(state, pending.action)
    scored = score_answer(action.input, pending.answer) if action.input is not None else None
    if pending.reason is not None:  # refused by the linked team's person
        refused_outside(state, pending)
        return
    for index, condition in enumerate(sc.reply_conditions[pending.action]):
        chosen = pending.choice
        if (chosen is None and (condition is None or condition.fn(state, None, scored))) or (
            chosen == index
        ):
            reply = action.request.replies[index]
            key = f"action.{pending.action}.request.replies.{index}"
            state.feed.append(
                FeedItem(
                    state.clock,
                    "reply",
                    pending.action,
                    f"{key}.message",
                    (pending.role, pending.to),
                )
            )
            record(
                state,
                "reply",
                pending.action,
                pending.to,
                None,
                reply,
                key,
                score=scored.score if scored else None,
            )
            track = track_of(state, pending.role)
            if reply.effects is not None:
                apply_effects(sc, state, reply.effects, None)
            jump(sc, state, reply.goto, reply.end, track)
            return


def refused_outside(state: State, pending: Pending) -> None:
    """The linked team's person refused the request: the asking team reads their reason,
    and may ask again (even a `once` action), as after a refused approval."""
    left = state.taken.get(pending.action, 0) - 1
    if left > 0:
        state.taken[pending.action] = left
    else:
        state.taken.pop(pending.action, None)
    state.feed.append(
        FeedItem(
            state.clock,
            "refusal",
            pending.action,
            None,
            (pending.role, pending.to),
            pending.to,
            None,
            pending.reason,
        )
    )
    state.steps.append(
        Step(
            state.seq,
            "reply",
            pending.action,
            state.clock,
            state.scene,
            pending.to,
            reason=pending.reason,
        )
    )


def approved(sc: Scenario, state: State, pending: Pending) -> None:
    """A step of an approval said yes: the next step of its chain is asked (an authority
    nobody plays, answering after its delay), or, after the last, the action takes effect."""
    action = sc.actions[pending.action]
    assert action.approval is not None
    chain = action.approval.then
    if pending.step < len(chain):
        if state.ending is not None:
            return  # an effect of the approval ended the case: nobody is asked any more
        step = chain[pending.step]
        key = f"action.{pending.action}.approval.then.{pending.step}.prompt"
        state.pending.append(
            Pending(
                "decision",
                pending.action,
                pending.role,
                pending.actor,
                step.authority,
                pending.answer,
                state.clock,
                state.clock + step.delay,
                pending.step + 1,
            )
        )
        # As a played approval is announced: the asking role learns where it went.
        state.feed.append(
            FeedItem(
                state.clock,
                "approval",
                pending.action,
                key if step.prompt else None,
                None,
                pending.role,
                pending.actor,
            )
        )
        return
    release(state, pending.action)
    complete(sc, state, pending.action, pending.role, pending.actor, pending.answer)


def _decide(sc: Scenario, state: State, pending: Pending) -> None:
    """An authority nobody plays decides: the first answer whose condition holds."""
    action = sc.actions[pending.action]
    assert action.approval is not None
    state.pending.remove(pending)
    index = pending.step - 1
    step = action.approval.then[index]
    scored = score_answer(action.input, pending.answer) if action.input is not None else None
    chosen = None
    for number, condition in enumerate(sc.decision_conditions[pending.action][index]):
        if condition is None or condition.fn(state, None, scored):
            chosen = number
            break
    answer = step.answers[chosen] if chosen is not None else None
    if answer is not None and answer.decision == "approve":
        key = f"action.{pending.action}.approval.then.{index}.answers.{chosen}"
        state.feed.append(
            FeedItem(state.clock, "approved", pending.action, None, None, step.authority)
        )
        record(state, "approve", pending.action, step.authority, None, answer, key)
        if answer.effects is not None:
            apply_effects(sc, state, answer.effects, None)
        approved(sc, state, pending)
        return
    # Refused, or no answer holds (the validator asks for a default one).
    release(state, pending.action)
    reason = answer.reason if answer is not None else ""
    key = f"action.{pending.action}.approval.then.{index}.answers.{chosen}"
    # The reason as written, and its key for a page that translates it.
    state.feed.append(
        FeedItem(
            state.clock,
            "refusal",
            pending.action,
            f"{key}.reason" if reason else None,
            None,
            step.authority,
            None,
            reason,
        )
    )
    if answer is None:
        return
    record(state, "refuse", pending.action, step.authority, None, answer, key, reason=reason)
    track = track_of(state, pending.role)
    if answer.effects is not None:
        apply_effects(sc, state, answer.effects, None)
    jump(sc, state, answer.goto, answer.end, track)


def next_due(state: State) -> int | None:
    """When the next answer to a request (or an authority's decision) arrives: what
    waiting skips to.

    Only answers count. Letting a team wait for a timed inject would let it skip
    ahead through case time instead of working; timed injects come as time passes.
    """
    if state.ended:
        return None
    times = [p.due for p in state.pending if p.due is not None]
    return min(times) if times else None


def settle(sc: Scenario, state: State) -> None:
    """Let time-driven and condition-driven consequences happen, in time order.

    What is due by now comes first, the earliest first; at the same minute an answer to a
    request, then an `at` inject, then a delayed inject (in file order). Then the first
    conditional inject whose condition holds fires, or, with a `delay`, is scheduled.
    """
    # Names bound once: settle runs after every event, a quarter of an event's cost.
    fired, conditions, timed = state.fired, sc.conditions, sc.timed_injects
    conditional, scheduled, delays = sc.conditional_injects, state.scheduled, sc.delayed_injects
    # Each round answers, fires or schedules one thing (a delayed inject twice).
    for _ in range(2 * len(sc.injects) + len(state.pending) + len(sc.actions) + 2):
        if state.ending is not None:
            return
        clock = state.clock
        # The earliest thing due: a reply before an inject at the same minute.
        due: tuple[int, int, Any] | None = None
        for pending in state.pending:
            when = pending.due
            if when is not None and when <= clock and (due is None or when < due[0]):
                due = (when, 0, pending)
        for at, inject_id in timed:  # sorted by time
            if at > clock or (due is not None and at >= due[0]):
                break
            if inject_id not in fired:
                due = (at, 1, inject_id)
                break
        if scheduled:
            rank = sc.inject_rank
            ready = [(when, rank[i], i) for i, when in scheduled.items() if when <= clock]
            if ready:
                first = min(ready)
                if due is None or first[0] < due[0]:
                    due = (first[0], 1, first[2])
        if due is not None:
            if due[1] == 0 and due[2].kind == "decision":
                _decide(sc, state, due[2])
            elif due[1] == 0:
                _reply(sc, state, due[2])
            else:
                fire(sc, state, due[2])
            continue
        for inject_id in conditional:
            if (
                inject_id not in fired
                and inject_id not in scheduled
                and conditions[inject_id].fn(state, None, None)
            ):
                delay = delays.get(inject_id)
                if delay is None:
                    fire(sc, state, inject_id)
                else:
                    scheduled[inject_id] = state.clock + delay
                break
        else:
            return


def release(state: State, action_id: str) -> None:
    """One approval or request of the action is no longer pending."""
    left = state.pending_actions.get(action_id, 0) - 1
    if left > 0:
        state.pending_actions[action_id] = left
    else:
        state.pending_actions.pop(action_id, None)
