"""The record-level examples of data/raw/microdata/README.md work as written: the report entry loads with the
build's own loader, and the vocabulary file validates an export laid out as its tables say, with the error
message the README quotes. (TEST FIXTURES: the export rows are invented.)"""

from __future__ import annotations

import re

import pytest
import yaml

from analysis import paths
from analysis.evidence import raw
from analysis.publish.config import load_config
from analysis.records import registry, vocabulary

README = paths.MICRODATA / "README.md"


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def registry_header() -> list[str]:
    """The registry's columns in the order the README's table lists them."""
    section = README.read_text(encoding="utf-8").split("## Household registry", 1)[1].split("##", 1)[0]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)


def test_the_readme_report_entry_loads_and_lists_the_vocabulary_as_an_input(tmp_path):
    entry_block = next(block for block in yaml_blocks() if "notebook:" in block)
    config = tmp_path / "reports.yml"
    config.write_text("languages: [en, zh]\nreports:\n" + entry_block, encoding="utf-8")
    entries = load_config(config)
    assert [e.lang for e in entries] == ["en", "zh"]
    export = entries[0].parameters["registry_path"]
    assert export in entries[0].inputs
    assert paths.relative(vocabulary.path_for(paths.ROOT / export)) in entries[0].inputs


def test_the_readme_vocabulary_validates_an_export_laid_out_as_documented(tmp_path):
    vocab_block = next(block for block in yaml_blocks() if block.lstrip().startswith("#") and "columns:" in block)
    document = yaml.safe_load(vocab_block)
    header = registry_header()
    assert header == list(
        registry.registry_schema(vocabulary.parse(document, tmp_path / "v", registry.VOCABULARY)).columns
    )
    export = tmp_path / "union_export_2024.csv"
    export.write_text(
        ",".join(header) + "\n"
        "SP1,G2024-0001,TEST,甲县,特困户,因病,2020-01-05,2021-03-01\n"
        "SP2,G2024-0001,TEST,甲县,特困户,因病,2022-02-01,\n"
        "SP3,G2024-0002,TEST,乙区,边缘户,因灾,2021-06-30,\n",
        encoding="utf-8",
    )
    vocabulary.path_for(export).write_text(vocab_block, encoding="utf-8")
    assert len(registry.load_registry(export)) == 3
    assert registry.load_vocabulary(export).references("main_cause", "household_type") == {
        "main_cause": "因病",
        "household_type": "特困户",
    }
    # The error the README quotes, word for word (its line breaks aside).
    quoted = re.search(r"`(union_export_2024\.csv, row 3.*?)`", README.read_text(encoding="utf-8"), re.DOTALL)
    export.write_text(export.read_text(encoding="utf-8").replace("乙区", "丁县"), encoding="utf-8")
    with pytest.raises(raw.RawDataError) as caught:
        registry.load_registry(export)
    assert " ".join(quoted.group(1).split()) in str(caught.value)
