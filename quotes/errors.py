"""The domain's error vocabulary: every error a service raises on purpose.

Interfaces translate these, and only these, into user-facing messages: the
API's exception handler into a 4xx JSON body, commands into a one-line error.
"""


class QuoteTrackerError(Exception):
    """Base of every domain error; ``code`` is a stable machine-readable name."""

    code = "error"
    status = 400

    def __init__(self, message: str, **details) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(QuoteTrackerError):
    code = "invalid"


class NotFound(QuoteTrackerError):
    code = "not_found"
    status = 404


class Conflict(QuoteTrackerError):
    code = "conflict"
    status = 409


class DuplicateArticle(Conflict):
    """The same text (or URL) is already stored; ``details['article_id']`` names it."""

    code = "duplicate_article"


class DuplicateStatement(Conflict):
    """The same words by the same speakers are stored; ``details['statement_id']`` names it."""

    code = "duplicate_statement"


class StatementLocked(Conflict):
    """A human verified or edited this statement; the machine may not change it."""

    code = "statement_locked"


class ExtractionUnavailable(Exception):
    """An operator's error, not the input's: the extraction engine cannot run here.

    A spaCy model not installed, an engine file missing. Not a QuoteTrackerError:
    no caller is to blame, so it is never answered as a 4xx. Work that meets it
    goes back to pending, is retried, and is logged at CRITICAL until fixed.
    """

