"""The contract as text: chapters numbered 第一章…, clauses numbered 第一条… across the whole
contract, placeholders filled in. The same rendering feeds the pages, the versions (and so
their diffs) and the PDF, so that what was voted on is what is printed."""

from dataclasses import dataclass, field

from django.utils import translation

from mediation.contracts.choices import CHAPTER_HEADINGS_ZH, CHAPTER_ORDER, Chapter
from mediation.contracts.parameters import PARAMETERS, chinese_date, fill

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (for chapter and article numbers)."""
    if n <= 0:
        return _DIGITS[0]
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = _DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + _DIGITS[rest]
        if rest < 20:
            return head + "一" + chinese_numeral(rest)
        return head + chinese_numeral(rest)
    return str(n)


@dataclass
class RenderedClause:
    number: int
    title: str
    text: str
    clause: object  # the ContractClause

    @property
    def heading(self) -> str:
        return f"第{chinese_numeral(self.number)}条"


@dataclass
class RenderedChapter:
    number: int
    chapter: str
    clauses: list[RenderedClause] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"第{chinese_numeral(self.number)}章 {CHAPTER_HEADINGS_ZH[Chapter(self.chapter)]}"

    @property
    def label(self) -> str:
        return str(Chapter(self.chapter).label)

    @property
    def reader_label(self) -> str:
        """The chapter's name in the reader's language, beside the Chinese heading: nothing for
        a reader of Chinese, who would read the same name twice (第一章 总则 总则)."""
        language = (translation.get_language() or "").lower()
        return "" if language.startswith("zh") else self.label


# A placeholder without a value (a parameter added to the library after the clause was agreed)
# prints as a blank to fill in, never as {code}.
BLANK = "＿＿＿＿"


def context_values(contract) -> dict[str, str]:
    return {
        "scope": contract.scope_text_zh,
        "employer": contract.employer_party,
        "enterprise": contract.duty_bearer_zh,
        "union": contract.union_name,
        "term_start": chinese_date(contract.term_start),
        "term_end": chinese_date(contract.term_end),
    }


def fill_clause(template, context: dict[str, str], stored_values: dict) -> str:
    """A library clause's text with the contract's names and the values filled in."""
    values = dict(context)
    for name, stored in (stored_values or {}).items():
        spec = PARAMETERS.get(name)
        try:
            values[name] = spec.in_text(stored) if spec is not None else str(stored)
        except (ArithmeticError, ValueError, TypeError):
            values[name] = BLANK
    return fill(template.text, values, missing=BLANK)


def clause_text(clause, context: dict[str, str]) -> str:
    if clause.is_own:
        return clause.own_text
    return fill_clause(clause.template, context, clause.values)


def clause_preview(contract, template, values: dict | None = None) -> str:
    """How a library clause reads in this contract: its names, and `values` (the template's
    defaults when none are given)."""
    return fill_clause(template, context_values(contract), values or template.parameters)


def sorted_clauses(clauses) -> list:
    return sorted(
        clauses,
        key=lambda c: (CHAPTER_ORDER.get(c.chapter, 99), c.position, c.pk or 0),
    )


def render_chapters(contract, clauses) -> list[RenderedChapter]:
    context = context_values(contract)
    chapters: list[RenderedChapter] = []
    for number, clause in enumerate(sorted_clauses(clauses), start=1):
        if not chapters or chapters[-1].chapter != clause.chapter:
            chapters.append(RenderedChapter(len(chapters) + 1, clause.chapter))
        chapters[-1].clauses.append(
            RenderedClause(number, clause.title, clause_text(clause, context), clause)
        )
    return chapters


def key_terms_lines(contract) -> list[str]:
    lines = [
        contract.title,
        f"适用范围：{contract.scope_text_zh}",
        f"用人单位方：{contract.employer_party}",
    ]
    if contract.duty_bearer_zh != contract.employer_party:
        lines.append(f"履行义务的企业：{contract.duty_bearer_zh}")
    return [
        *lines,
        f"职工方：{contract.union_name}",
        f"合同期限：{chinese_date(contract.term_start)}至{chinese_date(contract.term_end)}",
    ]


def contract_text(contract, clauses) -> str:
    """The full text, one clause a line, so that a line diff shows clause changes."""
    lines = key_terms_lines(contract)
    for chapter in render_chapters(contract, clauses):
        lines.append("")
        lines.append(chapter.heading)
        lines.extend(f"{c.heading} {c.text}" for c in chapter.clauses)
    return "\n".join(lines) + "\n"
