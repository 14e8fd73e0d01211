"""Privacy promises kept in code: redacted checkpoints, conversation owners, retention and
purge, the subject-access export. The SDK uses ``Privacy``; the command line is ``cli``."""

from assistant.privacy.retention import Privacy, PurgeReport

__all__ = ["Privacy", "PurgeReport"]
