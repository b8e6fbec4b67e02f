"""Record-level vocabularies come from a file beside the export: another province's export validates with its
own, a value outside it or a missing or malformed file is named clearly, and no vocabulary is left in the code.

Every export here is a TEST FIXTURE: invented districts, categories and ids, no real records.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from analysis import paths
from analysis.evidence import raw
from analysis.records import calllog, calllog_aggregate, calllog_synthetic, registry, registry_synthetic, vocabulary
from analysis.topics import calllog as calllog_stats

# ---------------------------------------------------------------- a TEST province's registry, with its own vocabulary

TEST_REGISTRY = (
    "spell_id,household_id,region,district,household_type,main_cause,entry_date,exit_date\n"
    "SP1,G2024-0001,TEST-Province,甲县,特困户,因灾,2020-01-05,2021-03-01\n"
    "SP2,G2024-0001,TEST-Province,甲县,特困户,因灾,2022-02-01,\n"
    "SP3,G2024-0002,TEST-Province,乙区,边缘户,缺劳力,2021-06-30,\n"
)
TEST_REGISTRY_VOCABULARY = """\
# TEST vocabulary of a TEST province's registry export
columns:
  region: {values: [TEST-Province]}
  district: {values: [甲县, 乙区, 丙市]}
  household_type: {values: [边缘户, 特困户], reference: 特困户}
  main_cause: {values: [因灾, 缺劳力, 因病]}
  household_id: {pattern: '^G\\d{4}-\\d{4}$', example: G2024-0001}
"""


def write(folder: Path, name: str, export: str, vocab: str | None) -> Path:
    path = folder / name
    path.write_text(export, encoding="utf-8")
    if vocab is not None:
        vocabulary.path_for(path).write_text(vocab, encoding="utf-8")
    return path


def test_another_provinces_registry_validates_with_its_own_vocabulary(tmp_path):
    path = write(tmp_path, "province_export.csv", TEST_REGISTRY, TEST_REGISTRY_VOCABULARY)
    assert vocabulary.path_for(path) == tmp_path / "province_export.vocabulary.yml"
    spells = registry.load_registry(path)
    assert len(spells) == 3 and set(spells["district"]) == {"甲县", "乙区"}
    vocab = registry.load_vocabulary(path)
    # The declared reference, and (none declared) the first value listed.
    assert vocab.references("household_type", "main_cause") == {"household_type": "特困户", "main_cause": "因灾"}


def test_the_same_export_is_refused_under_the_synthetic_beijing_vocabulary(tmp_path):
    """What the export may hold is what its vocabulary lists, nothing in the code: Beijing's rejects it."""
    path = write(tmp_path, "province_export.csv", TEST_REGISTRY, None)
    vocabulary.write(vocabulary.path_for(path), registry_synthetic.vocabulary_document(), "SYNTHETIC")
    with pytest.raises(raw.RawDataError) as caught:
        registry.load_registry(path)
    columns = {p.column for p in caught.value.problems}
    assert {"region", "district", "household_type", "main_cause", "household_id", "spell_id"} <= columns


def test_without_an_id_pattern_ids_need_only_be_present_and_spell_ids_unique(tmp_path):
    vocab = "\n".join(line for line in TEST_REGISTRY_VOCABULARY.splitlines() if "household_id" not in line)
    path = write(tmp_path, "export.csv", TEST_REGISTRY.replace("G2024-0002", "any form 2"), vocab)
    assert len(registry.load_registry(path)) == 3
    path = write(tmp_path, "export.csv", TEST_REGISTRY.replace("SP3", "SP2"), vocab)
    with pytest.raises(raw.RawDataError, match=r"row 3 \(line 4\), column 'spell_id': must be unique"):
        registry.load_registry(path)
    path = write(tmp_path, "export.csv", TEST_REGISTRY.replace("SP3,G2024-0002", "SP3,"), vocab)
    with pytest.raises(raw.RawDataError, match=r"row 3 \(line 4\), column 'household_id': must not be empty"):
        registry.load_registry(path)


