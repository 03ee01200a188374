import sys

from .entry import main

# `python -m wflint` exits the usual way (profilers and coverage see the end of the run);
# the `wflint` console script (entry.run) skips the interpreter's teardown.
sys.exit(main())
