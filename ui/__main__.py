"""``python -m ui``: serve the chat UI on settings.ui_host:ui_port (127.0.0.1:7860 by default)."""

from __future__ import annotations


def main() -> None:
    """Configure logging from settings and serve the UI."""
    from assistant.observability import configure_logging
    from assistant.settings import get_settings
    from ui.app import serve

    settings = get_settings()
    configure_logging(settings.log_level)
    serve(settings)


if __name__ == "__main__":
    main()