OUTSIDE = {
    # (replace, by): row, column, rule
    "district": (("乙区", "丁县"), 3, "district", "must be one of the 3 values listed for it in "),
    "cause": (("缺劳力", "失业"), 3, "main_cause", "must be one of the 3 values listed for it in "),
    "type": (("边缘户", "低保户"), 3, "household_type", "must be one of the 2 values listed for it in "),
    "region": (("TEST-Province,乙区", "Elsewhere,乙区"), 3, "region", "must be the one value listed for it in "),
    "household id": (
        ("G2024-0002", "HH-000002"),
        3,
        "household_id",
        r"must match the pattern ^G\d{4}-\d{4}$ given for it in province_export.vocabulary.yml, e.g. G2024-0001",
    ),
}


@pytest.mark.parametrize("case", OUTSIDE, ids=list(OUTSIDE))
def test_a_registry_value_outside_the_vocabulary_names_file_row_column_rule(tmp_path, case):
    (old, new), row, column, rule = OUTSIDE[case]
    path = write(tmp_path, "province_export.csv", TEST_REGISTRY.replace(old, new), TEST_REGISTRY_VOCABULARY)
    with pytest.raises(raw.RawDataError) as caught:
        registry.load_registry(path)
    message = str(caught.value)
    assert f"province_export.csv, row {row} (line {row + 1}), column '{column}': {rule}" in message
    assert "province_export.vocabulary.yml" in message  # the rule names the file that sets it
    assert new not in message  # no record value in a message


def test_the_rule_lists_the_vocabularys_values(tmp_path):
    path = write(tmp_path, "province_export.csv", TEST_REGISTRY.replace("乙区", "丁县"), TEST_REGISTRY_VOCABULARY)
    with pytest.raises(raw.RawDataError) as caught:
        registry.load_registry(path)
    assert (
        "column 'district': must be one of the 3 values listed for it in province_export.vocabulary.yml "
        "(甲县, 乙区, 丙市)" in str(caught.value)
    )


def test_a_long_list_is_cut_in_the_message():
    values = [f"县{i:02d}" for i in range(20)]
    vocab = vocabulary.parse(
        {"columns": {"category": {"values": values}, "district": {"values": ["甲"]}}},
        Path("x.vocabulary.yml"),
        calllog.VOCABULARY,
    )
    rule = vocab.values_rule("category")
    assert rule.startswith("must be one of the 20 values listed for it in x.vocabulary.yml (县00, 县01,")
    assert rule.endswith(f"县{vocabulary.SHOWN - 1:02d}, … ({20 - vocabulary.SHOWN} more))")


def test_a_missing_vocabulary_names_the_file_and_what_it_must_list(tmp_path):
    path = write(tmp_path, "province_export.csv", TEST_REGISTRY, None)
    with pytest.raises(raw.RawDataError) as caught:
        registry.load_registry(path)
    assert str(caught.value).endswith(
        f"{tmp_path / 'province_export.vocabulary.yml'}: is missing: the vocabulary of province_export.csv must "
        "lie beside it, listing the values of district, household_type, main_cause "
        "(format: data/raw/microdata/README.md)"
    )


