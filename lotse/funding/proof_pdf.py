"""The proof of use as PDF (WeasyPrint, :func:`lotse.core.pdf.render_pdf`), German, in the
structure of the form (seed 003, Anlage 3): header (recipient, AZ, "Verwendungsnachweis",
Zuwendungszweck, contract date, "bewilligt", "ausgezahlt"), I. Sachbericht with the figures from
the case data, II. Zahlenmäßiger Nachweis (income and expenses, "Lt. Kooperationsvertrag" and
"Lt. Abrechnung"), III. Ist-Ergebnis, IV. Bestätigung with ☒/☐, place/date and signature lines.

Every text comes ready from :func:`proof_context`: amounts in German format (``50.416,67``)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.text import slugify

from lotse.core.pdf import render_pdf
from lotse.funding.proof import (
    CONFIRMATIONS,
    FORM,
    MATERIAL_DE,
    POSITION_TYPES_DE,
    Amounts,
    ProofDocument,
    activity_lines_de,
    de_date,
    de_money,
    de_number,
    group_label,
    row_label,
)

TEMPLATE = "funding/pdf/proof.html"
LANGUAGE = "de"
CHECKED, UNCHECKED = "☒", "☐"


def _money_cells(amounts: Amounts) -> list[str]:
    return [
        de_money(amounts.planned_total),
        de_money(amounts.planned_eligible),
        de_money(amounts.settled_total),
        de_money(amounts.settled_eligible),
    ]


def proof_context(document: ProofDocument) -> dict[str, Any]:
    st = document.statement
    period = f"{de_date(st.period_start)} – {de_date(st.period_end)}"
    staff_groups = []
    for group in st.staff_groups:
        rows = []
        for row in group.rows:
            a = row.amounts
            rows.append(
                {
                    "label": row_label(row),
                    "fte": de_number(row.fte),
                    "months": str(row.months),
                    "planned": [de_money(a.planned_total), de_money(a.planned_eligible)],
                    "settled": [de_money(a.settled_total), de_money(a.settled_eligible)],
                }
            )
        g = group.amounts
        staff_groups.append(
            {
                "label": group_label(group),
                "type": POSITION_TYPES_DE.get(group.position_type, group.position_type),
                "rows": rows,
                "fte": de_number(group.fte),
                "planned": [de_money(g.planned_total), de_money(g.planned_eligible)],
                "settled": [de_money(g.settled_total), de_money(g.settled_eligible)],
            }
        )
    public_label = FORM["public_grant"] + (f" {document.public_grant_name}" if document.public_grant_name else "")
    labels = {
        "own_share": FORM["own_share"],
        "third_party": FORM["third_party"],
        "public_grant": public_label,
        "state_grant": FORM["state_grant"],
        "total": FORM["total"],
    }
    income = [
        {
            "label": labels[row.key],
            "total": row.key == "total",
            "cells": [
                de_money(row.planned),
                de_number(row.planned_percent),
                de_money(row.settled),
                de_number(row.settled_percent),
            ],
        }
        for row in st.income
    ]
    material = [
        {"label": MATERIAL_DE.get(item.category, item.category), "cells": _money_cells(item.amounts)}
        for item in st.material_rows
    ]
    ticked = dict(document.confirmations)
    title = FORM["title"]
    subject = document.provider or FORM["consolidated"]
    activity = activity_lines_de(st.activity) if st.activity is not None else []
    return {
        "pdf_title": f"{title} – {document.programme} – {subject}, {period}",
        "form": FORM,
        "footer": f"{title} · {document.recipient} · {subject} · {period}",
        "recipient": document.recipient,
        "provider": document.provider,
        "consolidated": document.consolidated,
        "reference": document.reference,
        "programme": document.programme,
        "period": period,
        "contract_date": de_date(document.contract_date),
        "approved": de_money(st.approved),
        "paid": de_money(st.paid),
        "reports": [(name, text) for name, text in document.activity_reports if text.strip()],
        "activity": [{"label": label, "count": count, "indent": indent} for label, count, indent in activity],
        "income": income,
        "staff_groups": staff_groups,
        "staff_total": {
            "fte": de_number(st.staff_fte),
            "planned": [de_money(st.staff.planned_total), de_money(st.staff.planned_eligible)],
            "settled": [de_money(st.staff.settled_total), de_money(st.staff.settled_eligible)],
        },
        "material": material,
        "material_total": _money_cells(st.material),
        "expenses": [de_money(st.expenses_planned), de_money(st.expenses_settled)],
        "result": {
            "expenses": [de_money(st.planned.expenses), de_money(st.settled.expenses)],
            "income": [de_money(st.planned.income), de_money(st.settled.income)],
            "more": [de_money(st.planned.more), de_money(st.settled.more)],
            "less": [de_money(st.planned.less), de_money(st.settled.less)],
            "to_repay": de_money(st.to_repay) if st.to_repay > 0 else "",
            "due_on": de_date(st.repayment_due_on),
        },
        "confirmations": [
            {"box": CHECKED if ticked.get(name) else UNCHECKED, "text": text} for name, text in CONFIRMATIONS
        ],
    }


def proof_filename(document: ProofDocument, extension: str) -> str:
    subject = slugify(document.provider) if document.provider else "gesamt"
    st = document.statement
    return f"verwendungsnachweis-{subject or 'traeger'}-{st.period_start:%Y-%m-%d}-{st.period_end:%Y-%m-%d}.{extension}"


def proof_pdf(document: ProofDocument) -> bytes:
    with translation.override(LANGUAGE):
        return render_pdf(TEMPLATE, proof_context(document), language=LANGUAGE)
