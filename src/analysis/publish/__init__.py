"""The report build: configuration, make rules, execution, rendering, the index, and notebook hygiene."""
