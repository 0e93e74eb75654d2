"""Start Portal Setup Assistant: `python main.py` (window) or `python main.py diagnose --help`."""

import sys

from assistant.entry import main

if __name__ == "__main__":
    sys.exit(main())
