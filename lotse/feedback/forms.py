"""Forms of client feedback: the public questionnaire (labels in the client's language from
``lotse.feedback.texts``) and the staff's choice of the sheet's language.

The questionnaire has radio buttons only and deliberately no free-text field, so that no name or
other personal data can be entered."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.cases.domains import ClientLanguage
from lotse.feedback.texts import QUESTIONS, SCALE, FeedbackTexts
from lotse.ui.forms import KernFormMixin


class FeedbackForm(KernFormMixin, forms.Form):
    """One radio group per question: "no answer" (preselected) or 1–5."""

    mark_optional = False

    def __init__(self, *args: Any, texts: FeedbackTexts, **kwargs: Any) -> None:
        self.texts = texts
        super().__init__(*args, **kwargs)
        choices = [("", texts.no_answer), *((str(value), texts.scale_label(value)) for value in SCALE)]
        for question in QUESTIONS:
            self.fields[question] = forms.ChoiceField(
                label=texts.questions[question],
                choices=choices,
                required=False,
                initial="",
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": texts.errors["invalid"]},
            )
        self.style_fields()

    def answers(self) -> dict[str, str]:
        """The cleaned answers ("" = not answered), for ``feedback_submit``."""
        return {question: self.cleaned_data.get(question, "") for question in QUESTIONS}


class SheetForm(KernFormMixin, forms.Form):
    """The language of the printed sheet (German unless chosen)."""

    language = forms.ChoiceField(label=_("Language of the sheet"), choices=ClientLanguage.choices, required=False)

    def chosen_language(self) -> str:
        return self.cleaned_data.get("language") or ClientLanguage.DE.value
