"""The result of check_grad: what was compared, what differed, and why.

``GradReport`` is truthy when the check passed. ``str(report)`` is plain text
for a terminal or an autograder's log; in a notebook ``_repr_html_`` draws the
same content as a small table. Pass, fail and "cannot tell" are marked by a
symbol and a word as well as by colour (blue / vermillion / orange, which
stay distinguishable with the common colour-vision deficiencies).
"""
from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from typing import Any

import numpy

ROWS_SHOWN = 5
SYMBOL = {"pass": "✓", "fail": "✗", "inconclusive": "?", "missing": "✗"}
WORD = {"pass": "PASS", "fail": "FAIL", "inconclusive": "CANNOT TELL", "missing": "FAIL"}
# Okabe-Ito blue / vermillion / orange for borders; darker shades of the same hues for text,
# so that text keeps a contrast of at least 4.5:1 on the light tints.
COLOUR = {"pass": "#0072B2", "fail": "#D55E00", "inconclusive": "#E69F00", "missing": "#D55E00"}
TEXT = {"pass": "#005A8C", "fail": "#A84A00", "inconclusive": "#8A5A00", "missing": "#A84A00"}
TINT = {"pass": "#E5F1F8", "fail": "#FBEBE0", "inconclusive": "#FDF4E1", "missing": "#FBEBE0"}


@dataclass
class Diagnosis:
    """A likely cause of a difference, stated only when the numbers show it.

    ``kind`` is a short key (``'sign'``, ``'factor'``, ``'transposed'``,
    ``'shape'``, ``'broadcast'``, ``'other_argument'``, ``'few_entries'``,
    ...), ``where`` the argument or node, ``text`` the explanation.
    """
    kind: str
    where: str
    text: str
    value: Any = None       # e.g. the factor, for kind 'factor'

    def __str__(self) -> str:
        return self.text


@dataclass
class Mismatch:
    """One entry that differs: ``where[index]`` should be ``expected`` but is ``got``."""
    where: str
    index: tuple
    expected: Any
    got: Any
    numeric: Any = None     # central finite differences there (None: not computed)
    kind: str = "wrong"     # or "undecided" (f is not differentiable there)

    @property
    def entry(self) -> str:
        return self.where + ("[" + ", ".join(map(str, self.index)) + "]" if self.index else "")


