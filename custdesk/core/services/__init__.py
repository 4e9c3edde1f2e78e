"""Services the GUI and the CLI both call: each opens its own transaction and returns DTOs."""
