"""The courses service, asked over HTTP."""
