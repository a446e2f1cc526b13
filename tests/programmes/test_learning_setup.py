"""Setting tests up: a module's questionnaires (shipped or uploaded, problems shown where
they are), the gain threshold, follow-ups; a session's rounds opened and closed once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from caseroom.programmes.learning import actions
from caseroom.programmes.learning.shipped import register_shipped
from caseroom.programmes.models import FollowUpRound, LearningPlan, Module, Session, SessionRound

from .support_learning import plan

pytestmark = pytest.mark.django_db

BROKEN = b"""| survey |
|        | type            | name | label     | correct |
|        | select_one nope | q1   | Question  | a       |
|        | integer         | q1   | Again     |         |
"""


def test_a_manager_picks_the_shipped_test_for_pre_and_post(
    manager_client: Client, module: Module
) -> None:
    url = reverse("programmes:module_tests", args=[module.pk])
    for purpose in ("pre", "post"):
        answer = manager_client.post(url, {"purpose": purpose, "shipped": "knowledge_test"})
        assert answer.status_code == 302
    found = LearningPlan.objects.get(module=module)
    assert found.pre_test_id == found.post_test_id is not None, "the same version for both"
    page = manager_client.get(url).content.decode()
    assert "Knowledge test: TIP and SOM fundamentals" in page


def test_an_uploaded_form_with_problems_is_refused_with_each_at_its_row_and_column(
    manager_client: Client, module: Module
) -> None:
    upload = SimpleUploadedFile("test.md", BROKEN, content_type="text/markdown")
    answer = manager_client.post(
        reverse("programmes:module_tests", args=[module.pk]), {"purpose": "pre", "upload": upload}
    )
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "This form cannot be used: see each problem below." in page
    assert "Problems in the uploaded form" in page and "<td>survey</td>" in page
    assert not LearningPlan.objects.exists()


def test_an_uploaded_form_is_registered_and_chosen(manager_client: Client, module: Module) -> None:
    good = (
        b"| survey |\n|  | type | name | label | correct |\n"
        b"|  | select_one yn | q1 | Is it? | yes |\n"
        b"| choices |\n|  | list_name | name | label |\n|  | yn | yes | Yes |\n|  | yn | no | No |\n"
    )
    upload = SimpleUploadedFile("mine.md", good, content_type="text/markdown")
    answer = manager_client.post(
        reverse("programmes:module_tests", args=[module.pk]), {"purpose": "post", "upload": upload}
    )
    assert answer.status_code == 302
    assert LearningPlan.objects.get(module=module).post_test is not None


def test_a_test_needs_scored_questions(manager_client: Client, module: Module) -> None:
    answer = manager_client.post(
        reverse("programmes:module_tests", args=[module.pk]),
        {"purpose": "pre", "shipped": "session_evaluation"},
    )
    assert "A test needs questions with a correct answer." in answer.content.decode()
    assert not LearningPlan.objects.exists()


def test_choosing_needs_one_source_and_bounded_input(
    manager_client: Client, module: Module
) -> None:
    url = reverse("programmes:module_tests", args=[module.pk])
    neither = manager_client.post(url, {"purpose": "pre"})
    assert "Choose a ready questionnaire or upload one" in neither.content.decode()
    wrong_kind = manager_client.post(
        url, {"purpose": "pre", "upload": SimpleUploadedFile("x.exe", b"MZ")}
    )
    assert "Upload an .xlsx file or a Markdown table" in wrong_kind.content.decode()
    bad_threshold = manager_client.post(
        reverse("programmes:module_threshold", args=[module.pk]), {"gain_threshold": "1.5"}
    )
    assert bad_threshold.status_code == 200
    assert "less than or equal to 1" in bad_threshold.content.decode()


def test_the_threshold_is_the_modules(manager_client: Client, module: Module) -> None:
    manager_client.post(
        reverse("programmes:module_threshold", args=[module.pk]), {"gain_threshold": "0.5"}
    )
    assert float(LearningPlan.objects.get(module=module).gain_threshold) == 0.5


def test_trainers_do_not_choose_a_modules_questionnaires(
    trainer_client: Client, module: Module
) -> None:
    url = reverse("programmes:module_tests", args=[module.pk])
    assert (
        trainer_client.post(url, {"purpose": "pre", "shipped": "knowledge_test"}).status_code == 403
    )


def test_a_trainer_opens_and_closes_the_rounds_in_the_room(
    trainer_client: Client, module: Module, session: Session
) -> None:
    plan(module)
    url = reverse("programmes:session_tests", args=[session.pk])
    page = trainer_client.get(url).content.decode()
    assert session.code in page and "<svg" in page
    assert f"/t/?code={session.code}" in page
    for purpose in ("pre", "evaluation"):
        assert trainer_client.post(url, {"purpose": purpose, "action": "open"}).status_code == 302
    rounds = {r.purpose: r.round for r in SessionRound.objects.select_related("round")}
    assert not rounds["pre"].anonymous and rounds["evaluation"].anonymous
    again = trainer_client.post(url, {"purpose": "pre", "action": "open"})
    assert "This was opened already." in again.content.decode()
    trainer_client.post(url, {"purpose": "pre", "action": "close"})
    assert SessionRound.objects.get(purpose="pre").round.state() == "closed"
    reopened = trainer_client.post(url, {"purpose": "pre", "action": "open"})
    assert reopened.status_code == 200 and SessionRound.objects.filter(purpose="pre").count() == 1


def test_a_round_cannot_open_before_the_module_has_its_questionnaire(
    trainer_client: Client, session: Session
) -> None:
    answer = trainer_client.post(
        reverse("programmes:session_tests", args=[session.pk]),
        {"purpose": "post", "action": "open"},
    )
    assert "post-test first (Module tests)" in answer.content.decode()
    assert not SessionRound.objects.exists()


def test_the_database_keeps_one_round_per_purpose_per_session(
    module: Module, session: Session
) -> None:
    plan(module)
    first = actions.open_session_round(session, "pre")
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionRound.objects.create(session=session, purpose="pre", round=first.round)


def test_a_follow_up_round_is_opened_anonymous_and_closed(
    manager_client: Client, module: Module
) -> None:
    url = reverse("programmes:module_follow_up", args=[module.pk])
    refused = manager_client.post(url, {"action": "open"})
    assert "follow-up first (Module tests)" in refused.content.decode()
    actions.choose_version(module, "follow_up", register_shipped("session_evaluation"))
    assert manager_client.post(url, {"action": "open"}).status_code == 302
    follow_up = FollowUpRound.objects.select_related("round").get()
    assert follow_up.round.anonymous and follow_up.round.state() == "open"
    manager_client.post(url, {"action": "close", "round": follow_up.round_id})
    follow_up.round.refresh_from_db()
    assert follow_up.round.state() == "closed"
