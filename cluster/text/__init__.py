"""What an article's text yields: language, terms and their background frequencies, sentences, wire furniture."""
