"""Entry point of the frozen ``custdesk-cli`` program (the console tool): ``custdesk.cli:main``."""

import sys

from custdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
