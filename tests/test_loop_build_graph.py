"""The researcher's loop (issue 27): the two report batches' make rules. The records batch, at the end of the
longest chain of an edit its SYNTHETIC inputs are calibrated to, starts as soon as its inputs are ready, beside the
tables batch, which yields the cores to it (niced)."""

from __future__ import annotations

import re

from analysis import paths
from analysis.publish import makerules
from analysis.publish.config import load_config


def rule(text: str, target: str) -> tuple[str, list[str]]:
    """The prerequisites line of `target`'s rule and its recipe lines."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line[1:])
    return lines[start], recipe


def test_the_records_batch_waits_for_its_own_inputs_only_and_the_tables_batch_runs_niced():
    text = makerules.makefile_text(load_config())
    tables, records = (paths.relative(paths.batch_done(b)) for b in ("tables", "records"))
    records_rule, records_recipe = rule(text, records)
    _, tables_recipe = rule(text, tables)
    # Its manifests, nothing of the other batch (no order-only wait for it).
    assert tables not in records_rule and "|" not in records_rule
    assert all(re.fullmatch(r"build/inputs/\S+\.json", p) for p in records_rule.split(":", 1)[1].split())
    assert tables_recipe[0].startswith("nice -n $(TABLES_NICE) $(PY) -m analysis.publish build")
    assert records_recipe[0].startswith("$(PY) -m analysis.publish build")
    assert re.search(
        r"^TABLES_NICE \?= [1-9][0-9]*$", text, re.MULTILINE
    )  # the default, overridable: make TABLES_NICE=0
