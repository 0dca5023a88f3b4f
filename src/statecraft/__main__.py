"""``python -m statecraft``: the same command line as ``statecraft``."""

from statecraft.cli import main

if __name__ == "__main__":
    main()
