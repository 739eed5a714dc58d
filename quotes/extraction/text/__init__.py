"""Reading the raw text before any parse: sentences and quotation marks."""
