# The figure finder: draft figures.csv rows for the numbers on a source page not yet entered or excluded.

SOURCE ?=
SOURCE_ID ?=
PUBLISHED ?=
REGION ?=
OUT ?=

.PHONY: figures-todo figures-ledger
figures-todo: | $(VENV_STAMP) ## Draft figures/relations/indicators/exclusions rows for a page's unentered numbers: make figures-todo SOURCE=page.txt [SOURCE_ID=id PUBLISHED=2024-07-15 REGION=Beijing OUT=drafts.csv]
	@test -n "$(SOURCE)" || { echo "usage: make figures-todo SOURCE=path/to/page.txt [SOURCE_ID=id] [PUBLISHED=YYYY-MM-DD] [REGION=Region:Sub] [OUT=drafts.csv]" >&2; exit 2; }
	$(PY) -m analysis.evidence.finder_cli "$(SOURCE)" $(if $(SOURCE_ID),--source-id $(SOURCE_ID)) $(if $(PUBLISHED),--published $(PUBLISHED)) $(if $(REGION),--region $(REGION)) $(if $(OUT),--out $(OUT))

figures-ledger: | $(VENV_STAMP) ## Per page: numbers found, entered, excluded, unaccounted: make figures-ledger PAGES="a.txt b.txt"
	@test -n "$(PAGES)" || { echo "usage: make figures-ledger PAGES=\"page.txt ...\"" >&2; exit 2; }
	$(PY) -m analysis.evidence.finder_cli --ledger $(PAGES)

PAGES ?=
HAND ?=

.PHONY: bench-finder
bench-finder: | $(VENV_STAMP) ## Field-by-field accuracy of the finder's drafts against rows entered by hand: make bench-finder PAGES=dir HAND=dir
	@test -n "$(PAGES)" -a -n "$(HAND)" || { echo "usage: make bench-finder PAGES=folder/of/pages HAND=folder/of/hand-entered/csvs [BENCH_ARGS=--per-page]" >&2; exit 2; }
	$(PY) scripts/bench_finder.py "$(PAGES)" "$(HAND)" $(BENCH_ARGS)
