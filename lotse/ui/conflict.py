"""A stale save (optimistic locking, :mod:`lotse.core.versioning`) told to the editor: a
message, the editor's input kept with the new version, and what the other person stored."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lotse.core.versioning import StaleObjectError


def conflict_rows(
    request: HttpRequest, form: Any, error: StaleObjectError, versions: dict[str, int]
) -> list[dict[str, Any]]:
    """Tell the editor that someone else saved first, and show what is stored now. The form
    keeps the editor's input and the new version, so saving again is a conscious decision."""
    who = error.current.updated_by
    messages.warning(
        request,
        _(
            "%(name)s saved this record while you were editing. Your changes were not saved. "
            "Compare below and save again if your entries should replace theirs."
        )
        % {"name": who.get_full_name() if who else _("Someone")},
    )
    form.data = form.data.copy()
    for field, version in versions.items():
        form.data[field] = str(version)
    rows = []
    for name, (mine, theirs) in error.changed.items():
        if name not in form.fields:
            continue  # derived columns (e.g. the sort key) follow the visible fields
        label = form.fields[name].label
        rows.append(
            {
                "label": label,
                "mine": mine if mine not in (None, "") else "–",
                "theirs": theirs if theirs not in (None, "") else "–",
            }
        )
    return rows
