"""One module per input kind; each turns a file into an `ExtractedDoc` of lines and tables."""