class GradReport:
    """What check_grad found. True when it passed.

    ``passed``, ``status`` ('pass', 'fail' or 'inconclusive': f is not
    differentiable where it was checked), ``max_abs_error``,
    ``max_rel_error``, ``diagnoses`` and ``mismatches`` (every entry that
    differs), ``items`` (one per argument, node or custom gradient checked),
    ``notes``, and for node-by-node checks ``first_wrong``.
    """

    def __init__(self, title: str, items: list, *, subtitle: str = "", notes: list | None = None,
                 first_wrong: str | None = None, point_summary: str = "",
                 tolerance: str = "", node_by_node: bool = False):
        self.title = title
        self.subtitle = subtitle
        self.items = items
        self.notes = list(notes or [])
        self.first_wrong = first_wrong
        self.point_summary = point_summary
        self.tolerance = tolerance
        self.node_by_node = node_by_node
        statuses = [i.status for i in items]
        if any(s in ("fail", "missing") for s in statuses):
            self.status = "fail"
        elif "inconclusive" in statuses:
            self.status = "inconclusive"
        else:
            self.status = "pass"

    # -- the numbers ---------------------------------------------------------
    @property
    def passed(self) -> bool:
        return self.status == "pass"

    def __bool__(self) -> bool:
        return self.passed

    @property
    def max_abs_error(self) -> float:
        return max((i.max_abs_error for i in self.items), default=0.0)

    @property
    def max_rel_error(self) -> float:
        return max((i.max_rel_error for i in self.items), default=0.0)

    @property
    def diagnoses(self) -> list[Diagnosis]:
        return [d for i in self.items for d in i.diagnoses]

    @property
    def mismatches(self) -> list[Mismatch]:
        return [m for i in self.items for m in i.mismatches]

    def item(self, name: str):
        """The check of one argument or node, by name."""
        for i in self.items:
            if i.name == name:
                return i
        raise KeyError(f"No item {name!r}; items: {', '.join(i.name for i in self.items)}")

    def __repr__(self) -> str:
        return f"<GradReport {WORD[self.status]}: {self.title}>"

    # -- plain text ------------------------------------------------------------
    def __str__(self) -> str:
        lines = [f"{self.title}: {WORD[self.status]}"
                 + (f" (the mistake entered at {self.first_wrong})" if self.first_wrong else "")]
        if self.subtitle:
            lines.append(self.subtitle)
        if self.tolerance:
            lines.append(self.tolerance)
        lines.append(_errors(self))
        if self.point_summary:
            lines.append(self.point_summary)
        lines.append("")
        width = max((len(i.name) for i in self.items), default=1)
        for i in self.items:
            lines.append(f"  {SYMBOL[i.status]} {i.name:<{width}}  {_summary(i)}")
        for i in self.items:
            if i.status == "pass" and not i.notes:
                continue
            detail = _item_text(i)
            if detail:
                lines.append("")
                lines += detail
        if self.notes:
            lines.append("")
            lines += [_wrap("Note: " + n, "  ") for n in self.notes]
        return "\n".join(lines)

    # -- HTML ------------------------------------------------------------------
    def _repr_html_(self) -> str:
        e = html.escape
        st = self.status
        out = ['<div style="font-family:sans-serif;font-size:13px;max-width:60em">',
               f'<div style="border-left:6px solid {COLOUR[st]};background:{TINT[st]};'
               f'padding:4px 8px;margin-bottom:4px"><b>{SYMBOL[st]} {WORD[st]}</b> &mdash; '
               f'{e(self.title)}'
               + (f' (the mistake entered at <code>{e(self.first_wrong)}</code>)' if self.first_wrong else "")
               + "</div>"]
        for text in (self.subtitle, self.tolerance, _errors(self), self.point_summary):
            if text:
                out.append(f'<div style="margin:2px 0">{e(text)}</div>')
        out.append('<table style="border-collapse:collapse;margin:4px 0">')
        out.append("<tr>" + "".join(f'<th style="text-align:left;padding:2px 8px;border-bottom:1px solid #999">{h}</th>'
                                    for h in ("", "checked", "result")) + "</tr>")
        for i in self.items:
            label = f' &larr; <b>{e(i.label)}</b>' if i.label else ""
            out.append(f'<tr style="background:{TINT[i.status]}">'
                       f'<td style="padding:2px 8px;color:{TEXT[i.status]};font-weight:bold;'
                       f'white-space:nowrap">{SYMBOL[i.status]} {WORD[i.status].lower()}</td>'
                       f'<td style="padding:2px 8px"><code>{e(i.name)}</code>'
                       f'<span style="color:#444">{e(_op(i))}</span></td>'
                       f'<td style="padding:2px 8px">{e(_summary(i, label=False))}{label}</td></tr>')
        out.append("</table>")
        for i in self.items:
            if i.status == "pass" and not i.notes:
                continue
            out.append(_item_html(i))
        for n in self.notes:
            out.append(f'<div style="margin:4px 0"><b>Note:</b> {e(n)}</div>')
        out.append("</div>")
        return "\n".join(out)


# --------------------------------------------------------------------------
# Pieces
# --------------------------------------------------------------------------

def _errors(report) -> str:
    if any(i.error and i.status != "pass" for i in report.items):
        measured = [i for i in report.items if not i.error]
        if not measured:
            return "No error could be measured: see below."
        return (f"Largest absolute error {_num(max(i.max_abs_error for i in measured))}, largest "
                f"relative error {_num(max(i.max_rel_error for i in measured))} (where the "
                "gradients could be compared).")
    return (f"Largest absolute error {_num(report.max_abs_error)}, largest relative error "
            f"{_num(report.max_rel_error)}.")


