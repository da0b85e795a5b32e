"""The command line: `wirestory` and its commands, and how their output is drawn."""
