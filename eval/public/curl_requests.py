"""curl command lines in Markdown, read as the HTTP requests curl would send.

Documentation of HTTP servers often shows its API as shell lines such as
`curl -X POST "http://localhost:8081/models?url=x.mar"` or `curl http://localhost:8080/predictions/m -T a.jpg`,
in fenced code blocks or inline code, sometimes continued with a trailing backslash and sometimes several on
one line (`curl ... & curl ...`). commands(text) finds them; parse(argv) reads one into a Curl: the method
curl uses (-X, else PUT for -T, POST for -d/-F, else GET), the URL, the headers given with -H, and what is
sent: an uploaded file (-T), data (-d/--data/--data-binary/--data-raw, literal or @file) or form parts (-F).
What a file holds is left to the caller (files are named, not read).
"""

import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CURL = re.compile(r"(?<![\w/.$-])curl\s")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
STOP = {"&", "&&", "|", "||", ";", ">", ">>", "`"}
FLAGS_WITH_VALUE = {
    "-o",
    "--output",
    "--cookie",
    "-b",
    "-u",
    "--user",
    "--connect-timeout",
    "-m",
    "--max-time",
    "--proto",
    "-w",
    "--write-out",
}


@dataclass
class Curl:
    """One curl command as sent: method, URL, headers (lower-case names), and its body's origin.

    upload: the file named by -T; data: (value, mode) for each data option, mode "data" (-d, --data:
    @file is read with its line breaks removed), "binary" (--data-binary: @file read as is) or "raw"
    (--data-raw: never a file); forms: (name, value) for each -F, where value may be @file.
    """

    method: str
    url: str
    headers: dict = field(default_factory=dict)
    upload: str = ""
    data: list = field(default_factory=list)
    forms: list = field(default_factory=list)

    def _split(self):
        """The URL's parts; a URL without a scheme (curl's default: http) is read as http."""
        return urlsplit(self.url if SCHEME.match(self.url) else "http://" + self.url)

    def path(self):
        """The path and query of the URL ("/" when the URL has no path)."""
        parts = self._split()
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def host(self):
        return self._split().hostname or ""


def _logical_lines(text):
    """(first line number, line) with backslash continuations joined."""
    out, start, buf = [], 0, []
    for n, line in enumerate(text.split("\n"), 1):
        if not buf:
            start = n
        stripped = line.rstrip()
        if stripped.endswith("\\"):
            buf.append(stripped[:-1])
            continue
        buf.append(line)
        out.append((start, " ".join(buf)))
        buf = []
    if buf:
        out.append((start, " ".join(buf)))
    return out


def _tokens(fragment):
    """The shell words of fragment up to the first shell operator, or None if it does not split."""
    lexer = shlex.shlex(fragment, posix=True, punctuation_chars="&|;>`")
    lexer.whitespace_split = True
    words = []
    try:
        for word in lexer:
            if word in STOP or set(word) <= set("&|;>`"):
                break
            words.append(word)
    except ValueError:
        return None
    return words


def commands(text):
    """(line number, index on that line, argv without "curl") for every curl command in text."""
    found = []
    for start, line in _logical_lines(text):
        hits = [m.end() for m in CURL.finditer(line)]
        for k, begin in enumerate(hits):
            end = hits[k + 1] if k + 1 < len(hits) else len(line)
            fragment = line[begin:end]
            fragment = fragment.split("`", 1)[0]  # inline code ends at its backtick
            words = _tokens(fragment)
            if words:
                found.append((start, k, words))
    return found


def parse(argv):
    """The Curl that argv (the words after "curl") sends, or None without a URL."""
    method, url, headers, upload, data, forms = None, None, {}, "", [], []
    it = iter(argv)
    for word in it:
        if word in ("-X", "--request"):
            method = next(it, "GET").upper()
        elif word.startswith("-X") and len(word) > 2:
            method = word[2:].strip().upper()
        elif word in ("-H", "--header"):
            name, _, value = next(it, "").partition(":")
            headers[name.strip().lower()] = value.strip()
        elif word in ("-T", "--upload-file"):
            upload = next(it, "")
        elif word in ("-d", "--data", "--data-ascii"):
            data.append((next(it, ""), "data"))
        elif word.startswith("-d") and len(word) > 2:  # -d'{"a":1}': the value glued to the flag
            data.append((word[2:], "data"))
        elif word in ("--data-binary", "--data-raw"):
            data.append((next(it, ""), word[7:]))
        elif word in ("-F", "--form"):
            name, _, value = next(it, "").partition("=")
            forms.append((name, value))
        elif word in FLAGS_WITH_VALUE:
            next(it, None)
        elif word.startswith("-"):
            continue
        elif url is None:
            url = word
    if url is None:
        return None
    if method is None:
        method = "PUT" if upload else "POST" if data or forms else "GET"
    return Curl(method, url, headers, upload, data, forms)
