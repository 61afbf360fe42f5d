"""The network file format and the exports that need no Qt."""
