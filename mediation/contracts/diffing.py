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
    def added(self) -> int:
        return sum(1 for kind, _line in self.unified if kind == "insert")

    @property
    def removed(self) -> int:
        return sum(1 for kind, _line in self.unified if kind == "delete")


TOKEN_RE = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]+|\s+|.", re.DOTALL)


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


def diff_texts(old_text: str, new_text: str, *, label_old: str, label_new: str) -> VersionDiff:
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    result = VersionDiff()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                line = old_lines[i1 + offset]
                result.rows.append(
                    SideBySideRow(
                        "equal",
                        i1 + offset + 1,
                        [Segment(line, False)],
                        j1 + offset + 1,
                        [Segment(line, False)],
                    )
                )
            continue
        olds, news = old_lines[i1:i2], new_lines[j1:j2]
        for offset in range(max(len(olds), len(news))):
            old = olds[offset] if offset < len(olds) else None
            new = news[offset] if offset < len(news) else None
            if old is not None and new is not None:
                left, right = _segments(old, new)
                kind = "replace"
            elif old is not None:
                left, right, kind = [Segment(old, True)], [], "delete"
            else:
                left, right, kind = [], [Segment(new, True)], "insert"
            result.rows.append(
                SideBySideRow(
                    kind,
                    i1 + offset + 1 if old is not None else None,
                    left,
                    j1 + offset + 1 if new is not None else None,
                    right,
                )
            )
    for line in difflib.unified_diff(
        old_lines, new_lines, fromfile=label_old, tofile=label_new, lineterm="", n=2
    ):
        if line.startswith(("---", "+++")):
            kind = "file"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "insert"
        elif line.startswith("-"):
            kind = "delete"
        else:
            kind = "equal"
        result.unified.append((kind, line))
    return result
