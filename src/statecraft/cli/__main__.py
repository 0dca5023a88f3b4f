"""``python -m statecraft.cli``: the ``statecraft`` command line."""

from statecraft.cli import main

if __name__ == "__main__":
    main()
