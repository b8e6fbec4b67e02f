# The figure finder: draft figures.csv rows for the numbers on a source page not yet entered or excluded.

SOURCE ?=

.PHONY: figures-todo
figures-todo: | $(VENV_STAMP) ## Print draft figures.csv rows for a page's unentered numbers: make figures-todo SOURCE=page.txt
	@test -n "$(SOURCE)" || { echo "usage: make figures-todo SOURCE=path/to/page.txt [SOURCE_ID=id]" >&2; exit 2; }
	$(PY) -m analysis.evidence.finder "$(SOURCE)" $(if $(SOURCE_ID),--source-id $(SOURCE_ID))

PAGES ?=
HAND ?=

.PHONY: bench-finder
bench-finder: | $(VENV_STAMP) ## Field-by-field accuracy of the finder's drafts against rows entered by hand: make bench-finder PAGES=dir HAND=dir
	@test -n "$(PAGES)" -a -n "$(HAND)" || { echo "usage: make bench-finder PAGES=folder/of/pages HAND=folder/of/hand-entered/csvs [BENCH_ARGS=--per-page]" >&2; exit 2; }
	$(PY) scripts/bench_finder.py "$(PAGES)" "$(HAND)" $(BENCH_ARGS)
