"""Stored copies are named relative to SCENARIO_STORE: a data folder can then be moved or
restored on another laptop (issue 17). Every copy lives directly in the store under its own
name, so the relative form of an absolute path is its last part."""

from pathlib import PurePath
from typing import Any

from django.db import migrations


def relative(apps: Any, schema_editor: Any) -> None:
    versions = apps.get_model("scenarios", "ScenarioVersion")
    for version in versions.objects.all():
        name = PurePath(version.path).name
        if name != version.path:
            versions.objects.filter(pk=version.pk).update(path=name)


class Migration(migrations.Migration):
    dependencies = [("scenarios", "0001_initial")]

    operations = [migrations.RunPython(relative, migrations.RunPython.noop)]
