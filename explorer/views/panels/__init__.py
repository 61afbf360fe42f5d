"""The docked panels and the dialogs that edit the document."""
