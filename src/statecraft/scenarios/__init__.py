"""Built-in scenario files (YAML), read with :func:`statecraft.load` by name."""
