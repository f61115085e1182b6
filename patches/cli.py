"""Rasa's command line with the project's patches installed first:

    python -m patches.cli run --model models/bfs-assistant.tar.gz ...

The launcher (deploy/launcher.py) starts every Rasa server this way; set
BFS_PATCHES=off to run Rasa as it comes.
"""

from __future__ import annotations

import sys


def main() -> None:
    from rasa.__main__ import main as rasa_main

    import patches

    patches.install()  # before Rasa sets up logging: a refused patch still warns on stderr
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
