"""The application shell: main window, docks, controllers, start-up and the command line."""
