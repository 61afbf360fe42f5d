"""The open network as a QObject: its state, undo commands, edits, selection and training runs."""
