# The SYNTHETIC hotline call log (64 million calls) and its cached daily aggregate.

CALLLOG_FULL := data/synthetic/hotline_calls_SYNTHETIC_full.parquet
CALLLOG_SMALL := data/synthetic/hotline_calls_SYNTHETIC_small.parquet

.PHONY: synthetic-calllog synthetic-calllog-small bench-calllog
synthetic-calllog: $(CALLLOG_FULL) ## Generate the SYNTHETIC 64-million-call hotline log (fixed seed, about 20 s)
synthetic-calllog-small: $(CALLLOG_SMALL) ## Generate the 1/1000-scale SYNTHETIC call log used by tests

data/synthetic/hotline_calls_SYNTHETIC_%.parquet: src/analysis/records/calllog_synthetic.py synthetic.yml data/processed/hotline_volume.csv | $(VENV_STAMP)
	$(PY) -m analysis.records.calllog_synthetic $*

# Validated and aggregated once per change of the log; notebooks read only this table.
data/processed/calllog_daily_hotline_calls_SYNTHETIC_%.parquet: data/synthetic/hotline_calls_SYNTHETIC_%.parquet src/analysis/records/calllog.py
	$(PY) -m analysis.records.calllog aggregate $*

bench-calllog: $(CALLLOG_FULL) ## Time the call-log aggregation against pandas, hand-written DuckDB and a plain read
	$(PY) scripts/bench_calllog.py
