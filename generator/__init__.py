"""Turn a qualitative study's structured findings (YAML) into a bilingual MkDocs site.

The pipeline runs one way: load -> model -> validate -> render -> write, then MkDocs
builds each language.  See `generator.build` for the whole run in one place.
"""
