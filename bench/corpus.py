"""A realistic mixed corpus of made-up case files, for the audit's tests and figures.

    python bench/corpus.py OUT [--files 1000] [--seed 7]

Writes OUT/<team>/<worker>/... : Word case notes (paragraphs, a table, a header, core
properties dated across a year), UTF-8 and Windows-1252 text files, Markdown notes, a few
corrupt Word files, a few PDFs, and sba-lint's own reviewed copies (which an audit leaves
out).  Every sentence is invented for this project; the share of flagged wording is as
dense as in real records (several findings a page).  Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
from pathlib import Path

TEAMS = ["north", "south", "east"]
WORKERS = ["worker-a", "worker-b"]
NAMES = ["Mum", "Dad", "Tom", "Amira", "Grandad", "Zoe", "Kyle", "Nan", "Priya", "Josh"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
CLEAN = [
    "I visited {name} at home on {day} afternoon and we sat in the kitchen.",
    "{name} showed me the garden and talked about the new class at school.",
    "{name} said that mornings have been calmer since the new routine started.",
    "We agreed to meet again in two weeks at the family centre on the high street.",
    "The school reports that {name} is making good progress with reading and spelling.",
    "{name} has kept every appointment with the health visitor since March.",
    "Gran collects the children from school on Tuesdays and Thursdays.",
    "{name} enjoys football and is proud of the team's win on Saturday.",
    "The kitchen was tidy and there was fresh food in the fridge and cupboards.",
    "We talked about what would help in the mornings before the school run.",
    "{name} would like more time to see friends at the weekend.",
    "I explained the plan and asked what {name} thought about each part of it.",
    "The health visitor will call on {day} to weigh the baby.",
    "{name} said the new bedroom feels safe and quiet at night.",
    "We discussed the help on offer from the housing team about the damp.",
    "{name} is able to name two adults at school who help when things feel hard.",
    "{name} was warm and chatty and made me a cup of tea.",
]
FLAGGED = [
    "{name} failed to engage with the parenting course.",
    "{name} will have contact with Dad on {day}.",
    "The placement has been stable for six months.",
    "{name} refused to let me see the bedrooms.",
    "The RCPC is booked for next month.",
    "We will utilise the family network where possible.",
    "{name} kicked off when the visit ended.",
    "Respite is offered every other weekend.",
    "{name} was aggressive towards staff at the front desk.",
    "{name} lacks insight into the impact of the arguments on the children.",
    "Prior to the meeting, I read the LAC review notes.",
    "{name} DNA'd the appointment with CAMHS on {day}.",
    "{name} is very manipulative with professionals.",
    "The family is hard to reach and non-compliant with the plan.",
    "{name} presented as unkempt and did not make eye contact.",
]
MONTHS = [dt.datetime(2025, m, 10, 9, 30) for m in range(1, 13)]


def note_text(rng: random.Random, words: int, flagged_share: float,
              clean: list[str] = CLEAN, flagged: list[str] = FLAGGED,
              names: list[str] = NAMES, days: list[str] = DAYS) -> list[str]:
    """Paragraphs of a made-up case note of about ``words`` words."""
    paras: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            pool = flagged if rng.random() < flagged_share else clean
            s = rng.choice(pool).format(name=rng.choice(names), day=rng.choice(days))
            sentences.append(s)
            count += len(s.split())
        paras.append(" ".join(sentences))
    return paras


def word_file(paras: list[str], when: dt.datetime | None, title: str) -> bytes:
    import docx

    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = f"{title}: case recording"
    d.add_heading(title, level=1)
    half = max(1, len(paras) // 2)
    for p in paras[:half]:
        d.add_paragraph(p)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Type of visit"
    table.cell(0, 1).text = "Home visit, announced"
    table.cell(1, 0).text = "Seen alone"
    table.cell(1, 1).text = "Yes, in the bedroom with the door open."
    for p in paras[half:]:
        d.add_paragraph(p)
    props = d.core_properties
    props.author = "Case worker"
    if when is not None:
        props.created = when - dt.timedelta(days=3)
        props.modified = when
    else:  # no dates at all: the audit falls back to the file's modification time
        for child in list(props._element):
            if child.tag.rsplit("}", 1)[-1] in ("created", "modified"):
                props._element.remove(child)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def build(out: Path, files: int = 1000, seed: int = 7, words: int = 350,
          flagged_share: float = 0.12) -> dict[str, int]:
    """Write the corpus; returns how many files of each kind were written."""
    rng = random.Random(seed)
    kinds: dict[str, int] = {}
    for i in range(files):
        team, worker = TEAMS[i % len(TEAMS)], WORKERS[(i // len(TEAMS)) % len(WORKERS)]
        folder = out / team / worker
        folder.mkdir(parents=True, exist_ok=True)
        roll = rng.random()
        paras = note_text(rng, rng.randint(words // 2, words * 3 // 2), flagged_share)
        when = MONTHS[rng.randrange(12)]
        if roll < 0.45:
            kind, name = "docx", f"visit-{i:04d}.docx"
            data = word_file(paras, when if rng.random() < 0.9 else None, f"Visit {i}")
        elif roll < 0.70:
            kind, name = "txt", f"note-{i:04d}.txt"
            data = ("\n\n".join(paras) + "\n").encode("utf-8")
        elif roll < 0.78:
            kind, name = "txt-cp1252", f"notepad-{i:04d}.txt"
            text = "\n\n".join(paras) + "\r\nCosts: £12 for the café, the worker’s “own” notes.\r\n"
            data = text.encode("cp1252")
        elif roll < 0.95:
            kind, name = "md", f"summary-{i:04d}.md"
            data = (f"# Summary {i}\n\n" + "\n\n".join(paras) + "\n").encode("utf-8")
        elif roll < 0.97:
            kind, name = "corrupt", f"damaged-{i:04d}.docx"
            data = b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(200))
        elif roll < 0.99:
            kind, name = "pdf", f"scan-{i:04d}.pdf"
            data = PDF
        else:
            kind, name = "own-copy", f"visit-{i:04d}.reviewed.docx"
            data = word_file(paras, when, f"Visit {i}")
        (folder / name).write_bytes(data)
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    kinds = build(a.out, a.files, a.seed)
    print(", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))


if __name__ == "__main__":
    main()
