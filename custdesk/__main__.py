"""``python -m custdesk`` starts the GUI."""

from custdesk.app import main

raise SystemExit(main())
