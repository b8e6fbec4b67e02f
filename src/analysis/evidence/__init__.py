"""Evidence: the hand-entered published figures, validated, tidied, audited and traced to their sources."""
