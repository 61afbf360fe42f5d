"""Launch MLP Explorer: `python main.py [FILE]`, or a command-line verb (`python main.py --help`)."""

import sys

from explorer.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
