"""Pure pandas metric functions, one module per area (no I/O, no streamlit)."""
