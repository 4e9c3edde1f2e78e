"""The base and the rules: no Qt here (a test checks it)."""
