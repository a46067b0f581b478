"""What a browser would send back from a page's form: every field with the value the page put in it."""

from html.parser import HTMLParser


class _FormValues(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") not in ("radio", "checkbox") or "checked" in a:
                self.values.setdefault(name, []).append(a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select].append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data.lstrip("\n")


def form_values(page: str) -> dict[str, list[str]]:
    """The fields of the page's main form (not the header's log-out button) as the test client posts
    them: name -> values."""
    parser = _FormValues()
    parser.feed(page.split('<form class="card form"', 1)[1].split("</form>", 1)[0])
    return parser.values
