"""What the audit establishes, in the report's language: the findings and key numbers of the data-audit report."""

from __future__ import annotations

import pandas as pd

from analysis import language
from analysis.evidence.audit import DERIVED, FAILS, HOLDS, localize, rates_without_base, verdict_counts
from analysis.language import say
from analysis.numbers import Finding, KeyNumber


def audit_findings(figures: pd.DataFrame, audit: pd.DataFrame) -> tuple[list[Finding], list[KeyNumber]]:
    """What the audit establishes: how many figures and relations, which relations fail, what is only bounded."""
    if language.current() != "en":  # the stored explanations are English
        audit = localize(audit, figures)
    failing = audit[audit["verdict"] == FAILS]
    counts = verdict_counts(audit)
    bounds = figures[figures["qualifier"] != "exact"]
    no_base = rates_without_base(figures, audit)
    failing_ids = (
        say("audit.finding.failing_ids", ids=say("audit.finding.id_separator").join(failing["relation_id"]))
        if len(failing)
        else ""
    )
    findings = [
        Finding(
            say(
                "audit.finding.summary",
                figures=len(figures),
                sources=figures["source_id"].nunique(),
                relations=len(audit),
                holding=counts[HOLDS],
                failing=len(failing),
                failing_ids=failing_ids,
                derived=counts[DERIVED],
            ),
            tuple(figures["figure_id"]),
        )
    ]
    findings += [
        Finding(
            say("audit.finding.failing", relation_id=row.relation_id, explanation=row.explanation),
            tuple(row.figures.split()),
        )
        for row in failing.itertuples()
    ]
    findings.append(
        Finding(
            say(
                "audit.finding.bounds",
                bounds=len(bounds),
                no_base=len(no_base),
                rates=int((figures["kind"] == "rate").sum()),
            ),
            tuple(bounds["figure_id"]) + tuple(no_base["figure_id"]),
        )
    )
    every = tuple(figures["figure_id"])
    key_numbers = [
        KeyNumber(
            "figures", say("audit.key.figures"), len(figures), say("audit.unit.figures"), f"{len(figures):,}", every
        ),
        KeyNumber(
            "relations",
            say("audit.key.relations"),
            counts[HOLDS] + counts[FAILS],
            say("audit.unit.relations"),
            f"{counts[HOLDS] + counts[FAILS]:,}",
            tuple(i for f in audit.loc[audit["verdict"] != DERIVED, "figures"] for i in f.split()),
        ),
        KeyNumber(
            "failing",
            say("audit.key.failing"),
            len(failing),
            say("audit.unit.relations"),
            f"{len(failing):,}",
            tuple(i for f in failing["figures"] for i in f.split()),
        ),
        KeyNumber(
            "bounds",
            say("audit.key.bounds"),
            len(bounds),
            say("audit.unit.figures"),
            f"{len(bounds):,}",
            tuple(bounds["figure_id"]),
        ),
        KeyNumber(
            "rates_without_n",
            say("audit.key.rates_without_n"),
            len(no_base),
            say("audit.unit.rates"),
            f"{len(no_base):,}",
            tuple(no_base["figure_id"]),
        ),
    ]
    if counts[DERIVED]:  # a count of none rests on no figure: the summary sentence says it
        key_numbers.insert(
            3,
            KeyNumber(
                "derived",
                say("audit.key.derived"),
                counts[DERIVED],
                say("audit.unit.relations"),
                f"{counts[DERIVED]:,}",
                tuple(i for f in audit.loc[audit["verdict"] == DERIVED, "figures"] for i in f.split()),
            ),
        )
    return findings, key_numbers