MALFORMED = {
    "not yaml": ("columns: [unclosed\n", None, "is not valid YAML at line 2"),
    "no columns": ("district: [甲县]\n", None, "must be a mapping with a 'columns' mapping"),
    "unknown top-level key": (
        TEST_REGISTRY_VOCABULARY + "extra: 1\n",
        None,
        "unknown key 'extra' (allowed: columns, label)",
    ),
    "a column the export has not": (
        TEST_REGISTRY_VOCABULARY + "  county: {values: [甲县]}\n",
        "county",
        "is not a column this export may describe (allowed: district, household_type, main_cause, region, "
        "spell_id, household_id)",
    ),
    "a listed column left out": (
        TEST_REGISTRY_VOCABULARY.replace("  main_cause: {values: [因灾, 缺劳力, 因病]}\n", ""),
        "main_cause",
        "must be listed: give 'values', the list of values main_cause may hold",
    ),
    "a pattern for a listed column": (
        TEST_REGISTRY_VOCABULARY.replace("district: {values: [甲县, 乙区, 丙市]}", "district: {pattern: '.'}"),
        "district",
        "must give 'values': the list of values the column may hold",
    ),
    "reference not listed": (
        TEST_REGISTRY_VOCABULARY.replace("reference: 特困户", "reference: 低保户"),
        "household_type",
        "'reference' must be one of its 'values'",
    ),
    "a value twice": (
        TEST_REGISTRY_VOCABULARY.replace("[甲县, 乙区, 丙市]", "[甲县, 乙区, 甲县]"),
        "district",
        "'values' lists 甲县 more than once",
    ),
    "a number": (
        TEST_REGISTRY_VOCABULARY.replace("[甲县, 乙区, 丙市]", "[甲县, 110]"),
        "district",
        "'values' must be non-empty texts without surrounding spaces (quote numbers: '110')",
    ),
    "an empty list": (
        TEST_REGISTRY_VOCABULARY.replace("[甲县, 乙区, 丙市]", "[]"),
        "district",
        "'values' must be a non-empty list",
    ),
    "a broken pattern": (
        TEST_REGISTRY_VOCABULARY.replace("'^G\\d{4}-\\d{4}$'", "'^G(\\d'"),
        "household_id",
        "'pattern' is not a regular expression",
    ),
    "an example the pattern refuses": (
        TEST_REGISTRY_VOCABULARY.replace("example: G2024-0001", "example: HH-1"),
        "household_id",
        "'example' must match its 'pattern'",
    ),
    "values and a pattern": (
        TEST_REGISTRY_VOCABULARY.replace("region: {values: [TEST-Province]}", "region: {values: [X], pattern: X}"),
        "region",
        "must give 'values' or 'pattern', not both",
    ),
    "an unknown key": (
        TEST_REGISTRY_VOCABULARY.replace("reference: 特困户", "default: 特困户"),
        "household_type",
        "unknown key(s) default (allowed: values, reference, pattern, example)",
    ),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_a_malformed_vocabulary_names_file_column_and_rule(tmp_path, case):
    text, column, rule = MALFORMED[case]
    path = write(tmp_path, "province_export.csv", TEST_REGISTRY, text)
    with pytest.raises(raw.RawDataError) as caught:
        registry.load_registry(path)
    where = f"{tmp_path / 'province_export.vocabulary.yml'}" + (f", column '{column}'" if column else "")
    assert f"{where}: {rule}" in str(caught.value)


# ---------------------------------------------------------------- a TEST province's call log, with its own vocabulary

TEST_LOG_VOCABULARY = """\
columns:
  category: {values: [供水, 供暖, 噪音], reference: 噪音}
  district: {values: [甲县, 乙区]}
"""


def write_test_log(path: Path, vocab: str | None = TEST_LOG_VOCABULARY, **changes) -> Path:
    """40 rated calls per category in two districts (TEST FIXTURE): 供水 30, 供暖 20, 噪音 24 satisfied.

    Every satisfied and unsatisfied count is at least 10, so the disclosure gate hides no category."""
    satisfied = {"供水": 30, "供暖": 20, "噪音": 24}
    rows: dict[str, list] = {k: [] for k in ("call_id", "received_at", "category", "district", "resolved")}
    rows["satisfaction"] = []
    for category, yes in satisfied.items():
        for i in range(40):
            rows["call_id"].append(len(rows["call_id"]) + 1)
            rows["received_at"].append(datetime(2023, 3, 1 + i % 5, 10))
            rows["category"].append(category)
            rows["district"].append("甲县" if i % 2 else "乙区")
            rows["resolved"].append(True)
            rows["satisfaction"].append(1 if i < yes else 0)
    rows.update(changes)
    pq.write_table(pa.table(rows), path)
    if vocab is not None:
        vocabulary.path_for(path).write_text(vocab, encoding="utf-8")
    return path


def test_another_provinces_call_log_validates_and_compares_with_its_own_reference(tmp_path, monkeypatch):
    monkeypatch.setattr(calllog_aggregate.paths, "PROCESSED", tmp_path / "processed")
    log = write_test_log(tmp_path / "province_calls.parquet")
    assert calllog.validate(log) == 120
    daily = calllog_stats.load_daily(log)
    assert set(daily["district"]) == {"甲县", "乙区"}
    reference = calllog.load_vocabulary(log).reference("category")
    assert reference == "噪音"
    odds = calllog_stats.satisfaction_glm(daily, reference).set_index("term")
    # Saturated model: the odds ratio is the ratio of the observed odds, against 噪音's 24/16.
    assert odds.loc["供水", "odds_ratio"] == pytest.approx((30 / 10) / (24 / 16))
    assert odds.loc["供暖", "odds_ratio"] == pytest.approx((20 / 20) / (24 / 16))


def test_a_call_outside_the_log_vocabulary_names_file_record_column_rule(tmp_path):
    districts = ["甲县"] * 120
    districts[41] = "丙县"
    log = write_test_log(tmp_path / "province_calls.parquet", district=districts)
    with pytest.raises(raw.RawDataError) as caught:
        calllog.validate(log)
    assert str(caught.value).endswith(
        "province_calls.parquet, record 42, column 'district': must be one of the 2 values listed for it in "
        "province_calls.vocabulary.yml (甲县, 乙区)"
    )
    assert "丙县" not in str(caught.value)


def test_a_call_log_without_its_vocabulary_is_not_aggregated(tmp_path, monkeypatch):
    monkeypatch.setattr(calllog_aggregate.paths, "PROCESSED", tmp_path / "processed")
    log = write_test_log(tmp_path / "province_calls.parquet", vocab=None)
    with pytest.raises(raw.RawDataError, match="province_calls.vocabulary.yml: is missing: .* category, district"):
        calllog_aggregate.cached_aggregate(log)
    assert not (tmp_path / "processed").exists()


def test_the_aggregate_is_recomputed_when_the_vocabulary_changes(tmp_path, monkeypatch):
    monkeypatch.setattr(calllog_aggregate.paths, "PROCESSED", tmp_path / "processed")
    log = write_test_log(tmp_path / "province_calls.parquet")
    before = calllog_aggregate.fingerprint(log)
    vocabulary.path_for(log).write_text(TEST_LOG_VOCABULARY.replace("[甲县, 乙区]", "[甲县, 乙区, 丙县]"), "utf-8")
    assert calllog_aggregate.fingerprint(log)["vocabulary"] != before["vocabulary"]


def test_a_dataset_directorys_vocabulary_lies_beside_the_directory(tmp_path):
    log = tmp_path / "export"
    (log / "month=2023-03").mkdir(parents=True)
    write_test_log(log / "month=2023-03" / "part-0.parquet", vocab=None)
    assert vocabulary.path_for(log) == tmp_path / "export.vocabulary.yml"
    vocabulary.path_for(log).write_text(TEST_LOG_VOCABULARY, encoding="utf-8")
    assert calllog.validate(log) == 120


# ---------------------------------------------------------------- the SYNTHETIC defaults


def test_the_synthetic_vocabularies_are_labelled_and_lie_outside_data_raw(tmp_path):
    registry_path = registry_synthetic.write_vocabulary(tmp_path / "caseload_registry_SYNTHETIC.csv")
    log_path = calllog_synthetic.write_vocabulary(tmp_path / "hotline_calls_SYNTHETIC_small")
    for path in (registry_path, log_path):
        assert "SYNTHETIC" in path.name and path.read_text(encoding="utf-8").startswith("# SYNTHETIC vocabulary")
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["label"] == "SYNTHETIC"
    assert vocabulary.path_for(paths.SYNTHETIC_REGISTRY).parent == paths.SYNTHETIC != paths.RAW
    assert vocabulary.path_for(paths.synthetic_calllog("full")).parent == paths.SYNTHETIC


def test_the_synthetic_vocabularies_are_synthetic_ymls(tmp_path):
    """The Beijing defaults live in synthetic.yml, read by hand here, not in the package."""
    settings = yaml.safe_load(paths.SYNTHETIC_CONFIG.read_text(encoding="utf-8"))
    reg = registry.load_vocabulary(registry_synthetic.write_synthetic(tmp_path / "caseload_registry_SYNTHETIC.csv"))
    assert reg.values("district") == tuple(settings["registry"]["districts"])
    assert len(reg.values("district")) == 16
    assert reg.values("household_type") == tuple(settings["registry"]["household_types"])
    assert reg.values("main_cause") == tuple(settings["registry"]["main_causes"])
    assert reg.values("region") == (settings["registry"]["region"],)
    assert reg.columns["household_id"].pattern == settings["registry"]["ids"]["household_id"]["pattern"]
    assert reg.references("main_cause", "household_type") == {
        "main_cause": settings["registry"]["main_causes"][0],
        "household_type": settings["registry"]["household_types"][0],
    }
    calllog_synthetic.write_vocabulary(tmp_path / "hotline_calls_SYNTHETIC_small")
    log = calllog.load_vocabulary(tmp_path / "hotline_calls_SYNTHETIC_small")
    assert log.values("category") == tuple(settings["calllog"]["categories"])
    assert log.values("district") == tuple(settings["calllog"]["districts"])
    assert log.reference("category") == settings["calllog"]["reference_category"]


def test_a_synthetic_yml_assumption_outside_its_vocabulary_is_refused(monkeypatch):
    settings = registry_synthetic.registry_settings()
    settings["exit_hazard"] = {**settings["exit_hazard"], "TEST-cause": 1.0}
    monkeypatch.setattr(registry_synthetic, "registry_settings", lambda: settings)
    with pytest.raises(registry_synthetic.CalibrationError, match="exit_hazard must give exactly"):
        registry_synthetic.calibration()


# ---------------------------------------------------------------- no record vocabulary left in the package

# The topic helpers' files (issue 24's other parts) are theirs to clean; everything else must hold none.
OTHERS = {
    f"{folder}/{topic}.{suffix}"
    for topic in ("poverty", "hotline", "satisfaction")
    for folder, suffix in (("topics", "py"), ("charts", "py"), ("messages", "yml"))
}


def synthetic_terms() -> set[str]:
    """Every value of the SYNTHETIC vocabularies (read from synthetic.yml) and their id prefixes."""
    settings = yaml.safe_load(paths.SYNTHETIC_CONFIG.read_text(encoding="utf-8"))
    registry_part, log_part = settings["registry"], settings["calllog"]
    terms = {registry_part["region"], *registry_part["districts"], *registry_part["household_types"]}
    terms |= {*registry_part["main_causes"], *log_part["categories"], *log_part["districts"]}
    return terms | {spec["format"].split("{")[0] for spec in registry_part["ids"].values()}


def test_no_synthetic_vocabulary_value_is_left_in_the_package():
    from test_no_source_ids_in_package import _pattern, other_texts, python_texts

    terms = synthetic_terms()
    assert {"HH-", "S-"} <= terms and len(terms) > 30
    # An id prefix is followed by digits: found wherever a word starts with it.
    patterns = {
        term: re.compile(rf"(?<![A-Za-z0-9_]){re.escape(term)}") if term.endswith("-") else _pattern(term)
        for term in terms
    }
    found = []
    for path in sorted(paths.PACKAGE.rglob("*")):
        relative = path.relative_to(paths.PACKAGE).as_posix()
        if "__pycache__" in path.parts or not path.is_file() or relative in OTHERS:
            continue
        if path.suffix == ".py":
            texts = python_texts(path)
        elif path.suffix in (".yml", ".yaml", ".json", ".j2", ".html"):
            texts = other_texts(path)
        else:
            continue
        found += [
            f"{relative}:{line}: {term}" for line, text in texts for term, p in patterns.items() if p.search(text)
        ]
    assert found == []


def test_the_registry_and_log_checks_see_a_frame_check_like_before():
    """A TEST frame validated directly against a parsed vocabulary (no file): the schema is the vocabulary's."""
    vocab = vocabulary.parse(yaml.safe_load(TEST_REGISTRY_VOCABULARY), Path("t.vocabulary.yml"), registry.VOCABULARY)
    frame = pd.read_csv(io.StringIO(TEST_REGISTRY), dtype=str, keep_default_na=False)
    assert len(registry.registry_schema(vocab).validate(frame)) == 3
