import sys

from assistant.entry import main

sys.exit(main())
