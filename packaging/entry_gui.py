"""Entry point of the frozen ``CustDesk`` program (the windowed application): ``custdesk.app:main``."""

import sys

from custdesk.app import main

if __name__ == "__main__":
    sys.exit(main())