def _summary(i, label: bool = True) -> str:
    label = f"  <- {i.label}" if i.label and label else ""
    if i.error and i.status != "pass":
        error = i.error if len(i.error) <= 60 else i.error[:57].rsplit(" ", 1)[0] + " ..."
        return f"{WORD[i.status].lower()}: {error}{label}"
    if i.status == "pass":
        extra = " (not differentiable at some entries; see the note)" if i.notes else ""
        return f"right ({_count(i.size)} checked){extra}{label}"
    if i.status == "inconclusive":
        return f"cannot tell at {len(i.mismatches)} of {_count(i.size)}: not differentiable there{label}"
    return f"wrong at {i.wrong} of {_count(i.size)}{label}"


def _count(n: int) -> str:
    return "1 entry" if n == 1 else f"{n} entries"


def _columns(i) -> list[str]:
    fd = [] if i.reference == "finite diff." else ["finite diff."]
    return ["entry", i.reference] + fd + [i.got_label]


def _rows(i) -> list[list[str]]:
    rows = []
    for m in i.mismatches[:ROWS_SHOWN]:
        fd = [] if i.reference == "finite diff." else ["-" if m.numeric is None else _num(m.numeric)]
        rows.append([m.entry, _num(m.expected)] + fd +
                    [_num(m.got) + ("  (cannot tell)" if m.kind == "undecided" else "")])
    return rows


def _item_text(i) -> list[str]:
    lines = [f"{i.name}{_op(i)}:"]
    if i.error and i.status != "pass" and not i.diagnoses:
        lines.append(_wrap(f"{SYMBOL[i.status]} {i.error}", "  "))
    rows = _rows(i)
    if rows:
        table = [_columns(i)] + rows
        widths = [max(len(r[c]) for r in table) for c in range(len(table[0]))]
        for r in table:
            lines.append("    " + "   ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
        if len(i.mismatches) > ROWS_SHOWN:
            lines.append(f"    ... and {len(i.mismatches) - ROWS_SHOWN} more")
    for d in i.diagnoses:
        lines.append(_wrap("Diagnosis: " + d.text, "  "))
    for n in i.notes:
        lines.append(_wrap("Note: " + n, "  "))
    return lines if len(lines) > 1 else []


def _item_html(i) -> str:
    e = html.escape
    out = [f'<div style="margin:6px 0 2px 0"><code>{e(i.name)}</code>{e(_op(i))}</div>']
    if i.error and i.status != "pass":
        out.append(f'<div style="color:{TEXT[i.status]}">{SYMBOL[i.status]} {e(i.error)}</div>')
    rows = _rows(i)
    if rows:
        out.append('<table style="border-collapse:collapse;margin-left:1em">')
        out.append("<tr>" + "".join(f'<th style="text-align:right;padding:1px 8px;border-bottom:1px solid #999">{e(h)}</th>'
                                    for h in _columns(i)) + "</tr>")
        for r, m in zip(rows, i.mismatches):
            st = "inconclusive" if m.kind == "undecided" else "fail"
            cells = [f'<td style="text-align:right;padding:1px 8px;font-family:monospace">{e(c)}</td>' for c in r[:-1]]
            cells.append(f'<td style="text-align:right;padding:1px 8px;font-family:monospace;'
                         f'color:{TEXT[st]};font-weight:bold">{SYMBOL[st]} {e(r[-1])}</td>')
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
        if len(i.mismatches) > ROWS_SHOWN:
            out.append(f'<div style="margin-left:1em">... and {len(i.mismatches) - ROWS_SHOWN} more</div>')
    if i.diagnoses:
        out.append('<ul style="margin:2px 0">' + "".join(
            f"<li><b>Diagnosis:</b> {e(d.text)}</li>" for d in i.diagnoses) + "</ul>")
    for n in i.notes:
        out.append(f'<div style="margin-left:1em"><b>Note:</b> {e(n)}</div>')
    return "\n".join(out)


def _op(i) -> str:
    if not i.op:
        return ""
    if i.op == "input":
        return " (an argument of f)"
    if i.kind in ("maker", "second order"):
        return f" ({i.op})"
    return f" = {i.op}"


def _num(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, complex) or numpy.iscomplexobj(v):
        v = complex(v)
        return f"{v.real:.6g}{v.imag:+.6g}j"
    return f"{float(v):.6g}"


def _wrap(text: str, indent: str, width: int = 88) -> str:
    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent + "  ",
                         break_long_words=False, break_on_hyphens=False)
