"""One module per kind of API, the Backend contract they share, and the registry that opens them."""
