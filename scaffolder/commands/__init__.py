"""One module per `scaffold` subcommand; each exposes `command: click.Command`.

Keep module-level imports light (click and the standard library): heavy imports belong inside
the command function so that `scaffold --help` and `scaffold lint` stay fast.
"""
