"""A readable diff between two versions of a contract, line by line (one clause a line), with
the changes marked inside a changed line. Chinese has no spaces between words, so the marks
are per character, except that a number stays whole (25 → 28, not 2[5→8])."""

import difflib
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True)
class SideBySideRow:
    kind: str  # equal, replace, delete, insert
    old_number: int | None
    old: list[Segment]
    new_number: int | None
    new: list[Segment]


@dataclass
class VersionDiff:
    rows: list[SideBySideRow] = field(default_factory=list)
    unified: list[tuple[str, str]] = field(default_factory=list)  # (kind, line)

    @property
    def changed(self) -> bool:
        return any(row.kind != "equal" for row in self.rows)

    @property
    def edited(self) -> int:
        """Lines changed in place (a clause whose text changed)."""
        return sum(1 for row in self.rows if row.kind == "replace")

    @property
    def added(self) -> int:
        return sum(1 for row in self.rows if row.kind == "insert")

    @property
    def removed(self) -> int:
        return sum(1 for row in self.rows if row.kind == "delete")


TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+|\s+|.", re.DOTALL)
# 第十二条 / 第三章 at the start of a line: the number a clause or chapter has in this version.
NUMBERING_RE = re.compile(r"^第[零一二三四五六七八九十百千\d]+[条章]\s*")


def content_of(line: str) -> str:
    """A line without its article or chapter number: adding a clause renumbers those after
    it, which is not a change of what they say."""
    return NUMBERING_RE.sub("", line, count=1)


def _segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            left.append(Segment("".join(a[i1:i2]), False))
            right.append(Segment("".join(b[j1:j2]), False))
            continue
        if i2 > i1:
            left.append(Segment("".join(a[i1:i2]), True))
        if j2 > j1:
            right.append(Segment("".join(b[j1:j2]), True))
    return left, right


def _number_and_body(line: str) -> tuple[str, str]:
    body = content_of(line)
    return line[: len(line) - len(body)], body


def _changed_segments(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Changes marked inside the text only: a new article number is not marked."""
    old_number, old_body = _number_and_body(old)
    new_number, new_body = _number_and_body(new)
    left, right = _segments(old_body, new_body)
    return _merged([Segment(old_number, False), *left]), _merged(
        [Segment(new_number, False), *right]
    )


def _merged(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments of the same kind as one (and no empty ones)."""
    merged: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if merged and merged[-1].changed == segment.changed:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.changed)
        else:
            merged.append(segment)
    return merged


def _rows(old_lines, new_lines, opcodes) -> list[SideBySideRow]:
    rows = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for offset in range(i2 - i1):
                old, new = old_lines[i1 + offset], new_lines[j1 + offset]
                rows.append(
                    SideBySideRow(
                        "equal",
                        i1 + offset + 1,
                        [Segment(old, False)],
                        j1 + offset + 1,
                        [Segment(new, False)],
                    )
                )
            continue
        olds, news = old_lines[i1:i2], new_lines[j1:j2]
        for offset in range(max(len(olds), len(news))):
            old = olds[offset] if offset < len(olds) else None
            new = news[offset] if offset < len(news) else None
            if old is not None and new is not None:
                left, right = _changed_segments(old, new)
                kind = "replace"
            elif old is not None:
                left, right, kind = [Segment(old, True)], [], "delete"
            else:
                left, right, kind = [], [Segment(new, True)], "insert"
            rows.append(
                SideBySideRow(
                    kind,
                    i1 + offset + 1 if old is not None else None,
                    left,
                    j1 + offset + 1 if new is not None else None,
                    right,
                )
            )
    return rows


def _unified(old_lines, new_lines, matcher, *, label_old, label_new) -> list[tuple[str, str]]:
    """A unified diff (two lines of context) of what the lines say: a line whose only change
    is its number is context, shown as it reads in the newer version."""
    groups = list(matcher.get_grouped_opcodes(2))
    if not groups:
        return []
    lines = [("file", f"--- {label_old}"), ("file", f"+++ {label_new}")]
    for group in groups:
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        lines.append(("hunk", f"@@ -{i1 + 1},{i2 - i1} +{j1 + 1},{j2 - j1} @@"))
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines.extend(("equal", " " + line) for line in new_lines[b1:b2])
                continue
            lines.extend(("delete", "-" + line) for line in old_lines[a1:a2])
            lines.extend(("insert", "+" + line) for line in new_lines[b1:b2])
    return lines


def diff_texts(old_text: str, new_text: str, *, label_old: str, label_new: str) -> VersionDiff:
    """Line by line, matching lines by what they say without their article or chapter number:
    a renumbering alone is no change, and one edited clause is one changed line."""
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    matcher = difflib.SequenceMatcher(
        None,
        [content_of(line) for line in old_lines],
        [content_of(line) for line in new_lines],
        autojunk=False,
    )
    return VersionDiff(
        rows=_rows(old_lines, new_lines, matcher.get_opcodes()),
        unified=_unified(old_lines, new_lines, matcher, label_old=label_old, label_new=label_new),
    )
