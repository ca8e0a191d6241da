"""The POST forms a page shows, read from its HTML as a browser would submit them, and the
hostile values each kind of field gets."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class PageForm:
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, value)
    multipart: bool = False

    def data(self) -> dict[str, list[str]]:
        """What a browser sends when the form is submitted as shown."""
        sent: dict[str, list[str]] = {}
        for name, kind, value in self.fields:
            if kind == "file":
                continue
            sent.setdefault(name, []).append(value)
        return sent

    def key(self) -> tuple:
        return (self.action, tuple(sorted({name for name, _k, _v in self.fields})))


class _FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = urljoin(self.page, a.get("action") or self.page)
                self._form = PageForm(action, multipart="multipart" in a.get("enctype", ""))
            return
        form = self._form
        if form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a or not any(n == name for n, _k, _v in form.fields):
                    form.fields = [f for f in form.fields if f[0] != name or kind == "checkbox"]
                    form.fields.append((name, kind, a.get("value", "on")))
            elif kind not in {"submit", "button", "image", "reset"} or a.get("value"):
                form.fields.append((name, kind, a.get("value", "")))
        elif tag == "select":
            self._select = (name, [], [])
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select[1].append(value)
            if "selected" in a:
                self._select[2].append(value)
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            chosen = selected or [next((o for o in options if o), "")]
            self._form.fields.extend((name, "select", value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea[0], "textarea", self._textarea[1]))
            self._textarea = None


def post_forms(page: str, html: str) -> list[PageForm]:
    """The page's POST forms that go to this site."""
    parser = _FormParser(page)
    parser.feed(html)
    return [f for f in parser.forms if not urlsplit(f.action).netloc]


TEXT = ["\x01\x1b[2J\u202e", "x" * 100_000, "", "   "]
NUMBER = ["-1", "1e12", "1000.001", "NaN", "Infinity", "99999999999999999999999", "abc", "１２"]
DATE = ["0000-01-01", "9999-12-31", "2026-02-30", "abc"]
DATETIME = ["0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", "2026-04-13T25:61"]
CHOICE = ["99999999999999999999999", "-1", "0", "abc", "__proto__"]


def hostile_values(kind: str, value: str) -> list[str]:
    """The values a field of this kind (and shown value) gets instead of its own."""
    if kind == "date":
        return DATE
    if kind == "datetime-local":
        return DATETIME
    if kind in {"number", "range"} or value.replace(".", "", 1).isdigit():
        return NUMBER
    if kind in {"select", "hidden", "radio", "checkbox"}:
        return CHOICE
    if kind in {"file", "submit"}:
        return []
    return TEXT + NUMBER[:2]
