"""Hashi's Japanese language engine: pure Python, no Flask, no database.

This package is the only place that imports fugashi, pykakasi or a speech engine, so the
rest of the app (and any outside tool) sees Japanese through our own small types.
"""
