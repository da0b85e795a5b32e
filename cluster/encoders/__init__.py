"""Encoders: what turns an article's text into a vector, and the registry that names them."""
