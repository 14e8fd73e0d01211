"""The Gradio chat UI: a thin adapter over the SDK (``assistant.sdk``).

``ui.app.create_app(assistant)`` builds the app without launching it; ``ui.app.serve(settings)``
builds the Assistant and serves the app on ``settings.ui_host:ui_port``. Importing does no work.
"""
