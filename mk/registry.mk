# The SYNTHETIC caseload registry: a labelled stand-in for the confidential union registry, and its vocabulary.

REGISTRY := data/synthetic/caseload_registry_SYNTHETIC.csv
# The registry's vocabulary beside it (analysis.records.vocabulary: districts, household types, main causes, id
# formats), SYNTHETIC and Beijing's: synthetic.yml's registry section. Validation reads it like any export's.
REGISTRY_VOCABULARY := data/synthetic/caseload_registry_SYNTHETIC.vocabulary.yml

.PHONY: synthetic-registry
synthetic-registry: $(REGISTRY) $(REGISTRY_VOCABULARY) ## Generate the SYNTHETIC household registry and its vocabulary (fixed seed)

# Everything the generator reads: its code, its assumptions (synthetic.yml's registry section, vocabulary included)
# and the published caseload it is calibrated to; a change to any of them regenerates the registry and its reports.
$(REGISTRY): src/analysis/records/registry_synthetic.py synthetic.yml data/processed/poverty_caseload.csv | $(VENV_STAMP)
	$(PY) -m analysis.records.registry_synthetic

# Regenerated when what it is calibrated to changes: its section of synthetic.yml and the published stocks
# it selects (build/calibration/registry.json, rewritten only when they change).
$(REGISTRY): build/calibration/registry.json

# The vocabulary: rewritten (only if its content changed) when its section of synthetic.yml or its writer changes.
$(REGISTRY_VOCABULARY): src/analysis/records/registry_synthetic.py src/analysis/records/vocabulary.py build/calibration/registry.json | $(VENV_STAMP)
	$(PY) -m analysis.records.registry_synthetic vocabulary
	@touch $@
