"""The report as a PDF a person can print or forward to their doctor.

fpdf2 (pure Python) with the DejaVu fonts that matplotlib ships, so any
language's letters print and nothing is fetched. Black text, grey rules and
bold headings only: it reads the same printed in black and white. The diary's
chart is the one the chat shows (followup/chart.py: colour-blind safe, with
markers that survive greyscale).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from followup.chart import render_png
from followup.diary import DiaryEntry, fmt_number
from report.content import Report

FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT = "DejaVu"
GREY = (110, 110, 110)
RULE = (170, 170, 170)
TITLE = "Muscle twitching: a report for your doctor"
# The diary table's columns: heading, width in mm, and the cell of an entry.
DIARY_COLUMNS: Sequence[Tuple[str, float]] = (
    ("Day", 24),
    ("Rating /10", 19),
    ("Where", 41),
    ("Caffeine", 17),
    ("Sleep (h)", 16),
    ("Stress", 16),
    ("Exercise", 16),
    ("Alcohol", 15),
    ("New medicine", 26),
)


def _yes_no(value: Optional[bool]) -> str:
    return "" if value is None else ("yes" if value else "no")


def diary_row(entry: DiaryEntry) -> List[str]:
    """One diary day as the table's cells (an empty cell: not logged that day)."""

    def number(x) -> str:
        return "" if x is None else fmt_number(x)

    return [
        f"{entry.day:%a %d %b}",
        number(entry.rating),
        ", ".join(entry.locations),
        number(entry.caffeine),
        number(entry.sleep_hours),
        entry.stress or "",
        _yes_no(entry.exercise),
        number(entry.alcohol),
        entry.new_medicine or "",
    ]


class _Document(FPDF):
    def __init__(self, created_text: str) -> None:
        super().__init__(format="A4")
        self.created_text = created_text
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(FONTS / "DejaVuSans-Oblique.ttf"))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)
        self.set_title(TITLE)
        self.set_author("Muscle-twitching assistant (not a doctor)")
        self.set_creator("bfs-assistant report/pdf.py")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.created_text} · not a diagnosis · page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes: one page, two with a diary."""
    created = f"Written {report.created:%d %B %Y, %H:%M} UTC"
    pdf = _Document(created)
    pdf.add_page()
    width = pdf.epw

    def heading(text: str) -> None:
        pdf.ln(1.5)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(*RULE)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(1.5)

    def text(body: str, size: float = 9.5, style: str = "", line: float = 4.6) -> None:
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(width, line, body, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fields(rows: Sequence[Tuple[str, str]], label_width: float = 48, size: float = 9) -> None:
        """Label and value side by side; long ones wrap in their own column."""
        pdf.set_font(FONT, "", size)
        pdf.set_draw_color(*RULE)
        with pdf.table(
            col_widths=(label_width, width - label_width),
            first_row_as_headings=False,
            borders_layout="HORIZONTAL_LINES",
            line_height=4.4,
            padding=(0.8, 1),
            text_align="LEFT",
        ) as table:
            for label, value in rows:
                row = table.row()
                pdf.set_font(FONT, "B", size)
                row.cell(label)
                pdf.set_font(FONT, "", size)
                row.cell(value)

    pdf.set_font(FONT, "B", 15)
    pdf.cell(0, 8, TITLE, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(*GREY)
    who = "Told by a relative or friend about the person." if report.about_someone_else else "The person's own account."
    pdf.multi_cell(width, 4.8, f"{created}. {who}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_font(FONT, "I", 9.5)
    pdf.multi_cell(width, 4.8, report.disclaimer, border=1, padding=2, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    heading("Triage result")
    text(report.level_name, 10.5, "B", line=5.2)
    text(report.advice)
    if report.reasons:
        pdf.ln(1)
        for reason in report.reasons:
            text(f"• {reason.label}" + (f' (in their words: "{reason.words}")' if reason.words else ""))
    if report.also:
        text("Also worth knowing: " + "; ".join(h.label for h in report.also) + ".")

    reported = [
        (label, value)
        for label, value in [
            ("Twitching: where", ", ".join(report.locations)),
            ("How long", report.duration_text),
            ("Onset of new symptoms", report.onset),
            ("Also reported", "; ".join(f'{h.label} ("{h.words}")' if h.words else h.label for h in report.present)),
            ("Said to be absent", ", ".join(report.denied)),
            ("Medicines", "; ".join(f'{m.label} ("{m.words}")' if m.words else m.label for m in report.medicines)),
            ("Family history of MND/ALS", report.family_history),
            ("Age", "" if report.age is None else str(report.age)),
            ("Likely contributing", ", ".join(report.causes)),
        ]
        if value
    ]
    if reported:
        heading("What was reported")
        fields(reported)

    if report.answers:
        heading("The symptom check's answers, as recorded")
        fields([(qa.question, qa.answer) for qa in report.answers], label_width=92, size=8.5)

    # For the person, after what the doctor reads first.
    if report.safety_net:
        heading("For the person: when to come back or see a doctor sooner")
        text(report.safety_net, 7.5, line=3.4)

    if report.diary:
        _diary(pdf, report.diary, width, heading)

    heading("Sources")
    for source in report.sources:
        text(f"• {source}", 7.5, line=3.6)
    return bytes(pdf.output())


def _diary(pdf: _Document, entries: List[DiaryEntry], width: float, heading) -> None:
    """The chart (two days or more) and a table of the newest days."""
    if pdf.get_y() > 150:
        pdf.add_page()
    heading(f"Twitch diary: the last {len(entries)} day" + ("s" if len(entries) != 1 else ""))
    if len(entries) >= 2:
        png = render_png(entries)
        pdf.image(io.BytesIO(png), w=width * 0.66, x=pdf.l_margin + width * 0.17)
        pdf.ln(2)
    pdf.set_font(FONT, "B", 7.5)
    pdf.set_fill_color(235, 235, 235)
    pdf.set_draw_color(*GREY)
    for title, w in DIARY_COLUMNS:
        pdf.cell(w, 5, _fit(pdf, title, w), border=1, fill=True)
    pdf.ln()
    pdf.set_font(FONT, "", 7.5)
    for entry in entries:
        for (_, w), cell in zip(DIARY_COLUMNS, diary_row(entry)):
            pdf.cell(w, 4.2, _fit(pdf, cell, w), border=1)
        pdf.ln()


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Text cut with an ellipsis to its cell's width (the full words are in the chat)."""
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + "…"
