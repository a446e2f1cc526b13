"""The reference library: documents in several languages, guidelines as citable sections,
search, and printable packs per audience."""
