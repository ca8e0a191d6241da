"""Names that staff type carry one per language: the Chinese one (required; Chinese is the
default language) and an English one (optional). A reader of English reads the English name
where there is one, everyone else the Chinese."""

from django.utils.translation import get_language


def reader_reads_english() -> bool:
    return (get_language() or "").lower().startswith("en")


def in_reader_language(chinese: str, english: str = "") -> str:
    if english and reader_reads_english():
        return english
    return chinese
