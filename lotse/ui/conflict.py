"""A stale save (optimistic locking, :mod:`lotse.core.versioning`) told to the editor: a
message, the editor's input kept with the new version, and what the other person stored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
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


@dataclass
class Submission:
    """The result of :func:`submit`: whether the service saved (and what it returned), or the
    conflict table of a stale save (``None`` otherwise)."""

    saved: bool
    result: Any = None
    conflict: list[dict[str, Any]] | None = None


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """A refusal of the service on the form: on its field where the form has one, otherwise as
    an error of the whole form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def submit(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    readable: Callable[[StaleObjectError], StaleObjectError] | None = None,
) -> Submission:
    """Run ``action(cleaned_data)`` for a valid POST. A stale version becomes the conflict table
    (the form keeps the editor's input and the new version; ``readable`` may first turn stored
    codes into the labels the editor knows); a refusal of the service becomes a form error.
    Nothing is saved in either case."""
    if request.method != "POST" or not form.is_valid():
        return Submission(False)
    try:
        result = action(form.cleaned_data)
    except StaleObjectError as exc:
        shown = readable(exc) if readable else exc
        return Submission(False, conflict=conflict_rows(request, form, shown, {"version": exc.current.version}))
    except ValidationError as exc:
        add_service_errors(form, exc)
        return Submission(False)
    return Submission(True, result)
