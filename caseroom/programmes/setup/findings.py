"""The needs findings, read both ways: per finding (the needs page) and per module.

`needs_answered_by(module)` and `needs_by_module(programme)` are for the delivery part's module
pages ("which need a module answers"): one query each, whatever the number of findings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from caseroom.lib.markdown import render_markdown
from caseroom.programmes.models import Finding, Module, Programme

__all__ = ["FindingView", "NeedAnswered", "findings", "needs_answered_by", "needs_by_module"]


@dataclass(frozen=True)
class NeedAnswered:
    """A finding as a module page lists it."""

    finding_id: int
    topic: str


@dataclass(frozen=True)
class FindingView:
    finding_id: int
    topic: str
    html: SafeString  # the Markdown, rendered and sanitised by lib/markdown
    modules: tuple[str, ...]


def findings(programme: Programme) -> tuple[FindingView, ...]:
    """Every finding of the programme with the modules that answer it (2 queries)."""
    rows = Finding.objects.filter(programme=programme).prefetch_related("modules")
    return tuple(
        FindingView(
            finding_id=row.pk,
            topic=row.topic,
            # nh3 has already removed anything that could run in a browser.
            html=mark_safe(render_markdown(row.text)),  # noqa: S308
            modules=tuple(
                str(module) for module in sorted(row.modules.all(), key=lambda m: m.number)
            ),
        )
        for row in rows
    )


def needs_answered_by(module: Module) -> tuple[NeedAnswered, ...]:
    """The findings a module answers, by topic (1 query)."""
    return tuple(
        NeedAnswered(finding_id=pk, topic=topic)
        for pk, topic in module.findings.order_by("topic", "pk").values_list("pk", "topic")
    )


def needs_by_module(programme: Programme) -> dict[int, tuple[NeedAnswered, ...]]:
    """For a list of modules: module id → the findings it answers (1 query)."""
    found: dict[int, list[NeedAnswered]] = defaultdict(list)
    rows = (
        Finding.modules.through.objects.filter(finding__programme=programme)
        .order_by("finding__topic", "finding_id")
        .values_list("module_id", "finding_id", "finding__topic")
    )
    for module_id, finding_id, topic in rows:
        found[module_id].append(NeedAnswered(finding_id=finding_id, topic=topic))
    return {module_id: tuple(needs) for module_id, needs in found.items()}
