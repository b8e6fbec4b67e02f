# The SYNTHETIC caseload registry: a labelled stand-in for the confidential union registry.

.PHONY: synthetic-registry
synthetic-registry: data/synthetic/caseload_registry_SYNTHETIC.csv ## Generate the SYNTHETIC household registry (fixed seed)

# Everything the generator reads: its code, its assumptions (synthetic.yml's registry section) and the
# published caseload it is calibrated to; a change to any of them regenerates the registry and its reports.
data/synthetic/caseload_registry_SYNTHETIC.csv: src/analysis/records/registry_synthetic.py synthetic.yml data/processed/poverty_caseload.csv | $(VENV_STAMP)
	$(PY) -m analysis.records.registry_synthetic

# Regenerated when what it is calibrated to changes: its section of synthetic.yml and the published stocks
# it selects (build/calibration/registry.json, rewritten only when they change).
data/synthetic/caseload_registry_SYNTHETIC.csv: build/calibration/registry.json
