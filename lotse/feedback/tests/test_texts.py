"""The questionnaire texts: complete in every client language, in the right script."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from lotse.cases.domains import ClientLanguage
from lotse.feedback.texts import ERROR_CODES, QUESTIONS, TEXTS, FeedbackTexts, language_or_default

ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
CYRILLIC_LETTER = re.compile("[\u0400-\u04ff]")


def test_every_client_language_has_texts():
    assert list(TEXTS) == list(ClientLanguage.values)


@pytest.mark.parametrize("language", list(TEXTS))
def test_texts_are_complete(language):
    texts = TEXTS[language]
    for field in fields(FeedbackTexts):
        value = getattr(texts, field.name)
        assert value, f"{language}: {field.name} is empty"
    assert set(texts.questions) == set(QUESTIONS)
    assert set(texts.errors) == set(ERROR_CODES)
    assert all(value.strip() for value in (*texts.questions.values(), *texts.errors.values(), *texts.scale))
    assert len(texts.scale) == 5 and len(set(texts.scale)) == 5
    assert len(texts.digits) == 10
    assert "{date}" in texts.sheet_once
    assert texts.language_name == ClientLanguage(language).label


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_arabic_and_persian_are_written_in_arabic_script(language):
    texts = TEXTS[language]
    for value in (texts.title, texts.intro, texts.submit, texts.no_answer, *texts.questions.values(), *texts.scale):
        assert ARABIC_LETTER.search(value), value
        assert not re.search("[A-Za-z]{3,}", value), value


def test_persian_uses_persian_letters_and_arabic_uses_arabic_ones():
    persian = " ".join([TEXTS["fa"].intro, *TEXTS["fa"].questions.values(), *TEXTS["fa"].errors.values()])
    arabic = " ".join([TEXTS["ar"].intro, *TEXTS["ar"].questions.values(), *TEXTS["ar"].errors.values()])
    assert "ی" in persian and "ي" not in persian and "ك" not in persian
    assert "ی" not in arabic and "ک" not in arabic


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_ukrainian_and_russian_are_cyrillic(language):
    assert all(CYRILLIC_LETTER.search(q) for q in TEXTS[language].questions.values())


def test_scale_labels_use_the_language_digits():
    assert TEXTS["en"].scale_label(1) == "1 – not at all"
    assert TEXTS["ar"].scale_label(5) == "٥ – تمامًا"
    assert TEXTS["fa"].scale_label(3) == "۳ – تا حدی"


def test_language_or_default():
    assert language_or_default("fa") == "fa"
    assert language_or_default("xx") == "de"
    assert language_or_default(None, "tr") == "tr"
    assert language_or_default("xx", "xx") == "de"
