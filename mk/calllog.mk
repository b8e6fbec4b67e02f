# The SYNTHETIC hotline call log (64 million calls, one Parquet partition per month), its vocabulary and its cached
# daily aggregate.

CALLLOG_FULL := data/synthetic/hotline_calls_SYNTHETIC_full
CALLLOG_SMALL := data/synthetic/hotline_calls_SYNTHETIC_small
# Ten times the full log (640 million calls, about 4 GB): for the benchmark only, never read by a report.
CALLLOG_X10 := data/synthetic/hotline_calls_SYNTHETIC_x10
# Each log's vocabulary beside it, <log>.vocabulary.yml (analysis.records.vocabulary: categories, districts),
# SYNTHETIC and Beijing's: synthetic.yml's calllog section. Validation reads it like any export's.
CALLLOG_VOCABULARIES := $(addsuffix .vocabulary.yml,$(CALLLOG_FULL) $(CALLLOG_SMALL) $(CALLLOG_X10))
CALLLOG_CODE := $(addprefix src/analysis/records/,calllog.py calllog_duckdb.py calllog_dask.py calllog_aggregate.py vocabulary.py)
# duckdb (in process) or dask (DASK_SCHEDULER_ADDRESS, else a local two-worker cluster).
CALLLOG_ENGINE ?= duckdb

.PHONY: synthetic-calllog synthetic-calllog-small bench-calllog
synthetic-calllog: $(CALLLOG_FULL) $(CALLLOG_FULL).vocabulary.yml ## Generate the SYNTHETIC 64-million-call hotline log (fixed seed, about 20 s)
synthetic-calllog-small: $(CALLLOG_SMALL) $(CALLLOG_SMALL).vocabulary.yml ## Generate the 1/1000-scale SYNTHETIC call log used by tests

# Each log is a directory, written to a temporary one and swapped in whole. It is regenerated when what it is
# calibrated to changes (build/calibration/calllog.json: its section of synthetic.yml and the volumes it selects).
# The full log's process also brings its aggregate up to date (with DuckDB), in the same process (calllog_aggregate
# generate): the aggregate's rule below then finds its table newer than everything it depends on and starts nothing.
# The other logs (the tests', the benchmark's ten-times log) are generated alone, as with Dask.
CALLLOG_GENERATE = $(if $(and $(filter full,$*),$(filter duckdb,$(CALLLOG_ENGINE))),calllog_aggregate generate $* duckdb,calllog_synthetic $*)
$(CALLLOG_FULL) $(CALLLOG_SMALL) $(CALLLOG_X10): data/synthetic/hotline_calls_SYNTHETIC_%: src/analysis/records/calllog_synthetic.py build/calibration/calllog.json | $(VENV_STAMP)
	$(PY) -m analysis.publish.warm analysis.records.$(CALLLOG_GENERATE)

# The vocabulary: rewritten (only if its content changed) when synthetic.yml (its calllog section is all the
# vocabulary reads: categories, districts) or its writer changes. Not when a published volume does (the calibration
# extract): a recalibrated log's vocabulary is the same, and its own process (about 1 s) ran on the edit's longest
# chain, between the log and its aggregate.
$(CALLLOG_VOCABULARIES): data/synthetic/hotline_calls_SYNTHETIC_%.vocabulary.yml: src/analysis/records/calllog_synthetic.py src/analysis/records/vocabulary.py synthetic.yml | $(VENV_STAMP)
	$(PY) -m analysis.records.calllog_synthetic vocabulary $*
	@touch $@

# Validated (against the vocabulary beside the log) and aggregated once per change of either; notebooks read only
# this table.
# The shell looks first (as a page's rule does): a table newer than every prerequisite was brought up to date from them
# (its fingerprint checked), by the log's own process just now (CALLLOG_GENERATE) or by this recipe before.
data/processed/calllog_daily_hotline_calls_SYNTHETIC_%.parquet: data/synthetic/hotline_calls_SYNTHETIC_% data/synthetic/hotline_calls_SYNTHETIC_%.vocabulary.yml $(CALLLOG_CODE) | $(if $(filter dask,$(CALLLOG_ENGINE)),$(call extras,scale))
	@stale=$$(for p in $^; do [ $@ -nt $$p ] || echo $$p; done); \
	if [ -z "$$stale" ]; then echo "$@: aggregated with its log, newer than all it depends on"; \
	else echo "$(PY) -m analysis.publish.warm analysis.records.calllog_aggregate aggregate $* $(CALLLOG_ENGINE)"; \
		$(PY) -m analysis.publish.warm analysis.records.calllog_aggregate aggregate $* $(CALLLOG_ENGINE); fi
	@touch $@  # also when the cache was current (a vocabulary or code touched, its content the same): checked once

bench-calllog: $(CALLLOG_FULL) $(CALLLOG_X10) $(CALLLOG_FULL).vocabulary.yml $(CALLLOG_X10).vocabulary.yml $(call extras,scale) ## Time DuckDB, per-partition and Dask aggregation at 64 and 640 million calls (writes 4 GB)
	$(PY) scripts/bench_calllog.py
