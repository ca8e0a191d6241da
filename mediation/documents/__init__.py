"""Documents rendered to PDF: agreements and contracts, each verifiable by a printed code."""
