"""Search models (synonyms, best bets) arrive with the search issue."""
