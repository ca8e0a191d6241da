"""Clauses the drafter writes: a title and a text of their own, in a chapter they choose, for
terms the library lacks. Versioned like library clauses (a new version when the text changes);
moved and removed by the same services (terms.py).

The text is printed as written, on one line of the contract (a version keeps one clause a line
so that its diff shows clause changes): line breaks become spaces, control and invisible format
characters are refused, and braces too (they would read as an unfilled placeholder). Pages and
the PDF escape it like any text.
"""

import re
import unicodedata

from django.db import transaction
from django.utils.translation import gettext as _

from casework.core.errors import ActionRefused
from casework.organisation.models import User
from mediation.contracts.choices import Chapter, VersionReason
from mediation.contracts.models import ContractClause
from mediation.contracts.models.clauses import OWN_TEXT_MAX, OWN_TITLE_MAX
from mediation.contracts.services.records import check_editable, lock_contract
from mediation.contracts.services.terms import lock_clause, next_position, record_version

OWN_TEXT_MIN = 5
_LINE_BREAKS = re.compile(r"\s*[\r\n\t]+\s*")
_REFUSED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


def _clean(raw: str | None, *, field: str, maximum: int, minimum: int = 1) -> str:
    text = _LINE_BREAKS.sub(" ", (raw or "").strip())
    if any(unicodedata.category(char) in _REFUSED_CATEGORIES for char in text):
        raise ActionRefused(
            _("Remove the invisible control characters from this text."), field=field
        )
    if "{" in text or "}" in text:
        raise ActionRefused(
            _("Write names and figures out in full: the text cannot contain { or }."), field=field
        )
    if len(text) < minimum:
        if field == "title":
            raise ActionRefused(_("Give the clause a title."), field=field)
        raise ActionRefused(
            _("Write the clause's text (at least %(min)d characters).") % {"min": minimum},
            field=field,
        )
    if len(text) > maximum:
        raise ActionRefused(
            _("At most %(max)d characters; this has %(n)d.") % {"max": maximum, "n": len(text)},
            field=field,
        )
    return text


def clean_own_clause(*, chapter: str, title: str, text: str) -> tuple[str, str, str]:
    if chapter not in Chapter.values:
        raise ActionRefused(_("Choose the chapter the clause belongs to."), field="chapter")
    return (
        chapter,
        _clean(title, field="title", maximum=OWN_TITLE_MAX),
        _clean(text, field="text", maximum=OWN_TEXT_MAX, minimum=OWN_TEXT_MIN),
    )


def own_clause_add(
    *, actor: User, contract_id: int, chapter: str, title: str, text: str
) -> ContractClause:
    """Add a clause of the drafter's own, last in its chapter.

    Changes: a ContractClause without a template, its history row, a new version of the text.
    """
    chapter, title, text = clean_own_clause(chapter=chapter, title=title, text=text)
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_editable(contract)
        clause = ContractClause(
            contract=contract,
            own_chapter=chapter,
            own_title=title,
            own_text=text,
            position=next_position(contract, chapter),
        )
        clause._history_user = actor
        clause._change_reason = _("Added")
        clause.save()
        record_version(
            contract, actor=actor, reason=VersionReason.CLAUSE_ADDED, params={"clause": title}
        )
    return clause


def own_clause_update(
    *, actor: User, contract_id: int, clause_id: int, chapter: str, title: str, text: str
) -> ContractClause:
    """Change the chapter, title or text of a clause of the drafter's own. A clause that moves
    to another chapter goes last there.

    Changes: the clause, its history row, and a new version when the contract's text changed.
    """
    chapter, title, text = clean_own_clause(chapter=chapter, title=title, text=text)
    with transaction.atomic():
        contract = lock_contract(actor=actor, contract_id=contract_id)
        check_editable(contract)
        clause = lock_clause(contract, clause_id)
        if not clause.is_own:
            raise ActionRefused(_("A clause from the library changes by its figures."))
        if (clause.own_chapter, clause.own_title, clause.own_text) == (chapter, title, text):
            return clause
        fields = ["own_title", "own_text"]
        if chapter != clause.own_chapter:
            clause.position = next_position(contract, chapter)
            fields += ["own_chapter", "position"]
        clause.own_chapter, clause.own_title, clause.own_text = chapter, title, text
        clause._history_user = actor
        clause._change_reason = _("Text changed")
        clause.save(update_fields=fields)
        record_version(
            contract, actor=actor, reason=VersionReason.CLAUSE_CHANGED, params={"clause": title}
        )
    return clause
