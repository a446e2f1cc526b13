"""The debrief reads well where it is read: the flow's labels, the replay's words, the
projector's numbering, the PDF's charts and its tags (issue 13, "Debrief readability").

What needs a browser to measure (sizes in pixels, overflow) is in
tests/browser/test_debrief_readability.py.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pypdf
import pytest
from django.test import Client
from django.urls import reverse
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from caseroom.debrief.charts import _endings_figure, _scores_figure
from caseroom.debrief.flowsvg import FIT_WIDTH, FONT, render_flow_svg
from caseroom.engine import Event, FlowData, FlowLink, FlowNode
from caseroom.exercises import actions
from caseroom.exercises.models import Exercise, Team

SVG = "{http://www.w3.org/2000/svg}"


# ---------------------------------------------------------------- the flow diagram


def chain(length: int, title: str) -> FlowData:
    """A case of `length` scenes one after the other, five teams through all, one ending."""
    scenes = [FlowNode(f"s{i}", "scene", None, None, 5, True) for i in range(length)]
    ending = FlowNode("end", "ending", None, "success", 5, True)
    ids = [n.id for n in (*scenes, ending)]
    links = tuple(FlowLink(a, b, 5, True) for a, b in zip(ids, ids[1:], strict=False))
    return FlowData(5, (*scenes, ending), links, tuple(ids))


def labels(svg: str) -> list[list[str]]:
    root = ET.fromstring(svg)
    return [
        [span.text or "" for span in text]
        for text in root.iter(f"{SVG}text")
        if text.find(f"{SVG}tspan") is not None
    ]


def test_a_long_case_keeps_its_labels_whole_and_its_drawing_within_a_laptops_width() -> None:
    title = "The lorry, the warehouse and the witnesses"
    svg = render_flow_svg(chain(12, title), lambda node: title)
    root = ET.fromstring(svg)
    width = float(root.get("viewBox", "").split()[2])
    # Drawn at most FIT_WIDTH wide, in FONT-unit text: 1:1 or larger in the debrief's card.
    assert width <= FIT_WIDTH and FONT >= 12
    assert root.get("width") == "100%" and root.get("height") is None
    found = labels(svg)
    assert len(found) == 13
    for lines in found:
        assert " ".join(lines) == f"{title} (5)"  # wrapped over lines, never cut
    scenes = found[:-1]  # the endings' column has the room right of the drawing
    assert all(len(line) <= 20 for lines in scenes for line in lines)


def test_a_long_case_wraps_its_columns_onto_bands_joined_by_a_thin_line() -> None:
    svg = render_flow_svg(chain(12, "Scene"), lambda node: node.id)
    root = ET.fromstring(svg)
    ys = {float(rect.get("y", "0")) for rect in root.iter(f"{SVG}rect")}
    assert len(ys) >= 2  # more than one band
    widths = [float(p.get("stroke-width", "0")) for p in root.iter(f"{SVG}path")]
    assert min(widths) <= 3 < max(widths)  # the return to the next band is thin


def test_only_a_label_longer_than_four_lines_is_cut() -> None:
    title = " ".join(["word"] * 60)
    found = labels(render_flow_svg(chain(3, title), lambda node: title))
    assert all(len(lines) <= 4 and lines[-1].endswith("…") for lines in found)


# ---------------------------------------------------------------- the replay and the pages


@pytest.mark.django_db
def test_the_replay_names_variables_as_words_not_identifiers(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    actions.command(team, Event("act", role="police-rs", ref="treat-as-victim", actor="Ana"))
    page = facilitator_client.get(reverse("debrief_team", args=[exercise.pk, team.pk]))
    text = page.content.decode()
    assert "Victim: no → yes" in text
    assert not re.search(r"\b[a-z]+_[a-z]+: ", text), "an identifier is shown as a label"


@pytest.mark.django_db
def test_a_team_stopped_by_the_facilitators_end_says_where_it_stopped(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    actions.command(team, Event("act", role="police-rs", ref="treat-as-victim", actor="Ana"))
    running = facilitator_client.get(reverse("debrief_exercise", args=[exercise.pk]))
    assert "still playing" in running.content.decode()
    actions.set_status(exercise, Exercise.Status.ENDED)
    page = facilitator_client.get(reverse("debrief_exercise", args=[exercise.pk])).content
    assert "stopped by the facilitator at “" in page.decode()
    assert "not ended" not in page.decode()
    team_page = facilitator_client.get(reverse("debrief_team", args=[exercise.pk, team.pk]))
    assert "the facilitator ended the exercise while it was at “" in team_page.content.decode()


@pytest.mark.django_db
def test_the_projectors_earlier_steps_are_numbered_as_the_counter_numbers_them(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    for ref in ("treat-as-victim", "check-db", "wrap-up", "close"):
        actions.command(team, Event("act", role="police-rs", ref=ref, actor="Ana"))
    url = reverse("debrief_team_projector", args=[exercise.pk, team.pk])
    page = facilitator_client.get(url + "?step=3").content.decode()
    assert "4 / " in page
    earlier = re.search(r'<ol class="earlier"([^>]*)>(.*?)</ol>', page, re.DOTALL)
    assert earlier is not None
    assert 'start="1"' in earlier.group(1) and "reversed" not in earlier.group(1)
    assert earlier.group(2).count("<li") == 3  # steps 1, 2 and 3 before the 4th


# ---------------------------------------------------------------- the PDF


def overlaps(one: Bbox, other: Bbox) -> bool:
    return bool(one.overlaps(other))


def legend_and_axis_title(figure: Figure) -> tuple[Bbox, Bbox]:
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    figure.draw(renderer)
    axes = figure.axes[0]
    assert figure.legends, "the legend belongs to the figure, below everything"
    return (
        figure.legends[0].get_window_extent(renderer),
        axes.xaxis.label.get_window_extent(renderer),
    )


@pytest.mark.parametrize("endings", [1, 2, 4, 5, 6])  # 1, 2, 4, 5 overprinted
def test_the_endings_charts_legend_is_clear_of_its_axis_title(endings: int) -> None:
    teams = [
        (f"Team {i}", f"Ending {i}", ("success", "failure", "")[i % 3]) for i in range(endings)
    ]
    figure, _title, _alt = _endings_figure(teams)
    legend, title = legend_and_axis_title(figure)
    assert not overlaps(legend, title)
    assert legend.y1 <= title.y0  # below it


@pytest.mark.parametrize("teams", [1, 2, 5, 9])  # 1 and 2 overprinted
def test_the_scores_charts_legend_is_clear_of_its_axis_title(teams: int) -> None:
    rows = [(f"Team {i}", [i, -i, 2 * i]) for i in range(teams)]
    figure, _title, _alt = _scores_figure(["Legal", "Protection", "Cooperation"], rows)
    legend, title = legend_and_axis_title(figure)
    assert not overlaps(legend, title)
    assert legend.y1 <= title.y0


@pytest.mark.django_db
def test_the_pdf_report_is_tagged_for_screen_readers(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    actions.join(exercise, name="Ana", country="RS", roles=["police-rs"], team=team)
    actions.command(team, Event("act", role="police-rs", ref="arrest-all", actor="Ana"))
    response = facilitator_client.get(reverse("debrief_report", args=[exercise.pk, "pdf"]))
    assert response.status_code == 200
    root = pypdf.PdfReader(io.BytesIO(response.content)).trailer["/Root"].get_object()
    assert isinstance(root, pypdf.generic.DictionaryObject)
    assert "/StructTreeRoot" in root
    mark_info = root["/MarkInfo"].get_object()
    assert isinstance(mark_info, pypdf.generic.DictionaryObject) and bool(mark_info["/Marked"])
    assert str(root["/Lang"]) == "en"
    tree = root["/StructTreeRoot"].get_object()
    assert (
        isinstance(tree, pypdf.generic.DictionaryObject) and tree.get("/K") is not None
    )  # the structure has content: headings, tables...


@pytest.mark.django_db
def test_the_report_says_which_teams_the_facilitators_end_stopped(
    exercise: Exercise, team: Team, facilitator_client: Client
) -> None:
    actions.join(exercise, name="Ana", country="RS", roles=["police-rs"], team=team)
    actions.command(team, Event("act", role="police-rs", ref="treat-as-victim", actor="Ana"))
    actions.set_status(exercise, Exercise.Status.ENDED)
    report = facilitator_client.get(reverse("debrief_report", args=[exercise.pk, "html"]))
    text = report.content.decode()
    assert "stopped by the facilitator at “" in text
    assert ">not ended<" not in text
    figure, _title, alt = _endings_figure(
        [("Team 1", "", "")], unended="stopped by the facilitator"
    )
    assert alt.startswith("stopped by the facilitator: 1")
