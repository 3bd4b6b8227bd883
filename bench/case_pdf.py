"""The case PDF under big notes: how long WeasyPrint takes, and where the time limit stops it.

    .venv/bin/python bench/case_pdf.py [--timeout 15]

Renders the real print template (`templates/cases/summary_pdf.html`) with in-memory notes (no
database: the notes are what the layout time depends on) and times the child-process renderer
the view uses (`shield.cases.pdf.html_to_pdf`), side by side in one run:

- baseline: a case with one short note;
- the largest note the API and the form accept (20,000 characters);
- SHIELD_PDF_MAX_NOTES (200) notes of 1,000 characters, the most a PDF prints;
- 200 notes of 20,000 characters, bounded as the view bounds them (SHIELD_PDF_MAX_NOTE_CHARACTERS);
- one note of 1,000,000 characters, what the API used to accept (now refused at entry with a
  field error), and the 200 big notes unbounded: the time limit stops both.

Prints JSON: seconds, PDF size, and whether the time limit stopped the render.
"""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def html_for(notes: int, chars: int, *, bounded: bool) -> str:
    from django.conf import settings
    from django.template.loader import render_to_string

    from shield.cases.pdf import bounded_notes

    when = datetime.datetime(2026, 12, 5, 9, 30)
    words = ("Gặp gia đình tại chợ biên giới, bà dì kể lại hành trình. " * (chars // 56 + 1))[:chars]
    context: dict[str, Any] = {
        "case": SimpleNamespace(reference="HN-SPC-2026-00001", get_stage_display="Services"),
        "person_name": "Nguyễn Thị Hoa",
        "narratives": True,
        "printed_at": when,
    }
    every = [
        SimpleNamespace(occurred_at=when, get_kind_display="Contact", author="cw.hanoi", body=words)
        for _ in range(notes)
    ]
    if bounded:  # what the PDF view prints of these notes
        limit, budget = settings.SHIELD_PDF_MAX_NOTES, settings.SHIELD_PDF_MAX_NOTE_CHARACTERS
        context["notes"] = bounded_notes(every, limit=limit, budget=budget)
        context.update(notes_left_out=len(context["notes"]) < notes, notes_printed=len(context["notes"]))
    else:
        context["notes"] = every
    return render_to_string("cases/summary_pdf.html", context)


def measure(label: str, notes: int, chars: int, timeout: float, *, bounded: bool = True) -> dict[str, Any]:
    from shield.cases.pdf import PdfTooSlow, html_to_pdf

    html = html_for(notes, chars, bounded=bounded)
    started = time.perf_counter()
    try:
        size: int | None = len(html_to_pdf(html, timeout=timeout))
        stopped = False
    except PdfTooSlow:
        size, stopped = None, True
    return {
        "case": label,
        "notes": notes,
        "characters_per_note": chars,
        "notes_bounded_as_the_view_does": bounded,
        "seconds": round(time.perf_counter() - started, 2),
        "pdf_bytes": size,
        "stopped_by_time_limit": stopped,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=15.0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    runs = [
        ("baseline: one short note", 1, 200),
        ("largest allowed note", 1, 20_000),
        ("200 notes of 1,000 characters", 200, 1_000),
        ("200 notes of 20,000 characters (worst allowed; 10 of them printed)", 200, 20_000),
    ]
    results = [measure(label, notes, chars, args.timeout) for label, notes, chars in runs]
    # What the API used to accept, now refused at entry with a field error: the time limit stops it.
    results.append(measure("one 1 MB note (refused at entry since issue 12)", 1, 1_000_000, args.timeout))
    results.append(
        measure(
            "200 notes of 20,000 characters, all printed (no bound)", 200, 20_000, args.timeout, bounded=False
        )
    )
    print(json.dumps({"timeout_seconds": args.timeout, "results": results}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
