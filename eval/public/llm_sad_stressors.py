"""SAD, the Stress Annotated Dataset (PervasiveWellbeingTech/Stress-Annotated-Dataset-SAD on GitHub):
everyday stressors people told a stress-management chat bot about.

SAD_v1.zip holds SAD_v1.xlsx: 6,850 sentences, each with the source it came from, whether five
raters judged it a stressor, and their stressor category (work, school, family issues, emotional
turmoil, health, financial problem, social relationships, everyday decision making, other). The
prompt is one sentence that Mechanical Turk workers wrote as what stresses them, the opening a person
gives a support bot ("i have been working too many hours but don't have a choice because of home
issues"). Sentences scraped from LiveJournal (sources Inquire, InquireComposited) are fragments of
blog posts addressed to nobody, and the bot's live logs (popbots_live) are mostly one-word answers
("car", "classes"): both are left out, as are sentences the raters did not judge a stressor and
sentences under four words. The workbook is read with the standard library (zipfile and XML).
"""

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from registry import Prompts, chat_row, github, sample

REPO = "PervasiveWellbeingTech/Stress-Annotated-Dataset-SAD"
COMMIT = "1d6aa672c4eeb82e0bbc6533b75e0694da80ae20"
PATH = "SAD_v1.zip"
MEMBER = "SAD_v1.xlsx"
SOURCE = {
    "name": "sad-stressors",
    "package": f"github:{REPO}@{COMMIT}",
    "licence": "MIT (PervasiveWellbeingTech/Stress-Annotated-Dataset-SAD LICENSE)",
    "url": f"https://github.com/{REPO}",
    "label_rule": "Sentences Mechanical Turk workers wrote about what stresses them, for a stress-support "
    "chat bot (sources mTurk_synthetic, mTurk_synthetic_covid, mTurk_synthetic_covid_2), that the raters "
    "judged a stressor (is_stressor = 1), any category: a person opening up about a problem -> chat. "
    "LiveJournal fragments, the bot's live logs, non-stressors and sentences under four words left out.",
}
SOURCES = {"mTurk_synthetic", "mTurk_synthetic_covid", "mTurk_synthetic_covid_2"}
MIN_WORDS = 4
CAP = 250
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _text(node):
    return "".join(t.text or "" for t in node.iter(f"{_NS}t"))


def sheet_records(xlsx):
    """The rows of the first worksheet of an .xlsx file (bytes) as dicts keyed by the header row."""
    book = zipfile.ZipFile(io.BytesIO(xlsx))
    shared = [_text(si) for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall(f"{_NS}si")]
    rows = []
    for row in ET.fromstring(book.read("xl/worksheets/sheet1.xml")).iter(f"{_NS}row"):
        cells = {}
        for cell in row.findall(f"{_NS}c"):
            column = re.match(r"[A-Z]+", cell.get("r")).group(0)
            value = cell.find(f"{_NS}v")
            if value is None:
                inline = cell.find(f"{_NS}is")
                cells[column] = _text(inline) if inline is not None else ""
            else:
                cells[column] = shared[int(value.text)] if cell.get("t") == "s" else value.text
        rows.append(cells)
    header = rows[0]
    return [{header[c]: v for c, v in r.items() if c in header} for r in rows[1:]]


def rows():
    archive = zipfile.ZipFile(io.BytesIO(github(REPO, COMMIT, PATH)))
    items, prompts = [], Prompts(english_only=True, ignore_case=True)
    for record in sheet_records(archive.read(MEMBER)):
        if record.get("Source") not in SOURCES or record.get("is_stressor") != "1":
            continue
        if len(str(record.get("sentence") or "").split()) < MIN_WORDS:
            continue
        prompt = prompts.take(record["sentence"])
        if prompt is None:
            continue
        items.append((f"{REPO}@{COMMIT[:12]}:{PATH}/{MEMBER}#sID={record['sID']}", "chat", prompt))
    return [chat_row(SOURCE["name"], label, ref, prompt) for ref, label, prompt in sample(items, {"chat": CAP})]
