"""Import and export of client bases: no Qt here (the GUI wizard and the CLI sit on top)."""
