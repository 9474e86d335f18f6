"""Page texts per console area; server/web/texts.py merges them and refuses a key defined twice."""
